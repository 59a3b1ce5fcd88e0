"""Helpers for tests that walk the whole URLconf (hoptac/tests/): every URL pattern with the methods its view
answers, and what a response amounts to ("200", "404", "login"…); small files of each kind an upload accepts.
Nothing here imports an app."""

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    """One URL pattern: `key` is its name with namespaces ("registry:organisation_list", DRF's
    "organisation-list") or, for an unnamed pattern, "/" and its route ("/" for the site root)."""

    key: str
    route: str
    callback: Any

    @property
    def answers_get(self) -> bool:
        actions = getattr(self.callback, "actions", None)
        if actions is not None:  # a DRF viewset: the router's method → action map
            return "get" in actions
        view_class = getattr(self.callback, "view_class", None)
        if view_class is None:  # a function view: no way to tell, count it as answering GET
            return True
        return "get" in view_class.http_method_names and hasattr(view_class, "get")


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if pattern.name:
                key = f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                key = "/" + route
            yield Route(key=key, route=route, callback=pattern.callback)


def url_routes(*, skip_prefixes: tuple[str, ...] = ()) -> dict[str, Route]:
    """Every pattern of the URLconf (the router's format-suffix variants fold into their name), except those
    whose route starts with one of `skip_prefixes`."""
    routes: dict[str, Route] = {}
    for route in _walk(get_resolver().url_patterns):
        if route.route.startswith(skip_prefixes):
            continue
        routes.setdefault(route.key, route)
    return routes


def outcome(response: HttpResponseBase) -> str:
    """ "login" for a redirect to the sign-in page, else the status code as text ("200", "302", "404"…)."""
    if response.status_code in (301, 302):
        login = resolve_url(settings.LOGIN_URL)
        return "login" if response["Location"].split("?")[0] == login else str(response.status_code)
    return str(response.status_code)


def workbook_text(content: bytes) -> str:
    """Every cell of every sheet of an .xlsx, as one text to search."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    values: list[str] = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            values.extend(str(value) for value in row if value is not None)
    return "\n".join(values)


def response_content(response: HttpResponseBase) -> bytes:
    """The body of an answer, sent whole or streamed (a FileResponse: an export sent from its file); read
    once and kept, so that a test may read it several times."""
    body = getattr(response, "_test_body", None)
    if body is None:
        if isinstance(response, StreamingHttpResponse):  # FileResponse too
            body = response.getvalue()
        else:
            assert isinstance(response, HttpResponse)
            body = response.content
        setattr(response, "_test_body", body)  # noqa: B010 - an attribute of our own on Django's response
    return body


def response_text(response: HttpResponseBase) -> str:
    """What a person or a program reads in the answer: the page or JSON, or a workbook's cells."""
    content = response_content(response)
    if response.get("Content-Type", "").startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    ):
        return workbook_text(content)
    return content.decode("utf-8", errors="replace")


# The smallest files whose content the upload checks (hoptac.core.uploads) take for what their name says.
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 16


def office_file(member: str) -> bytes:
    """An Office archive holding `member`: "word/document.xml" makes a .docx, "xl/workbook.xml" an .xlsx."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<x/>")
    return buffer.getvalue()
