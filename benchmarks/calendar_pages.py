"""Benchmark: the rating calendar (/scoring/) and the tasks calendar (/tasks/), cold and warm, for a province
officer, a commune officer and a whole-country reader (decision 0046): median and p95 time, queries, SQL time,
the web process's CPU and peak memory (`page_costs.measure`: Django test client, production settings, DEBUG off).

Run from the root of the checkout to measure (it imports the code of the current directory), one checkout
after the other on the same database, then compare:

    DATABASE_URL=postgres://…/hoptac_scoring_nat .venv/bin/python benchmarks/calendar_pages.py before.json
    .venv/bin/python benchmarks/calendar_pages.py --compare before.json after.json > results/….md

BENCH_USERS (default tinh_19,xa_02008,quocgia) and BENCH_REPEAT (default 5) choose whom and how often."""

import json
import os
import sys
from pathlib import Path

PAGES = ("/scoring/", "/tasks/")
MODES = ("cold", "warm")


def measure(out: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import page_costs  # sets Django up (the checkout of the current directory, production settings)
    from django.test import Client
    from django.test.utils import setup_test_environment
    from measuring import machine

    from hoptac.accounts.models import User

    setup_test_environment()
    users = os.environ.get("BENCH_USERS", "tinh_19,xa_02008,quocgia").split(",")
    repeat = int(os.environ.get("BENCH_REPEAT", "5"))
    rows = []
    for username in users:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for url in PAGES:
            client.get(url)  # warm-up (imports, templates, connection)
            row = {"user": username, "url": url}
            for mode in MODES:
                row[mode] = page_costs.measure(client, url, cold=mode == "cold", repeat=repeat)
            rows.append(row)
            print(username, url, {m: row[m]["median_ms"] for m in MODES}, flush=True)
    result = {
        "database": os.environ.get("DATABASE_URL", "").rsplit("/", 1)[-1],
        "machine": machine(),
        "rows": rows,
    }
    Path(out).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


def compare(before: dict, after: dict) -> str:
    """A markdown table: each page and mode, before → after (median / p95 ms, queries, SQL ms, CPU ms, peak MB)."""
    lines = [
        "| user | page | mode | median / p95 ms | queries | SQL ms | web CPU ms | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    earlier = {(r["user"], r["url"]): r for r in before["rows"]}
    for row in after["rows"]:
        old = earlier.get((row["user"], row["url"]))
        if old is None:
            continue
        for mode in MODES:
            a, b = old[mode], row[mode]
            lines.append(
                f"| {row['user']} | {row['url']} | {mode} "
                f"| {a['median_ms']:,.0f} / {a['p95_ms']:,.0f} → {b['median_ms']:,.0f} / {b['p95_ms']:,.0f} "
                f"| {a['queries']} → {b['queries']} | {a['sql_ms']:,.0f} → {b['sql_ms']:,.0f} "
                f"| {a['python_cpu_ms']:,.0f} → {b['python_cpu_ms']:,.0f} "
                f"| {a['peak_rss_mb']:,.0f} → {b['peak_rss_mb']:,.0f} |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if sys.argv[1:2] == ["--compare"]:
        load = lambda name: json.loads(Path(name).read_text(encoding="utf-8"))  # noqa: E731
        print(compare(load(sys.argv[2]), load(sys.argv[3])), end="")
    else:
        measure(sys.argv[1])
