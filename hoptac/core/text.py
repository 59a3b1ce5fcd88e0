"""Vietnamese text helpers shared by every app.

SQLite's LIKE/LOWER only know ASCII, so searchable models keep a *folded* copy of their names:
lower-case, accents stripped, đ→d. Searching the folded column with the folded query behaves the
same on SQLite and PostgreSQL: "hop tac xa hai anh" finds "Hợp tác xã Hải Anh".
"""

import functools
import re
import unicodedata

_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")


def fold(text: str | None) -> str:
    """Lower-case, strip Vietnamese diacritics (đ→d) and collapse spaces."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped).strip().lower()


# Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y,
# with tones ranked after the base letter (none, huyền, hỏi, ngã, sắc, nặng).
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def sort_key(text: str | None) -> str:
    """A key that sorts Vietnamese names in dictionary order (Đ after D, not after Z).

    Stored in a plain text column, it orders correctly with any database collation because it only
    holds ASCII letters: each letter becomes two characters (its rank in the alphabet), and the tones
    are appended at the end as a tie-breaker.
    """
    if not text:
        return ""
    base: list[str] = []
    tones: list[str] = []
    # Numbers compare by value ("số 2" before "số 10"): pad every run of digits to 12 places.
    text = _DIGITS.sub(lambda m: m.group().zfill(12), text)
    for ch in unicodedata.normalize("NFC", text.lower()):
        letter_key, tone = _char_key(ch)
        base.append(letter_key)
        if tone:
            tones.append(tone)
    return "".join(base) + "|" + "".join(tones)


@functools.lru_cache(maxsize=4096)
def _char_key(ch: str) -> tuple[str, str]:
    """One character's two-character rank and, for letters of the alphabet, its tone digit."""
    parts = unicodedata.normalize("NFD", ch)
    letter = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
    tone = next((_TONES[c] for c in parts if c in _TONES), 0)
    if letter in _ALPHABET:
        rank = _ALPHABET.index(letter)
        return chr(ord("a") + rank // 26) + chr(ord("a") + rank % 26), str(tone)
    if letter.isdigit():
        return "0" + letter, ""
    if letter.isspace():
        return "  ", ""
    return "~" + (letter if letter.isascii() else "~"), ""
