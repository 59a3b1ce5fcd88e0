"""The registry's yearly data join the submit → review → accept flow: the representative submits, the
commune officer of the organisation's commune reviews with a field-by-field diff against last year,
acceptance locks the year, a provincial officer may reopen it with a reason."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.core.review import transition
from hoptac.registry import errors, selectors, services
from hoptac.registry.models import YearlyReport, YearlyReportState
from hoptac.registry.tests.factories import YearlyReportFactory, hai_anh_and_giao_xuan

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def yearly(db):
    org, other = hai_anh_and_giao_xuan()
    hai_minh, giao_xuan = org.commune_legacy, other.commune_legacy
    last = YearlyReportFactory(
        organisation=org,
        year=2024,
        revenue=Decimal(2_000_000_000),
        workers=10,
        official_individuals=100,
        in_value_chain=False,
        state=YearlyReportState.ACCEPTED,
    )
    this = YearlyReportFactory(
        organisation=org,
        year=2025,
        revenue=Decimal(3_100_000_000),
        workers=10,
        official_individuals=90,
        in_value_chain=True,
        value_chain_partner="Công ty Lúa Vàng",
    )
    return {
        "org": org,
        "other": other,
        "last": last,
        "this": this,
        "representative": UserFactory(role=Role.REPRESENTATIVE, organisation=org),
        "other_representative": UserFactory(role=Role.REPRESENTATIVE, organisation=other),
        "commune": UserFactory(role=Role.COMMUNE, areas=[hai_minh]),
        "other_commune": UserFactory(role=Role.COMMUNE, areas=[giao_xuan]),
        "province": UserFactory(role=Role.PROVINCE),
        "viewer": UserFactory(role=Role.VIEWER),
    }


def test_new_yearly_data_start_as_drafts(yearly):
    assert yearly["this"].state == YearlyReportState.DRAFT and not yearly["this"].is_locked


def test_the_flow_and_who_may_do_each_step(yearly):
    report = yearly["this"]
    for name in ("other_representative", "viewer", "other_commune"):
        with pytest.raises(PermissionDenied):
            transition(report, "submit", user=yearly[name])
    report = transition(report, "submit", user=yearly["representative"])
    assert report.state == YearlyReportState.SUBMITTED and report.submitted_by == yearly["representative"]
    assert report.submitted_at is not None
    with pytest.raises(ValidationError) as waiting:
        services.yearly_report_save(
            user=yearly["representative"], organisation=yearly["org"], year=2025, data={"workers": 11}
        )
    assert errors.YEAR_WAITING_REVIEW in waiting.value.messages
    for name in ("representative", "viewer", "other_commune"):
        with pytest.raises(PermissionDenied):
            transition(report, "accept", user=yearly[name])
    with pytest.raises(ValidationError) as no_comment:
        transition(report, "return", user=yearly["commune"])
    assert errors.YEAR_RETURN_COMMENT in no_comment.value.message_dict["comment"]
    report = transition(report, "return", user=yearly["commune"], comment="Kiểm tra doanh thu")
    assert report.state == YearlyReportState.RETURNED
    services.yearly_report_save(
        user=yearly["representative"],
        organisation=yearly["org"],
        year=2025,
        data={"revenue": Decimal(3_000_000_000)},
    )
    report = transition(report, "submit", user=yearly["representative"])
    report = transition(report, "accept", user=yearly["commune"])
    assert report.state == YearlyReportState.ACCEPTED and report.reviewed_by == yearly["commune"]


def test_acceptance_locks_the_year_and_reopening_needs_a_provincial_officer_and_a_reason(yearly):
    report = transition(yearly["this"], "submit", user=yearly["representative"])
    report = transition(report, "accept", user=yearly["commune"])
    for user in (yearly["representative"], yearly["commune"], yearly["province"]):
        with pytest.raises(ValidationError) as locked:
            services.yearly_report_save(
                user=user, organisation=yearly["org"], year=2025, data={"workers": 12}
            )
        assert errors.YEAR_LOCKED in locked.value.messages
    with pytest.raises(PermissionDenied):
        transition(report, "reopen", user=yearly["commune"], comment="Sai số")
    with pytest.raises(ValidationError) as no_reason:
        transition(report, "reopen", user=yearly["province"], comment="")
    assert errors.YEAR_REOPEN_REASON in no_reason.value.message_dict["comment"]
    report = transition(
        report, "reopen", user=yearly["province"], comment="Thanh tra phát hiện sai doanh thu"
    )
    assert report.state == YearlyReportState.RETURNED
    assert report.history.first().history_change_reason == "Thanh tra phát hiện sai doanh thu"
    services.yearly_report_save(
        user=yearly["representative"], organisation=yearly["org"], year=2025, data={"workers": 12}
    )


def test_the_workflow_fields_are_not_taken_from_input(yearly):
    with pytest.raises(ValidationError) as refused:
        services.yearly_report_save(
            user=yearly["representative"],
            organisation=yearly["org"],
            year=2025,
            data={"state": YearlyReportState.ACCEPTED, "workers": 15},
        )
    assert list(refused.value.message_dict) == ["state"]  # a 400 naming the field, never a silent success
    report = YearlyReport.objects.get(pk=yearly["this"].pk)
    assert report.state == YearlyReportState.DRAFT and report.workers != 15


def test_the_diff_against_the_previous_year(yearly):
    diff = {
        row["name"]: row
        for row in selectors.yearly_report_diff(report=yearly["this"], previous=yearly["last"])
    }
    revenue = diff["revenue"]
    assert (
        revenue["old"],
        revenue["new"],
        revenue["change_pct"],
        revenue["changed"],
        revenue["notable"],
    ) == ("2.000", "3.100", 55.0, True, True)  # triệu đồng, named in the label
    assert revenue["label"] == "doanh thu (triệu đồng)"
    assert diff["workers"]["changed"] is False and diff["workers"]["change_pct"] == 0.0
    assert diff["official_individuals"]["change_pct"] == -10.0 and not diff["official_individuals"]["notable"]
    assert (
        diff["official_members"]["old"] == "130" and diff["official_members"]["new"] == "120"
    )  # + 30 households
    assert (diff["in_value_chain"]["old"], diff["in_value_chain"]["new"]) == ("Không", "Có")
    assert (
        diff["value_chain_partner"]["new"] == "Công ty Lúa Vàng"
        and diff["value_chain_partner"]["change_pct"] is None
    )
    assert selectors.yearly_report_previous(report=yearly["this"]) == yearly["last"]
    first = {row["name"]: row for row in selectors.yearly_report_diff(report=yearly["last"], previous=None)}
    assert first["revenue"]["old"] == "—" and not first["revenue"]["changed"]


def test_the_review_page_shows_the_diff_and_records_the_decision(client, yearly):
    transition(yearly["this"], "submit", user=yearly["representative"])
    url = reverse("registry:yearly_report_review", args=[yearly["org"].pk, 2025])
    client.force_login(yearly["commune"])
    page = client.get(url).content.decode()
    assert "Thay đổi từ năm 2024 sang năm 2025" in page
    assert ">2.000<" in page and ">3.100<" in page and "+55,0%" in page
    assert "Doanh thu (triệu đồng)" in page and "3.100.000.000" not in page
    assert "-10,0%" in page and "Đã nộp, chờ xã xem xét" in page
    assert 'name="decision"' in page
    response = client.post(url, {"decision": "return", "comment": ""})
    assert (
        "Bắt buộc khi trả lại" in response.content.decode()
        or "Hãy nêu nội dung cần sửa." in response.content.decode()
    )
    response = client.post(url, {"decision": "accept", "comment": ""}, follow=True)
    assert "Đã chấp nhận và khóa số liệu năm 2025." in response.content.decode()
    assert YearlyReport.objects.get(pk=yearly["this"].pk).state == YearlyReportState.ACCEPTED
    # The edit page of a locked year sends back to the review page.
    edit = client.get(reverse("registry:yearly_report_update", args=[yearly["org"].pk, 2025]))
    assert edit.status_code == 302 and edit["Location"] == url


def test_the_review_page_is_scoped_and_the_representative_submits_there(client, yearly):
    url = reverse("registry:yearly_report_review", args=[yearly["org"].pk, 2025])
    client.force_login(yearly["other_commune"])
    assert client.get(url).status_code == 404
    client.force_login(yearly["representative"])
    page = client.get(url).content.decode()
    assert 'value="accept"' not in page and "Nộp để xem xét" in page
    client.post(url, {"decision": "submit"})
    assert YearlyReport.objects.get(pk=yearly["this"].pk).state == YearlyReportState.SUBMITTED
    assert client.post(url, {"decision": "accept"}).status_code == 403
    client.force_login(yearly["commune"])
    listing = client.get(reverse("registry:yearly_review_list")).content.decode()
    assert "Hợp tác xã Hải Anh" in listing and "Hợp tác xã Giao Xuân" not in listing


def test_the_registry_api_does_not_let_anyone_set_the_state(client, yearly):
    client.force_login(yearly["representative"])
    url = reverse("yearly-report-detail", args=[yearly["this"].pk])
    response = client.patch(url, {"state": "accepted", "workers": 13}, content_type="application/json")
    assert response.status_code == 400 and list(response.json()) == ["state"]
    report = YearlyReport.objects.get(pk=yearly["this"].pk)
    assert report.state == "draft" and report.workers != 13
