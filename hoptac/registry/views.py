"""Pages of the registry. Views only parse requests and call selectors (reads) and services (writes);
objects outside the user's scope answer 404 (selectors.organisation_get)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from hoptac.accounts import roles
from hoptac.accounts.http import SignedInRequest
from hoptac.core.downloads import ExportKind, Params, inline_rows, written_attachment
from hoptac.core.filters import clean_year
from hoptac.core.forms import add_service_errors
from hoptac.core.keyset import KeysetPaginator
from hoptac.core.review import ReviewStepMixin
from hoptac.core.scoping import can_reach
from hoptac.notifications.export_jobs import export_job_start

from . import errors, selectors, services, tallies
from .choices import LegalStatus
from .exports import ORGANISATIONS, YEARLY_REPORTS
from .forms import (
    OrganisationForm,
    OrganisationListFilter,
    StatusAsOfForm,
    StatusChangeForm,
    YearlyReportForm,
    YearlyReportListFilter,
)
from .models import YearlyReport, YearlyReportState
from .tables import OrganisationTable, YearlyReportTable, YearlyReviewTable

PAGE_SIZE = 25


class ListPageMixin(LoginRequiredMixin, SingleTableMixin, FilterView):
    """A list page: a table filtered by a FilterSet, the filter column (includes/filter_panel.html) showing
    `filter_fields` in that order, and the query string the export link carries."""

    request: SignedInRequest
    filter_fields: tuple[str, ...] = ()
    table_pagination = {"per_page": PAGE_SIZE}
    # Large lists page by position (hoptac.core.keyset): ?cursor= instead of ?page=, page 50 costs page 1.
    keyset_pages = False
    keyset_groups: tuple[str, ...] = ()  # hoptac.core.keyset.keyset_page's `groups`

    def keyset_counts(self):
        """The list's counts by group kept elsewhere (hoptac.core.keyset's `counts`), or None: count the rows."""
        return None

    def get_table_pagination(self, table):
        if not self.keyset_pages:
            return super().get_table_pagination(table)
        return {
            **self.table_pagination,
            "paginator_class": KeysetPaginator,
            "cursor": self.request.GET.get("cursor"),
            "groups": self.keyset_groups,
            "counts": self.keyset_counts(),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_fields"] = [self.filterset.form[name] for name in self.filter_fields]
        context["query_string"] = self.request.GET.urlencode()
        return context


class OrganisationListView(ListPageMixin):
    keyset_pages = True
    table_class = OrganisationTable
    filterset_class = OrganisationListFilter
    template_name = "registry/organisation_list.html"
    filter_fields = ("q", "area", "kind", "status", "as_of", "sector", "year")

    def get_queryset(self):
        return selectors.organisation_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = roles.can_register_organisations(self.request.user)
        form = self.filterset.form
        context["as_of"] = form.cleaned_data.get("as_of") if form.is_bound and form.is_valid() else None
        return context


class ListExportView(LoginRequiredMixin, View):
    """A list page's rows, with the same scope, filters and sort (the table's ?sort=), as an .xlsx file: up to
    hoptac.core.downloads.inline_rows() rows answered at once (written to a temporary file and sent from it);
    a larger list answers a page that offers to prepare the file in the background (a POST to the same address
    starts the job: hoptac.notifications.export_jobs; a GET never writes)."""

    request: SignedInRequest
    export: ExportKind

    def params(self, request) -> Params:
        return [(name, value) for name, values in request.GET.lists() for value in values]

    def get(self, request):
        params = self.params(request)
        total = self.export.count(request.user, params)
        if total > inline_rows():
            context = {
                "export": self.export,
                "total": total,
                "limit": inline_rows(),
                "query_string": request.GET.urlencode(),
            }
            return render(request, "notifications/export_start.html", context)
        return written_attachment(
            lambda path: self.export.write(request.user, params, path, None),
            content_type=self.export.content_type,
            filename=self.export.filename(timezone.localdate()),
        )

    def post(self, request):
        job = export_job_start(user=request.user, kind=self.export.name, params=self.params(request))
        return redirect("notifications:export_job", job.pk)


class OrganisationExportView(ListExportView):
    """The organisation list as an .xlsx file."""

    export = ORGANISATIONS


class YearlyReportListView(ListPageMixin):
    """The yearly operating data of the organisations in the user's scope, one row per organisation and
    year, with the registry's filters; exported by YearlyReportExportView."""

    keyset_pages = True
    # Sorted by year first (the default, newest first): read a year at a time, by the name index within it.
    keyset_groups = ("year",)
    table_class = YearlyReportTable
    filterset_class = YearlyReportListFilter
    template_name = "registry/yearly_report_list.html"
    filter_fields = (
        "q", "year", "area", "kind", "sector", "state", "in_value_chain", "high_tech"
    )  # fmt: skip

    def get_queryset(self):
        return selectors.yearly_report_list(user=self.request.user)

    def keyset_counts(self):
        # Counts by year from the tally of yearly reports when only year and state filter (decision 0056).
        return tallies.list_counts(user=self.request.user, filterset=self.filterset)


class YearlyReportExportView(ListExportView):
    """The yearly data list as an .xlsx file."""

    export = YEARLY_REPORTS


class OrganisationDetailView(LoginRequiredMixin, TemplateView):
    request: SignedInRequest
    template_name = "registry/organisation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        organisation = selectors.organisation_get(user=user, pk=self.kwargs["pk"])
        as_of_form = StatusAsOfForm(self.request.GET or None)
        status_as_of = None
        if as_of_form.is_bound and as_of_form.is_valid():
            code = selectors.status_on(organisation=organisation, day=as_of_form.cleaned_data["as_of"])
            status_as_of = {"code": code, "label": LegalStatus(code).label if code else None}
        can_change = can_reach(user, "change", organisation)
        context.update(
            {
                "organisation": organisation,
                "relations": selectors.organisation_relations(user=user, organisation=organisation),
                "status_changes": selectors.organisation_status_changes(organisation=organisation),
                "yearly_reports": selectors.organisation_yearly_reports(organisation=organisation),
                "history": selectors.organisation_history(organisation=organisation),
                "as_of_form": as_of_form,
                "status_as_of": status_as_of,
                "can_change": can_change,
                "can_add_status": services.user_can_record_status(user, organisation),
            }
        )
        return context


class OrganisationCreateView(LoginRequiredMixin, FormView):
    request: SignedInRequest
    form_class = OrganisationForm
    template_name = "registry/organisation_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not roles.can_register_organisations(request.user):
            raise PermissionDenied(errors.NOT_ALLOWED)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            organisation = services.organisation_create(user=self.request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The organisation “%(name)s” was registered.") % {"name": organisation}
        )
        return redirect("registry:organisation_detail", pk=organisation.pk)


class OrganisationUpdateView(LoginRequiredMixin, FormView):
    request: SignedInRequest
    form_class = OrganisationForm
    template_name = "registry/organisation_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.organisation = selectors.organisation_get(
                user=request.user, pk=kwargs["pk"], action="change"
            )
            # The form writes its (maybe invalid) input onto the instance: keep the saved name for the title.
            self.saved_name = self.organisation.name
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.organisation,
            "user": self.request.user,
            "fields_allowed": services.editable_fields(self.request.user),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(organisation=self.organisation, saved_name=self.saved_name, **kwargs)

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in form.fields}
        try:
            services.organisation_update(user=self.request.user, organisation=self.organisation, data=data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The changes were saved."))
        return redirect("registry:organisation_detail", pk=self.organisation.pk)


class OrganisationChildFormView(LoginRequiredMixin, FormView):
    """A form about one organisation the user may change (404 otherwise)."""

    request: SignedInRequest

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.organisation = selectors.organisation_get(
                user=request.user, pk=kwargs["pk"], action="change"
            )
            self.prepare()
        return super().dispatch(request, *args, **kwargs)

    def prepare(self) -> None:
        """Runs once the organisation is known: further checks (raise PermissionDenied) or loading."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(organisation=self.organisation, **kwargs)

    def detail_url(self, anchor: str) -> str:
        return reverse("registry:organisation_detail", kwargs={"pk": self.organisation.pk}) + anchor


class StatusChangeCreateView(OrganisationChildFormView):
    form_class = StatusChangeForm
    template_name = "registry/status_change_form.html"

    def prepare(self) -> None:
        if not services.user_can_record_status(self.request.user, self.organisation):
            raise PermissionDenied(errors.NOT_ALLOWED)

    def form_valid(self, form):
        try:
            services.status_change_add(
                user=self.request.user, organisation=self.organisation, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The legal status change was recorded."))
        return redirect(self.detail_url("#status"))


class YearlyReportFormView(OrganisationChildFormView):
    form_class = YearlyReportForm
    template_name = "registry/yearly_report_form.html"
    report: YearlyReport | None = None

    def get_report(self) -> YearlyReport | None:
        return None

    def prepare(self) -> None:
        self.report = self.get_report()

    def get_form_kwargs(self):
        years = selectors.organisation_yearly_reports(organisation=self.organisation).values_list(
            "year", flat=True
        )
        return {
            **super().get_form_kwargs(),
            "instance": self.report or YearlyReport(organisation=self.organisation),
            "existing_years": list(years),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(report=self.report, **kwargs)

    def form_valid(self, form):
        data = {name: value for name, value in form.cleaned_data.items() if name != "year"}
        year = self.report.year if self.report else form.cleaned_data["year"]
        submit = self.request.POST.get("action") == "submit"
        try:
            report = services.yearly_report_save(
                user=self.request.user,
                organisation=self.organisation,
                year=year,
                data=data,
                report=self.report,
                submit=submit,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if submit:
            messages.success(
                self.request, _("The data for %(year)s were saved and submitted for review.") % {"year": year}
            )
        else:
            messages.success(
                self.request,
                _("The draft for %(year)s was saved; it is not submitted yet.") % {"year": report.year},
            )
        return redirect("registry:yearly_report_review", pk=self.organisation.pk, year=report.year)


class YearlyReportCreateView(YearlyReportFormView):
    def get_initial(self):
        """The year asked for (?year=, the desk's "Nhập số liệu" of a year), else the form's default."""
        year = clean_year(self.request.GET.get("year"))
        return {**super().get_initial(), **({"year": year} if year else {})}


class YearlyReportUpdateView(YearlyReportFormView):
    def get_report(self) -> YearlyReport:
        return selectors.yearly_report_get(organisation=self.organisation, year=self.kwargs["year"])

    def get(self, request, *args, **kwargs):
        return self._unless_locked() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._unless_locked() or super().post(request, *args, **kwargs)

    def _unless_locked(self):
        """Accepted or submitted data are not edited (the service's rule): show them on the review page."""
        if self.report is None:
            return None
        try:
            services.yearly_report_check_open(self.report)
        except ValidationError as closed:
            for message in closed.messages:
                messages.warning(self.request, message)
            return redirect("registry:yearly_report_review", pk=self.organisation.pk, year=self.report.year)
        return None


class YearlyReportReviewView(LoginRequiredMixin, ReviewStepMixin, TemplateView):
    """The year's data against the previous year, field by field, with the review state; the organisation
    submits, the commune officer accepts or returns submitted data, a provincial officer reopens an accepted
    year — the steps of registry/workflow.py, offered by includes/review.html."""

    request: SignedInRequest
    template_name = "registry/yearly_report_review.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.organisation = selectors.organisation_get(user=request.user, pk=kwargs["pk"])
            self.report = selectors.yearly_report_get(organisation=self.organisation, year=kwargs["year"])
        return super().dispatch(request, *args, **kwargs)

    def review_object(self) -> YearlyReport:
        return self.report

    def get_context_data(self, **kwargs):
        user = self.request.user
        previous = selectors.yearly_report_previous(report=self.report)
        can_change = can_reach(user, "change", self.organisation)
        context = super().get_context_data(**kwargs)
        context.setdefault("review", self.review_context()["review"])
        context.update(
            {
                "organisation": self.organisation,
                "report": self.report,
                "previous": previous,
                "diff": selectors.yearly_report_diff(report=self.report, previous=previous),
                "can_edit": can_change
                and self.report.state in (YearlyReportState.DRAFT, YearlyReportState.RETURNED),
                "notable_pct": selectors.YEARLY_DIFF_NOTABLE_PCT,
            }
        )
        return context


class YearlyReviewListView(ListPageMixin):
    """The review queue of the yearly data: data submitted in the user's scope and waiting for an officer's
    decision, oldest first, with the registry's filters, pages of 25, and a bulk acceptance of the rows
    picked (accepting needs no comment; returning does, so it is taken one by one on the review page)."""

    table_class = YearlyReviewTable
    filterset_class = YearlyReportListFilter
    template_name = "registry/yearly_review_list.html"
    filter_fields = ("q", "year", "area", "kind")

    def get_queryset(self):
        return selectors.yearly_reports_to_review(user=self.request.user)

    def get_table_kwargs(self):
        return {"today": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_accept"] = roles.can_review_yearly_data(user)
        context["province_wide"] = roles.is_province_wide(user)
        return context

    def post(self, request, *args, **kwargs):
        ids = [int(pk) for pk in request.POST.getlist("pk") if pk.isdigit()]
        back = request.get_full_path()
        if request.POST.get("action") != "accept" or not ids:
            messages.warning(request, _("Pick the rows to accept first."))
            return redirect(back)
        reports = list(self.get_queryset().filter(pk__in=ids))
        try:
            count = services.yearly_reports_accept(user=request.user, reports=reports)
        except (ValidationError, PermissionDenied) as error:
            for message in getattr(error, "messages", None) or [str(error)]:
                messages.error(request, message)
            return redirect(back)
        messages.success(
            request,
            ngettext(
                "%(count)d yearly report was accepted and locked.",
                "%(count)d yearly reports were accepted and locked.",
                count,
            )
            % {"count": count},
        )
        return redirect(back)
