"""Benchmark: what a request pays for its database connection (docs/decisions/0039-several-processes-and-machines.md).
Each "request" is what Django does around a view — `request_started` (close an obsolete connection), one
small query (the data-version read every cached figure makes), `request_finished` — run BENCH_REQUESTS
times in a row in this process, one way after the other, in the same run (against the database DATABASE_URL
names; PostgreSQL):

- `per-request`: CONN_MAX_AGE=0, a new connection for every request (debug mode's setting);
- `persistent`: CONN_MAX_AGE=600 with CONN_HEALTH_CHECKS (production's: one `SELECT 1` at a request's first
  query);
- `pool`: psycopg's pool (DATABASES OPTIONS {"pool": …}; needs the psycopg-pool package, left out when absent).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hoptac .venv/bin/python benchmarks/connections.py \
        benchmarks/results/connections.json
"""

import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path.cwd()
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoptac.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import connections  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "300"))


def backends() -> int:
    """Connections the server has open to this database (this process's included)."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return int(cursor.fetchone()[0])


def run(label: str, **overrides) -> dict:
    connection = connections["default"]
    connection.close()
    original = dict(connection.settings_dict)
    connection.settings_dict.update(overrides)
    times = []
    try:
        for _ in range(REQUESTS):
            start = time.perf_counter()
            request_started.send(sender=None)
            with connection.cursor() as cursor:
                cursor.execute("SELECT value FROM core_dataversion WHERE id = 1")
                cursor.fetchone()
            request_finished.send(sender=None)
            times.append((time.perf_counter() - start) * 1000)
    finally:
        connection.close()
        if "pool" in overrides.get("OPTIONS", {}):
            connection.close_pool()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)
    times.sort()
    return {
        "label": label,
        "requests": REQUESTS,
        "median_ms": round(statistics.median(times), 3),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 3),
        "mean_ms": round(statistics.fmean(times), 3),
    }


def main() -> None:
    if connections["default"].vendor != "postgresql":
        sys.exit("benchmarks/connections.py measures PostgreSQL connections: set DATABASE_URL")
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    load_before = os.getloadavg()
    base = connections["default"].settings_dict
    results = [
        run("per-request", CONN_MAX_AGE=0, CONN_HEALTH_CHECKS=False),
        run("persistent", CONN_MAX_AGE=600, CONN_HEALTH_CHECKS=True),
    ]
    try:
        import psycopg_pool  # noqa: F401
    except ImportError:
        print("psycopg-pool is not installed: the pool is not measured")
    else:
        pool_options = {**base.get("OPTIONS", {}), "pool": {"min_size": 1, "max_size": 4}}
        results.append(run("pool", CONN_MAX_AGE=0, CONN_HEALTH_CHECKS=False, OPTIONS=pool_options))
    baseline = results[0]["median_ms"]
    for result in results:
        result["ratio_to_per_request"] = round(result["median_ms"] / baseline, 3)
        print(
            f"{result['label']:12} median {result['median_ms']:8.3f} ms  p95 {result['p95_ms']:8.3f} ms  "
            f"×{result['ratio_to_per_request']}"
        )
    report = {
        "benchmark": "connections",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "server_backends_now": backends(),
        "results": results,
    }
    if out:
        out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
