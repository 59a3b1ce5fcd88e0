"""The review queue of the yearly data (/registry/yearly-reviews/): a count, filters, pages of 25, a bulk
acceptance through the workflow, wording for the reader's level, and how long each row has waited; the
yearly data list and the year's pages mark data still to send as overdue."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from hoptac.core.review import transition
from hoptac.registry.models import YearlyReport, YearlyReportState
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db
QUEUE = reverse("registry:yearly_review_list")


def _submitted(organisation, user, year=2023):
    return transition(YearlyReportFactory(organisation=organisation, year=year), "submit", user=user)


def _count(response) -> int:
    return int(re.search(r'data-count="(\d+)"', response.content.decode()).group(1))


def test_the_queue_counts_filters_and_pages(client, two_communes):
    province = two_communes["province"]
    for number in range(27):
        _submitted(
            OrganisationFactory(name=f"Hợp tác xã Thứ {number:02d}", commune_legacy=two_communes["unit_a"]),
            province,
        )
    _submitted(two_communes["b"], province)
    client.force_login(province)
    first = client.get(QUEUE)
    assert _count(first) == 28
    assert (
        first.context["table"].page.object_list.data.__len__() == 25 or len(first.context["table"].page) == 25
    )
    assert len(client.get(QUEUE + "?page=2").context["table"].page) == 3
    assert _count(client.get(QUEUE + "?q=Giao+Xu%C3%A2n")) == 1
    assert "trên địa bàn xã của bạn" not in first.content.decode()
    client.force_login(two_communes["commune_a"])
    mine = client.get(QUEUE)
    assert _count(mine) == 27
    assert "Hợp tác xã Giao Xuân" not in mine.content.decode()
    assert "xã của bạn" in mine.content.decode()


def test_bulk_acceptance_goes_through_the_workflow_all_or_none(client, two_communes):
    province = two_communes["province"]
    a = _submitted(two_communes["a"], province)
    b = _submitted(two_communes["b"], province)
    officer = two_communes["commune_a"]
    client.force_login(officer)
    # Commune B's data are outside the officer's scope: ignored (not in the queue), A's accepted.
    response = client.post(QUEUE, {"action": "accept", "pk": [a.pk, b.pk]})
    assert response.status_code == 302
    a.refresh_from_db(), b.refresh_from_db()
    assert a.state == YearlyReportState.ACCEPTED and a.reviewed_by == officer
    assert b.state == YearlyReportState.SUBMITTED
    assert a.history.first().history_user == officer
    # Nothing picked: nothing happens.
    client.force_login(province)
    client.post(QUEUE, {"action": "accept"})
    b.refresh_from_db()
    assert b.state == YearlyReportState.SUBMITTED


def test_a_viewer_cannot_accept_in_bulk(client, two_communes):
    report = _submitted(two_communes["a"], two_communes["province"])
    client.force_login(two_communes["viewer"])
    page = client.get(QUEUE).content.decode()
    assert 'name="action" value="accept"' not in page
    client.post(QUEUE, {"action": "accept", "pk": [report.pk]})
    report.refresh_from_db()
    assert report.state == YearlyReportState.SUBMITTED


def test_a_row_waiting_more_than_two_weeks_is_marked(client, two_communes):
    province = two_communes["province"]
    report = _submitted(two_communes["a"], province)
    YearlyReport.objects.filter(pk=report.pk).update(
        submitted_at=timezone.localdate() - datetime.timedelta(days=20)
    )
    client.force_login(province)
    page = client.get(QUEUE).content.decode()
    assert "đã chờ 20 ngày" in page and "badge due-overdue" in page


def test_data_still_to_send_are_marked_overdue_in_the_list_and_on_their_pages(client, two_communes):
    year = timezone.localdate().year - 1
    report = YearlyReportFactory(organisation=two_communes["a"], year=year)
    client.force_login(two_communes["province"])
    listing = client.get(reverse("registry:yearly_report_list") + f"?year={year}").content.decode()
    assert f"quá hạn từ 15/12/{year}" in listing
    for name in ("registry:yearly_report_review", "registry:yearly_report_update"):
        page = client.get(reverse(name, args=[report.organisation_id, year])).content.decode()
        assert f"Hạn nộp 15/12/{year}" in page and "badge due-overdue" in page, name
    transition(report, "submit", user=two_communes["province"])
    page = client.get(reverse("registry:yearly_report_review", args=[report.organisation_id, year]))
    assert "badge due-overdue" not in page.content.decode()
