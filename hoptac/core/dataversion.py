"""The data version and the caches keyed by it (docs/decisions/0028-data-version-caching.md).

Plan figures (every target of a plan, its yearly series, the /plans/ summary) are registry-wide aggregates
that take hundreds of milliseconds on a large registry, and read only the data of a few apps: the registry,
the areas, the plans and the scoring. `DataVersion` is one counter row that every write to a table of those
apps raises, whatever path wrote it — a model's save or delete, `bulk_create`, `QuerySet.update`, an import,
a raw statement: a database execute wrapper (installed on every connection) sees each INSERT, UPDATE and
DELETE and raises the counter in the same transaction. So:

- the new version becomes visible exactly when the data does (same commit), to every process of every
  machine serving the database; a cache entry is keyed by the version it was computed at, so a figure read
  from the cache is the one a fresh computation gives now (stale entries are never read again and expire);
- the counter is raised once per transaction (a marker among the transaction's on-commit callbacks, dropped
  by Django with the transaction or savepoint if it is rolled back); inside a transaction that has written,
  `cached` computes afresh (the transaction sees its own writes, the version does not yet say so).

The cache is Django's default cache (per process unless DJANGO_CACHE_URL names a shared one): the version,
not the cache, is what processes share. With a read replica (hoptac/core/replica.py) a missing figure is
computed there once the replica has caught up with the primary (docs/decisions/0039).
"""

import hashlib
import logging
import re
from collections.abc import Callable
from typing import Any, TypeVar

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models import QuerySet
from django.db.models.signals import post_migrate, pre_migrate
from django.utils import translation

from . import replica

T = TypeVar("T")
K = TypeVar("K")
logger = logging.getLogger(__name__)

# The apps whose data plan figures read (organisations and yearly data, units and successions, plans,
# targets, reference values and assessments, ratings).
WATCHED_APPS = ("registry", "areas", "plans", "scoring")
CACHE_SECONDS = 6 * 3600
_WRITE = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+["`]?(\w+)', re.IGNORECASE)

_watched: frozenset[str] | None = None
_paused = False  # while `migrate` runs (the counter's table may not exist yet)


def watched_tables() -> frozenset[str]:
    global _watched
    if _watched is None:
        _watched = frozenset(
            model._meta.db_table
            for label in WATCHED_APPS
            if label in apps.app_configs
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
        )
    return _watched


def written_table(sql: Any) -> str | None:
    """The table an INSERT, UPDATE or DELETE statement writes, if it is watched."""
    if not isinstance(sql, str):
        return None
    match = _WRITE.match(sql)
    if match is None:
        return None
    table = match.group(1)
    return table if table in watched_tables() else None


def _mark() -> None:
    """The on-commit marker of a transaction that raised the version (does nothing once committed)."""


def has_uncommitted_writes(connection: BaseDatabaseWrapper) -> bool:
    """Whether the current transaction has written watched data (and so raised the version unseen)."""
    return connection.in_atomic_block and any(entry[1] is _mark for entry in connection.run_on_commit)


def bump(connection: BaseDatabaseWrapper | None = None) -> None:
    """Raise the version in the current transaction (once per transaction)."""
    connection = connection or connections[DEFAULT_DB_ALIAS]
    if has_uncommitted_writes(connection):
        return
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_dataversion SET value = value + 1 WHERE id = 1")
        if cursor.rowcount == 0:  # a database made without migrations (tests' --no-migrations)
            cursor.execute("INSERT INTO core_dataversion (id, value) VALUES (1, 1)")
    if connection.in_atomic_block:
        connection.on_commit(_mark)


def current(connection: BaseDatabaseWrapper | None = None) -> int:
    connection = connection or connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM core_dataversion WHERE id = 1")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if not _paused and written_table(sql):
        bump(context["connection"])
    return result


def _install(sender, connection: BaseDatabaseWrapper, **kwargs) -> None:
    # First in the list: `connection.execute_wrapper()` blocks pop the last one on leaving.
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch)


def _pause(**kwargs) -> None:
    global _paused
    _paused = True


def _resume(**kwargs) -> None:
    global _paused
    _paused = False


def connect() -> None:
    """Called once from CoreConfig.ready: every connection (present and future) watches its writes."""
    connection_created.connect(_install, dispatch_uid="hoptac.core.dataversion")
    pre_migrate.connect(_pause, dispatch_uid="hoptac.core.dataversion.pause")
    post_migrate.connect(_resume, dispatch_uid="hoptac.core.dataversion.resume")
    for connection in connections.all(initialized_only=True):
        _install(None, connection)


def cached(name: str, parts: tuple, compute: Callable[[], T]) -> T:
    """`compute()`, from the cache if it was computed at the current data version with the same `parts`
    (and language); computed afresh (and not stored) inside a transaction that has written watched data.
    With a read replica (hoptac.core.replica) a missing figure is computed there when the replica has caught
    up, in one snapshot, and stored under the version that snapshot holds."""
    connection = connections[DEFAULT_DB_ALIAS]
    if has_uncommitted_writes(connection):
        return compute()
    digest = _digest(parts)
    # Inside another figure's computation on the replica the data are that snapshot's.
    version = current(connections[replica.REPLICA] if replica.active() else connection)
    value = cache.get(_key(name, version, digest))
    if value is not None:
        return value
    if replica.available() and not replica.active() and not connection.in_atomic_block:
        computed = _compute_on_replica(version, compute)
        if computed is not None:
            seen, value = computed
            cache.set(_key(name, seen, digest), value, CACHE_SECONDS)
            return value
    value = compute()
    cache.set(_key(name, version, digest), value, CACHE_SECONDS)
    return value


def cached_many(name: str, parts: dict[K, tuple], compute: Callable[[list[K]], dict[K, T]]) -> dict[K, T]:
    """`cached` for several items computed together (the plans of the desk and of /plans/, decision 0044):
    {item: value}, each item's entry the very one `cached(name, parts[item], ...)` reads and writes (so a
    value stored by either is found by the other); the items missing at the current version are computed by
    ONE call `compute(missing items)`, which returns {item: value} — on the read replica when it has caught
    up, as `cached` does."""
    connection = connections[DEFAULT_DB_ALIAS]
    if has_uncommitted_writes(connection):
        return compute(list(parts))
    digests = {item: _digest(item_parts) for item, item_parts in parts.items()}
    version = current(connections[replica.REPLICA] if replica.active() else connection)
    keys = {item: _key(name, version, digest) for item, digest in digests.items()}
    found = cache.get_many(list(keys.values()))
    values = {item: found[key] for item, key in keys.items() if found.get(key) is not None}
    missing = [item for item in parts if item not in values]
    if missing:
        seen = version
        computed = None
        if replica.available() and not replica.active() and not connection.in_atomic_block:
            computed = _compute_on_replica(version, lambda: compute(missing))
        if computed is not None:
            seen, fresh = computed
        else:
            fresh = compute(missing)
        cache.set_many({_key(name, seen, digests[item]): fresh[item] for item in missing}, CACHE_SECONDS)
        values.update(fresh)
    return {item: values[item] for item in parts}


def _digest(parts: tuple) -> str:
    return hashlib.sha256(repr((parts, translation.get_language())).encode()).hexdigest()[:32]


def cached_query(name: str, queryset: QuerySet, compute: Callable[[], T]) -> T:
    """`cached`, keyed by the query the figure reads — its SQL and parameters, so the user's scope and filters
    are in the key: `compute()` reads `queryset` (its count, an aggregate, its rows)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # nothing can match: no query to cache
        return compute()
    return cached(name, (sql, tuple(map(repr, params))), compute)


def _key(name: str, version: int, digest: str) -> str:
    return f"hoptac:{name}:{version}:{digest}"


def _compute_on_replica(version: int, compute: Callable[[], T]) -> tuple[int, T] | None:
    """(the version of the replica's snapshot, `compute()` run in it), or None when the replica has not yet
    replayed what the primary holds now (or does not answer): the caller computes on the primary."""
    position = replica.primary_position()
    try:
        if not replica.replayed(position):
            return None
    except OperationalError as error:
        replica.mark_down(error)
        return None
    try:
        with transaction.atomic(using=replica.REPLICA):
            seen = current(connections[replica.REPLICA])
            if seen < version:  # only possible when the replica is not a standby of this primary
                return None
            with replica.reading():
                return seen, compute()
    except OperationalError as error:  # e.g. a query cancelled by a conflict with the standby's recovery
        logger.warning(
            "A figure could not be computed on the read replica (%s): the primary computes it", error
        )
        return None
