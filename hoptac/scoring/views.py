"""Pages of the scoring app. Views parse requests and call selectors (reads) and services (writes);
assessments and organisations outside the user's scope answer 404."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from django_tables2 import RequestConfig

from hoptac.accounts import roles
from hoptac.accounts.http import SignedInRequest
from hoptac.core import datafiles
from hoptac.core.downloads import XLSX, attachment
from hoptac.core.forms import add_service_errors
from hoptac.core.review import ReviewStepMixin
from hoptac.core.scoping import can_reach
from hoptac.core.tables import CountedPaginator
from hoptac.registry import selectors as registry_selectors

from . import data_kinds, errors, selectors, services
from .choices import SCORE_BANDS, Band, GroupBy
from .exports import results_export, results_filename
from .forms import (
    CalendarFilterForm,
    EvidenceForm,
    ResultsFilterForm,
    ReviewForm,
    SchemeChoiceForm,
    SchemeUploadForm,
    SelfScoreForm,
    SurveyForm,
    default_year,
)
from .metrics import METRICS
from .tables import CalendarTable

PAGE_SIZE = 50


def _year(request, key: str = "year") -> int:
    try:
        year = int(request.GET.get(key) or request.POST.get(key) or default_year())
    except ValueError:
        year = default_year()
    return max(2000, min(year, timezone.localdate().year))


# ---------------------------------------------------------------------------------------------
# Calendar.


class CalendarView(LoginRequiredMixin, TemplateView):
    """For a year and an area: who has not submitted, who waits for review or approval, who is
    approved; officers can start the year's evaluation for everyone not started yet."""

    request: SignedInRequest

    template_name = "scoring/calendar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user  # signed in: LoginRequiredMixin
        opening = selectors.year_with_open_work(user=user, default=default_year())
        form = CalendarFilterForm(self.request.GET or {"year": opening}, user=user)
        year, area = opening, None
        if form.is_valid():
            year, area = form.cleaned_data["year"], form.cleaned_data["area"]
        queryset = selectors.calendar(user=user, year=year, area=area)
        counts = selectors.calendar_state_counts(user=user, year=year, area=area)
        state = self.request.GET.get("state") or ""
        if state not in selectors.CALENDAR_STATES:
            state = ""
        schemes = selectors.schemes_for_year(year)
        deadline = next((s.deadline(year) for s in schemes if s.deadline(year)), None)
        table = CalendarTable(selectors.filter_calendar_state(queryset, state), deadline=deadline)
        # The number of rows is the state's count (or the total) the cards show: no second count.
        paginate = {
            "per_page": PAGE_SIZE,
            "paginator_class": CountedPaginator,
            "count": counts[state or "total"],
        }
        RequestConfig(self.request, paginate=paginate).configure(table)
        query = self.request.GET.copy()
        query.pop("state", None)
        query.pop("page", None)
        context.update(
            {
                "form": form,
                "year": year,
                "area": area,
                "counts": counts,
                "state": state,
                "state_cards": _state_cards(counts),
                "table": table,
                "schemes": schemes,
                "deadlines": _deadlines(schemes, year),
                "can_start": roles.can_review_ratings(user) and counts[selectors.NOT_STARTED] > 0,
                "base_query": query.urlencode(),
                "tab": "calendar",
            }
        )
        return context


def _state_cards(counts: dict) -> list[dict]:
    from .choices import AssessmentState

    labels = {
        selectors.NOT_STARTED: _("Not started"),
        AssessmentState.DRAFT: _("Not submitted"),
        AssessmentState.RETURNED: _("Returned"),
        AssessmentState.SUBMITTED: _("Waiting for review"),
        AssessmentState.REVIEWED: _("Waiting for approval"),
        AssessmentState.REOPENED: _("Reopened"),
        AssessmentState.APPROVED: _("Approved"),
    }
    return [
        {"state": state, "label": labels[state], "count": counts[state]}
        for state in selectors.CALENDAR_STATES
    ]


def _deadlines(schemes, year: int) -> list[tuple[str, object]]:
    steps = [
        ("self_assessment", _("self-assessment")),
        ("review", _("commune review")),
        ("approval", _("provincial approval")),
    ]
    result = []
    for key, label in steps:
        day = next((s.deadline(year, key) for s in schemes if s.deadline(year, key)), None)
        if day:
            result.append((label, day))
    return result


class YearStartView(LoginRequiredMixin, View):
    """The bulk action: start the year's evaluation for every organisation not started in the area."""

    def post(self, request):
        form = CalendarFilterForm(request.POST, user=request.user)
        if not form.is_valid():
            messages.error(request, _("Choose a year."))
            return redirect("scoring:calendar")
        year, area = form.cleaned_data["year"], form.cleaned_data["area"]
        organisations = None
        if area is not None:
            organisations = registry_selectors.organisation_list(user=request.user).in_area(area)
        try:
            result = services.evaluation_year_start(user=request.user, year=year, organisations=organisations)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The evaluation of %(year)s was started for %(count)s organisations.")
                % {"year": year, "count": len(result.created)},
            )
        url = reverse("scoring:calendar") + f"?year={year}" + (f"&area={area.pk}" if area else "")
        return HttpResponseRedirect(url)


# ---------------------------------------------------------------------------------------------
# One assessment.


class AssessmentMixin(LoginRequiredMixin):
    action = "view"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.assessment = selectors.assessment_get(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def detail_url(self, anchor: str = "") -> str:
        return reverse("scoring:assessment_detail", args=[self.assessment.pk]) + anchor


def _attach_fields(sheet, form, mode: str) -> None:
    for row in sheet.rows:
        row.fields = {}
        if not row.is_leaf or form is None:
            continue
        code = row.node.code
        for key in ("points", "note", "file", "reason"):
            name = f"{key}_{code}"
            if name in form.fields:
                row.fields[key] = form[name]


class AssessmentDetailView(ReviewStepMixin, AssessmentMixin, TemplateView):
    """The score sheet, and the workflow's steps the user may take (scoring/workflow.py)."""

    request: SignedInRequest

    template_name = "scoring/assessment_detail.html"

    def review_object(self):
        return self.assessment

    def get_context_data(self, self_form=None, review_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user  # signed in: LoginRequiredMixin
        assessment = self.assessment
        sheet = selectors.assessment_sheet(assessment=assessment)
        allowed = {
            action: services.can(user, action, assessment)
            for action in ("self_edit", "review", "change_scheme", "evidence", "survey")
        }
        review = kwargs.get("review") or self.review_context()["review"]
        can_approve = any(step.name == "approve" for step in review.decisions)
        # A reviewed assessment is shown read-only to whoever may approve it (approve, or return it).
        if allowed["review"] and not can_approve:
            mode = "review"
        else:
            mode = "self" if allowed["self_edit"] else "read"
        form = None
        if mode == "self":
            form = self_form or SelfScoreForm(sheet=sheet)
        elif mode == "review":
            form = review_form or ReviewForm(sheet=sheet)
        _attach_fields(sheet, form, mode)
        schemes = selectors.schemes_applicable(organisation=assessment.organisation, year=assessment.year)
        survey_leaf = next((row for row in sheet.rows if row.is_leaf and row.node.input == "survey"), None)
        context.update(
            {
                "assessment": assessment,
                "organisation": assessment.organisation,
                "scheme": assessment.scheme,
                "sheet": sheet,
                "mode": mode,
                "form": form,
                "allowed": allowed,
                "deadline": assessment.scheme.deadline(assessment.year),
                "late": _late(assessment),
                "events": selectors.assessment_events(assessment=assessment),
                "review": review,
                "can_approve": can_approve,
                "evidence_form": EvidenceForm(),
                "scheme_form": SchemeChoiceForm(
                    schemes=assessment.scheme.__class__.objects.filter(pk__in=[s.pk for s in schemes]),
                    initial={"scheme": assessment.scheme_id},
                )
                if allowed["change_scheme"] and len(schemes) > 1
                else None,
                "survey_leaf": survey_leaf,
                "size": _size(assessment, sheet),
                "metrics": METRICS,
                "score_bands": [(b, Band(b).label) for b in SCORE_BANDS],
            }
        )
        return context


def _late(assessment) -> bool:
    deadline = assessment.scheme.deadline(assessment.year)
    if deadline is None:
        return False
    if assessment.submitted_at:
        return timezone.localtime(assessment.submitted_at).date() > deadline
    return assessment.state in ("draft", "returned") and timezone.localdate() > deadline


def _size(assessment, sheet):
    from .sizes import size_class_for

    return size_class_for(organisation=assessment.organisation, year=assessment.year, report=sheet.report)


class AssessmentSelfView(AssessmentMixin, View):
    def post(self, request, pk):
        sheet = selectors.assessment_sheet(assessment=self.assessment)
        form = SelfScoreForm(request.POST, request.FILES, sheet=sheet)
        submit = "submit" in request.POST
        if form.is_valid():
            data = form.payload()
            try:
                services.assessment_self_save(
                    user=request.user, assessment=self.assessment, submit=submit, **data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if submit:
                    messages.success(request, _("The self-assessment was submitted for review."))
                else:
                    messages.success(request, _("The self-score was saved."))
                return redirect(self.detail_url())
        return _detail_again(request, self.assessment, self_form=form)


class AssessmentReviewView(AssessmentMixin, View):
    def post(self, request, pk):
        sheet = selectors.assessment_sheet(assessment=self.assessment)
        form = ReviewForm(request.POST, sheet=sheet)
        finish = "finish" in request.POST
        if form.is_valid():
            try:
                services.assessment_review_save(
                    user=request.user, assessment=self.assessment, finish=finish, **form.payload()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if finish:
                    messages.success(request, _("The review is finished; the assessment waits for approval."))
                else:
                    messages.success(request, _("The official points were saved."))
                return redirect(self.detail_url())
        return _detail_again(request, self.assessment, review_form=form)


def _detail_again(request, assessment, **forms):
    """The assessment page again, with the submitted form and its errors."""
    messages.error(request, _("Please correct the errors below."))
    assessment.refresh_from_db()
    view = AssessmentDetailView()
    view.setup(request, pk=assessment.pk)
    view.assessment = assessment
    return view.render_to_response(view.get_context_data(**forms))


class AssessmentSchemeView(AssessmentMixin, View):
    """Score the assessment by another applicable scheme (before the self-score is submitted)."""

    def post(self, request, pk):
        assessment = self.assessment
        form = SchemeChoiceForm(request.POST, schemes=assessment.scheme.__class__.objects.all())
        try:
            if form.is_valid():
                services.assessment_change_scheme(
                    user=request.user, assessment=assessment, scheme=form.cleaned_data["scheme"]
                )
                messages.success(request, _("The scheme was changed."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(self.detail_url())


class EvidenceUploadView(AssessmentMixin, View):
    def post(self, request, pk):
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.evidence_add(
                    user=request.user,
                    assessment=self.assessment,
                    file=form.cleaned_data["file"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The file was attached."))
        else:
            messages.error(request, " ".join(str(e) for errors_ in form.errors.values() for e in errors_))
        return redirect(self.detail_url("#evidence"))


class EvidenceDownloadView(LoginRequiredMixin, View):
    """Evidence is private: served only to users who may see the assessment."""

    def get(self, request, pk):
        evidence = selectors.evidence_get(user=request.user, pk=pk)
        return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name)


class SurveyView(AssessmentMixin, FormView):
    request: SignedInRequest

    form_class = SurveyForm
    template_name = "scoring/survey_form.html"

    def get_form_kwargs(self):
        survey = selectors.survey_get(organisation=self.assessment.organisation, year=self.assessment.year)
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = survey
        if survey is None:
            report = self.assessment.organisation.yearly_reports.filter(year=self.assessment.year).first()
            kwargs["initial"] = {"members_asked": report.official_members if report else None}
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            assessment=self.assessment,
            organisation=self.assessment.organisation,
            can_edit=services.can(self.request.user, "survey", self.assessment),
            **kwargs,
        )

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in form.fields}
        try:
            services.survey_save(
                user=self.request.user,
                organisation=self.assessment.organisation,
                year=self.assessment.year,
                data=data,
            )
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, PermissionDenied):
                raise
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The survey was recorded."))
        return redirect(self.detail_url("#survey"))


# ---------------------------------------------------------------------------------------------
# An organisation's assessments.


class OrganisationAssessmentsView(LoginRequiredMixin, TemplateView):
    request: SignedInRequest

    template_name = "scoring/organisation_assessments.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        organisation = registry_selectors.organisation_get(user=user, pk=self.kwargs["pk"])
        assessments = list(selectors.assessments_of(user=user, organisation=organisation))
        done = {a.year for a in assessments}
        can_start = roles.can_review_ratings(user) and can_reach(user, "change", organisation)
        startable = []
        if can_start:
            for year in range(timezone.localdate().year, timezone.localdate().year - 6, -1):
                if year not in done and selectors.scheme_for(organisation=organisation, year=year):
                    startable.append(year)
        context.update({"organisation": organisation, "assessments": assessments, "startable": startable})
        return context


class OrganisationStartView(LoginRequiredMixin, View):
    def post(self, request, pk):
        organisation = registry_selectors.organisation_get(user=request.user, pk=pk)
        try:
            assessment = services.assessment_create(
                user=request.user, organisation=organisation, year=_year(request)
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("scoring:organisation_assessments", pk=organisation.pk)
        messages.success(request, _("The evaluation of %(year)s was started.") % {"year": assessment.year})
        return redirect("scoring:assessment_detail", pk=assessment.pk)


class OrganisationYearView(LoginRequiredMixin, View):
    """/scoring/organisations/<id>/<year>/ → that year's assessment (for links from other pages)."""

    def get(self, request, pk, year):
        organisation = registry_selectors.organisation_get(user=request.user, pk=pk)
        assessment = (
            selectors.assessments_of(user=request.user, organisation=organisation).filter(year=year).first()
        )
        if assessment is None:
            return redirect("scoring:organisation_assessments", pk=organisation.pk)
        return redirect("scoring:assessment_detail", pk=assessment.pk)


# ---------------------------------------------------------------------------------------------
# Results.


def _results_query(request: SignedInRequest) -> tuple[ResultsFilterForm, int, GroupBy, int]:
    """The form of `?year=&group_by=`, the year and grouping to show, and the last rated year in scope."""
    latest = selectors.latest_rated_year(user=request.user) or default_year()
    data = {"year": latest, "group_by": GroupBy.DISTRICT_LEGACY, **request.GET.dict()}
    form = ResultsFilterForm(data)
    year, group_by = latest, GroupBy.DISTRICT_LEGACY
    if form.is_valid():
        year, group_by = form.cleaned_data["year"], form.cleaned_data["group_by"]
    return form, year, GroupBy(group_by), latest


def _results(
    request: SignedInRequest,
) -> tuple[ResultsFilterForm, int, GroupBy, list[dict[str, Any]], list[dict[str, Any]]]:
    form, year, group_by, latest = _results_query(request)
    years = selectors.results_years(year=year, latest=latest)
    user = request.user
    by_year = selectors.rating_by_year(user=user, years=years)
    grouped = selectors.rating_distribution(user=user, year=year, group_by=group_by)
    return form, year, group_by, by_year, grouped


class ResultsView(LoginRequiredMixin, TemplateView):
    request: SignedInRequest

    template_name = "scoring/results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, year, group_by, by_year, grouped = _results(self.request)
        total = selectors.rating_distribution(user=self.request.user, year=year)
        context.update(
            {
                "form": form,
                "year": year,
                "group_by": group_by,
                "by_year": by_year,
                "grouped": grouped,
                "total": total,
                "bands": [(b.value, b.label) for b in Band],
                "query_string": self.request.GET.urlencode(),
                "tab": "results",
            }
        )
        return context


class ResultsExportView(LoginRequiredMixin, View):
    def get(self, request):
        _form, year, group_by, latest = _results_query(request)
        content = results_export(user=request.user, year=year, group_by=group_by, latest=latest)
        return attachment(content, content_type=XLSX, filename=results_filename(year))


# ---------------------------------------------------------------------------------------------
# Schemes.


class SchemeListView(LoginRequiredMixin, TemplateView):
    template_name = "scoring/scheme_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            schemes=selectors.scheme_list(),
            can_upload=roles.can_manage_plans(self.request.user),
            tab="schemes",
            **kwargs,
        )


class SchemeDetailView(LoginRequiredMixin, TemplateView):
    template_name = "scoring/scheme_detail.html"

    def get_context_data(self, **kwargs):
        scheme = selectors.scheme_get(pk=self.kwargs["pk"])
        tree = scheme.tree
        rows = []

        def visit(nodes, depth):
            for node in nodes:
                rows.append(
                    {
                        "node": node,
                        "criterion": node.payload,
                        "depth": depth,
                        "pool": tree.pools[tree.pool_of[node.code]] if node.code in tree.pool_of else None,
                        "metric": METRICS.get(node.rule["metric"]) if node.rule else None,
                        "hints": [METRICS[h] for h in node.payload.hints if h in METRICS],
                    }
                )
                visit(node.children, depth + 1)

        visit(tree.roots, 0)
        from hoptac.registry.choices import OrganisationKind, Sector

        labels = {
            "self_assessment": _("self-assessment"),
            "review": _("commune review"),
            "approval": _("provincial approval"),
        }
        deadlines = [
            (labels.get(key, key), "/".join(reversed(value.split("-"))))
            for key, value in (scheme.deadlines or {}).items()
        ]
        return super().get_context_data(
            scheme=scheme,
            deadlines=deadlines,
            rows=rows,
            pools=list(tree.pools.values()),
            incomplete=tree.incomplete,
            kinds=[OrganisationKind(k).label for k in scheme.kinds],
            sectors=[Sector(s).label for s in scheme.sectors],
            tab="schemes",
            **kwargs,
        )


class SchemeFileView(LoginRequiredMixin, View):
    def get(self, request, pk):
        scheme = selectors.scheme_get(pk=pk)
        name = scheme.source_name or f"{scheme.code.lower()}.yaml"
        return attachment(
            scheme.source_text.encode(), content_type="application/x-yaml; charset=utf-8", filename=name
        )


class SchemeUploadView(LoginRequiredMixin, FormView):
    """Provincial officers load a new or corrected scheme (or size-class) file; it is refused whole
    with every problem listed when anything is wrong."""

    form_class = SchemeUploadForm
    template_name = "scoring/scheme_upload.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not roles.can_manage_plans(request.user):
            raise PermissionDenied(errors.NOT_ALLOWED)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            result = datafiles.load(
                data_kinds.UPLOAD_KINDS, content=upload.read(), name=upload.name, user=self.request.user
            )
        except datafiles.DataFileError as exc:
            return self.render_to_response(
                self.get_context_data(form=form, problems=exc.messages, file_name=upload.name)
            )
        messages.success(
            request=self.request, message=f"{result.obj}: {datafiles.STATUS_LABELS[result.status]}"
        )
        if result.kind == data_kinds.SCHEMES.name:
            return redirect("scoring:scheme_detail", pk=result.obj.pk)
        return redirect("scoring:scheme_list")
