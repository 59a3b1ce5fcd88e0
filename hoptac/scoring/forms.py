"""Forms of the scoring pages. They only parse input: the services validate again (points within
caps and pools, reasons, evidence) and check rights; their errors are put back on these fields."""

import datetime
from typing import cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.areas.forms import area_field_setup
from hoptac.areas.models import AdminUnit
from hoptac.core.formatting import format_compact
from hoptac.core.forms import ScopedModelChoiceField, date_field_setup
from hoptac.core.scoping import public
from hoptac.core.uploads import DATA_FILE_TYPES, MB, check_upload
from hoptac.registry.filters import area_filter_offer

from .choices import GroupBy
from .loader import SCHEME_FORMAT
from .models import SURVEY_FIELDS, SatisfactionSurvey, Scheme

FIRST_YEAR = 2017
SCHEME_MAX_BYTES = 1 * MB


def year_choices() -> list[tuple[int, str]]:
    return [(year, str(year)) for year in range(timezone.localdate().year, FIRST_YEAR - 1, -1)]


def _points_field(node) -> forms.Field:
    if node.allowed_points:
        choices = [("", "—")] + [(str(p), format_compact(p)) for p in node.allowed_points]
        return forms.TypedChoiceField(
            choices=choices,
            required=False,
            coerce=str,
            empty_value="",
            widget=forms.Select(attrs={"class": "points"}),
        )
    return forms.DecimalField(
        required=False,
        localize=True,
        decimal_places=1,
        max_digits=5,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "class": "num points", "size": 4, "autocomplete": "off"}
        ),
    )


class SelfScoreForm(forms.Form):
    """The self-score: points, an evidence note and a file per scored criterion, and a general note."""

    self_note = forms.CharField(
        label=_("Note from the organisation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.leaves = [row for row in sheet.rows if row.is_leaf]
        for row in self.leaves:
            code = row.node.code
            field = _points_field(row.node)
            field.label = _("Self-score: %(criterion)s") % {"criterion": row.node.number or code}
            self.fields[f"points_{code}"] = field
            self.fields[f"note_{code}"] = forms.CharField(
                label=_("Evidence note: %(criterion)s") % {"criterion": row.node.number or code},
                required=False,
                widget=forms.TextInput(attrs={"placeholder": _("Document, number, date…")}),
            )
            self.fields[f"file_{code}"] = forms.FileField(
                label=_("Evidence file: %(criterion)s") % {"criterion": row.node.number or code},
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}),
            )
        if not self.is_bound:
            for row in self.leaves:
                code = row.node.code
                self.initial[f"points_{code}"] = _initial(row.self_points, row.node)
                self.initial[f"note_{code}"] = row.score.self_note if row.score else ""
            self.initial["self_note"] = sheet.assessment.self_note

    def payload(self) -> dict:
        points, notes, files = {}, {}, {}
        for row in self.leaves:
            code = row.node.code
            points[code] = _value(self.cleaned_data.get(f"points_{code}"))
            notes[code] = self.cleaned_data.get(f"note_{code}") or ""
            if self.cleaned_data.get(f"file_{code}"):
                files[code] = self.cleaned_data[f"file_{code}"]
        return {
            "points": points,
            "notes": notes,
            "files": files,
            "note": self.cleaned_data.get("self_note", ""),
        }


class ReviewForm(forms.Form):
    """The commune officer's official points, prefilled with the self-score, and the reasons."""

    administrative_fine = forms.BooleanField(
        label=_("The organisation was fined in the year"), required=False
    )
    fine_note = forms.CharField(
        label=_("Fine decision (number, date, content)"), required=False, widget=forms.TextInput()
    )
    review_note = forms.CharField(
        label=_("Review note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.leaves = [row for row in sheet.rows if row.is_leaf]
        fine_rule = any(e["type"] == "administrative_fine" for e in sheet.assessment.scheme.exclusions or [])
        if not fine_rule:
            del self.fields["administrative_fine"]
            del self.fields["fine_note"]
        for row in self.leaves:
            code = row.node.code
            field = _points_field(row.node)
            field.label = _("Official score: %(criterion)s") % {"criterion": row.node.number or code}
            self.fields[f"points_{code}"] = field
            self.fields[f"reason_{code}"] = forms.CharField(
                label=_("Reason for the change: %(criterion)s") % {"criterion": row.node.number or code},
                required=False,
                widget=forms.TextInput(attrs={"placeholder": _("Required if different from the self-score")}),
            )
        if not self.is_bound:
            assessment = sheet.assessment
            for row in self.leaves:
                code = row.node.code
                value = row.official_points if row.official_points is not None else row.self_points
                self.initial[f"points_{code}"] = _initial(value, row.node)
                self.initial[f"reason_{code}"] = row.score.change_reason if row.score else ""
            self.initial.update(
                {
                    "administrative_fine": assessment.administrative_fine,
                    "fine_note": assessment.fine_note,
                    "review_note": assessment.review_note,
                }
            )

    def payload(self) -> dict:
        points = {
            row.node.code: _value(self.cleaned_data.get(f"points_{row.node.code}")) for row in self.leaves
        }
        reasons = {
            row.node.code: self.cleaned_data.get(f"reason_{row.node.code}") or "" for row in self.leaves
        }
        data = {"points": points, "reasons": reasons, "note": self.cleaned_data.get("review_note", "")}
        if "administrative_fine" in self.fields:
            data["administrative_fine"] = self.cleaned_data.get("administrative_fine", False)
            data["fine_note"] = self.cleaned_data.get("fine_note", "")
        return data


def _value(value):
    """The typed points: None when left empty (0 is a score)."""
    return None if value is None or value == "" else value


def _initial(value, node):
    if value is None:
        return None
    if node.allowed_points:
        match = next((p for p in node.allowed_points if p == value), None)
        return str(match) if match is not None else None
    return value


class SchemeChoiceForm(forms.Form):
    scheme = ScopedModelChoiceField(
        label=_("Scheme"),
        queryset=Scheme.objects.none(),
        empty_label=None,
        offer=public("every role reads the scoring schemes (scoring:scheme_list); the view narrows them"),
    )

    def __init__(self, *args, schemes: QuerySet[Scheme], **kwargs):
        super().__init__(*args, **kwargs)
        cast(ScopedModelChoiceField, self.fields["scheme"]).queryset = schemes


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("File (PDF, JPG, PNG, DOCX, XLSX; at most 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}),
    )
    description = forms.CharField(label=_("What it shows"), required=False, max_length=255)


class SchemeUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Scheme or size-class file (YAML)"),
        help_text=_("The file is checked whole; if anything is wrong nothing is loaded. Format: %(format)s")
        % {"format": SCHEME_FORMAT},
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml"}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        check_upload(file, allowed=DATA_FILE_TYPES, max_bytes=SCHEME_MAX_BYTES, field=None)
        return file


class SurveyForm(forms.ModelForm):
    class Meta:
        model = SatisfactionSurvey
        fields = SURVEY_FIELDS
        widgets = {"main_opinions": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date_field_setup(self.fields["conducted_on"])
        for name in ("members_asked", "respondents", "satisfied", "partly_satisfied", "not_satisfied"):
            self.fields[name].widget.attrs.update({"min": 0, "class": "num"})


class CalendarFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=year_choices)
    area = ScopedModelChoiceField(
        label=_("Area"),
        required=False,
        queryset=AdminUnit.objects.select_related("parent"),
        offer=area_filter_offer,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(ScopedModelChoiceField, self.fields["area"])
        field.limit_to(user)
        # The registry's area filter (hoptac.areas.forms.area_field_setup, decisions 0045 and 0052): provinces,
        # districts and communes in reach; for a reader of several provinces the provinces, then the chosen
        # province's districts and communes only (the whole country's 14,000 units were a 780 KB select).
        area_field_setup(
            field,
            chosen=self.data.get("area") if self.is_bound else None,
            empty_label=_("All areas in my scope"),
        )


class ResultsFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=year_choices)
    group_by = forms.ChoiceField(
        label=_("Group by"), choices=GroupBy.choices, initial=GroupBy.DISTRICT_LEGACY
    )


def default_year() -> int:
    """The year whose evaluation is under way: last year until the end of the next spring."""
    today = timezone.localdate()
    return today.year - 1 if today < datetime.date(today.year, 12, 1) else today.year
