"""Template filters that show numbers the Vietnamese way (1.234.567,8) whatever the active language."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def format_number(value, decimals: int = 0) -> str:
    if value is None or value == "":
        return "—"
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{number:,.{decimals}f}"
    return text.replace(",", "\u0001").replace(".", ",").replace("\u0001", ".")


@register.filter
def vnnum(value, decimals=0):
    """1234567.8|vnnum:1 → "1.234.567,8"."""
    return format_number(value, int(decimals))


@register.filter
def vnmoney(value):
    """An amount in đồng shown in millions: 1234567890 → "1.234,6 tr.đ"."""
    if value is None or value == "":
        return "—"
    unit = _("mil. VND")
    return f"{format_number(Decimal(value) / Decimal(1_000_000), 1)} {unit}"


@register.filter
def yesno_vi(value):
    if value is None:
        return "—"
    return _("Yes") if value else _("No")
