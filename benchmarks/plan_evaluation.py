"""Benchmark: evaluating every target of Plan 139 on the demo registry and on one 50 times larger, against
a baseline measured in the same run — the same numbers computed by one hand-written SQL query per target.

Run with `make bench` (it sets DATABASE_URL to a scratch SQLite file under benchmarks/.work/). Writes
benchmarks/results/plan-evaluation.json and .md. Goal (issue #3): whole-plan evaluation within 3× of the
baseline and under 1 s at the larger size.
"""

import datetime
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

from hoptac.areas.selectors import commune_ids_within  # noqa: E402
from hoptac.core.datafiles import load_path  # noqa: E402
from hoptac.plans.choices import IndicatorKind  # noqa: E402
from hoptac.plans.evaluation import evaluate_plan  # noqa: E402
from hoptac.plans.indicators import DIGITAL_FLAGS, MEMBER_FIELDS, data_year_for, plan_scope_q  # noqa: E402
from hoptac.plans.models import Plan, ReferenceValue  # noqa: E402
from hoptac.registry.choices import EXISTING_STATUSES  # noqa: E402
from hoptac.registry.models import Organisation, StatusChange, YearlyReport  # noqa: E402

AS_OF = datetime.date(2024, 12, 31)
REPEAT = int(os.environ.get("BENCH_PLAN_REPEAT", "5"))

# ---- the baseline: one hand-written SQL query per target ----------------------------------------------

STATUS_JOIN = """ JOIN registry_statuschange s ON s.organisation_id = o.id AND s.effective_from <= %s
                  AND (s.effective_to IS NULL OR s.effective_to > %s)"""
# An organisation is in the territory by its commune on the plan's map, or, known only on the other map, by
# the commune that succeeds (legacy plan) or precedes (current plan) it (plans.indicators.plan_scope_q).
SCOPE_SQL = {
    "legacy": """(o.commune_legacy_id IN ({ids}) OR (o.commune_legacy_id IS NULL AND o.commune_current_id IN
               (SELECT cs.new_commune_id FROM areas_communesuccession cs WHERE cs.old_commune_id IN ({ids}))))""",
    "current": """(o.commune_current_id IN ({ids}) OR (o.commune_current_id IS NULL AND o.commune_legacy_id IN
               (SELECT cs.old_commune_id FROM areas_communesuccession cs WHERE cs.new_commune_id IN ({ids}))))""",
}


def _in(values):
    return ", ".join(f"'{v}'" for v in values)


def _flags_sql(conditions):
    parts = []
    for key, wanted in conditions.items():
        if key in ("kinds", "sectors", "sub_sectors", "statuses"):
            continue
        if key == "rating":
            parts.append(f"rt.band IN ({_in(wanted)})")
            continue
        if key == "ocop":
            expr = "COALESCE(yr.ocop_products, 0) > 0"
        elif key == "digital_any":
            expr = "(" + " OR ".join(f"yr.{f}" for f in DIGITAL_FLAGS) + ")"
        else:
            expr = f"yr.{key}"
        parts.append(expr if wanted else f"NOT {expr}")
    return " AND ".join(parts) or "1=1"


def _org_sql(conditions, with_status=True):
    parts = []
    if "kinds" in conditions:
        parts.append(f"o.kind IN ({_in(conditions['kinds'])})")
    if "sectors" in conditions:
        parts.append(f"o.sector IN ({_in(conditions['sectors'])})")
    if "sub_sectors" in conditions:
        parts.append(f"o.sub_sector IN ({_in(conditions['sub_sectors'])})")
    if with_status:
        parts.append(f"s.status IN ({_in(conditions.get('statuses', EXISTING_STATUSES))})")
    return " AND ".join(parts) or "1=1"


def baseline_value(target, scope_ids, scope_map="legacy"):
    spec, kind = target.indicator, target.kind
    year = data_year_for(AS_OF)
    scope = SCOPE_SQL[scope_map].format(ids=scope_ids)
    population = spec.get("population", {})
    joins = (
        f" LEFT JOIN registry_yearlyreport yr ON yr.organisation_id = o.id AND yr.year = {year}"
        f" LEFT JOIN scoring_assessment rt ON rt.organisation_id = o.id AND rt.year = {year}"
        " AND rt.state = 'approved'"
        if "rating" in json.dumps(spec)
        else f" LEFT JOIN registry_yearlyreport yr ON yr.organisation_id = o.id AND yr.year = {year}"
    )
    with connection.cursor() as cursor:
        if kind == IndicatorKind.COUNT:
            # A condition on the year's data (e.g. high_tech) joins it; otherwise the organisations alone.
            flags = _flags_sql(population)
            cursor.execute(
                f"SELECT COUNT(*) FROM registry_organisation o {STATUS_JOIN} {joins if flags != '1=1' else ''}"
                f" WHERE {scope} AND {_org_sql(population)} AND {flags}",
                [AS_OF, AS_OF],
            )
            return float(cursor.fetchone()[0])
        if kind == IndicatorKind.FLOW:
            cursor.execute(
                f"SELECT COUNT(*) FROM registry_organisation o WHERE {scope} AND {_org_sql(population, False)}"
                " AND o.founding_date BETWEEN %s AND %s",
                [datetime.date(AS_OF.year, 1, 1), AS_OF],
            )
            return float(cursor.fetchone()[0])
        if kind in (IndicatorKind.SUM, IndicatorKind.PER_CAPITA):
            figure = (
                " + ".join(f"yr.{f}" for f in MEMBER_FIELDS)
                if spec["field"] == "members"
                else f"yr.{spec['field']}"
            )
            cursor.execute(
                f"SELECT SUM({figure}) FROM registry_organisation o {STATUS_JOIN} {joins} WHERE {scope}"
                f" AND {_org_sql(population)} AND yr.id IS NOT NULL",
                [AS_OF, AS_OF],
            )
            total = cursor.fetchone()[0]
            if kind == IndicatorKind.SUM:
                return float(total) if total is not None else None
            # The plan's own series, summed over its scope areas, for the data year (or the latest before it,
            # else the earliest after it): docs/decisions/0016-reference-data-per-plan.md.
            values = ReferenceValue.objects.filter(
                series__plan=target.plan,
                series__code=spec["reference"],
                area__in=target.plan.scope_areas.all(),
            )
            years = sorted(set(values.values_list("year", flat=True)))
            if not years:
                return None
            used = max((y for y in years if y <= year), default=years[0])
            reference = sum(values.filter(year=used).values_list("value", flat=True))
            return float(total) / reference * 100 if total is not None and reference else None
        # share
        has = (
            ["yr.id IS NOT NULL"]
            if any(
                k not in ("kinds", "sectors", "sub_sectors", "statuses", "rating")
                for part in ("population", "within", "of")
                for k in spec.get(part, {})
            )
            else []
        )
        if "rating" in json.dumps(spec):
            has.append("rt.band IN ('good', 'fair', 'average', 'weak')")
        within = _flags_sql(spec.get("within", {}))
        cursor.execute(
            f"SELECT SUM(CASE WHEN {_flags_sql(spec['of'])} THEN 1 ELSE 0 END), COUNT(*)"
            f" FROM registry_organisation o {STATUS_JOIN} {joins} WHERE {scope} AND {_org_sql(population)}"
            f" AND {' AND '.join(has) or '1=1'} AND {within}",
            [AS_OF, AS_OF],
        )
        numerator, denominator = cursor.fetchone()
        return numerator / denominator * 100 if denominator else None


def timed(fn, before=None):
    """The median of REPEAT runs of `fn` (`before()`, untimed, ahead of each)."""
    runs = []
    for _ in range(REPEAT):
        if before is not None:
            before()
        start = time.perf_counter()
        value = fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), value


def forget_points(plan):
    """The plan's durable points (decision 0050) removed, so that its series is computed, not read. A derived
    table, not data: removing rows raises no clock. Nothing to do in a checkout before decision 0050."""
    try:
        from hoptac.plans.models import PlanPoint
    except ImportError:
        return
    PlanPoint.objects.filter(plan=plan).delete()


def measure(plan, label):
    has_scoring = hasattr(Organisation, "assessments")
    targets = [
        t
        for t in plan.targets.all()
        if t.kind != IndicatorKind.QUALITATIVE and (has_scoring or "rating" not in json.dumps(t.indicator))
    ]
    scope_ids = ", ".join(str(i) for i in sorted(commune_ids_within(plan.scope_areas.all())))
    engine_time, results = timed(lambda: evaluate_plan(plan, as_of=AS_OF, targets=targets, with_series=False))
    with_series = lambda: evaluate_plan(plan, as_of=AS_OF, targets=targets, with_series=True)  # noqa: E731
    series_time, _series = timed(with_series, before=lambda: forget_points(plan))
    stored_time, _series = timed(with_series)  # the points computed just above, read
    baseline_time, baseline = timed(lambda: [baseline_value(t, scope_ids, plan.scope_map) for t in targets])
    mismatches = [
        (t.code, r.value, b)
        for t, r, b in zip(targets, results, baseline, strict=True)
        if not (r.value == b or (r.value is not None and b is not None and abs(r.value - b) < 1e-6))
    ]
    return {
        "registry": label,
        "plan": plan.code,
        "organisations": Organisation.objects.count(),
        "yearly_reports": YearlyReport.objects.count(),
        "organisations_in_scope": Organisation._base_manager.filter(plan_scope_q(plan)).count(),
        "targets": len(targets),
        "engine_s": round(engine_time, 4),
        "engine_with_series_s": round(series_time, 4),
        "series_from_stored_points_s": round(stored_time, 4),
        "baseline_sql_s": round(baseline_time, 4),
        "ratio_engine_to_baseline": round(engine_time / baseline_time, 2),
        "values_match_baseline": not mismatches,
        "mismatches": mismatches,
    }


def _columns(model) -> list[str]:
    return [f.column for f in model._meta.concrete_fields]


def multiply(factor: int) -> None:  # noqa: C901
    """Make the registry `factor` times larger by copying every organisation with its status history, yearly
    data and ratings (new ids, suffixed registration codes): the same shape, the same communes."""
    from django.apps import apps

    children = [StatusChange, YearlyReport]
    if apps.is_installed("hoptac.scoring") and hasattr(Organisation, "assessments"):
        children.append(Organisation.assessments.rel.related_model)
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM registry_organisation")
        org_step = cursor.fetchone()[0]
        steps = {}
        for model in children:
            cursor.execute(f"SELECT MAX(id) FROM {model._meta.db_table}")
            steps[model] = cursor.fetchone()[0] or 0
        org_cols = _columns(Organisation)
        for k in range(1, factor):
            select = [
                f"id + {k * org_step}"
                if c == "id"
                else f"CASE WHEN registration_code = '' THEN '' ELSE registration_code || '-{k}' END"
                if c == "registration_code"
                else f"union_id + {k * org_step}"
                if c == "union_id"
                else f"converted_from_id + {k * org_step}"
                if c == "converted_from_id"
                else c
                for c in org_cols
            ]
            cursor.execute(
                f"INSERT INTO registry_organisation ({', '.join(org_cols)}) SELECT {', '.join(select)}"
                f" FROM registry_organisation WHERE id <= {org_step}"
            )
            for model in children:
                cols = _columns(model)
                select = [
                    f"id + {k * steps[model]}"
                    if c == "id"
                    else f"organisation_id + {k * org_step}"
                    if c == "organisation_id"
                    else c
                    for c in cols
                ]
                cursor.execute(
                    f"INSERT INTO {model._meta.db_table} ({', '.join(cols)}) SELECT {', '.join(select)}"
                    f" FROM {model._meta.db_table} WHERE id <= {steps[model]}"
                )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main():
    call_command("migrate", verbosity=0)
    call_command("load_admin_units", verbosity=0)
    call_command("load_demo", reset=True, verbosity=0)
    try:
        call_command("load_demo_scoring", verbosity=0)
    except Exception as exc:  # noqa: BLE001 — the scoring demo may not exist in this version
        print(f"(no demo ratings: {exc})")
    plan = load_path("plans", settings.HOPTAC_DATA_DIR / "plans" / "nam-dinh-139-KH-UBND-2022.yaml").obj
    rows = []
    done = 1
    for scale in [int(s) for s in os.environ.get("BENCH_SCALES", "1,50").split(",") if s.isdigit()]:
        multiply_by = int(scale) // done
        if multiply_by > 1:
            multiply(multiply_by)
            done *= multiply_by
        row = measure(Plan.objects.get(pk=plan.pk), f"demo × {done}")
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False))
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    meta = {
        "benchmark": "plan evaluation (Plan 139, as of 31/12/2024)",
        "database": connection.vendor,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "repeat": REPEAT,
        "statistic": "median seconds",
        "goal": "engine within 3x of the baseline and under 1 s at the larger size",
        "rows": rows,
    }
    (out / "plan-evaluation.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
    lines = [
        f"# {meta['benchmark']}",
        "",
        f"{meta['database']}, Python {meta['python']}, {meta['machine']}; median of {REPEAT} runs.",
        "",
        "| registry | organisations | yearly reports | targets | engine (s) | engine + series, computed (s) |"
        " series from stored points (s) | baseline SQL (s) | engine ÷ baseline | same values |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['registry']} | {r['organisations']:,} | {r['yearly_reports']:,} | {r['targets']} | {r['engine_s']} |"
            f" {r['engine_with_series_s']} | {r.get('series_from_stored_points_s', '—')} | {r['baseline_sql_s']} | {r['ratio_engine_to_baseline']} |"
            f" {'yes' if r['values_match_baseline'] else 'NO'} |"
        )
    (out / "plan-evaluation.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
