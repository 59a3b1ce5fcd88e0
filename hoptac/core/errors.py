"""The error pages of the whole site (hoptac/urls.py handler400/403/404/500): under /api/ a JSON body
`{"detail": "…"}` in Vietnamese, as DRF answers the errors it handles itself, so an API client never parses an
HTML page; elsewhere Django's own views and our templates (403.html, 404.html, 500.html).

DRF already turns the exceptions raised inside a viewset into JSON (hoptac.core.api.exception_handler); these
handlers answer what happens outside it: an unknown /api/ URL, a body over the size cap (400), a CSRF refusal
(403) and an unhandled exception (500), which with DEBUG off would otherwise be an HTML page."""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"detail": _("The request could not be read (too large or malformed).")}, status=400
        )
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("You do not have permission to perform this action.")}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"detail": _("Something went wrong on our side. Please try again in a moment.")}, status=500
        )
    return defaults.server_error(request)
