"""Numbers, money, percentages, dates and yes/no the Vietnamese way (1.234.567,8; 13/10/2022), whatever the
active language. The `vn` template filters, tables, selectors, exports and the annual report all call these;
nothing else formats a figure for people to read.

A missing value (None or "") is shown as an em dash everywhere."""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

MISSING = "—"
DATE_FORMAT = "%d/%m/%Y"
MILLION = 1_000_000
# A value this close to a whole number is shown without decimals by `format_compact` (float noise aside).
WHOLE_TOLERANCE = Decimal("0.005")


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def format_number(value: Any, decimals: int = 0, *, signed: bool = False) -> str:
    """1234567.85 → "1.234.567,9" (half up); never "-0"; with `signed`, "+" before a positive value."""
    if value is None or value == "":
        return MISSING
    number = _decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if number == 0:
        number = abs(number)  # -0.04 shown with one decimal is "0,0", not "-0,0"
    text = f"{number:,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"+{text}" if signed and number > 0 else text


def is_whole(value: Any) -> bool:
    number = _decimal(value)
    return abs(number - number.to_integral_value()) < WHOLE_TOLERANCE


def format_compact(value: Any, decimals: int = 1) -> str:
    """Whole numbers without decimals, others with `decimals`: points 6 → "6", 5.5 → "5,5"."""
    if value is None or value == "":
        return MISSING
    return format_number(value, 0 if is_whole(value) else decimals)


def format_percent(value: Any, decimals: int = 1, *, fraction: bool = False) -> str:
    """A percentage: 8.66 → "8,7%"; with `fraction`, 0.0866 → "8,7%"."""
    if value is None or value == "":
        return MISSING
    number = _decimal(value) * 100 if fraction else value
    return f"{format_number(number, decimals)}%"


def to_millions(value: Any) -> Decimal | None:
    """An amount in đồng as millions of đồng (the unit of reports and tables of amounts)."""
    if value is None or value == "":
        return None
    return _decimal(value) / MILLION


def format_millions(value: Any, decimals: int = 1) -> str:
    """An amount in đồng as a number of millions, without the unit: 1234567890 → "1.234,6"."""
    return format_number(to_millions(value), decimals)


def format_money(value: Any) -> str:
    """An amount in đồng in millions with the unit: 1234567890 → "1.234,6 tr.đ"."""
    if value is None or value == "":
        return MISSING
    unit = _("mil. VND")
    return f"{format_millions(value, 1)} {unit}"


def format_date(value: datetime.date | datetime.datetime | None) -> str:
    """13/10/2022. A date-time is shown as its day in the local time zone."""
    if value is None:
        return MISSING
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.strftime(DATE_FORMAT)


def format_yes_no(value: bool | None) -> str:
    if value is None:
        return MISSING
    return str(_("Yes") if value else _("No"))


def person_name(user: Any) -> str:
    """A person as people read them: their full name ("Nguyễn Văn An"); the username only for an account
    without a name; "—" for nobody."""
    if user is None:
        return MISSING
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full or getattr(user, "username", "") or MISSING
