"""Benchmark: each demo role's desk (the home page at /) against the registry list (/registry/) as the
same user, measured in the same run: median and p95 of the answer time and the number of queries.

Run with `make bench` (a scratch SQLite database under benchmarks/.work/, loaded with the demo data when
empty), or on a database that already holds the demo: `DATABASE_URL=… .venv/bin/python benchmarks/desk_pages.py`.
Writes benchmarks/results/desk-pages.json and .md. The plans' verdicts are the plans app's evaluation (one per
plan) and dominate the officers' and the viewer's desks."""

import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoptac.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from hoptac.accounts.models import User  # noqa: E402
from hoptac.registry.models import Organisation  # noqa: E402

USERS = ["tinh", "xa_haihau", "daidien", "xem"]
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
PAGES = {"desk": "/", "registry list (baseline)": "/registry/"}


def _load_demo() -> None:
    call_command("migrate", verbosity=0)
    if Organisation.objects.exists():
        return
    call_command("load_admin_units", verbosity=0)
    call_command("load_demo", verbosity=0)
    for kind in ("plans", "scoring-schemes", "size-classes", "agencies", "import-vocabulary"):
        call_command("load_data", kind, "--shipped", verbosity=0)
    call_command("load_demo_scoring", verbosity=0)
    call_command("load_demo_tasks", verbosity=0)
    call_command("demo_logins", verbosity=0)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _measure(client: Client, url: str) -> dict:
    client.get(url)  # the first answer fills the caches
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(_p95(times), 1),
        "queries": len(captured),
        "bytes": len(response.content),
    }


def main() -> None:
    settings.ALLOWED_HOSTS = ["*"]
    _load_demo()
    rows = []
    for username in USERS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for page, url in PAGES.items():
            row = {"user": username, "page": page, "url": url, **_measure(client, url)}
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False))
    # The part of the plans' verdicts (plans.selectors.plan_evaluate per plan, as on the plan list).
    from django.utils import timezone

    from hoptac.desk.selectors import plan_summaries

    plan_summaries(today=timezone.localdate())
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        plan_summaries(today=timezone.localdate())
        times.append((time.perf_counter() - start) * 1000)
    verdicts = {"median_ms": round(statistics.median(times), 1), "p95_ms": round(_p95(times), 1)}
    print(json.dumps({"plans' verdicts alone": verdicts}))
    out = ROOT / "benchmarks" / "results"
    meta = {
        "what": "each demo role's desk against the registry list as the same user, same run",
        "repeat": REPEAT,
        "database": connection.vendor,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "rows": rows,
        "plan_verdicts_alone": verdicts,
    }
    (out / "desk-pages.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
    lines = [
        "# The desk (home page) against the registry list",
        "",
        f"Django test client, {REPEAT} answers each after a first one; {connection.vendor}; same run.",
        "",
        "| user | page | median (ms) | p95 (ms) | queries | bytes |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['user']} | {row['page']} | {row['median_ms']} | {row['p95_ms']} | {row['queries']} | "
            f"{row['bytes']} |"
        )
    lines += [
        "",
        f"Of the officers' and the reader's desks, the plans' verdicts alone (every plan evaluated as on the plan "
        f"list): median {verdicts['median_ms']} ms, p95 {verdicts['p95_ms']} ms. The rest of the desk (queues, "
        "overdue reports, missing data, imports) is a fixed number of queries (hoptac/tests/test_desk_queries.py).",
    ]
    (out / "desk-pages.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
