"""What every page's menu shows of the desk: the review queues waiting for the signed-in officer."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from . import selectors


def _menu(request: HttpRequest, user: Any) -> dict[str, Any]:
    queues = getattr(request, "desk_queues", None)  # already read by the desk itself
    if queues is None:
        kind = selectors.desk_kind(user)
        queues = selectors.review_queues(user=user, kind=kind, today=timezone.localdate())
    return {"queues": queues, "total": sum(queue.count for queue in queues if not queue.elsewhere)}


def review_queues(request: HttpRequest) -> dict[str, Any]:
    """`menu_queues`: {"queues": [Queue…], "total": n} for the menu's "Chờ duyệt", read only when a page
    shows the menu (lazily), for officers only (an empty list for the others)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"menu_queues": SimpleLazyObject(lambda: _menu(request, user))}
