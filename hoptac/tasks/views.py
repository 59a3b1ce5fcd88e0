"""Pages of the tasks app: the calendar of everything due, overdue lists, the agencies' scorecard, the
plan's tasks and their assignment, reporting periods with the progress-report workflow, agencies.
Views parse requests and call selectors (reads) and services (writes); periods outside the user's scope
answer 404."""

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, HttpRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from django.views.generic.base import ContextMixin

from hoptac.accounts import roles
from hoptac.accounts.http import SignedInRequest
from hoptac.core.downloads import XLSX, attachment
from hoptac.core.forms import add_service_errors
from hoptac.core.review import ReviewStepMixin, transition

from . import errors, selectors, services
from .choices import ReportState, Timeliness
from .exports import calendar_export, calendar_filename
from .forms import EARLIEST, AssignmentForm, CalendarFilterForm, MergeForm, ProgressReportForm
from .labels import schedule_label
from .rules import days_overdue, timeliness


def _today() -> datetime.date:
    """The day the pages work on (tests replace it to freeze the date)."""
    return timezone.localdate()


class TasksMixin(LoginRequiredMixin, ContextMixin):
    """The tasks pages: signed-in users only (so `self.request.user` is a User), with the tab and the day."""

    request: HttpRequest
    tab = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("tab", self.tab)
        context.setdefault("today", _today())
        context.setdefault("is_coordinator", roles.is_coordinator(self.request.user))
        return context


def _filter_form(request, today, *, all_past: bool = False):
    return CalendarFilterForm(request.GET or None, today=today, all_past=all_past)


def _counters(items) -> dict[str, int]:
    counts = {state: 0 for state in Timeliness.values}
    for item in items:
        counts[item.state] += 1
    counts["total"] = len(items)
    return counts


# ---------------------------------------------------------------------------------------------
# Calendar, overdue lists, scorecard, export.


class CalendarView(TasksMixin, TemplateView):
    request: SignedInRequest

    template_name = "tasks/calendar.html"
    tab = "calendar"

    def get_context_data(self, **kwargs):
        today = _today()
        form = _filter_form(self.request, today)
        flt = form.filter()
        items = selectors.calendar_items(user=self.request.user, flt=flt, today=today)
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "form": form,
                "flt": flt,
                "items": items,
                "counters": _counters(items),
                "query_string": self.request.GET.urlencode(),
            }
        )
        if form.is_month:
            first = form.month_start()
            previous = (first - datetime.timedelta(days=1)).replace(day=1)
            following = (first + datetime.timedelta(days=32)).replace(day=1)
            params = self.request.GET.copy()
            params["view"] = "month"
            nav = {}
            for name, day in (("previous", previous), ("next", following), ("current", today.replace(day=1))):
                params["month"] = f"{day:%Y-%m}"
                nav[name] = params.urlencode()
            context.update(
                {"weeks": selectors.month_grid(items, first.year, first.month), "month": first, "nav": nav}
            )
        return context


class OverdueView(TasksMixin, TemplateView):
    request: SignedInRequest

    template_name = "tasks/overdue.html"
    tab = "overdue"

    def get_context_data(self, **kwargs):
        today = _today()
        form = _filter_form(self.request, today, all_past=True)
        flt = form.filter(all_past=True)
        flt.end = min(flt.end, today)
        user = self.request.user
        by_agency = selectors.overdue_by_agency(user=user, today=today, flt=flt)
        by_area = selectors.overdue_by_area(user=user, today=today, flt=flt)
        return super().get_context_data(
            form=form,
            flt=flt,
            by_agency=by_agency,
            by_area=by_area,
            total=sum(row["count"] for row in by_agency),
            query_string=self.request.GET.urlencode(),
            **kwargs,
        )


class ScorecardView(TasksMixin, TemplateView):
    request: SignedInRequest

    template_name = "tasks/scorecard.html"
    tab = "scorecard"

    def get_context_data(self, **kwargs):
        today = _today()
        form = _filter_form(self.request, today, all_past=True)
        flt = form.filter(all_past=True)
        rows = selectors.scorecard(
            user=self.request.user, today=today, start=flt.start, end=flt.end, agency=flt.agency
        )
        totals = {
            k: sum(r[k] for r in rows)
            for k in ("due_count", "on_time", "late", "missing", "waiting", "returned")
        }
        return super().get_context_data(
            form=form,
            flt=flt,
            since_beginning=flt.start == EARLIEST,
            rows=rows,
            totals=totals,
            query_string=self.request.GET.urlencode(),
            **kwargs,
        )


class ExportView(LoginRequiredMixin, View):
    """The calendar list, the overdue lists and the scorecard with the page's filters, as one .xlsx file."""

    def get(self, request):
        today = _today()
        form = _filter_form(request, today)
        content = calendar_export(
            user=request.user, flt=form.filter(), past=form.filter(all_past=True), today=today
        )
        return attachment(content, content_type=XLSX, filename=calendar_filename(today))


class YearlyDataView(TasksMixin, TemplateView):
    """Organisations' yearly data due 15/12: who has not submitted, by commune."""

    request: SignedInRequest

    template_name = "tasks/yearly_data.html"
    tab = "yearly"

    def get_context_data(self, **kwargs):
        today = _today()
        default = today.year if today >= selectors.yearly_data_due(today.year) else today.year - 1
        try:
            year = int(self.request.GET.get("year") or default)
        except ValueError:
            year = default
        year = max(2000, min(year, today.year))
        form = _filter_form(self.request, today)
        area = form.cleaned_data.get("area") if form.is_bound and form.is_valid() else None
        user = self.request.user
        commune = None
        commune_id = self.request.GET.get("commune")
        rows = selectors.yearly_data_by_commune(user=user, year=year, today=today, area=area)
        if commune_id:
            commune = next(
                (r["commune"] for r in rows if r["commune"] and str(r["commune"].pk) == commune_id), None
            )
        missing = selectors.yearly_data_missing(user=user, year=year, commune=commune, area=area)
        item = selectors.yearly_data_item(user=user, year=year, today=today, area=area)
        return super().get_context_data(
            year=year,
            years=list(range(today.year, 2019, -1)),
            rows=rows,
            item=item,
            commune=commune,
            missing=missing[:200],
            missing_count=missing.count(),
            due=selectors.yearly_data_due(year),
            form=form,
            **kwargs,
        )


# ---------------------------------------------------------------------------------------------
# Tasks and their assignment.


class TaskListView(TasksMixin, TemplateView):
    request: SignedInRequest

    template_name = "tasks/task_list.html"
    tab = "tasks"

    def get_context_data(self, **kwargs):
        today = _today()
        assignments = list(selectors.assignment_list())
        user = self.request.user
        periods = selectors.period_list(user=user).filter(assignment__in=assignments)
        stats: dict[int | None, dict[str, int]] = {}
        for period in periods:
            row = stats.setdefault(period.assignment_id, {"total": 0, "overdue": 0, "accepted": 0})
            row["total"] += 1
            if period.report_state == ReportState.ACCEPTED:
                row["accepted"] += 1
            if period.first_submitted_on is None and period.due < today:
                row["overdue"] += 1
        for assignment in assignments:
            assignment.stats = stats.get(assignment.pk, {"total": 0, "overdue": 0, "accepted": 0})
            assignment.schedule_text = schedule_label(assignment.schedule)
            assignment.lead_ended = bool(
                assignment.lead_agency
                and assignment.lead_agency.valid_to
                and assignment.lead_agency.valid_to < today
            )
        return super().get_context_data(
            assignments=assignments,
            obligations=selectors.obligation_list(),
            can_assign=roles.is_coordinator(user),
            **kwargs,
        )


class TaskDetailView(TasksMixin, TemplateView):
    request: SignedInRequest

    template_name = "tasks/task_detail.html"
    tab = "tasks"

    def get_context_data(self, **kwargs):
        assignment = selectors.assignment_get(pk=self.kwargs["pk"])
        user = self.request.user
        today = _today()
        periods = list(selectors.periods_of_assignment(user=user, assignment=assignment))
        for period in periods:
            period.timeliness = timeliness(
                due=period.due, submitted_on=period.first_submitted_on, today=today
            )
        return super().get_context_data(
            assignment=assignment,
            task=assignment.plan_task,
            schedule_text=schedule_label(assignment.schedule),
            periods=periods,
            history=selectors.assignment_history(assignment=assignment),
            can_assign=roles.is_coordinator(user),
            lead_ended=bool(
                assignment.lead_agency
                and assignment.lead_agency.valid_to
                and assignment.lead_agency.valid_to < today
            ),
            **kwargs,
        )


class TaskAssignView(TasksMixin, FormView):
    request: SignedInRequest

    form_class = AssignmentForm
    template_name = "tasks/task_assign.html"
    tab = "tasks"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not roles.is_coordinator(request.user):
                raise PermissionDenied(errors.NOT_ALLOWED)
            self.assignment = selectors.assignment_get(pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update({"instance": self.assignment, "today": _today()})
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(assignment=self.assignment, task=self.assignment.plan_task, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        # The ModelForm wrote the input onto the instance: the service starts from the saved row.
        assignment = selectors.assignment_get(pk=self.assignment.pk)
        try:
            services.assignment_save(
                user=self.request.user,
                assignment=assignment,
                lead_agency=data["lead_agency"],
                cooperating=list(data["cooperating_agencies"]),
                note=data.get("note") or "",
                expected_output=data.get("expected_output") or "",
                schedule=form.schedule(),
                today=_today(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The task was assigned."))
        return redirect("tasks:task_detail", pk=self.assignment.pk)


# ---------------------------------------------------------------------------------------------
# Reporting periods and progress reports.


class PeriodMixin(TasksMixin):
    request: SignedInRequest

    tab = "calendar"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.period = selectors.period_get(user=request.user, pk=kwargs["pk"])
            self.report = getattr(self.period, "report", None)  # None when nothing was filed
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = _today()
        period = self.period
        report = self.report
        editable = report is None or report.state in (ReportState.DRAFT, ReportState.RETURNED)
        return super().get_context_data(
            period=period,
            report=report,
            timeliness=timeliness(due=period.due, submitted_on=period.first_submitted_on, today=today),
            days_overdue=days_overdue(due=period.due, submitted_on=period.first_submitted_on, today=today),
            can_edit=roles.can_report_for(user, period.agency) and editable and today >= period.start,
            own_report=report is not None
            and report.state == ReportState.SUBMITTED
            and roles.can_review_reports(user)
            and not roles.can_review_reports(user, report),
            attachments=list(report.attachments.all()) if report else [],
            history=selectors.report_history(report=report) if report else [],
            **kwargs,
        )


class PeriodDetailView(ReviewStepMixin, PeriodMixin, TemplateView):
    """The period, its report and the review steps the user may take (tasks/workflow.py)."""

    template_name = "tasks/period_detail.html"

    def review_object(self):
        return self.report

    def get_context_data(self, **kwargs):
        if self.report is not None:
            kwargs.setdefault("review", self.review_context()["review"])
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        if self.report is None:
            return redirect("tasks:period_detail", pk=self.period.pk)
        return super().post(request, *args, **kwargs)


class ReportEditView(PeriodMixin, FormView):
    request: SignedInRequest

    form_class = ProgressReportForm
    template_name = "tasks/report_form.html"

    def get(self, request, *args, **kwargs):
        self._check()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._check()
        return super().post(request, *args, **kwargs)

    def _check(self):
        if not roles.can_report_for(self.request.user, self.period.agency):
            raise PermissionDenied(errors.NOT_ALLOWED)

    def get_initial(self):
        if self.report:
            return {"status": self.report.status, "text": self.report.text}
        return {}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["figures"] = self.report.figures if self.report else []
        return kwargs

    def form_valid(self, form):
        user = self.request.user
        data = form.cleaned_data
        submit = "submit" in self.request.POST
        try:
            with transaction.atomic():
                report = services.progress_report_save(
                    user=user,
                    period=self.period,
                    data={"status": data["status"], "text": data["text"], "figures": data["figures"]},
                    today=_today(),
                )
                for upload in data.get("files") or []:
                    services.attachment_add(user=user, report=report, file=upload)
                if submit:
                    transition(report, "submit", user=user)
        except ValidationError as error:
            if hasattr(error, "error_dict") and "file" in error.error_dict:
                form.add_error("files", error.error_dict["file"])
            else:
                add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The report was submitted for review.") if submit else _("The report was saved as a draft."),
        )
        return redirect("tasks:period_detail", pk=self.period.pk)


class AttachmentDownloadView(LoginRequiredMixin, View):
    """Attachments are private: served only to users who may see the period."""

    def get(self, request, pk):
        attachment = selectors.attachment_get(user=request.user, pk=pk)
        return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


class AttachmentDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk):
        attachment = selectors.attachment_get(user=request.user, pk=pk)
        period_pk = attachment.report.period_id
        try:
            services.attachment_delete(user=request.user, attachment=attachment)
            messages.success(request, _("The file was removed."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("tasks:report_edit", pk=period_pk)


REVIEW_PAGE_SIZE = 25


class ReviewListView(TasksMixin, TemplateView):
    request: SignedInRequest

    template_name = "tasks/review_list.html"
    tab = "reviews"

    def get_context_data(self, **kwargs):
        from django.core.paginator import Paginator

        today = _today()
        waiting = selectors.reports_waiting_review(user=self.request.user)
        page = Paginator(waiting, REVIEW_PAGE_SIZE).get_page(self.request.GET.get("page"))
        for period in page:
            # Submitted: on time or late against the due day (rules.timeliness), shown on every row.
            period.timeliness = timeliness(
                due=period.due, submitted_on=period.first_submitted_on, today=today
            )
        return super().get_context_data(
            periods=page,
            page_obj=page,
            count=page.paginator.count,
            can_review=roles.can_review_reports(self.request.user),
            **kwargs,
        )


# ---------------------------------------------------------------------------------------------
# Agencies.


class AgencyListView(TasksMixin, TemplateView):
    template_name = "tasks/agency_list.html"
    tab = "agencies"

    def get_context_data(self, **kwargs):
        today = _today()
        show = self.request.GET.get("show", "current")
        agencies = selectors.agency_list(on=today if show == "current" else None)
        if show == "ended":
            agencies = agencies.filter(valid_to__lt=today)
        return super().get_context_data(agencies=agencies, show=show, **kwargs)


class AgencyDetailView(TasksMixin, TemplateView):
    request: SignedInRequest

    template_name = "tasks/agency_detail.html"
    tab = "agencies"

    def get_context_data(self, **kwargs):
        agency = selectors.agency_get(code=self.kwargs["code"])
        user = self.request.user
        today = _today()
        periods = list(selectors.periods_of_agency(user=user, agency=agency)[:100])
        for period in periods:
            period.timeliness = timeliness(
                due=period.due, submitted_on=period.first_submitted_on, today=today
            )
        start, end = datetime.date(2000, 1, 1), today
        card = selectors.scorecard(user=user, today=today, start=start, end=end, agency=agency)
        ended = agency.valid_to is not None and agency.valid_to < today
        return super().get_context_data(
            agency=agency,
            periods=periods,
            card=card[0] if card else None,
            led=selectors.assignment_list().filter(lead_agency=agency),
            cooperating=selectors.assignment_list().filter(cooperating_agencies=agency),
            merges=selectors.agency_merges(agency=agency),
            predecessors=agency.predecessors.all(),
            users=agency.users.filter(is_active=True).order_by("last_name", "first_name")
            if roles.is_coordinator(user)
            else [],
            ended=ended,
            can_merge=roles.is_coordinator(user)
            and agency.successor_id
            and agency.merged_on is None
            and ended,
            merge_form=MergeForm(),
            **kwargs,
        )


class AgencyMergeView(LoginRequiredMixin, View):
    def post(self, request, code):
        agency = selectors.agency_get(code=code)
        form = MergeForm(request.POST)
        back = redirect("tasks:agency_detail", code=agency.code)
        if not form.is_valid():
            messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
            return back
        try:
            merge = services.agency_merge(
                user=request.user, agency=agency, effective_on=form.cleaned_data["effective_on"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return back
        messages.success(
            request,
            _("Open work handed to %(successor)s: %(tasks)s tasks, %(periods)s periods, %(users)s users.")
            % {
                "successor": merge.successor.name,
                "tasks": merge.assignments_moved,
                "periods": merge.periods_moved,
                "users": merge.users_moved,
            },
        )
        return back
