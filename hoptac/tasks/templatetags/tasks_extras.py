"""Small template helpers of the tasks pages."""

from django import template

register = template.Library()


@register.filter
def share(part, whole):
    """part / whole in % (0 when whole is 0), for meters."""
    try:
        return round(100 * float(part) / float(whole)) if whole else 0
    except (TypeError, ValueError):
        return 0
