"""Tabular output of the scoring app: the calendar's table of organisations and the results as an
Excel workbook."""

import io
from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from hoptac.core.templatetags.vn import format_number
from hoptac.registry.models import Organisation

from . import selectors
from .choices import SCORE_BANDS, AssessmentState, Band, GroupBy

TABLE_TEMPLATE = "django_tables2/hoptac.html"


def state_badge(state: str | None):
    if not state:
        return format_html('<span class="badge state-not_started">{}</span>', _("Not started"))
    return format_html('<span class="badge state-{}">{}</span>', state, AssessmentState(state).label)


def band_badge(band: str | None):
    if not band:
        return "—"
    return format_html('<span class="badge band-{}">{}</span>', band, Band(band).label)


def points(value) -> str:
    if value is None:
        return "—"
    return format_number(value, 0 if value == int(value) else 1)


class CalendarTable(tables.Table):
    name = tables.Column(
        verbose_name=gettext_lazy("Organisation"),
        order_by=("name_sort", "pk"),
        attrs={"td": {"class": "col-name"}},
    )
    commune = tables.Column(
        verbose_name=gettext_lazy("Commune"),
        accessor="commune_current__name",
        order_by=("commune_current__name_sort", "name_sort"),
        empty_values=(),
    )
    scheme = tables.Column(verbose_name=gettext_lazy("Scheme"), accessor="assessment_scheme", orderable=False)
    state = tables.Column(verbose_name=gettext_lazy("Step"), accessor="assessment_state", empty_values=())
    self_total = tables.Column(
        verbose_name=gettext_lazy("Self-score"),
        accessor="assessment_self_total",
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
    )
    official_total = tables.Column(
        verbose_name=gettext_lazy("Official score"),
        accessor="assessment_official_total",
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
    )
    band = tables.Column(verbose_name=gettext_lazy("Rating"), accessor="assessment_band", empty_values=())
    submitted = tables.Column(verbose_name=gettext_lazy("Submitted"), accessor="assessment_submitted_at")

    class Meta:
        model = Organisation
        fields = ("name", "commune", "scheme", "state", "self_total", "official_total", "band", "submitted")
        template_name = TABLE_TEMPLATE
        attrs = {"class": "data-table"}
        empty_text = gettext_lazy("No organisation to evaluate here.")
        orderable = True

    def __init__(self, *args, deadline=None, **kwargs):
        self.deadline = deadline
        super().__init__(*args, **kwargs)

    def render_name(self, value, record):
        if record.assessment_id:
            link = format_html(
                '<a href="{}">{}</a>',
                reverse("scoring:assessment_detail", args=[record.assessment_id]),
                value,
            )
        else:
            link = format_html(
                '<a href="{}">{}</a>', reverse("scoring:organisation_assessments", args=[record.pk]), value
            )
        if record.kind != "htx":
            return format_html('{}<span class="sub">{}</span>', link, record.get_kind_display())
        return link

    def render_commune(self, record):
        current = record.commune_current.name if record.commune_current_id else "—"
        if record.commune_legacy_id:
            old = record.commune_legacy.name
            if record.commune_legacy.parent_id:
                old = f"{old}, {record.commune_legacy.parent.name}"
            return format_html('{}<span class="sub">{}</span>', current, old)
        return current

    def render_state(self, value):
        return state_badge(value)

    def render_band(self, value):
        return band_badge(value)

    def render_self_total(self, value, record):
        if record.assessment_state in (AssessmentState.DRAFT, AssessmentState.RETURNED):
            return format_html(
                '<span class="muted" title="{}">{}</span>', _("not submitted yet"), points(value)
            )
        return points(value)

    def render_official_total(self, value):
        return points(value)

    def render_submitted(self, value):
        day = timezone.localtime(value).date()
        text = day.strftime("%d/%m/%Y")
        if self.deadline and day > self.deadline:
            return format_html('{} <span class="badge late">{}</span>', text, _("late"))
        return text


# ---------------------------------------------------------------------------------------------
# Excel.

HEADER_FILL = PatternFill("solid", fgColor="E3EDF8")
BAND_KEYS = [b.value for b in SCORE_BANDS] + [Band.NOT_RATED.value]


def _header(ws, row: int, headers: list[str], widths: list[int]) -> None:
    for column, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = ws.cell(row=row, column=column, value=header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(column)].width = width


def _distribution_sheet(ws, title: str, first_header: str, rows: list[dict[str, Any]]) -> None:
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
    headers = [first_header] + [str(Band(k).label) for k in BAND_KEYS] + [_("Rated"), _("Good or fair (%)")]
    _header(ws, 3, headers, [34] + [12] * len(BAND_KEYS) + [14, 16])
    for offset, row in enumerate(rows, start=4):
        values = [row["label"]] + [row[k] for k in BAND_KEYS] + [row["rated"], row["share_good_fair_pct"]]
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=offset, column=column, value=value)
            if column == len(values) and value is not None:
                cell.number_format = "0.0"
    ws.freeze_panes = "B4"


def results_workbook(
    *, title: str, by_year: list[dict], grouped: list[dict], group_label: str, year: int, assessments
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("By year")[:31]
    _distribution_sheet(ws, title, _("Year"), [{**row, "label": str(row["year"])} for row in by_year])
    ws = wb.create_sheet((_("%(year)s by group") % {"year": year})[:31])
    _distribution_sheet(ws, f"{title} — {year} — {group_label}", group_label, grouped)
    ws = wb.create_sheet((_("%(year)s list") % {"year": year})[:31])
    headers = [
        _("No."),
        _("Organisation"),
        _("Kind"),
        _("Sector"),
        _("Commune (from 1/7/2025)"),
        _("Old commune (before 1/7/2025)"),
        _("Old district (before 1/7/2025)"),
        _("Scheme"),
        _("Self-score"),
        _("Official score"),
        _("Rating"),
        _("Exclusion"),
        _("Size class"),
        _("Approved on"),
    ]
    _header(ws, 1, headers, [6, 46, 22, 26, 22, 22, 22, 24, 12, 12, 14, 36, 12, 14])
    for index, assessment in enumerate(assessments, start=1):
        organisation = assessment.organisation
        legacy = organisation.commune_legacy
        values = [
            index,
            organisation.name,
            str(organisation.get_kind_display()),
            str(organisation.get_sector_display()),
            organisation.commune_current.name if organisation.commune_current_id else "",
            legacy.name if legacy else "",
            legacy.parent.name if legacy and legacy.parent_id else "",
            assessment.scheme.short_name,
            float(assessment.self_total) if assessment.self_total is not None else None,
            float(assessment.official_total) if assessment.official_total is not None else None,
            str(assessment.get_band_display()) if assessment.band else "",
            assessment.exclusion_text,
            str(assessment.get_size_class_display()) if assessment.size_class else "",
            timezone.localtime(assessment.approved_at).date() if assessment.approved_at else None,
        ]
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=index + 1, column=column, value=value)
            if column == len(values) and value is not None:
                cell.number_format = "DD/MM/YYYY"
    ws.freeze_panes = "C2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def results_export(*, user, year: int, group_by: str, latest: int) -> bytes:
    """The .xlsx of the results page's export and of the API's rating-results/export, in the user's scope:
    the distribution by year (selectors.results_years), by group in `year`, and the approved assessments
    of `year`, one per line."""
    return results_workbook(
        title=_("Ratings of collective-economy organisations"),
        by_year=selectors.rating_by_year(user=user, years=selectors.results_years(year=year, latest=latest)),
        grouped=selectors.rating_distribution(user=user, year=year, group_by=group_by),
        group_label=str(GroupBy(group_by).label),
        year=year,
        assessments=selectors.results_rows(user=user, year=year).select_related(
            "organisation__commune_current", "organisation__commune_legacy__parent", "scheme"
        ),
    )


def results_filename(year: int) -> str:
    return f"hoptac-xep-loai-{year}.xlsx"
