"""Reads from a read replica, for dashboards' figures only (docs/decisions/0039-several-processes-and-machines.md).

`DATABASE_REPLICA_URL` (settings) adds the database alias "replica" — a PostgreSQL hot standby that streams
the primary's WAL — and `ReplicaRouter`. The router sends a read to the replica only inside `reading()`,
which `hoptac.core.dataversion.cached` opens around a figure's computation (the plan, national and summary
pages: read-only by contract, keyed by the data version); everything else, and every write, goes to the
primary, as does the data-version read a cache key is made of.

Replica lag: a figure is computed on the replica only when the replica has replayed everything the primary
had committed when the figure was asked for — the primary's WAL position (`primary_position`, read after the
data version) is at or below the replica's replay position (`replayed`, read before the replica's snapshot is
taken) — and the version the replica's snapshot holds is then the one the figure is stored under. A replica
that is behind, or does not answer (left alone for `DOWN_SECONDS`), is not waited for: the primary computes
the figure. So a figure read from the replica is never older than the one the primary would give.
"""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

REPLICA = "replica"
DOWN_SECONDS = 30.0

logger = logging.getLogger(__name__)
_reading: ContextVar[bool] = ContextVar("hoptac_replica_reading", default=False)
_down_until = 0.0


class ReplicaRouter:
    """Reads go to the replica inside `reading()`, to the primary everywhere else (whatever database a model
    instance came from); writes always to the primary; migrations only on the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return REPLICA if _reading.get() else DEFAULT_DB_ALIAS

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica holds the primary's rows: an object read from one may point to one read from the other.
        aliases = {DEFAULT_DB_ALIAS, REPLICA}
        return True if {obj1._state.db, obj2._state.db} <= aliases else None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None


def configured() -> bool:
    return REPLICA in settings.DATABASES


def available() -> bool:
    """A replica is configured and was not found unreachable in the last DOWN_SECONDS."""
    return configured() and time.monotonic() >= _down_until


def active() -> bool:
    """Inside `reading()`: this context's reads go to the replica."""
    return _reading.get()


@contextmanager
def reading() -> Iterator[None]:
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def mark_down(error: Exception) -> None:
    """The replica did not answer: the primary computes everything for DOWN_SECONDS."""
    global _down_until
    _down_until = time.monotonic() + DOWN_SECONDS
    logger.warning(
        "Read replica unreachable (%s): figures are read from the primary for %ss", error, DOWN_SECONDS
    )
    try:
        connections[REPLICA].close()
    except Exception:  # noqa: BLE001 (a broken connection may fail to close; it is dropped either way)
        logger.debug("closing the replica's connection failed", exc_info=True)


def primary_position(connection: BaseDatabaseWrapper | None = None) -> str | None:
    """Where the primary's WAL is now (PostgreSQL), None elsewhere: every transaction committed before this
    call is below it."""
    connection = connection or connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
        return cursor.fetchone()[0]


def replayed(position: str | None) -> bool:
    """Whether the replica has replayed the primary's WAL up to `position` (read outside a transaction, so
    that the snapshot taken after it holds what was replayed). True when there is nothing to compare: not
    PostgreSQL, or the replica is not a standby (a test mirror: the primary itself)."""
    connection = connections[REPLICA]
    if position is None or connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_is_in_recovery(), COALESCE(pg_last_wal_replay_lsn() >= %s::pg_lsn, false)", [position]
        )
        in_recovery, caught_up = cursor.fetchone()
    return bool(caught_up) or not in_recovery
