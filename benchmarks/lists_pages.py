"""Benchmark (decision 0052): the calendars and the registry lists at national size, request by request — for
each request its wall time, the web process's CPU time, its queries' count and database time, and the time
Python's garbage collector took during it; so that one slow request of three can be told apart (SQL, Python,
the collector, or time spent waiting for a core on a loaded machine: wall − CPU − SQL).

Run from the root of the checkout to measure (it imports the code of the current directory, production
settings, DEBUG off, Django's test client, `setup_test_environment` as benchmarks/scale.py), one checkout after
the other on the same database, alternated, then compare:

    DATABASE_URL=postgres://…/hoptac_lists_nat STATIC_ROOT=/tmp/static-main \\
        /path/to/.venv/bin/python benchmarks/lists_pages.py /tmp/main-1.json
    .venv/bin/python benchmarks/lists_pages.py --compare main-1.json,main-2.json after-1.json,after-2.json

BENCH_REPEAT (default 9) requests per page and mode ("cold": the cache emptied before each request; "warm");
BENCH_LISTS_PAGES="quocgia /scoring/,tinh_19 /registry/" measures only those (user and URL as listed below)."""

import gc
import json
import os
import statistics
import sys
import time
from pathlib import Path

# (user, URL): the whole-country reader, the province officer of the largest province and one of its commune
# officers (benchmarks/scale.py's subjects in the national registry).
PAGES = [
    ("quocgia", "/scoring/"),
    ("quocgia", "/scoring/?area={province}"),
    ("quocgia", "/tasks/"),
    ("quocgia", "/registry/"),
    ("tinh_19", "/registry/"),
    ("tinh_19", "/scoring/"),
    ("tinh_19", "/tasks/"),
    ("xa_02008", "/registry/"),
    ("xa_02008", "/scoring/"),
    ("xa_02008", "/tasks/"),
]
MODES = ("cold", "warm")


class CollectorClock:
    """The time Python's garbage collector spends (`total`; `full`: its full collections, generation 2), from
    gc.callbacks."""

    def __init__(self) -> None:
        self.total = 0.0
        self.full = 0.0
        self._start = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            spent = time.perf_counter() - self._start
            self.total += spent
            if info.get("generation") == 2:
                self.full += spent


def measure(out: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import page_costs  # noqa: F401 - sets Django up as hoptac/wsgi.py does (the checkout of the current directory)
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from measuring import load_average, machine

    from hoptac.accounts.models import User
    from hoptac.areas.models import AdminMap, AdminUnit, Level

    call_command("collectstatic", interactive=False, verbosity=0)
    setup_test_environment()
    repeat = int(os.environ.get("BENCH_REPEAT", "9"))
    only = {p.strip() for p in os.environ.get("BENCH_LISTS_PAGES", "").split(",") if p.strip()}
    province = AdminUnit.objects.get(map=AdminMap.CURRENT, level=Level.PROVINCE, code="19").pk
    collector = CollectorClock()
    clients: dict[str, Client] = {}
    rows = []
    for username, url in PAGES:
        if only and f"{username} {url}" not in only:
            continue
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        client = clients[username]
        path = url.format(province=province)
        size = len(client.get(path).content)  # warm-up (imports, templates, connection)
        row: dict = {"user": username, "url": url, "bytes": size}
        for mode in MODES:
            runs = []
            for _ in range(repeat):
                if mode == "cold":
                    cache.clear()
                gc_before, full_before = collector.total, collector.full
                with CaptureQueriesContext(connection) as captured:
                    start, start_cpu = time.perf_counter(), time.process_time()
                    response = client.get(path)
                    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
                assert response.status_code == 200, f"{path}: {response.status_code}"
                sql = sum(float(q["time"]) for q in captured.captured_queries)
                slowest = max(captured.captured_queries, key=lambda q: float(q["time"]), default=None)
                runs.append(
                    {
                        "ms": round(1000 * wall, 1),
                        "cpu_ms": round(1000 * cpu, 1),
                        "sql_ms": round(1000 * sql, 1),
                        "gc_ms": round(1000 * (collector.total - gc_before), 1),
                        "gc_full_ms": round(1000 * (collector.full - full_before), 1),
                        "queries": len(captured.captured_queries),
                        "slowest_sql_ms": round(1000 * float(slowest["time"]), 1) if slowest else 0,
                        "slowest_sql": slowest["sql"][:300] if slowest else "",
                    }
                )
            row[mode] = runs
            row[f"{mode}_tracked_objects"] = len(
                gc.get_objects()
            )  # what a full collection walks (not frozen)
            ms = [r["ms"] for r in runs]
            print(
                f"{username:9} {url:28} {mode} {size:>8} B | median {statistics.median(ms):7.1f} max "
                f"{max(ms):7.1f} ms | " + " ".join(f"{m:.0f}" for m in ms),
                flush=True,
            )
        rows.append(row)
    result = {
        "database": os.environ.get("DATABASE_URL", "").rsplit("/", 1)[-1],
        "checkout": str(Path.cwd()),
        "machine": machine(),
        "load_average": load_average(),
        "repeat": repeat,
        "rows": rows,
    }
    Path(out).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def _pooled(files: list[str]) -> dict:
    """The runs of several result files of one checkout, pooled per (user, URL, mode)."""
    pooled: dict = {}
    for name in files:
        data = json.loads(Path(name).read_text(encoding="utf-8"))
        for row in data["rows"]:
            key = (row["user"], row["url"])
            entry = pooled.setdefault(key, {"bytes": row["bytes"], "cold": [], "warm": []})
            for mode in MODES:
                entry[mode] += row[mode]
    return pooled


def compare(before: list[str], after: list[str]) -> str:
    """A markdown table: each page and mode, before → after: median / p95 ms over every run of the files,
    median CPU and SQL ms, queries, page size."""
    lines = [
        "| user | page | mode | median / p95 ms | web CPU ms | SQL ms | queries | KB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    old, new = _pooled(before), _pooled(after)
    for key, b in new.items():
        a = old.get(key)
        if a is None:
            continue
        for mode in MODES:
            x, y = a[mode], b[mode]

            def figure(runs: list[dict], field: str) -> float:
                return statistics.median(r[field] for r in runs)

            lines.append(
                f"| {key[0]} | {key[1]} | {mode} "
                f"| {figure(x, 'ms'):,.0f} / {_percentile([r['ms'] for r in x], 95):,.0f} → "
                f"{figure(y, 'ms'):,.0f} / {_percentile([r['ms'] for r in y], 95):,.0f} "
                f"| {figure(x, 'cpu_ms'):,.0f} → {figure(y, 'cpu_ms'):,.0f} "
                f"| {figure(x, 'sql_ms'):,.0f} → {figure(y, 'sql_ms'):,.0f} "
                f"| {x[-1]['queries']} → {y[-1]['queries']} "
                f"| {a['bytes'] / 1024:,.0f} → {b['bytes'] / 1024:,.0f} |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if sys.argv[1:2] == ["--compare"]:
        print(compare(sys.argv[2].split(","), sys.argv[3].split(",")), end="")
    else:
        measure(sys.argv[1])
