"""What every page's layout shows about the signed-in user."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import roles


def user_role(request: HttpRequest) -> dict[str, Any]:
    """`user_role_label`: the role badge beside the user's name (computed only when a page shows it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "user_role_label": SimpleLazyObject(lambda: roles.role_label(user)),
        "user_can_view_audit": roles.can_view_audit(user),
        "user_sees_data_sources": roles.sees_data_sources(user),
        "user_sees_team_notes": roles.sees_team_notes(user),
    }
