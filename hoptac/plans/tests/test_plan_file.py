"""Plan files: the shipped Plan 139 loads and quotes the plan exactly; wrong files are refused whole with
the line, the key and the reason; loading again updates; `load_data plans` loads, checks (--dry-run) and
refuses with one line per problem."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from hoptac.core.datafiles import DataFileError, load_path
from hoptac.plans.models import Plan, PlanTask, Target
from hoptac.plans.services import plan_load

pytestmark = pytest.mark.django_db
PLAN_139 = settings.HOPTAC_DATA_DIR / "plans" / "nam-dinh-139-KH-UBND-2022.yaml"
# The plan's official text, kept with the project (docs/sources/) so that the plan file is checked against it.
SEED = settings.BASE_DIR / "docs" / "sources" / "KH-139-UBND-2022-Nam-Dinh.txt"
TEST_PLAN = Path(__file__).parent / "plans" / "ninh-binh-test-plan.yaml"


def plan_load_file(*, path: Path) -> Plan:
    return load_path("plans", path).obj


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_plan_139_loads_with_every_target_of_the_seed():
    plan = plan_load_file(path=PLAN_139)
    assert (plan.number, plan.issued_on.isoformat(), plan.signer) == (
        "139/KH-UBND",
        "2022-10-13",
        "Trần Anh Dũng",
    )
    assert [a.code for a in plan.scope_areas.all()] == ["36"] and plan.scope_map == "legacy"
    codes = set(plan.targets.values_list("code", flat=True))
    assert {
        "2030.HTX",
        "2030.LHHTX",
        "2030.THT-MOI",
        "2030.HTX-XU-LY",
        "2030.TOT-KHA",
        "2030.TOT-KHA-CHUOI",
        "2030.CNC",
        "2045.DAN-SO",
        "2045.QUY-MO",
        "2045.HIEU-QUA",
        "2045.HIEU-QUA-CHUOI",
        "2045.CHUYEN-DOI-SO",
        "NN.HTX",
        "NN.THT",
        "NN.LHHTX",
        "NN.CHUOI",
        "NN.CNC-TXNG",
    } == codes
    assert plan.tasks.count() == 3 and not PlanTask.objects.filter(assignment_known=True).exists()


def test_every_target_quotes_the_plan_exactly():
    seed = _squash(SEED.read_text(encoding="utf-8"))
    plan = plan_load_file(path=PLAN_139)
    for target in plan.targets.all():
        assert _squash(target.text) in seed, target.code
    for task in plan.tasks.all():
        assert _squash(task.text) in seed, task.code


def test_loading_again_updates_instead_of_duplicating():
    plan_load_file(path=PLAN_139)
    text = PLAN_139.read_text(encoding="utf-8").replace(
        "value: 700, tolerance: 35", "value: 710, tolerance: 35"
    )
    plan_load(text=text)
    assert (
        Plan.objects.count() == 1
        and Target.objects.filter(plan__code="nam-dinh-139-kh-ubnd-2022").count() == 17
    )
    assert Target.objects.get(code="2030.HTX").value == 710


def test_a_wrong_file_is_refused_whole_with_lines_and_reasons():
    text = TEST_PLAN.read_text(encoding="utf-8")
    broken = (
        text.replace(
            "kinds: [htx]}}, target: {comparator: at_least, value: 3}",
            "kinds: [hxt]}}, target: {comparator: at_least, value: 3}",
        )
        .replace("comparator: about, value: 50, tolerance: 5", "comparator: about, value: 50")
        .replace("targets: [C1]", "targets: [C9]")
    )
    with pytest.raises(DataFileError) as exc:
        plan_load(text=broken)
    messages = [str(p) for p in exc.value.problems]
    assert any("targets[C1].indicator.population.kinds[0]" in m and "“hxt”" in m for m in messages), messages
    assert all(p.line for p in exc.value.problems)
    assert not Plan.objects.exists()
    # The schema passes once the kind is fixed; the cross-checks then name each remaining problem.
    with pytest.raises(DataFileError) as exc:
        plan_load(text=broken.replace("[hxt]", "[htx]"))
    paths = {p.path for p in exc.value.problems}
    assert paths == {"targets[R1].target", "tasks[NV1].targets[0]"}
    assert not Plan.objects.exists()


def test_unknown_area_code_refuses_the_file():
    text = TEST_PLAN.read_text(encoding="utf-8").replace('areas: ["37"]', 'areas: ["99"]')
    with pytest.raises(DataFileError) as exc:
        plan_load(text=text)
    assert exc.value.problems[0].path == "plan.scope.areas[0]" and exc.value.problems[0].line == 13
    assert not Plan.objects.exists()


@pytest.mark.parametrize(
    "bad,expected",
    [
        ("schema_version: 1\nplan: [", "YAML"),
        ("", "empty"),
        ("schema_version: 2\nplan: {}\nsections: []\ntargets: []\ntasks: []\n", "schema_version"),
    ],
)
def test_malformed_files(bad, expected):
    with translation.override("en"), pytest.raises(DataFileError) as exc:
        plan_load(text=bad)
    assert expected in str(exc.value) or any(expected in p.path for p in exc.value.problems)


def test_command_loads_and_reports_errors_in_vietnamese(tmp_path, capsys):
    with translation.override("vi"):
        call_command("load_data", "plans", str(TEST_PLAN))
    assert (
        f"{TEST_PLAN}: kế hoạch 99/KH-UBND: 1 mục, 8 chỉ tiêu, 1 nhiệm vụ — đã nạp" in capsys.readouterr().out
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        TEST_PLAN.read_text(encoding="utf-8").replace("deadline_year: 2030", "deadline_year: 2000", 1)
    )
    with translation.override("vi"), pytest.raises(CommandError) as exc:
        call_command("load_data", "plans", str(bad))
    assert str(exc.value).splitlines() == [
        f"Tệp {bad} bị từ chối, không nạp gì:",
        "  - dòng 27 — targets[C1].deadline_year: năm đích sớm hơn năm gốc",
    ]


def test_command_dry_run_checks_everything_and_writes_nothing(tmp_path):
    out = StringIO()
    with translation.override("en"):
        call_command("load_data", "plans", "--dry-run", str(TEST_PLAN), stdout=out)
    assert out.getvalue() == (
        f"{TEST_PLAN}: plan 99/KH-UBND: 1 sections, 8 targets, 1 tasks — no problem found (dry run: nothing was "
        "written)\n"
    )
    assert not Plan.objects.exists() and not Target.objects.exists()
    # The checks that need the database run too: an unknown area is reported, nothing is written.
    bad = tmp_path / "bad.yaml"
    bad.write_text(TEST_PLAN.read_text(encoding="utf-8").replace('areas: ["37"]', 'areas: ["99"]'))
    with translation.override("en"), pytest.raises(CommandError) as exc:
        call_command("load_data", "plans", "--dry-run", str(bad), stdout=out)
    assert "  - line 13 — plan.scope.areas[0]: no administrative unit has the code '99'" in str(exc.value)
    assert not Plan.objects.exists()


@pytest.mark.parametrize("impossible", ["2022-02-30", "2022-13-01"])
def test_an_impossible_date_is_a_problem_with_its_line(tmp_path, impossible):
    text = PLAN_139.read_text(encoding="utf-8")
    assert "issued_on: 2022-10-13" in text
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("issued_on: 2022-10-13", f"issued_on: {impossible}"), encoding="utf-8")
    line = text.splitlines().index("  issued_on: 2022-10-13") + 1
    with translation.override("en"), pytest.raises(CommandError) as exc:
        call_command("load_data", "plans", str(bad), stdout=StringIO())
    assert f"  - line {line} — plan.issued_on: “{impossible}” is not a valid date (write YYYY-MM-DD)" in str(
        exc.value
    )
    assert not Plan.objects.exists()


def test_the_shipped_plans_are_every_file_of_the_plans_folder():
    out = StringIO()
    call_command("load_data", "plans", "--shipped", stdout=out)
    assert [line.split(":")[0] for line in out.getvalue().splitlines()] == [
        str(p) if not p.is_relative_to(Path.cwd()) else str(p.relative_to(Path.cwd()))
        for p in sorted(PLAN_139.parent.glob("*.yaml"))
    ]
    assert Plan.objects.filter(code="nam-dinh-139-kh-ubnd-2022").exists()


def test_a_task_being_followed_up_cannot_be_dropped_from_the_file():
    from hoptac.accounts.models import Role
    from hoptac.accounts.tests.factories import UserFactory
    from hoptac.tasks.models import TaskAssignment

    plan = plan_load_file(path=TEST_PLAN)
    task = plan.tasks.get(code="NV1")
    TaskAssignment.objects.create(plan_task=task, **_assignment_defaults(UserFactory(role=Role.PROVINCE)))
    text = TEST_PLAN.read_text(encoding="utf-8")
    without_task = text[: text.index("tasks:")] + "tasks: []\n"
    with translation.override("en"), pytest.raises(DataFileError) as exc:
        plan_load(text=without_task)
    assert "NV1" in str(exc.value)
    assert plan.tasks.filter(code="NV1").exists()


def _assignment_defaults(user):
    from hoptac.tasks.models import TaskAssignment

    required = {}
    for field in TaskAssignment._meta.concrete_fields:
        if field.name in ("id", "plan_task") or field.has_default() or field.null or field.blank:
            continue
        if field.name.endswith("_by"):
            required[field.name] = user
    return required
