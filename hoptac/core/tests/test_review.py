"""The one review workflow (hoptac.core.review): every reviewed model has its workflow, each step is
reachable through the pages' panel and the API, and the transition service records who, when and why."""

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.core.review import ReviewedModel, review_panel, transition, workflow_of
from hoptac.registry.models import YearlyReport, YearlyReportState
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory

REVIEWED = {
    "registry.YearlyReport",
    "plan_tasks.ProgressReport",
    "scoring.Assessment",
    "privacy.DataSubjectRequest",
}


def test_every_reviewed_model_has_its_workflow():
    found = {m._meta.label for m in apps.get_models() if issubclass(m, ReviewedModel)}
    assert found == REVIEWED
    for label in found:
        workflow = workflow_of(apps.get_model(label))
        assert workflow.steps and all(step.label for step in workflow.steps)


@pytest.mark.django_db
def test_every_step_offered_through_the_api_has_its_endpoint(client):
    user = UserFactory(role=Role.VIEWER)
    client.force_login(user)
    paths = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]
    bases = {
        "registry.YearlyReport": "/api/v1/yearly-reports/{id}/",
        "plan_tasks.ProgressReport": "/api/v1/progress-reports/{id}/",
        "scoring.Assessment": "/api/v1/assessments/{id}/",
        "privacy.DataSubjectRequest": "/api/v1/data-requests/{id}/",
    }
    for label, base in bases.items():
        for step in workflow_of(apps.get_model(label)).steps:
            if step.api:
                operation = paths[f"{base}{step.name}/"]["post"]
                # Every answer a step gives is documented: done, refused, not allowed, not in scope.
                assert {"200", "400", "403", "404"} <= set(operation["responses"]), (label, step.name)


@pytest.fixture
def submitted(db):
    from hoptac.areas.tests.factories import legacy_commune

    commune = legacy_commune("Xã Hải Minh")
    organisation = OrganisationFactory(commune_legacy=commune)
    representative = UserFactory(role=Role.REPRESENTATIVE, organisation=organisation)
    officer = UserFactory(role=Role.COMMUNE, areas=[commune], first_name="An", last_name="Nguyễn Văn")
    report = YearlyReportFactory(organisation=organisation, year=2024)
    transition(report, "submit", user=representative)
    return {"report": report, "representative": representative, "officer": officer}


def test_the_transition_stamps_who_and_when_and_keeps_the_reason(submitted):
    report, officer = submitted["report"], submitted["officer"]
    assert report.state == YearlyReportState.SUBMITTED and report.submitted_by == submitted["representative"]
    first_day = report.submitted_at
    transition(report, "return", user=officer, comment="  Thiếu số lao động.  ")
    assert (report.state, report.reviewed_by, report.review_comment) == (
        YearlyReportState.RETURNED,
        officer,
        "Thiếu số lao động.",
    )
    record = report.history.first()
    assert (record.history_user, record.history_change_reason) == (officer, "Thiếu số lao động.")
    # The yearly data keep the day of their first submission (timeliness counts it).
    transition(report, "submit", user=submitted["representative"])
    assert report.submitted_at == first_day


def test_the_transition_refuses_in_the_order_scope_role_state_comment(submitted):
    report = submitted["report"]
    with pytest.raises(PermissionDenied):
        transition(report, "accept", user=UserFactory(role=Role.COMMUNE))  # no area: out of scope
    with pytest.raises(PermissionDenied):
        transition(report, "accept", user=submitted["representative"])  # in scope, not a reviewer
    with pytest.raises(ValidationError):
        transition(report, "reopen", user=UserFactory(role=Role.PROVINCE), comment="x")  # not accepted
    with pytest.raises(ValidationError) as caught:
        transition(report, "return", user=submitted["officer"], comment=" ")
    assert list(caught.value.message_dict) == ["comment"]
    assert YearlyReport.objects.get(pk=report.pk).state == YearlyReportState.SUBMITTED


def test_the_panel_offers_each_user_their_own_steps(submitted):
    report = submitted["report"]
    officer_panel = review_panel(report, submitted["officer"])
    assert [s.name for s in officer_panel.decisions] == ["accept", "return"] and not officer_panel.steps
    assert officer_panel.comment_required_for == ["return"]
    assert not review_panel(report, submitted["representative"]).anything
    transition(report, "return", user=submitted["officer"], comment="Sửa lại")
    assert [s.name for s in review_panel(report, submitted["representative"]).steps] == ["submit"]


def test_the_page_takes_a_step_and_shows_a_missing_comment_on_the_form(client, submitted):
    report = submitted["report"]
    url = reverse("registry:yearly_report_review", args=[report.organisation_id, report.year])
    client.force_login(submitted["officer"])
    page = client.post(url, {"decision": "return", "comment": ""}, HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 200 and "Hãy nêu nội dung cần sửa." in page.content.decode()
    # The form sent back offers the officer's own decisions only, the one chosen kept.
    html = page.content.decode()
    assert 'value="accept"' in html and 'value="return"' in html and 'value="reopen"' not in html
    assert 'value="submit"' not in html
    assert client.post(url, {"decision": "nonsense"}).status_code == 200  # refused by the form
    assert client.post(url, {"decision": "accept"}).status_code == 302
    report.refresh_from_db()
    assert report.state == YearlyReportState.ACCEPTED
