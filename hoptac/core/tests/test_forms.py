"""hoptac.core.forms: dd/mm/yyyy dates, amounts with thousand separators, a service's errors on a form, a
<select> of thousands of options written in Python."""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from hoptac.core.forms import (
    DATE_INPUT_FORMATS,
    QuickSelect,
    add_service_errors,
    date_field_setup,
    money_field_setup,
    year_field_setup,
)


class SampleForm(forms.Form):
    day = forms.DateField()
    amount = forms.DecimalField(max_digits=15, decimal_places=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date_field_setup(self.fields["day"])
        money_field_setup(self.fields["amount"])


def test_dates_are_typed_day_first_or_iso_and_shown_day_first():
    assert DATE_INPUT_FORMATS[0] == "%d/%m/%Y"
    for typed in ("13/10/2022", "2022-10-13"):
        form = SampleForm(data={"day": typed, "amount": "1"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == datetime.date(2022, 10, 13)
    html = str(SampleForm(initial={"day": datetime.date(2022, 10, 13)})["day"])
    assert (
        'value="13/10/2022"' in html and 'placeholder="dd/mm/yyyy"' in html and 'inputmode="numeric"' in html
    )


def test_a_year_is_a_number_input_from_1990_to_2100():
    field = forms.IntegerField()
    year_field_setup(field)
    html = field.widget.render("year", 2024)
    assert (
        'type="number"' in html and 'min="1990"' in html and 'max="2100"' in html and 'value="2024"' in html
    )


def test_amounts_are_typed_and_shown_with_thousand_separators():
    form = SampleForm(data={"day": "13/10/2022", "amount": "1.500.000"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal(1_500_000)
    assert 'value="1.500.000"' in str(SampleForm(initial={"amount": Decimal(1_500_000)})["amount"])


def test_service_errors_go_on_their_field_or_on_top_of_the_form():
    form = SampleForm(data={"day": "13/10/2022", "amount": "1"})
    assert form.is_valid()
    add_service_errors(form, ValidationError({"amount": "Quá lớn.", "not_on_the_form": "Sai."}))
    assert form.errors["amount"] == ["Quá lớn."]
    assert form.non_field_errors() == ["Sai."]
    other = SampleForm(data={"day": "13/10/2022", "amount": "1"})
    other.is_valid()
    add_service_errors(other, ValidationError("Không được phép."))
    assert other.non_field_errors() == ["Không được phép."]


QUICK_CHOICES = [
    ("", "— Tất cả —"),
    ('Quận/huyện <cũ> & "mới"', [(7, "Huyện Hải Hậu"), (8, "Huyện <Giao> Thủy")]),
    ("Tỉnh Ninh Bình — từ 1/7/2025", [(9, "Xã Hải Minh"), (10, "Xã 'Giao' Xuân & Hòa")]),
    (11, "Tỉnh Ninh Bình"),
]


def _normalised(html: str) -> str:
    return "".join(line.strip() for line in html.splitlines())


def test_a_quick_select_writes_what_djangos_select_templates_write():
    """Same markup as Django's select.html and option.html (but for blank lines): optgroups, the selected
    option (the first one only), escaped labels and values, the attributes a bound field adds."""
    for value in (None, "", 8, "10", 11, "999"):
        for attrs in (
            None,
            {"id": "id_area", "required": True, "aria-describedby": 'a"b', "disabled": False},
        ):
            django = forms.Select(choices=QUICK_CHOICES, attrs={"class": "wide"})
            quick = QuickSelect(choices=QUICK_CHOICES, attrs={"class": "wide"})
            expected = _normalised(django.render("area", value, attrs))
            assert _normalised(quick.render("area", value, attrs)) == expected, (value, attrs)
    html = QuickSelect(choices=QUICK_CHOICES).render("area", 8)
    assert '<option value="8" selected>Huyện &lt;Giao&gt; Thủy</option>' in html
    assert 'label="Quận/huyện &lt;cũ&gt; &amp; &quot;mới&quot;"' in html
