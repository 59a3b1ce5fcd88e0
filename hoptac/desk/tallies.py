# ruff: noqa: S608  (the tallies' trigger SQL is generated from the models' own table and column names, quoted)
"""Tallies of the review items waiting, kept exact by database triggers (docs/decisions/0055-review-tallies.md).

The menu of every officer's page shows what waits for review: submitted yearly data, ratings at an
officer's step. Counting them in the user's scope is an aggregate over every pending row joined to the
organisations (to read their communes); cached by data version, it is computed again after every write. So
`desk_reviewtally` (`ReviewTally`) holds, per cell — kind (yearly data or rating), state, year and the pair of
communes of the item's organisation (`commune_legacy`, `commune_current`: the communes `Organisation.scope`
reaches an organisation by) — how many items there are. Triggers keep it exact in the writing transaction,
whatever path wrote (a model's save or delete, `bulk_create`, `QuerySet.update`, raw SQL, a cascade, COPY):

- on the items' tables (`registry_yearlyreport`, `scoring_assessment`): an insert adds to its cell, a delete
  takes away, an update of state, year or organisation moves the item;
- on `registry_organisation`: an insert adds its items (a restore may insert them first), a delete takes them
  away, a change of either commune (or of its id) moves them to the other cell.

The invariant: a cell's `n` is the number of items of its kind, state and year whose organisation EXISTS and
lies in its communes — what `rebuild_sql()` counts. An item whose organisation is missing (a flush or a restore
deleting the organisations first, with the foreign keys' checks deferred) is in no cell; its organisation's
delete took it away, its organisation's insert puts it back. Decrements are UPDATEs only, never inserts (a test
flush empties the tables in any order, the tally among them). PostgreSQL: statement-level triggers with
transition tables (a bulk write adjusts each cell once); a TRUNCATE of a tallied table rebuilds the whole
tally. SQLite: row-level triggers. Only the states the queues read are tallied (`TALLIED`).

The SQL is generated here from the models (`tally_sql`, `rebuild_sql`) and frozen in the desk's migrations; a
test asserts they are equal. The reading side is `waiting()`, the queues' one way to the tally.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count, Min, Model, Q, QuerySet, Sum

from hoptac.core.scoping import Reach, scope_of
from hoptac.registry.models import YearlyReportState
from hoptac.scoring.choices import REVIEW_EDIT_STATES

from .models import ReviewTally, TallyKind


@dataclass(frozen=True)
class Tallied:
    """One kind of review item: its model and the states tallied."""

    model: str
    states: tuple[str, ...]


# The review items tallied and the states the queues read: submitted yearly data; ratings at an officer's step.
TALLIED: dict[str, Tallied] = {
    TallyKind.YEARLY: Tallied("registry.YearlyReport", (str(YearlyReportState.SUBMITTED),)),
    TallyKind.RATING: Tallied("scoring.Assessment", tuple(str(state) for state in REVIEW_EDIT_STATES)),
}
ORGANISATION_MODEL = "registry.Organisation"
# The name of the reach's id set of communes (hoptac.accounts.roles.organisation_reach) and the organisation's
# fields it reaches them by (Organisation.scope's lookups): the cells' columns.
COMMUNES = "communes"


def _organisation() -> type[Model]:
    return apps.get_model(ORGANISATION_MODEL)


def _column(name: str) -> str:
    """The column of the organisation's field `name`."""
    column = getattr(_organisation()._meta.get_field(name), "column", None)
    assert isinstance(column, str), name
    return column


def cell_fields() -> tuple[str, ...]:
    """The organisation's commune fields the scope reaches it by ("commune_legacy", "commune_current"): the
    tally's cell columns bear the same names and hold their ids (0 for none)."""
    return scope_of(_organisation()).lookups[COMMUNES]


def _q(name: str) -> str:
    return f'"{name}"'


def _tally_table() -> str:
    return _q(ReviewTally._meta.db_table)


def _states(kind: str) -> str:
    return "(" + ", ".join(f"'{state}'" for state in TALLIED[kind].states) + ")"


def _item_table(kind: str) -> str:
    return apps.get_model(TALLIED[kind].model)._meta.db_table


def _commune_columns(row: str) -> list[str]:
    """The cell's communes of an organisation row (alias `row`): its commune ids, 0 for none."""
    return [f"COALESCE({row}.{_q(_column(f))}, 0)" for f in cell_fields()]


def _cell() -> str:
    return ", ".join(_q(c) for c in ("kind", "state", "year", *cell_fields()))


def rebuild_sql() -> list[str]:
    """The statements filling the tally from the data (the migration, a TRUNCATE, `rebuild`)."""
    organisation = _q(_organisation()._meta.db_table)
    statements = [f"DELETE FROM {_tally_table()}"]
    for kind in TALLIED:
        communes = ", ".join(_commune_columns("o"))
        statements.append(
            f"INSERT INTO {_tally_table()} ({_cell()}, {_q('n')}) "
            f"SELECT '{kind}', i.{_q('state')}, i.{_q('year')}, {communes}, count(*) "
            f"FROM {_q(_item_table(kind))} i JOIN {organisation} o ON o.{_q('id')} = i.{_q('organisation_id')} "
            f"WHERE i.{_q('state')} IN {_states(kind)} "
            f"GROUP BY i.{_q('state')}, i.{_q('year')}, {communes}"
        )
    return statements


# ----------------------------------------------------------------------------------------------------
# PostgreSQL: statement-level triggers. `changes` is SQL giving (kind, state, year, <communes>, d) rows of
# signed changes; they are summed per cell, the negative sums taken away (UPDATE only), the positive ones added.


def _pg_apply(changes: str) -> str:
    communes = cell_fields()
    match = " AND ".join(f"t.{_q(c)} = d.{_q(c)}" for c in ("kind", "state", "year", *communes))
    columns = ", ".join(f"d.{_q(c)}" for c in ("kind", "state", "year", *communes))
    return (
        f"WITH d AS (SELECT {_cell()}, sum(c.d) AS n FROM ({changes}) AS c({_cell()}, d) GROUP BY {_cell()}), "
        f"fewer AS (UPDATE {_tally_table()} t SET n = t.n + d.n FROM d WHERE d.n < 0 AND {match}) "
        f"INSERT INTO {_tally_table()} AS t ({_cell()}, n) SELECT {columns}, d.n FROM d WHERE d.n > 0 "
        f"ON CONFLICT ({_cell()}) DO UPDATE SET n = t.n + EXCLUDED.n"
    )


def _pg_lock() -> str:
    # The data version's row lock, which every watched write takes anyway (hoptac.core.dataversion.bump) and
    # the year clock's triggers take first: writers lock the counters in one order, the tally adds no deadlock.
    return "PERFORM 1 FROM core_dataversion WHERE id = 1 FOR UPDATE;"


def _pg_item_changes(kind: str, rows: list[tuple[str, int]]) -> str:
    """Signed changes of items of `kind`: `rows` are (SQL of item rows aliased i, sign), each placed in the cell of
    its organisation as it is now."""
    organisation = _q(_organisation()._meta.db_table)
    communes = ", ".join(_commune_columns("o"))
    parts = [
        f"SELECT i.{_q('state')}, i.{_q('year')}, i.{_q('organisation_id')}, {sign} FROM {source}"
        for source, sign in rows
    ]
    return (
        f"SELECT '{kind}', r.state, r.year, {communes}, r.d FROM ({' UNION ALL '.join(parts)}) AS r(state, year, "
        f"organisation_id, d) JOIN {organisation} o ON o.{_q('id')} = r.organisation_id"
    )


def _pg_item_function(kind: str) -> str:
    table = _item_table(kind)
    states = _states(kind)
    same = " AND ".join(f"x.{_q(c)} = i.{_q(c)}" for c in ("id", "state", "year", "organisation_id"))
    inserted = f"hoptac_new i WHERE i.{_q('state')} IN {states}"
    deleted = f"hoptac_old i WHERE i.{_q('state')} IN {states}"
    # An update moves the rows whose state, year or organisation changed (or whose id did): each such old row
    # leaves its cell, each such new row enters its own; the rows that kept all four cancel out unread.
    left = f"{deleted} AND NOT EXISTS (SELECT 1 FROM hoptac_new x WHERE {same})"
    entered = f"{inserted} AND NOT EXISTS (SELECT 1 FROM hoptac_old x WHERE {same})"
    insert = _pg_apply(_pg_item_changes(kind, [(inserted, 1)]))
    delete = _pg_apply(_pg_item_changes(kind, [(deleted, -1)]))
    update = _pg_apply(_pg_item_changes(kind, [(left, -1), (entered, 1)]))
    return (
        f"CREATE OR REPLACE FUNCTION hoptac_tally_{table}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN\n"
        f"  {_pg_lock()}\n"
        f"  IF TG_OP = 'INSERT' THEN {insert};\n"
        f"  ELSIF TG_OP = 'DELETE' THEN {delete};\n"
        f"  ELSIF TG_OP = 'UPDATE' THEN {update};\n"
        "  ELSE PERFORM hoptac_tally_rebuild();\n"
        "  END IF;\n"
        "  RETURN NULL;\n"
        "END $$"
    )


def _pg_organisation_changes(kind: str, rows: list[tuple[str, int]]) -> str:
    """Signed changes of the items of `kind` of organisations: `rows` are (SQL of organisation rows aliased o,
    sign); each organisation's items of the tallied states, in the cell of that organisation row."""
    item = _q(_item_table(kind))
    parts = [
        f"SELECT o.{_q('id')}, {', '.join(_commune_columns('o'))}, {sign} FROM {source}"
        for source, sign in rows
    ]
    communes = ", ".join(f"r.{_q(c)}" for c in cell_fields())
    return (
        f"SELECT '{kind}', i.{_q('state')}, i.{_q('year')}, {communes}, r.d FROM ({' UNION ALL '.join(parts)}) "
        f"AS r(id, {', '.join(_q(c) for c in cell_fields())}, d) JOIN {item} i ON i.{_q('organisation_id')} = r.id "
        f"WHERE i.{_q('state')} IN {_states(kind)}"
    )


def _pg_organisation_function() -> str:
    organisation = _organisation()
    table = organisation._meta.db_table
    same = " AND ".join(
        [f"x.{_q('id')} = o.{_q('id')}"]
        + [f"x.{_q(_column(f))} IS NOT DISTINCT FROM o.{_q(_column(f))}" for f in cell_fields()]
    )
    # An update moves the items of the organisations whose communes (or id) changed, from the old cell to the new.
    left = f"hoptac_old o WHERE NOT EXISTS (SELECT 1 FROM hoptac_new x WHERE {same})"
    entered = f"hoptac_new o WHERE NOT EXISTS (SELECT 1 FROM hoptac_old x WHERE {same})"
    branches = {
        "INSERT": [("hoptac_new o", 1)],
        "DELETE": [("hoptac_old o", -1)],
        "UPDATE": [(left, -1), (entered, 1)],
    }
    body = []
    for index, (operation, rows) in enumerate(branches.items()):
        statements = " ".join(_pg_apply(_pg_organisation_changes(kind, rows)) + ";" for kind in TALLIED)
        body.append(f"  {'IF' if index == 0 else 'ELSIF'} TG_OP = '{operation}' THEN {statements}")
    return (
        f"CREATE OR REPLACE FUNCTION hoptac_tally_{table}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN\n"
        f"  {_pg_lock()}\n" + "\n".join(body) + "\n"
        "  ELSE PERFORM hoptac_tally_rebuild();\n"
        "  END IF;\n"
        "  RETURN NULL;\n"
        "END $$"
    )


def tallied_tables() -> list[str]:
    """The tables carrying the tally's triggers: the organisations' and the items'."""
    return [_organisation()._meta.db_table, *(_item_table(kind) for kind in TALLIED)]


def _pg_sql() -> list[str]:
    statements = [
        "CREATE OR REPLACE FUNCTION hoptac_tally_rebuild() RETURNS void LANGUAGE plpgsql AS $$\n"
        "BEGIN\n" + "".join(f"  {statement};\n" for statement in rebuild_sql()) + "END $$",
        _pg_organisation_function(),
        *(_pg_item_function(kind) for kind in TALLIED),
    ]
    for table in tallied_tables():
        function = f"hoptac_tally_{table}()"
        statements += [
            f"CREATE TRIGGER hoptac_tally_insert AFTER INSERT ON {_q(table)} REFERENCING NEW TABLE AS hoptac_new "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}",
            f"CREATE TRIGGER hoptac_tally_update AFTER UPDATE ON {_q(table)} "
            f"REFERENCING OLD TABLE AS hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION {function}",
            f"CREATE TRIGGER hoptac_tally_delete AFTER DELETE ON {_q(table)} REFERENCING OLD TABLE AS hoptac_old "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}",
            f"CREATE TRIGGER hoptac_tally_truncate AFTER TRUNCATE ON {_q(table)} FOR EACH STATEMENT EXECUTE FUNCTION {function}",
        ]
    return statements


# ----------------------------------------------------------------------------------------------------
# SQLite: row-level triggers.


def _sqlite_add_item(kind: str, row: str) -> str:
    organisation = _q(_organisation()._meta.db_table)
    return (
        f"INSERT INTO {_tally_table()} ({_cell()}, n) SELECT '{kind}', {row}.{_q('state')}, {row}.{_q('year')}, "
        f"{', '.join(_commune_columns('o'))}, 1 FROM {organisation} o WHERE o.{_q('id')} = {row}.{_q('organisation_id')} "
        f"AND {row}.{_q('state')} IN {_states(kind)} ON CONFLICT ({_cell()}) DO UPDATE SET n = n + excluded.n;"
    )


def _sqlite_take_item(kind: str, row: str) -> str:
    organisation = _q(_organisation()._meta.db_table)
    return (
        f"UPDATE {_tally_table()} SET n = n - 1 WHERE {row}.{_q('state')} IN {_states(kind)} AND kind = '{kind}' "
        f"AND state = {row}.{_q('state')} AND year = {row}.{_q('year')} "
        f"AND ({', '.join(_q(c) for c in cell_fields())}) = (SELECT {', '.join(_commune_columns('o'))} "
        f"FROM {organisation} o WHERE o.{_q('id')} = {row}.{_q('organisation_id')});"
    )


def _sqlite_add_organisation(kind: str, row: str) -> str:
    item = _q(_item_table(kind))
    return (
        f"INSERT INTO {_tally_table()} ({_cell()}, n) SELECT '{kind}', i.{_q('state')}, i.{_q('year')}, "
        f"{', '.join(_commune_columns(row))}, count(*) FROM {item} i WHERE i.{_q('organisation_id')} = {row}.{_q('id')} "
        f"AND i.{_q('state')} IN {_states(kind)} GROUP BY i.{_q('state')}, i.{_q('year')} "
        f"ON CONFLICT ({_cell()}) DO UPDATE SET n = n + excluded.n;"
    )


def _sqlite_take_organisation(kind: str, row: str) -> str:
    item = _q(_item_table(kind))
    table = _tally_table()
    cell = " AND ".join(
        f"{_q(column)} = {value}" for column, value in zip(cell_fields(), _commune_columns(row), strict=True)
    )
    return (
        f"UPDATE {table} SET n = n - (SELECT count(*) FROM {item} i WHERE i.{_q('organisation_id')} = {row}.{_q('id')} "
        f"AND i.{_q('state')} = {table}.state AND i.{_q('year')} = {table}.year) WHERE kind = '{kind}' AND {cell};"
    )


def _sqlite_sql() -> list[str]:
    statements = []
    for kind in TALLIED:
        table = _item_table(kind)
        name = f"hoptac_tally_{table}"
        states = _states(kind)
        moved = " OR ".join(f"OLD.{_q(c)} IS NOT NEW.{_q(c)}" for c in ("state", "year", "organisation_id"))
        statements += [
            f"CREATE TRIGGER {name}_insert AFTER INSERT ON {_q(table)} FOR EACH ROW "
            f"WHEN NEW.{_q('state')} IN {states} BEGIN {_sqlite_add_item(kind, 'NEW')} END",
            f"CREATE TRIGGER {name}_update AFTER UPDATE ON {_q(table)} FOR EACH ROW "
            f"WHEN (OLD.{_q('state')} IN {states} OR NEW.{_q('state')} IN {states}) AND ({moved}) "
            f"BEGIN {_sqlite_take_item(kind, 'OLD')} {_sqlite_add_item(kind, 'NEW')} END",
            f"CREATE TRIGGER {name}_delete AFTER DELETE ON {_q(table)} FOR EACH ROW "
            f"WHEN OLD.{_q('state')} IN {states} BEGIN {_sqlite_take_item(kind, 'OLD')} END",
        ]
    organisation = _organisation()
    table = organisation._meta.db_table
    name = f"hoptac_tally_{table}"
    moved = " OR ".join(
        f"OLD.{_q(c)} IS NOT NEW.{_q(c)}" for c in ("id", *(_column(f) for f in cell_fields()))
    )
    add = " ".join(_sqlite_add_organisation(kind, "NEW") for kind in TALLIED)
    take = " ".join(_sqlite_take_organisation(kind, "OLD") for kind in TALLIED)
    statements += [
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {_q(table)} FOR EACH ROW BEGIN {add} END",
        f"CREATE TRIGGER {name}_update AFTER UPDATE ON {_q(table)} FOR EACH ROW WHEN {moved} BEGIN {take} {add} END",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {_q(table)} FOR EACH ROW BEGIN {take} END",
    ]
    return statements


def tally_sql(vendor: str) -> list[str]:
    """The statements creating the tally's triggers (and on PostgreSQL their functions), generated from the
    current models (a test asserts the migrations hold exactly these): for "postgresql" or "sqlite"."""
    return _pg_sql() if vendor == "postgresql" else _sqlite_sql()


def tally_drop_sql(vendor: str) -> list[str]:
    """The statements removing the tally's triggers (a migration replacing them)."""
    if vendor == "postgresql":
        return [
            "DROP FUNCTION IF EXISTS hoptac_tally_rebuild() CASCADE",
            *(f"DROP FUNCTION IF EXISTS hoptac_tally_{table}() CASCADE" for table in tallied_tables()),
        ]
    return [
        f"DROP TRIGGER IF EXISTS hoptac_tally_{table}_{event}"
        for table in tallied_tables()
        for event in ("insert", "update", "delete")
    ]


def rebuild(using: str = DEFAULT_DB_ALIAS) -> None:
    """Fill the tally afresh from the data (in the caller's transaction)."""
    with connections[using].cursor() as cursor:
        for statement in rebuild_sql():
            cursor.execute(statement)


# ----------------------------------------------------------------------------------------------------
# Reading.


@dataclass(frozen=True)
class Waiting:
    """Items waiting at one (year, state): how many, and the oldest date of the stamp that dates them."""

    count: int
    oldest: datetime.date | datetime.datetime | None


def _cells_in(reach: Reach) -> Q | None:
    """The cells of the items in `reach`: a Q over the tally (the organisation's scope condition, applied to
    the cells' columns, which bear the communes' field names), or None when the cells cannot say (a reach
    naming organisations: a representative's)."""
    if any(ids for key, ids in reach.ids.items() if key != COMMUNES):
        return None
    return scope_of(_organisation()).reach_condition(reach) or Q()


# The oldest date of a group is first looked for among the group's first WALK rows in date order, whatever
# their scope (the partial indexes of the waiting rows): if one of them is in the reach, the earliest such is the
# oldest of the reach (every other row of the reach comes later). Only when none is (a narrow reach whose rows
# are among the latest) is it read by an aggregate over the reach's own rows.
WALK = 200


def _tally_counts(
    kind: str, reach: Reach, states: list[str], by_year: bool
) -> dict[tuple[int | None, str], int] | None:
    """{(year or None, state): items in `reach`} from the tally, in one query; None when it cannot answer."""
    if not set(states) <= set(TALLIED[kind].states):
        return None
    cells = _cells_in(reach)
    if cells is None:
        return None
    if not reach.everything and not any(reach.ids.values()):
        return {}  # reaches nothing
    groups = ["year", "state"] if by_year else ["state"]
    rows = (
        ReviewTally.objects.filter(kind=kind, state__in=states)
        .filter(cells)
        .order_by()
        .values(*groups)
        .annotate(total=Sum("n"))
    )
    return {(row["year"] if by_year else None, row["state"]): int(row["total"]) for row in rows}


def _first_oldest(items: QuerySet[Any], stamp: str, group: dict[str, Any]) -> Any:
    """The earliest `stamp` of the `items` of `group` if one of them is among the group's first `WALK` rows in
    date order, in every scope (NULLs left out, as Min does); None otherwise."""
    first = (
        items.model.objects.unrestricted(
            "the group's first rows in date order; the reach's are taken among them"
        )
        .filter(**group, **{f"{stamp}__isnull": False})
        .order_by(stamp)
        .values("pk")[:WALK]
    )
    return items.filter(**group, pk__in=first).order_by(stamp).values_list(stamp, flat=True).first()


def waiting(
    *, kind: str, reach: Reach, items: QuerySet[Any], stamps: Mapping[str, str], by_year: bool
) -> dict[tuple[int | None, str], Waiting]:
    """The items of `kind` waiting in `reach`, per (year, state) — (None, state) unless `by_year` — for the
    states of `stamps` ({state: the stamp dating its items, e.g. "submitted_at"}); only the groups holding any.
    `items` are the same items read directly, in the user's scope (the selectors' query). The counts are the
    sums of the tally's cells in `reach`; the oldest dates are read from `items`, only for the groups holding
    any: among each group's first rows in date order (`_first_oldest`), and for the groups whose first rows
    are all out of reach by one aggregate over the reach's rows (grouped as the former query, filtered by state
    alone: the planner's estimates stay right). When the cells cannot answer (a reach naming organisations, a
    state not tallied), everything comes from `items` in one aggregate (the direct query)."""
    counts = _tally_counts(kind, reach, list(stamps), by_year)
    if counts is None:
        return direct(items=items, stamps=stamps, by_year=by_year)
    holding = sorted((key for key, count in counts.items() if count > 0), key=_order)
    oldest = {}
    for year, state in holding:
        group = {"state": state, **({"year": year} if by_year else {})}
        oldest[(year, state)] = _first_oldest(items, stamps[state], group)
    missing = [key for key in holding if oldest[key] is None]
    if missing:
        groups = ["year", "state"] if by_year else ["state"]
        mins = {
            f"oldest_{stamp}": Min(stamp) for stamp in sorted({stamps[state] for _year, state in missing})
        }
        rows = items.filter(state__in=sorted({state for _year, state in missing})).order_by().values(*groups)
        for row in rows.annotate(**mins):
            key = (row["year"] if by_year else None, row["state"])
            if key in missing:
                oldest[key] = row[f"oldest_{stamps[row['state']]}"]
    return {key: Waiting(count=counts[key], oldest=oldest[key]) for key in holding}


def _order(key: tuple[int | None, str]) -> tuple[int, str]:
    year, state = key
    return (year or 0, state)


def direct(
    *, items: QuerySet[Any], stamps: Mapping[str, str], by_year: bool
) -> dict[tuple[int | None, str], Waiting]:
    """`waiting` read from the items alone, in one aggregate grouped by (year and) state — the queues' former
    query, and the answer when the tally cannot give one."""
    groups = ["year", "state"] if by_year else ["state"]
    mins = {f"oldest_{stamp}": Min(stamp) for stamp in sorted(set(stamps.values()))}
    rows = items.filter(state__in=list(stamps)).order_by().values(*groups).annotate(count=Count("pk"), **mins)
    return {
        (row["year"] if by_year else None, row["state"]): Waiting(
            count=row["count"], oldest=row[f"oldest_{stamps[row['state']]}"]
        )
        for row in rows
    }
