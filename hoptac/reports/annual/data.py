"""Every figure of the yearly report, computed — never typed.

The situation of the collective economy (section I) is computed by the plan's own indicator engine
(`hoptac.plans.indicators.compute`) with indicators made up here (counts by kind, sums of yearly figures,
counts by rating band): the same territory, the same "on the books on a date", the same data year and the
same handling of missing data as the plan's targets, so the report never shows two different numbers for
one thing (e.g. the share of organisations rated good or fair here is the engine's value of that target).
Targets (section II) are `hoptac.plans.selectors.plan_evaluate`. Tasks (section III) come from
hoptac.tasks when that app and its tables are there, else from the plan's own task list.

Raw numbers only: `docx.py` formats them for the document, `annexes.py` writes them to Excel.
"""

import datetime
import itertools
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import override

from hoptac.areas.models import MAP_SWITCH_DATE, AdminMap, AdminUnit, Level
from hoptac.core.formatting import format_date
from hoptac.plans import selectors as plan_selectors
from hoptac.plans.choices import IndicatorKind
from hoptac.plans.evaluation import TargetResult, status_counts
from hoptac.plans.indicators import (
    Measure,
    annotated_queryset,
    compute,
    conditions_q,
    data_year_for,
)
from hoptac.plans.models import Plan, PlanTask, Target
from hoptac.registry.choices import OrganisationKind, Sector

logger = logging.getLogger(__name__)

KINDS = [OrganisationKind.HTX, OrganisationKind.LHHTX, OrganisationKind.THT, OrganisationKind.QTDND]
KIND_LABELS = {
    OrganisationKind.HTX: "Hợp tác xã",
    OrganisationKind.LHHTX: "Liên hiệp hợp tác xã",
    OrganisationKind.THT: "Tổ hợp tác",
    OrganisationKind.QTDND: "Quỹ tín dụng nhân dân",
}
KIND_SHORT = {
    OrganisationKind.HTX: "HTX",
    OrganisationKind.LHHTX: "LHHTX",
    OrganisationKind.THT: "THT",
    OrganisationKind.QTDND: "QTDND",
}
# Rated organisations: the kinds the plan's rating targets count (HTX and LHHTX; docs/decisions/0003-plans.md).
RATED_KINDS = [OrganisationKind.HTX, OrganisationKind.LHHTX]
BANDS = ["good", "fair", "average", "weak", "not_rated"]
BAND_LABELS = {
    "good": "Tốt",
    "fair": "Khá",
    "average": "Trung bình",
    "weak": "Yếu",
    "not_rated": "Không xếp loại (thuộc trường hợp không đánh giá)",
}
SCORE_BANDS = BANDS[:4]
FIGURES = ["members", "official_members", "workers", "revenue", "profit"]
NOT_LOCATED = "Chưa xác định"
NO_LEGACY_COMMUNE = "Thành lập từ 1/7/2025 (chỉ có xã, phường mới)"
NO_CURRENT_COMMUNE = "Chưa xác định xã, phường mới"


# ----------------------------------------------------------------------------------------------------
# Letterhead, recipients and signature: data of the template context, with defaults an officer overrides
# (command options, settings.HOPTAC_ANNUAL_REPORT) or edits in Word afterwards.


@dataclass
class Letterhead:
    issuer_lines: list[str]
    issuer_name: str
    place: str
    symbol: str = "BC-UBND"
    number: str = ""
    issue_date: datetime.date | None = None
    issue_year: int = 0
    recipients: list[str] = field(default_factory=list)
    authority: str = "TM. ỦY BAN NHÂN DÂN"
    deputy: str = "KT. CHỦ TỊCH"
    signer_title: str = "PHÓ CHỦ TỊCH"
    signer_name: str = ""


def _upper(text: str) -> str:
    return text.upper()


def issuing_province(on: datetime.date, plan: Plan) -> AdminUnit | None:
    """The province whose People's Committee issues a report on `on`: before the 2025 reorganisation the
    plan's own province (its scope on the old map), from 1/7/2025 the installation's province on the new map
    (settings.HOPTAC_PROVINCE_CODES) — Nam Định's plan is reported on by UBND tỉnh Ninh Bình."""
    if on >= MAP_SWITCH_DATE:
        codes = getattr(settings, "HOPTAC_PROVINCE_CODES", []) or []
        return (
            AdminUnit.objects.filter(map=AdminMap.CURRENT, level=Level.PROVINCE, code__in=codes)
            .order_by("code")
            .first()
        )
    for unit in plan.scope_areas.all():
        if unit.level == Level.PROVINCE:
            return unit
        if unit.province_id:
            return unit.province
    return None


def _province_words(unit: AdminUnit) -> tuple[str, str]:
    """("tỉnh", "Ninh Bình") for "Tỉnh Ninh Bình"; ("thành phố", "Hà Nội") for a city."""
    kind = (unit.unit_type or "Tỉnh").lower()
    name = unit.short_name or unit.name
    if unit.name.lower().startswith(kind):
        name = unit.name[len(kind) :].strip() or name
    return kind, name


def default_recipients(on: datetime.date) -> list[str]:
    """The usual distribution of a provincial report on the collective economy. After the 2025 reforms the
    Ministry of Planning and Investment is part of the Ministry of Finance and districts no longer exist."""
    ministry = "Bộ Tài chính" if on >= MAP_SWITCH_DATE else "Bộ Kế hoạch và Đầu tư"
    local = "UBND các xã, phường" if on >= MAP_SWITCH_DATE else "UBND các huyện, thành phố"
    return [
        f"{ministry} (để báo cáo);",
        "Thường trực Tỉnh ủy (để báo cáo);",
        "Thường trực HĐND tỉnh (để báo cáo);",
        "Chủ tịch, các Phó Chủ tịch UBND tỉnh;",
        "Liên minh Hợp tác xã tỉnh;",
        "Các sở, ban, ngành thuộc tỉnh;",
        f"{local};",
        "Lưu: VT.",
    ]


def letterhead_for(plan: Plan, *, on: datetime.date, overrides: dict[str, Any] | None = None) -> Letterhead:
    """Defaults from the plan, the map in force on the issue date and settings.HOPTAC_ANNUAL_REPORT (a dict
    with any of the Letterhead fields), then `overrides` (command options, the page's form)."""
    province = issuing_province(on, plan)
    if province is not None:
        kind, name = _province_words(province)
        issuer_name = f"Ủy ban nhân dân {kind} {name}"
        lines = ["ỦY BAN NHÂN DÂN", _upper(f"{kind} {name}")]
        place = name
    else:
        issuer_name = plan.issuer
        lines = [_upper(plan.issuer)]
        place = ""
    letterhead = Letterhead(
        issuer_lines=lines,
        issuer_name=issuer_name,
        place=place,
        issue_date=None,
        issue_year=on.year,
        recipients=default_recipients(on),
    )
    # The plan's signer signs for the same People's Committee only (not after the merger).
    if issuer_name.lower() == plan.issuer.lower():
        letterhead.signer_name = plan.signer
    configured = getattr(settings, "HOPTAC_ANNUAL_REPORT", None) or {}
    for source in (configured, overrides or {}):
        for key, value in source.items():
            if value in (None, "", []) or not hasattr(letterhead, key):
                continue
            setattr(letterhead, key, value)
    if (overrides or {}).get("issuer_name") and not (overrides or {}).get("issuer_lines"):
        letterhead.issuer_lines = _issuer_lines(letterhead.issuer_name)
    if letterhead.issue_date is not None:
        letterhead.issue_year = letterhead.issue_date.year
    return letterhead


def _issuer_lines(name: str) -> list[str]:
    lowered = name.lower()
    for head in ("ủy ban nhân dân", "uỷ ban nhân dân"):
        if lowered.startswith(head):
            return ["ỦY BAN NHÂN DÂN", _upper(name[len(head) :].strip())]
    return [_upper(name)]


# ----------------------------------------------------------------------------------------------------
# Indicators made up for the report, computed by the engine.

_ids = itertools.count(900_000_000)


def indicator(kind: str, population: dict, **spec) -> Target:
    """An unsaved Target the engine can compute (it only reads pk, kind and indicator)."""
    target = Target(kind=kind, indicator={"kind": kind, "population": population, **spec}, code="", name="")
    target.pk = next(_ids)
    return target


@dataclass
class KindRow:
    kind: str
    label: str
    start: int
    new: int
    end: int
    active: int

    @property
    def ceased(self) -> int:
        """Dissolved or otherwise off the books during the year: start + new − end."""
        return self.start + self.new - self.end


@dataclass
class GridRow:
    """Counts by kind for one group (a sector, a district, a commune)."""

    code: str
    label: str
    counts: dict[str, int]
    parent: str = ""

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class FinanceRow:
    kind: str
    label: str
    organisations: int
    with_data: int
    members: float
    official_members: float
    workers: float
    revenue: float
    profit: float

    @property
    def revenue_average(self) -> float | None:
        return self.revenue / self.with_data if self.with_data else None

    @property
    def profit_average(self) -> float | None:
        return self.profit / self.with_data if self.with_data else None


@dataclass
class BandRow:
    band: str
    label: str
    count: int


@dataclass
class RatingGroup:
    """Approved ratings of one group (a kind, a sector, a commune) in the rating year and the year before."""

    code: str
    label: str
    now: dict[str, int]
    before: dict[str, int]

    @staticmethod
    def _rated(counts: dict[str, int]) -> int:
        return sum(counts.get(b, 0) for b in SCORE_BANDS)

    @property
    def rated(self) -> int:
        return self._rated(self.now)

    @property
    def rated_before(self) -> int:
        return self._rated(self.before)

    @staticmethod
    def _share(counts: dict[str, int]) -> float | None:
        rated = RatingGroup._rated(counts)
        return (counts.get("good", 0) + counts.get("fair", 0)) / rated * 100 if rated else None

    @property
    def share_good_fair(self) -> float | None:
        return self._share(self.now)

    @property
    def share_good_fair_before(self) -> float | None:
        return self._share(self.before)


@dataclass
class Ratings:
    available: bool
    rows: list[BandRow] = field(default_factory=list)
    population: int = 0
    year: int | None = None  # the year the ratings are of: the data year, or the last approved year before it
    data_year: int = 0
    by_kind: list[RatingGroup] = field(default_factory=list)
    by_sector: list[RatingGroup] = field(default_factory=list)
    by_commune: list[RatingGroup] = field(default_factory=list)

    @property
    def fallback(self) -> bool:
        """The data year has no approved rating yet: the ratings shown are of an earlier year."""
        return self.year is not None and self.year != self.data_year

    @property
    def previous_year(self) -> int | None:
        return self.year - 1 if self.year is not None else None

    def total_group(self) -> RatingGroup:
        groups = self.by_kind
        return RatingGroup(
            code="",
            label="Tổng cộng",
            now={b: sum(g.now.get(b, 0) for g in groups) for b in BANDS},
            before={b: sum(g.before.get(b, 0) for g in groups) for b in BANDS},
        )

    def count(self, band: str) -> int:
        return next((r.count for r in self.rows if r.band == band), 0)

    @property
    def rated(self) -> int:
        return sum(self.count(b) for b in SCORE_BANDS)

    @property
    def assessed(self) -> int:
        return self.rated + self.count("not_rated")

    @property
    def not_assessed(self) -> int:
        return self.population - self.assessed

    @property
    def good_fair(self) -> int:
        return self.count("good") + self.count("fair")

    @property
    def share_good_fair(self) -> float | None:
        """Percent of the rated (good, fair, average, weak): the engine's share for a "tốt, khá" target."""
        return self.good_fair / self.rated * 100 if self.rated else None

    def share(self, band: str) -> float | None:
        return self.count(band) / self.rated * 100 if self.rated and band in SCORE_BANDS else None


@dataclass
class Situation:
    kinds: list[KindRow]
    sectors: list[GridRow]
    districts: list[GridRow]
    communes: list[GridRow]
    finance: list[FinanceRow]
    ratings: Ratings

    def kinds_total(self) -> KindRow:
        return KindRow(
            kind="",
            label="Tổng cộng",
            start=sum(r.start for r in self.kinds),
            new=sum(r.new for r in self.kinds),
            end=sum(r.end for r in self.kinds),
            active=sum(r.active for r in self.kinds),
        )

    def kind(self, kind: str) -> KindRow:
        return next(r for r in self.kinds if r.kind == kind)

    def finance_total(self) -> FinanceRow:
        return FinanceRow(
            kind="",
            label="Tổng cộng",
            **{
                name: sum(getattr(r, name) for r in self.finance)
                for name in (
                    "organisations",
                    "with_data",
                    "members",
                    "official_members",
                    "workers",
                    "revenue",
                    "profit",
                )
            },
        )

    def finance_of(self, kind: str) -> FinanceRow:
        return next(r for r in self.finance if r.kind == kind)

    @staticmethod
    def grid_total(rows: list[GridRow]) -> GridRow:
        return GridRow(
            code="", label="Tổng cộng", counts={k: sum(r.counts.get(k, 0) for r in rows) for k in KINDS}
        )


def _int(measure: Measure | None) -> int:
    return int(measure.value or 0) if measure is not None else 0


def _grid(plan: Plan, day: datetime.date, group_by: str, *, unlocated: str = NOT_LOCATED) -> list[GridRow]:
    counts = {kind: indicator(IndicatorKind.COUNT, {"kinds": [kind]}) for kind in KINDS}
    rows = plan_selectors.plan_breakdown_whole_territory(
        plan=plan, targets=list(counts.values()), as_of=day, group_by=group_by
    )
    out = []
    for row in rows:
        values: dict[str, int] = {kind: _int(row.measure(t)) for kind, t in counts.items()}
        if not any(values.values()):
            continue
        label = row.name if row.key is not None else unlocated
        out.append(GridRow(code=row.code, label=label, counts=values, parent=row.parent))
    return out


def _band_counts(row_measure, bands: dict[str, Target]) -> dict[str, int]:
    return {b: _int(row_measure(t)) for b, t in bands.items()}


def ratings_section(plan: Plan, as_of: datetime.date) -> Ratings:
    """Approved ratings of HTX and LHHTX of the plan's territory (the scoring app's approved assessments, read
    by the plan's engine): of the data year of `as_of`, or — when that year has none approved yet — of the
    last year that has, said as such; by band, and by kind, sector and commune compared with the year
    before. Each year counts the organisations on the books at its 31 December."""
    data_year = data_year_for(as_of)
    year = latest_rated_year(plan, data_year)
    ratings = Ratings(available=True, data_year=data_year, year=year)
    # With no approved rating at all, the population is still counted at the report's date.
    day = datetime.date(year, 12, 31) if year is not None else as_of
    before_day = datetime.date(day.year - 1, 12, 31)
    bands = {b: indicator(IndicatorKind.COUNT, {"kinds": RATED_KINDS, "rating": [b]}) for b in BANDS}
    population = indicator(IndicatorKind.COUNT, {"kinds": RATED_KINDS})
    overall = compute(plan, [*bands.values(), population], day).get(None, {})
    ratings.population = _int(overall.get(population.pk))
    ratings.rows = [
        BandRow(band=b, label=BAND_LABELS[b], count=_int(overall.get(t.pk))) for b, t in bands.items()
    ]
    if year is None:
        return ratings
    map_now = "commune_current" if day >= MAP_SWITCH_DATE else "commune_legacy"
    for group_by, attr in (("kind", "by_kind"), ("sector", "by_sector"), (map_now, "by_commune")):
        now = plan_selectors.plan_breakdown_whole_territory(
            plan=plan, targets=list(bands.values()), as_of=day, group_by=group_by
        )
        before = plan_selectors.plan_breakdown_whole_territory(
            plan=plan, targets=list(bands.values()), as_of=before_day, group_by=group_by
        )
        before_by_key = {row.key: row for row in before}
        groups: list[RatingGroup] = []
        for row in now:
            previous = before_by_key.get(row.key)
            counts = _band_counts(row.measure, bands)
            counts_before = _band_counts(previous.measure, bands) if previous else dict.fromkeys(BANDS, 0)
            if not any(counts.values()) and not any(counts_before.values()):
                continue
            label = row.name if row.key is not None else NOT_LOCATED
            if group_by == "kind":
                label = KIND_LABELS.get(row.code, label)  # type: ignore[call-overload]
            elif group_by == "sector":
                label = KIND_SECTOR_LABELS.get(row.code, label)
            elif row.parent:
                label = f"{label} ({row.parent})"
            groups.append(RatingGroup(code=row.code, label=label, now=counts, before=counts_before))
        setattr(ratings, attr, groups)
    return ratings


def situation(plan: Plan, as_of: datetime.date) -> Situation:
    """Section I: the collective economy at `as_of` (and at the end of the previous year), by kind, sector
    and area, members, workers, revenue and profit, ratings of the data year."""
    start_day = datetime.date(as_of.year - 1, 12, 31)
    count = {k: indicator(IndicatorKind.COUNT, {"kinds": [k]}) for k in KINDS}
    active = {k: indicator(IndicatorKind.COUNT, {"kinds": [k], "statuses": ["active"]}) for k in KINDS}
    flow = {k: indicator(IndicatorKind.FLOW, {"kinds": [k]}) for k in KINDS}
    sums = {(k, f): indicator(IndicatorKind.SUM, {"kinds": [k]}, field=f) for k in KINDS for f in FIGURES}
    ratings_on = plan_selectors.rating_available()
    targets = [
        *count.values(),
        *active.values(),
        *flow.values(),
        *sums.values(),
    ]
    end = compute(plan, targets, as_of).get(None, {})
    start = compute(plan, list(count.values()), start_day).get(None, {})

    kinds = [
        KindRow(
            kind=k,
            label=KIND_LABELS[k],
            start=_int(start.get(count[k].pk)),
            new=_int(end.get(flow[k].pk)),
            end=_int(end.get(count[k].pk)),
            active=_int(end.get(active[k].pk)),
        )
        for k in KINDS
    ]
    finance = []
    for k in KINDS:
        first = end[sums[(k, "members")].pk]
        population = first.population or 0
        finance.append(
            FinanceRow(
                kind=k,
                label=KIND_LABELS[k],
                organisations=population,
                with_data=population - first.missing,
                **{f: float(end[sums[(k, f)].pk].value or 0) for f in FIGURES},
            )
        )
    ratings = ratings_section(plan, as_of) if ratings_on else Ratings(available=False)

    map_now = AdminMap.CURRENT if as_of >= MAP_SWITCH_DATE else AdminMap.LEGACY
    return Situation(
        kinds=kinds,
        sectors=_sector_rows(plan, as_of),
        districts=_grid(plan, as_of, "district_legacy", unlocated=NO_LEGACY_COMMUNE),
        communes=_grid(
            plan,
            as_of,
            "commune_current" if map_now == AdminMap.CURRENT else "commune_legacy",
            unlocated=NO_CURRENT_COMMUNE if map_now == AdminMap.CURRENT else NO_LEGACY_COMMUNE,
        ),
        finance=finance,
        ratings=ratings,
    )


def _sector_rows(plan: Plan, day: datetime.date) -> list[GridRow]:
    rows = _grid(plan, day, "sector")
    labels = {s.value: KIND_SECTOR_LABELS.get(s.value, str(s.label)) for s in Sector}
    for row in rows:
        row.label = labels.get(row.code, row.label)
    return rows


# Sector names as a Vietnamese document writes them (the choices are English msgids).
KIND_SECTOR_LABELS = {
    "agriculture": "Nông nghiệp",
    "industry": "Công nghiệp - tiểu thủ công nghiệp",
    "construction": "Xây dựng",
    "trade": "Thương mại - dịch vụ",
    "transport": "Vận tải",
    "credit": "Tín dụng",
    "environment": "Môi trường",
    "housing": "Nhà ở",
    "other": "Lĩnh vực khác",
}


# ----------------------------------------------------------------------------------------------------
# Section II: targets.


@dataclass
class TargetLine:
    result: TargetResult
    number: int
    section: str
    text: str
    name: str
    unit: str
    baseline: str
    value: str
    goal: str
    deadline_year: int
    status: str
    status_label: str
    forecast: str
    pace_needed: str
    progress: str
    note: str
    when: str
    data_year: int | None = (
        None  # the year the value is of (an earlier one when the newest is not sufficient)
    )
    year_note: str = ""

    @property
    def target(self) -> Target:
        return self.result.target


def _value_with_year(target: Target, result: TargetResult, report_year: int | None) -> str:
    """The value, with its year when it is not the report's data year ("25,0% (số liệu năm 2024)"): a
    column "Năm 2025" never holds a 2024 value silently."""
    from hoptac.plans import tables

    text = tables.number(target, result.value)
    if result.value is not None and report_year is not None and result.data_year != report_year:
        text += f" (số liệu năm {result.data_year})"
    return text


def target_lines(plan: Plan, results: list[TargetResult], report_year: int | None = None) -> list[TargetLine]:
    """The report's table of targets; `report_year`: the data year the table's value column stands for."""
    from hoptac.plans import tables

    lines = []
    with override("vi"):
        for number, result in enumerate(results, start=1):
            target = result.target
            qualitative = target.kind == IndicatorKind.QUALITATIVE
            note = tables.reason_text(result, plan)
            if not qualitative and tables.year_note(result):
                note = f"{tables.year_note(result).capitalize()}. {note}"
            if result.assessment is not None:
                note = f"{result.assessment.note} (đánh giá ngày {format_date(result.assessment.as_of)})"
            lines.append(
                TargetLine(
                    result=result,
                    number=number,
                    section=target.section.code,
                    text=target.text,
                    name=target.name,
                    unit=target.unit or "",
                    baseline="—"
                    if qualitative or result.baseline is None
                    else tables.number(target, result.baseline.value),
                    value="—" if qualitative else _value_with_year(target, result, report_year),
                    goal=tables.goal_text(target, with_unit=False) if not qualitative else "Định tính",
                    deadline_year=target.deadline_year,
                    status=result.status,
                    status_label=tables.status_label(result.status),
                    forecast="—" if qualitative else tables.number(target, result.forecast),
                    pace_needed="—" if qualitative else tables.pace_text(result),
                    progress=tables.percent(result.progress),
                    note=note,
                    when=tables.point_when(target, result.latest) if not qualitative else "",
                    data_year=None if qualitative else result.data_year,
                    year_note="" if qualitative else tables.year_note(result),
                )
            )
    return lines


def status_lines(results: list[TargetResult]) -> list[tuple[str, str, int]]:
    with override("vi"):
        return [(s.value, str(s.label), n) for s, n in status_counts(results).items()]


# ----------------------------------------------------------------------------------------------------
# Section III: tasks (hoptac.tasks, if installed and migrated), with the plan's own list as the fallback.


@dataclass
class TaskLine:
    number: int
    code: str
    text: str
    lead: str
    assigned: bool
    due: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    upcoming: int = 0
    progress: str = ""
    last_report: str = ""


@dataclass
class Difficulty:
    task_code: str
    agency: str
    period: str
    text: str


@dataclass
class Tasks:
    source: str  # "tasks" (follow-up recorded) or "plan" (only the plan's task list)
    lines: list[TaskLine]
    difficulties: list[Difficulty] = field(default_factory=list)
    note: str = ""

    @property
    def assigned(self) -> int:
        return sum(1 for line in self.lines if line.assigned)

    def total(self, name: str) -> int:
        return sum(getattr(line, name) for line in self.lines)


def _shorten(text: str, limit: int = 230) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def plan_task_lines(plan: Plan) -> list[TaskLine]:
    return [
        TaskLine(
            number=number,
            code=task.code,
            text=_shorten(task.text),
            lead=task.lead_agency or "Chưa phân công",
            assigned=bool(task.lead_agency),
        )
        for number, task in enumerate(PlanTask.objects.filter(plan=plan).order_by("order"), start=1)
    ]


def tasks_section(plan: Plan, year: int, *, today: datetime.date) -> Tasks:
    """Each plan task with its lead agency and the reports due in `year`: on time, late, overdue (due and
    not submitted by `today` — the report's "as of" date, not the day it is made), not yet due; the latest progress status; difficulties quoted from the
    reports (their `difficulties` field when the tasks app has one)."""
    lines = plan_task_lines(plan)
    if not apps.is_installed("hoptac.tasks"):
        return Tasks(source="plan", lines=lines, note="not_installed")
    try:
        with transaction.atomic():  # a savepoint: a missing table must not break the caller's transaction
            return _tasks_from_app(plan, year, lines, today=today)
    except (ImportError, LookupError, AttributeError, DatabaseError) as exc:
        logger.warning("Annual report: task follow-up not available (%s)", exc)
        return Tasks(source="plan", lines=lines, note="not_available")


def _tasks_from_app(plan: Plan, year: int, lines: list[TaskLine], *, today: datetime.date) -> Tasks:
    from hoptac.tasks.choices import ProgressStatus, Timeliness
    from hoptac.tasks.models import ProgressReport, ReportingPeriod, TaskAssignment
    from hoptac.tasks.rules import timeliness

    by_code = {line.code: line for line in lines}
    assignments = TaskAssignment.objects.filter(plan_task__plan=plan).select_related(
        "plan_task", "lead_agency"
    )
    for assignment in assignments:
        line = by_code.get(assignment.plan_task.code)
        if line is not None and assignment.lead_agency is not None:
            line.lead = assignment.lead_agency.name
            line.assigned = True
    periods = (
        ReportingPeriod.objects.unrestricted("the province's report covers every agency's periods")
        .filter(assignment__plan_task__plan=plan, due__year=year)
        .select_related("assignment__plan_task", "agency")
        .order_by("due", "pk")
    )
    reports = {
        r.period_id: r
        for r in ProgressReport.objects.unrestricted("the periods above")
        .filter(period__in=periods)
        .select_related("agency", "period")
    }
    has_difficulties = any(f.name == "difficulties" for f in ProgressReport._meta.get_fields())
    statuses = dict(ProgressStatus.choices)
    difficulties: list[Difficulty] = []
    seen: set[tuple[str, str]] = set()
    with override("vi"):
        for period in periods:
            assert period.assignment is not None  # assignment__plan_task__plan=plan
            line = by_code.get(period.assignment.plan_task.code)
            if line is None:
                continue
            line.due += 1
            # Seen at the report's date: a report sent after it was not there yet.
            submitted = period.first_submitted_on
            submitted = submitted if submitted is not None and submitted <= today else None
            state = timeliness(due=period.due, submitted_on=submitted, today=today)
            if state == Timeliness.ON_TIME:
                line.on_time += 1
            elif state == Timeliness.LATE:
                line.late += 1
            elif state == Timeliness.OVERDUE:
                line.overdue += 1
            else:
                line.upcoming += 1
            report = reports.get(period.pk)
            if report is None or submitted is None:
                continue
            line.progress = str(statuses.get(report.status, report.status))
            line.last_report = period.label
            text = difficulty_text(report, has_field=has_difficulties)
            if text and (line.code, text) not in seen:
                seen.add((line.code, text))
                difficulties.append(
                    Difficulty(
                        task_code=line.code,
                        agency=report.agency.name,
                        period=period.label,
                        text=_shorten(text, 600),
                    )
                )
    return Tasks(
        source="tasks",
        lines=lines,
        difficulties=difficulties,
        note="" if has_difficulties else "from_text",
    )


# "Khó khăn: …", "Khó khăn, vướng mắc: …" in a report's text, up to "Đề xuất"/"Kiến nghị" or the end.
DIFFICULTY_RE = re.compile(
    r"(?:khó khăn|vướng mắc)[^:.;]{0,40}:\s*(?P<text>.+?)\s*(?=(?:đề xuất|kiến nghị)[^:.;]{0,40}:|$)",
    re.IGNORECASE | re.DOTALL,
)


def difficulty_text(report, *, has_field: bool) -> str:
    """The difficulties a progress report states: its `difficulties` field when the tasks app has one, else
    the passage of its text that the agency introduced with "Khó khăn:" (the form asks for results,
    difficulties and proposals in one text), quoted as written."""
    if has_field:
        return " ".join((getattr(report, "difficulties", "") or "").split())
    match = DIFFICULTY_RE.search(report.text or "")
    return " ".join(match.group("text").split()) if match else ""


# ----------------------------------------------------------------------------------------------------
# The whole report.


@dataclass
class AnnualReport:
    plan: Plan
    year: int
    as_of: datetime.date
    data_year: int
    generated_on: datetime.date
    letterhead: Letterhead
    situation: Situation
    results: list[TargetResult]
    targets: list[TargetLine]
    statuses: list[tuple[str, str, int]]
    tasks: Tasks
    map_now: str
    plan_province: str = ""
    latest_rated_year: int | None = None
    provisional: bool = False
    provenance: "Provenance | None" = None
    annex_file: str = ""

    @property
    def partial(self) -> bool:
        """The year is not over (or its yearly update, due 15 December, has not closed)."""
        return self.as_of < datetime.date(self.year, 12, 15)


def report_as_of(year: int, today: datetime.date) -> datetime.date:
    """The report of year Y stands at 31/12/Y, or today while Y is not over."""
    return min(datetime.date(year, 12, 31), today)


@dataclass
class Provenance:
    """Organisations of the plan's territory on the books at the report's date, by the state of their yearly
    data of the data year: accepted by the commune, pending (draft, submitted, returned), missing."""

    accepted: int
    pending: int
    missing: int

    @property
    def total(self) -> int:
        return self.accepted + self.pending + self.missing


def provenance(plan: Plan, as_of: datetime.date) -> Provenance:
    from hoptac.registry.models import YearlyReportState

    year = data_year_for(as_of)
    population = {"kinds": KINDS}
    # "yr": the engine's join of the year's data, in any state (a figure reads it only in its states).
    accepted = Q(yr__state=YearlyReportState.ACCEPTED)
    qs = annotated_queryset(plan, as_of, year, yearly=True, rating=False).filter(conditions_q(population))
    counts = qs.aggregate(
        total=Count("pk"),
        accepted=Count("pk", filter=accepted),
        with_data=Count("pk", filter=Q(yr__id__isnull=False)),
    )
    return Provenance(
        accepted=counts["accepted"],
        pending=counts["with_data"] - counts["accepted"],
        missing=counts["total"] - counts["with_data"],
    )


def collect(
    plan: Plan,
    year: int,
    *,
    today: datetime.date | None = None,
    letterhead: dict[str, Any] | None = None,
    provisional: bool = False,
) -> AnnualReport:
    """The report of `year` at its one "as of" date (31/12/year, or today while the year runs): every count,
    the tasks' overdue periods included, stands at that date. Official figures (accepted yearly data) by
    default; `provisional` reads all submitted data and the report says so."""
    today = today or timezone.localdate()
    if year < plan.baseline_year or year > today.year:
        raise ValueError(f"year {year} outside {plan.baseline_year}–{today.year}")
    as_of = report_as_of(year, today)
    # Official figures (accepted yearly data) unless `provisional` (docs/verdicts.md, "Figure").
    results = plan_selectors.plan_evaluate(plan=plan, as_of=as_of, provisional=provisional)
    issue_on = (letterhead or {}).get("issue_date") or today
    province = next(
        (u.province or u for u in plan.scope_areas.all() if u.level == Level.PROVINCE or u.province_id), None
    )
    return AnnualReport(
        plan=plan,
        year=year,
        as_of=as_of,
        data_year=data_year_for(as_of),
        generated_on=today,
        letterhead=letterhead_for(plan, on=issue_on, overrides=letterhead),
        situation=situation(plan, as_of),
        results=results,
        targets=target_lines(plan, results, data_year_for(as_of)),
        statuses=status_lines(results),
        tasks=tasks_section(plan, year, today=as_of),
        map_now=AdminMap.CURRENT if as_of >= MAP_SWITCH_DATE else AdminMap.LEGACY,
        plan_province=_province_words(province)[1] if province is not None else "",
        latest_rated_year=latest_rated_year(plan, data_year_for(as_of)),
        provisional=provisional,
        provenance=provenance(plan, as_of),
    )


def latest_rated_year(plan: Plan, up_to: int) -> int | None:
    """The last year (up to `up_to`) with an approved rating of an organisation of the plan's territory."""
    if not plan_selectors.rating_available():
        return None
    from hoptac.plans.indicators import plan_scope_q
    from hoptac.registry.models import Organisation
    from hoptac.scoring.models import Assessment

    return (
        Assessment.objects.unrestricted("the province's report covers the whole territory")
        .filter(
            state="approved",
            year__lte=up_to,
            organisation__in=Organisation.objects.unrestricted("the plan's whole territory").filter(
                plan_scope_q(plan)
            ),
        )
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
