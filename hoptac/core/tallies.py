# ruff: noqa: S608  (the tallies' trigger SQL is generated from the models' own table and column names, quoted)
"""Tallies kept exact by database triggers (docs/decisions/0055-review-tallies.md, 0056-report-tally.md).

A tally holds, per cell — (kind,) state, year and the pair of communes of the item's organisation
(`commune_legacy`, `commune_current`: the communes `Organisation.scope` reaches an organisation by) — how many
items there are. Triggers keep it exact in the writing transaction, whatever path wrote (a model's save or
delete, `bulk_create`, `QuerySet.update`, raw SQL, a cascade, COPY):

- on the items' tables: an insert adds to its cell, a delete takes away, an update of state, year or
  organisation (or of the row's id) moves the item;
- on the organisations' table: an insert adds its items (a restore may insert them first), a delete takes them
  away, a change of either commune (or of its id) moves them to the other cell.

The invariant: a cell's `n` is the number of items of its (kind,) state and year whose organisation EXISTS and
lies in its communes — what `rebuild_sql()` counts. An item whose organisation is missing (a flush or a restore
deleting the organisations first, with the foreign keys' checks deferred) is in no cell; its organisation's
delete took it away, its organisation's insert puts it back. Decrements are UPDATEs only, never inserts (a test
flush empties the tables in any order, the tally among them). PostgreSQL: statement-level triggers with
transition tables (a bulk write adjusts each cell once), the data version's row locked first; a TRUNCATE of a
tallied table rebuilds the whole tally. SQLite: row-level triggers.

One generator for every tally: a `TallySpec` names the tally's model, the organisations' model, the items
tallied ({kind: (item model, states tallied or None for every state)}) and the prefix of its functions and
triggers (two tallies on one table never share a name). The tally's model has the cell columns `state`, `year`,
the organisation's commune fields (`cell_fields`), `n`, and a `kind` column when it tallies several kinds (a
tally without one holds a single kind); it is unique on the cell and checks `n >= 0`. Models are named by their
labels (core imports no app above it). The SQL generated here is frozen in the owning app's migrations; a test
asserts they are equal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, Q, Sum

from .scoping import Reach, scope_of

# The name of the reach's id set of communes (hoptac.accounts.roles.organisation_reach) and of the
# organisation's scope lookups whose fields are the cells' columns.
COMMUNES = "communes"


def _q(name: str) -> str:
    return f'"{name}"'


def _where(*conditions: str | None) -> str:
    kept = [condition for condition in conditions if condition]
    return f" WHERE {' AND '.join(kept)}" if kept else ""


@dataclass(frozen=True)
class TallySpec:
    """One tally: its model (`tally`, a label), the organisations' model (`organisation`), the items tallied
    ({kind: (item model label, states tallied or None for every state)}) and the `prefix` of its PostgreSQL
    functions and triggers and of its SQLite triggers."""

    tally: str
    organisation: str
    items: Mapping[str, tuple[str, tuple[str, ...] | None]]
    prefix: str

    # ------------------------------------------------------------------------------------------------
    # Names.

    def tally_model(self) -> type[Model]:
        return apps.get_model(self.tally)

    def organisation_model(self) -> type[Model]:
        return apps.get_model(self.organisation)

    def has_kind(self) -> bool:
        """Whether the tally's cells carry the kind (several kinds in one table)."""
        has = any(field.name == "kind" for field in self.tally_model()._meta.fields)
        assert has or len(self.items) == 1, f"{self.tally}: several kinds need a `kind` column"
        return has

    def cell_fields(self) -> tuple[str, ...]:
        """The organisation's commune fields the scope reaches it by ("commune_legacy", "commune_current"): the
        tally's cell columns bear the same names and hold their ids (0 for none)."""
        return scope_of(self.organisation_model()).lookups[COMMUNES]

    def _column(self, name: str) -> str:
        """The column of the organisation's field `name`."""
        column = getattr(self.organisation_model()._meta.get_field(name), "column", None)
        assert isinstance(column, str), name
        return column

    def _table(self) -> str:
        return _q(self.tally_model()._meta.db_table)

    def _organisation_table(self) -> str:
        return _q(self.organisation_model()._meta.db_table)

    def _item_table(self, kind: str) -> str:
        return apps.get_model(self.items[kind][0])._meta.db_table

    def _in_states(self, kind: str, row: str) -> str | None:
        """`row.state IN (the states tallied)`, or None when every state is."""
        states = self.items[kind][1]
        if states is None:
            return None
        return f"{row}.{_q('state')} IN (" + ", ".join(f"'{state}'" for state in states) + ")"

    def _kind(self, kind: str) -> list[str]:
        """The kind's value in a cell (nothing when the tally has no kind column)."""
        return [f"'{kind}'"] if self.has_kind() else []

    def _cell_names(self) -> list[str]:
        return [*(["kind"] if self.has_kind() else []), "state", "year", *self.cell_fields()]

    def _cell(self) -> str:
        return ", ".join(_q(c) for c in self._cell_names())

    def _commune_columns(self, row: str) -> list[str]:
        """The cell's communes of an organisation row (alias `row`): its commune ids, 0 for none."""
        return [f"COALESCE({row}.{_q(self._column(f))}, 0)" for f in self.cell_fields()]

    def tallied_tables(self) -> list[str]:
        """The tables carrying the tally's triggers: the organisations' and the items'."""
        return [self.organisation_model()._meta.db_table, *(self._item_table(kind) for kind in self.items)]

    # ------------------------------------------------------------------------------------------------
    # Filling.

    def rebuild_sql(self) -> list[str]:
        """The statements filling the tally from the data (the migration, a TRUNCATE, `rebuild`)."""
        statements = [f"DELETE FROM {self._table()}"]
        for kind in self.items:
            communes = ", ".join(self._commune_columns("o"))
            columns = ", ".join([*self._kind(kind), f"i.{_q('state')}", f"i.{_q('year')}", communes])
            statements.append(
                f"INSERT INTO {self._table()} ({self._cell()}, {_q('n')}) "
                f"SELECT {columns}, count(*) "
                f"FROM {_q(self._item_table(kind))} i JOIN {self._organisation_table()} o "
                f"ON o.{_q('id')} = i.{_q('organisation_id')}{_where(self._in_states(kind, 'i'))} "
                f"GROUP BY i.{_q('state')}, i.{_q('year')}, {communes}"
            )
        return statements

    def rebuild(self, using: str = DEFAULT_DB_ALIAS) -> None:
        """Fill the tally afresh from the data (in the caller's transaction)."""
        with connections[using].cursor() as cursor:
            for statement in self.rebuild_sql():
                cursor.execute(statement)

    # ------------------------------------------------------------------------------------------------
    # PostgreSQL: statement-level triggers. `changes` is SQL giving (cell..., d) rows of signed changes;
    # they are summed per cell, the negative sums taken away (UPDATE only), the positive ones added.

    def _pg_apply(self, changes: str) -> str:
        names = self._cell_names()
        match = " AND ".join(f"t.{_q(c)} = d.{_q(c)}" for c in names)
        columns = ", ".join(f"d.{_q(c)}" for c in names)
        cell, table = self._cell(), self._table()
        return (
            f"WITH d AS (SELECT {cell}, sum(c.d) AS n FROM ({changes}) AS c({cell}, d) GROUP BY {cell}), "
            f"fewer AS (UPDATE {table} t SET n = t.n + d.n FROM d WHERE d.n < 0 AND {match}) "
            f"INSERT INTO {table} AS t ({cell}, n) SELECT {columns}, d.n FROM d WHERE d.n > 0 "
            f"ON CONFLICT ({cell}) DO UPDATE SET n = t.n + EXCLUDED.n"
        )

    @staticmethod
    def _pg_lock() -> str:
        # The data version's row lock, which every watched write takes anyway (hoptac.core.dataversion.bump)
        # and the year clock's triggers take first: writers lock the counters in one order, no deadlock added.
        return "PERFORM 1 FROM core_dataversion WHERE id = 1 FOR UPDATE;"

    def _pg_item_changes(self, kind: str, rows: list[tuple[str, int]]) -> str:
        """Signed changes of items of `kind`: `rows` are (SQL of item rows aliased i, sign), each placed in the
        cell of its organisation as it is now."""
        communes = ", ".join(self._commune_columns("o"))
        parts = [
            f"SELECT i.{_q('state')}, i.{_q('year')}, i.{_q('organisation_id')}, {sign} FROM {source}"
            for source, sign in rows
        ]
        columns = ", ".join([*self._kind(kind), "r.state", "r.year", communes, "r.d"])
        return (
            f"SELECT {columns} FROM ({' UNION ALL '.join(parts)}) AS r(state, year, organisation_id, d) "
            f"JOIN {self._organisation_table()} o ON o.{_q('id')} = r.organisation_id"
        )

    def _pg_item_function(self, kind: str) -> str:
        table = self._item_table(kind)
        states_new, states_old = self._in_states(kind, "i"), self._in_states(kind, "i")
        same = " AND ".join(f"x.{_q(c)} = i.{_q(c)}" for c in ("id", "state", "year", "organisation_id"))
        inserted = f"hoptac_new i{_where(states_new)}"
        deleted = f"hoptac_old i{_where(states_old)}"
        # An update moves the rows whose state, year or organisation changed (or whose id did): each such old
        # row leaves its cell, each such new row enters its own; the rows that kept all four cancel out unread.
        left = f"hoptac_old i{_where(states_old, f'NOT EXISTS (SELECT 1 FROM hoptac_new x WHERE {same})')}"
        entered = f"hoptac_new i{_where(states_new, f'NOT EXISTS (SELECT 1 FROM hoptac_old x WHERE {same})')}"
        insert = self._pg_apply(self._pg_item_changes(kind, [(inserted, 1)]))
        delete = self._pg_apply(self._pg_item_changes(kind, [(deleted, -1)]))
        update = self._pg_apply(self._pg_item_changes(kind, [(left, -1), (entered, 1)]))
        return (
            f"CREATE OR REPLACE FUNCTION {self.prefix}_{table}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "BEGIN\n"
            f"  {self._pg_lock()}\n"
            f"  IF TG_OP = 'INSERT' THEN {insert};\n"
            f"  ELSIF TG_OP = 'DELETE' THEN {delete};\n"
            f"  ELSIF TG_OP = 'UPDATE' THEN {update};\n"
            f"  ELSE PERFORM {self.prefix}_rebuild();\n"
            "  END IF;\n"
            "  RETURN NULL;\n"
            "END $$"
        )

    def _pg_organisation_changes(self, kind: str, rows: list[tuple[str, int]]) -> str:
        """Signed changes of the items of `kind` of organisations: `rows` are (SQL of organisation rows aliased
        o, sign); each organisation's items of the tallied states, in the cell of that organisation row."""
        item = _q(self._item_table(kind))
        parts = [
            f"SELECT o.{_q('id')}, {', '.join(self._commune_columns('o'))}, {sign} FROM {source}"
            for source, sign in rows
        ]
        communes = ", ".join(f"r.{_q(c)}" for c in self.cell_fields())
        columns = ", ".join([*self._kind(kind), f"i.{_q('state')}", f"i.{_q('year')}", communes, "r.d"])
        return (
            f"SELECT {columns} FROM ({' UNION ALL '.join(parts)}) "
            f"AS r(id, {', '.join(_q(c) for c in self.cell_fields())}, d) JOIN {item} i "
            f"ON i.{_q('organisation_id')} = r.id{_where(self._in_states(kind, 'i'))}"
        )

    def _pg_organisation_function(self) -> str:
        table = self.organisation_model()._meta.db_table
        same = " AND ".join(
            [f"x.{_q('id')} = o.{_q('id')}"]
            + [
                f"x.{_q(self._column(f))} IS NOT DISTINCT FROM o.{_q(self._column(f))}"
                for f in self.cell_fields()
            ]
        )
        # An update moves the items of the organisations whose communes (or id) changed, old cell to new.
        left = f"hoptac_old o WHERE NOT EXISTS (SELECT 1 FROM hoptac_new x WHERE {same})"
        entered = f"hoptac_new o WHERE NOT EXISTS (SELECT 1 FROM hoptac_old x WHERE {same})"
        branches = {
            "INSERT": [("hoptac_new o", 1)],
            "DELETE": [("hoptac_old o", -1)],
            "UPDATE": [(left, -1), (entered, 1)],
        }
        body = []
        for index, (operation, rows) in enumerate(branches.items()):
            statements = " ".join(
                self._pg_apply(self._pg_organisation_changes(kind, rows)) + ";" for kind in self.items
            )
            body.append(f"  {'IF' if index == 0 else 'ELSIF'} TG_OP = '{operation}' THEN {statements}")
        return (
            f"CREATE OR REPLACE FUNCTION {self.prefix}_{table}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "BEGIN\n"
            f"  {self._pg_lock()}\n" + "\n".join(body) + "\n"
            f"  ELSE PERFORM {self.prefix}_rebuild();\n"
            "  END IF;\n"
            "  RETURN NULL;\n"
            "END $$"
        )

    def _pg_sql(self) -> list[str]:
        statements = [
            f"CREATE OR REPLACE FUNCTION {self.prefix}_rebuild() RETURNS void LANGUAGE plpgsql AS $$\n"
            "BEGIN\n" + "".join(f"  {statement};\n" for statement in self.rebuild_sql()) + "END $$",
            self._pg_organisation_function(),
            *(self._pg_item_function(kind) for kind in self.items),
        ]
        prefix = self.prefix
        for table in self.tallied_tables():
            function = f"{prefix}_{table}()"
            statements += [
                f"CREATE TRIGGER {prefix}_insert AFTER INSERT ON {_q(table)} REFERENCING NEW TABLE AS hoptac_new "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}",
                f"CREATE TRIGGER {prefix}_update AFTER UPDATE ON {_q(table)} REFERENCING OLD TABLE AS hoptac_old "
                f"NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION {function}",
                f"CREATE TRIGGER {prefix}_delete AFTER DELETE ON {_q(table)} REFERENCING OLD TABLE AS hoptac_old "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}",
                f"CREATE TRIGGER {prefix}_truncate AFTER TRUNCATE ON {_q(table)} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION {function}",
            ]
        return statements

    # ------------------------------------------------------------------------------------------------
    # SQLite: row-level triggers.

    def _sqlite_add_item(self, kind: str, row: str) -> str:
        columns = ", ".join(
            [*self._kind(kind), f"{row}.{_q('state')}", f"{row}.{_q('year')}", *self._commune_columns("o")]
        )
        condition = _where(f"o.{_q('id')} = {row}.{_q('organisation_id')}", self._in_states(kind, row))
        return (
            f"INSERT INTO {self._table()} ({self._cell()}, n) SELECT {columns}, 1 "
            f"FROM {self._organisation_table()} o{condition} "
            f"ON CONFLICT ({self._cell()}) DO UPDATE SET n = n + excluded.n;"
        )

    def _sqlite_take_item(self, kind: str, row: str) -> str:
        communes = ", ".join(_q(c) for c in self.cell_fields())
        condition = _where(
            self._in_states(kind, row),
            f"kind = '{kind}'" if self.has_kind() else None,
            f"state = {row}.{_q('state')}",
            f"year = {row}.{_q('year')}",
            f"({communes}) = (SELECT {', '.join(self._commune_columns('o'))} FROM {self._organisation_table()} o "
            f"WHERE o.{_q('id')} = {row}.{_q('organisation_id')})",
        )
        return f"UPDATE {self._table()} SET n = n - 1{condition};"

    def _sqlite_add_organisation(self, kind: str, row: str) -> str:
        item = _q(self._item_table(kind))
        columns = ", ".join(
            [*self._kind(kind), f"i.{_q('state')}", f"i.{_q('year')}", *self._commune_columns(row)]
        )
        condition = _where(f"i.{_q('organisation_id')} = {row}.{_q('id')}", self._in_states(kind, "i"))
        return (
            f"INSERT INTO {self._table()} ({self._cell()}, n) SELECT {columns}, count(*) FROM {item} i{condition} "
            f"GROUP BY i.{_q('state')}, i.{_q('year')} ON CONFLICT ({self._cell()}) DO UPDATE SET n = n + excluded.n;"
        )

    def _sqlite_take_organisation(self, kind: str, row: str) -> str:
        item = _q(self._item_table(kind))
        table = self._table()
        cell = [
            f"{_q(column)} = {value}"
            for column, value in zip(self.cell_fields(), self._commune_columns(row), strict=True)
        ]
        condition = _where(f"kind = '{kind}'" if self.has_kind() else None, *cell)
        return (
            f"UPDATE {table} SET n = n - (SELECT count(*) FROM {item} i WHERE i.{_q('organisation_id')} = "
            f"{row}.{_q('id')} AND i.{_q('state')} = {table}.state AND i.{_q('year')} = {table}.year){condition};"
        )

    def _sqlite_sql(self) -> list[str]:
        statements = []
        for kind in self.items:
            table = self._item_table(kind)
            name = f"{self.prefix}_{table}"
            moved = " OR ".join(
                f"OLD.{_q(c)} IS NOT NEW.{_q(c)}" for c in ("state", "year", "organisation_id")
            )
            new, old = self._in_states(kind, "NEW"), self._in_states(kind, "OLD")
            either = f"({old} OR {new})" if old and new else None
            statements += [
                f"CREATE TRIGGER {name}_insert AFTER INSERT ON {_q(table)} FOR EACH ROW "
                + (f"WHEN {new} " if new else "")
                + f"BEGIN {self._sqlite_add_item(kind, 'NEW')} END",
                f"CREATE TRIGGER {name}_update AFTER UPDATE ON {_q(table)} FOR EACH ROW "
                f"WHEN {' AND '.join(c for c in (either, f'({moved})') if c)} "
                f"BEGIN {self._sqlite_take_item(kind, 'OLD')} {self._sqlite_add_item(kind, 'NEW')} END",
                f"CREATE TRIGGER {name}_delete AFTER DELETE ON {_q(table)} FOR EACH ROW "
                + (f"WHEN {old} " if old else "")
                + f"BEGIN {self._sqlite_take_item(kind, 'OLD')} END",
            ]
        table = self.organisation_model()._meta.db_table
        name = f"{self.prefix}_{table}"
        moved = " OR ".join(
            f"OLD.{_q(c)} IS NOT NEW.{_q(c)}" for c in ("id", *(self._column(f) for f in self.cell_fields()))
        )
        add = " ".join(self._sqlite_add_organisation(kind, "NEW") for kind in self.items)
        take = " ".join(self._sqlite_take_organisation(kind, "OLD") for kind in self.items)
        statements += [
            f"CREATE TRIGGER {name}_insert AFTER INSERT ON {_q(table)} FOR EACH ROW BEGIN {add} END",
            f"CREATE TRIGGER {name}_update AFTER UPDATE ON {_q(table)} FOR EACH ROW WHEN {moved} "
            f"BEGIN {take} {add} END",
            f"CREATE TRIGGER {name}_delete AFTER DELETE ON {_q(table)} FOR EACH ROW BEGIN {take} END",
        ]
        return statements

    def tally_sql(self, vendor: str) -> list[str]:
        """The statements creating the tally's triggers (and on PostgreSQL their functions), generated from the
        current models (a test asserts the migrations hold exactly these): for "postgresql" or "sqlite"."""
        return self._pg_sql() if vendor == "postgresql" else self._sqlite_sql()

    def drop_sql(self, vendor: str) -> list[str]:
        """The statements removing the tally's triggers (a migration replacing them)."""
        if vendor == "postgresql":
            return [
                f"DROP FUNCTION IF EXISTS {self.prefix}_rebuild() CASCADE",
                *(
                    f"DROP FUNCTION IF EXISTS {self.prefix}_{table}() CASCADE"
                    for table in self.tallied_tables()
                ),
            ]
        return [
            f"DROP TRIGGER IF EXISTS {self.prefix}_{table}_{event}"
            for table in self.tallied_tables()
            for event in ("insert", "update", "delete")
        ]

    # ------------------------------------------------------------------------------------------------
    # Reading.

    def cells_in(self, reach: Reach) -> Q | None:
        """The cells of the items in `reach`: a Q over the tally (the organisation's scope condition, applied to
        the cells' columns, which bear the communes' field names), or None when the cells cannot say (a reach
        naming organisations: a representative's)."""
        if any(ids for key, ids in reach.ids.items() if key != COMMUNES):
            return None
        return scope_of(self.organisation_model()).reach_condition(reach) or Q()

    def sums(self, reach: Reach, groups: Sequence[str], **filters: Any) -> dict[tuple[Any, ...], int] | None:
        """{(values of `groups`): the sum of the cells in `reach`} over the tally's cells matching `filters`
        (lookups on its columns), in one query; only the groups holding items. None when the cells cannot say
        (`cells_in`)."""
        cells = self.cells_in(reach)
        if cells is None:
            return None
        if not reach.everything and not any(reach.ids.values()):
            return {}  # reaches nothing
        rows = (
            self.tally_model()
            ._default_manager.filter(**filters)
            .filter(cells)
            .order_by()
            .values(*groups)
            .annotate(total=Sum("n"))
        )
        return {tuple(row[g] for g in groups): int(row["total"]) for row in rows if row["total"]}
