"""Scheme and size-class files, through the data-file pipeline (hoptac.core.datafiles): the shipped ones
load, loading is idempotent, and a wrong file is refused whole with messages that name the line, the key
path and the reason; `load_data scoring-schemes|size-classes` loads, checks (--dry-run) and refuses."""

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from hoptac.core import datafiles
from hoptac.core.datafiles import DataFileError
from hoptac.scoring import errors, services
from hoptac.scoring.data_kinds import UPLOAD_KINDS
from hoptac.scoring.loader import parse_size_rules
from hoptac.scoring.models import Criterion, Scheme, SizeClassRules

from .factories import SIZES, TT01, TT09, shipped_text

pytestmark = pytest.mark.django_db


def refused(text: str) -> list[str]:
    """The problems of a scheme or size-class file, as the scheme page loads it (told apart by `format`)."""
    with pytest.raises(DataFileError) as caught:
        datafiles.load(UPLOAD_KINDS, content=text, name="x.yaml")
    return caught.value.messages


def load_scheme(text: str, user=None) -> datafiles.Loaded:
    return datafiles.load("scoring-schemes", content=text, name="tt01_2020.yaml", user=user)


def test_shipped_files_load_and_reload_changes_nothing(schemes):
    assert set(schemes) == {"TT01_2020", "TT09_2017_NN", "TINH_2025"}
    assert SizeClassRules.objects.count() == 1
    tt01 = schemes["TT01_2020"]
    assert (tt01.year_from, tt01.year_to, tt01.kinds, tt01.total_points) == (
        2020,
        2024,
        ["htx", "lhhtx"],
        100,
    )
    assert not tt01.is_complete and not tt01.editable_by_province
    assert schemes["TINH_2025"].editable_by_province and schemes["TINH_2025"].year_to is None
    assert schemes["TT09_2017_NN"].sectors == ["agriculture"]
    count = Criterion.objects.count()
    results = [*datafiles.load_shipped("scoring-schemes"), *datafiles.load_shipped("size-classes")]
    assert len(results) == 4 and {r.status for r in results} == {"unchanged"}
    assert Criterion.objects.count() == count and Scheme.objects.count() == 3


def test_the_command_loads_given_files_and_the_shipped_ones(db):
    out = StringIO()
    call_command("load_data", "scoring-schemes", str(TT01), stdout=out)
    assert f"{TT01}: TT 01/2020/TT-BKHĐT (v1) — loaded" in out.getvalue()
    call_command("load_data", "scoring-schemes", "--shipped", stdout=out)
    assert Scheme.objects.count() == 3 and "TT 01/2020/TT-BKHĐT (v1) — unchanged" in out.getvalue()
    call_command("load_data", "size-classes", "--shipped", stdout=out)
    assert SizeClassRules.objects.count() == 1
    missing = TT01.with_name("missing.yaml")
    with pytest.raises(
        CommandError,
        match=f"The file {missing} was refused; nothing was loaded:\n  - file — /: file not found",
    ):
        call_command("load_data", "scoring-schemes", "--shipped", str(missing), stdout=out)


def test_the_command_refuses_a_wrong_file_whole(db, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(shipped_text(TT01).replace("max_points: 7", "max_points: 8"), encoding="utf-8")
    with translation.override("vi"), pytest.raises(CommandError) as caught:
        call_command("load_data", "scoring-schemes", str(bad), stdout=StringIO())
    assert f"Tệp {bad} bị từ chối, không nạp gì" in str(caught.value)
    assert "criteria[G1].children[TC1].max_points" in str(caught.value)
    assert not Scheme.objects.exists()


@pytest.mark.parametrize(
    ("kind", "path", "summary", "good", "bad", "expected"),
    [
        (
            "scoring-schemes",
            TT01,
            "TT 01/2020/TT-BKHĐT (v1)",
            "total_points: 100",
            "total_points: 90",
            "total_points: the criteria add up to 100 points, not to the total of 90",
        ),
        (
            "size-classes",
            SIZES,
            "Phân loại quy mô hợp tác xã (v1)",
            "{class: large, min: 1001}",
            "{class: huge, min: 1001}",
            ".by_members[0].class: “huge” is not one of: large, medium, small",
        ),
    ],
)
def test_the_command_shape_good_bad_and_dry_run(tmp_path, kind, path, summary, good, bad, expected):
    model = Scheme if kind == "scoring-schemes" else SizeClassRules
    out = StringIO()
    call_command("load_data", kind, str(path), "--dry-run", stdout=out)
    assert out.getvalue() == f"{path}: {summary} — no problem found (dry run: nothing was written)\n"
    assert not model.objects.exists() and not Criterion.objects.exists()
    text = shipped_text(path)
    assert good in text
    wrong = tmp_path / path.name
    wrong.write_text(text.replace(good, bad), encoding="utf-8")
    line = next(i for i, row in enumerate(wrong.read_text().splitlines(), start=1) if bad in row)
    for options in ([], ["--dry-run"]):
        with pytest.raises(CommandError) as caught:
            call_command("load_data", kind, str(wrong), *options, stdout=StringIO())
        lines = str(caught.value).splitlines()
        assert lines[0] == f"The file {wrong} was refused; nothing was loaded:"
        assert any(row.startswith(f"  - line {line} — ") and expected in row for row in lines[1:]), lines
    assert not model.objects.exists()
    call_command("load_data", kind, str(path), stdout=out)
    assert model.objects.count() == 1


@pytest.mark.parametrize(
    ("path", "real", "impossible"),
    [
        (TT01, "valid_to: 2025-09-17", "valid_to: 2025-02-30"),
        (SIZES, "valid_to: 2024-10-31", "valid_to: 2024-13-01"),
        (TT01, 'self_assessment: "12-15"', 'self_assessment: "02-30"'),
    ],
)
def test_an_impossible_date_is_a_problem_with_its_line(tmp_path, path, real, impossible):
    text = shipped_text(path)
    assert real in text
    wrong = tmp_path / path.name
    wrong.write_text(text.replace(real, impossible), encoding="utf-8")
    line = next(i for i, row in enumerate(wrong.read_text().splitlines(), start=1) if impossible in row)
    kind = "size-classes" if path == SIZES else "scoring-schemes"
    with pytest.raises(CommandError) as caught:
        call_command("load_data", kind, str(wrong), "--dry-run", stdout=StringIO())
    value = impossible.split(": ")[1].strip('"')
    assert f"  - line {line} — " in str(caught.value)
    assert f"“{value}” is not a valid" in str(caught.value)


def test_sums_that_do_not_add_up_are_refused_with_line_and_path():
    text = shipped_text(TT01).replace("max_points: 7", "max_points: 8")
    messages = refused(text)
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if "max_points: 8" in row)
    assert any(m.startswith(f"line {line} — criteria[G1].children[TC1].max_points:") for m in messages)
    assert str(errors.CHILDREN_SUM % {"sum": "7", "max": "8"}) in " ".join(messages)
    # The group now adds up to 31 of 30 as well.
    assert any("criteria[G1].max_points" in m and "31" in m for m in messages)


def test_the_total_must_be_reached_or_leave_room_for_the_pool():
    messages = refused(shipped_text(TT01).replace("total_points: 100", "total_points: 90"))
    assert any(m.endswith(str(errors.TOTAL_SUM % {"sum": "100", "total": "90"})) for m in messages)
    # TT 09/2017: criterion 1 and 2.a have 46 of 100; with a total of 46 nothing is left to share.
    messages = refused(shipped_text(TT09).replace("total_points: 100", "total_points: 46"))
    assert any(str(errors.TOTAL_LEAVES_NOTHING % {"sum": "46", "total": "46"}) in m for m in messages)


def test_bands_must_be_complete_ordered_and_cover_zero_to_total():
    text = shipped_text(TT01)
    assert str(errors.BANDS_ORDER) in " ".join(
        refused(text.replace("{band: fair, min: 65}", "{band: fair, min: 85}"))
    )
    assert str(errors.BANDS_SET) in " ".join(refused(text.replace("  - {band: weak, min: 0}\n", "")))
    assert str(errors.BANDS_BOTTOM) in " ".join(
        refused(text.replace("{band: weak, min: 0}", "{band: weak, min: 10}"))
    )
    messages = refused(text.replace("{band: good, min: 80}", "{band: good, min: 120}"))
    assert str(errors.BANDS_TOP % {"min": "120", "total": "100"}) in " ".join(messages)
    assert "“excellent” is not one of" in " ".join(refused(text.replace("band: good", "band: excellent")))


def test_codes_must_be_unique():
    messages = refused(shipped_text(TT01).replace("code: TC2b", "code: TC2a"))
    assert any("“TC2a” is used twice (first at line" in m for m in messages)


def test_dates_must_be_real_and_ordered():
    text = shipped_text(TT01)
    assert any(
        "“2025-02-30” is not a valid date" in m for m in refused(text.replace("2025-09-17", "2025-02-30"))
    )
    assert any(
        "“2025-13-01” is not a valid date" in m for m in refused(text.replace("2025-09-17", "2025-13-01"))
    )
    assert str(errors.DATES_ORDER) in " ".join(
        refused(text.replace("valid_to: 2025-09-17", "valid_to: 2019-01-01"))
    )
    assert any(
        "“1/4/2020” is not a valid date (write YYYY-MM-DD)" in m
        for m in refused(text.replace("2020-04-01", "1/4/2020"))
    )
    assert str(errors.YEARS_ORDER) in " ".join(
        refused(text.replace("{from: 2020, to: 2024}", "{from: 2020, to: 2019}"))
    )


def test_computable_rules_must_name_known_yearly_data():
    messages = refused(shipped_text(TT09).replace("metric: revenue\n", "metric: planned_revenue\n"))
    assert any("criteria[C1].children[C1b].rule.metric" in m and "“planned_revenue”" in m for m in messages)
    messages = refused(shipped_text(TT01).replace("hints: [total_assets, equity]", "hints: [funds]"))
    assert any("hints[0]" in m and "“funds”" in m for m in messages)


def test_rule_thresholds_must_follow_each_other_and_stay_under_the_maximum():
    text = shipped_text(TT09)
    gap = text.replace(
        "{from: 1_000_000_000, to: 5_000_000_000, points: 6",
        "{from: 2_000_000_000, to: 5_000_000_000, points: 6",
    )
    assert any("rule.bands[1]" in m and "without gap or overlap" in m for m in refused(gap))
    too_many = text.replace("{from: 10_000_000_000, points: 10,", "{from: 10_000_000_000, points: 11,")
    assert any(
        str(errors.RULE_POINTS_ABOVE_MAX % {"points": "11", "max": "10"}) in m for m in refused(too_many)
    )
    closed = text.replace("- {to: 1_000_000_000, points: 4", "- {from: 0, to: 1_000_000_000, points: 4")
    assert str(errors.RULE_OPEN_ENDS) in " ".join(refused(closed))


def test_missing_points_must_be_flagged_and_explained():
    text = shipped_text(TT09)
    unflagged = text.replace(
        '  - code: C5\n    number: "5"\n    name: Khen thưởng trong năm\n    max_points: null\n    to_be_completed_by_province: true\n',
        '  - code: C5\n    number: "5"\n    name: Khen thưởng trong năm\n    max_points: null\n',
    )
    assert unflagged != text
    assert str(errors.MAX_MISSING_NOT_FLAGGED) in " ".join(refused(unflagged))
    silent = text.replace("    note: Tổng điểm của tiêu chí 2 chưa thu thập được.\n", "")
    assert str(errors.TO_BE_COMPLETED_NEEDS_NOTE) in " ".join(refused(silent))


def test_shape_errors_name_the_key():
    text = shipped_text(TT01)
    messages = refused(
        text.replace("short_name: TT", "shortname: TT").replace("priority: 10", "priority: ten")
    )
    assert any(m.startswith("line 11 — shortname: unknown key “shortname” (allowed: ") for m in messages)
    assert any("the key “short_name” is missing" in m for m in messages)
    assert any("priority: expected a whole number, found a text" in m for m in messages)
    assert any("not valid YAML" in m for m in refused("a: [1"))
    assert any("unknown file format" in m for m in refused("format: other/1\ncode: X\n"))
    assert any("mapping of keys" in m for m in refused("- 1\n- 2\n"))


def test_messages_are_in_vietnamese():
    with translation.override("vi"):
        messages = refused(shipped_text(TT01).replace("max_points: 7", "max_points: 8"))
    assert any(
        m.startswith("dòng ") and "tổng điểm các tiểu mục là 7, không bằng điểm tối đa 8" in m
        for m in messages
    )


def test_size_class_file_checks():
    text = shipped_text(SIZES)
    assert parse_size_rules(text, "sizes.yaml").definition["rule_sets"][1]["code"] == "ND113_2024"
    no_housing = text.replace(
        "sectors: [trade, transport, housing, other]", "sectors: [trade, transport, other]"
    )
    assert any("housing" in m for m in refused(no_housing))
    twice = text.replace(
        "sectors: [trade, transport, housing, other]", "sectors: [trade, transport, housing, other, credit]"
    )
    assert any("“credit” is in two sector groups" in m for m in refused(twice))
    overlap = text.replace("valid_to: 2024-10-31", "valid_to: 2024-11-30")
    assert any("overlap" in m for m in refused(overlap))
    half = text.replace("{class: small, min_members: 50, min_revenue: 2_000_000_000, min_capital: 1_000_000_000}",
                        "{class: small, min_members: 50}")  # fmt: skip
    assert str(errors.SIZE_MISSING_THRESHOLDS) in " ".join(refused(half))
    upside = text.replace(
        "min_members: 200, min_revenue: 10_000_000_000", "min_members: 400, min_revenue: 10_000_000_000"
    )
    assert str(errors.SIZE_THRESHOLDS_ORDER) in " ".join(refused(upside))


def test_a_used_version_cannot_change_its_points_but_its_texts_can(schemes, people):
    services.assessment_create(user=people["province"], organisation=people["b"], year=2024)
    changed = shipped_text(TT01).replace("{band: fair, min: 65}", "{band: fair, min: 66}")
    with pytest.raises(ValidationError) as caught:
        load_scheme(changed)
    assert "TT01_2020" in caught.value.messages[0] and "1" in caught.value.messages[0]
    version_line = changed.splitlines().index("version: 1") + 1
    assert caught.value.messages[0].startswith(f"line {version_line} — version: ")
    renamed = shipped_text(TT01).replace("name: Trình độ cán bộ quản lý", "name: Trình độ của cán bộ quản lý")
    result = load_scheme(renamed)
    assert result.status == "updated"
    assert Criterion.objects.get(scheme__code="TT01_2020", code="TC7").name == "Trình độ của cán bộ quản lý"
    bumped = changed.replace("version: 1", "version: 2")
    assert load_scheme(bumped).status == "created"
    assert Scheme.objects.filter(code="TT01_2020").count() == 2


def test_only_provincial_officers_load_files_from_the_pages(people):
    with pytest.raises(PermissionDenied):
        load_scheme(shipped_text(TT01), user=people["commune"])
    assert load_scheme(shipped_text(TT01), user=people["province"]).status == "unchanged"
