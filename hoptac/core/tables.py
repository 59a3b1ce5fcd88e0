"""The list pages' tables: django-tables2, with the body rendered in one pass (docs/decisions/0037).

django-tables2 renders each cell through generic machinery — the render method's signature inspected, the
column's attributes computed and the cell passed through the template engine, again for every cell — which
is most of a list page's CPU (25 rows × 13 columns). `Table.body_rows()` gives the same cells (the same
`render_FOO` methods and columns, `get_FOO_display` for choices, empty values shown as the column's
default) with what does not change from row to row worked out once per column, and each row as finished
HTML. The shared table template (templates/django_tables2/hoptac.html) uses it when the table has it."""

from typing import Any

import django_tables2 as tables
from django.core.paginator import Paginator
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django_tables2.utils import signature


class Table(tables.Table):
    renders_body = True

    def _cell_renderers(self) -> list[tuple[Any, str | None, Any]]:
        """Per column: the bound column, its `<td>` attributes and a function (bound column, value) → cell."""
        plans = []
        for bound_column in self.columns:
            render = bound_column.render
            args, kwargs_name = signature(render)
            wanted = None if kwargs_name else frozenset(args)
            attrs = bound_column.column.attrs
            if any(callable(v) for part in attrs.values() if isinstance(part, dict) for v in part.values()):
                td = None  # attributes computed from the record: read per cell, as django-tables2 does
            else:
                td = bound_column.attrs["td"].as_html()

            def call(bound, value=None, *, row, render=render, wanted=wanted, link=bound_column.link):
                everything = {
                    "value": value,
                    "record": row.record,
                    "column": bound.column,
                    "bound_column": bound,
                    "bound_row": row,
                    "table": self,
                }
                if wanted is None:
                    content = render(**everything)
                elif not wanted <= everything.keys():
                    content = None
                else:
                    content = render(**{key: everything[key] for key in wanted})
                return link(content, **everything) if link else content

            plans.append((bound_column, td, call))
        return plans

    def body_rows(self) -> list[SafeString]:
        """The table body's rows as HTML, the cells those of django-tables2's `row.items`."""
        plans = self._cell_renderers()
        context = Context(autoescape=True)
        rows = []
        for row in self.paginated_rows:
            cells = []
            for bound_column, td, call in plans:
                value = row._get_and_render_with(
                    bound_column,
                    render_func=lambda bound, value=None, call=call, row=row: call(bound, value, row=row),
                    default=bound_column.default,
                )
                if td is None:
                    bound_column.current_value, bound_column.current_record = value, row.record
                    attrs = bound_column.attrs["td"].as_html()
                else:
                    attrs = td
                cells.append((attrs, render_value_in_context(value, context)))
            body = format_html_join("", "<td {}>{}</td>", cells)
            rows.append(format_html("<tr {}>{}</tr>", row.attrs.as_html(), body))
        return rows


class CountedPaginator(Paginator):
    """A page-number paginator told its number of rows (`count=`) by a page that already has it exactly (the
    rating calendar's state counts, cached by data version), so paging costs no second COUNT of the same
    rows: `RequestConfig(request, paginate={"paginator_class": CountedPaginator, "count": n, ...})`."""

    def __init__(self, object_list: Any, per_page: int, *args: Any, count: int, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, *args, **kwargs)
        self.__dict__["count"] = count  # Paginator.count is a cached_property: its cached value, given
