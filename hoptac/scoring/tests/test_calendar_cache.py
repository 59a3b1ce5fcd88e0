"""The rating calendar reads its counts from the cache by data version (hoptac.core.dataversion), and pages
its table with them (decision 0046): the number of rows the table pages over, the count on each state's
card and the year the page opens on equal a fresh computation after every kind of write — a service, a
`QuerySet.update`, a new organisation, a delete — and a repeated request counts nothing again. Writes here
are committed (transaction=True), as in production."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from hoptac.scoring import selectors, services
from hoptac.scoring.choices import AssessmentState
from hoptac.scoring.models import Assessment

from .factories import cooperative

pytestmark = pytest.mark.django_db(transaction=True)
URL = reverse("scoring:calendar") + "?year=2024"


@pytest.fixture
def countings(monkeypatch):
    """How many times the calendar is really counted (not read from the cache)."""
    calls = []
    real = selectors.calendar_counts

    def counting(queryset):
        calls.append(1)
        return real(queryset)

    monkeypatch.setattr(selectors, "calendar_counts", counting)
    cache.clear()
    return calls


def check_page(client, user) -> None:
    """Every state's page: the table pages over exactly the rows a fresh count finds, and the cards say so."""
    for state in ["", *selectors.CALENDAR_STATES]:
        response = client.get(URL + f"&state={state}")
        assert response.status_code == 200
        fresh = selectors.filter_calendar_state(selectors.calendar(user=user, year=2024), state).count()
        table = response.context["table"]
        assert table.paginator.count == fresh == len(table.page.object_list), state
        assert response.context["counts"][state or "total"] == fresh, state


def test_the_calendar_pages_equal_a_fresh_count_after_writes(client, people, countings):
    province = people["province"]
    client.force_login(province)
    check_page(client, province)  # two cooperatives, not started
    assert len(countings) == 1  # one count, read from the cache by every later request

    services.evaluation_year_start(user=province, year=2024)  # a service: two drafts
    check_page(client, province)
    assert len(countings) == 2

    Assessment.objects.filter(organisation=people["a"]).update(state=AssessmentState.SUBMITTED)  # an update
    check_page(client, province)
    cooperative(name="Hợp tác xã Mới thành lập")  # a new organisation: not started
    check_page(client, province)
    Assessment.objects.filter(organisation=people["b"]).delete()  # a delete: not started again
    check_page(client, province)
    counts = client.get(URL).context["counts"]
    assert (counts["total"], counts[selectors.NOT_STARTED], counts[AssessmentState.SUBMITTED]) == (3, 2, 1)
    assert len(countings) == 5


def test_the_year_with_open_work_follows_the_ratings(people):
    province = people["province"]
    cache.clear()
    assert selectors.year_with_open_work(user=province, default=2025) == 2025  # nothing rated in 2024
    services.evaluation_year_start(user=province, year=2024)
    assert selectors.year_with_open_work(user=province, default=2025) == 2024  # drafts wait
    Assessment.objects.filter(year=2024).update(state=AssessmentState.APPROVED)
    assert selectors.year_with_open_work(user=province, default=2025) == 2025  # all approved
    Assessment.objects.filter(organisation=people["a"]).update(state=AssessmentState.REOPENED)
    assert selectors.year_with_open_work(user=province, default=2025) == 2024
    # A commune officer sees only their commune's rating (reopened): the answer is theirs, not the province's.
    assert selectors.year_with_open_work(user=people["commune_b"], default=2025) == 2025
