"""Tallies of the review items waiting, kept exact by database triggers (docs/decisions/0055-review-tallies.md,
0056-report-tally.md).

The menu of every officer's page shows what waits for review: submitted yearly data, ratings at an
officer's step. Counting them in the user's scope is an aggregate over every pending row joined to the
organisations (to read their communes); cached by data version, it is computed again after every write. So
the counts come from tallies per cell — state, year and the pair of communes of the item's organisation
(`commune_legacy`, `commune_current`: the communes `Organisation.scope` reaches an organisation by):

- ratings: `desk_reviewtally` (`ReviewTally`, kind `rating`), the states at an officer's step (`TALLIED`),
  kept by the triggers `hoptac.core.tallies` generates from `SPEC` (frozen in the desk's migration 0002; a test
  asserts they are equal);
- yearly data: the registry's tally of yearly reports in every state (`hoptac.registry.tallies`, decision
  0056), read in the state `submitted` — one tally of yearly reports, not two.

The invariants, the triggers and their proofs are those of `hoptac.core.tallies`. The reading side is
`waiting()`, the queues' one way to the tallies.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, QuerySet

from hoptac.core.scoping import Reach
from hoptac.core.tallies import TallySpec
from hoptac.registry import tallies as registry_tallies
from hoptac.registry.models import YearlyReportState
from hoptac.scoring.choices import REVIEW_EDIT_STATES

from .models import TallyKind


@dataclass(frozen=True)
class Tallied:
    """One kind of review item: its model and the states the queues read."""

    model: str
    states: tuple[str, ...]


# The review items the queues read and their states: submitted yearly data; ratings at an officer's step.
TALLIED: dict[str, Tallied] = {
    TallyKind.YEARLY: Tallied("registry.YearlyReport", (str(YearlyReportState.SUBMITTED),)),
    TallyKind.RATING: Tallied("scoring.Assessment", tuple(str(state) for state in REVIEW_EDIT_STATES)),
}
# The desk's own tally: ratings only (the yearly data are read from the registry's tally of yearly reports).
SPEC = TallySpec(
    tally="desk.ReviewTally",
    organisation="registry.Organisation",
    items={TallyKind.RATING: (TALLIED[TallyKind.RATING].model, TALLIED[TallyKind.RATING].states)},
    prefix="hoptac_tally",
)


# ----------------------------------------------------------------------------------------------------
# Reading.


@dataclass(frozen=True)
class Waiting:
    """Items waiting at one (year, state): how many, and the oldest date of the stamp that dates them."""

    count: int
    oldest: datetime.date | datetime.datetime | None


# The oldest date of a group is first looked for among the group's first WALK rows in date order, whatever
# their scope (the partial indexes of the waiting rows): if one of them is in the reach, the earliest such is the
# oldest of the reach (every other row of the reach comes later). Only when none is (a narrow reach whose rows
# are among the latest) is it read by an aggregate over the reach's own rows.
WALK = 200


def _tally_counts(
    kind: str, reach: Reach, states: list[str], by_year: bool
) -> dict[tuple[int | None, str], int] | None:
    """{(year or None, state): items in `reach`} from the tallies, in one query (the groups holding any); None
    when they cannot answer (a state not tallied, a reach naming organisations). Ratings are the desk's tally's
    cells of their kind, yearly data the registry's tally of yearly reports."""
    if not set(states) <= set(TALLIED[kind].states):
        return None
    spec, filters = (registry_tallies.SPEC, {}) if kind == TallyKind.YEARLY else (SPEC, {"kind": kind})
    cells = spec.sums(reach, ["year", "state"], state__in=states, **filters)
    if cells is None:
        return None
    found: dict[tuple[int | None, str], int] = {}
    for (year, state), n in cells.items():
        key = (year if by_year else None, state)
        found[key] = found.get(key, 0) + n
    return found


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
