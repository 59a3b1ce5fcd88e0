"""The data-file pipeline (hoptac.core.datafiles): reading a file with the line of every key, the schema's
problems in one wording, real dates, the registry of kinds, loading in one transaction or only checking
(dry run), and where the shipped files live (a checkout and an installed wheel)."""

import tomllib
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from hoptac.core import datafiles
from hoptac.core.datafiles import DATE, MONTH_DAY, DataFileError, DataKind, Loaded, Problems, parse

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["format", "name", "items"],
    "properties": {
        "format": {"const": "test/1"},
        "name": {"type": "string", "minLength": 1},
        "since": DATE,
        "every": MONTH_DAY,
        "count": {"type": "integer", "minimum": 1, "maximum": 9},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code"],
                "properties": {"code": {"type": "string"}, "kind": {"enum": ["a", "b"]}, "day": DATE},
            },
        },
    },
}
GOOD = """\
format: test/1
name: Nhóm thử
since: 2025-07-01
every: "12-15"
items:
  - code: X1
    day: 2024-02-29
  - code: X2
    kind: a
"""


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def refused(text: str, schema: dict = SCHEMA) -> list[str]:
    with pytest.raises(DataFileError) as caught:
        parse(text, schema, name="test.yaml")
    return caught.value.messages


def test_a_good_file_keeps_its_dates_as_text_and_knows_every_line():
    document = parse(GOOD, SCHEMA, name="test.yaml")
    assert document.data["since"] == "2025-07-01" and document.data["items"][0]["day"] == "2024-02-29"
    assert datafiles.to_date(document.data["since"]).isoformat() == "2025-07-01"
    assert document.line(("items", 1, "kind")) == 9
    assert document.line(("items", 1, "missing", "deeper")) == 8  # the nearest parent present
    assert document.readable(("items", 1, "kind")) == "items[X2].kind"


@pytest.mark.parametrize(
    ("wrong", "line", "path", "message"),
    [
        ("since: 2023-02-30", 3, "since", "“2023-02-30” is not a valid date (write YYYY-MM-DD)"),
        ("since: 2023-13-01", 3, "since", "“2023-13-01” is not a valid date (write YYYY-MM-DD)"),
        ("since: 1/7/2025", 3, "since", "“1/7/2025” is not a valid date (write YYYY-MM-DD)"),
        ("since: 20250701", 3, "since", "expected a text, found a whole number"),
        ("since: !!timestamp 2023-02-30", 3, "since", "“2023-02-30” is not a valid date (write YYYY-MM-DD)"),
        ('every: "02-30"', 4, "every", "“02-30” is not a valid day of the year (write MM-DD)"),
        ("    day: 2024-02-30", 7, "items[X1].day", "“2024-02-30” is not a valid date (write YYYY-MM-DD)"),
    ],
)
def test_an_impossible_date_is_a_problem_with_its_line_not_a_traceback(wrong, line, path, message):
    key = wrong.strip().split(":")[0]
    text = "\n".join(wrong if row.strip().startswith(f"{key}:") else row for row in GOOD.splitlines())
    assert text != GOOD
    assert refused(text) == [f"line {line} — {path}: {message}"]


def test_schema_problems_have_one_wording_and_their_line():
    text = (
        GOOD.replace("name: Nhóm thử\n", "")
        .replace("kind: a", "kind: c")
        .replace("since:", "sinse:")
        .replace("format: test/1", "format: test/2")
        + "count: ten\n"
    )
    assert refused(text) == [
        "line 1 — /: the key “name” is missing",
        "line 1 — format: must be test/1",
        "line 2 — sinse: unknown key “sinse” (allowed: count, every, format, items, name, since)",
        "line 8 — items[X2].kind: “c” is not one of: a, b",
        "line 9 — count: expected a whole number, found a text",
    ]
    assert refused(GOOD + "count: 12\n") == ["line 10 — count: must be at most 9"]
    assert refused(GOOD.replace("name: Nhóm thử", 'name: ""')) == ["line 2 — name: must not be empty"]


def test_a_file_that_is_not_yaml_or_not_a_mapping_is_refused_with_a_line():
    (message,) = refused("name: [1\n")
    assert message.startswith("line 2 — /: not valid YAML: ")
    assert refused("- 1\n- 2\n") == ["line 1 — /: the file is empty or is not a mapping of keys"]
    assert refused("") == ["line 1 — /: the file is empty or is not a mapping of keys"]
    with pytest.raises(DataFileError) as caught:
        parse("name: Nh\xf3m".encode("latin-1"), SCHEMA, name="test.yaml")
    assert caught.value.messages == ["file — /: The file must be UTF-8 text."]


def test_problems_are_collected_with_lines_and_codes_checked_once():
    text = GOOD.replace("code: X2", "code: X1")
    document = parse(text, SCHEMA, name="test.yaml")
    problems = Problems(document)
    assert problems.unique(("items",)) == {"X1"}
    problems.add(("since",), "too late")
    with pytest.raises(DataFileError) as caught:
        problems.raise_if_any()
    # Ordered by line; a DataFileError is a ValidationError, so pages and the API treat it as any refused input.
    assert isinstance(caught.value, ValidationError)
    assert caught.value.messages == [
        "line 3 — since: too late",
        "line 8 — items[X1].code: the code “X1” is used twice (first at line 6)",
    ]
    assert caught.value.describe() == (
        "The file test.yaml was refused; nothing was loaded:\n"
        "  - line 3 — since: too late\n"
        "  - line 8 — items[X1].code: the code “X1” is used twice (first at line 6)"
    )
    with translation.override("vi"):
        assert str(Problems(document).document.problem(("since",), "x")) == "dòng 3 — since: x"


def _load_groups(*, text: str, name: str, user=None) -> Loaded:
    document = parse(text, SCHEMA, name=name)
    problems = Problems(document)
    problems.unique(("items",))
    problems.raise_if_any()
    created = [Group.objects.get_or_create(name=item["code"])[1] for item in document.data["items"]]
    return Loaded(Group.objects.all(), datafiles.CREATED if any(created) else datafiles.UNCHANGED, "groups")


@pytest.fixture
def test_kind(monkeypatch):
    kinds = {
        **datafiles.kinds(),
        "test-groups": DataKind("test-groups", "test", _load_groups, format="test/1"),
    }
    monkeypatch.setattr(datafiles, "_KINDS", kinds)
    return kinds["test-groups"]


@pytest.mark.django_db
def test_load_writes_in_one_transaction_and_a_dry_run_writes_nothing(test_kind):
    before = Group.objects.count()
    checked = datafiles.load("test-groups", content=GOOD, name="g.yaml", dry_run=True)
    assert (checked.kind, checked.name, checked.status) == ("test-groups", "g.yaml", "created")
    assert Group.objects.count() == before
    assert datafiles.load("test-groups", content=GOOD.encode(), name="g.yaml").status == "created"
    assert set(Group.objects.values_list("name", flat=True)) >= {"X1", "X2"}
    assert datafiles.load("test-groups", content=GOOD, name="g.yaml").status == "unchanged"


@pytest.mark.django_db
def test_a_file_is_told_apart_by_its_format(test_kind):
    scheme_format = datafiles.get_kind("scoring-schemes").format
    kinds = ["test-groups", "scoring-schemes"]
    assert datafiles.detect(GOOD, "g.yaml", kinds) is test_kind
    with pytest.raises(DataFileError) as caught:
        datafiles.detect(GOOD.replace("test/1", "other/1"), "g.yaml", kinds)
    assert caught.value.messages == [
        f"line 1 — format: unknown file format “other/1”; expected one of: test/1, {scheme_format}"
    ]
    # A kind with a format refuses another kind's file on its format alone, not on each of its keys.
    with pytest.raises(DataFileError) as caught:
        datafiles.load("scoring-schemes", content=GOOD, name="g.yaml")
    assert caught.value.messages == [
        f"line 1 — format: unknown file format “test/1”; expected one of: {scheme_format}"
    ]


def test_every_kind_is_registered_with_its_shipped_folder():
    assert list(datafiles.kinds()) == [
        "agencies",
        "import-vocabulary",
        "plans",
        "scoring-schemes",
        "size-classes",
    ]
    for name in datafiles.kinds():
        assert datafiles.shipped_files(name), name
        assert all(path.parent == settings.HOPTAC_DATA_DIR / name for path in datafiles.shipped_files(name))
    with pytest.raises(LookupError, match="unknown data-file kind 'nope'"):
        datafiles.get_kind("nope")


def test_the_shipped_files_are_in_the_checkout_and_in_an_installed_wheel():
    assert settings.HOPTAC_DATA_DIR == settings.BASE_DIR / "data"
    pyproject = tomllib.loads((settings.BASE_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    data_files = pyproject["tool"]["setuptools"]["data-files"]
    assert data_files == {f"share/hoptac/data/{name}": [f"data/{name}/*.yaml"] for name in datafiles.kinds()}
    # Nothing shipped hides outside a kind's folder (or under another extension).
    shipped = {p for p in settings.HOPTAC_DATA_DIR.rglob("*") if p.is_file()}
    assert shipped == {p for name in datafiles.kinds() for p in datafiles.shipped_files(name)}


@pytest.mark.django_db
def test_the_command_refuses_an_unknown_kind_and_nothing_to_load():
    with pytest.raises(CommandError, match="invalid choice: 'nope'"):
        call_command("load_data", "nope", "x.yaml")
    with pytest.raises(CommandError, match="Give the files to load, or --shipped for the shipped ones."):
        call_command("load_data", "plans", stdout=StringIO())
