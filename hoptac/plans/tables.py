"""What officials read of a plan's evaluation: values in Vietnamese formats (1.234,5; 8,7%), the target in
words ("khoảng 700 (±35)"), status labels and reasons, chart data for charts.js and breakdown tables: what
the plan and target pages show. Numbers come from hoptac.plans.evaluation; nothing here computes a figure.
The Excel workbook is in exports.py."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from hoptac.areas.models import map_period
from hoptac.core.formatting import format_compact, format_date, format_number, format_percent

from . import selectors
from .choices import SEVERITY, Comparator, IndicatorKind, TargetStatus
from .evaluation import TargetResult, bounds, status_counts
from .indicators import Measure, Point
from .models import Plan, PlanSection, QualitativeAssessment, Target
from .selectors import REASON_RATING_UNAVAILABLE, BreakdownRow, section_path

REASONS = {
    "no_value": gettext_lazy("No value can be computed at this date."),
    "missing_data": gettext_lazy(
        "Too many organisations lack the data needed: %(missing)s of %(population)s, more than %(limit)s."
    ),
    "satisfied": gettext_lazy("The value at this date meets the target."),
    "satisfied_over": gettext_lazy("The value at this date meets the target and exceeds it by %(gap)s."),
    "exceeded": gettext_lazy(
        "Exceeded: %(value)s is above the upper end of the target (%(high)s) by %(gap)s, beyond what the "
        "plan allows."
    ),
    "final_achieved": gettext_lazy("Final: the target was achieved at the deadline (data of %(deadline)s)."),
    "final_achieved_over": gettext_lazy(
        "Final: the target was achieved at the deadline (data of %(deadline)s), exceeded by %(gap)s."
    ),
    "final_exceeded": gettext_lazy(
        "Final: at the deadline (data of %(deadline)s) the value %(value)s exceeded the upper end of the "
        "target (%(high)s) by %(gap)s."
    ),
    "final_not_achieved": gettext_lazy(
        "Final: the target was not achieved at the deadline (data of %(deadline)s): %(value)s, %(gap)s short."
    ),
    "final_missing_data": gettext_lazy(
        "The deadline has passed, but the data of %(deadline)s are not sufficient for a final verdict."
    ),
    "flow_short": gettext_lazy("In %(year)s the value %(value)s did not reach the yearly target."),
    "on_planned_path": gettext_lazy("At or ahead of a steady path from the baseline to the target."),
    "forecast_reaches_target": gettext_lazy(
        "Behind a steady path, but the present trend reaches the target by %(year)s."
    ),
    "no_trend_yet": gettext_lazy("Behind a steady path; too few complete years for a trend."),
    "forecast_misses_target": gettext_lazy("At the present trend the target is not reached by %(year)s."),
    "assessed": gettext_lazy("Assessed by a provincial officer."),
    "not_assessed": gettext_lazy("Not assessed yet."),
    REASON_RATING_UNAVAILABLE: gettext_lazy(
        "Ratings of organisations are not recorded in the system yet, so this target cannot be computed."
    ),
}
YEARLY_KINDS = (IndicatorKind.SUM, IndicatorKind.PER_CAPITA, IndicatorKind.SHARE)


# ----------------------------------------------------------------------------------------------------
# Numbers and words


def decimals_for(target: Target, value: float | None) -> int:
    """Percentages keep one decimal (8,7%); counts show whole numbers unless the value has a fraction."""
    if target.is_percentage:
        return 1
    if value is None or abs(value - round(value)) < 0.05:
        return 0
    return 1


def unit_parts(target: Target) -> tuple[str, str]:
    """("%", "dân số") for "% dân số"; ("", "hợp tác xã") for a count."""
    unit = (target.unit or "").strip()
    if target.is_percentage or unit.startswith("%"):
        return "%", unit.removeprefix("%").strip()
    return "", unit


def number(target: Target, value: float | None, *, signed: bool = False) -> str:
    """The bare number with a "%" where the target is a percentage: "1.234", "8,7%", "+1,6%"."""
    if value is None:
        return "—"
    percent, _words = unit_parts(target)
    return f"{format_number(value, decimals_for(target, value), signed=signed)}{percent}"


def quantity(target: Target, value: float | None, *, signed: bool = False) -> str:
    """The number with its unit: "559 hợp tác xã", "20,2% dân số", "8,7%"."""
    if value is None:
        return "—"
    _percent, words = unit_parts(target)
    text = number(target, value, signed=signed)
    return f"{text} {words}" if words else text


def plain_number(value: float | None) -> str:
    return format_compact(value, 1)


def goal_text(target: Target, *, with_unit: bool = True) -> str:
    """The target in words: "ít nhất 5", "trên 60%", "khoảng 700 (±35)", "từ 15 đến 20", "tối đa 0"."""
    if target.kind == IndicatorKind.QUALITATIVE or target.value is None:
        return str(_("qualitative target, assessed by an officer"))
    percent_sign, words = unit_parts(target)

    def show(value: float) -> str:
        return f"{plain_number(value)}{percent_sign}"

    comparator = target.comparator
    if comparator == Comparator.AT_LEAST:
        text = (_("more than %(value)s") if target.strict else _("at least %(value)s")) % {
            "value": show(target.value)
        }
    elif comparator == Comparator.AT_MOST:
        text = (_("less than %(value)s") if target.strict else _("at most %(value)s")) % {
            "value": show(target.value)
        }
    elif comparator == Comparator.EXACT:
        text = _("exactly %(value)s") % {"value": show(target.value)}
    elif comparator == Comparator.ABOUT and (
        target.tolerance_below is not None or target.tolerance_above is not None
    ):
        below = target.tolerance_below if target.tolerance_below is not None else target.tolerance
        above = target.tolerance_above if target.tolerance_above is not None else target.tolerance
        if below is not None and above is not None:
            text = _("about %(value)s (−%(below)s/+%(above)s)") % {
                "value": show(target.value),
                "below": plain_number(below),
                "above": plain_number(above),
            }
        elif below is not None:
            text = _("about %(value)s (not below %(low)s)") % {
                "value": show(target.value),
                "low": show(target.value - below),
            }
        else:
            text = _("about %(value)s (not above %(high)s)") % {
                "value": show(target.value),
                "high": show(target.value + (above or 0)),
            }
    elif comparator == Comparator.ABOUT:
        text = _("about %(value)s (±%(tolerance)s)") % {
            "value": show(target.value),
            "tolerance": plain_number(target.tolerance or 0),
        }
    else:
        text = _("from %(min)s to %(max)s") % {
            "min": show(target.value),
            "max": show(target.value_max if target.value_max is not None else target.value),
        }
    return f"{text} {words}" if with_unit and words else text


def per_year(target: Target, value: float | None, *, signed: bool = True) -> str:
    """A yearly change, compact (the unit is shown with the value): "+35,3/năm", "+1,6 điểm %/năm"."""
    if value is None:
        return "—"
    decimals = 1 if target.is_percentage else decimals_for(target, value)
    text = format_number(value, decimals, signed=signed)
    if target.is_percentage:
        return _("%(value)s percentage points a year") % {"value": text}
    return _("%(value)s a year") % {"value": text}


def percent(value: float | None) -> str:
    """A fraction as a percentage: 0.087 → "8,7%"."""
    return format_percent(value, 1, fraction=True)


def status_label(code: str) -> str:
    return str(TargetStatus(code).label)


def reason_text(result: TargetResult, plan: Plan) -> str:
    latest = result.latest.measure if result.latest else None
    reason = result.reason
    if reason == "no_value" and latest is not None and latest.missing_share > plan.max_missing_share:
        reason = "missing_data"  # no value *because* the data is missing: say so
    template = REASONS.get(reason)
    if template is None:
        return ""
    target = result.target
    _low, high = bounds(target)
    return str(template) % {
        "year": result.latest.year if reason == "flow_short" and result.latest else target.deadline_year,
        "deadline": target.deadline_year,
        "missing": plain_number(latest.missing if latest else None),
        "population": plain_number(latest.population if latest else None),
        "limit": f"{format_number(plan.max_missing_share * 100, 0)}%",
        "value": number(target, result.value),
        "high": number(target, high),
        "gap": gap_text(target, result.gap),
    }


def gap_text(target: Target, gap: float | None) -> str:
    """A difference in the target's unit: "1.352", "3,4 điểm %"."""
    if gap is None:
        return "—"
    if target.is_percentage:
        return _("%(value)s percentage points") % {"value": format_number(gap, 1)}
    return format_number(gap, decimals_for(target, gap))


def pace_text(result: TargetResult) -> str:
    """The yearly change still needed, in the goal's direction and in words: "tăng 99,6/năm",
    "giảm 1,2 điểm %/năm"; "—" when none is needed or the deadline has passed."""
    target = result.target
    if result.pace_needed is None or not result.pace_direction:
        return "—"
    amount = per_year(target, result.pace_needed, signed=False)
    if result.pace_direction > 0:
        return _("increase %(amount)s") % {"amount": amount}
    return _("decrease %(amount)s") % {"amount": amount}


def progress_text(result: TargetResult) -> str:
    """ "23,4% of the way · steady path: 37,5% of the way": both shares of the way from the baseline to the
    target, so the status (on track when the first is at least the second) reads from them."""
    if result.progress is None:
        return "—"
    return percent(result.progress)


def expected_progress_text(result: TargetResult) -> str:
    return percent(result.expected_progress) if result.expected_progress is not None else ""


def provenance_label(provisional: bool) -> str:
    return str(_("provisional")) if provisional else str(_("official"))


def data_counts_text(measure: Measure | None) -> str:
    """Beside a figure read from yearly data: "Số liệu năm 2024 của 464 tổ chức: 278 đã duyệt, 136 chờ
    duyệt, 50 chưa nộp"."""
    if measure is None or not measure.reads_yearly:
        return ""
    return _(
        "Data of %(year)s for %(population)s organisations: %(accepted)s accepted, %(pending)s pending "
        "review, %(unsubmitted)s not submitted"
    ) % {
        "year": measure.data_year,
        "population": format_number(measure.accepted + measure.pending + measure.unsubmitted),
        "accepted": format_number(measure.accepted),
        "pending": format_number(measure.pending),
        "unsubmitted": format_number(measure.unsubmitted),
    }


def missing_text(measure: Measure | None) -> str:
    if measure is None or not measure.missing:
        return ""
    return ngettext(
        "data missing for %(count)s organisation",
        "data missing for %(count)s organisations",
        measure.missing,
    ) % {"count": format_number(measure.missing)}


def point_when(target: Target, point: Point | None) -> str:
    """When a value stands: "tại ngày 27/11/2026 (số liệu năm 2025)", "trong năm 2025"."""
    if point is None:
        return ""
    if target.kind == IndicatorKind.FLOW:
        return _("established in %(year)s") % {"year": point.year}
    text = _("on %(date)s") % {"date": format_date(point.as_of)}
    if target.kind in YEARLY_KINDS or point.measure.reads_yearly:
        text += " " + _("(yearly data of %(year)s)") % {"year": point.data_year}
    return text


def year_note(result: TargetResult) -> str:
    """Why the figure is of an earlier year than the date looked at: "số liệu năm 2024 (năm 2025 chưa đủ
    số liệu)"; empty when the figure is of the date's own year."""
    if not result.earlier_year or result.latest is None or not result.points:
        return ""
    newest = result.points[-1]
    return _("figures of %(year)s: the data of %(newest)s are not sufficient yet (%(missing)s)") % {
        "year": result.latest.data_year,
        "newest": newest.data_year,
        "missing": missing_text(newest.measure),
    }


# ----------------------------------------------------------------------------------------------------
# Chart data (read by static/plans/charts.js through json_script)


def chart_labels() -> dict[str, str]:
    return {
        "value": _("Value"),
        "trend": _("Trend and forecast"),
        "target": _("Target"),
        "band": _("Accepted range"),
        "partial": _("year not over, up to"),
        "year": _("Year"),
    }


def line_chart(result: TargetResult, plan: Plan) -> dict[str, Any] | None:
    target = result.target
    if target.kind == IndicatorKind.QUALITATIVE or not result.points:
        return None
    percent_sign, words = unit_parts(target)
    points = [
        {
            "x": p.year,
            "y": p.value,
            "partial": p.partial,
            "date": format_date(p.as_of),
        }
        for p in result.points
    ]
    trend = None
    start = result.forecast_from
    if result.forecast is not None and start is not None and start.value is not None:
        # The forecast starts at the last real point and ends at the deadline, inside the indicator's domain.
        trend = [
            {"x": start.year, "y": start.value},
            {"x": target.deadline_year, "y": result.forecast},
        ]
    goal: dict[str, Any] = {}
    if target.value is not None:
        if target.comparator == Comparator.RANGE:
            goal = {"low": target.value, "high": target.value_max}
        elif target.comparator == Comparator.ABOUT and target.tolerance:
            goal = {
                "value": target.value,
                "low": target.value - target.tolerance,
                "high": target.value + target.tolerance,
            }
        else:
            goal = {"value": target.value}
    return {
        "type": "line",
        "percent": bool(percent_sign),
        "decimals": 1 if target.is_percentage else 0,
        "unit": words,
        "xmin": plan.baseline_year,
        "xmax": max(target.deadline_year, result.points[-1].year),
        "ymin": result.axis[0],
        "ymax": result.axis[1],
        "points": points,
        "trend": trend,
        "goal": goal,
        "labels": chart_labels(),
    }


def bar_chart(target: Target, rows: list[BreakdownRow], *, limit: int | None = None) -> dict[str, Any]:
    """Bars of one target's value per group; with `limit`, the groups with the highest values."""
    percent_sign, words = unit_parts(target)
    measures = [(r, r.measure(target)) for r in rows]
    data = [(r, m.value) for r, m in measures if m is not None and m.value is not None]
    if limit is not None:
        data = sorted(data, key=lambda item: -item[1])[:limit]
    return {
        "type": "bar",
        "percent": bool(percent_sign),
        "decimals": 1 if target.is_percentage else 0,
        "unit": words,
        "bars": [{"label": f"{r.name}" + (f" ({r.parent})" if r.parent else ""), "y": v} for r, v in data],
        "goal": {"value": target.value} if target.value is not None and target.comparator else {},
        "ymin": 0 if all(v >= 0 for _r, v in data) else None,
        "ymax": 100 if percent_sign and all(v <= 100 for _r, v in data) else None,
        "labels": chart_labels(),
    }


# ----------------------------------------------------------------------------------------------------
# Cards of the plan page


@dataclass
class TargetCard:
    result: TargetResult
    target: Target
    status: str
    status_label: str
    reason: str
    value: str = "—"
    unit: str = ""
    when: str = ""
    goal: str = ""
    baseline: str = "—"
    progress: str = "—"
    expected_now: str = "—"
    forecast: str = "—"
    pace_needed: str = "—"
    slope: str = "—"
    missing: str = ""
    expected_progress: str = ""
    data_counts: str = ""
    year_note: str = ""
    provenance: str = ""
    severity: int = 0
    chart: dict[str, Any] | None = None
    assessment: QualitativeAssessment | None = None
    form: Any = None

    @property
    def chart_id(self) -> str:
        return f"chart-data-{self.target.pk}"

    @property
    def chart_rows(self) -> list[dict[str, Any]]:
        """The line chart's numbers for its table alternative: each year's value (a year not over says up to
        when), then the forecast at the deadline; the goal is the table's caption."""
        target = self.target
        rows: list[dict[str, Any]] = [
            {
                "year": p.year,
                "value": number(target, p.value),
                "note": _("year not over, up to") + " " + format_date(p.as_of) if p.partial else "",
            }
            for p in self.result.points
            if p.value is not None
        ]
        if self.result.forecast is not None and self.result.forecast_from is not None:
            rows.append(
                {
                    "year": target.deadline_year,
                    "value": number(target, self.result.forecast),
                    "note": _("Trend and forecast"),
                }
            )
        return rows

    @property
    def qualitative(self) -> bool:
        return self.target.kind == IndicatorKind.QUALITATIVE

    @property
    def has_value(self) -> bool:
        return self.result.value is not None

    @property
    def has_series(self) -> bool:
        """Some year has a value (else the card shows no chart and no figures)."""
        return any(p.value is not None for p in self.result.points)


def target_card(result: TargetResult, plan: Plan) -> TargetCard:
    target = result.target
    card = TargetCard(
        result=result,
        target=target,
        status=result.status,
        status_label=status_label(result.status),
        reason=reason_text(result, plan),
        goal=goal_text(target),
        assessment=result.assessment,
        provenance=provenance_label(result.provisional),
        severity=SEVERITY.index(TargetStatus(result.status)),
    )
    if target.kind == IndicatorKind.QUALITATIVE:
        return card
    percent_sign, words = unit_parts(target)
    card.value = number(target, result.value)
    card.unit = words
    card.when = point_when(target, result.latest)
    card.baseline = number(target, result.baseline.value if result.baseline else None)
    card.progress = progress_text(result)
    card.expected_progress = expected_progress_text(result)
    card.expected_now = number(target, result.expected_now)
    card.forecast = number(target, result.forecast)
    card.slope = per_year(target, result.slope)
    card.pace_needed = pace_text(result)
    card.missing = missing_text(result.latest.measure if result.latest else None)
    card.year_note = year_note(result)
    card.data_counts = data_counts_text(result.latest.measure if result.latest else None)
    card.chart = line_chart(result, plan)
    return card


@dataclass
class SectionGroup:
    section: PlanSection
    path: list[PlanSection]
    cards: list[TargetCard] = field(default_factory=list)


def section_groups(cards: list[TargetCard], sections: dict[int, PlanSection]) -> list[SectionGroup]:
    groups: dict[int, SectionGroup] = {}
    for card in cards:
        section = card.target.section
        if section.pk not in groups:
            groups[section.pk] = SectionGroup(section=section, path=section_path(section, sections))
        groups[section.pk].cards.append(card)
    return list(groups.values())


def status_summary(results: list[TargetResult]) -> list[dict[str, Any]]:
    counts = status_counts(results)
    return [{"code": s, "label": status_label(s), "count": n} for s, n in counts.items() if n]


ORDERS = ["plan", "severity"]


def order_cards(cards: list[TargetCard], order: str) -> list[TargetCard]:
    """The plan's order, or the most severe verdict first (not achieved, at risk, behind, no data, …),
    the plan's order within a status."""
    if order != "severity":
        return cards
    return sorted(cards, key=lambda card: card.severity)


def filter_cards(cards: list[TargetCard], status: str) -> list[TargetCard]:
    """Only the cards of one status (the summary's links), or all with an unknown status."""
    if status not in TargetStatus.values:
        return cards
    return [card for card in cards if card.status == status]


# ----------------------------------------------------------------------------------------------------
# Breakdown and series tables of the target page


@dataclass
class BreakdownLine:
    row: BreakdownRow
    value: str
    numerator: str
    denominator: str
    population: str
    missing: str
    counts: str = ""
    has_value: bool = False


def empty_breakdown_reason(result: TargetResult, lines: list[BreakdownLine], name: str) -> str:
    """Why a drill-down shows no value: no organisation counts in the user's scope, or none of the groups
    has data of the figure's year (accepted data for official figures)."""
    year = result.data_year
    if not lines:
        return str(_("No organisation in your scope counts toward this target."))
    if any(line.has_value for line in lines):
        return ""
    if result.provisional:
        return _("No group has submitted or accepted data of %(year)s for this target.") % {"year": year}
    return _(
        "No group has accepted data of %(year)s for this target: official figures count accepted data "
        "only (see the provisional figures)."
    ) % {"year": year}


def breakdown_lines(target: Target, rows: list[BreakdownRow]) -> list[BreakdownLine]:
    lines = []
    for row in rows:
        m = row.measure(target)
        if m is None:
            continue
        lines.append(
            BreakdownLine(
                row=row,
                value=number(target, m.value),
                numerator=plain_number(m.numerator),
                denominator=plain_number(m.denominator),
                population=plain_number(m.population),
                missing=plain_number(m.missing) if m.population is not None else "—",
                counts=data_counts_short(m),
                has_value=m.value is not None,
            )
        )
    return lines


def data_counts_short(measure: Measure) -> str:
    """ "278 / 136 / 50": accepted / pending review / not submitted (the column header says so)."""
    if not measure.reads_yearly:
        return "—"
    return " / ".join(format_number(n) for n in (measure.accepted, measure.pending, measure.unsubmitted))


def has_ratio(target: Target) -> bool:
    return target.kind in (IndicatorKind.SHARE, IndicatorKind.PER_CAPITA)


def has_population(target: Target) -> bool:
    return target.kind in (IndicatorKind.SHARE, IndicatorKind.PER_CAPITA, IndicatorKind.SUM)


@dataclass
class SeriesLine:
    point: Point
    value: str
    numerator: str
    denominator: str
    population: str
    missing: str
    data_year: int
    counts: str = ""


def series_lines(result: TargetResult) -> list[SeriesLine]:
    target = result.target
    return [
        SeriesLine(
            point=p,
            value=number(target, p.value),
            numerator=plain_number(p.measure.numerator),
            denominator=plain_number(p.measure.denominator),
            population=plain_number(p.measure.population),
            missing=plain_number(p.measure.missing) if p.measure.population is not None else "—",
            data_year=p.data_year,
            counts=data_counts_short(p.measure),
        )
        for p in result.points
    ]


# ----------------------------------------------------------------------------------------------------
# Labels of the breakdowns (page and export)


def breakdown_title(name: str, admin_map: str) -> str:
    if name == "commune":
        return _("By commune (map %(period)s)") % {"period": map_period(admin_map)}
    return str(selectors.BREAKDOWN_LABELS[name])


def group_header(name: str) -> str:
    return {"commune": _("Commune"), "district": _("District"), "sector": _("Sector")}[name]


# ----------------------------------------------------------------------------------------------------
# The comparison of areas (provinces, or a province's communes): the league table of one target and its map


@dataclass
class LeagueLine:
    standing: selectors.Standing
    value: str
    share_of_total: str
    share_of_target: str
    meets: str
    counts: str
    drill_url: str = ""

    @property
    def row(self) -> BreakdownRow:
        return self.standing.row


LEAGUE_SORTS = ("rank", "name", "share")


def league_lines(
    target: Target, standings: list[selectors.Standing], *, sort: str = "rank", drill_url=None
) -> list[LeagueLine]:
    """The rows of the league table, in the order asked: by rank (the league's own order), by name
    (Vietnamese order) or by the share of the national figure (largest first). `drill_url(row)` gives a
    row's link one level down (a province → its communes)."""
    if sort == "name":
        standings = sorted(standings, key=lambda s: s.row.sort)
    elif sort == "share":
        standings = sorted(standings, key=lambda s: (s.share_of_total is None, -(s.share_of_total or 0.0)))
    lines = []
    for s in standings:
        lines.append(
            LeagueLine(
                standing=s,
                value=number(target, s.value),
                share_of_total=format_percent(s.share_of_total, 1),
                share_of_target=format_percent(s.share_of_target, 1),
                meets="—" if s.meets is None else str(_("Yes") if s.meets else _("No")),
                counts=data_counts_short(s.measure),
                drill_url=drill_url(s.row) if drill_url is not None and s.row.key is not None else "",
            )
        )
    return lines


def area_map(target: Target, standings: list[selectors.Standing], *, drill_url=None) -> dict[str, Any]:
    """The map of areas for charts.js: a bubble per area with coordinates and a value, coloured by the share
    of the target reached."""
    percent_sign, words = unit_parts(target)
    points = [
        {
            "x": s.row.longitude,
            "y": s.row.latitude,
            "name": s.row.name,
            "value": s.value,
            "share": s.share_of_target,
            "url": drill_url(s.row) if drill_url is not None else "",
        }
        for s in standings
        if s.row.key is not None and s.row.latitude is not None and s.row.longitude is not None
    ]
    return {
        "type": "map",
        "percent": bool(percent_sign),
        "decimals": 1 if target.is_percentage else 0,
        "unit": words,
        "points": points,
        "labels": {
            **chart_labels(),
            "of_target": _("of the target"),
            "longitude": _("Longitude"),
            "latitude": _("Latitude"),
        },
    }
