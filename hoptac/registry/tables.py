"""The registry's list pages as tables (organisations, yearly data): what each column shows. The same lists
as Excel workbooks are in exports.py."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from hoptac.core.formatting import (
    format_date,
    format_number,
    format_quantity,
    format_yes_no,
    header_with_unit,
)
from hoptac.core.tables import Table

from .choices import LegalStatus
from .models import Organisation, YearlyReport, YearlyReportState

TABLE_TEMPLATE = "django_tables2/hoptac.html"


def status_code(record: Organisation) -> str:
    """The status shown for a row: on the "as of" date when the list is filtered by one, else today's."""
    return getattr(record, "status_on", None) or record.current_status


def status_badge(code: str):
    return format_html('<span class="badge status-{}">{}</span>', code, LegalStatus(code).label)


class OrganisationTable(Table):
    name = tables.Column(
        verbose_name=_("Name"),
        order_by=("name_sort", "pk"),
        attrs={"td": {"class": "col-name"}},
    )
    kind = tables.Column(verbose_name=_("Kind"))
    sector = tables.Column(verbose_name=_("Sector"), attrs={"td": {"class": "col-sector"}})
    commune_current = tables.Column(
        verbose_name=_("Commune (from 1/7/2025)"),
        accessor="commune_current__name",
        order_by=("commune_current__name_sort", "name_sort"),
    )
    commune_legacy = tables.Column(
        verbose_name=_("Old commune and district"),
        order_by=("commune_legacy__parent__name_sort", "commune_legacy__name_sort", "name_sort"),
    )
    status = tables.Column(verbose_name=_("Legal status"), accessor="current_status", empty_values=())
    founding_date = tables.DateColumn(verbose_name=_("Founding date"), format="d/m/Y")
    charter_capital = tables.Column(
        verbose_name=header_with_unit(_("Charter capital"), "charter_capital"),
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
    )

    class Meta:
        model = Organisation
        fields = (
            "name",
            "kind",
            "sector",
            "commune_current",
            "commune_legacy",
            "status",
            "founding_date",
            "charter_capital",
        )
        template_name = TABLE_TEMPLATE
        attrs = {"class": "data-table"}
        empty_text = _("No organisation matches these filters.")
        orderable = True

    def render_name(self, value, record):
        link = format_html(
            '<a href="{}">{}</a>', reverse("registry:organisation_detail", args=[record.pk]), value
        )
        if record.registration_code:
            return format_html('{}<span class="sub">{}</span>', link, record.registration_code)
        return link

    def render_kind(self, value, record):
        # The official abbreviations (HTX, LHHTX, THT, QTDND) keep the column narrow; the full name is in
        # the tooltip and read by screen readers.
        return format_html('<abbr class="kind" title="{}">{}</abbr>', value, record.kind.upper())

    def render_commune_legacy(self, value):
        if value.parent_id:
            return format_html('{}<span class="sub">{}</span>', value.name, value.parent.name)
        return value.name

    def render_status(self, record):
        return status_badge(status_code(record))

    def render_charter_capital(self, value):
        return format_quantity(value, "charter_capital", unit=False)


# ---------------------------------------------------------------------------------------------
# Yearly operating data


def state_badge(code: str):
    return format_html('<span class="badge state-{}">{}</span>', code, YearlyReportState(code).label)


NUMBER_CELL = {"td": {"class": "num"}, "th": {"class": "num"}}


class YearlyReportTable(Table):
    name = tables.Column(
        verbose_name=_("Organisation"),
        accessor="organisation__name",
        order_by=("organisation__name_sort", "organisation_id", "-year"),
        attrs={"td": {"class": "col-name"}},
    )
    registration_code = tables.Column(
        verbose_name=_("Registration code"),
        accessor="organisation__registration_code",
        order_by=("organisation__registration_code", "-year"),
    )
    commune = tables.Column(
        verbose_name=_("Commune"),
        accessor="organisation__commune_current",
        order_by=("organisation__commune_current__name_sort", "organisation__name_sort", "-year"),
        empty_values=(),
    )
    year = tables.Column(verbose_name=_("Year"), order_by=("year", "organisation__name_sort"))
    official_members = tables.Column(
        verbose_name=_("Official members"), accessor="official_total", attrs=NUMBER_CELL
    )
    workers = tables.Column(verbose_name=_("Workers"), attrs=NUMBER_CELL)
    # Amounts in their one display unit (triệu đồng), named in the header (hoptac.core.formatting.QUANTITIES).
    revenue = tables.Column(verbose_name=header_with_unit(_("Revenue"), "revenue"), attrs=NUMBER_CELL)
    profit = tables.Column(verbose_name=header_with_unit(_("Profit before tax"), "profit"), attrs=NUMBER_CELL)
    average_worker_income = tables.Column(
        verbose_name=header_with_unit(_("Average worker income"), "average_worker_income"), attrs=NUMBER_CELL
    )
    in_value_chain = tables.Column(verbose_name=_("Value chain"))
    high_tech = tables.Column(verbose_name=_("High tech"))
    ocop_products = tables.Column(verbose_name=capfirst(_("OCOP products")), attrs=NUMBER_CELL)
    state = tables.Column(verbose_name=_("Review state"), empty_values=())

    class Meta:
        model = YearlyReport
        fields = ()
        sequence = (
            "name",
            "registration_code",
            "commune",
            "year",
            "official_members",
            "workers",
            "revenue",
            "profit",
            "average_worker_income",
            "in_value_chain",
            "high_tech",
            "ocop_products",
            "state",
        )
        template_name = TABLE_TEMPLATE
        attrs = {"class": "data-table compact"}
        empty_text = _("No yearly data match these filters.")
        orderable = True

    def render_name(self, value, record):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("registry:organisation_detail", args=[record.organisation_id]),
            value,
        )

    def render_commune(self, record):
        organisation = record.organisation
        legacy = organisation.commune_legacy
        old = ""
        if legacy is not None:
            old = f"{legacy.name}, {legacy.parent.name}" if legacy.parent_id else legacy.name
        if organisation.commune_current_id:
            if old:
                return format_html('{}<span class="sub">{}</span>', organisation.commune_current.name, old)
            return organisation.commune_current.name
        return old or "—"

    def render_year(self, value, record):
        # The year opens that year's data and its review (the figures against the year before).
        return format_html(
            '<a href="{}">{}</a>',
            reverse("registry:yearly_report_review", args=[record.organisation_id, value]),
            value,
        )

    def render_official_members(self, value):
        return format_number(value)

    def render_workers(self, value):
        return format_number(value)

    def render_revenue(self, value):
        return format_quantity(value, "revenue", unit=False)

    def render_profit(self, value):
        return format_quantity(value, "profit", unit=False)

    def render_average_worker_income(self, value):
        return format_quantity(value, "average_worker_income", unit=False)

    def render_in_value_chain(self, value):
        return format_yes_no(value)

    def render_high_tech(self, value):
        return format_yes_no(value)

    def render_ocop_products(self, value, record):
        if value and record.ocop_max_stars:
            return format_html('{}<span class="sub">{}★</span>', format_number(value), record.ocop_max_stars)
        return format_number(value)

    def render_state(self, record):
        badge = state_badge(record.state)
        deadline = record.deadline_state()
        if deadline:
            mark = _("overdue since %(date)s") if deadline == "overdue" else _("due %(date)s")
            return format_html(
                '{}<span class="sub"><span class="badge due-{}">{}</span></span>',
                badge,
                deadline,
                mark % {"date": format_date(record.due)},
            )
        if record.submitted_at:
            submitted = _("submitted on %(date)s") % {"date": format_date(record.submitted_at)}
            return format_html('{}<span class="sub">{}</span>', badge, submitted)
        return badge


class YearlyReviewTable(Table):
    """The yearly data waiting for review: a box to pick rows for a bulk decision, the organisation, the
    year, the commune, the day it was submitted and how long it has waited (marked past two weeks)."""

    pick = tables.CheckBoxColumn(
        accessor="pk",
        attrs={"th__input": {"aria-label": _("Select all"), "data-select-all": "pk"}},
        orderable=False,
    )
    name = tables.Column(
        verbose_name=_("Organisation"),
        accessor="organisation__name",
        order_by=("organisation__name_sort", "organisation_id", "-year"),
        attrs={"td": {"class": "col-name"}},
    )
    year = tables.Column(verbose_name=_("Year"), order_by=("year", "organisation__name_sort"))
    commune = YearlyReportTable.base_columns["commune"]
    submitted_at = tables.Column(
        verbose_name=_("Submitted on"), order_by=("submitted_at", "organisation__name_sort"), empty_values=()
    )
    review = tables.Column(verbose_name=_("Actions"), accessor="pk", orderable=False, empty_values=())

    # Waiting longer than this many days is marked as late.
    LATE_AFTER_DAYS = 14

    class Meta:
        model = YearlyReport
        fields = ()
        sequence = ("pick", "name", "year", "commune", "submitted_at", "review")
        template_name = TABLE_TEMPLATE
        attrs = {"class": "data-table compact stack-on-phone"}
        empty_text = _("Nothing waits for review.")
        orderable = True

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils import timezone

        self.today = today or timezone.localdate()

    def render_pick(self, value):
        return format_html(
            '<input type="checkbox" name="pk" value="{}" aria-label="{}">', value, _("Select this row")
        )

    def render_name(self, value, record):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("registry:organisation_detail", args=[record.organisation_id]),
            value,
        )

    def render_commune(self, record):
        return YearlyReportTable.render_commune(self, record)

    def render_year(self, value):
        return str(value)

    def render_submitted_at(self, record):
        if not record.submitted_at:
            return "—"
        days = (self.today - record.submitted_at).days
        waited = _("waiting %(days)s days") % {"days": days}
        tone = "due-overdue" if days > self.LATE_AFTER_DAYS else "due-upcoming"
        return format_html(
            '{}<span class="sub"><span class="badge {}">{}</span></span>',
            format_date(record.submitted_at),
            tone,
            waited,
        )

    def render_review(self, record):
        return format_html(
            '<a class="button small secondary" href="{}">{}</a>',
            reverse("registry:yearly_report_review", args=[record.organisation_id, record.year]),
            _("Review"),
        )
