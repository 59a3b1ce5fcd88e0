"""The desk (the home page at /): each role lands on its own, and every count on it is a link to the list
showing exactly that many items. The world of hoptac/tests/world.py: each side has yearly data submitted
for review, a draft of the year before, a self-assessment in draft, and an overdue report of its
commune's committee."""

import html
import re

import pytest
from django.conf import settings
from django.urls import reverse

from hoptac.core.testing import response_text
from hoptac.registry.models import YearlyReportState

pytestmark = pytest.mark.django_db


def _links(text: str, marker: str) -> list[tuple[str, int]]:
    """(href, count) of every count link inside the elements carrying `marker` (data-queue, data-late…)."""
    found = []
    for block in re.findall(rf'<li {marker}="[^"]*"[^>]*>(.*?)</li>', text, flags=re.S):
        match = re.search(r'href="([^"]+)"><span class="count">([\d.]+)</span>', block)
        if match:
            found.append((html.unescape(match.group(1)), int(match.group(2).replace(".", ""))))
    return found


def test_sign_in_lands_on_the_desk(client, module_world):
    assert reverse(settings.LOGIN_REDIRECT_URL) == "/"
    client.force_login(module_world.users["commune"])
    response = client.get("/")
    assert response.status_code == 200
    assert "Việc của xã" in response_text(response)


@pytest.mark.parametrize(
    ("role", "heading"),
    [
        ("admin", "Việc của tỉnh"),
        ("province", "Việc của tỉnh"),
        ("commune", "Việc của xã"),
        ("representative", "Việc tổ chức của bạn cần làm"),
        ("viewer", "Tình hình thực hiện kế hoạch"),
    ],
)
def test_each_role_has_its_desk(module_world, module_clients, role, heading):
    text = response_text(module_clients[role].get("/"))
    assert heading in text


@pytest.mark.parametrize("role", ["province", "commune"])
def test_every_queue_count_opens_a_list_of_that_many(module_world, module_clients, role):
    client = module_clients[role]
    text = response_text(client.get("/"))
    queues = _links(text, "data-queue")
    assert queues, "no review queue on the officer's desk"
    yearly = [(url, n) for url, n in queues if url.startswith(reverse("registry:yearly_review_list"))]
    expected = 2 if role == "province" else 1  # both sides' submitted data; the commune's own
    assert yearly and yearly[0][1] == expected
    for url, count in queues:
        context = client.get(url).context
        if "table" in context:  # the yearly-data queue, the rating calendar of one year and step
            assert context["table"].paginator.count == count, url
        else:  # the progress reports to review
            assert len(context["periods"]) == count, url


@pytest.mark.parametrize("role", ["province", "commune"])
def test_overdue_counts_open_the_overdue_list_of_that_many(module_world, module_clients, role):
    client = module_clients[role]
    text = response_text(client.get("/"))
    ((late_url, late_total),) = [item for item in _links(text, "data-late") if "overdue" in item[0]]
    assert late_total >= 1
    assert client.get(late_url).context["total"] == late_total
    agency_rows = re.findall(r'<tr data-agency="(\d+)">.*?<a href="([^"]+)">(\d+)</a>', text, flags=re.S)
    assert agency_rows
    for _pk, url, count in agency_rows:
        assert client.get(html.unescape(url)).context["total"] == int(count)
    ((missing_url, missing),) = [item for item in _links(text, "data-late") if "yearly-data" in item[0]]
    assert client.get(missing_url).context["missing_count"] == missing


def test_plan_verdict_counts_open_the_plan_filtered_by_that_verdict(module_world, module_clients):
    client = module_clients["viewer"]
    text = response_text(client.get("/"))
    badges = re.findall(r'href="([^"]+)" data-status="(\w+)"><strong>(\d+)</strong>', text)
    assert badges
    for url, status, count in badges:
        response = client.get(html.unescape(url))
        assert response.status_code == 200
        cards = response.context["ordered_cards"]  # the link asks for the most severe first
        assert len(cards) == int(count), status
        assert {card.status for card in cards} == {status}


def test_the_representative_submits_from_the_desk(module_world, module_clients):
    client = module_clients["representative"]
    draft = module_world.sides["in"].yearly_draft
    text = response_text(client.get("/"))
    year = str(draft.year)
    assert f'data-duty="yearly-{year}"' in text
    assert "Bản nháp, chưa nộp — quá hạn 15/12/" + year in text
    submit_url = reverse("registry:yearly_report_review", args=[draft.organisation_id, draft.year])
    assert f'action="{submit_url}"' in text
    # Nothing of the province or the other side: no review queue, no plan.
    assert "data-queue" not in text
    assert module_world.sides["out"].organisation.name not in text
    response = client.post(submit_url, {"decision": "submit"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == YearlyReportState.SUBMITTED
    assert draft.submitted_at is not None


def test_the_viewer_sees_no_queue(module_world, module_clients):
    text = response_text(module_clients["viewer"].get("/"))
    assert "data-queue" not in text
    assert "data-status=" in text


def test_the_rating_calendar_opens_on_the_year_with_open_work(module_world, module_clients, monkeypatch):
    """The year after YEAR is the evaluation year now; YEAR's self-assessments are still drafts: the
    calendar opens on YEAR. Two years on, YEAR no longer holds it back."""
    from hoptac.scoring import views as scoring_views

    from .world import YEAR

    client = module_clients["commune"]
    monkeypatch.setattr(scoring_views, "default_year", lambda: YEAR + 1)
    assert client.get(reverse("scoring:calendar")).context["year"] == YEAR
    assert client.get(reverse("scoring:calendar") + f"?year={YEAR + 1}").context["year"] == YEAR + 1
    monkeypatch.setattr(scoring_views, "default_year", lambda: YEAR + 2)
    assert client.get(reverse("scoring:calendar")).context["year"] == YEAR + 2
