"""The bell of the top bar: `{% load notifications %}{% unread_notification_count user as n %}` (one query)."""

from typing import Any

from django import template

from hoptac.accounts import roles

register = template.Library()


@register.simple_tag
def unread_notification_count(user: Any) -> int:
    if not roles.is_active(user):
        return 0
    from ..selectors import unread_count

    return unread_count(user=user)
