# ruff: noqa: F811  (the fixtures of test_views, imported)
"""Plan figures from a read replica (hoptac/core/replica.py, docs/decisions/0039): with the alias "replica" — here
a mirror of the test database, as the settings make it under test (TEST MIRROR) — the plan's evaluation runs on
the replica and nothing else does: the data-version read of the cache key and every write go to the primary, a
writing transaction reads its own writes on the primary, and a replica that is behind or does not answer is not
read (the primary computes the figure). Writes are committed (transaction=True): a replica sees only those."""

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.test.utils import CaptureQueriesContext

from hoptac.core import dataversion, replica
from hoptac.plans import selectors
from hoptac.registry.models import Organisation
from hoptac.registry.tests.factories import OrganisationFactory

from .test_plan_cache import evaluations, fresh, page_value  # noqa: F401 (fixtures)
from .test_views import DEC_2023, login, plan, registry, users  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, replica.REPLICA])


@pytest.fixture(autouse=True, scope="module")
def replica_defined(django_db_setup, django_db_blocker):
    """The alias "replica" as the settings define it under test when DATABASE_REPLICA_URL is set: a mirror of
    the test database (defined for this module's tests only)."""
    with django_db_blocker.unblock():
        primary = connections[DEFAULT_DB_ALIAS].settings_dict
    connections.settings[replica.REPLICA] = {**primary, "TEST": {**primary["TEST"], "MIRROR": "default"}}
    yield
    connections[replica.REPLICA].close()
    del connections[replica.REPLICA]
    del connections.settings[replica.REPLICA]


@pytest.fixture
def replica_alias(transactional_db, settings, monkeypatch):
    """The router, and a replica not marked down."""
    settings.DATABASE_ROUTERS = ["hoptac.core.replica.ReplicaRouter"]
    monkeypatch.setattr(replica, "_down_until", 0.0)
    return connections[replica.REPLICA]


class Queries:
    """The statements each database ran while the block ran."""

    def __enter__(self):
        self.primary = CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]).__enter__()
        self.replica = CaptureQueriesContext(connections[replica.REPLICA]).__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)

    @staticmethod
    def sql(context) -> list[str]:
        return [q["sql"] for q in context.captured_queries]

    def on_replica(self, table: str) -> bool:
        return any(table in sql for sql in self.sql(self.replica))

    def on_primary(self, table: str) -> bool:
        return any(table in sql for sql in self.sql(self.primary))


WRITES = ("INSERT", "UPDATE", "DELETE")


def test_the_evaluation_reads_the_replica_and_the_version_the_primary(
    client, plan, registry, users, replica_alias, evaluations
):
    login(client, users["province"])
    with Queries() as queries:
        assert page_value(client, plan, "2030.HTX") == "3" == fresh(plan, "2030.HTX")
    assert queries.on_replica("registry_organisation")  # the evaluation
    assert queries.on_primary("core_dataversion")  # the cache key's version
    assert not [s for s in queries.sql(queries.replica) if s.lstrip().upper().startswith(WRITES)]
    # A write goes to the primary; the next figure (a new version) is computed on the replica again.
    with Queries() as queries:
        OrganisationFactory(name="Hợp tác xã Mới", commune_legacy=registry["hai_minh"])
    assert queries.on_primary("INSERT INTO") and not queries.sql(queries.replica)
    with Queries() as queries:
        assert page_value(client, plan, "2030.HTX") == "4" == fresh(plan, "2030.HTX")
    assert queries.on_replica("registry_organisation")
    # Unchanged data: the figure comes from the cache, neither database evaluates it again.
    evaluated = len(evaluations)
    with Queries() as queries:
        assert page_value(client, plan, "2030.HTX") == "4"
    assert len(evaluations) == evaluated and not queries.sql(queries.replica)


def test_outside_a_figure_and_in_a_transaction_every_read_goes_to_the_primary(plan, registry, replica_alias):
    router = replica.ReplicaRouter()
    assert router.db_for_read(Organisation) == DEFAULT_DB_ALIAS
    with replica.reading():
        assert router.db_for_read(Organisation) == replica.REPLICA
        assert router.db_for_write(Organisation) == DEFAULT_DB_ALIAS
    assert router.allow_migrate(replica.REPLICA, "registry") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "registry") is None
    # An object read from the replica: reads of its relations outside a figure go to the primary.
    with replica.reading():
        organisation = Organisation.objects.unrestricted("test").get(pk=registry["a"].pk)
    assert organisation._state.db == replica.REPLICA
    with Queries() as queries:
        assert organisation.commune_legacy.name
    assert queries.sql(queries.primary) and not queries.sql(queries.replica)
    # A writing transaction reads its own writes, on the primary.
    with transaction.atomic(), Queries() as queries:
        OrganisationFactory(name="Hợp tác xã Mới", commune_legacy=registry["hai_minh"])
        results = selectors.plan_evaluate(plan=plan, as_of=DEC_2023)
    assert {r.target.code: r.value for r in results}["2030.HTX"] == 4
    assert not queries.sql(queries.replica)
    # Inside a transaction that has not written (yet), reads belong to it too: the primary.
    with transaction.atomic(), Queries() as queries:
        selectors.plan_evaluate(plan=plan, as_of=DEC_2023, with_series=False)
    assert not queries.sql(queries.replica)


def htx(results) -> int:
    return {r.target.code: r.value for r in results}["2030.HTX"]


def test_a_replica_behind_or_silent_is_not_read(plan, registry, replica_alias, monkeypatch):
    # Behind: it has not replayed the primary's position yet.
    with monkeypatch.context() as patch, Queries() as queries:
        patch.setattr(replica, "replayed", lambda position: False)
        assert htx(selectors.plan_evaluate(plan=plan, as_of=DEC_2023)) == 3
    assert not queries.on_replica("registry_organisation") and queries.on_primary("registry_organisation")

    # Its snapshot holds an older data version than the key's (not a standby of this primary, or the position
    # check was wrong): not used either.
    real = dataversion.current

    def behind(connection=None):
        value = real(connection)
        return value - 1 if connection is not None and connection.alias == replica.REPLICA else value

    with monkeypatch.context() as patch, Queries() as queries:
        patch.setattr(dataversion, "current", behind)
        assert htx(selectors.plan_evaluate(plan=plan, as_of=DEC_2023, with_series=False)) == 3
    assert queries.on_replica("core_dataversion") and not queries.on_replica("registry_organisation")

    # Silent: asked once, then left alone for DOWN_SECONDS while the primary computes.
    calls = []

    def down(position):
        calls.append(position)
        raise OperationalError("connection refused")

    monkeypatch.setattr(replica, "replayed", down)
    OrganisationFactory(name="Hợp tác xã Mới", commune_legacy=registry["hai_minh"])  # a new version: a miss
    assert htx(selectors.plan_evaluate(plan=plan, as_of=DEC_2023)) == 4
    assert len(calls) == 1 and not replica.available()
    OrganisationFactory(name="Hợp tác xã Mới 2", commune_legacy=registry["hai_minh"])
    assert htx(selectors.plan_evaluate(plan=plan, as_of=DEC_2023)) == 5
    assert len(calls) == 1  # not asked again while marked down
    monkeypatch.setattr(replica, "_down_until", 0.0)
    assert replica.available()


@pytest.mark.one_database("postgresql")
def test_the_primary_position_is_a_wal_position(replica_alias):
    position = replica.primary_position()
    assert position is not None and "/" in position
    # The test mirror is the primary itself, not a standby: nothing to wait for.
    assert replica.replayed(position) is True
