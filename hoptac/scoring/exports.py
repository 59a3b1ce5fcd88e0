"""The ratings as an Excel workbook (hoptac.core.workbooks), for the results page's "Xuất Excel" and the API's
rating-results/export: the distribution by year, by group in one year, and the approved assessments of that
year one per line."""

import io

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts.models import User
from hoptac.core.formatting import choice_labels as labels
from hoptac.core.workbooks import DATE, DECIMAL, Column, new_streaming_workbook, stream_sheet
from hoptac.registry.choices import OrganisationKind, Sector

from . import selectors
from .choices import SCORE_BANDS, Band, GroupBy, SizeClass

BAND_KEYS = [b.value for b in SCORE_BANDS] + [Band.NOT_RATED.value]


def _distribution_sheet(workbook, sheet_title: str, title: str, first_header: str, rows: list[dict]) -> None:
    columns = [
        Column(first_header, 34),
        *[Column(str(Band(k).label), 12) for k in BAND_KEYS],
        Column(_("Rated"), 14),
        Column(_("Good or fair (%)"), 16, DECIMAL),
    ]
    values = [
        [row["label"]] + [row[k] for k in BAND_KEYS] + [row["rated"], row["share_good_fair_pct"]]
        for row in rows
    ]
    stream_sheet(
        workbook,
        sheet_title=sheet_title,
        title=title,
        columns=columns,
        rows=values,
        header_row=3,
        fixed_columns=1,
    )


def results_workbook(
    *,
    title: str,
    by_year: list[dict],
    grouped: list[dict],
    group_label: str,
    year: int,
    assessments: QuerySet,
) -> bytes:
    """The three sheets, written in write-only mode: the approved assessments are read as plain values in
    chunks, their labels translated once (hoptac.core.workbooks.stream_sheet)."""
    workbook = new_streaming_workbook()
    by_year = [{**row, "label": str(row["year"])} for row in by_year]
    _distribution_sheet(workbook, _("By year"), title, _("Year"), by_year)
    by_group = _("%(year)s by group") % {"year": year}
    _distribution_sheet(workbook, by_group, f"{title} — {year} — {group_label}", group_label, grouped)
    kinds = labels(OrganisationKind)
    sectors = labels(Sector)
    bands = labels(Band)
    sizes = labels(SizeClass)
    zone = timezone.get_current_timezone()
    rows = (
        [
            index,
            name,
            kinds(kind),
            sectors(sector),
            current or "",
            legacy or "",
            legacy_district or "",
            scheme,
            float(self_total) if self_total is not None else None,
            float(official_total) if official_total is not None else None,
            bands(band) if band else "",
            exclusion,
            sizes(size_class) if size_class else "",
            approved_at.astimezone(zone).date() if approved_at else None,
        ]
        for index, (
            name,
            kind,
            sector,
            current,
            legacy,
            legacy_district,
            scheme,
            self_total,
            official_total,
            band,
            exclusion,
            size_class,
            approved_at,
        ) in enumerate(assessments.values_list(*ASSESSMENT_FIELDS).iterator(chunk_size=2000), start=1)
    )
    stream_sheet(
        workbook,
        sheet_title=_("%(year)s list") % {"year": year},
        title=None,
        columns=LIST_COLUMNS(),
        rows=rows,
        fixed_columns=2,
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The approved assessments of the year, one per line: what each column reads (`values_list`).
ASSESSMENT_FIELDS = (
    "organisation__name",
    "organisation__kind",
    "organisation__sector",
    "organisation__commune_current__name",
    "organisation__commune_legacy__name",
    "organisation__commune_legacy__parent__name",
    "scheme__short_name",
    "self_total",
    "official_total",
    "band",
    "exclusion_text",
    "size_class",
    "approved_at",
)


def LIST_COLUMNS() -> list[Column]:  # noqa: N802 - translated when called
    return [
        Column(_("No."), 6),
        Column(_("Organisation"), 46),
        Column(_("Kind"), 22),
        Column(_("Sector"), 26),
        Column(_("Commune (from 1/7/2025)"), 22),
        Column(_("Old commune (before 1/7/2025)"), 22),
        Column(_("Old district (before 1/7/2025)"), 22),
        Column(_("Scheme"), 24),
        Column(_("Self-score"), 12),
        Column(_("Official score"), 12),
        Column(_("Rating"), 14),
        Column(_("Exclusion"), 36),
        Column(_("Size class"), 12),
        Column(_("Approved on"), 14, DATE),
    ]


def results_export(*, user: User, year: int, group_by: str, latest: int) -> bytes:
    """The .xlsx of the results page's export and of the API's rating-results/export, in the user's scope:
    the distribution by year (selectors.results_years), by group in `year`, and the approved assessments
    of `year`, one per line."""
    return results_workbook(
        title=_("Ratings of collective-economy organisations"),
        by_year=selectors.rating_by_year(user=user, years=selectors.results_years(year=year, latest=latest)),
        grouped=selectors.rating_distribution(user=user, year=year, group_by=group_by),
        group_label=str(GroupBy(group_by).label),
        year=year,
        assessments=selectors.results_rows(user=user, year=year),
    )


def results_filename(year: int) -> str:
    return f"hoptac-xep-loai-{year}.xlsx"
