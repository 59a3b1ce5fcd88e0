"""Every UI string has a Vietnamese translation, and the compiled catalogue is the one in use."""

import re
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def _entries() -> list[tuple[str, str, str]]:
    """(flags, msgid, msgstr) of each entry, multi-line strings joined."""
    entries = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        flags = " ".join(line for line in block.splitlines() if line.startswith("#,"))
        msgid = "".join(re.findall(r'^(?:msgid|msgid_plural)?\s*"(.*)"$', block.split("msgstr")[0], re.M))
        msgstr = "".join(re.findall(r'"(.*)"', block.split("msgstr", 1)[1])) if "msgstr" in block else ""
        if "msgid" in block:
            entries.append((flags, msgid, msgstr))
    return entries


def test_catalogue_has_no_fuzzy_or_empty_translation():
    entries = [e for e in _entries() if e[1]]
    assert len(entries) > 200
    assert [e[1] for e in entries if "fuzzy" in e[0]] == []
    assert [e[1] for e in entries if not e[2]] == []


def test_compiled_catalogue_is_used():
    with translation.override("vi"):
        assert translation.gettext("Cooperative (HTX)") == "Hợp tác xã (HTX)"
        assert translation.gettext("Not yet reorganised under the Law") == "Chưa tổ chức lại theo Luật HTX"
