"""Template filters of the scoring pages: points, badges and figures the Vietnamese way."""

from django import template

from hoptac.core.formatting import format_compact, format_money, format_number, format_percent, format_yes_no

from ..choices import SizeClass
from ..tables import band_badge, state_badge

register = template.Library()


@register.filter
def pts(value):
    """Points: 6 → "6", 5.5 → "5,5", None → "—"."""
    return format_compact(value, 1)


# The badges the tables draw (scoring/tables.py), for the pages' own markup.
register.filter("band_badge", band_badge)
register.filter("state_badge", state_badge)


@register.filter
def size_label(code):
    return SizeClass(code).label if code else "—"


@register.filter
def figure(value, unit):
    """A yearly-data figure in its unit: money in millions, percentages, yes/no, counts."""
    if unit == "vnd":
        return format_money(value)
    if unit == "pct":
        return format_percent(value)
    if unit == "bool":
        return format_yes_no(value)
    return format_number(value)


@register.filter
def amount(value, unit):
    """A rule threshold: money in millions of đồng, other units as they are."""
    if value is None:
        return ""
    if unit == "vnd":
        return format_money(value)
    if unit == "pct":
        return format_percent(value)
    return format_number(value)


@register.filter
def sector_label(code):
    from hoptac.registry.choices import Sector

    return Sector(code).label if code else "—"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def bar_width(value):
    """A percentage (0–100) as a CSS width, clamped."""
    if value is None:
        return "0%"
    return f"{max(0.0, min(100.0, float(value))):.1f}%"


@register.simple_tag
def is_rated(organisation) -> bool:
    """Whether organisations of this kind are rated at all (a scheme covers the kind): a THT is not, so its
    page offers no rating (`{% load scoring %}{% is_rated organisation as rated %}` on the registry page)."""
    from ..models import Scheme

    return any(organisation.kind in (scheme.kinds or []) for scheme in Scheme.objects.only("kinds"))
