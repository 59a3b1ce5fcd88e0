"""Forms of the plan pages: the "as of" date and map of the plan and target pages (GET), and a provincial
officer's assessment of a qualitative target (POST, saved by services.qualitative_assess)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.areas.forms import AREAS
from hoptac.areas.models import AdminMap, AdminUnit
from hoptac.core.forms import DATE_INPUT_FORMATS, ScopedModelChoiceField, date_field_setup

from .choices import TargetStatus
from .selectors import default_map, reference_areas

MAP_CHOICES = [
    ("", _("The map in force on that date")),
    (AdminMap.LEGACY, _("Communes and districts before 1/7/2025")),
    (AdminMap.CURRENT, _("Communes from 1/7/2025")),
]
INVALID_DATE = _("Enter a valid date: dd/mm/yyyy (or YYYY-MM-DD).")


class PlanViewForm(forms.Form):
    """`?as_of=dd/mm/yyyy&map=legacy|current`. Without a date: today; without a map: the one in force on
    the date."""

    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"invalid": INVALID_DATE},
    )
    map = forms.ChoiceField(label=_("Map for breakdowns"), choices=MAP_CHOICES, required=False)
    provisional = forms.BooleanField(
        label=_("Provisional figures (submitted data not yet accepted included)"), required=False
    )
    order = forms.ChoiceField(
        label=_("Order of the targets"),
        choices=[("", _("The plan's order")), ("severity", _("Most severe first"))],
        required=False,
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", "—"), *TargetStatus.choices], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date_field_setup(self.fields["as_of"])
        self.fields["map"].error_messages["invalid_choice"] = _("Choose one of the two maps.")

    def values(self) -> tuple[datetime.date, str, str]:
        """(as_of, map to use, map chosen or "") from the valid input, else the defaults."""
        data: dict = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data  # the fields that are valid: a wrong date keeps the chosen map
        as_of = data.get("as_of") or timezone.localdate()
        chosen = data.get("map") or ""
        return as_of, chosen or default_map(as_of), chosen

    def options(self) -> dict:
        """{"provisional": bool, "order": "" | "severity", "status": "" | a status} of the valid input."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        return {
            "provisional": bool(data.get("provisional")),
            "order": data.get("order") or "",
            "status": data.get("status") or "",
        }


class QualitativeAssessmentForm(forms.Form):
    as_of = forms.DateField(
        label=_("Assessed as of"), input_formats=DATE_INPUT_FORMATS, error_messages={"invalid": INVALID_DATE}
    )
    status = forms.ChoiceField(label=_("Assessment"), choices=[("", "---------"), *TargetStatus.choices])
    note = forms.CharField(
        label=_("Comments and evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done, what is still missing, and the documents it rests on."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date_field_setup(self.fields["as_of"])


class ReferenceValueForm(forms.Form):
    """A provincial officer enters a value of one of the plan's reference series (saved by
    services.reference_value_enter, with its history)."""

    series = forms.ChoiceField(label=_("Reference data"))
    area = ScopedModelChoiceField(label=_("Area"), queryset=AdminUnit.objects.none(), offer=AREAS)
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    value = forms.FloatField(label=_("Value"), min_value=0)
    source = forms.CharField(
        label=_("Source"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The document the value comes from, with its date (e.g. Niên giám thống kê 2024)."),
    )

    def __init__(self, *args, plan, series_list, **kwargs):
        super().__init__(*args, **kwargs)
        series_field = self.fields["series"]
        area_field = self.fields["area"]
        assert isinstance(series_field, forms.ChoiceField) and isinstance(area_field, ScopedModelChoiceField)
        series_field.choices = [(s.code, s.name) for s in series_list]
        area_field.queryset = reference_areas(plan).order_by("level", "code")
        self.fields["area"].error_messages["invalid_choice"] = _("Choose an area of the plan.")
