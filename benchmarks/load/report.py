"""Turn locust's CSV statistics (scripts/bench_load.sh) into benchmarks/results/load.json and load.md."""

import csv
import json
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOAL_P95_MS = 500


def main(stats_csv: str, organisations: str) -> None:
    rows = list(csv.DictReader(open(stats_csv, encoding="utf-8")))
    endpoints = []
    for row in rows:
        endpoints.append(
            {
                "name": row["Name"] if row["Name"] != "Aggregated" else "all requests",
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "median_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
                "p99_ms": float(row["99%"] or 0),
                "max_ms": round(float(row["Max Response Time"] or 0)),
                "rps": round(float(row["Requests/s"] or 0), 2),
            }
        )
    total = endpoints[-1]
    meta = {
        "benchmark": "load: officers browsing, searching, opening the plan page and exporting",
        "server": f"scripts/serve (gunicorn, {os.environ.get('WEB_CONCURRENCY')} workers, + db_worker), DEBUG off",
        "database": os.environ.get("BENCH_DB_VENDOR", "postgresql"),
        "organisations": int(organisations),
        "users": int(os.environ["BENCH_USERS"]),
        "run_seconds": int(os.environ["BENCH_SECONDS"]),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, shared with other work during the run "
        "(locust, the server and other engineers' processes on the same cores)",
        "goal": f"zero errors, p95 under {GOAL_P95_MS} ms",
        "met": total["failures"] == 0 and total["p95_ms"] < GOAL_P95_MS,
    }
    out = ROOT / "benchmarks" / "results"
    (out / "load.json").write_text(
        json.dumps({**meta, "endpoints": endpoints}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    lines = [
        f"# {meta['benchmark']}",
        "",
        f"{meta['users']} simultaneous users for {meta['run_seconds']} s against {meta['server']}; "
        f"{meta['database']}, registry of {meta['organisations']:,} organisations; Python {meta['python']}, "
        f"{meta['machine']}. Goal: {meta['goal']} — {'met' if meta['met'] else 'NOT met'}.",
        "",
        "| request | count | failures | median (ms) | p95 (ms) | p99 (ms) | max (ms) | req/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for e in endpoints:
        lines.append(
            f"| {e['name']} | {e['requests']} | {e['failures']} | {e['median_ms']:g} | {e['p95_ms']:g} | "
            f"{e['p99_ms']:g} | {e['max_ms']} | {e['rps']} |"
        )
    (out / "load.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main(*sys.argv[1:])
