"""The desk's queries do not grow with the data: each role's home page is asked with the world of
hoptac/tests/world.py (N rows) and again after grow_world (about 3N organisations, yearly data,
assessments, committees with overdue reports, imports); the counts must be equal.

The plans' verdicts are left out of the count (the evaluation runs once per plan and grows with the number
of plans, a known case of the plan list: GROWS in test_query_counts.py; the plans app caches it)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hoptac.desk import selectors as desk_selectors

from .world import grow_world

pytestmark = pytest.mark.django_db

ROLES = ["province", "commune", "representative", "viewer"]


def _count(client) -> int:
    client.get("/")  # the first request fills the caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    return len(captured)


@pytest.fixture(scope="module")
def counts(module_world, module_clients, django_db_blocker, _session_media):
    """{role: (with N rows, with about 3N rows)}, the plans' verdicts replaced by a constant."""
    found: dict[str, list[int]] = {}
    original = desk_selectors.plan_summaries
    with django_db_blocker.unblock():
        desk_selectors.plan_summaries = lambda *, user, today: []  # type: ignore[assignment]
        try:
            for role in ROLES:
                found[role] = [_count(module_clients[role])]
            grow_world(module_world, media_root=_session_media)
            for role in ROLES:
                found[role].append(_count(module_clients[role]))
        finally:
            desk_selectors.plan_summaries = original
    return found


@pytest.mark.parametrize("role", ROLES)
def test_the_desk_does_not_grow_with_the_rows(counts, role):
    small, large = counts[role]
    assert large == small, f"the desk of {role}: {small} queries with N rows, {large} with about 3N"
    assert small <= 40, f"the desk of {role} runs {small} queries"
