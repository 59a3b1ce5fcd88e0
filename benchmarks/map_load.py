"""Benchmark: loading the administrative map of all 34 provinces (both maps and the successions), before and
after decision 0047, in the same run, on a scratch PostgreSQL database.

- before: the loader as it was (benchmarks/map_load_before.py: one `update_or_create` per unit and succession);
- after: hoptac.areas.services.admin_units_load (set-based: bulk upserts on the unique keys, level by level).

Each loader runs twice on the emptied map tables: the first load (every row inserted) and a second load of the
same provinces (every row updated in place, the national generator's re-run). Both loaders must leave the same
rows (compared field by field, by natural key) and return the same LoadResult; the run fails otherwise.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hoptac_NAME_map .venv/bin/python benchmarks/map_load.py

BENCH_MAP_PROVINCES (comma-separated codes, default all 34) narrows it. Writes benchmarks/results/map-load.json
and .md. The database is migrated and its map tables emptied: never point it at a database you keep.
"""

import dataclasses
import datetime
import json
import os
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from measuring import load_average, machine  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoptac.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))  # production settings (DEBUG off)
os.environ.setdefault("DJANGO_DEBUG", "false")
RESULTS = ROOT / "benchmarks" / "results"


def _snapshot() -> tuple[set, set]:
    """Every unit and succession by natural key with its loaded fields (ids left out: they differ by order)."""
    from hoptac.areas.models import AdminUnit, CommuneSuccession

    units = set(
        AdminUnit.objects.values_list(
            "map",
            "level",
            "code",
            "unit_type",
            "name",
            "short_name",
            "parent__map",
            "parent__level",
            "parent__code",
            "province__code",
            "valid_from",
            "valid_to",
            "key",
            "latitude",
            "longitude",
            "name_folded",
            "name_sort",
        )
    )
    successions = set(
        CommuneSuccession.objects.values_list(
            "old_commune__map",
            "old_commune__code",
            "new_commune__map",
            "new_commune__code",
            "is_default",
            "effective_date",
        )
    )
    return units, successions


def _empty() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE areas_communesuccession, areas_adminunit RESTART IDENTITY CASCADE")


def _timed(load, codes: list[str]) -> dict:
    from django.db import connection

    statements = 0

    def count(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        start, cpu = time.perf_counter(), time.process_time()
        result = load(province_codes=codes)
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "statements": statements,
        "result": dataclasses.asdict(result),
    }


def main() -> None:
    import django

    django.setup()
    import map_load_before
    from django.core.management import call_command
    from django.db import connection

    from hoptac.areas import services

    if connection.vendor != "postgresql":
        raise SystemExit("map_load.py measures PostgreSQL: set DATABASE_URL to a scratch database")
    call_command("migrate", verbosity=0)
    codes = [c for c in os.environ.get("BENCH_MAP_PROVINCES", "").split(",") if c] or (
        services.province_codes_available()
    )
    started = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    load_before = load_average()
    runs, snapshots = {}, {}
    for name, load in (("before", map_load_before.admin_units_load), ("after", services.admin_units_load)):
        _empty()
        first = _timed(load, codes)
        again = _timed(load, codes)
        runs[name] = {"first_load": first, "second_load": again}
        snapshots[name] = _snapshot()
        print(name, json.dumps(runs[name]), flush=True)
    same_rows = snapshots["before"] == snapshots["after"]
    same_result = runs["before"]["first_load"]["result"] == runs["after"]["first_load"]["result"]
    if not (same_rows and same_result):
        raise SystemExit(f"the loaders disagree: same rows {same_rows}, same LoadResult {same_result}")
    result = {
        "benchmark": "map_load",
        "provinces": len(codes),
        "units": len(snapshots["after"][0]),
        "successions": len(snapshots["after"][1]),
        "runs": runs,
        "same_rows_and_result": True,
        "speedup_first_load": round(
            runs["before"]["first_load"]["seconds"] / runs["after"]["first_load"]["seconds"], 1
        ),
        "speedup_second_load": round(
            runs["before"]["second_load"]["seconds"] / runs["after"]["second_load"]["seconds"], 1
        ),
        "machine": machine(os.environ.get("DATABASE_URL")),
        "load_average_before": load_before,
        "load_average_after": load_average(),
        "started_at": started,
        "finished_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "map-load.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", "utf-8")
    rows = [
        f"| {name} | {when.replace('_', ' ')} | {r['seconds']} | {r['cpu_seconds']} | {r['statements']:,} |"
        for name, loads in runs.items()
        for when, r in loads.items()
    ]
    (RESULTS / "map-load.md").write_text(
        "\n".join(
            [
                f"# Loading the administrative map: {len(codes)} provinces, {result['units']:,} units, "
                f"{result['successions']:,} successions",
                "",
                "benchmarks/map_load.py, PostgreSQL, the same run (decision 0047). Both loaders left the same rows "
                "and returned the same LoadResult.",
                "",
                "| loader | load | seconds | Python CPU s | SQL statements |",
                "|---|---|---|---|---|",
                *rows,
                "",
                f"First load {result['speedup_first_load']}× faster, second load (update in place) "
                f"{result['speedup_second_load']}× faster. Load average {load_before} → {result['load_average_after']}.",
                "",
            ]
        ),
        "utf-8",
    )
    print(
        json.dumps(
            {k: result[k] for k in ("units", "successions", "speedup_first_load", "speedup_second_load")}
        )
    )


if __name__ == "__main__":
    main()
