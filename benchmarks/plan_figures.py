"""Benchmark: the pages that show plan figures, cold (the cache emptied before each request) and warm, as the
readers of the national registry (decision 0044): the provincial officer of the largest province, a commune
officer of that province and a whole-country reader (a provincial account naming no area). Each page through
benchmarks/page_costs.py's `measure` (median, p95, the web process's CPU, queries and their database time).

Run it from the root of the checkout to measure (an older checkout gives the "before" figure on the same
database, one run right after the other):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hoptac_bench_national BENCH_REPEAT=3 \\
        .venv/bin/python benchmarks/plan_figures.py benchmarks/results/plan-figures-national-after.json after

BENCH_OFFICER (default tinh_19), BENCH_COMMUNE_OFFICER (default: the first commune officer of that province),
BENCH_READER (default quocgia), BENCH_PLAN (default nq20-tinh-19) and BENCH_NATIONAL_PLAN (default the plan of
NQ 20-NQ/TW) name who and what; BENCH_PAGES limits the pages by name.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd() / "benchmarks"))
from django.db import connection  # noqa: E402
from page_costs import REPEAT, measure_pages  # noqa: E402  (sets Django up for the checkout in the cwd)

from hoptac.accounts.models import User  # noqa: E402
from hoptac.plans.models import Plan  # noqa: E402
from hoptac.registry.models import Organisation  # noqa: E402

OFFICER = os.environ.get("BENCH_OFFICER", "tinh_19")
READER = os.environ.get("BENCH_READER", "quocgia")
PLAN = os.environ.get("BENCH_PLAN", "nq20-tinh-19")
NATIONAL_PLAN = os.environ.get("BENCH_NATIONAL_PLAN", "nq-20-nq-tw-2022-kinh-te-tap-the")
ONLY = {name.strip() for name in os.environ.get("BENCH_PAGES", "").split(",") if name.strip()}


def commune_officer() -> str:
    """A commune officer of the officer's province (the first by name)."""
    officer = User.objects.get(username=OFFICER)
    provinces = officer.areas.values("pk")
    found = (
        User.objects.filter(username__startswith="xa_", areas__province__in=provinces)
        .order_by("username")
        .values_list("username", flat=True)
        .first()
    )
    assert found, f"no commune officer in {OFFICER}'s province"
    return found


def pages(commune: str, plan: Plan) -> list[tuple[str, str, str]]:
    return [
        ("desk", OFFICER, "/"),
        ("/plans/", OFFICER, "/plans/"),
        ("plan page", OFFICER, f"/plans/{PLAN}/"),
        ("plan target", OFFICER, f"/plans/{PLAN}/targets/2030.HTX/"),
        ("plan targets API", OFFICER, f"/api/v1/plans/{plan.pk}/targets/"),
        ("plan export (.xlsx)", OFFICER, f"/plans/{PLAN}/export.xlsx"),
        ("national plan page", OFFICER, f"/plans/{NATIONAL_PLAN}/"),
        ("desk (commune)", commune, "/"),
        ("plan page (commune)", commune, f"/plans/{PLAN}/"),
        ("desk (whole country)", READER, "/"),
        ("/plans/ (whole country)", READER, "/plans/"),
        ("national plan page (whole country)", READER, f"/plans/{NATIONAL_PLAN}/"),
    ]


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    label = sys.argv[2] if len(sys.argv) > 2 else "current"
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    call_command("collectstatic", interactive=False, verbosity=0)
    setup_test_environment()
    plan = Plan.objects.get(code=PLAN)
    commune = os.environ.get("BENCH_COMMUNE_OFFICER") or commune_officer()
    rows = measure_pages(pages(commune, plan), only=ONLY)
    result = {
        "label": label,
        "database": connection.settings_dict["NAME"],
        "organisations": Organisation._base_manager.count(),
        "repeat": REPEAT,
        "load_average_1_5_15_min_at_end": [round(x, 2) for x in os.getloadavg()],
        "pages": rows,
    }
    if out is not None:
        out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
