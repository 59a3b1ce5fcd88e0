"""The audit page for administrators (/accounts/audit/): one filterable list of every audit event, and the same
list as an .xlsx workbook (hoptac.core.workbooks)."""

import datetime
from typing import Any

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from hoptac.core.downloads import XLSX, written_attachment
from hoptac.core.forms import date_field_setup
from hoptac.core.workbooks import Column, stream_table

from . import roles
from .models import AuditEvent, AuditKind, User


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Event"), required=False, choices=[("", gettext_lazy("All"))] + AuditKind.choices
    )
    user = forms.CharField(label=gettext_lazy("Username"), required=False, max_length=150)
    q = forms.CharField(label=gettext_lazy("Record or address contains"), required=False, max_length=200)
    date_from = forms.DateField(label=gettext_lazy("From"), required=False)
    date_to = forms.DateField(label=gettext_lazy("To"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        date_field_setup(self.fields["date_from"])
        date_field_setup(self.fields["date_to"])


def audit_event_list(*, user: User, params: Any) -> tuple[AuditFilterForm, QuerySet[AuditEvent]]:
    """The events an administrator asked for (the filter form bound to `params`), newest first."""
    if not roles.can_view_audit(user):
        raise PermissionDenied
    form = AuditFilterForm(params or None)
    events = AuditEvent.objects.all()
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            events = events.filter(kind=data["kind"])
        if data["user"]:
            events = events.filter(username__icontains=data["user"])
        if data["q"]:
            events = events.filter(
                Q(object_repr__icontains=data["q"])
                | Q(path__icontains=data["q"])
                | Q(detail__icontains=data["q"])
            )
        zone = timezone.get_current_timezone()
        if data["date_from"]:
            start = datetime.datetime.combine(data["date_from"], datetime.time.min, tzinfo=zone)
            events = events.filter(at__gte=start)
        if data["date_to"]:
            end = datetime.datetime.combine(
                data["date_to"] + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
            )
            events = events.filter(at__lt=end)
    elif form.is_bound:
        events = events.none()
    return form, events.order_by("-at", "-pk")


class AdminOnlyMixin(LoginRequiredMixin):
    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not roles.can_view_audit(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AuditListView(AdminOnlyMixin, ListView):
    template_name = "accounts/audit_list.html"
    paginate_by = 50
    context_object_name = "events"

    def get_queryset(self) -> QuerySet[AuditEvent]:
        user = self.request.user
        assert user.is_authenticated  # LoginRequiredMixin
        self.form, events = audit_event_list(user=user, params=self.request.GET)
        return events

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        return context


COLUMN_HEADERS: list[tuple[Any, float]] = [
    (gettext_lazy("Time"), 18),
    (gettext_lazy("Event"), 22),
    (gettext_lazy("Username"), 18),
    (gettext_lazy("IP address"), 16),
    (gettext_lazy("Record type"), 22),
    (gettext_lazy("Record id"), 10),
    (gettext_lazy("Record"), 36),
    (gettext_lazy("Address in the system"), 40),
    (gettext_lazy("Detail"), 40),
]


def audit_workbook(target: Any, events: QuerySet[AuditEvent]) -> int:
    """The events as an .xlsx written to `target` (hoptac.core.workbooks.stream_table: read in chunks, the
    event labels translated once): any number of events in the memory of one. Returns the events written."""
    kinds = {value: str(label) for value, label in AuditKind.choices}
    zone = timezone.get_current_timezone()
    fields = (
        "at",
        "kind",
        "username",
        "ip_address",
        "object_type",
        "object_id",
        "object_repr",
        "path",
        "detail",
    )
    rows = (
        [
            at.astimezone(zone).strftime("%d/%m/%Y %H:%M:%S"),
            kinds.get(kind, kind),
            username,
            ip_address or "",
            object_type,
            object_id,
            object_repr,
            path,
            detail,
        ]
        for at, kind, username, ip_address, object_type, object_id, object_repr, path, detail in events.values_list(
            *fields
        ).iterator(chunk_size=2000)
    )
    return stream_table(
        target,
        sheet_title=_("Audit trail"),
        title=_("Audit trail"),
        lines=[_("Exported at %(time)s") % {"time": timezone.localtime().strftime("%H:%M %d/%m/%Y")}],
        header_row=4,
        columns=[Column(str(header), width) for header, width in COLUMN_HEADERS],
        rows=rows,
        auto_filter=True,
    )


class AuditExportView(AdminOnlyMixin, View):
    def get(self, request: Any) -> Any:
        _form, events = audit_event_list(user=request.user, params=request.GET)
        return written_attachment(
            lambda path: audit_workbook(path, events), content_type=XLSX, filename="nhat-ky-he-thong.xlsx"
        )
