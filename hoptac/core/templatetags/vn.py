"""Template filters that show figures the Vietnamese way (1.234.567,8; 13/10/2022) whatever the active
language: thin wrappers over hoptac.core.formatting."""

from django import template

from hoptac.core.formatting import (
    format_compact,
    format_money,
    format_number,
    format_percent,
    format_yes_no,
    person_name,
)

register = template.Library()


@register.filter
def vnnum(value, decimals=0):
    """1234567.8|vnnum:1 → "1.234.567,8"."""
    return format_number(value, int(decimals))


@register.filter
def vnmoney(value):
    """An amount in đồng shown in millions: 1234567890 → "1.234,6 tr.đ"."""
    return format_money(value)


@register.filter
def vnpercent(value, decimals=1):
    """8.66|vnpercent → "8,7%"."""
    return format_percent(value, int(decimals))


@register.filter
def vncompact(value, decimals=1):
    """Whole numbers without decimals: 6 → "6", 5.5 → "5,5"."""
    return format_compact(value, int(decimals))


@register.filter
def yesno_vi(value):
    return format_yes_no(value)


@register.filter
def person(value):
    """A user as people read them: their full name (hoptac.core.formatting.person_name)."""
    return person_name(value)
