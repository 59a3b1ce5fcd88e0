"""Durable yearly points of plans (docs/decisions/0050-durable-plan-points.md).

A plan's series is one registry-wide query per year from its baseline to today; past years' points almost
never change. `PlanPoint` keeps the computed measures of a plan's numeric targets at one point (year, as_of,
official or provisional), stamped with

- the CLOCK of its year (`hoptac.core.dataversion.year_clocks`), read BEFORE the point is computed: database
  triggers raise it in every transaction that writes something a figure of a date in that year may read, so
  a row whose clock is still the current one holds what a fresh computation gives now (a write committed
  during the computation leaves the row stale, never wrong);
- the ENGINE fingerprint: a digest of the source of the modules whose code defines a figure, so a deploy that
  changes the engine never reads points computed by the former code;
- per target, a digest of its kind and indicator (a target object changed in memory is computed again).

Points are read where the figure is computed (the primary, or the read replica's snapshot inside
`dataversion.cached`'s replica path: its clock and rows are that snapshot's) and always written on the
primary, unless its current transaction has uncommitted watched writes (the clock read there already
counts them, the data not yet committed). Writing is an upsert on (plan, year, as_of, provisional); a
partial point (as_of before 31 December) replaces the other partial points of the same plan and year.
"""

import datetime
import json
import logging
from collections.abc import Iterable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models import Q

from hoptac.core import dataversion, replica

from .models import PlanPoint

logger = logging.getLogger(__name__)

# The modules whose code defines a figure: the engine, the plan files' vocabulary, the models and choices
# it reads, and the clock's rules.
ENGINE_MODULES = (
    "hoptac.plans.indicators",
    "hoptac.plans.loader",
    "hoptac.plans.models",
    "hoptac.plans.choices",
    "hoptac.plans.points",
    "hoptac.registry.models",
    "hoptac.registry.choices",
    "hoptac.areas.models",
    "hoptac.scoring.models",
    "hoptac.core.dataversion",
)

# (plan pk, year) → (as_of, {target pk: {"spec": ..., "measure": {...}}})
Stored = dict[tuple[int, int], tuple[datetime.date, dict[str, Any]]]


def engine() -> str:
    """The fingerprint of the engine's code (computed once per process)."""
    return dataversion.engine_fingerprint(ENGINE_MODULES)


def trusted(year: int) -> bool:
    return dataversion.FIRST_YEAR <= year <= dataversion.LAST_YEAR


def _reading_connection():
    return connections[replica.REPLICA if replica.active() else DEFAULT_DB_ALIAS]


def usable() -> bool:
    """Whether points may be read and stored now: not inside a transaction that has written watched data."""
    return not dataversion.has_uncommitted_writes(connections[DEFAULT_DB_ALIAS])


def clocks() -> dict[int, int]:
    """The current clock of every trusted year, read where the figures are read."""
    return dataversion.year_clocks(_reading_connection())


def read(
    keys: Iterable[tuple[int, int, datetime.date]], *, provisional: bool, year_clocks: dict[int, int]
) -> Stored:
    """The valid stored points of `keys` ((plan pk, year, as_of)) in one query: stored at the current clock
    of their year by the current engine."""
    wanted = {(plan, year, as_of, year_clocks[year]) for plan, year, as_of in keys if trusted(year)}
    if not wanted:
        return {}
    # The points of these plans and years (one or two a plan and year: the year's end, a partial year), the
    # wanted ones kept here: a condition per key (a whole country's reader has ~40 plans × 7 years) costs
    # Django more to build than the rows cost to read.
    rows = PlanPoint.objects.filter(
        plan_id__in=sorted({key[0] for key in wanted}),
        year__in=sorted({key[1] for key in wanted}),
        provisional=provisional,
        engine=engine(),
    ).values_list("plan_id", "year", "as_of", "clock", "measures")
    return {
        (plan, year): (as_of, json.loads(measures))
        for plan, year, as_of, clock, measures in rows
        if (plan, year, as_of, clock) in wanted
    }


def store(
    points: dict[tuple[int, int], tuple[datetime.date, dict[str, Any]]],
    *,
    provisional: bool,
    year_clocks: dict[int, int],
) -> None:
    """Upsert computed points {(plan pk, year): (as_of, measures)} at the clocks read before computing them;
    a partial point replaces the other partial points of its plan and year. Nothing is stored inside a
    transaction with uncommitted watched writes; a failure to store is logged, never raised (the figures
    were computed)."""
    rows = [
        PlanPoint(
            plan_id=plan,
            year=year,
            as_of=as_of,
            provisional=provisional,
            engine=engine(),
            clock=year_clocks[year],
            measures=json.dumps(measures, sort_keys=True),
        )
        for (plan, year), (as_of, measures) in points.items()
        if trusted(year)
    ]
    if not rows or not usable():
        return
    partial = Q()
    for row in rows:
        if row.as_of != datetime.date(row.year, 12, 31):
            partial |= Q(plan_id=row.plan_id, year=row.year) & ~Q(as_of=row.as_of)
    try:
        with transaction.atomic(using=DEFAULT_DB_ALIAS):
            if partial:
                PlanPoint.objects.using(DEFAULT_DB_ALIAS).filter(partial, provisional=provisional).exclude(
                    as_of__month=12, as_of__day=31
                ).delete()
            PlanPoint.objects.using(DEFAULT_DB_ALIAS).bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["plan", "year", "as_of", "provisional"],
                update_fields=["engine", "clock", "measures"],
            )
    except DatabaseError as error:
        logger.warning("Plan points could not be stored (%s): they are computed again next time", error)
