"""Pages of the plans: the list, a plan's dashboard (a card per target, grouped by the plan's sections), a
target's drill-down (breakdowns by commune, district and sector, the series by year), recording a
qualitative assessment, and the Excel export. Views parse the request and call selectors (reads),
services (writes) and tables (presentation); the figures come from hoptac.plans.evaluation."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from hoptac.accounts import roles
from hoptac.accounts.http import SignedInRequest
from hoptac.areas.models import AdminMap, map_period
from hoptac.core.downloads import XLSX, attachment
from hoptac.core.filters import clean_id
from hoptac.core.formatting import format_date
from hoptac.core.forms import add_service_errors

from . import exports, selectors, services, tables
from .choices import IndicatorKind
from .forms import PlanViewForm, QualitativeAssessmentForm
from .indicators import reads_yearly
from .models import Plan, Target

COMMUNE_CHART_LIMIT = 20
breakdown_title = tables.breakdown_title
group_header = tables.group_header


def implemented_documents(plan: Plan) -> list[dict]:
    """The documents the plan implements, their ISO dates as dates (shown dd/mm/yyyy)."""
    documents = []
    for document in plan.implements or []:
        day = document.get("date")
        documents.append({**document, "date": datetime.date.fromisoformat(day) if day else None})
    return documents


class PlanListView(LoginRequiredMixin, TemplateView):
    template_name = "plans/plan_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        provisional = self.request.GET.get("provisional") == "1"
        plans = list(selectors.plan_list(self.request.user))
        evaluated = selectors.plans_evaluate(plans=plans, as_of=today, provisional=provisional)
        rows = [{"plan": plan, "summary": tables.status_summary(evaluated[plan.pk])} for plan in plans]
        context.update({"rows": rows, "today": today, "provisional": provisional})
        return context


class PlanMixin(LoginRequiredMixin):
    """The plan of the URL (404 if unknown) and the `?as_of=&map=` of the request; signed-in users only (so
    `self.request.user` is a User)."""

    request: HttpRequest

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.plan = selectors.plan_get(code=kwargs["code"])
            self.view_form = PlanViewForm(request.GET or None)
            self.as_of, self.admin_map, self.map_choice = self.view_form.values()
            options = self.view_form.options()
            self.provisional, self.order, self.status = (
                options["provisional"],
                options["order"],
                options["status"],
            )
        return super().dispatch(request, *args, **kwargs)

    def query_string(self, **changes: str) -> str:
        """The date, the map (if one was chosen) and provisional figures (if asked) for links to the plan's
        other pages; `changes` add or drop (empty value) parameters."""
        query = {"as_of": format_date(self.as_of)}
        if self.map_choice:
            query["map"] = self.map_choice
        if self.provisional:
            query["provisional"] = "1"
        query.update(changes)
        return urlencode({k: v for k, v in query.items() if v})

    def plan_context(self) -> dict:
        return {
            "plan": self.plan,
            "view_form": self.view_form,
            "as_of": self.as_of,
            "admin_map": self.admin_map,
            "map_choice": self.map_choice,
            "map_label": map_period(self.admin_map),
            "query_string": self.query_string(),
            "is_today": self.as_of == timezone.localdate(),
            "can_assess": roles.can_manage_plans(self.request.user),
            "provisional": self.provisional,
            "provenance": tables.provenance_label(self.provisional),
            "other_provenance_query": self.query_string(provisional="" if self.provisional else "1"),
        }


def assessment_form(target: Target, as_of: datetime.date) -> QualitativeAssessmentForm:
    return QualitativeAssessmentForm(initial={"as_of": as_of}, auto_id=f"id_t{target.pk}_%s")


class PlanDetailView(PlanMixin, TemplateView):
    template_name = "plans/plan_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.plan_context())
        results = selectors.plan_evaluate(plan=self.plan, as_of=self.as_of, provisional=self.provisional)
        cards = [tables.target_card(result, self.plan) for result in results]
        if context["can_assess"]:
            for card in cards:
                if card.qualitative:
                    card.form = assessment_form(card.target, self.as_of)
        shown = tables.filter_cards(cards, self.status)
        summary = tables.status_summary(results)
        for item in summary:
            item["query"] = self.query_string(order=self.order, status=item["code"])
            item["current"] = item["code"] == self.status
        context.update(
            {
                "groups": tables.section_groups(shown, selectors.plan_sections(plan=self.plan))
                if self.order != "severity"
                else [],
                "ordered_cards": tables.order_cards(shown, self.order) if self.order == "severity" else [],
                "order": self.order,
                "status_filter": self.status,
                "status_filter_label": tables.status_label(self.status) if self.status else "",
                "all_query": self.query_string(order=self.order),
                "order_queries": {
                    "plan": self.query_string(status=self.status),
                    "severity": self.query_string(order="severity", status=self.status),
                },
                "summary": summary,
                "target_count": len(results),
                "scope_areas": list(self.plan.scope_areas.all()),
                "spans_provinces": selectors.spans_provinces(self.plan),
                "implements": implemented_documents(self.plan),
            }
        )
        return context


class TargetDetailView(PlanMixin, TemplateView):
    request: SignedInRequest

    template_name = "plans/target_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.plan_context())
        target = selectors.target_get(plan=self.plan, code=self.kwargs["target"])
        result = selectors.plan_evaluate(
            plan=self.plan, as_of=self.as_of, targets=[target], provisional=self.provisional
        )[0]
        card = tables.target_card(result, self.plan)
        if context["can_assess"] and card.qualitative:
            card.form = assessment_form(target, self.as_of)
        breakdowns = []
        if target.kind != IndicatorKind.QUALITATIVE and result.reason != selectors.REASON_RATING_UNAVAILABLE:
            for name in selectors.BREAKDOWNS:
                rows = selectors.plan_breakdown(
                    plan=self.plan,
                    targets=[target],
                    as_of=self.as_of,
                    group_by=selectors.grouping_for(name, self.admin_map),
                    user=self.request.user,
                    provisional=self.provisional,
                    results=[result],
                )
                limit = COMMUNE_CHART_LIMIT if name == "commune" else None
                lines = tables.breakdown_lines(target, rows)
                breakdowns.append(
                    {
                        "name": name,
                        "title": breakdown_title(name, self.admin_map),
                        "group_header": group_header(name),
                        "with_parent": name == "commune" and self.admin_map == AdminMap.LEGACY,
                        "lines": lines,
                        "empty_reason": tables.empty_breakdown_reason(result, lines, name),
                        "chart": tables.bar_chart(target, rows, limit=limit),
                        "limited": limit is not None and len(rows) > limit,
                        "limit": limit,
                    }
                )
        context.update(
            {
                "target": target,
                "card": card,
                "result": result,
                "series": tables.series_lines(result),
                "figure_year": result.data_year,
                "breakdowns": breakdowns,
                "scoped": not roles.organisation_reach(self.request.user, "view").everything,
                "hide_map": target.kind == IndicatorKind.QUALITATIVE,
                "has_ratio": tables.has_ratio(target),
                "has_population": tables.has_population(target),
                "reads_yearly": target.kind != IndicatorKind.QUALITATIVE and reads_yearly(target),
                "per_capita": target.kind == IndicatorKind.PER_CAPITA,
                "assessments": (
                    selectors.target_assessments(target=target)
                    if target.kind == IndicatorKind.QUALITATIVE
                    else []
                ),
                "section_path": selectors.section_path(
                    target.section, selectors.plan_sections(plan=self.plan)
                ),
            }
        )
        return context


class TargetAssessView(LoginRequiredMixin, FormView):
    """A provincial officer records an assessment of a qualitative target (POST from the plan or target
    page; errors are shown on a page of their own)."""

    request: SignedInRequest

    form_class = QualitativeAssessmentForm
    template_name = "plans/assessment_form.html"
    http_method_names = ["get", "post"]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.plan = selectors.plan_get(code=kwargs["code"])
            self.target = selectors.target_get(plan=self.plan, code=kwargs["target"])
            if not roles.can_manage_plans(request.user):
                raise PermissionDenied(_("Only provincial officers assess qualitative targets."))
            if self.target.kind != IndicatorKind.QUALITATIVE:
                raise PermissionDenied(_("This target is computed from the registry, not assessed."))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"as_of": timezone.localdate()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, target=self.target, next=self._next(), **kwargs)

    def _next(self) -> str:
        candidate = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return candidate
        return reverse("plans:plan_detail", args=[self.plan.code]) + f"#target-{self.target.pk}"

    def form_valid(self, form):
        try:
            user = self.request.user  # signed in: LoginRequiredMixin
            services.qualitative_assess(user=user, target=self.target, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The assessment of “%(name)s” was recorded.") % {"name": self.target.name}
        )
        return redirect(self._next())


class PlanExportView(PlanMixin, View):
    """The plan's targets as of the date, and the breakdowns (limited to the user's scope), as .xlsx."""

    def get(self, request, *args, **kwargs):
        content = exports.plan_export(
            plan=self.plan,
            as_of=self.as_of,
            admin_map=self.admin_map,
            user=request.user,
            provisional=self.provisional,
        )
        return attachment(
            content,
            content_type=XLSX,
            filename=exports.export_filename(self.plan, self.as_of, self.provisional),
        )


class PlanAreasMixin(PlanMixin):
    """The comparison of areas: `?target=` (a numeric target's code; the first by default), `?parent=` (a
    province of the plan's territory: its communes; none: the provinces), `?sort=` (rank, name, share)."""

    def areas_query(self) -> dict:
        numeric = [t for t in selectors.plan_targets(plan=self.plan) if t.kind != IndicatorKind.QUALITATIVE]
        code = self.request.GET.get("target") or ""
        target: Target | None
        if code:
            target = next((t for t in numeric if t.code == code), None)
        else:
            target = numeric[0] if numeric else None
        if code and target is None:
            raise Http404(_("This plan has no computed target with this code."))
        parent_id = clean_id(self.request.GET.get("parent"))
        if self.request.GET.get("parent") and parent_id is None:
            raise Http404(_("This province is not in the plan's territory."))
        parent = selectors.area_parent_get(plan=self.plan, pk=parent_id) if parent_id else None
        sort = self.request.GET.get("sort") or "rank"
        return {
            "numeric": numeric,
            "target": target,
            "parent": parent,
            "level": "commune" if parent is not None else "province",
            "sort": sort if sort in tables.LEAGUE_SORTS else "rank",
        }


class PlanAreasView(PlanAreasMixin, TemplateView):
    """The comparison of areas of a plan (the national plan: its provinces): for one target, a league table
    (value, share of the national figure, share of the target, rank; sortable), a map of the areas by their
    coordinates coloured by the share of the target reached, and a drill-down (a province → its communes).
    Rows count the organisations the user may see, as every breakdown."""

    request: SignedInRequest
    template_name = "plans/plan_areas.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.plan_context())
        query = self.areas_query()
        target, parent = query["target"], query["parent"]
        lines: list[tables.LeagueLine] = []
        chart = None
        result = None
        if target is not None:
            result = selectors.plan_evaluate(
                plan=self.plan, as_of=self.as_of, targets=[target], provisional=self.provisional
            )[0]
            rows = selectors.plan_areas(
                plan=self.plan,
                targets=[target],
                as_of=self.as_of,
                level=query["level"],
                parent=parent,
                user=self.request.user,
                provisional=self.provisional,
                results=[result],
            )
            standings = selectors.league(target, rows)

            def drill_url(row) -> str:
                if parent is not None:
                    return ""
                base = reverse("plans:plan_areas", args=[self.plan.code])
                return f"{base}?{self.query_string(target=target.code, parent=str(row.key))}"

            lines = tables.league_lines(target, standings, sort=query["sort"], drill_url=drill_url)
            chart = tables.area_map(target, standings, drill_url=drill_url)
        base = reverse("plans:plan_areas", args=[self.plan.code])
        here = {"target": target.code if target else "", "parent": str(parent.pk) if parent else ""}
        context.update(
            {
                **query,
                "result": result,
                "card": tables.target_card(result, self.plan) if result is not None else None,
                "lines": lines,
                "chart": chart,
                "figure_year": result.data_year if result is not None else None,
                "scoped": not roles.organisation_reach(self.request.user, "view").everything,
                "sort_queries": {
                    name: self.query_string(**here, sort=name if name != "rank" else "")
                    for name in tables.LEAGUE_SORTS
                },
                "target_queries": [
                    (t, self.query_string(target=t.code, parent=here["parent"])) for t in query["numeric"]
                ],
                "up_query": self.query_string(target=here["target"]),
                "export_query": self.query_string(**here),
                "areas_url": base,
                "has_ratio": target is not None and tables.has_ratio(target),
                "reads_yearly": target is not None and reads_yearly(target),
                "map_label": map_period(self.plan.scope_map),
                "view_hidden": [(k, v) for k, v in here.items() if v],
            }
        )
        return context


class PlanAreasExportView(PlanAreasMixin, View):
    """The comparison as .xlsx: every target plan-wide, then every numeric target per area (the provinces,
    or the communes of `?parent=`), limited to the user's scope."""

    def get(self, request, *args, **kwargs):
        query = self.areas_query()
        content = exports.plan_areas_export(
            plan=self.plan,
            as_of=self.as_of,
            parent=query["parent"],
            user=request.user,
            provisional=self.provisional,
        )
        return attachment(
            content,
            content_type=XLSX,
            filename=exports.areas_filename(self.plan, self.as_of, query["parent"], self.provisional),
        )
