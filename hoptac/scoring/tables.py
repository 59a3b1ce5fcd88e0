"""The scoring calendar's table of organisations: what each column shows. The results as an Excel workbook
are in exports.py."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoptac.core.formatting import format_compact, format_date
from hoptac.registry.models import Organisation

from .choices import AssessmentState, Band

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
    return format_compact(value, 1)


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
        text = format_date(day)
        if self.deadline and day > self.deadline:
            return format_html('{} <span class="badge late">{}</span>', text, _("late"))
        return text
