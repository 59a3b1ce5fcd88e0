"""Benchmark (issue 15): what each page and the plan evaluation cost at several registry sizes, in one run, on
PostgreSQL — the cost curve x1 -> x10 -> x50 and the national size, against the issue's goals.

Sizes (BENCH_SCALES, comma-separated; default "1,10", the small configuration `make bench` runs):
  1, 10, 50, ...   the demo (Nam Định, 2,877 organisations) copied N times (plan_evaluation.multiply)
  national         `manage.py generate_national` (BENCH_NATIONAL_ORGANISATIONS, default 100,000; seed BENCH_SEED)
  stress           the same with 200,000 organisations (the 2030 stress case of the national plan)
Each size is built once into its own PostgreSQL database (hoptac_bench_x1, _x10, _x50, _national, _stress; or
BENCH_DB_<SIZE>=name, e.g. BENCH_DB_NATIONAL=other_name) beside the one PG_URL names; BENCH_REUSE=1
reuses a database a previous run completed (a row in its `bench_dataset` table says so) instead of rebuilding it;
BENCH_PREPARE_ONLY=1 builds the databases and measures nothing; BENCH_PARTS (comma-separated, default
"pages,plans") measures only some parts, e.g. BENCH_PARTS=plans BENCH_REUSE=1 BENCH_SCALES=stress for the plan
evaluation alone on the built stress database (written to scale-plans-stress.{json,md} unless BENCH_SCALE_OUT
says otherwise, so that scale.json keeps the full run). A multiple of the demo starts as a copy of
hoptac_bench_x1 when that one is complete (CREATE DATABASE ... TEMPLATE), so build x1 first.

Per size, in a child process with production settings (DEBUG off), as the province officer and a commune
officer of the largest province, and as a reader of the whole country (rows "… (whole country)": `quocgia` in the
national registry; the province officer if they reach every organisation; BENCH_READER names another; none in
the demo, whose `tinh` names former Nam Định: 2,829 of 2,877 organisations; decision 0045): each page (benchmarks/page_costs.py's `measure`: BENCH_REPEAT requests cold —
the cache emptied before each — and as many warm; fewer for a page whose first request shows it
would take longer than BENCH_PAGE_BUDGET, default 30 s: `runs` says how many, at least 1) — median, p95, queries, SQL ms,
the web process's CPU ms and peak RSS; then plan evaluation (benchmarks/plan_evaluation.py's `measure`): one province's plan and the
national plan (the NQ 20 plan file when shipped, else Plan 139 over every province of the map), each against
hand-written SQL computing the same numbers. BENCH_AFTER_WRITE=1 adds a third page mode, "after a write": before
each request a committed save of one accepted yearly report of the newest data year, the cache left as it is —
the first view after a realistic change, what durable plan points (decision 0050) make cheap. It WRITES to the
database measured (the report is put back after): only on a copy, e.g. BENCH_DB_NATIONAL=hoptac_<name>_nat.

    .venv/bin/python benchmarks/scale.py [PG_URL]           # writes benchmarks/results/scale.{json,md}
    .venv/bin/python benchmarks/scale.py --markdown benchmarks/results/scale.json   # scale.md again
    .venv/bin/python benchmarks/scale.py --curve benchmarks/results/scale.json      # the README's table

This module's top level does not import Django (its pure parts are tested: benchmarks/test_bench_scale.py).
"""

import datetime
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measuring import GROWTH_LIMIT, growth, load_average, machine  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/test"
CURVE_ORDER = ["x1", "x10", "x50", "national", "stress"]
NATIONAL_SIZES = {"national": 100_000, "stress": 200_000}
PARTS = ("pages", "plans")  # what a run measures per size (BENCH_PARTS)
AFTER_A_WRITE = "after a write"  # the optional page mode of BENCH_AFTER_WRITE=1


def parts(environ: dict | None = None) -> list[str]:
    """The parts BENCH_PARTS asks for (default both), in PARTS's order; anything else is refused."""
    environ = os.environ if environ is None else environ
    asked = [p.strip() for p in environ.get("BENCH_PARTS", ",".join(PARTS)).split(",") if p.strip()]
    unknown = [p for p in asked if p not in PARTS]
    if unknown or not asked:
        raise ValueError(f"BENCH_PARTS: unknown part(s) {unknown}; choose among {list(PARTS)}")
    return [p for p in PARTS if p in asked]


PAGE_GOAL_MS = 300  # every page's p95, single user, at national size
FAST_PAGE_GOAL_MS = 200  # the registry list and the organisation pages
FAST_PAGES = ("registry list", "organisation detail")
RSS_GOAL_MB = 300  # every web process, exports included
PROVINCE_PLAN_GOAL_S = 0.1
NATIONAL_PLAN_GOAL_S = 2.0
BASELINE_RATIO_GOAL = 3.0
DEMO_PLAN = "nam-dinh-139-kh-ubnd-2022"
FALLBACK_NATIONAL_PLAN = "bench-139-toan-quoc"
DATASET_TABLE = "bench_dataset"
NATIONAL_READER = "quocgia"  # generate_national's whole-country reader (hoptac/demo/national.py)
WHOLE_COUNTRY = "(whole country)"  # the suffix of that reader's rows


# ---- sizes and their databases ----------------------------------------------------------------------------


def scale_label(token: str) -> str:
    """ "10" -> "x10", "national" -> "national"; anything else is refused."""
    token = token.strip().lower().removeprefix("x")
    if token.isdigit() and int(token) >= 1:
        return f"x{int(token)}"
    if token in NATIONAL_SIZES:
        return token
    raise ValueError(
        f"unknown size {token!r}: a multiple of the demo (1, 10, 50) or one of {list(NATIONAL_SIZES)}"
    )


def database_name(label: str, environ: dict | None = None) -> str:
    environ = os.environ if environ is None else environ
    return environ.get(f"BENCH_DB_{label.upper()}") or f"hoptac_bench_{label}"


def database_url(base_url: str, name: str) -> str:
    return f"{base_url.rsplit('/', 1)[0]}/{name}"


# ---- goals and the curve (pure) ---------------------------------------------------------------------------


def cost_curve(scales: list[dict]) -> list[dict]:
    """Per page and mode (cold, warm): the median at each size and its ratio to the smallest size measured,
    flagged above GROWTH_LIMIT. The ratio of the web process's work (CPU ms + SQL ms) is given beside it: it
    is much less disturbed by other processes on a shared machine than wall time."""
    order = [s["label"] for s in sorted(scales, key=lambda s: _order(s["label"]))]
    pages: dict[str, dict[str, dict]] = {}
    for scale in scales:
        for page in scale.get("pages", []):
            for mode in ("cold", "warm"):
                if mode in page:
                    entry = pages.setdefault(page["page"], {}).setdefault(
                        mode, {"median": {}, "work": {}, "per_mb": {}}
                    )
                    median = page[mode]["median_ms"]
                    entry["median"][scale["label"]] = median
                    entry["work"][scale["label"]] = round(
                        page[mode]["python_cpu_ms"] + page[mode]["sql_ms"], 1
                    )
                    if page.get("file_bytes"):
                        entry["per_mb"][scale["label"]] = round(median / (page["file_bytes"] / 1e6), 1)
    curve = []
    for name, modes in pages.items():
        for mode, values in modes.items():
            by_median = growth(values["median"], order)
            by_work = growth(values["work"], order)
            entry = {
                "page": name,
                "mode": mode,
                "median_ms": values["median"],
                "ratio": by_median["ratios"],
                "work_ms": values["work"],
                "work_ratio": by_work["ratios"],
                "flagged": by_median["flagged"],
            }
            # A file answered at once at every size (an export under the inline limit) is as large as the data
            # it holds: 50 times the rows make a file 50 times larger, so its cost is compared per MB written
            # (the time per MB must not grow more than 3×); the time itself is still shown.
            if values["per_mb"] and set(values["per_mb"]) == set(values["median"]):
                by_size = growth(values["per_mb"], order)
                entry.update(
                    per_mb_ms=values["per_mb"], per_mb_ratio=by_size["ratios"], flagged=by_size["flagged"]
                )
            curve.append(entry)
    return curve


def _order(label: str) -> tuple[int, int]:
    if label.startswith("x"):
        return (0, int(label[1:]))
    return (1, CURVE_ORDER.index(label) if label in CURVE_ORDER else 99)


def _goal(goal: str, scale: str, subject: str, value: float | None, limit: float, unit: str) -> dict:
    return {
        "goal": goal,
        "scale": scale,
        "subject": subject,
        "value": value,
        "limit": limit,
        "unit": unit,
        "passed": None if value is None else value < limit,
    }


def goals(scales: list[dict], curve: list[dict]) -> list[dict]:
    """Issue 15's goals that this benchmark measures, each passed (True), failed (False) or not measured (None,
    e.g. a page that answered with an error)."""
    out = []
    for scale in scales:
        label = scale["label"]
        national = label in NATIONAL_SIZES
        if national:
            for page in scale.get("pages", []):
                fast = page["page"].startswith(FAST_PAGES)
                limit = FAST_PAGE_GOAL_MS if fast else PAGE_GOAL_MS
                for mode in ("cold", "warm"):
                    value = page[mode]["p95_ms"] if mode in page else None
                    if "timed_out_s" in page:  # stopped: at least this long
                        value = 1000.0 * page["timed_out_s"]
                    out.append(_goal(f"p95 single-user ({mode})", label, page["page"], value, limit, "ms"))
        peaks = [
            page[mode]["peak_rss_mb"]
            for page in scale.get("pages", [])
            for mode in ("cold", "warm")
            if mode in page and page[mode].get("peak_rss_mb") is not None
        ]
        out.append(
            _goal(
                "peak RSS of the web process, all pages",
                label,
                "every page",
                max(peaks, default=None),
                RSS_GOAL_MB,
                "MB",
            )
        )
        plans = scale.get("plans", {})
        if "province" in plans:
            out.append(
                _goal(
                    "one province's plan",
                    label,
                    plans["province"]["plan"],
                    plans["province"].get("engine_s"),
                    PROVINCE_PLAN_GOAL_S,
                    "s",
                )
            )
        if "national" in plans and (national or label == "stress"):
            row = plans["national"]
            out.append(
                _goal("national plan", label, row["plan"], row.get("engine_s"), NATIONAL_PLAN_GOAL_S, "s")
            )
            out.append(
                _goal(
                    "national plan ÷ hand-written SQL",
                    label,
                    row["plan"],
                    row.get("ratio_engine_to_baseline"),
                    BASELINE_RATIO_GOAL,
                    "×",
                )
            )
            out.append(
                _goal(
                    "national plan = hand-written SQL (mismatches)",
                    label,
                    row["plan"],
                    len(row.get("mismatches", [])) if "mismatches" in row else None,
                    1,
                    "targets",
                )
            )
    for entry in curve:
        per_mb = "per_mb_ratio" in entry
        for label, value in entry["per_mb_ratio" if per_mb else "ratio"].items():
            if label.startswith("x"):  # the curve's goal is about the demo's multiples (x1 -> x50)
                out.append(
                    _goal(
                        f"cost{' per MB written' if per_mb else ''} growth x1 -> {label} ({entry['mode']})",
                        label,
                        entry["page"],
                        value,
                        GROWTH_LIMIT + 1e-9,
                        "×",
                    )
                )
    return out


REQUIRED = {
    "benchmark": str,
    "machine": dict,
    "load_average_before": list,
    "load_average_after": list,
    "repeat": int,
    "scales": list,
    "curve": list,
    "goals": list,
}
REQUIRED_SCALE = {
    "label": str,
    "database": str,
    "organisations": int,
    "pages": list,
    "plans": dict,
    "load_average_before": list,
    "load_average_after": list,
}
REQUIRED_MEASURE = ("median_ms", "p95_ms", "queries", "sql_ms", "python_cpu_ms", "peak_rss_mb")


def shape_problems(result: dict) -> list[str]:
    """What is missing or mistyped in a results JSON (empty when its shape is right)."""
    problems = [
        f"{key}: missing or not {kind.__name__}"
        for key, kind in REQUIRED.items()
        if not isinstance(result.get(key), kind)
    ]
    for key in ("cores", "memory_gb", "postgresql"):
        if key not in result.get("machine", {}):
            problems.append(f"machine.{key}: missing")
    for scale in result.get("scales", []):
        where = scale.get("label", "?")
        problems += [
            f"{where}.{key}: missing or not {kind.__name__}"
            for key, kind in REQUIRED_SCALE.items()
            if not isinstance(scale.get(key), kind)
        ]
        for page in scale.get("pages", []):
            if "error" in page:
                continue
            for mode in ("cold", "warm"):
                missing = [k for k in REQUIRED_MEASURE if k not in page.get(mode, {})]
                if missing:
                    problems.append(f"{where}.{page.get('page')}.{mode}: missing {', '.join(missing)}")
    return problems


def assemble(
    scales: list[dict],
    *,
    repeat: int,
    machine_description: dict,
    load_before: list[float],
    load_after: list[float],
) -> dict:
    curve = cost_curve(scales)
    return {
        "benchmark": "pages and plan evaluation by registry size (issue 15)",
        "machine": machine_description,
        "load_average_before": load_before,
        "load_average_after": load_after,
        "repeat": repeat,
        "scales": scales,
        "curve": curve,
        "goals": goals(scales, curve),
    }


def _fmt(value, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        value = f"{value:,.2f}" if value < 10 else f"{value:,.0f}"
    return f"{value}{unit}"


def markdown(result: dict) -> str:
    m = result["machine"]
    labels = [s["label"] for s in sorted(result["scales"], key=lambda s: _order(s["label"]))]
    lines = [
        "# Pages and plan evaluation by registry size (issue 15)",
        "",
        f"{m.get('cores')} cores ({m.get('cpu') or m.get('architecture')}), {m.get('memory_gb')} GB, "
        f"{m.get('python')}, PostgreSQL {m.get('postgresql') or '?'}; load average before "
        f"{result['load_average_before']}, after {result['load_average_after']}. Each page: "
        f"{result['repeat']} requests cold (cache emptied before each) and {result['repeat']} warm, Django test "
        "client, production settings (DEBUG off). On a shared machine absolute times are inflated; the ratios "
        "within one run, the query counts and the CPU + SQL work are the reliable part.",
        "",
        "| size | database | organisations | yearly reports | built (s) | load average before → after |",
        "|---|---|---:|---:|---:|---|",
    ]
    for s in sorted(result["scales"], key=lambda s: _order(s["label"])):
        lines.append(
            f"| {s['label']} | {s['database']}{' (reused)' if s.get('reused') else ''} | {s['organisations']:,} | "
            f"{s.get('yearly_reports', 0):,} | {_fmt(s.get('build_seconds'))} | {s['load_average_before']} → "
            f"{s['load_average_after']} |"
        )
    lines += ["", "## Pages: median / p95 ms (queries, SQL ms, web CPU ms, peak RSS MB)", ""]
    header = (
        "| page | mode | "
        + " | ".join(labels)
        + " | "
        + " | ".join(f"÷ {labels[0]} at {lb}" for lb in labels[1:])
        + " |"
    )
    lines += [header, "|" + "---|" * (2 + 2 * len(labels) - 1)]
    by_scale = {s["label"]: {p["page"]: p for p in s["pages"]} for s in result["scales"]}
    curve = {(c["page"], c["mode"]): c for c in result["curve"]}
    names = list(dict.fromkeys(p["page"] for s in result["scales"] for p in s["pages"]))
    # "after a write" only when measured (BENCH_AFTER_WRITE=1)
    modes = [
        m
        for m in ("cold", AFTER_A_WRITE, "warm")
        if any(m in p for s in result["scales"] for p in s["pages"])
    ]
    for name in names:
        for mode in modes:
            cells = []
            for label in labels:
                page = by_scale[label].get(name)
                if page is None:
                    cells.append("—")
                elif "error" in page:
                    cells.append(f"error: {page['error'][:60]}")
                elif mode not in page:
                    cells.append("—")
                else:
                    x = page[mode]
                    cells.append(
                        f"{_fmt(x['median_ms'])} / {_fmt(x['p95_ms'])} ({x['queries']} q, "
                        f"{_fmt(x['sql_ms'])}, {_fmt(x['python_cpu_ms'])}, {_fmt(x['peak_rss_mb'])})"
                    )
            c = curve.get((name, mode), {"ratio": {}, "work_ratio": {}})
            ratios = []
            for label in labels[1:]:
                r, w = c["ratio"].get(label), c["work_ratio"].get(label)
                ratios.append(f"{_fmt(r, '×')}{_flag(c, label)} (work {_fmt(w, '×')}{_per_mb(c, label)})")
            lines.append(f"| {name} | {mode} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
    lines += [
        "",
        "## Plan evaluation (the engine, no page) against hand-written SQL, median seconds",
        "",
        "| size | plan | organisations in scope | targets | engine | engine + yearly series (computed) | "
        "series from stored points | hand-written SQL | engine ÷ SQL | same numbers |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for s in sorted(result["scales"], key=lambda s: _order(s["label"])):
        for which, row in s["plans"].items():
            if "error" in row:
                lines.append(f"| {s['label']} | {which}: error {row['error'][:80]} | | | | | | | | |")
                continue
            lines.append(
                f"| {s['label']} | {which}: {row['plan']} | {row['organisations_in_scope']:,} | {row['targets']} | "
                f"{_fmt(row['engine_s'])} | {_fmt(row['engine_with_series_s'])} | "
                f"{_fmt(row.get('series_from_stored_points_s'))} | {_fmt(row['baseline_sql_s'])} | "
                f"{_fmt(row['ratio_engine_to_baseline'])} | {'yes' if row['values_match_baseline'] else 'NO'} |"
            )
    lines += [
        "",
        "## Goals",
        "",
        "| goal | size | subject | value | limit | result |",
        "|---|---|---|---:|---:|---|",
    ]
    for g in result["goals"]:
        verdict = {True: "pass", False: "**FAIL**", None: "not measured"}[g["passed"]]
        lines.append(
            f"| {g['goal']} | {g['scale']} | {g['subject']} | {_fmt(g['value'])} | "
            f"{_fmt(round(g['limit'], 2))} {g['unit']} | {verdict} |"
        )
    return "\n".join(lines) + "\n"


def _flag(entry: dict, label: str) -> str:
    """⚠ where the page's cost grew beyond the limit (per MB written for a file answered at once)."""
    r = entry.get("per_mb_ratio", entry["ratio"]).get(label)
    return " **⚠**" if r is not None and r > GROWTH_LIMIT else ""


def _per_mb(entry: dict, label: str) -> str:
    r = entry.get("per_mb_ratio", {}).get(label)
    return "" if r is None else f"; per MB {_fmt(r, '×')}"


def curve_table(result: dict) -> str:
    """The cost curve, compact (benchmarks/README.md): per page and mode the median ms at each size, then the
    ratio to the smallest size (⚠ above 3×) with the ratio of CPU + SQL work in brackets."""
    labels = [s["label"] for s in sorted(result["scales"], key=lambda s: _order(s["label"]))]
    lines = [
        "| page | mode | "
        + " | ".join(f"{lb} ms" for lb in labels)
        + " | "
        + " | ".join(f"{lb} ÷ {labels[0]}" for lb in labels[1:])
        + " |",
        "|---|---|" + "---:|" * (2 * len(labels) - 1),
    ]
    for c in result["curve"]:
        ratios = []
        for label in labels[1:]:
            r = c["ratio"].get(label)
            flag = _flag(c, label).replace("**", "")
            ratios.append(
                f"{_fmt(r, '×')}{flag} ({_fmt(c['work_ratio'].get(label), '×')}{_per_mb(c, label)})"
            )
        medians = [_fmt(c["median_ms"].get(label)) for label in labels]
        lines.append(
            f"| {c['page']} | {c['mode']} | " + " | ".join(medians) + " | " + " | ".join(ratios) + " |"
        )
    return "\n".join(lines) + "\n"


# ---- the parent: databases, child processes, the results ----------------------------------------------


def _psql(base_url: str, sql: str, database: str | None = None) -> str:
    url = database_url(base_url, database) if database else base_url
    done = subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-Atc", sql], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"psql {sql!r}: {done.stderr.strip()}")
    return done.stdout.strip()


def _completed(base_url: str, name: str, label: str) -> dict | None:
    """The dataset row a completed build left in `name`, if any."""
    if _psql(base_url, f"SELECT 1 FROM pg_database WHERE datname = '{name}'") != "1":
        return None
    try:
        row = _psql(base_url, f"SELECT label, organisations, build_seconds FROM {DATASET_TABLE}", name)
    except RuntimeError:
        return None
    parts = row.split("|") if row else []
    if len(parts) != 3 or parts[0] != label:
        return None
    return {"organisations": int(parts[1]), "build_seconds": float(parts[2]) if parts[2] else None}


def _child(args: list[str], url: str, *, debug: bool) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "true" if debug else "false"}
    subprocess.run([sys.executable, __file__, *args], env=env, check=True, cwd=ROOT)


def ensure_dataset(base_url: str, label: str) -> dict:
    """The size's database, built unless BENCH_REUSE=1 and a completed build is there."""
    name = database_name(label)
    url = database_url(base_url, name)
    done = _completed(base_url, name, label)
    if os.environ.get("BENCH_REUSE") == "1" and done:
        print(f"== {label}: reusing {name} ({done['organisations']:,} organisations)", flush=True)
        _child(["--migrate"], url, debug=True)  # the code may have migrations the database has not
        return {"database": name, "url": url, "reused": True, "build_seconds": done["build_seconds"]}
    start = time.perf_counter()
    _psql(base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    template = database_name("x1")
    if label.startswith("x") and label != "x1" and _completed(base_url, template, "x1"):
        print(f"== {label}: copying {template}, then multiplying", flush=True)
        _psql(base_url, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    else:
        print(f"== {label}: building {name}", flush=True)
        _psql(base_url, f'CREATE DATABASE "{name}"')
    _child(["--prepare", label, str(time.time())], url, debug=True)
    return {
        "database": name,
        "url": url,
        "reused": False,
        "build_seconds": round(time.perf_counter() - start, 1),
    }


def run(base_url: str, labels: list[str]) -> dict:
    repeat = int(os.environ.get("BENCH_REPEAT", "5"))
    load_before = load_average()
    scales = []
    for label in labels:
        built = ensure_dataset(base_url, label)
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
            out = Path(handle.name)
        before = load_average()
        start = time.perf_counter()
        _child(["--measure", label, str(out)], built["url"], debug=False)
        measured = json.loads(out.read_text(encoding="utf-8"))
        out.unlink()
        scales.append(
            {
                "label": label,
                "database": built["database"],
                "reused": built["reused"],
                "build_seconds": built["build_seconds"],
                **measured,
                "measure_seconds": round(time.perf_counter() - start, 1),
                "load_average_before": before,
                "load_average_after": load_average(),
            }
        )
    return assemble(
        scales,
        repeat=repeat,
        machine_description=machine(base_url),
        load_before=load_before,
        load_after=load_average(),
    )


def main(argv: list[str]) -> None:
    base_url = argv[0] if argv else os.environ.get("PG_URL", DEFAULT_PG_URL)
    labels = [scale_label(t) for t in os.environ.get("BENCH_SCALES", "1,10").split(",") if t.strip()]
    if os.environ.get("BENCH_PREPARE_ONLY") == "1":  # build (or check) the databases, measure nothing
        for label in labels:
            print(
                json.dumps({label: {k: v for k, v in ensure_dataset(base_url, label).items() if k != "url"}})
            )
        return
    measured_parts = parts()
    started = datetime.datetime.now(datetime.UTC)
    result = run(base_url, labels)
    result["parts"] = measured_parts
    result["started_at"] = started.isoformat(timespec="seconds")
    result["finished_at"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    problems = shape_problems(result)
    if problems:
        raise SystemExit("results JSON incomplete: " + "; ".join(problems))
    default_out = (
        RESULTS / "scale.json"
        if measured_parts == list(PARTS)
        else RESULTS / f"scale-{'-'.join(measured_parts)}-{'-'.join(labels)}.json"
    )
    out = Path(os.environ.get("BENCH_SCALE_OUT", default_out))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    out.with_suffix(".md").write_text(markdown(result), encoding="utf-8")
    failed = [g for g in result["goals"] if g["passed"] is False]
    print(f"== {out} and {out.with_suffix('.md').name}: {len(result['goals'])} goals, {len(failed)} not met")


# ---- the children (DATABASE_URL set; Django) ----------------------------------------------------------


def prepare(label: str, started: float) -> None:
    """Build the size's data in DATABASE_URL's (empty, or copied from x1) database, then record it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoptac.settings")
    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection

    from hoptac.registry.models import Organisation, YearlyReport

    call_command("migrate", verbosity=0)
    if label in NATIONAL_SIZES:
        organisations = int(os.environ.get("BENCH_NATIONAL_ORGANISATIONS", NATIONAL_SIZES[label]))
        call_command(
            "generate_national", seed=int(os.environ.get("BENCH_SEED", "2025")), organisations=organisations
        )
    else:
        from load.prepare import load_demo
        from plan_evaluation import multiply

        if not Organisation._base_manager.exists():
            load_demo()
        factor = int(label[1:])
        if factor > 1:
            multiply(factor)
    _national_plan()
    with connection.cursor() as cursor:  # the copies were inserted with explicit ids
        for statement in connection.ops.sequence_reset_sql(no_style(), list(apps.get_models())):
            cursor.execute(statement)
        cursor.execute("ANALYZE")
        cursor.execute(f"DROP TABLE IF EXISTS {DATASET_TABLE}")
        cursor.execute(
            f"CREATE TABLE {DATASET_TABLE} (label text, organisations integer, build_seconds double precision)"
        )
        cursor.execute(
            f"INSERT INTO {DATASET_TABLE} VALUES (%s, %s, %s)",
            [label, Organisation._base_manager.count(), round(time.time() - started, 1)],
        )
    print(
        f"{label}: {Organisation._base_manager.count():,} organisations, "
        f"{YearlyReport._base_manager.count():,} yearly reports",
        flush=True,
    )


def _national_plan() -> None:
    """The national plan: the shipped NQ 20 plan file when there is one (loaded with the shipped plans), else
    Plan 139's targets over every province of the current map (a plan file written from Plan 139's)."""
    from django.conf import settings

    from hoptac.areas.models import AdminUnit
    from hoptac.core.datafiles import load_path
    from hoptac.plans.models import Plan

    if Plan.objects.filter(code__startswith="nq-20").exists():
        return
    shipped = sorted((settings.HOPTAC_DATA_DIR / "plans").glob("nq-20-*.yaml"))
    if shipped:
        load_path("plans", shipped[0])
        return
    provinces = AdminUnit.objects.filter(level="province", map="current").order_by("code")
    codes = ", ".join(f'"{code}"' for code in provinces.values_list("code", flat=True))
    text = (settings.HOPTAC_DATA_DIR / "plans" / "nam-dinh-139-KH-UBND-2022.yaml").read_text(encoding="utf-8")
    text = re.sub(
        r"(?m)^  code: nam-dinh-139-kh-ubnd-2022$", f"  code: {FALLBACK_NATIONAL_PLAN}", text, count=1
    )
    text = re.sub(
        r"(?m)^    map: legacy\n    areas: \[[^\]]*\]$",
        f"    map: current\n    areas: [{codes}]",
        text,
        count=1,
    )
    if FALLBACK_NATIONAL_PLAN not in text or "map: current" not in text:
        raise RuntimeError(
            "Plan 139's file no longer has the shape the national fallback plan is written from"
        )
    work = ROOT / "benchmarks" / ".work"
    work.mkdir(parents=True, exist_ok=True)
    path = work / f"{FALLBACK_NATIONAL_PLAN}.yaml"
    path.write_text(text, encoding="utf-8")
    load_path("plans", path)


def _subjects() -> dict:
    """Whom and what to measure: the province officer and a commune officer of the province with the most
    organisations, an organisation there, the province's plan and one of its counted targets."""
    from django.db.models import Count

    from hoptac.accounts.models import Role, User
    from hoptac.plans.choices import IndicatorKind
    from hoptac.plans.models import Plan
    from hoptac.registry.models import Organisation

    province_id = (
        Organisation._base_manager.filter(commune_current__isnull=False)
        .values("commune_current__province")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("commune_current__province", flat=True)
        .first()
    )
    demo = User.objects.filter(username="tinh").exists()  # the demo's accounts and Plan 139
    officer = os.environ.get("BENCH_OFFICER") or (
        "tinh"
        if demo
        else User.objects.filter(role=Role.PROVINCE, areas=province_id)
        .order_by("username")
        .values_list("username", flat=True)
        .first()
    )
    commune_officer = os.environ.get("BENCH_COMMUNE_OFFICER") or (
        "xa_haihau"
        if demo
        else User.objects.filter(role=Role.COMMUNE, areas__province=province_id)
        .order_by("username")
        .values_list("username", flat=True)
        .first()
    )
    plan_code = os.environ.get("BENCH_PLAN") or (
        DEMO_PLAN
        if demo
        else Plan.objects.filter(scope_areas=province_id)
        .exclude(code__startswith="nq-")
        .exclude(code=FALLBACK_NATIONAL_PLAN)
        .annotate(areas=Count("scope_areas"))
        .filter(areas=1)  # the province's own plan, not one over several provinces
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )
    plan = Plan.objects.get(code=plan_code)
    target = plan.targets.filter(kind=IndicatorKind.COUNT).order_by("pk").first()
    organisation = (
        Organisation._base_manager.filter(commune_current__province=province_id)
        .order_by("pk")
        .values_list("pk", flat=True)[:101]
    )
    national = (
        Plan.objects.filter(code__startswith="nq-20").order_by("code").values_list("code", flat=True).first()
        or FALLBACK_NATIONAL_PLAN
    )
    return {
        "officer": officer,
        "reader": _reader(officer),
        "commune_officer": commune_officer,
        "plan": plan.code,
        "plan_pk": plan.pk,
        "target": target.code if target else None,
        "organisation": list(organisation)[-1],
        "national_plan": national,
    }


def _reader(officer: str) -> str | None:
    """The whole-country reader: BENCH_READER, else the national registry's `quocgia` (a provincial officer
    naming no area, decision 0043), else the province officer when they reach every organisation of the
    installation. None when there is none (the demo: its `tinh` names former Nam Định)."""
    from hoptac.accounts.models import User
    from hoptac.registry.models import Organisation
    from hoptac.registry.selectors import organisation_list

    named = os.environ.get("BENCH_READER")
    if named:
        return named
    if User.objects.filter(username=NATIONAL_READER).exists():
        return NATIONAL_READER
    user = User.objects.get(username=officer)
    return officer if organisation_list(user=user).count() == Organisation._base_manager.count() else None


def print_subjects() -> None:
    """Shell `export` lines for the load test (scripts/bench_load.sh): the officers and the plan measured
    here, with up to five commune officers of the same province."""
    import shlex

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoptac.settings")
    import django

    django.setup()
    from hoptac.accounts.models import Role, User

    s = _subjects()
    if s["commune_officer"] == "xa_haihau":  # the demo's two commune officers
        communes = ["xa_haihau", "xa_haianh"]
    else:
        province = (
            User.objects.get(username=s["commune_officer"]).areas.values_list("province", flat=True).first()
        )
        communes = list(
            User.objects.filter(role=Role.COMMUNE, areas__province=province)
            .order_by("username")
            .values_list("username", flat=True)
            .distinct()[:5]
        )
    for key, value in (
        ("BENCH_PROVINCE_USERS", s["officer"]),
        ("BENCH_COMMUNE_USERS", ",".join(communes)),
        ("BENCH_OFFICER", s["officer"]),
        ("BENCH_COMMUNE_OFFICER", s["commune_officer"]),
        ("BENCH_PLAN", s["plan"]),
    ):
        print(f"export {key}={shlex.quote(value)}")


def pages(s: dict) -> list[tuple[str, str, str]]:
    """(name, user, URL) of every page measured: the load scenario's pages, /tasks/, /scoring/, /plans/, a
    target page, the API lists (first page and a deep page: resolved by `deep_url`) and the exports."""
    p, o, c = s["plan"], s["officer"], s["commune_officer"]
    rows = [
        ("desk (home)", o, "/"),
        ("registry list", o, "/registry/?page=3"),
        ("registry search", o, "/registry/?q=nông nghiệp"),
        ("organisation detail", o, f"/registry/{s['organisation']}/"),
        ("yearly data list", o, "/registry/years/"),
        ("/plans/", o, "/plans/"),
        ("plan page", o, f"/plans/{p}/"),
        ("plan targets API", o, f"/api/v1/plans/{s['plan_pk']}/targets/"),
        ("/scoring/", o, "/scoring/"),
        ("/tasks/", o, "/tasks/"),
        ("API organisations, page 1", o, "/api/v1/organisations/?page_size=50"),
        ("API organisations, page 50", o, "deep:/api/v1/organisations/?page_size=50"),
        ("API yearly reports, page 1", o, "/api/v1/yearly-reports/?page_size=50"),
        ("API yearly reports, page 50", o, "deep:/api/v1/yearly-reports/?page_size=50"),
        ("plan export (.xlsx)", o, f"/plans/{p}/export.xlsx"),
        ("registry export (.xlsx)", o, "/registry/export.xlsx"),
        ("registry list (commune)", c, "/registry/"),
        ("plan page (commune)", c, f"/plans/{p}/"),
        ("registry export (.xlsx, commune)", c, "/registry/export.xlsx"),
    ]
    if s.get("target"):
        rows.insert(7, ("plan target", o, f"/plans/{p}/targets/{s['target']}/"))
    return rows + reader_pages(s)


def reader_pages(s: dict) -> list[tuple[str, str, str]]:
    """The whole-country reader's pages (`s["reader"]`: none when there is no such account), named
    "… (whole country)"."""
    r = s.get("reader")
    if not r:
        return []
    return [
        (f"{name} {WHOLE_COUNTRY}", r, url)
        for name, url in (
            ("desk (home)", "/"),
            ("registry list", "/registry/?page=3"),
            ("registry search", "/registry/?q=nông nghiệp"),
            ("yearly data list", "/registry/years/"),
            ("organisation detail", f"/registry/{s['organisation']}/"),
            ("/plans/", "/plans/"),
            ("/scoring/", "/scoring/"),
            ("/tasks/", "/tasks/"),
        )
    ]


class PageTimeout(Exception):
    """A page's first request took longer than BENCH_PAGE_TIMEOUT."""


def deep_url(client, url: str, depth: int = 50) -> str:
    """The URL of page `depth` of an API list (or its last page if it has fewer): page-number lists are
    addressed directly (?page=N); cursor lists are walked from the first page by their `next` links."""
    from urllib.parse import parse_qs, urlencode, urlsplit

    first = client.get(url)
    assert first.status_code == 200, f"{url}: {first.status_code}"
    data = first.json()
    if not data.get("next"):
        return url
    parts = urlsplit(data["next"])
    query = parse_qs(parts.query)
    if "page" in query:
        count = data.get("count")
        size = len(data.get("results", [])) or 1
        last = -(-count // size) if isinstance(count, int) else depth
        query["page"] = [str(min(depth, last))]
        return f"{parts.path}?{urlencode(query, doseq=True)}"
    next_url = data["next"]
    for _ in range(depth - 2):
        following = client.get(next_url).json().get("next")
        if not following:
            break
        next_url = following
    parts = urlsplit(next_url)
    return f"{parts.path}?{parts.query}"


class NewestReportWrite:
    """BENCH_AFTER_WRITE=1: the "after a write" mode (decision 0050) — before each request, a committed save of
    one accepted yearly report of the newest data year (its workers one more, then one fewer; put back by
    `restore`): what the first request after a realistic change costs, the Django cache left as it is (the
    data version moves). It WRITES to the database measured: use it on a copy, never on a shared one."""

    def __init__(self) -> None:
        from django.utils import timezone

        from hoptac.plans.indicators import data_year_for
        from hoptac.registry.models import YearlyReport

        self.reports = YearlyReport.objects.unrestricted("benchmark: the after-a-write mode")
        year = data_year_for(timezone.localdate())
        self.pk = (
            self.reports.filter(year=year, state="accepted")
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        assert self.pk is not None, f"BENCH_AFTER_WRITE: no accepted yearly report of {year}"
        self.writes = 0

    def __call__(self) -> None:
        from django.db import transaction
        from django.db.models import F

        with transaction.atomic():
            self.reports.filter(pk=self.pk).update(workers=F("workers") + (1 if self.writes % 2 == 0 else -1))
        self.writes += 1

    def restore(self) -> None:
        if self.writes % 2:
            self()


def measure_size(label: str, out: str) -> None:
    """Every page and the plan evaluation on DATABASE_URL's database (production settings)."""
    import page_costs  # sets Django up with production settings (DEBUG off)
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client
    from django.test.utils import setup_test_environment

    from hoptac.accounts.models import User
    from hoptac.registry.models import Organisation, YearlyReport

    measured_parts = parts()
    call_command("collectstatic", interactive=False, verbosity=0)
    setup_test_environment()
    repeat = int(os.environ.get("BENCH_REPEAT", "5"))
    budget = float(os.environ.get("BENCH_PAGE_BUDGET", "30"))  # seconds per page and mode
    timeout = int(os.environ.get("BENCH_PAGE_TIMEOUT", "180"))  # seconds for the first request of a page

    def stop(signum, frame):
        raise PageTimeout

    signal.signal(signal.SIGALRM, stop)
    s = _subjects()
    print(
        f"== {label}: measuring as {s['officer']} / {s['commune_officer']} / {s['reader']}, plan {s['plan']}",
        flush=True,
    )
    writer = NewestReportWrite() if os.environ.get("BENCH_AFTER_WRITE") == "1" else None
    clients: dict[str, Client] = {}
    rows = []
    for name, username, url in pages(s) if "pages" in measured_parts else []:
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        client = clients[username]
        row: dict = {"page": name, "user": username}
        try:
            url = deep_url(client, url[5:]) if url.startswith("deep:") else url
            row["url"] = url
            start = time.perf_counter()
            signal.alarm(timeout)  # a page slower than this is stopped and reported as such (PageTimeout)
            try:
                first = client.get(url)  # warm-up (imports, templates, connection)
                body = (
                    b"".join(first.streaming_content) if getattr(first, "streaming", False) else first.content
                )
                if "attachment" in first.get("Content-Disposition", ""):  # a file answered at once
                    row["file_bytes"] = len(body)
            finally:
                signal.alarm(0)
            login = first.status_code in (301, 302) and "/accounts/login/" in first.get("Location", "")
            assert not login, f"{url}: signed out"
            # A page slower than the budget allows is requested fewer times (at least once): `runs` says how many.
            runs = max(1, min(repeat, int(budget / max(time.perf_counter() - start, 1e-3))))
            row["cold"] = page_costs.measure(client, url, cold=True, repeat=runs)
            if writer is not None:
                row[AFTER_A_WRITE] = page_costs.measure(client, url, cold=False, repeat=runs, prepare=writer)
            row["warm"] = page_costs.measure(client, url, cold=False, repeat=runs)
        except AssertionError as exc:
            row["error"] = str(exc)
        except PageTimeout:
            row["error"] = f"stopped after {timeout} s"
            row["timed_out_s"] = timeout
            connections.close_all()  # the interrupted request may have left its connection mid-query
        rows.append(row)
        if "error" in row:
            print(f"{name:36} ERROR {row['error']}", flush=True)
        else:
            print(
                f"{name:36} cold {row['cold']['median_ms']:>8} / {row['cold']['p95_ms']:>8} ms "
                f"{row['cold']['queries']:>3} q | warm {row['warm']['median_ms']:>8} / {row['warm']['p95_ms']:>8} ms "
                f"| {row['warm']['peak_rss_mb']} MB",
                flush=True,
            )
    if writer is not None:
        writer.restore()
    plans = {}
    import plan_evaluation

    from hoptac.plans.models import Plan

    for which, code in (
        (("province", s["plan"]), ("national", s["national_plan"])) if "plans" in measured_parts else ()
    ):
        try:
            plans[which] = plan_evaluation.measure(Plan.objects.get(code=code), label)
        except Exception as exc:  # noqa: BLE001 — reported in the results, the other figures stand
            plans[which] = {"plan": code, "error": f"{type(exc).__name__}: {exc}"}
        print(f"plan evaluation, {which}: {json.dumps(plans[which], ensure_ascii=False)[:300]}", flush=True)
    from django.apps import apps

    assessments = (
        Organisation.assessments.rel.related_model._base_manager.count()
        if apps.is_installed("hoptac.scoring") and hasattr(Organisation, "assessments")
        else 0
    )
    result = {
        "organisations": Organisation._base_manager.count(),
        "yearly_reports": YearlyReport._base_manager.count(),
        "assessments": assessments,
        "subjects": s,
        "pages": rows,
        "plans": plans,
    }
    Path(out).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--migrate"]:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoptac.settings")
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
    elif sys.argv[1:2] == ["--prepare"]:
        sys.path.insert(0, str(ROOT))
        prepare(sys.argv[2], float(sys.argv[3]))
    elif sys.argv[1:2] == ["--measure"]:
        sys.path.insert(0, str(ROOT))
        measure_size(sys.argv[2], sys.argv[3])
    elif sys.argv[1:2] == ["--subjects"]:
        sys.path.insert(0, str(ROOT))
        print_subjects()
    elif sys.argv[1:2] == ["--curve"]:
        print(curve_table(json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))), end="")
    elif sys.argv[1:2] == ["--markdown"]:
        print(markdown(json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))), end="")
    else:
        main(sys.argv[1:])
