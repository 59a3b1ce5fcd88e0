# ruff: noqa: S608  (the clock's trigger SQL is generated from the models' own table and column names, quoted)
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
import json
import logging
import re
from collections.abc import Callable
from importlib.util import find_spec
from typing import Any, TypeVar

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, DatabaseError, OperationalError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models import Model, Q, QuerySet
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


def watched_models() -> list[type[Model]]:
    """Every model of the watched apps (auto-created tables included) but the derived ones: a model with
    `derived_figures = True` holds figures computed FROM the data (plans.PlanPoint), not data."""
    return [
        model
        for label in WATCHED_APPS
        if label in apps.app_configs
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if not getattr(model, "derived_figures", False)
    ]


def watched_tables() -> frozenset[str]:
    global _watched
    if _watched is None:
        _watched = frozenset(model._meta.db_table for model in watched_models())
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


# ----------------------------------------------------------------------------------------------------
# The per-year clock (docs/decisions/0050-durable-plan-points.md). A plan's point of year Y (its figures at a
# date of year Y) reads data of year Y and earlier only: the statuses in force on that date, the yearly data
# and ratings of the data year (figures averaged over several years read earlier years), the organisations
# founded in Y, the plans and the map. A write that may change a figure of a date in year X raises the row X
# of `core_yearversion` (a write that may change every year raises row FIRST_YEAR); the clock of year Y is
# the sum of the rows of years up to Y, so it moves with every write that may change a point of Y, and with
# nothing else. Database triggers raise it, in the writing transaction, whatever path wrote (a model's save
# or delete, bulk_create, QuerySet.update, a cascade, raw SQL, another process): statement-level triggers
# with transition tables on PostgreSQL (a bulk insert raises it once), row-level triggers on SQLite.
# Years outside FIRST_YEAR..LAST_YEAR are never trusted: a write from a year before FIRST_YEAR raises row
# FIRST_YEAR; a point of a year outside is computed, never stored.

FIRST_YEAR = 2000
LAST_YEAR = 2100

# Columns of registry_organisation the engine never reads (names, codes, contacts, notes, the denormalised
# current status, search keys, timestamps, the optimistic-concurrency version): editing them does not move
# the clock. Every other column (kind, sector, sub-sector, communes, founding date, and any column added
# later and not declared here) is watched.
ORGANISATION_DESCRIPTIVE_COLUMNS = frozenset(
    {
        "version",
        "name",
        "short_name",
        "registration_code",
        "tax_code",
        "registration_date",
        "registering_office",
        "address",
        "representative_name",
        "representative_title",
        "phone",
        "email",
        "website",
        "charter_capital",
        "union_id",
        "converted_from_id",
        "notes",
        "current_status",
        "name_folded",
        "name_sort",
        "created_at",
        "updated_at",
    }
)

# How a table's rows say the first year a write to them may change ("all": every year).
_YEAR_COLUMN = {"registry.YearlyReport": "year", "scoring.Assessment": "year"}
_STATUS_MODEL = "registry.StatusChange"
_ORGANISATION_MODEL = "registry.Organisation"


def clocked_models() -> list[type[Model]]:
    """The models whose tables carry the clock's triggers: every watched model but the history tables (the
    engine never reads them; a history row is written beside the row it records, which has its own)."""
    return [
        model
        for model in watched_models()
        if not any(field.name == "history_id" for field in model._meta.concrete_fields)
    ]


def _q(name: str) -> str:
    return f'"{name}"'


def _least(vendor: str, parts: list[str]) -> str:
    """The smallest non-NULL of `parts` (NULL when all are)."""
    if len(parts) == 1:
        return parts[0]
    if vendor == "postgresql":
        return f"LEAST({', '.join(parts)})"
    return "(SELECT min(v) FROM (" + " UNION ALL ".join(f"SELECT ({part}) AS v" for part in parts) + "))"


def _year_of(vendor: str, date_sql: str) -> str:
    if vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {date_sql}) AS integer)"
    return f"CAST(strftime('%Y', {date_sql}) AS INTEGER)"


def _row_year(vendor: str, model: type[Model], row: str) -> str:
    """The first year a row (alias `row`) counts in: SQL over that row."""
    label = model._meta.label
    if label in _YEAR_COLUMN:
        return f"{row}.{_q(_YEAR_COLUMN[label])}"
    if label == _STATUS_MODEL:
        return _least(
            vendor, [_year_of(vendor, f"{row}.{_q(c)}") for c in ("effective_from", "effective_to")]
        )
    if label == _ORGANISATION_MODEL:
        statuses = apps.get_model(_STATUS_MODEL)._meta.db_table
        first_status = _year_of(vendor, "min(s.effective_from)")
        return _least(
            vendor,
            [
                _year_of(vendor, f"{row}.{_q('founding_date')}"),
                f"(SELECT {first_status} FROM {_q(statuses)} s WHERE s.organisation_id = {row}.{_q('id')})",
            ],
        )
    return str(FIRST_YEAR)


def _differ(vendor: str, columns: list[str], old: str, new: str) -> str:
    operator = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    return "(" + " OR ".join(f"{old}.{_q(c)} {operator} {new}.{_q(c)}" for c in columns) + ")"


def _update_year(vendor: str, model: type[Model], old: str, new: str) -> str:
    """The first year an UPDATE of a row (old and new aliases) may change; NULL when it changes nothing the
    engine reads."""
    label = model._meta.label
    columns = [field.column for field in model._meta.concrete_fields]
    both = _least(vendor, [_row_year(vendor, model, old), _row_year(vendor, model, new)])
    if label == _ORGANISATION_MODEL:
        watched = [c for c in columns if c not in ORGANISATION_DESCRIPTIVE_COLUMNS]
        return f"CASE WHEN {_differ(vendor, watched, old, new)} THEN {both} END"
    if label == _STATUS_MODEL:
        # A period's bound moved (organisation and status unchanged): the days between the old and the new
        # bound change, from the earlier one (a NULL end is open: the other end's year).
        others = [c for c in columns if c not in ("effective_from", "effective_to")]
        bounds = [
            f"CASE WHEN {_differ(vendor, [c], old, new)} THEN "
            + _least(vendor, [_year_of(vendor, f"{old}.{_q(c)}"), _year_of(vendor, f"{new}.{_q(c)}")])
            + " END"
            for c in ("effective_from", "effective_to")
        ]
        return f"CASE WHEN {_differ(vendor, others, old, new)} THEN {both} ELSE {_least(vendor, bounds)} END"
    return both


def _pg_function(model: type[Model]) -> str:
    table = model._meta.db_table
    pk = _q(model._meta.pk.column)
    insert = f"SELECT min({_row_year('postgresql', model, 'n')}) FROM hoptac_new n"
    delete = f"SELECT min({_row_year('postgresql', model, 'o')}) FROM hoptac_old o"
    if model._meta.label in (_ORGANISATION_MODEL, _STATUS_MODEL):
        # Row by row (old and new joined by primary key; a row whose key changed is compared with nothing).
        update = (
            f"SELECT min(CASE WHEN n.{pk} IS NULL THEN {_row_year('postgresql', model, 'o')} "
            f"WHEN o.{pk} IS NULL THEN {_row_year('postgresql', model, 'n')} "
            f"ELSE {_update_year('postgresql', model, 'o', 'n')} END) "
            f"FROM hoptac_new n FULL JOIN hoptac_old o ON o.{pk} = n.{pk}"
        )
    else:
        update = (
            f"SELECT min(y) FROM (SELECT {_row_year('postgresql', model, 'n')} FROM hoptac_new n "
            f"UNION ALL SELECT {_row_year('postgresql', model, 'o')} FROM hoptac_old o) AS t(y)"
        )
    return (
        f"CREATE OR REPLACE FUNCTION hoptac_clock_{table}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN\n"
        f"  IF TG_OP = 'INSERT' THEN PERFORM hoptac_clock_raise(({insert}));\n"
        f"  ELSIF TG_OP = 'DELETE' THEN PERFORM hoptac_clock_raise(({delete}));\n"
        f"  ELSIF TG_OP = 'UPDATE' THEN PERFORM hoptac_clock_raise(({update}));\n"
        f"  ELSE PERFORM hoptac_clock_raise({FIRST_YEAR});\n"
        "  END IF;\n"
        "  RETURN NULL;\n"
        "END $$"
    )


def _pg_sql() -> list[str]:
    statements = [
        # Raises row max(x, FIRST_YEAR) (nothing for NULL: no row written; nor after LAST_YEAR). It first
        # takes the data version's row lock, which every watched write takes anyway (`bump`), so writers
        # always lock the counters in the same order: the clock adds no deadlock.
        "CREATE OR REPLACE FUNCTION hoptac_clock_raise(x integer) RETURNS void LANGUAGE plpgsql AS $$\n"
        "BEGIN\n"
        f"  IF x IS NULL OR x > {LAST_YEAR} THEN RETURN; END IF;\n"
        "  PERFORM 1 FROM core_dataversion WHERE id = 1 FOR UPDATE;\n"
        f"  INSERT INTO core_yearversion (year, value) VALUES (GREATEST(x, {FIRST_YEAR}), 1)\n"
        "    ON CONFLICT (year) DO UPDATE SET value = core_yearversion.value + 1;\n"
        "END $$"
    ]
    for model in clocked_models():
        table = _q(model._meta.db_table)
        function = f"hoptac_clock_{model._meta.db_table}()"
        statements.append(_pg_function(model))
        statements += [
            f"CREATE TRIGGER hoptac_clock_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS hoptac_new "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}",
            f"CREATE TRIGGER hoptac_clock_update AFTER UPDATE ON {table} "
            f"REFERENCING OLD TABLE AS hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION {function}",
            f"CREATE TRIGGER hoptac_clock_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS hoptac_old "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}",
            f"CREATE TRIGGER hoptac_clock_truncate AFTER TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {function}",
        ]
    return statements


def _sqlite_raise(year_sql: str) -> str:
    return (
        f"INSERT INTO core_yearversion (year, value) SELECT max(y, {FIRST_YEAR}), 1 FROM (SELECT ({year_sql}) AS y) "
        f"WHERE y IS NOT NULL AND y <= {LAST_YEAR} ON CONFLICT (year) DO UPDATE SET value = value + 1;"
    )


def _sqlite_sql() -> list[str]:
    statements = []
    for model in clocked_models():
        table = model._meta.db_table
        name = f"hoptac_clock_{table}"
        events = {
            "insert": _row_year("sqlite", model, "NEW"),
            "update": _update_year("sqlite", model, "OLD", "NEW"),
            "delete": _row_year("sqlite", model, "OLD"),
        }
        for event, year_sql in events.items():
            statements.append(
                f"CREATE TRIGGER {name}_{event} AFTER {event.upper()} ON {_q(table)} FOR EACH ROW BEGIN "
                f"{_sqlite_raise(year_sql)} END"
            )
    return statements


def clock_sql(vendor: str) -> list[str]:
    """The statements creating the clock's triggers on every clocked table, generated from the current
    models (a test asserts the migrations hold exactly these): for "postgresql" or "sqlite"."""
    return _pg_sql() if vendor == "postgresql" else _sqlite_sql()


def clock_drop_sql(vendor: str, tables: list[str]) -> list[str]:
    """The statements removing the clock's triggers of `tables` (a migration replacing them)."""
    if vendor == "postgresql":
        return [f"DROP FUNCTION IF EXISTS hoptac_clock_{table}() CASCADE" for table in tables]
    return [
        f"DROP TRIGGER IF EXISTS hoptac_clock_{table}_{event}"
        for table in tables
        for event in ("insert", "update", "delete")
    ]


def year_clocks(connection: BaseDatabaseWrapper | None = None) -> dict[int, int]:
    """{year: the clock of that year} for FIRST_YEAR..LAST_YEAR, in one query: the sum of the rows up to it."""
    connection = connection or connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT year, value FROM core_yearversion")
        raised = dict(cursor.fetchall())
    clocks: dict[int, int] = {}
    total = 0
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        total += int(raised.get(year, 0))
        clocks[year] = total
    return clocks


# ----------------------------------------------------------------------------------------------------
# Durable figures (docs/decisions/0053-durable-yearly-counts.md): a figure that reads data of years up to Y
# only, kept in `core_durablefigure` with the clock of Y read before computing it and the fingerprint of the
# code that defines it, so an emptied cache or a write of a later year reads it instead of computing it. The
# same rules as the plan points (hoptac/plans/points.py, decision 0050), which share `engine_fingerprint`.

_fingerprints: dict[tuple[str, ...], str] = {}


def engine_fingerprint(modules: tuple[str, ...]) -> str:
    """A SHA-256 of the source of `modules` (found without importing them; computed once per process): a
    deploy that changes any of them never reads figures the former code computed."""
    if modules not in _fingerprints:
        digest = hashlib.sha256()
        for name in modules:
            spec = find_spec(name)
            assert spec is not None and spec.origin is not None, name
            with open(spec.origin, "rb") as source:
                digest.update(name.encode() + b"\0" + source.read() + b"\0")
        _fingerprints[modules] = digest.hexdigest()
    return _fingerprints[modules]


def durable(name: str, parts: tuple, year: int, compute: Callable[[], T], modules: tuple[str, ...]) -> T:
    """`cached(name, parts, compute)` whose computation is kept in `core_durablefigure`: a figure that reads
    only data a write raising the clock of `year` may change (the caller proves it, decision 0053). On a cache
    miss the stored figure is read (one query, plus the clocks') when its clock equals the current clock of
    `year` and its engine the fingerprint of `modules` (the source files that define the figure, this one
    included); otherwise it is computed and stored on the primary with the clock read BEFORE computing (a
    write committed meanwhile leaves it stale, never wrong). Inside a transaction with uncommitted watched
    writes, or for a year outside FIRST_YEAR..LAST_YEAR, it is computed and neither read nor stored. On the
    read replica (`cached`'s replica path) the clock and the row are read in the replica's snapshot."""
    modules = (*modules, __name__)
    return cached(name, parts, lambda: _durable(name, parts, year, compute, modules))


def _durable(name: str, parts: tuple, year: int, compute: Callable[[], T], modules: tuple[str, ...]) -> T:
    from .models import DurableFigure

    if not FIRST_YEAR <= year <= LAST_YEAR or has_uncommitted_writes(connections[DEFAULT_DB_ALIAS]):
        return compute()
    alias = replica.REPLICA if replica.active() else DEFAULT_DB_ALIAS
    clock = year_clocks(connections[alias])[year]
    digest = _digest(parts)
    engine = engine_fingerprint(modules)
    stored = (
        DurableFigure.objects.using(alias)
        .filter(name=name, digest=digest, clock=clock, engine=engine)
        .values_list("value", flat=True)
        .first()
    )
    if stored is not None:
        return json.loads(stored)
    value = compute()
    if has_uncommitted_writes(connections[DEFAULT_DB_ALIAS]):  # the computation wrote: not stored
        return value
    row = DurableFigure(
        name=name,
        digest=digest,
        year=year,
        clock=clock,
        engine=engine,
        value=json.dumps(value, sort_keys=True),
    )
    try:
        with transaction.atomic(using=DEFAULT_DB_ALIAS):
            # The rows of this name and year stored at an earlier clock, or by another engine, can never be
            # read again (a year's clock only rises; a deploy changes the fingerprint): removed, so the table
            # holds about one row per figure and reader, not one per write (a figure of today's date, such as
            # a breakdown, would otherwise leave a row per day and per write).
            DurableFigure.objects.using(DEFAULT_DB_ALIAS).filter(name=name, year=year).filter(
                Q(clock__lt=clock) | ~Q(engine=engine)
            ).delete()
            DurableFigure.objects.using(DEFAULT_DB_ALIAS).bulk_create(
                [row],
                update_conflicts=True,
                unique_fields=["name", "digest"],
                update_fields=["year", "clock", "engine", "value"],
            )
    except DatabaseError as error:
        logger.warning("A durable figure could not be stored (%s): it is computed again next time", error)
    return value
