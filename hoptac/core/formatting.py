"""Numbers, money, percentages, dates and yes/no the Vietnamese way (1.234.567,8; 13/10/2022), whatever the
active language. The `vn` template filters, tables, selectors, exports and the annual report all call these;
nothing else formats a figure for people to read.

A missing value (None or "") is shown as an em dash everywhere.

One unit per quantity (docs/decisions/0032): `QUANTITIES` says, for every stored figure, the unit people read
it in, the scale from the stored unit and the decimals. Money is stored in đồng and always shown in triệu đồng
(1.250.000.000 → "1.250", 1.234.567.890 → "1.234,6"), with the unit in the column header ("Doanh thu (triệu
đồng)") or after the number ("1.250 triệu đồng"). Pages use the `vnqty`/`vnqty_num`/`vnunit` filters, exports
`excel_number` + `workbooks.COMPACT` + `header_with_unit`, the annual report the same functions."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


# ---------------------------------------------------------------------------------------------
# One unit per quantity


@dataclass(frozen=True)
class Quantity:
    """How a kind of figure is shown: its unit (as people read it), the stored value's divisor to get there
    and at most how many decimals (a whole number is shown without any: "1.250", "1.234,6")."""

    key: str
    unit: Promise | str
    scale: int = 1
    decimals: int = 0


MONEY = Quantity("money", gettext_lazy("million VND"), MILLION, 1)
MONEY_PER_PERSON = Quantity("money_per_person", gettext_lazy("million VND/person/year"), MILLION, 1)
MEMBERS = Quantity("members", gettext_lazy("members"))
PEOPLE = Quantity("people", gettext_lazy("people"))
PRODUCTS = Quantity("products", gettext_lazy("products"))

# Every kind by its key (what templates name: `value|vnqty:"money"`), and every stored figure by its field name.
KINDS: dict[str, Quantity] = {q.key: q for q in (MONEY, MONEY_PER_PERSON, MEMBERS, PEOPLE, PRODUCTS)}
QUANTITIES: dict[str, Quantity] = {
    "charter_capital": MONEY,
    "revenue": MONEY,
    "profit": MONEY,
    "total_assets": MONEY,
    "equity": MONEY,
    "state_support_amount": MONEY,
    "average_worker_income": MONEY_PER_PERSON,
    "official_individuals": MEMBERS,
    "official_households": MEMBERS,
    "official_legal_entities": MEMBERS,
    "official_members": MEMBERS,
    "official_total": MEMBERS,
    "associate_individuals": MEMBERS,
    "associate_households": MEMBERS,
    "associate_legal_entities": MEMBERS,
    "associate_members": MEMBERS,
    "workers": PEOPLE,
    "ocop_products": PRODUCTS,
}

# The fields whose display unit differs from the stored one (amounts: stored in đồng, shown in triệu đồng).
MONEY_QUANTITIES = frozenset(name for name, kind in QUANTITIES.items() if kind.scale != 1)


def quantity(name: str | Quantity) -> Quantity:
    """The Quantity of a kind ("money") or a field ("revenue"); KeyError for anything else."""
    if isinstance(name, Quantity):
        return name
    return KINDS[name] if name in KINDS else QUANTITIES[name]


def scaled(value: Any, name: str | Quantity) -> Decimal | None:
    """The stored value in the unit it is shown in: 1250000000 đồng → Decimal(1250) (triệu đồng)."""
    if value is None or value == "":
        return None
    kind = quantity(name)
    number = _decimal(value)
    return number / kind.scale if kind.scale != 1 else number


def unit_of(name: str | Quantity) -> str:
    return str(quantity(name).unit)


def format_quantity(value: Any, name: str | Quantity, *, unit: bool = True) -> str:
    """A stored figure in its display unit: revenue 1234567890 → "1.234,6 triệu đồng" ("1.234,6" without
    the unit, for a cell whose header carries it); a missing value is "—" without a unit."""
    number = scaled(value, name)
    if number is None:
        return MISSING
    text = format_compact(number, quantity(name).decimals)
    return f"{text} {unit_of(name)}" if unit else text


# A unit already written at the end of a label ("doanh thu (đồng)", the form's label: entered in đồng).
_LABEL_UNIT = re.compile(r"\s*\([^()]*\)\s*$")


def _header_with_unit(label: Any, name: str | Quantity) -> str:
    return f"{_LABEL_UNIT.sub('', str(label))} ({unit_of(name)})"


# A label with the display unit instead of any unit it carries: "doanh thu (đồng)" → "doanh thu (triệu đồng)".
# Lazy, so a table's header made at import time is still read in the page's language.
header_with_unit = lazy(_header_with_unit, str)


def excel_number(value: Any, name: str | Quantity) -> Decimal | None:
    """The number an export writes in a cell: a number in the display unit (1250 for 1.250.000.000 đồng),
    written with hoptac.core.workbooks.COMPACT (the Vietnamese look in Excel: 1.250 / 1.234,6)."""
    return scaled(value, name)


def to_millions(value: Any) -> Decimal | None:
    """An amount in đồng as millions of đồng (the unit of every amount shown)."""
    return scaled(value, MONEY)


def format_millions(value: Any, decimals: int = 1) -> str:
    """An amount in đồng as a number of millions, without the unit: 1234567890 → "1.234,6"."""
    return format_number(to_millions(value), decimals)


def format_money(value: Any) -> str:
    """An amount in đồng in millions with the unit: 1234567890 → "1.234,6 triệu đồng"."""
    return format_quantity(value, MONEY)


def format_date(value: datetime.date | datetime.datetime | None) -> str:
    """13/10/2022. A date-time is shown as its day in the local time zone."""
    if value is None:
        return MISSING
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.strftime(DATE_FORMAT)


def choice_labels(choices: Any) -> Callable[[Any], str]:
    """A choice's label from its stored value, every label translated once (for an export of many rows, in
    place of get_FOO_display on each): the value itself when it is not a choice, "" for a blank."""
    table = {value: str(label) for value, label in choices.choices}
    return lambda value: table.get(value, value)


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
