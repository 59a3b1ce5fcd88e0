"""Template filters that show figures the Vietnamese way (1.234.567,8; 13/10/2022) whatever the active
language: thin wrappers over hoptac.core.formatting."""

from django import template

from hoptac.core.formatting import (
    format_compact,
    format_money,
    format_number,
    format_percent,
    format_quantity,
    format_yes_no,
    person_name,
    unit_of,
)

register = template.Library()


@register.filter
def vnnum(value, decimals=0):
    """1234567.8|vnnum:1 → "1.234.567,8"."""
    return format_number(value, int(decimals))


@register.filter
def vnmoney(value):
    """An amount in đồng shown in millions: 1234567890 → "1.234,6 triệu đồng"."""
    return format_money(value)


@register.filter
def vnqty(value, name):
    """A stored figure in its one display unit, with the unit: revenue|vnqty:"revenue" → "1.250 triệu đồng";
    `name` is a field ("revenue") or a kind ("money") of hoptac.core.formatting.QUANTITIES."""
    return format_quantity(value, name)


@register.filter
def vnqty_num(value, name):
    """The same number without the unit, for a cell whose header carries it: "1.250"."""
    return format_quantity(value, name, unit=False)


@register.filter
def vnunit(name):
    """The display unit of a field or kind, for a header: "revenue"|vnunit → "triệu đồng"."""
    return unit_of(name)


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
