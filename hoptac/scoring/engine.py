"""The scoring rules as pure functions, with no database access: the criteria tree and its point
pools, the check of a set of points, the band of a total, the points a computable rule proposes and
the exclusion rules. The loader validates files with them, the services score with them, the demo
builds consistent ratings with them, and the property-based tests exercise them directly.

Points the circulars give are fixed maxima. Where the brief does not give the split of a group's
points among its criteria (e.g. TT 01/2020 criteria 10–15 share 40 points), those criteria have no
maximum of their own: they form a *pool* under their nearest ancestor with a known maximum, and
together may not exceed what that ancestor leaves after its criteria with known maxima.
"""

import calendar
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from hoptac.core.formatting import format_compact

from . import errors
from .choices import SCORE_BANDS, Band, ExclusionType

ROOT = ""  # the pool key of the scheme's total


@dataclass
class Node:
    code: str
    number: str = ""
    name: str = ""
    kind: str = "criterion"
    max_points: Decimal | None = None
    to_be_completed: bool = False
    note: str = ""
    input: str = "manual"
    rule: dict | None = None
    allowed_points: list[Decimal] | None = None
    evidence_required: bool = True
    children: list["Node"] = field(default_factory=list)
    payload: Any = None  # the Criterion row when built from the database

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass
class Pool:
    key: str  # code of the ancestor with a known maximum, ROOT for the scheme total
    capacity: Decimal
    members: list[str]


class SchemeTree:
    """A scheme's criteria with the derived caps: each leaf's maximum, or for a leaf without one the
    capacity of its pool."""

    def __init__(self, roots: list[Node], total: Decimal):
        self.roots = roots
        self.total = Decimal(total)
        self.nodes: dict[str, Node] = {}
        self.parent: dict[str, str | None] = {}
        for node in self.walk():
            self.nodes[node.code] = node
        for node in self.walk():
            for child in node.children:
                self.parent[child.code] = node.code
        for root in roots:
            self.parent[root.code] = None
        self.pools: dict[str, Pool] = {}
        self.pool_of: dict[str, str] = {}
        self._walk_pools(ROOT, self.total, roots)

    def walk(self, nodes: Iterable[Node] | None = None):
        for node in self.roots if nodes is None else nodes:
            yield node
            yield from self.walk(node.children)

    @property
    def leaves(self) -> list[Node]:
        return [n for n in self.walk() if n.is_leaf]

    @staticmethod
    def _scan(children: list[Node]) -> tuple[list[Node], list[Node]]:
        """The nodes with a known maximum reached without crossing another known node (the frontier),
        and the leaves without a maximum reached the same way."""
        frontier: list[Node] = []
        unknown: list[Node] = []
        for child in children:
            if child.max_points is not None:
                frontier.append(child)
            elif child.is_leaf:
                unknown.append(child)
            else:
                sub_frontier, sub_unknown = SchemeTree._scan(child.children)
                frontier += sub_frontier
                unknown += sub_unknown
        return frontier, unknown

    def _walk_pools(self, key: str, maximum: Decimal, children: list[Node]) -> None:
        frontier, unknown = self._scan(children)
        if unknown:
            capacity = maximum - sum((n.max_points or Decimal(0) for n in frontier), Decimal(0))
            self.pools[key] = Pool(key, capacity, [n.code for n in unknown])
            for leaf in unknown:
                self.pool_of[leaf.code] = key
        for node in frontier:
            if node.children:
                assert node.max_points is not None
                self._walk_pools(node.code, node.max_points, node.children)

    def frontier_sum(self, key: str) -> Decimal:
        children = self.roots if key == ROOT else self.nodes[key].children
        frontier, _unknown = self._scan(children)
        return sum((n.max_points or Decimal(0) for n in frontier), Decimal(0))

    def cap(self, code: str) -> Decimal:
        """The most points a leaf can get."""
        node = self.nodes[code]
        if node.max_points is not None:
            return node.max_points
        return self.pools[self.pool_of[code]].capacity

    def subtotal(self, code: str, points: Mapping[str, Decimal | None]) -> Decimal | None:
        """Sum of the points of the leaves under a node (None when none of them has points)."""
        node = self.nodes[code]
        leaves = [n for n in self.walk([node]) if n.is_leaf]
        values = [points.get(leaf.code) for leaf in leaves]
        if all(v is None for v in values):
            return None
        return sum((v for v in values if v is not None), Decimal(0))

    @property
    def incomplete(self) -> list[Node]:
        return [n for n in self.walk() if n.to_be_completed]


def check_points(
    tree: SchemeTree, points: Mapping[str, Decimal | None], *, require_all: bool
) -> list[tuple[str | None, str]]:
    """Problems with a set of leaf points: (leaf code or None, message). Empty when they are valid."""
    problems: list[tuple[str | None, str]] = []
    for leaf in tree.leaves:
        value = points.get(leaf.code)
        if value is None:
            if require_all:
                problems.append((leaf.code, str(errors.POINTS_MISSING)))
            continue
        cap = tree.cap(leaf.code)
        if value < 0:
            problems.append((leaf.code, str(errors.POINTS_NEGATIVE)))
        elif value > cap:
            problems.append((leaf.code, str(errors.POINTS_ABOVE_MAX % {"max": format_compact(cap)})))
        elif leaf.allowed_points and value not in leaf.allowed_points:
            allowed = ", ".join(format_compact(p) for p in leaf.allowed_points)
            problems.append((leaf.code, str(errors.POINTS_NOT_ALLOWED % {"allowed": allowed})))
        elif value != value.quantize(Decimal("0.1")):
            problems.append((leaf.code, str(errors.POINTS_ONE_DECIMAL)))
    for pool in tree.pools.values():
        used = sum((points.get(code) or Decimal(0) for code in pool.members), Decimal(0))
        if used > pool.capacity:
            names = ", ".join(tree.nodes[code].number or code for code in pool.members)
            problems.append(
                (
                    None,
                    str(
                        errors.POOL_EXCEEDED
                        % {
                            "criteria": names,
                            "capacity": format_compact(pool.capacity),
                            "used": format_compact(used),
                        }
                    ),
                )
            )
    return problems


def total(tree: SchemeTree, points: Mapping[str, Decimal | None]) -> Decimal:
    return sum((points.get(leaf.code) or Decimal(0) for leaf in tree.leaves), Decimal(0))


def band_for(score: Decimal, bands: list[dict]) -> str:
    """The band of a total: the first band, best first, whose minimum the score reaches."""
    for entry in sorted(bands, key=lambda b: Decimal(b["min"]), reverse=True):
        if Decimal(score) >= Decimal(entry["min"]):
            return entry["band"]
    return Band.WEAK


def _in_range(value: Decimal, entry: Mapping[str, Any]) -> bool:
    low, high = entry.get("from"), entry.get("to")
    if low is not None:
        low = Decimal(low)
        if value < low or (value == low and not entry.get("from_inclusive", True)):
            return False
    if high is not None:
        high = Decimal(high)
        if value > high or (value == high and not entry.get("to_inclusive", False)):
            return False
    return True


def rule_band(rule: Mapping[str, Any], value: Decimal | None) -> dict | None:
    """The threshold band of a computable rule that the value falls in (None without a value)."""
    if value is None:
        return None
    for entry in rule["bands"]:
        if _in_range(Decimal(value), entry):
            return dict(entry)
    return None


def propose(rule: Mapping[str, Any], value: Decimal | None) -> Decimal | None:
    entry = rule_band(rule, value)
    return Decimal(entry["points"]) if entry else None


# ---------------------------------------------------------------------------------------------
# Exclusion rules.


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def operating_months_reached(start: datetime.date | None, year: int, months: int) -> bool:
    """Whether an organisation that started on `start` has operated `months` full months by the end
    of `year` (31/12): start + months ≤ 1/1 of the next year."""
    if start is None:
        return True
    return add_months(start, months) <= datetime.date(year + 1, 1, 1)


def days_in_statuses(changes: Iterable[tuple[datetime.date, str]], year: int, statuses: Iterable[str]) -> int:
    """Days of `year` spent in one of `statuses`, from an effective-dated status list."""
    wanted = set(statuses)
    ordered = sorted(changes)
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    days = 0
    for index, (start, status) in enumerate(ordered):
        if status not in wanted:
            continue
        end = ordered[index + 1][0] - datetime.timedelta(days=1) if index + 1 < len(ordered) else last
        low, high = max(start, first), min(end, last)
        if high >= low:
            days += (high - low).days + 1
    return days


DAYS_PER_MONTH = 30  # "more than 3 months stopped" = more than 90 days in the year
STOPPED_STATUSES = ("suspended", "stopped")


@dataclass(frozen=True)
class ExclusionFacts:
    """What the exclusion rules look at for one organisation and year."""

    start: datetime.date | None
    status_changes: tuple[tuple[datetime.date, str], ...] = ()
    administrative_fine: bool = False


def applicable_exclusion(exclusions: list[dict], facts: ExclusionFacts, year: int) -> dict | None:
    """The exclusion that decides the result, if any: rules that take the organisation out of the
    rating ("not rated") come before rules that force a band."""
    ordered = sorted(exclusions, key=lambda e: e["result"] != Band.NOT_RATED)
    for rule in ordered:
        kind = rule["type"]
        if kind == ExclusionType.OPERATING_LESS_THAN:
            if not operating_months_reached(facts.start, year, int(rule["months"])):
                return rule
        elif kind == ExclusionType.STOPPED_MORE_THAN:
            days = days_in_statuses(facts.status_changes, year, rule.get("statuses") or STOPPED_STATUSES)
            if days > int(rule["months"]) * DAYS_PER_MONTH:
                return rule
        elif kind == ExclusionType.ADMINISTRATIVE_FINE and facts.administrative_fine:
            return rule
    return None


def result_band(score: Decimal | None, bands: list[dict], exclusion: dict | None) -> str | None:
    """The band an assessment gets: the exclusion's result when one applies, else the score's band."""
    if exclusion is not None:
        return exclusion["result"]
    if score is None:
        return None
    return band_for(score, bands)


__all__ = [
    "ROOT",
    "SCORE_BANDS",
    "ExclusionFacts",
    "Node",
    "Pool",
    "SchemeTree",
    "add_months",
    "applicable_exclusion",
    "band_for",
    "check_points",
    "days_in_statuses",
    "operating_months_reached",
    "propose",
    "result_band",
    "rule_band",
    "total",
]
