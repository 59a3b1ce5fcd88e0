"""Turn locust's CSV statistics (scripts/bench_load.sh) into benchmarks/results/<BENCH_LOAD_OUT>.json and .md
(load.{json,md} for the demo × 10, load-national.{json,md} for the national registry...), judged against issue
15's goal for the size (BENCH_LOAD_LABEL): p95 under 500 ms at × 10, under 1 s at national size."""

import csv
import json
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from measuring import percentile as _percentile  # noqa: E402  (the one definition of a percentile)

GOAL_P95_MS = 500
NATIONAL_GOAL_P95_MS = 1000
NATIONAL_LABELS = {"national", "stress"}  # benchmarks/scale.py's national sizes


def goal_ms(label: str) -> int:
    """Issue 15: "p95 under 500 ms at ×10 and under 1 s at national size"."""
    return NATIONAL_GOAL_P95_MS if label in NATIONAL_LABELS else GOAL_P95_MS


SIGN_IN = {"login page", "sign in"}


def number(text: str) -> float:
    """A figure of locust's CSV ("N/A" for a request with no response in the window)."""
    try:
        return float(text or 0)
    except ValueError:
        return 0.0


def percentile(values: list[float], share: float) -> float:
    """benchmarks/measuring.py's percentile (`share` 0..1), 0 for no values, in ms to one decimal."""
    return round(_percentile(values, 100 * share), 1) if values else 0.0


def summary(name: str, timings: dict[str, list[float]], keep) -> dict:
    values = [abs(v) for key, vs in timings.items() if keep(key) for v in vs]
    failures = sum(1 for key, vs in timings.items() if keep(key) for v in vs if v < 0)
    return {
        "name": name,
        "requests": len(values),
        "failures": failures,
        "median_ms": percentile(values, 0.5),
        "p95_ms": percentile(values, 0.95),
        "p99_ms": percentile(values, 0.99),
        "max_ms": round(max(values, default=0)),
    }


def main(stats_csv: str, organisations: str, timings_json: str = "") -> None:
    with open(stats_csv, encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    endpoints = []
    for row in rows:
        endpoints.append(
            {
                "name": row["Name"] if row["Name"] != "Aggregated" else "all requests",
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "median_ms": number(row["50%"]),
                "p95_ms": number(row["95%"]),
                "p99_ms": number(row["99%"]),
                "max_ms": round(number(row["Max Response Time"])),
                "rps": round(number(row["Requests/s"]), 2),
            }
        )
    total = endpoints[-1]
    label = os.environ.get("BENCH_LOAD_LABEL", "x10")
    goal = goal_ms(label)
    overall: list[dict] = []
    if timings_json and Path(timings_json).exists():
        timings = json.loads(Path(timings_json).read_text(encoding="utf-8"))
        window = timings.pop("_window_seconds", [0.0])[0]

        def measured(key: str) -> bool:
            return not key.startswith("warm-up: ")

        overall = [
            summary("all requests of the measured window (exact)", timings, measured),
            summary(
                "after signing in (browsing, searching, plan, exports)",
                timings,
                lambda key: measured(key) and key not in SIGN_IN,
            ),
            summary(
                f"warm-up: the {os.environ.get('BENCH_USERS', '')} sign-ins and what ran beside them",
                timings,
                lambda key: not measured(key),
            ),
        ]
        groups = sorted({key for key in timings if measured(key)})
        by_group = [summary(key, timings, lambda k, key=key: k == key) for key in groups]
    else:
        window, by_group = 0.0, []
    meta = {
        "benchmark": "load: officers browsing, searching, opening the plan page and exporting",
        "server": f"scripts/serve (gunicorn, {os.environ.get('WEB_CONCURRENCY')} workers, + db_worker), DEBUG off",
        "database": os.environ.get("BENCH_DB_VENDOR", "postgresql"),
        "size": label,
        "organisations": int(organisations),
        "users": int(os.environ["BENCH_USERS"]),
        "run_seconds": int(os.environ["BENCH_SECONDS"]),
        "measured_window_seconds": window,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, shared with other work during the run "
        "(locust, the server and other engineers' processes on the same cores)",
        "load_average_1_5_15_min": [round(x, 2) for x in os.getloadavg()],
        "goal": f"zero errors, p95 under {goal} ms",
        # nothing measured is not a pass: the window must have started and served requests
        "met": total["requests"] > 0
        and total["failures"] == 0
        and total["p95_ms"] < goal
        and (not overall or (window > 0 and overall[0]["requests"] > 0)),
        "met_every_page_group": bool(by_group)
        and all(g["failures"] == 0 and g["p95_ms"] < goal for g in by_group),
        "met_after_signing_in": bool(overall)
        and overall[1]["requests"] > 0
        and overall[1]["failures"] == 0
        and overall[1]["p95_ms"] < goal,
    }
    out = ROOT / "benchmarks" / "results"
    name = os.environ.get("BENCH_LOAD_OUT", "load")
    (out / f"{name}.json").write_text(
        json.dumps(
            {**meta, "overall": overall, "by_group": by_group, "endpoints": endpoints},
            ensure_ascii=False,
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    lines = [
        f"# {meta['benchmark']}",
        "",
        f"{meta['users']} simultaneous users for {meta['run_seconds']} s (measured window: the last "
        f"{meta['measured_window_seconds']:g} s, once all had signed in) against {meta['server']}; "
        f"{meta['database']}, size {label}, registry of {meta['organisations']:,} organisations; Python {meta['python']}, "
        f"{meta['machine']}; load average (1/5/15 min) at the end: {meta['load_average_1_5_15_min']}. Goal: {meta['goal']} — over all requests {'met' if meta['met'] else 'NOT met'}; "
        f"over the work after signing in {'met' if meta['met_after_signing_in'] else 'NOT met'}; "
        f"in every page group {'met' if meta['met_every_page_group'] else 'NOT met'}.",
        *(
            ["", "**The measured window never started: not every user had signed in by the end of the run.**"]
            if overall and not window
            else []
        ),
        "",
        "| requests | count | failures | median (ms) | p95 (ms) | p99 (ms) | max (ms) |",
        "|---|---|---|---|---|---|---|",
        *[
            f"| {o['name']} | {o['requests']} | {o['failures']} | {o['median_ms']:g} | {o['p95_ms']:g} | "
            f"{o['p99_ms']:g} | {o['max_ms']} |"
            for o in overall
        ],
        "",
        "By page group, measured window (exact percentiles):",
        "",
        "| page group | count | failures | median (ms) | p95 (ms) | p99 (ms) | max (ms) |",
        "|---|---|---|---|---|---|---|",
        *[
            f"| {o['name']} | {o['requests']} | {o['failures']} | {o['median_ms']:g} | {o['p95_ms']:g} | "
            f"{o['p99_ms']:g} | {o['max_ms']} |"
            for o in by_group
        ],
        "",
        "By request (locust's statistics of the measured window; percentiles rounded by locust):",
        "",
        "| request | count | failures | median (ms) | p95 (ms) | p99 (ms) | max (ms) | req/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for e in endpoints:
        lines.append(
            f"| {e['name']} | {e['requests']} | {e['failures']} | {e['median_ms']:g} | {e['p95_ms']:g} | "
            f"{e['p99_ms']:g} | {e['max_ms']} | {e['rps']} |"
        )
    (out / f"{name}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main(*sys.argv[1:])
