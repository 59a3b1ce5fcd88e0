"""Benchmark (decision 0050): the pages showing plan figures as the national readers, in three modes —

- "cold": the Django cache emptied before each request (with durable points: the points stored);
- "after a write": a yearly report of the newest data year saved (committed) before each request — the
  realistic first view after a change: the data version and the clock of that year move;
- "no points": the cache and the plan points emptied before each request (after a plan or map change, or a
  deploy that changes the engine) — the same as "cold" for a checkout without durable points.

Run it from the root of a checkout (an older checkout gives the "before" figures on the same database; alternate
the two, several times, on a shared machine):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hoptac_points_nat BENCH_REPEAT=3 \\
        .venv/bin/python /path/to/benchmarks/plan_points.py /tmp/points-after.json after

BENCH_OFFICER (default tinh_19), BENCH_READER (default quocgia), BENCH_PLAN (default nq20-tinh-19),
BENCH_MODES (default all three) and BENCH_PAGES (names) choose what is measured.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path.cwd() / "benchmarks"))
import page_costs  # noqa: E402,F401  (sets Django up for the checkout in the cwd)
from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from measuring import summarise  # noqa: E402

from hoptac.accounts.models import User  # noqa: E402
from hoptac.plans import models as plan_models  # noqa: E402
from hoptac.plans.indicators import data_year_for  # noqa: E402
from hoptac.registry.models import YearlyReport  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
OFFICER = os.environ.get("BENCH_OFFICER", "tinh_19")
READER = os.environ.get("BENCH_READER", "quocgia")
PLAN = os.environ.get("BENCH_PLAN", "nq20-tinh-19")
MODES = [m for m in os.environ.get("BENCH_MODES", "cold,after a write,no points").split(",") if m]
ONLY = {name.strip() for name in os.environ.get("BENCH_PAGES", "").split(",") if name.strip()}
PlanPoint = getattr(plan_models, "PlanPoint", None)  # None in a checkout without durable points


def pages() -> list[tuple[str, str, str]]:
    plan = plan_models.Plan.objects.get(code=PLAN)
    return [
        ("desk", OFFICER, "/"),
        ("/plans/", OFFICER, "/plans/"),
        ("plan page", OFFICER, f"/plans/{PLAN}/"),
        ("plan target", OFFICER, f"/plans/{PLAN}/targets/2030.HTX/"),
        ("plan targets API", OFFICER, f"/api/v1/plans/{plan.pk}/targets/"),
        ("desk (whole country)", READER, "/"),
        ("/plans/ (whole country)", READER, "/plans/"),
    ]


WRITES = [0]  # how many writes so far: odd after a +1 not yet taken back


def a_write(report_pk: int) -> None:
    """A committed save of a report of the newest data year (its workers one more, then one fewer)."""
    with transaction.atomic():
        YearlyReport.objects.unrestricted("benchmark").filter(pk=report_pk).update(
            workers=F("workers") + (1 if WRITES[0] % 2 == 0 else -1)
        )
    WRITES[0] += 1


def prepare(mode: str, report_pk: int) -> None:
    if mode == "cold":
        cache.clear()
    elif mode == "after a write":
        a_write(report_pk)
    else:
        cache.clear()
        if PlanPoint is not None:
            PlanPoint.objects.all().delete()


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    label = sys.argv[2] if len(sys.argv) > 2 else "current"
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    setup_test_environment()
    import time

    from django.utils import timezone

    year = data_year_for(timezone.localdate())
    report_pk = (
        YearlyReport.objects.unrestricted("benchmark")
        .filter(year=year, state="accepted")
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    assert report_pk, f"no accepted report of {year}"
    clients: dict[str, Client] = {}
    rows = []
    for name, username, url in pages():
        if ONLY and name not in ONLY:
            continue
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        client = clients[username]
        client.get(url)  # warm-up (and, with durable points, every point stored)
        row: dict = {"page": name, "user": username, "url": url}
        for mode in MODES:
            runs = []
            for _ in range(REPEAT):
                prepare(mode, report_pk)
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    response = client.get(url)
                    runs.append(time.perf_counter() - start)
                assert response.status_code == 200, (url, response.status_code)
            row[mode] = {**summarise(runs), "queries": len(captured.captured_queries)}
        print(
            f"{label:7} {name:26}"
            + "".join(
                f" | {mode}: {row[mode]['median_ms']:>7} ms ({row[mode]['queries']} q)" for mode in MODES
            ),
            flush=True,
        )
        rows.append(row)
    if WRITES[0] % 2:  # the report's workers back to their value
        a_write(report_pk)
    if out:
        out.write_text(json.dumps({"label": label, "repeat": REPEAT, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
