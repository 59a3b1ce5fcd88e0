"""hoptac.core.forms: dd/mm/yyyy dates, amounts with thousand separators, a service's errors on a form."""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from hoptac.core.forms import (
    DATE_INPUT_FORMATS,
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
