"""Forms of the tasks pages. They parse input; services validate again and check rights."""

import datetime
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.areas.forms import AREAS, area_field_setup
from hoptac.core.forms import (
    DATE_INPUT_FORMATS,
    INVALID_CHOICE,
    ScopedModelChoiceField,
    ScopedModelMultipleChoiceField,
    date_field_setup,
)

from . import selectors
from .choices import Every, ItemKind, ProgressStatus
from .models import Agency, TaskAssignment
from .recurrence import Schedule

FIGURE_ROWS = 6
EARLIEST = datetime.date(2000, 1, 1)


class AgencyChoiceField(ScopedModelChoiceField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, offer=selectors.AGENCIES, **kwargs)

    def label_from_instance(self, obj: Agency) -> str:
        return obj.name


class AgencyMultipleChoiceField(ScopedModelMultipleChoiceField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, offer=selectors.AGENCIES, **kwargs)

    def label_from_instance(self, obj: Agency) -> str:
        return obj.name


def default_range(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """From the start of last year to the end of this one: what is due, late or coming."""
    return datetime.date(today.year - 1, 1, 1), datetime.date(today.year, 12, 31)


class CalendarFilterForm(forms.Form):
    """Filters shared by the calendar, the overdue lists, the scorecard and the export."""

    LIST, MONTH = "list", "month"
    view = forms.ChoiceField(
        label=_("View"),
        choices=[
            (LIST, _("List")),
            (MONTH, _("Month")),
        ],
        required=False,
    )
    start = forms.DateField(label=_("Due from"), required=False, input_formats=DATE_INPUT_FORMATS)
    end = forms.DateField(label=_("Due until"), required=False, input_formats=DATE_INPUT_FORMATS)
    month = forms.CharField(label=_("Month"), required=False, widget=forms.HiddenInput)
    kind = forms.MultipleChoiceField(
        label=_("Kind"), choices=ItemKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    agency = AgencyChoiceField(label=_("Agency"), queryset=Agency.objects.none(), required=False)
    area = ScopedModelChoiceField(
        label=_("Area"), queryset=selectors.area_choices().none(), required=False, offer=AREAS
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)

    def __init__(self, *args, today: datetime.date, all_past: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        date_field_setup(self.fields["start"])
        date_field_setup(self.fields["end"])
        start, end = default_range(today)
        self.fields["start"].initial = None if all_past else start
        self.fields["end"].initial = end
        agency = cast(AgencyChoiceField, self.fields["agency"])
        agency.queryset = selectors.agency_list()
        agency.empty_label = _("All agencies")
        area = cast(ScopedModelChoiceField, self.fields["area"])
        area.queryset = selectors.area_choices()
        # The registry's area picker (hoptac.areas.forms.area_field_setup, decision 0052): provinces, districts
        # and the communes agencies govern, grouped; over several provinces (the national registry: ~800 units)
        # the provinces, then the chosen province's units. Not cached: the agencies' communes are not data the
        # data version watches (and the list costs two small queries).
        area_field_setup(
            area,
            chosen=self.data.get("area") if self.is_bound else None,
            empty_label=_("All areas"),
            cached=False,
        )
        for name in ("agency", "view"):
            self.fields[name].error_messages["invalid_choice"] = INVALID_CHOICE

    def filter(self, *, all_past: bool = False) -> selectors.CalendarFilter:
        """The filter of the form's input; without dates, last year and this year — or, with `all_past`
        (overdue lists, scorecard), everything due since the beginning."""
        start, end = default_range(self.today)
        if all_past:
            start = EARLIEST
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("view") == self.MONTH:
            first = self.month_start()
            last = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(
                days=1
            )
            start, end = first, last
        else:
            start = data.get("start") or start
            end = data.get("end") or end
        return selectors.CalendarFilter(
            start=start,
            end=end,
            kinds=data.get("kind") or [],
            agency=data.get("agency"),
            area=data.get("area"),
            only_overdue=bool(data.get("overdue")),
        )

    def month_start(self) -> datetime.date:
        value = (self.cleaned_data.get("month") if self.is_bound and self.is_valid() else "") or ""
        try:
            year, month = (int(p) for p in value.split("-"))
            return datetime.date(year, month, 1)
        except ValueError:
            return self.today.replace(day=1)

    @property
    def is_month(self) -> bool:
        return self.is_bound and self.is_valid() and self.cleaned_data.get("view") == self.MONTH


class AssignmentForm(forms.ModelForm):
    """An officer assigns a task: lead, co-operating agencies, note, expected output and schedule."""

    lead_agency = AgencyChoiceField(label=_("Lead agency"), queryset=Agency.objects.none())
    cooperating_agencies = AgencyMultipleChoiceField(
        label=_("Co-operating agencies"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
    )

    class Meta:
        model = TaskAssignment
        fields = [
            "lead_agency",
            "cooperating_agencies",
            "note",
            "expected_output",
            "every",
            "due_month",
            "due_day",
            "from_year",
            "to_year",
            "deadline",
        ]
        widgets = {
            "note": forms.Textarea(attrs={"rows": 2}),
            "expected_output": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"every": _("Report"), "note": _("Assignment note (document, reason)")}
        help_texts = {
            "note": _(
                "E.g. the official letter that assigns it. Shown as assigned by an officer, not by the plan."
            ),
        }

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        in_force = selectors.agency_list(on=today)
        cast(AgencyChoiceField, self.fields["lead_agency"]).queryset = in_force
        cast(AgencyMultipleChoiceField, self.fields["cooperating_agencies"]).queryset = in_force
        every = cast(forms.ChoiceField, self.fields["every"])  # a model field with choices
        every.choices = [("", _("Once, by the deadline"))] + list(Every.choices)
        date_field_setup(self.fields["deadline"])
        for name in ("due_month", "due_day", "from_year", "to_year"):
            self.fields[name].widget.attrs.update({"class": "num", "min": 1})
        for name in ("lead_agency", "cooperating_agencies"):
            self.fields[name].error_messages["invalid_choice"] = INVALID_CHOICE
            self.fields[name].error_messages["invalid_pk_value"] = INVALID_CHOICE

    def schedule(self) -> Schedule:
        return Schedule.from_fields(self.cleaned_data)

    def save(self, commit=True):  # pragma: no cover - saving goes through services.assignment_save
        raise NotImplementedError


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ProgressReportForm(forms.Form):
    status = forms.ChoiceField(label=_("Progress"), choices=ProgressStatus.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("What was done in the period"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Results, difficulties, proposals."),
    )
    # Named like BaseForm.files (the request's uploads): the form's metaclass keeps declared fields apart
    # (form["files"], cleaned_data["files"]), which the stubs cannot know.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Attach files"),
        required=False,
        help_text=_("PDF, Word (.docx), Excel (.xlsx), JPEG or PNG; at most 10 MB each."),
    )

    def __init__(self, *args, figures: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        figures = figures or []
        for i in range(FIGURE_ROWS):
            row = figures[i] if i < len(figures) else {}
            self.fields[f"figure_{i}_label"] = forms.CharField(
                label=_("Figure"), required=False, max_length=200, initial=row.get("label", "")
            )
            self.fields[f"figure_{i}_value"] = forms.DecimalField(
                label=_("Value"), required=False, localize=True, initial=row.get("value")
            )
            self.fields[f"figure_{i}_unit"] = forms.CharField(
                label=_("Unit"), required=False, max_length=40, initial=row.get("unit", "")
            )
            self.fields[f"figure_{i}_value"].widget = forms.TextInput(
                attrs={"inputmode": "decimal", "class": "num"}
            )
            self.fields[f"figure_{i}_value"].widget.is_localized = True

    def figure_rows(self):
        return [
            (self[f"figure_{i}_label"], self[f"figure_{i}_value"], self[f"figure_{i}_unit"])
            for i in range(FIGURE_ROWS)
        ]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        figures = []
        for i in range(FIGURE_ROWS):
            label = (data.get(f"figure_{i}_label") or "").strip()
            value = data.get(f"figure_{i}_value")
            unit = (data.get(f"figure_{i}_unit") or "").strip()
            if not label and value is None:
                continue
            if not label or value is None:
                self.add_error(f"figure_{i}_label", _("Each figure needs a label and a number."))
                continue
            number = float(value)
            figures.append(
                {"label": label, "value": int(number) if number.is_integer() else number, "unit": unit}
            )
        data["figures"] = figures
        return data


class MergeForm(forms.Form):
    effective_on = forms.DateField(
        label=_("Hand over on"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        help_text=_("Empty: the day after the agency ceased to exist."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date_field_setup(self.fields["effective_on"])


def current_year() -> int:
    return timezone.localdate().year
