"""The figures a scheme's computable criteria may use. Each comes from the registry's yearly data
(YearlyReport of the assessed year, and of the year before for changes), or from the member
satisfaction survey. A scheme file naming a metric that is not listed here is refused.

Only data the registry really holds are listed: there is no planned revenue, no funds, no
after-tax income and no indivisible assets in the yearly data, so criteria that need them are
entered by hand with evidence."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal(100)


@dataclass
class MetricContext:
    """What the metrics read: the year's report, the previous year's report and the survey (each may
    be missing)."""

    report: Any = None
    previous: Any = None
    survey: Any = None


@dataclass(frozen=True)
class Metric:
    code: str
    label: Any
    unit: str  # "vnd", "count", "pct", "bool"
    compute: Callable[[MetricContext], Decimal | None]
    source: Any = ""


def _field(name: str) -> Callable[[MetricContext], Decimal | None]:
    def compute(ctx: MetricContext) -> Decimal | None:
        if ctx.report is None:
            return None
        value = getattr(ctx.report, name)
        if value is None:
            return None
        if isinstance(value, bool):
            return Decimal(int(value))
        return Decimal(value)

    return compute


def _change(name: str, *, percent: bool) -> Callable[[MetricContext], Decimal | None]:
    def compute(ctx: MetricContext) -> Decimal | None:
        if ctx.report is None or ctx.previous is None:
            return None
        now, before = getattr(ctx.report, name), getattr(ctx.previous, name)
        if now is None or before is None:
            return None
        now, before = Decimal(now), Decimal(before)
        if not percent:
            return now - before
        if before <= 0:
            return None
        return ((now - before) / before * HUNDRED).quantize(Decimal("0.01"))

    return compute


def _per_official_member(name: str) -> Callable[[MetricContext], Decimal | None]:
    def compute(ctx: MetricContext) -> Decimal | None:
        if ctx.report is None or getattr(ctx.report, name) is None:
            return None
        members = ctx.report.official_members
        if not members:
            return None
        return (Decimal(getattr(ctx.report, name)) / members).quantize(Decimal(1))

    return compute


def _survey_share(part: str, whole: str) -> Callable[[MetricContext], Decimal | None]:
    def compute(ctx: MetricContext) -> Decimal | None:
        if ctx.survey is None:
            return None
        denominator = getattr(ctx.survey, whole)
        if not denominator:
            return None
        return (Decimal(getattr(ctx.survey, part)) / denominator * HUNDRED).quantize(Decimal("0.1"))

    return compute


_PREVIOUS = _("compared with the previous year's data")

METRICS: dict[str, Metric] = {
    m.code: m
    for m in [
        Metric("revenue", _("Revenue"), "vnd", _field("revenue")),
        Metric("profit", _("Profit before tax"), "vnd", _field("profit")),
        Metric("total_assets", _("Total capital (total assets)"), "vnd", _field("total_assets")),
        Metric("equity", _("Equity"), "vnd", _field("equity")),
        Metric("average_worker_income", _("Average worker income"), "vnd", _field("average_worker_income")),
        Metric("official_members", _("Official members"), "count", _field("official_members")),
        Metric("associate_members", _("Associate members"), "count", _field("associate_members")),
        Metric("total_members", _("Members (official and associate)"), "count", _field("total_members")),
        Metric("workers", _("Workers"), "count", _field("workers")),
        Metric("ocop_products", _("OCOP products"), "count", _field("ocop_products")),
        Metric("ocop_max_stars", _("Highest OCOP stars"), "count", _field("ocop_max_stars")),
        Metric("in_value_chain", _("In a value chain"), "bool", _field("in_value_chain")),
        Metric("enterprise_link", _("Linked with enterprises"), "bool", _field("enterprise_link")),
        Metric("high_tech", _("Applies high technology"), "bool", _field("high_tech")),
        Metric("traceability", _("Product traceability"), "bool", _field("traceability")),
        Metric("accounting_software", _("Uses accounting software"), "bool", _field("accounting_software")),
        Metric("e_invoice", _("Uses e-invoices"), "bool", _field("e_invoice")),
        Metric("e_commerce", _("Sells through e-commerce"), "bool", _field("e_commerce")),
        Metric("has_website", _("Has a website"), "bool", _field("has_website")),
        Metric("revenue_growth_pct", _("Revenue growth"), "pct", _change("revenue", percent=True), _PREVIOUS),
        Metric(
            "total_assets_change",
            _("Change in total capital"),
            "vnd",
            _change("total_assets", percent=False),
            _PREVIOUS,
        ),
        Metric(
            "total_assets_growth_pct",
            _("Growth of total capital"),
            "pct",
            _change("total_assets", percent=True),
            _PREVIOUS,
        ),
        Metric("equity_change", _("Change in equity"), "vnd", _change("equity", percent=False), _PREVIOUS),
        Metric("equity_growth_pct", _("Growth of equity"), "pct", _change("equity", percent=True), _PREVIOUS),
        Metric(
            "official_members_change",
            _("Change in official members"),
            "count",
            _change("official_members", percent=False),
            _PREVIOUS,
        ),
        Metric(
            "profit_per_official_member",
            _("Profit before tax per official member"),
            "vnd",
            _per_official_member("profit"),
            _("profit before tax divided by the number of official members"),
        ),
        Metric(
            "revenue_per_official_member",
            _("Revenue per official member"),
            "vnd",
            _per_official_member("revenue"),
            _("revenue divided by the number of official members"),
        ),
        Metric(
            "survey_satisfied_pct",
            _("Members satisfied (share of respondents)"),
            "pct",
            _survey_share("satisfied", "respondents"),
            _("from the member satisfaction survey"),
        ),
        Metric(
            "survey_response_pct",
            _("Members who answered the survey"),
            "pct",
            _survey_share("respondents", "members_asked"),
            _("from the member satisfaction survey"),
        ),
    ]
}


def metric_value(code: str, ctx: MetricContext) -> Decimal | None:
    return METRICS[code].compute(ctx)
