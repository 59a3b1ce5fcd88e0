"""Registry figures for pages of the apps below it (accounts): they load this library rather than the
registry being imported by their views (docs/decisions/0009-app-layering.md)."""

from django import template

from hoptac.accounts.models import User
from hoptac.registry import selectors

register = template.Library()


@register.simple_tag
def visible_organisation_count(user: User) -> int:
    """How many organisations `user` may see (the profile page's "… organisations visible to you")."""
    return selectors.organisation_list(user=user).count()
