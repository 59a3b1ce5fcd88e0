"""hoptac.core.formatting: every figure people read, and the vn template filters over it."""

import datetime
from decimal import Decimal

from django.template import Context, Template
from django.utils import timezone

from hoptac.core.formatting import (
    format_compact,
    format_date,
    format_millions,
    format_money,
    format_number,
    format_percent,
    format_yes_no,
    to_millions,
)


def test_numbers_use_dots_for_thousands_and_a_comma_for_decimals():
    assert format_number(1234567.85, 1) == "1.234.567,9"
    assert format_number(Decimal("1500000")) == "1.500.000"
    assert format_number(2.5) == "3"  # half up, not to even
    assert format_number(-1234.5, 1) == "-1.234,5"
    assert format_number(None) == format_number("") == "—"


def test_no_negative_zero_and_a_plus_sign_on_request():
    assert format_number(-0.04, 1) == "0,0"
    assert format_number(-0.4) == "0"
    assert format_number(1.56, 1, signed=True) == "+1,6"
    assert format_number(0.04, 1, signed=True) == "0,0"  # shown as zero: no sign
    assert format_number(-3, signed=True) == "-3"


def test_compact_numbers_drop_the_decimals_of_whole_numbers():
    assert format_compact(Decimal("6.0")) == "6"
    assert format_compact(Decimal("5.5")) == "5,5"
    assert format_compact(Decimal("0.25"), 2) == "0,25"
    assert format_compact(699.9999999) == "700"  # float noise
    assert format_compact(None) == "—"


def test_percentages_of_numbers_and_of_fractions():
    assert format_percent(8.66) == "8,7%"
    assert format_percent(0.0866, fraction=True) == "8,7%"
    assert format_percent(-0.0001, fraction=True) == "0,0%"
    assert format_percent(None) == "—"


def test_money_in_millions_of_dong():
    assert to_millions(1_234_567_890) == Decimal("1234.56789")
    assert format_millions(1_234_567_890) == "1.234,6"
    assert format_millions(2_500_000, 0) == "3"
    assert format_money(1_234_567_890) == "1.234,6 triệu đồng"
    assert format_money(1_250_000_000) == "1.250 triệu đồng"  # whole millions without decimals
    assert format_money(None) == "—"


def test_dates_day_first_and_date_times_on_the_local_day():
    assert format_date(datetime.date(2022, 10, 13)) == "13/10/2022"
    # 20:00 UTC on 12 October is already 13 October in Hanoi.
    late = datetime.datetime(2022, 10, 12, 20, 0, tzinfo=datetime.UTC)
    assert format_date(late) == "13/10/2022"
    assert format_date(timezone.make_naive(late)) == "13/10/2022"
    assert format_date(None) == "—"


def test_yes_no():
    assert format_yes_no(True) == "Có"
    assert format_yes_no(False) == "Không"
    assert format_yes_no(None) == "—"


def test_template_filters_are_the_same_functions():
    template = Template(
        "{% load vn %}{{ n|vnnum:1 }} {{ m|vnmoney }} {{ p|vnpercent }} {{ c|vncompact }} {{ b|yesno_vi }}"
    )
    context = Context({"n": 1234.56, "m": 1_500_000_000, "p": 20.25, "c": Decimal("7.0"), "b": True})
    assert template.render(context) == "1.234,6 1.500 triệu đồng 20,3% 7 Có"


def test_quantity_filters_name_the_one_unit():
    template = Template(
        '{% load vn %}{{ r|vnqty:"revenue" }}|{{ r|vnqty_num:"money" }}|{{ "revenue"|vnunit }}'
    )
    assert template.render(Context({"r": 1_234_567_890})) == "1.234,6 triệu đồng|1.234,6|triệu đồng"
