"""Every UI string has a Vietnamese translation, and the compiled catalogue is the one in use."""

import re
from pathlib import Path

import pytest
from django.utils import translation

PACKAGE = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(PACKAGE.glob("**/locale/vi/LC_MESSAGES/django.po"))


def _entries(po: Path) -> list[tuple[str, str, str]]:
    """(flags, msgid, msgstr) of each entry, multi-line strings joined."""
    entries = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        flags = " ".join(line for line in block.splitlines() if line.startswith("#,"))
        msgid = "".join(re.findall(r'^(?:msgid|msgid_plural)?\s*"(.*)"$', block.split("msgstr")[0], re.M))
        msgstr = "".join(re.findall(r'"(.*)"', block.split("msgstr", 1)[1])) if "msgstr" in block else ""
        if "msgid" in block:
            entries.append((flags, msgid, msgstr))
    return entries


def test_project_catalogue_is_complete():
    assert len([e for e in _entries(PACKAGE / "locale/vi/LC_MESSAGES/django.po") if e[1]]) > 200


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_catalogue_has_no_fuzzy_or_empty_translation(po):
    entries = [e for e in _entries(po) if e[1]]
    assert [e[1] for e in entries if "fuzzy" in e[0]] == []
    assert [e[1] for e in entries if not e[2]] == []


def test_compiled_catalogue_is_used():
    with translation.override("vi"):
        assert translation.gettext("Cooperative (HTX)") == "Hợp tác xã (HTX)"
        assert translation.gettext("Not yet reorganised under the Law") == "Chưa tổ chức lại theo Luật HTX"
