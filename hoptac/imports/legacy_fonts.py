"""Vietnamese typed in the old 8-bit font encodings, TCVN3 (ABC, the ".Vn…" fonts) and VNI (the "VNI-…"
fonts), converted to Unicode — the one home of both mapping tables.

In a workbook or a CSV such text arrives as the Latin-1 characters of its bytes: "Hîp t¸c x· N«ng nghiÖp"
(TCVN3) or "Hôïp taùc xaõ Noâng nghieäp" (VNI) for "Hợp tác xã Nông nghiệp". A text is taken as typed in a
font when it has a character or a pair Vietnamese never writes (¸, «, Ö, "aù", "eä") and when reading it in
that font gives Vietnamese syllables (one tone a syllable, nothing left unread). A file is converted only when
all its such texts read in ONE font; otherwise (some only in TCVN3, some only in VNI, or a text read in neither)
the reader refuses it with a clear message (hoptac.imports.reading).

Sources: TCVN 5712:1993 (the VN3 set of TCVN3/ABC: lower-case letters with tones and the seven capitals
Ă Â Ê Ô Ơ Ư Đ; capitals with tones are drawn by the upper-case ".VnTimeH" fonts with the lower-case codes, so
they convert to lower case) and the VNI Windows table of VNI Software (a base letter followed by one or two
mark characters; ơ, ư, đ and the i's and ỵ are single characters). Both are the tables of Unikey's converter.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

TCVN3 = "TCVN3 (ABC)"
VNI = "VNI"

# TCVN3: one byte a letter. Keys are the bytes as Latin-1 characters (a workbook stores them so).
_TCVN3_LETTERS = {
    "a": "µ¸¶·¹",  # à á ả ã ạ
    "ă": "»¾¼½Æ",
    "â": "ÇÊÈÉË",
    "e": "ÌÐÎÏÑ",
    "ê": "ÒÕÓÔÖ",
    "i": "×ÝØÜÞ",
    "o": "ßãáâä",
    "ô": "åèæçé",
    "ơ": "êíëìî",
    "u": "ïóñòô",
    "ư": "õøö÷ù",
    "y": "úýûüþ",
}
_TONES = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng (the order of the tables)


def _toned(base: str, tone: int) -> str:
    return unicodedata.normalize("NFC", base + _TONES[tone])


TCVN3_TABLE: dict[str, str] = {
    "¨": "ă",
    "©": "â",
    "ª": "ê",
    "«": "ô",
    "¬": "ơ",
    "\xad": "ư",  # a soft hyphen: invisible in Latin-1
    "®": "đ",
    "¡": "Ă",
    "¢": "Â",
    "£": "Ê",
    "¤": "Ô",
    "¥": "Ơ",
    "¦": "Ư",
    "§": "Đ",
}
for _base, _codes in _TCVN3_LETTERS.items():
    for _tone, _code in enumerate(_codes):
        TCVN3_TABLE[_code] = _toned(_base, _tone)

# VNI Windows: a base letter and its marks. Lower-case marks after a lower-case letter, upper-case after upper.
_VNI_TONE = {"ø": 0, "ù": 1, "û": 2, "õ": 3, "ï": 4}  # huyền sắc hỏi ngã nặng
_VNI_HAT: dict[str, tuple[int | None, str]] = {
    "â": (None, "\u0302"),
    "à": (0, "\u0302"),
    "á": (1, "\u0302"),
    "å": (2, "\u0302"),
}
_VNI_HAT |= {"ã": (3, "\u0302"), "ä": (4, "\u0302")}
_VNI_BREVE: dict[str, tuple[int | None, str]] = {
    "ê": (None, "\u0306"),
    "è": (0, "\u0306"),
    "é": (1, "\u0306"),
    "ú": (2, "\u0306"),
}
_VNI_BREVE |= {"ü": (3, "\u0306"), "ë": (4, "\u0306")}
_VNI_SINGLE = {
    "ô": "ơ",
    "ö": "ư",
    "ñ": "đ",
    "ì": "ì",
    "í": "í",
    "æ": "ỉ",
    "ó": "ĩ",
    "ò": "ị",
    "î": "ỵ",
}


def _vni_pairs() -> dict[str, str]:
    """Every VNI sequence (letter + marks, as Latin-1 characters) → its Unicode letter, both cases."""
    pairs: dict[str, str] = {}
    for letter in "aeouy":
        for mark, tone in _VNI_TONE.items():
            pairs[letter + mark] = _toned(letter, tone)
        if letter in "aeo":
            for mark, (hat_tone, hat) in _VNI_HAT.items():
                base = unicodedata.normalize("NFC", letter + hat)
                pairs[letter + mark] = base if hat_tone is None else _toned(base, hat_tone)
        if letter == "a":
            for mark, (breve_tone, breve) in _VNI_BREVE.items():
                base = unicodedata.normalize("NFC", letter + breve)
                pairs[letter + mark] = base if breve_tone is None else _toned(base, breve_tone)
    for single, letter in (("ô", "ơ"), ("ö", "ư")):
        for mark, tone in _VNI_TONE.items():
            pairs[single + mark] = _toned(letter, tone)
    pairs |= _VNI_SINGLE
    pairs |= {k.upper(): v.upper() for k, v in list(pairs.items())}
    return pairs


VNI_TABLE = _vni_pairs()
_VNI_PATTERN = re.compile("|".join(re.escape(k) for k in sorted(VNI_TABLE, key=len, reverse=True)))

# Latin-1 letters that Vietnamese written in Unicode uses: a text made only of these may be either.
_UNICODE_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
# Characters only Unicode Vietnamese has (never a byte of the old fonts read as Latin-1).
_UNICODE_ONLY = re.compile(r"[ăđĩũơưĂĐĨŨƠƯ\u0300-\u0323\u1ea0-\u1ef9]")
_VOWELS = set("aăâeêioôơuưy")
_WORD = re.compile(r"[^\W\d_]+")


def _tone_of(letter: str) -> bool:
    decomposed = unicodedata.normalize("NFD", letter)
    return any(mark in decomposed for mark in _TONES)


# Signs a Unicode list may hold besides letters; a converted text may hold only the second set.
_SIGNS_IN_UNICODE = set("–—…“”‘’«»°№×®©")
_SIGNS_CONVERTED = set("–—…“”‘’°")


def _reads_as_vietnamese(text: str, signs: set[str] = _SIGNS_CONVERTED) -> bool:
    """Every word has at most one toned vowel and no letter outside Vietnamese; no other sign than `signs`
    (the result of a right guess)."""
    if any(not ch.isascii() and not ch.isalpha() and ch not in signs for ch in text):
        return False
    for word in _WORD.findall(text):
        lower = word.lower()
        if any(ch not in _VIETNAMESE_LETTERS for ch in lower):
            return False
        if sum(_tone_of(ch) for ch in lower) > 1:
            return False
        bases = [unicodedata.normalize("NFD", ch)[0] for ch in lower]
        if sum(ch in _VOWELS for ch in bases) > 3:
            return False
    return True


_VIETNAMESE_LETTERS = (
    set("abcdefghijklmnopqrstuvwxyzđ")
    | {_toned(base, tone) for base in _VOWELS for tone in range(5)}
    | {"ă", "â", "ê", "ô", "ơ", "ư"}
)


def from_tcvn3(text: str) -> str:
    """TCVN3 → Unicode. Capitals with tones were typed with the lower-case codes in the upper-case fonts
    (".VnTimeH"): a word whose other letters are capitals ("HUYÖN", "H¶I") is made capital ("HUYỆN")."""
    converted = "".join(TCVN3_TABLE.get(ch, ch) for ch in text)
    if _all_capitals(text):  # a title in capitals: "DANH S¸CH HîP T¸C X·"
        return converted.upper()
    return _CAPITAL_WORD.sub(
        lambda m: m.group(0).upper() if _all_capitals(text[m.start() : m.end()]) else m.group(0), converted
    )


_CAPITAL_WORD = re.compile(r"[^\W\d_]+")


def _all_capitals(word: str) -> bool:
    """Two or more ASCII letters, all capitals (the other characters being the font's codes)."""
    ascii_letters = [ch for ch in word if ch.isascii() and ch.isalpha()]
    return len(ascii_letters) >= 2 and all(ch.isupper() for ch in ascii_letters)


def from_vni(text: str) -> str:
    return _VNI_PATTERN.sub(lambda m: VNI_TABLE[m.group(0)], text)


CONVERTERS = {TCVN3: from_tcvn3, VNI: from_vni}


def _readable(text: str, font: str) -> str | None:
    """The text read in `font` if that gives Vietnamese, else None."""
    converted = CONVERTERS[font](text)
    return converted if _reads_as_vietnamese(converted) else None


# Signs that Unicode text may hold as punctuation: a TCVN3 letter only between two letters ("B×nh").
_PUNCTUATION = set("©«»®×")
# Pairs Unicode writes too, with the tone on the second vowel ("hoà", "hoá", "hoãn").
_UNICODE_PAIRS = {"oà", "oá", "oã", "OÀ", "OÁ", "OÃ"}


def _marked(text: str, font: str) -> bool:
    """The text has something Unicode Vietnamese never writes and that `font` writes: a sign ("¸", "·") or a
    letter-and-mark pair ("aõ"), or two foreign letters ("Ö", "Þ"; one alone may be a foreign name's "Müller",
    "Peña")."""
    letters = 0
    if font == TCVN3:
        for i, ch in enumerate(text):
            if ch not in TCVN3_TABLE or ch in _UNICODE_LATIN1:
                continue
            if ch.isalpha():
                letters += 1
                continue
            before = i > 0 and text[i - 1].isalpha()
            after = i + 1 < len(text) and (text[i + 1].isalpha() or text[i + 1] in TCVN3_TABLE)
            if before and (after or ch not in _PUNCTUATION):
                return True
        return letters >= 2
    for found in _VNI_PATTERN.finditer(text):
        sequence = found.group(0)
        if sequence in _UNICODE_PAIRS:
            continue
        if len(sequence) > 1:
            return True
        if sequence not in _UNICODE_LATIN1:
            letters += 1
    return letters >= 2


def _covered(text: str, font: str) -> bool:
    """Every non-ASCII character of the text is a code of `font`."""
    rest = _VNI_PATTERN.sub("", text) if font == VNI else "".join(c for c in text if c not in TCVN3_TABLE)
    return rest.isascii()


def candidate(text: str) -> bool:
    """Worth looking at: non-ASCII text without any character only Unicode has."""
    return not text.isascii() and not _UNICODE_ONLY.search(text)


def fonts_of(text: str) -> set[str]:
    """The old fonts `text` is typed in, as far as the text alone tells: {} (plain text), one, or both."""
    if not candidate(text):
        return set()
    return {font for font in marked_by(text) if _readable(text, font) is not None}


def marked_by(text: str) -> set[str]:
    """The old fonts whose marks `text` has (read right or not), unless it reads as Unicode Vietnamese."""
    if not candidate(text):
        return set()
    # a vowel followed by a VNI mark ("aõ", "oâ"): Unicode never writes that, whatever the syllables look like
    fonts = (
        {VNI}
        if any(len(m.group(0)) > 1 and m.group(0) not in _UNICODE_PAIRS for m in _VNI_PATTERN.finditer(text))
        else set()
    )
    if not _reads_as_vietnamese(text, _SIGNS_IN_UNICODE):
        fonts |= {font for font in CONVERTERS if _marked(text, font)}
    return fonts


@dataclass
class Verdict:
    """What a table's text is typed in: `font` ("" for Unicode) and the cells to convert, or the cells that
    make it ambiguous."""

    font: str = ""
    converted: dict[tuple[int, int], str] = field(default_factory=dict)  # (row index, cell index) → Unicode
    examples: list[tuple[int, int, str, str]] = field(default_factory=list)  # (row, cell, before, after)
    ambiguous: list[tuple[int, int, str]] = field(default_factory=list)  # (row, cell, text)


def judge(cells: Iterable[tuple[int, int, str]]) -> Verdict:
    """The verdict on text cells (row index, cell index, text) of one table. Confident when the marked cells
    all read in one font (a cell both fonts read goes with the others); cells of a column holding marked
    cells that have no mark of their own ("Tô" = "Tụ" in TCVN3) are converted with them, unless that column
    also holds Unicode Vietnamese."""
    cells = [c for c in cells if c[2]]
    votes = {TCVN3: 0, VNI: 0}
    marked: list[tuple[int, int, str, set[str]]] = []
    for row, index, text in cells:
        fonts = fonts_of(text)
        if marked_by(text):
            marked.append((row, index, text, fonts))
            if len(fonts) == 1:
                votes[next(iter(fonts))] += 1
    verdict = Verdict()
    if not marked:
        return verdict
    if votes[TCVN3] and votes[VNI]:
        verdict.ambiguous = [(r, i, t) for r, i, t, fonts in marked if len(fonts) == 1][:6]
        return verdict
    if not votes[TCVN3] and not votes[VNI]:  # every marked text reads in both fonts, or in neither
        verdict.ambiguous = [(r, i, t) for r, i, t, _f in marked][:6]
        return verdict
    font = TCVN3 if votes[TCVN3] else VNI
    unreadable = [(r, i, t) for r, i, t, fonts in marked if font not in fonts]
    if unreadable:
        verdict.ambiguous = unreadable[:6]
        return verdict
    verdict.font = font
    columns = {i for _r, i, _t, _f in marked}
    unicode_columns = {i for _r, i, t in cells if _UNICODE_ONLY.search(t)}
    for row, index, text in cells:
        converted = None
        if marked_by(text) or (
            index in columns - unicode_columns and candidate(text) and _covered(text, font)
        ):
            converted = _readable(text, font)
        if converted is not None and converted != text:
            verdict.converted[(row, index)] = converted
            verdict.examples.append((row, index, text, converted))
    return verdict
