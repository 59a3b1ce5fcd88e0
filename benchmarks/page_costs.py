"""Benchmark: what each page of the load scenario costs, one request at a time — its SQL queries (count and
database time) and its time (median of BENCH_REPEAT requests), through Django's test client with production
settings (DEBUG off), on the database DATABASE_URL names (the load test's registry, demo × 10:
scripts/bench_load.sh prepares it in `hoptac_load`).

Cached pages are measured twice: "cold" (the cache emptied before each request: a restart, a deploy, another
process; the durable figures of decisions 0050–0054 stay stored, so the first request after a write costs more:
scale.py's BENCH_AFTER_WRITE=1 measures it) and "warm" (what every other request costs). Run the same script on an older
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
from collections.abc import Callable
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

# Django set up as a web process sets it up (hoptac/wsgi.py: the application, then gc.freeze of what is loaded,
# decision 0052), so that the garbage collector's pauses are those of production.
import hoptac.wsgi  # noqa: E402, F401

sys.path.insert(0, str(Path(__file__).resolve().parent))
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from measuring import peak_rss_mb, reset_peak_rss, summarise  # noqa: E402

from hoptac.accounts.models import User  # noqa: E402
from hoptac.registry.models import Organisation  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
PLAN = os.environ.get("BENCH_PLAN", "nam-dinh-139-kh-ubnd-2022")
# The demo's officers; another registry's (the national one) come from the environment (scripts/bench_load.sh
# sets them with benchmarks/scale.py --subjects).
OFFICER = os.environ.get("BENCH_OFFICER", "tinh")
COMMUNE_OFFICER = os.environ.get("BENCH_COMMUNE_OFFICER", "xa_haihau")
PAGES = [
    # (name, user, url, cached by data version)
    ("registry list", OFFICER, "/registry/?page=3", True),
    ("registry search", OFFICER, "/registry/?q=nông nghiệp", True),
    ("organisation detail", OFFICER, "/registry/{org}/", False),
    ("yearly data list", OFFICER, "/registry/years/", True),
    ("/plans/", OFFICER, "/plans/", True),
    ("plan page", OFFICER, f"/plans/{PLAN}/", True),
    ("plan target", OFFICER, f"/plans/{PLAN}/targets/2030.HTX/", True),
    ("plan targets API", OFFICER, "/api/v1/plans/{plan}/targets/", True),
    ("/scoring/", OFFICER, "/scoring/", False),
    ("/tasks/", OFFICER, "/tasks/", True),
    ("registry list (commune)", COMMUNE_OFFICER, "/registry/", True),
    ("plan page (commune)", COMMUNE_OFFICER, f"/plans/{PLAN}/", True),
    ("plan export (.xlsx)", OFFICER, f"/plans/{PLAN}/export.xlsx", True),
    ("registry export (.xlsx, commune)", COMMUNE_OFFICER, "/registry/export.xlsx", True),
    # Page 50 of a list, reached by following its "next" links (page numbers or cursors alike).
    ("registry list page 50", OFFICER, "/registry/#next49", True),
    ("yearly data list page 50", OFFICER, "/registry/years/#next49", True),
    ("yearly data list by revenue", OFFICER, "/registry/years/?sort=-revenue", True),
    ("registry search (code)", OFFICER, "/registry/?q=0710", True),
    # The API's yearly data and the officer's whole registry as .xlsx (decision 0048).
    ("API yearly reports page 1", OFFICER, "/api/v1/yearly-reports/?page_size=50", True),
    ("API yearly reports page 50", OFFICER, "/api/v1/yearly-reports/?page_size=50#next49", True),
    ("registry export (.xlsx)", OFFICER, "/registry/export.xlsx", True),
]
# BENCH_PAGES="registry list,yearly data list": only the pages named (all when unset).
ONLY = {name.strip() for name in os.environ.get("BENCH_PAGES", "").split(",") if name.strip()}
NEXT_LINK = re.compile(r'<a href="([^"]*)" rel="next"')


def follow_next(client: Client, url: str) -> str:
    """`/path/#nextN`: the URL reached from /path/ by following the page's "next" link N times."""
    path, _, steps = url.partition("#next")
    for _ in range(int(steps)):
        page = client.get(path).content.decode()
        if "/api/" in path:  # a JSON page: its "next" link (an absolute URL)
            path = json.loads(page)["next"]
            assert path, "no next link"
            continue
        match = NEXT_LINK.search(page)
        assert match, f"no next link on {path}"
        query = html.unescape(match.group(1))
        path = path.split("?")[0] + query if query.startswith("?") else query
    return path


def measure(
    client: Client,
    url: str,
    *,
    cold: bool,
    repeat: int | None = None,
    prepare: Callable[[], None] | None = None,
) -> dict:
    """One page, `repeat` times (BENCH_REPEAT): its time (median, p95), the web process's CPU time and peak
    memory while serving it; the last request's queries are captured (count and database time). `cold` empties
    the cache before each request; `prepare()`, if given, runs before each request too (not timed: e.g. a
    write, for the first request after a change). An answer of 400 or more stops the run; a redirect (an
    export sent to the background) counts."""
    runs, cpu = [], []
    reset_peak_rss()
    count = repeat or REPEAT
    for i in range(count):
        if cold:
            cache.clear()
        if prepare is not None:
            prepare()
        with CaptureQueriesContext(connection) as captured:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            if getattr(response, "streaming", False):  # a streamed export: its body is produced while read
                b"".join(response.streaming_content)
            runs.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        assert response.status_code < 400, f"{url}: {response.status_code}"
        if i == count - 1:
            queries = captured.captured_queries
    return {
        **summarise(runs),
        # The web process's own CPU time (Python: ORM, templates, workbooks; the database's work is in
        # sql_ms): much less disturbed than wall time by other processes on the same cores.
        "python_cpu_ms": round(1000 * statistics.median(cpu), 1),
        "queries": len(queries),
        "sql_ms": round(sum(float(q["time"]) for q in queries) * 1000, 1),
        # The process's peak resident memory while serving these requests (it starts at what it holds).
        "peak_rss_mb": peak_rss_mb(),
        "status": response.status_code,
    }


def measure_pages(
    pages: list[tuple[str, str, str]],
    *,
    repeat: int | None = None,
    only: set[str] | frozenset[str] = frozenset(),
) -> list[dict]:
    """Each (name, username, URL) page, signed in as its user (one client per user), after one warm-up request:
    its size in bytes, `measure` cold and warm, a line printed; the rows in order. `only` names the pages to
    measure (all when empty). The one page loop of page_costs.py, plan_figures.py and reader_pages.py."""
    clients: dict[str, Client] = {}
    rows = []
    for name, username, url in pages:
        if only and name not in only:
            continue
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        client = clients[username]
        size = len(client.get(url).content)  # warm-up (imports, templates, connection)
        row = {"page": name, "user": username, "url": url, "bytes": size}
        row["cold"] = measure(client, url, cold=True, repeat=repeat)
        row["warm"] = measure(client, url, cold=False, repeat=repeat)
        cold, warm = row["cold"], row["warm"]
        print(
            f"{name:45} {size:>8} B | cold {cold['median_ms']:>8} / {cold['p95_ms']:>8} ms, CPU "
            f"{cold['python_cpu_ms']:>7}, SQL {cold['sql_ms']:>8} ({cold['queries']} q) | warm "
            f"{warm['median_ms']:>7} / {warm['p95_ms']:>7} ms, CPU {warm['python_cpu_ms']:>6}, SQL "
            f"{warm['sql_ms']:>6} ({warm['queries']} q)",
            flush=True,
        )
        rows.append(row)
    return rows


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
