"""The ratings as an Excel workbook (hoptac.core.workbooks), for the results page's "Xuất Excel" and the API's
rating-results/export: the distribution by year, by group in one year, and the approved assessments of that
year one per line."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts.models import User
from hoptac.core.workbooks import (
    DATE,
    DECIMAL,
    Column,
    add_sheet,
    new_workbook,
    workbook_bytes,
    write_table,
    write_title,
)

from . import selectors
from .choices import SCORE_BANDS, Band, GroupBy

BAND_KEYS = [b.value for b in SCORE_BANDS] + [Band.NOT_RATED.value]


def _distribution_sheet(sheet, title: str, first_header: str, rows: list[dict[str, Any]]) -> None:
    write_title(sheet, title)
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
    write_table(sheet, 3, columns, values, fixed_columns=1)


def results_workbook(
    *, title: str, by_year: list[dict], grouped: list[dict], group_label: str, year: int, assessments
) -> bytes:
    workbook = new_workbook()
    sheet = add_sheet(workbook, _("By year"))
    _distribution_sheet(sheet, title, _("Year"), [{**row, "label": str(row["year"])} for row in by_year])
    sheet = add_sheet(workbook, _("%(year)s by group") % {"year": year})
    _distribution_sheet(sheet, f"{title} — {year} — {group_label}", group_label, grouped)
    sheet = add_sheet(workbook, _("%(year)s list") % {"year": year})
    columns = [
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
    rows: list[list[Any]] = []
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
        rows.append(values)
    write_table(sheet, 1, columns, rows, fixed_columns=2)
    return workbook_bytes(workbook)


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
        assessments=selectors.results_rows(user=user, year=year).select_related(
            "organisation__commune_current", "organisation__commune_legacy__parent", "scheme"
        ),
    )


def results_filename(year: int) -> str:
    return f"hoptac-xep-loai-{year}.xlsx"
