"""The number of queries of every list page, API list and export does not grow with the number of rows.

Each endpoint is asked with the world of hoptac/tests/world.py (N rows: 2 organisations for the province,
1 for the commune officer of commune A), then again after grow_world (about 3N: 6 and 3, in and across
several communes, with everything hanging off them: yearly data, assessments, surveys, committees and
their periods and reports, plans, scheme versions, imports). The two counts must be equal. Each count is
taken on a second request, so what the first request caches (content types, translations) does not count.

To show that the comparison proves something, the rows must be on the page: for each endpoint `rows`
counts what marks a row (organisation names, agency links, import files, ids in the JSON…) and the test
requires more of them after the growth. Aggregates (distributions, counts by commune) have no such mark.

A list that grows today is a strict xfail in GROWS with its reason: it fails the day it is fixed, and
the entry goes. To add a list: an entry in LISTS (its URL and what marks a row).
"""

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hoptac.core.testing import response_text

from .world import YEAR, World, grow_world

pytestmark = pytest.mark.django_db

USERS = ["province", "commune"]


def _organisations(world: World, text: str) -> int:
    sides = [*world.sides.values(), *world.added]
    return sum(side.organisation.name in text for side in sides)


def _agency_links(world: World, text: str) -> int:
    sides = [*world.sides.values(), *world.added]
    return sum(reverse("tasks:agency_detail", args=[side.agency.code]) in text for side in sides)


def _agencies(world: World, text: str) -> int:
    sides = [*world.sides.values(), *world.added]
    return sum(side.agency.name in text for side in sides)


def _period_links(world: World, text: str) -> int:
    sides = [*world.sides.values(), *world.added]
    return sum(reverse("tasks:period_detail", args=[side.period.pk]) in text for side in sides)


def _imports(world: World, text: str) -> int:
    return text.count("nhap-")


def _plans(world: World, text: str) -> int:
    return text.count("ninh-binh-test-2026")


def _schemes(world: World, text: str) -> int:
    return text.count("TT01_2020") + text.count("TT 01/2020")


def _json_rows(world: World, text: str) -> int:
    data = json.loads(text)
    return len(data["results"] if isinstance(data, dict) else data)


def _areas_url(world: World, name: str) -> str:
    province = world.plan.scope_areas.get()
    return reverse(name, args=[world.plan.code]) + f"?parent={province.pk}"


@dataclass(frozen=True)
class ListEndpoint:
    url: Callable[[World], str]
    # How many rows the answer shows (None: an aggregate, nothing marks a row).
    rows: Callable[[World, str], int] | None


def _l(name: str, rows, query: str = "", *args) -> ListEndpoint:
    return ListEndpoint(url=lambda w: reverse(name, args=args) + (f"?{query}" if query else ""), rows=rows)


LISTS: dict[str, ListEndpoint] = {
    "registry:organisation_list": _l("registry:organisation_list", _organisations),
    "registry:organisation_export": _l("registry:organisation_export", _organisations),
    "registry:yearly_report_list": _l("registry:yearly_report_list", _organisations),
    "registry:yearly_report_export": _l("registry:yearly_report_export", _organisations),
    "registry:yearly_review_list": _l("registry:yearly_review_list", _organisations),
    "areas:area_list": _l("areas:area_list", None),
    "scoring:calendar": _l("scoring:calendar", _organisations, f"year={YEAR}"),
    "scoring:results": _l("scoring:results", None, f"year={YEAR - 1}"),
    "scoring:results_export": _l("scoring:results_export", _organisations, f"year={YEAR - 1}"),
    "scoring:scheme_list": _l("scoring:scheme_list", _schemes),
    "plans:plan_list": _l("plans:plan_list", _plans),
    # The comparison of areas: aggregates per commune (rows None, as rating-result-list grouped by commune).
    "plans:plan_areas": ListEndpoint(url=lambda w: _areas_url(w, "plans:plan_areas"), rows=None),
    "plans:plan_areas_export": ListEndpoint(
        url=lambda w: _areas_url(w, "plans:plan_areas_export"), rows=None
    ),
    "plan-areas": ListEndpoint(
        url=lambda w: reverse("plan-areas", args=[w.plan.pk]) + "?level=commune", rows=None
    ),
    "tasks:calendar": _l("tasks:calendar", _period_links),
    "tasks:overdue": _l("tasks:overdue", _agency_links),
    "tasks:scorecard": _l("tasks:scorecard", _agency_links),
    "tasks:export": _l("tasks:export", _agencies),
    "tasks:yearly_data": _l("tasks:yearly_data", _organisations, f"year={YEAR + 1}"),
    "tasks:task_list": _l("tasks:task_list", _plans),
    "tasks:review_list": _l("tasks:review_list", _period_links),
    "tasks:agency_list": _l("tasks:agency_list", _agency_links),
    "imports:import_start": _l("imports:import_start", _imports),
    "organisation-list": _l("organisation-list", _json_rows),
    "organisation-export": _l("organisation-export", _organisations),
    "yearly-report-list": _l("yearly-report-list", _json_rows),
    "yearly-report-export": _l("yearly-report-export", _organisations),
    "area-list": _l("area-list", None),
    "scoring-scheme-list": _l("scoring-scheme-list", _json_rows),
    "assessment-list": _l("assessment-list", _json_rows),
    "rating-result-list": _l("rating-result-list", None, f"year={YEAR - 1}&group_by=commune_legacy"),
    "rating-result-export": _l("rating-result-export", _organisations, f"year={YEAR - 1}"),
    "satisfaction-survey-list": _l("satisfaction-survey-list", _json_rows),
    "plan-list": _l("plan-list", _json_rows),
    "agency-list": _l("agency-list", _json_rows),
    "task-assignment-list": _l("task-assignment-list", _json_rows),
    "reporting-period-list": _l("reporting-period-list", _json_rows),
    "progress-report-list": _l("progress-report-list", _json_rows),
    "calendar-item-list": _l("calendar-item-list", _json_rows),
    "calendar-item-export": _l("calendar-item-export", _agencies),
    "import-list": _l("import-list", _json_rows),
    "export-list": _l("export-list", _json_rows),
}

# Lists whose query count grows with the rows today: (endpoint, user) → why. Strict xfails. (The plan list
# left this list with decision 0044: its plans are evaluated together.)
GROWS: dict[tuple[str, str], str] = {}


@dataclass
class Measure:
    queries: int
    rows: int | None
    sql: list[str]


def _measure(client, world: World, endpoint: ListEndpoint) -> Measure:
    url = endpoint.url(world)
    client.get(url)  # the first request fills the caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    rows = endpoint.rows(world, response_text(response)) if endpoint.rows else None
    return Measure(len(captured), rows, [query["sql"] for query in captured.captured_queries])


@pytest.fixture(scope="module")
def measures(module_world, module_clients, django_db_blocker, _session_media):
    """{(endpoint, user): (with N rows, with about 3N rows)}; the growth stays for the rest of the module."""
    found: dict[tuple[str, str], list[Measure]] = {}
    with django_db_blocker.unblock():
        for name, endpoint in LISTS.items():
            for user in USERS:
                found[(name, user)] = [_measure(module_clients[user], module_world, endpoint)]
        grow_world(module_world, media_root=_session_media)
        for name, endpoint in LISTS.items():
            for user in USERS:
                found[(name, user)].append(_measure(module_clients[user], module_world, endpoint))
    return found


def _cases():
    for name in LISTS:
        for user in USERS:
            marks = []
            if (name, user) in GROWS:
                marks.append(pytest.mark.xfail(strict=True, reason=GROWS[(name, user)]))
            yield pytest.param(name, user, id=f"{name}-{user}", marks=marks)


def _shape(sql: str) -> str:
    """A statement without its literals, so that the same query for another row reads the same."""
    import re

    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)


def _new_queries(small: Measure, large: Measure) -> str:
    """The statements the larger answer runs more often, most repeated first."""
    from collections import Counter

    more = Counter(map(_shape, large.sql)) - Counter(map(_shape, small.sql))
    return "\n".join(f"  {count}× {sql[:300]}" for sql, count in more.most_common(5))


@pytest.mark.parametrize(("name", "user"), list(_cases()))
def test_query_count_does_not_grow_with_rows(measures, name, user):
    small, large = measures[(name, user)]
    if small.rows is not None:
        assert large.rows > small.rows, f"{name}: the rows did not grow ({small.rows} → {large.rows})"
    assert large.queries == small.queries, (
        f"{name} as {user}: {small.queries} queries for {small.rows} rows, {large.queries} for "
        f"{large.rows}; repeated:\n{_new_queries(small, large)}"
    )


def test_every_list_of_the_matrix_is_counted():
    """Every list and export of the access matrix (an endpoint whose rows depend on scope) is here."""
    from .test_access_matrix import ENDPOINTS

    listed = {name for name, endpoint in ENDPOINTS.items() if endpoint.marker and not endpoint.detail}
    missing = sorted(listed - set(LISTS))
    assert not missing, f"lists of the access matrix without a query count: {missing}"


def test_a_query_per_row_is_caught(module_world, module_clients, monkeypatch):
    """The measure sees a query per row: the organisation list with a table that reads a relation the
    selector does not join (the union) must count more queries when the rows grow."""
    from hoptac.registry.tables import OrganisationTable

    original = OrganisationTable.render_name if hasattr(OrganisationTable, "render_name") else None

    def render_name(self, value, record):
        record.__class__.objects.filter(pk=record.pk).exists()  # one query per row
        return original(self, value, record) if original else value

    monkeypatch.setattr(OrganisationTable, "render_name", render_name, raising=False)
    endpoint = LISTS["registry:organisation_list"]
    client = module_clients["province"]
    small = _measure(client, module_world, endpoint)
    from .world import _side

    for number in (1, 2):
        _side(
            f"Deltamatrix{number}",
            None,
            admin=module_world.users["admin"],
            today=module_world.today,
            obligation=module_world.obligation,
        )
    large = _measure(client, module_world, endpoint)
    assert large.queries >= small.queries + 2
