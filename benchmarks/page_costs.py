"""Benchmark: what each page of the load scenario costs, one request at a time — its SQL queries (count and
database time) and its time (median of BENCH_REPEAT requests), through Django's test client with production
settings (DEBUG off), on the database DATABASE_URL names (the load test's registry, demo × 10:
scripts/bench_load.sh prepares it in `hoptac_load`).

Cached pages are measured twice: "cold" (the cache emptied before each request: what the first request after
a change of the data costs) and "warm" (what every other request costs). Run the same script on an older
checkout for a "before" figure (benchmarks/README.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hoptac_load .venv/bin/python benchmarks/page_costs.py \
        benchmarks/results/page-costs.json [label]
"""

import html
import json
import os
import platform
import re
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path.cwd()  # the checkout measured (run from its root)
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoptac.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("DJANGO_CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("STATIC_ROOT", str(ROOT / "benchmarks/.work/static"))

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from hoptac.accounts.models import User  # noqa: E402
from hoptac.registry.models import Organisation  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
PLAN = "nam-dinh-139-kh-ubnd-2022"
PAGES = [
    # (name, user, url, cached by data version)
    ("registry list", "tinh", "/registry/?page=3", True),
    ("registry search", "tinh", "/registry/?q=nông nghiệp", True),
    ("organisation detail", "tinh", "/registry/{org}/", False),
    ("yearly data list", "tinh", "/registry/years/", True),
    ("/plans/", "tinh", "/plans/", True),
    ("plan page", "tinh", f"/plans/{PLAN}/", True),
    ("plan target", "tinh", f"/plans/{PLAN}/targets/2030.HTX/", True),
    ("plan targets API", "tinh", "/api/v1/plans/{plan}/targets/", True),
    ("/scoring/", "tinh", "/scoring/", False),
    ("/tasks/", "tinh", "/tasks/", True),
    ("registry list (commune)", "xa_haihau", "/registry/", True),
    ("plan page (commune)", "xa_haihau", f"/plans/{PLAN}/", True),
    ("plan export (.xlsx)", "tinh", f"/plans/{PLAN}/export.xlsx", True),
    ("registry export (.xlsx, commune)", "xa_haihau", "/registry/export.xlsx", True),
    # Page 50 of a list, reached by following its "next" links (page numbers or cursors alike).
    ("registry list page 50", "tinh", "/registry/#next49", True),
    ("yearly data list page 50", "tinh", "/registry/years/#next49", True),
    ("yearly data list by revenue", "tinh", "/registry/years/?sort=-revenue", True),
    ("registry search (code)", "tinh", "/registry/?q=0710", True),
]
# BENCH_PAGES="registry list,yearly data list": only the pages named (all when unset).
ONLY = {name.strip() for name in os.environ.get("BENCH_PAGES", "").split(",") if name.strip()}
NEXT_LINK = re.compile(r'<a href="([^"]*)" rel="next"')


def follow_next(client: Client, url: str) -> str:
    """`/path/#nextN`: the URL reached from /path/ by following the page's "next" link N times."""
    path, _, steps = url.partition("#next")
    for _ in range(int(steps)):
        page = client.get(path).content.decode()
        match = NEXT_LINK.search(page)
        assert match, f"no next link on {path}"
        query = html.unescape(match.group(1))
        path = path.split("?")[0] + query if query.startswith("?") else query
    return path


def measure(client: Client, url: str, *, cold: bool) -> dict:
    runs, cpu = [], []
    for _ in range(REPEAT):
        if cold:
            cache.clear()
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        runs.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        assert response.status_code == 200, f"{url}: {response.status_code}"
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return {
        "median_ms": round(1000 * statistics.median(runs), 1),
        "max_ms": round(1000 * max(runs), 1),
        # The web process's own CPU time (Python: ORM, templates, workbooks; the database's work is in
        # sql_ms): much less disturbed than wall time by other processes on the same cores.
        "python_cpu_ms": round(1000 * statistics.median(cpu), 1),
        "queries": len(captured),
        "sql_ms": round(sum(float(q["time"]) for q in captured.captured_queries) * 1000, 1),
    }


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    label = sys.argv[2] if len(sys.argv) > 2 else "current"
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    setup_test_environment()
    from hoptac.plans.models import Plan

    plan = Plan.objects.get(code=PLAN)
    org = Organisation._base_manager.order_by("pk").values_list("pk", flat=True)[100]
    clients: dict[str, Client] = {}
    rows = []
    for name, username, url, cached in PAGES:
        if ONLY and name not in ONLY:
            continue
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        client = clients[username]
        url = url.format(org=org, plan=plan.pk)
        if "#next" in url:
            url = follow_next(client, url)
        client.get(url)  # warm-up (imports, templates, connection)
        row = {"page": name, "user": username, "url": url}
        row["cold"] = measure(client, url, cold=True)
        row["warm"] = measure(client, url, cold=False) if cached else row["cold"]
        print(
            f"{name:34} cold {row['cold']['median_ms']:>8} ms ({row['cold']['python_cpu_ms']:>7} cpu) "
            f"{row['cold']['queries']:>3} q | warm {row['warm']['median_ms']:>8} ms "
            f"({row['warm']['python_cpu_ms']:>7} cpu) {row['warm']['queries']:>3} q",
            flush=True,
        )
        rows.append(row)
    result = {
        "label": label,
        "database": connection.vendor,
        "organisations": Organisation._base_manager.count(),
        "repeat": REPEAT,
        "load_average_1_5_15_min_at_end": [round(x, 2) for x in os.getloadavg()],
        "machine": f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} cores",
        "pages": rows,
    }
    if out is not None:
        out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def table(before_json: str, after_json: str) -> str:
    """A Markdown table of two runs (`python benchmarks/page_costs.py --table before.json after.json`)."""
    before = {p["page"]: p for p in json.loads(Path(before_json).read_text(encoding="utf-8"))["pages"]}
    after = json.loads(Path(after_json).read_text(encoding="utf-8"))
    lines = [
        "| page | before: median ms (queries, SQL ms, web CPU ms) | after, cold | after, warm | warm ÷ before |",
        "|---|---|---|---|---|",
    ]
    for page in after["pages"]:
        b = before.get(page["page"])
        cold, warm = page["cold"], page["warm"]

        def cell(m: dict) -> str:
            return f"{m['median_ms']:g} ({m['queries']} q, {m['sql_ms']:g}, {m.get('python_cpu_ms', '—')})"

        ratio = f"{warm['median_ms'] / b['cold']['median_ms']:.2f}" if b else "—"
        lines.append(
            f"| {page['page']} | {cell(b['cold']) if b else '—'} | {cell(cold)} | {cell(warm)} | {ratio} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--table"]:
        print(table(sys.argv[2], sys.argv[3]))
    else:
        main()
