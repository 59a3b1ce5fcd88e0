"""The access matrix: every page, every API list and detail endpoint and every export, visited as each role,
on an object inside the user's scope ("in", commune A) and one outside it ("out", commune B).

The world (hoptac/tests/world.py) gives every role a scope of commune A: the commune officer and the viewer
with areas hold Xã Hải Anh (A's commune on today's map), the representative represents A's organisation.
The administrator, the provincial officer (of the coordinating agency) and the viewer without areas see the
whole province, so for them "out" is just another object they may see.

How to read MATRIX: one row per endpoint (its URL name), one column per role. A cell is the outcome on the
in-scope object, "/", the outcome on the out-of-scope one; a single outcome is the same for both, or the
endpoint has no object of its own (then it is visited once). The anonymous visitor is tried once.

    200    answered; on a list or an export, the object is in it
    hide   answered, and the object is not in the list or the export
    404    outside the user's scope: absent, nothing revealed
    403    the page is not for this role
    401    not signed in, on the API (with WWW-Authenticate: Token)
    login  redirected to the sign-in page
    302    redirected elsewhere (a page that forwards to another)

A new page or endpoint must be added to ENDPOINTS (how to reach it and what marks its object) and to
MATRIX (what each role gets) — test_every_url_pattern_is_in_the_matrix fails until it is. Cells that are
wrong today (a leak, a 500, a 403 where 404 is expected) are listed in KNOWN_WRONG with the reason and run
as strict xfails: when the code is fixed, the xfail turns into a failure and the entry must go.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from hoptac.core.testing import outcome, response_text, url_routes

from .world import NUMERIC_TARGET, QUALITATIVE_TARGET, ROLES, YEAR, Side, World

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Visit:
    """What a URL builder gets: the world, the role visiting and the side visited ("in" or "out")."""

    world: World
    role: str
    side_name: str

    @property
    def side(self) -> Side:
        return self.world.sides[self.side_name]

    @property
    def job(self):
        return self.world.job(self.role, self.side_name)

    @property
    def export(self):
        return self.world.export(self.role, self.side_name)


@dataclass(frozen=True)
class Endpoint:
    url: Callable[[Visit], str]
    # What shows the visited object in a list or an export (None: the endpoint has no object of its own):
    # a text to find in the page, the JSON or the workbook, or with `json_ids` the id of a row of the
    # API's list.
    marker: Callable[[Visit], str] | None = None
    json_ids: bool = False
    # The endpoint is about one object (a detail page): visited on both sides.
    detail: bool = False

    @property
    def sided(self) -> bool:
        return self.detail or self.marker is not None


def _r(name: str, *args) -> Callable[[Visit], str]:
    """reverse(name) with arguments computed from the visit (callables) or given as they are."""
    return lambda v: reverse(name, args=[a(v) if callable(a) else a for a in args])


def _q(url: Callable[[Visit], str], query: str) -> Callable[[Visit], str]:
    return lambda v: f"{url(v)}?{query}"


def org(v: Visit) -> int:
    return v.side.organisation.pk


def org_name(v: Visit) -> str:
    return v.side.organisation.name


def agency_name(v: Visit) -> str:
    return v.side.agency.name


def job_name(v: Visit) -> str:
    return v.job.filename


def plan_code(v: Visit) -> str:
    return v.world.plan.code


def plan_pk(v: Visit) -> int:
    return v.world.plan.pk


def period_link(v: Visit) -> str:
    return reverse("tasks:period_detail", args=[v.side.period.pk])


def data_request(v: Visit) -> int:
    """A personal-data request about the in-scope organisation's representative (administrators only)."""
    from hoptac.privacy.models import DataSubjectRequest

    existing = DataSubjectRequest.objects.first()
    if existing is None:
        from hoptac.privacy.services import request_create

        existing = request_create(
            user=v.world.users["admin"],
            data={"kind": "access", "requester": "matrix", "subject_phone": "0912345678"},
        )
    return existing.pk


def agency_link(v: Visit) -> str:
    """Pages of the tasks app name every agency in their filter: a row links to the agency."""
    return reverse("tasks:agency_detail", args=[v.side.agency.code])


def page(name, *args, query=None, query_fn=None, marker=None, detail=False, json_ids=False) -> Endpoint:
    url = _r(name, *args)
    if query_fn is not None:
        base = url
        url = lambda v: f"{base(v)}?{query_fn(v)}"  # noqa: E731
    elif query:
        url = _q(url, query)
    return Endpoint(url=url, marker=marker, detail=detail, json_ids=json_ids)


def commune_name(v: Visit) -> str:
    """A row of the comparison of areas: the side's commune on the plan's map (today's)."""
    return v.side.commune_current.name


def plan_province(v: Visit) -> int:
    """The province of the world's plan (its communes are the drill-down)."""
    return v.world.plan.scope_areas.get().pk


def detail(name, *args, query=None) -> Endpoint:
    return page(name, *args, query=query, detail=True)


# How to reach each endpoint. Keys are URL names (DRF's router names for the API).
ENDPOINTS: dict[str, Endpoint] = {
    "desk:home": page("desk:home"),  # the site root: each role's desk
    # accounts, areas
    "accounts:profile": page("accounts:profile"),
    "accounts:two_factor": page("accounts:two_factor"),
    "accounts:audit_list": page("accounts:audit_list"),
    "notifications:list": page("notifications:list"),
    "notification-list": page("notification-list"),
    "notifications:export_job": detail("notifications:export_job", lambda v: v.export.pk),
    "notifications:export_download": detail("notifications:export_download", lambda v: v.export.pk),
    "export-list": page("export-list", marker=lambda v: v.export.pk, json_ids=True),
    "export-detail": detail("export-detail", lambda v: v.export.pk),
    "export-download": detail("export-download", lambda v: v.export.pk),
    "accounts:audit_export": page("accounts:audit_export"),
    "areas:area_list": page("areas:area_list"),
    "areas:area_detail": detail("areas:area_detail", lambda v: v.side.commune.pk),
    # registry
    "registry:organisation_list": page("registry:organisation_list", marker=org_name),
    "registry:organisation_export": page("registry:organisation_export", marker=org_name),
    "registry:yearly_report_list": page("registry:yearly_report_list", marker=org_name),
    "registry:yearly_report_export": page("registry:yearly_report_export", marker=org_name),
    "registry:yearly_review_list": page("registry:yearly_review_list", marker=org_name),
    "registry:organisation_create": page("registry:organisation_create"),
    "registry:organisation_detail": detail("registry:organisation_detail", org),
    "registry:organisation_update": detail("registry:organisation_update", org),
    "registry:status_change_create": detail("registry:status_change_create", org),
    "registry:yearly_report_create": detail("registry:yearly_report_create", org),
    "registry:yearly_report_update": detail("registry:yearly_report_update", org, YEAR - 1),
    "registry:yearly_report_review": detail("registry:yearly_report_review", org, YEAR),
    # scoring
    "scoring:calendar": page("scoring:calendar", query=f"year={YEAR}", marker=org_name),
    "scoring:results": page("scoring:results", query=f"year={YEAR - 1}"),
    "scoring:results_export": page("scoring:results_export", query=f"year={YEAR - 1}", marker=org_name),
    "scoring:scheme_list": page("scoring:scheme_list"),
    "scoring:scheme_upload": page("scoring:scheme_upload"),
    "scoring:scheme_detail": page("scoring:scheme_detail", lambda v: v.world.scheme.pk),
    "scoring:scheme_file": page("scoring:scheme_file", lambda v: v.world.scheme.pk),
    "scoring:assessment_detail": detail("scoring:assessment_detail", lambda v: v.side.assessment.pk),
    "scoring:survey": detail("scoring:survey", lambda v: v.side.assessment.pk),
    "scoring:evidence_download": detail("scoring:evidence_download", lambda v: v.side.evidence.pk),
    "scoring:organisation_assessments": detail("scoring:organisation_assessments", org),
    "scoring:organisation_year": detail("scoring:organisation_year", org, YEAR),
    # plans
    "plans:plan_list": page("plans:plan_list"),
    "plans:plan_detail": page("plans:plan_detail", plan_code),
    "plans:plan_export": page("plans:plan_export", plan_code),
    "plans:target_detail": page("plans:target_detail", plan_code, NUMERIC_TARGET),
    "plans:target_assess": page("plans:target_assess", plan_code, QUALITATIVE_TARGET),
    "plans:reference_data": page("plans:reference_data", plan_code),
    # The comparison of areas, one level down (the communes of the plan's province): a row per commune the
    # user may see, as every breakdown.
    "plans:plan_areas": page(
        "plans:plan_areas", plan_code, query_fn=lambda v: f"parent={plan_province(v)}", marker=commune_name
    ),
    "plans:plan_areas_export": page(
        "plans:plan_areas_export",
        plan_code,
        query_fn=lambda v: f"parent={plan_province(v)}",
        marker=commune_name,
    ),
    # tasks
    "tasks:calendar": page("tasks:calendar", marker=period_link),
    "tasks:overdue": page("tasks:overdue", marker=agency_link),
    "tasks:scorecard": page("tasks:scorecard", marker=agency_link),
    "tasks:export": page("tasks:export", marker=agency_name),
    # YEAR + 1: nobody has filed its data yet, so the page lists the organisations still owing them.
    "tasks:yearly_data": page("tasks:yearly_data", query=f"year={YEAR + 1}", marker=org_name),
    "tasks:task_list": page("tasks:task_list"),
    "tasks:task_detail": page("tasks:task_detail", lambda v: v.world.assignment.pk),
    "tasks:task_assign": page("tasks:task_assign", lambda v: v.world.assignment.pk),
    "tasks:period_detail": detail("tasks:period_detail", lambda v: v.side.period.pk),
    "tasks:report_edit": detail("tasks:report_edit", lambda v: v.side.overdue_period.pk),
    "tasks:attachment_download": detail("tasks:attachment_download", lambda v: v.side.attachment.pk),
    "tasks:review_list": page("tasks:review_list", marker=period_link),
    "tasks:agency_list": page("tasks:agency_list"),
    # Every agency's page is open; the periods listed on it are the user's.
    "tasks:agency_detail": page(
        "tasks:agency_detail", lambda v: v.side.agency.code, marker=period_link, detail=True
    ),
    # reports: imports are their owner's only ("in": the user's own, "out": someone else's)
    "imports:import_start": page("imports:import_start", marker=job_name),
    "imports:import_template": page("imports:import_template"),
    "imports:import_job": detail("imports:import_job", lambda v: v.job.pk),
    "imports:import_progress": detail("imports:import_progress", lambda v: v.job.pk),
    "imports:import_annotated": detail("imports:import_annotated", lambda v: v.job.pk),
    "reports:annual_form": page("reports:annual_form", plan_code),
    "reports:annual_download": page("reports:annual_download", plan_code, query=f"year={YEAR}"),
    # REST API v1
    "api-root": page("api-root"),
    "organisation-list": page("organisation-list", marker=org_name),
    "organisation-export": page("organisation-export", marker=org_name),
    "organisation-detail": detail("organisation-detail", org),
    "organisation-history": detail("organisation-history", org),
    "organisation-status-changes": detail("organisation-status-changes", org),
    "organisation-status-on": detail("organisation-status-on", org, query="date=2024-06-30"),
    "yearly-report-list": page(
        "yearly-report-list", marker=lambda v: v.side.yearly_submitted.pk, json_ids=True
    ),
    "yearly-report-export": page("yearly-report-export", marker=org_name),
    "yearly-report-detail": detail("yearly-report-detail", lambda v: v.side.yearly_draft.pk),
    "area-list": page("area-list"),
    "area-detail": detail("area-detail", lambda v: v.side.commune.pk),
    "scoring-scheme-list": page("scoring-scheme-list"),
    "scoring-scheme-detail": page("scoring-scheme-detail", lambda v: v.world.scheme.pk),
    "assessment-list": page("assessment-list", marker=org_name),
    "assessment-detail": detail("assessment-detail", lambda v: v.side.assessment.pk),
    "assessment-events": detail("assessment-events", lambda v: v.side.assessment.pk),
    "rating-result-list": page("rating-result-list", query=f"year={YEAR - 1}"),
    "rating-result-export": page("rating-result-export", query=f"year={YEAR - 1}", marker=org_name),
    "satisfaction-survey-list": page(
        "satisfaction-survey-list", marker=lambda v: v.side.survey.pk, json_ids=True
    ),
    "satisfaction-survey-detail": detail("satisfaction-survey-detail", lambda v: v.side.survey.pk),
    "plan-list": page("plan-list"),
    "plan-detail": page("plan-detail", plan_pk),
    "plan-targets": page("plan-targets", plan_pk, query="breakdown=commune"),
    "plan-targets-export": page("plan-targets-export", plan_pk),
    "plan-areas": page("plan-areas", plan_pk, query="level=commune", marker=commune_name),
    "reference-series-list": page("reference-series-list"),
    "reference-series-detail": page(
        "reference-series-detail", lambda v: v.world.plan.reference_series.get().pk
    ),
    "reference-series-values": page(
        "reference-series-values", lambda v: v.world.plan.reference_series.get().pk
    ),
    "plan-annual-report": page("plan-annual-report", plan_pk, query=f"year={YEAR}&format=xlsx"),
    "agency-list": page("agency-list", marker=agency_name),
    "agency-detail": detail("agency-detail", lambda v: v.side.agency.code),
    "task-assignment-list": page("task-assignment-list"),
    "task-assignment-detail": page("task-assignment-detail", lambda v: v.world.assignment.pk),
    "reporting-period-list": page("reporting-period-list", marker=agency_name),
    "reporting-period-detail": detail("reporting-period-detail", lambda v: v.side.period.pk),
    "progress-report-list": page("progress-report-list", marker=agency_name),
    "progress-report-detail": detail("progress-report-detail", lambda v: v.side.report.pk),
    "calendar-item-list": page("calendar-item-list", marker=agency_name),
    "calendar-item-export": page("calendar-item-export", marker=agency_name),
    "import-list": page("import-list", marker=job_name),
    "import-template": page("import-template"),
    "import-detail": detail("import-detail", lambda v: v.job.pk),
    "import-annotated": detail("import-annotated", lambda v: v.job.pk),
    # privacy (personal-data requests: administrators only, no scope)
    "privacy:request_list": page("privacy:request_list"),
    "privacy:request_create": page("privacy:request_create"),
    "privacy:request_detail": page("privacy:request_detail", data_request),
    "privacy:request_export": page("privacy:request_export", data_request),
    "data-request-list": page("data-request-list"),
    "data-request-detail": page("data-request-detail", data_request),
    "data-request-data": page("data-request-data", data_request),
    "data-request-export": page("data-request-export", data_request),
}

MATRIX_TABLE = """
endpoint                         anonymous admin    province  commune   representative viewer   viewer_area
desk:home                        login     200      200       200       200            200      200
accounts:profile                 login     200      200       200       200            200      200
accounts:two_factor              login     200      200       403       403            403      403
accounts:audit_list              login     200      403       403       403            403      403
notifications:list               login     200      200       200       200            200      200
notification-list                401       200      200       200       200            200      200
notifications:export_job         login     200/404  200/404   200/404   200/404        200/404  200/404
notifications:export_download    login     200/404  200/404   200/404   200/404        200/404  200/404
export-list                      401       200/hide 200/hide  200/hide  200/hide       200/hide 200/hide
export-detail                    401       200/404  200/404   200/404   200/404        200/404  200/404
export-download                  401       200/404  200/404   200/404   200/404        200/404  200/404
accounts:audit_export            login     200      403       403       403            403      403
areas:area_list                  login     200      200       200       200            200      200
areas:area_detail                login     200      200       200       200            200      200
registry:organisation_list       login     200      200       200/hide  200/hide       200      200/hide
registry:organisation_export     login     200      200       200/hide  200/hide       200      200/hide
registry:yearly_report_list      login     200      200       200/hide  200/hide       200      200/hide
registry:yearly_report_export    login     200      200       200/hide  200/hide       200      200/hide
registry:yearly_review_list      login     200      200       200/hide  200/hide       200      200/hide
registry:organisation_create     login     200      200       200       403            403      403
registry:organisation_detail     login     200      200       200/404   200/404        200      200/404
registry:organisation_update     login     200      200       200/404   200/404        404      404
registry:status_change_create    login     200      200       200/404   403/404        404      404
registry:yearly_report_create    login     200      200       200/404   200/404        404      404
registry:yearly_report_update    login     200      200       200/404   200/404        404      404
registry:yearly_report_review    login     200      200       200/404   200/404        200      200/404
scoring:calendar                 login     200      200       200/hide  200/hide       200      200/hide
scoring:results                  login     200      200       200       200            200      200
scoring:results_export           login     200      200       200/hide  200/hide       200      200/hide
scoring:scheme_list              login     200      200       200       200            200      200
scoring:scheme_upload            login     200      200       403       403            403      403
scoring:scheme_detail            login     200      200       200       200            200      200
scoring:scheme_file              login     200      200       200       200            200      200
scoring:assessment_detail        login     200      200       200/404   200/404        200      200/404
scoring:survey                   login     200      200       200/404   200/404        200      200/404
scoring:evidence_download        login     200      200       200/404   200/404        200      200/404
scoring:organisation_assessments login     200      200       200/404   200/404        200      200/404
scoring:organisation_year        login     302      302       302/404   302/404        302      302/404
plans:plan_list                  login     200      200       200       200            200      200
plans:plan_detail                login     200      200       200       200            200      200
plans:plan_export                login     200      200       200       200            200      200
plans:target_detail              login     200      200       200       200            200      200
plans:target_assess              login     200      200       403       403            403      403
plans:reference_data             login     200      200       200       200            200      200
plans:plan_areas                 login     200      200       200/hide  200/hide       200      200/hide
plans:plan_areas_export          login     200      200       200/hide  200/hide       200      200/hide
tasks:calendar                   login     200      200       200/hide  hide           200      200/hide
tasks:overdue                    login     200      200       200/hide  hide           200      200/hide
tasks:scorecard                  login     200      200       200/hide  hide           200      200/hide
tasks:export                     login     200      200       200/hide  hide           200      200/hide
tasks:yearly_data                login     200      200       200/hide  200/hide       200      200/hide
tasks:task_list                  login     200      200       200       200            200      200
tasks:task_detail                login     200      200       200       200            200      200
tasks:task_assign                login     200      200       403       403            403      403
tasks:period_detail              login     200      200       200/404   404            200      200/404
tasks:report_edit                login     200      403       200/404   404            403      403/404
tasks:attachment_download        login     200      200       200/404   404            200      200/404
tasks:review_list                login     200      200       200/hide  hide           200      200/hide
tasks:agency_list                login     200      200       200       200            200      200
tasks:agency_detail              login     200      200       200/hide  hide           200      200/hide
imports:import_start             login     200/hide 200/hide  200/hide  200/hide       403      403
imports:import_template          login     200      200       200       200            200      200
imports:import_job               login     200/404  200/404   200/404   200/404        200/404  200/404
imports:import_progress          login     200/404  200/404   200/404   200/404        200/404  200/404
imports:import_annotated         login     200/404  200/404   200/404   200/404        200/404  200/404
reports:annual_form              login     200      200       403       403            403      403
reports:annual_download          login     200      200       403       403            403      403
api-root                         401       200      200       200       200            200      200
organisation-list                401       200      200       200/hide  200/hide       200      200/hide
organisation-export              401       200      200       200/hide  200/hide       200      200/hide
organisation-detail              401       200      200       200/404   200/404        200      200/404
organisation-history             401       200      200       200/404   200/404        200      200/404
organisation-status-changes      401       200      200       200/404   200/404        200      200/404
organisation-status-on           401       200      200       200/404   200/404        200      200/404
yearly-report-list               401       200      200       200/hide  200/hide       200      200/hide
yearly-report-export             401       200      200       200/hide  200/hide       200      200/hide
yearly-report-detail             401       200      200       200/404   200/404        200      200/404
area-list                        401       200      200       200       200            200      200
area-detail                      401       200      200       200       200            200      200
scoring-scheme-list              401       200      200       200       200            200      200
scoring-scheme-detail            401       200      200       200       200            200      200
assessment-list                  401       200      200       200/hide  200/hide       200      200/hide
assessment-detail                401       200      200       200/404   200/404        200      200/404
assessment-events                401       200      200       200/404   200/404        200      200/404
rating-result-list               401       200      200       200       200            200      200
rating-result-export             401       200      200       200/hide  200/hide       200      200/hide
satisfaction-survey-list         401       200      200       200/hide  200/hide       200      200/hide
satisfaction-survey-detail       401       200      200       200/404   200/404        200      200/404
plan-list                        401       200      200       200       200            200      200
plan-detail                      401       200      200       200       200            200      200
plan-targets                     401       200      200       200       200            200      200
plan-targets-export              401       200      200       200       200            200      200
plan-areas                       401       200      200       200/hide  200/hide       200      200/hide
plan-annual-report               401       200      200       403       403            403      403
reference-series-list            401       200      200       200       200            200      200
reference-series-detail          401       200      200       200       200            200      200
reference-series-values          401       200      200       200       200            200      200
agency-list                      401       200      200       200       200            200      200
agency-detail                    401       200      200       200       200            200      200
task-assignment-list             401       200      200       200       200            200      200
task-assignment-detail           401       200      200       200       200            200      200
reporting-period-list            401       200      200       200/hide  hide           200      200/hide
reporting-period-detail          401       200      200       200/404   404            200      200/404
progress-report-list             401       200      200       200/hide  hide           200      200/hide
progress-report-detail           401       200      200       200/404   404            200      200/404
calendar-item-list               401       200      200       200/hide  hide           200      200/hide
calendar-item-export             401       200      200       200/hide  hide           200      200/hide
import-list                      401       200/hide 200/hide  200/hide  200/hide       200/hide 200/hide
import-template                  401       200      200       200       200            200      200
import-detail                    401       200/404  200/404   200/404   200/404        200/404  200/404
import-annotated                 401       200/404  200/404   200/404   200/404        200/404  200/404
privacy:request_list             login     200      403       403       403            403      403
privacy:request_create           login     200      403       403       403            403      403
privacy:request_detail           login     200      403       403       403            403      403
privacy:request_export           login     200      403       403       403            403      403
data-request-list                401       200      403       403       403            403      403
data-request-detail              401       200      403       403       403            403      403
data-request-data                401       200      403       403       403            403      403
data-request-export              401       200      403       403       403            403      403
"""

# Cells that are wrong today, with why: (endpoint, role, side) → reason. They run as strict xfails.
KNOWN_WRONG: dict[tuple[str, str, str], str] = {}

# URL patterns outside the matrix, and why.
EXCLUDED = {
    "accounts:login": "the sign-in page itself, for anonymous visitors (hoptac/accounts/tests)",
    "accounts:logout": "POST only; signing out has no scope",
    "accounts:login_code": "the sign-in's second step, reached only from a right password (accounts tests)",
    "set_language": "Django's language switch (i18n/setlang/), no data",
    "api-token": "POST only: exchanges a password for a token (accounts tests)",
    "api-logout": "POST only: revokes the caller's API tokens, no data (accounts tests)",
    "api-schema": "the OpenAPI schema, generated from the code, no data",
    "api-docs": "Swagger UI over the schema, no data",
    "api-redoc": "ReDoc over the schema, no data",
    "notification-detail": "a person's own notification: no shared object to visit; only its recipient reaches it "
    "(hoptac/notifications/tests/test_pages.py)",
}
# Django's admin (admin/) has its own permissions (is_staff) and is left out of the walk below.
SKIPPED_PREFIXES = ("admin/",)

# Write-only endpoints (they do not answer GET): outside the matrix; test_api_writes_out_of_scope below
# covers a write per scoped model. test_write_only_endpoints_do_not_answer_get keeps this list honest.
WRITE_ONLY = {
    "scoring:year_start",
    "scoring:assessment_self",
    "scoring:assessment_review",
    "scoring:assessment_scheme",
    "scoring:evidence_upload",
    "scoring:organisation_start",
    "tasks:attachment_delete",
    "tasks:agency_merge",
    "yearly-report-accept",
    "yearly-report-reopen",
    "yearly-report-return",
    "yearly-report-submit",
    "assessment-start-year",
    "assessment-approve",
    "assessment-reopen",
    "assessment-return",
    "assessment-review",
    "assessment-self-score",
    "assessment-submit",
    "task-assignment-assign",
    "progress-report-accept",
    "progress-report-attachments",
    "progress-report-return",
    "progress-report-submit",
    "import-commit",
    "data-request-accept",
    "data-request-refuse",
    "data-request-correct",
    "data-request-erase",
    "data-request-complete",
    "notifications:read",
    "notifications:read_all",
    "notifications:preferences",
    "notification-read",
    "notification-read-all",
}

OUTCOMES = {"200", "hide", "302", "401", "403", "404", "login"}


def parse_matrix(table: str) -> dict[str, dict[str, tuple[str, str]]]:
    """{endpoint: {role: (in, out)}} from the table above."""
    lines = [line.split() for line in table.strip().splitlines()]
    header, rows = lines[0], lines[1:]
    assert header[1:] == ROLES, f"the matrix columns must be {ROLES}"
    matrix = {}
    for row in rows:
        assert len(row) == len(header), f"matrix row {row[0]}: {len(row) - 1} cells for {len(ROLES)} roles"
        cells = {}
        for role, cell in zip(ROLES, row[1:], strict=True):
            inside, _slash, outside = cell.partition("/")
            outside = outside or inside
            assert {inside, outside} <= OUTCOMES, f"matrix row {row[0]}, {role}: unknown outcome {cell}"
            cells[role] = (inside, outside)
        assert row[0] not in matrix, f"matrix row {row[0]} twice"
        matrix[row[0]] = cells
    return matrix


MATRIX = parse_matrix(MATRIX_TABLE)


def _cells():
    for name, endpoint in ENDPOINTS.items():
        for role in ROLES:
            sides = ["in", "out"] if endpoint.sided and role != "anonymous" else ["in"]
            for side in sides:
                marks = []
                if (name, role, side) in KNOWN_WRONG:
                    marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_WRONG[(name, role, side)]))
                yield pytest.param(name, role, side, id=f"{name}-{role}-{side}", marks=marks)


# A list is the same request on both sides (only the object looked for differs): its answer is kept for
# module (the world's life), by role and URL, so it is asked once.
_ANSWERS: dict[tuple[str, str], tuple[str, str, object]] = {}


@pytest.fixture(scope="module", autouse=True)
def _answers_of_this_world():
    _ANSWERS.clear()
    yield
    _ANSWERS.clear()


def visit(clients: dict[str, Client], world: World, name: str, role: str, side: str):
    """(the endpoint, the visit, the outcome, the text of the answer, its JSON or None)."""
    endpoint = ENDPOINTS[name]
    v = Visit(world=world, role=role if role != "anonymous" else "admin", side_name=side)
    url = endpoint.url(v)
    key = (role, url)
    if key not in _ANSWERS:
        response = clients[role].get(url)
        got = outcome(response)
        text, data = "", None
        if got == "200" and endpoint.marker is not None:
            if endpoint.json_ids:
                data = response.json()
            else:
                text = response_text(response)
        _ANSWERS[key] = (got, text, data)
    return (endpoint, v, *_ANSWERS[key])


@pytest.mark.parametrize(("name", "role", "side"), list(_cells()))
def test_access(module_world, module_clients, name, role, side):
    endpoint, v, got, text, data = visit(module_clients, module_world, name, role, side)
    expected = MATRIX[name][role][0 if side == "in" else 1]
    if got == "200" and endpoint.marker is not None and role != "anonymous":
        marker = endpoint.marker(v)
        listed = marker in {row["id"] for row in data["results"]} if endpoint.json_ids else marker in text
        got = "200" if listed else "hide"
    assert got == expected, f"{name} as {role} on the {side}-scope object: expected {expected}, got {got}"


def test_every_url_pattern_is_in_the_matrix():
    routes = url_routes(skip_prefixes=SKIPPED_PREFIXES)
    listed = set(ENDPOINTS) | set(EXCLUDED) | WRITE_ONLY
    missing = sorted(set(routes) - listed)
    assert not missing, (
        "URL patterns without a row in the access matrix (add them to ENDPOINTS and MATRIX_TABLE in "
        f"hoptac/tests/test_access_matrix.py, or to EXCLUDED/WRITE_ONLY with a reason): {missing}"
    )
    stale = sorted(listed - set(routes))
    assert not stale, f"the access matrix lists URL names that no longer exist: {stale}"
    assert set(MATRIX) == set(ENDPOINTS), (
        f"ENDPOINTS and MATRIX_TABLE differ: {sorted(set(MATRIX) ^ set(ENDPOINTS))}"
    )
    for name in ENDPOINTS:
        assert routes[name].answers_get, f"{name} does not answer GET: move it to WRITE_ONLY"


# Forms every signed-in person may submit: signing out, the language, their own API token (the profile),
# their own notifications.
FORMS_FOR_EVERYONE = ("/accounts/logout/", "/i18n/setlang/", "/accounts/profile/", "/notifications/")


@pytest.mark.parametrize("role", ["viewer", "viewer_area"])
def test_a_read_only_user_is_shown_no_form_they_cannot_submit(module_world, module_clients, role):
    """Every page a viewer opens (both sides): no POST form but those everyone may submit — a page showing
    a form the viewer's role cannot submit would end in a refusal after the work of filling it."""
    import re

    offending = []
    for name, endpoint in ENDPOINTS.items():
        if ":" not in name:  # the API and the site root
            continue
        for side in ("in", "out") if endpoint.sided else ("in",):
            v = Visit(world=module_world, role=role, side_name=side)
            url = endpoint.url(v)
            response = module_clients[role].get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            page = response.content.decode()
            for tag in re.findall(r"<form\b[^>]*>", page):
                if not re.search(r'method="post"', tag, re.I):
                    continue
                action = re.search(r'action="([^"]*)"', tag)
                target = action.group(1) if action else url
                if not target.startswith(FORMS_FOR_EVERYONE):
                    offending.append(f"{name} ({url}): {tag}")
    assert not offending, "forms a read-only user cannot submit:\n" + "\n".join(offending)


def test_write_only_endpoints_do_not_answer_get():
    routes = url_routes(skip_prefixes=SKIPPED_PREFIXES)
    answering = sorted(name for name in WRITE_ONLY if routes[name].answers_get)
    assert not answering, f"these answer GET, so they belong in the matrix: {answering}"


def test_the_matrix_distinguishes_sides():
    """Each role with a scope (commune, representative, viewer with areas) must meet at least one 404 and
    one hidden row, or the matrix would not prove anything about scope."""
    for role in ("commune", "representative", "viewer_area"):
        outside = {cells[role][1] for cells in MATRIX.values()}
        assert {"404", "hide"} <= outside, role


# ---------------------------------------------------------------------------------------------
# Writes through the API, one (at least) per scoped model: the commune officer's request answers on the
# object of commune A and 404 on that of commune B (or 400 when B's object is named in the body, since it
# is not among the choices), and changes nothing there.


@dataclass(frozen=True)
class Write:
    method: str
    url: Callable[[Visit], str]
    body: Callable[[Visit], dict]
    # What the write changes, read from the database: it must change on "in" and stay as it was on "out".
    state: Callable[[Visit], object]
    allowed: int  # the status on the object in scope
    refused: int = 404  # the status on the object out of scope


def _report_of(period):
    from hoptac.tasks.models import ProgressReport

    return ProgressReport.objects.filter(period=period).values_list("text", flat=True).first()


def _fresh(obj, *fields):
    obj.refresh_from_db()
    return tuple(getattr(obj, name) for name in fields)


WRITES: dict[str, Write] = {
    "organisation PATCH": Write(
        "patch",
        _r("organisation-detail", org),
        lambda v: {"short_name": f"Sửa {v.side.marker}"},
        lambda v: _fresh(v.side.organisation, "short_name"),
        allowed=200,
    ),
    "status change POST": Write(
        "post",
        _r("organisation-status-changes", org),
        lambda v: {"status": "suspended", "effective_from": "2026-01-01"},
        lambda v: v.side.organisation.status_changes.count(),
        allowed=201,
    ),
    "yearly report PATCH": Write(
        "patch",
        _r("yearly-report-detail", lambda v: v.side.yearly_draft.pk),
        lambda v: {"workers": 99},
        lambda v: _fresh(v.side.yearly_draft, "workers"),
        allowed=200,
    ),
    "yearly report POST for the organisation": Write(
        "post",
        _r("yearly-report-list"),
        lambda v: {"organisation": v.side.organisation.pk, "year": 2022, "workers": 5},
        lambda v: v.side.organisation.yearly_reports.filter(year=2022).exists(),
        allowed=201,
        refused=400,
    ),
    "survey PATCH": Write(
        "patch",
        _r("satisfaction-survey-detail", lambda v: v.side.survey.pk),
        lambda v: {"method": f"Họp thành viên {v.side.marker}"},
        lambda v: _fresh(v.side.survey, "method"),
        allowed=200,
    ),
    "assessment self-score POST": Write(
        "post",
        _r("assessment-self-score", lambda v: v.side.assessment.pk),
        lambda v: {"points": {}, "note": f"Ghi chú {v.side.marker}"},
        lambda v: _fresh(v.side.assessment, "self_note"),
        allowed=200,
    ),
    "progress report POST for the period": Write(
        "post",
        _r("progress-report-list"),
        lambda v: {"period": v.side.overdue_period.pk, "progress": "in_progress", "text": "Đã làm"},
        lambda v: _report_of(v.side.overdue_period),
        allowed=201,
        refused=400,
    ),
    "import commit POST": Write(
        "post",
        _r("import-commit", lambda v: v.job.pk),
        lambda v: {},
        lambda v: v.job.__class__.objects.filter(user=v.job.user).count(),
        allowed=201,
    ),
}


@pytest.mark.parametrize("side", ["in", "out"])
@pytest.mark.parametrize("name", list(WRITES))
def test_api_writes_out_of_scope(module_world, module_clients, name, side):
    write = WRITES[name]
    v = Visit(world=module_world, role="commune", side_name=side)
    before = write.state(v)
    response = getattr(module_clients["commune"], write.method)(
        write.url(v), write.body(v), content_type="application/json"
    )
    after = write.state(v)
    if side == "in":
        assert response.status_code == write.allowed, response.content
        assert after != before, f"{name}: the allowed write changed nothing"
    else:
        assert response.status_code == write.refused, response.content
        assert after == before, f"{name}: the refused write changed {before!r} into {after!r}"
