"""Who did a write, and why, as django-simple-history records it. Every service that saves a tracked model
calls `set_history_user` before `save()`; a reason (a return comment, a merger) goes with it."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

# simple-history keeps the reason in a CharField(max_length=100).
REASON_MAX_LENGTH = 100

# The project's user model (core may not name it: it sits below `accounts`); the caller's type comes back.
_User = TypeVar("_User", bound="AbstractBaseUser")


def acting_user(user: _User | AnonymousUser | None) -> _User | None:
    """The user to record as the one who acted: None for an anonymous user or a command (`user=None`)."""
    return user if user is not None and user.is_authenticated else None


def set_history_user(obj: Any, user: AbstractBaseUser | AnonymousUser | None, *, reason: str = "") -> None:
    """Record `user` (see `acting_user`) and, when given, `reason` (cut to the 100 characters the history
    keeps) in the history record that the next `obj.save()` writes."""
    obj._history_user = acting_user(user)
    if reason:
        obj._change_reason = reason[:REASON_MAX_LENGTH]


def set_history_date(obj: Any, when: datetime.datetime) -> None:
    """Date the history record that the next `obj.save()` writes at `when` instead of now (the demo replays
    events of the past)."""
    obj._history_date = when


# Rows per INSERT in `insert_with_history` (each a handful of columns; far below every database's limit on
# parameters, which `_rows_per_insert` respects as well).
INSERT_ROWS = 500


def insert_with_history(objs: list[Any], model: Any, *, user: Any = None, when: Any = None) -> list[Any]:
    """Insert new `objs` of `model` and their history records ("+", by `user`, at `when` or now) in the open
    transaction: what simple-history's `bulk_create_with_history` writes, about twice as fast on SQLite
    (docs/decisions/0024). Django's bulk_create spends most of its time on per-value bookkeeping
    (placeholders, expressions); here every value still goes through its field's `pre_save` and
    `get_db_prep_save`, so what lands in the database is what the ORM would write, in multi-row INSERTs
    with RETURNING for the new keys. PostgreSQL goes the ORM's way: Django inserts there with UNNEST (one
    array a column), measured faster than this (3.0 s against 4.5 s for 2,000 organisations and their
    history); so does a model this does not handle (a field with its own SQL placeholder, a history with
    extra fields, objects that have keys)."""
    from django.db import connections, router, transaction
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    if not objs:
        return objs
    connection = connections[router.db_for_write(model)]
    history = model.history.model
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    history_fields = [f for f in history._meta.concrete_fields if not f.primary_key]
    extra = {"history_date", "history_user_id", "history_change_reason", "history_type"}
    tracked = {f.attname for f in history.tracked_fields}
    if (
        connection.vendor != "sqlite"
        or not connection.features.can_return_rows_from_bulk_insert
        or any(obj.pk is not None for obj in objs)
        or any(hasattr(f, "get_placeholder") for f in (*fields, *history_fields))
        or {f.attname for f in history_fields} != tracked | extra
    ):
        return bulk_create_with_history(
            objs, model, batch_size=INSERT_ROWS, default_user=acting_user(user), default_date=when
        )
    when = when or timezone.now()
    user = acting_user(user)
    pk = model._meta.pk
    with transaction.atomic(using=connection.alias, savepoint=False):
        rows = []
        for obj in objs:
            obj._prepare_related_fields_for_save(operation_name="bulk_create")
            rows.append([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
        keys = _insert(connection, model._meta.db_table, fields, rows, returning=pk)
        for obj, key in zip(objs, keys, strict=True):
            setattr(obj, pk.attname, key)
            obj._state.adding = False
            obj._state.db = connection.alias
        given = {
            "history_date": when,
            "history_user_id": user.pk if user is not None else None,
            "history_change_reason": None,
            "history_type": "+",
        }
        history_rows = [
            [
                f.get_db_prep_save(
                    given[f.attname] if f.attname in given else getattr(obj, f.attname), connection
                )
                for f in history_fields
            ]
            for obj in objs
        ]
        _insert(connection, history._meta.db_table, history_fields, history_rows)
    return objs


def _rows_per_insert(connection: Any, columns: int) -> int:
    """Rows per INSERT under the database's cap on parameters (SQLite's compiled-in limit, PostgreSQL's 65,535)."""
    limit = 65535
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return max(1, min(INSERT_ROWS, limit // max(columns, 1)))


def _insert(
    connection: Any, table: str, fields: list[Any], rows: list[list[Any]], returning: Any = None
) -> list:
    """Multi-row INSERTs of prepared values; the new keys (RETURNING, in the order of the rows) when asked."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    head = f"INSERT INTO {quote(table)} ({columns}) VALUES "  # noqa: S608 — names from the models, quoted; values are parameters
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    tail = f" RETURNING {quote(returning.column)}" if returning is not None else ""
    size = _rows_per_insert(connection, len(fields))
    keys: list = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            cursor.execute(head + ", ".join([one] * len(chunk)) + tail, [v for row in chunk for v in row])
            if returning is not None:
                keys.extend(key for (key,) in cursor.fetchall())
    return keys


def copy_with_history(
    objs: list[Any], model: Any, *, user: Any = None, when: Any = None, reason: str = ""
) -> list[Any]:
    """`insert_with_history` for hundreds of thousands of new rows (the national generator, decision 0034):
    on PostgreSQL the keys are taken from the table's sequence in one statement and the rows and their
    history records ("+", by `user`, at `when` or now, with `reason`) go in through COPY, several times
    faster than INSERTs. Every value still goes through its field's `pre_save` and `get_db_prep_save`, so
    what lands is what the ORM would write. COPY is not an INSERT the data-version watcher sees, so the
    version is raised here (core.dataversion.bump) when the table is watched. Elsewhere (SQLite, objects
    that have keys, a history with extra fields) it is `insert_with_history`, which records no reason."""
    from django.db import connections, router, transaction
    from django.utils import timezone

    from . import dataversion

    if not objs:
        return objs
    connection = connections[router.db_for_write(model)]
    history = model.history.model
    pk = model._meta.pk
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    history_fields = [f for f in history._meta.concrete_fields if not f.primary_key]
    extra = {"history_date", "history_user_id", "history_change_reason", "history_type"}
    if (
        connection.vendor != "postgresql"
        or any(obj.pk is not None for obj in objs)
        or {f.attname for f in history_fields} != {f.attname for f in history.tracked_fields} | extra
    ):
        return insert_with_history(objs, model, user=user, when=when)
    when = when or timezone.now()
    user = acting_user(user)
    quote = connection.ops.quote_name
    table = model._meta.db_table
    given = {
        "history_date": when,
        "history_user_id": user.pk if user is not None else None,
        "history_change_reason": reason[:REASON_MAX_LENGTH] or None,
        "history_type": "+",
    }
    with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk.column, len(objs)],
        )
        keys = sorted(key for (key,) in cursor.fetchall())
        columns = ", ".join(quote(f.column) for f in (pk, *fields))
        with cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
            for obj, key in zip(objs, keys, strict=True):
                obj._prepare_related_fields_for_save(operation_name="bulk_create")
                setattr(obj, pk.attname, key)
                obj._state.adding = False
                obj._state.db = connection.alias
                copy.write_row(
                    [key, *(f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields)]
                )
        history_columns = ", ".join(quote(f.column) for f in history_fields)
        with cursor.copy(f"COPY {quote(history._meta.db_table)} ({history_columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row(
                    [
                        f.get_db_prep_save(
                            given[f.attname] if f.attname in given else getattr(obj, f.attname), connection
                        )
                        for f in history_fields
                    ]
                )
        if table in dataversion.watched_tables():
            dataversion.bump(connection)
    return objs
