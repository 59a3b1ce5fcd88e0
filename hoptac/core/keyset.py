"""Keyset pagination (docs/decisions/0037-registry-lists-at-scale.md): a page of a sorted list is "the rows
after (or before) this position", where a position is the values of the sort key of one row — never "skip
the first N rows". Page 50 then costs what page 1 costs (an OFFSET makes the database produce and throw
away every earlier row), and a row added or removed meanwhile does not shift the pages.

One home for every list that pages this way: the registry's pages (through `KeysetPaginator`, a paginator
for django-tables2) and its API (`hoptac.core.api.KeysetPagination`).

- The order is the queryset's own (`order_by`, else the model's `Meta.ordering`), a relation expanded into
  its model's ordering, the primary key appended as the last tie-breaker: the order is total, so every row
  has exactly one place. Empty values sort last in either direction, on SQLite as on PostgreSQL.
- A cursor is the position (the sort key's values of the first or last row shown) and the direction,
  signed (django.core.signing) with the order it belongs to: a cursor that was altered, or that belongs to
  another sort, is ignored and the first page is shown — never an error.
- The page's rows are read in two steps: their keys by a narrow sorted query, then the rows themselves.
- The total is a count of the filtered rows, cached by data version (hoptac.core.dataversion), so it is
  exact and costs one query only after a change of the data. A list read one group at a time (`groups`: a
  year) counts its rows by group in that one query, and finds its next group among those counts, never by
  "the first value of the lead after this one" across a join (decision 0048).
- A list whose counts by group another source keeps exact (a tally kept by triggers, decision 0056) passes
  them as `counts` (a function giving {group: rows}, or None when it cannot say for this list): they are used
  instead of counting the rows, for the groups and for the total.
"""

import datetime
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.core import signing
from django.core.exceptions import FieldDoesNotExist, FieldError, ValidationError
from django.db.models import Count, F, Model, Q, QuerySet
from django.db.models.expressions import OrderBy

from . import dataversion

SALT = "hoptac.core.keyset"
# Counts by group kept elsewhere (`keyset_page`, `cached_count`): {group value: rows}, None when they cannot say.
Counts = Callable[[], dict[Any, int] | None]
DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class Term:
    """One sort key of the order: a field path (or an annotation's name), its direction, and whether it can
    be empty (then empty values come last)."""

    name: str
    descending: bool
    nullable: bool

    def order(self, *, backwards: bool = False) -> OrderBy:
        descending = self.descending != backwards
        expression = F(self.name)
        if not self.nullable:
            return expression.desc() if descending else expression.asc()
        # Forwards, empty values last; backwards (the same order read from its end), first.
        nulls = {"nulls_first": True} if backwards else {"nulls_last": True}
        return expression.desc(**nulls) if descending else expression.asc(**nulls)

    def equal(self, value: Any) -> Q:
        return Q(**{f"{self.name}__isnull": True}) if value is None else Q(**{self.name: value})

    def beyond(self, value: Any, *, backwards: bool) -> Q:
        """The rows strictly after `value` in this term's order (before it when `backwards`)."""
        if not backwards:
            if value is None:  # empty values come last: nothing is after them
                return Q(pk__in=[])
            after = Q(**{f"{self.name}__{'lt' if self.descending else 'gt'}": value})
            return after | Q(**{f"{self.name}__isnull": True}) if self.nullable else after
        if value is None:
            return Q(**{f"{self.name}__isnull": False})
        return Q(**{f"{self.name}__{'gt' if self.descending else 'lt'}": value})

    def at_or_beyond(self, value: Any, *, backwards: bool) -> Q:
        """`value` or after it: one range condition (a ≥ x), which an index can start from."""
        if value is None:
            return self.equal(value) | self.beyond(value, backwards=backwards)
        lookup = "lte" if self.descending != backwards else "gte"
        condition = Q(**{f"{self.name}__{lookup}": value})
        if self.nullable and not backwards:  # empty values come after every value
            condition |= Q(**{f"{self.name}__isnull": True})
        return condition


def _field_path(model: type[Model], path: str) -> tuple[Any, bool]:
    """The field a `__` path ends on and whether the path can give an empty value (a nullable field or
    relation on the way)."""
    nullable = False
    field: Any = None
    current = model
    for part in path.split("__"):
        field = current._meta.pk if part == "pk" else current._meta.get_field(part)
        nullable = nullable or bool(getattr(field, "null", False))
        if getattr(field, "attname", None) == part != field.name:  # "organisation_id": the key itself
            return field.target_field, nullable
        if field.is_relation and field.related_model is not None:
            current = field.related_model
    return field, nullable


def ordering_terms(queryset: QuerySet) -> list[Term]:
    """The queryset's order as terms, relations expanded into their model's ordering, the primary key last."""
    model = queryset.model
    raw = list(queryset.query.order_by) or list(model._meta.ordering)
    terms: list[Term] = []

    def add(name: str, descending: bool, on_model: type[Model], prefix: str) -> None:
        path = f"{prefix}{name}"
        if not prefix and name in queryset.query.annotations:
            terms.append(Term(name, descending, nullable=True))
            return
        field, nullable = _field_path(model, path)
        if field.is_relation and field.related_model is not None:
            related = field.related_model
            for item in list(related._meta.ordering) or ["pk"]:
                if not isinstance(item, str):
                    raise FieldError(f"keyset pagination: unsupported ordering {item!r}")
                add(item.lstrip("-"), descending != item.startswith("-"), related, f"{path}__")
            return
        terms.append(Term(path, descending, nullable))

    for item in raw:
        if not isinstance(item, str) or item == "?":
            raise FieldError(f"keyset pagination: unsupported ordering {item!r}")
        add(item.lstrip("-"), item.startswith("-"), model, "")
    if not any(term.name in ("pk", "id", model._meta.pk.attname) for term in terms):
        terms.append(Term("pk", False, nullable=False))
    # A term after the primary key never decides anything.
    for index, term in enumerate(terms):
        if term.name in ("pk", "id", model._meta.pk.attname):
            return terms[: index + 1]
    return terms


def _read(obj: Any, path: str) -> Any:
    for part in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def _signature(terms: Sequence[Term]) -> list[str]:
    return [("-" if term.descending else "") + term.name for term in terms]


def make_cursor(terms: Sequence[Term], row: Any, *, backwards: bool, number: int) -> str:
    values = [_encode(_read(row, term.name)) for term in terms]
    payload = {"o": _signature(terms), "v": values, "b": backwards, "n": number}
    return signing.dumps(payload, salt=SALT, compress=True)


def read_cursor(terms: Sequence[Term], cursor: str | None) -> tuple[list[Any], bool, int] | None:
    """The position, direction and page number of a cursor made for this order; None for no cursor, an
    altered one or one of another order."""
    if not cursor:
        return None
    try:
        data = signing.loads(cursor, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("o") != _signature(terms):
        return None
    values = data.get("v")
    number = data.get("n")
    if not isinstance(values, list) or len(values) != len(terms) or not isinstance(number, int):
        return None
    return values, bool(data.get("b")), max(1, number)


def after_position(terms: Sequence[Term], values: Sequence[Any], *, backwards: bool) -> Q:
    """Rows strictly after the position (before it when `backwards`): for the order (a, b, c),
    a > x or (a = x and (b > y or (b = y and c > z))), with a ≥ x in front so an index on a can start there."""
    condition = terms[-1].beyond(values[-1], backwards=backwards)
    for term, value in zip(reversed(terms[:-1]), reversed(values[:-1]), strict=True):
        condition = term.beyond(value, backwards=backwards) | (term.equal(value) & condition)
    return terms[0].at_or_beyond(values[0], backwards=backwards) & condition


@dataclass
class KeysetPage:
    rows: list[Any]
    has_next: bool
    has_previous: bool
    next_cursor: str | None
    previous_cursor: str | None
    # The page's number counted from the first page as the reader moved (next: +1, previous: -1); where rows
    # were added or removed meanwhile it is where the reader walked, not a recount (the total is exact).
    number: int = 1


def _grouped_keys(
    queryset: QuerySet,
    terms: Sequence[Term],
    values: Sequence[Any] | None,
    *,
    backwards: bool,
    limit: int,
    counts: Counts | None = None,
) -> list[Any]:
    """The keys of the next `limit` rows, read one value of the first term at a time (a year): within one
    value the rest of the order can be read from an index (the organisation's name), which a sort on
    (year, name across a join) cannot. Same rows, same order as the plain query."""
    lead, rest = terms[0], terms[1:]
    rest_order = [term.order(backwards=backwards) for term in rest]
    # The groups that have rows, in the direction read, from the cached counts by group: "the first year
    # after 2024 among this officer's rows" as a query walks the year index across the whole registry,
    # joining each row to its organisation until one is in scope (~400 ms for a province, decision 0048).
    reverse = lead.descending != backwards
    to_python = _field_path(queryset.model, lead.name)[0].to_python

    def next_group(after: Any) -> Any:
        present = sorted(counts_by_group(queryset, lead.name, counts), reverse=reverse)  # when a group ends
        if after is None:
            return present[0] if present else None
        after = to_python(after)
        return next((value for value in present if (value < after if reverse else value > after)), None)

    if values is None:
        group, condition = next_group(None), Q()
    else:
        group, condition = values[0], after_position(rest, values[1:], backwards=backwards)
    keys: list[Any] = []
    while group is not None and len(keys) < limit:
        rows = queryset.filter(lead.equal(group)).filter(condition).order_by(*rest_order)
        keys += list(rows.values_list("pk", flat=True)[: limit - len(keys)])
        if len(keys) < limit:
            group, condition = next_group(group), Q()
    return keys


def keyset_page(
    queryset: QuerySet,
    *,
    cursor: str | None,
    size: int,
    groups: Sequence[str] = (),
    counts: Counts | None = None,
) -> KeysetPage:
    """One page of `size` rows of `queryset` (in its order) at `cursor` (the first page without one). Two
    cursors come back: the next page's (after the last row) and the previous page's (before the first).
    `groups`: fields with few values (a year) that, when the order starts with one of them, are read one
    value at a time (`_grouped_keys`); `counts`: the rows of `queryset` by value of that field, kept elsewhere
    (used instead of `group_counts` when it gives an answer)."""
    terms = ordering_terms(queryset)
    size = max(1, min(size, MAX_PAGE_SIZE))
    position = read_cursor(terms, cursor)
    backwards, number = False, 1
    page_qs = queryset
    values: list[Any] | None = None
    if position is not None:
        values, backwards, number = position
        try:
            page_qs = queryset.filter(after_position(terms, values, backwards=backwards))
        except (ValueError, TypeError, ValidationError, FieldDoesNotExist):
            page_qs, backwards, number, position, values = queryset, False, 1, None, None
    # Two steps: the page's keys from a narrow query (the sort reads only the sort key's columns, not every
    # column of every joined table), then those rows in full.
    if grouped_by(queryset, groups) is not None:
        keys = _grouped_keys(queryset, terms, values, backwards=backwards, limit=size + 1, counts=counts)
    else:
        page_qs = page_qs.order_by(*(term.order(backwards=backwards) for term in terms))
        keys = list(page_qs.values_list("pk", flat=True)[: size + 1])
    more = len(keys) > size
    keys = keys[:size]
    found = {row.pk: row for row in queryset.order_by().filter(pk__in=keys)} if keys else {}
    rows = [found[key] for key in keys if key in found]
    if backwards:
        rows.reverse()
        has_previous, has_next = more, True
        if not more:  # back at the start, whatever the count said
            number = 1
    else:
        has_previous, has_next = position is not None, more
    return KeysetPage(
        rows=rows,
        has_next=has_next and bool(rows),
        has_previous=has_previous and bool(rows),
        next_cursor=make_cursor(terms, rows[-1], backwards=False, number=number + 1)
        if has_next and rows
        else None,
        previous_cursor=make_cursor(terms, rows[0], backwards=True, number=max(1, number - 1))
        if has_previous and rows
        else None,
        number=number,
    )


def grouped_by(queryset: QuerySet, groups: Sequence[str]) -> str | None:
    """The field a keyset page of `queryset` is read by, one value at a time (`keyset_page`'s `groups`): the
    first term of its order when it is one of `groups` and never empty; None when the page is read plainly."""
    terms = ordering_terms(queryset)
    lead = terms[0]
    return lead.name if len(terms) > 1 and lead.name in groups and not lead.nullable else None


def group_counts(queryset: QuerySet, field: str) -> dict[Any, int]:
    """The number of rows of `queryset` by value of `field` (the values that have rows), exact, in one
    query, cached by data version and by the query itself."""
    rows = queryset.order_by().values_list(field).annotate(rows=Count("pk")).values_list(field, "rows")
    return dataversion.cached_query("keyset_group_counts", rows, lambda: dict(rows))


def counts_by_group(queryset: QuerySet, field: str, counts: Counts | None = None) -> dict[Any, int]:
    """The rows of `queryset` by value of `field`: `counts()` when given and it answers, else `group_counts`."""
    found = counts() if counts is not None else None
    return found if found is not None else group_counts(queryset, field)


def cached_count(queryset: QuerySet, groups: Sequence[str] = (), counts: Counts | None = None) -> int:
    """The number of rows of `queryset`, exact, cached by data version and by the query itself. A list read
    by groups (`grouped_by`) adds up its counts by group: the query that finds its groups counts it too. A list
    given its `counts` by group (whatever its order) adds them up when they answer."""
    found = counts() if counts is not None else None
    if found is not None:
        return sum(found.values())
    field = grouped_by(queryset, groups) if groups else None
    if field is not None:
        return sum(group_counts(queryset, field).values())
    return dataversion.cached_query("keyset_count", queryset.order_by(), queryset.count)


class KeysetPaginator:
    """django-tables2's `paginator_class` for keyset pages: `table.paginate(paginator_class=KeysetPaginator,
    per_page=25, cursor=request.GET.get("cursor"))`. The table's (sorted) queryset is paged at the cursor;
    `count` is the total (cached_count); `page()` ignores page numbers."""

    keyset = True

    def __init__(
        self,
        rows: Any,
        per_page: int,
        cursor: str | None = None,
        groups: Sequence[str] = (),
        counts: Counts | None = None,
        **kwargs: Any,
    ) -> None:
        self.rows = rows
        self.groups = groups
        self.counts = counts
        self.per_page = max(1, min(int(per_page or DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE))
        self.cursor = cursor
        self.queryset: QuerySet = rows.data.data

    @cached_property
    def count(self) -> int:
        return cached_count(self.queryset, self.groups, self.counts)

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.count / self.per_page))

    def page(self, number: Any = 1) -> "KeysetTablePage":
        from django_tables2.rows import BoundRows

        page = keyset_page(
            self.queryset, cursor=self.cursor, size=self.per_page, groups=self.groups, counts=self.counts
        )
        rows = BoundRows(data=page.rows, table=self.rows.table, pinned_data=self.rows.pinned_data)
        return KeysetTablePage(page, rows, self)


class KeysetTablePage:
    """What the table template reads of a page: its rows (`object_list`) and the links to its neighbours."""

    keyset = True

    def __init__(self, page: KeysetPage, object_list: Any, paginator: KeysetPaginator) -> None:
        self.object_list = object_list
        self.paginator = paginator
        self.has_next = page.has_next
        self.has_previous = page.has_previous
        self.next_cursor = page.next_cursor
        self.previous_cursor = page.previous_cursor
        self.number = min(page.number, paginator.num_pages) if page.has_previous else 1

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def __len__(self) -> int:
        return len(self.object_list)
