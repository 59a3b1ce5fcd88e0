"""Forms of the registry pages. They only parse and present input: saving goes through
`hoptac.registry.services`, which validate again and check the user's rights."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.accounts.models import User
from hoptac.areas.forms import area_field_setup, grouped_unit_choices
from hoptac.areas.models import AdminMap
from hoptac.core.forms import (
    ALL,
    DATE_INPUT_FORMATS,
    EMPTY_CHOICE,
    ScopedModelChoiceField,
    add_version_field,
    date_field_setup,
    money_field_setup,
    year_field_setup,
)

from . import errors, selectors, services
from .choices import OrganisationKind
from .filters import OrganisationFilter, YearlyReportFilter
from .models import MEMBER_FIELDS, YEARLY_DATA_FIELDS, Organisation, StatusChange, YearlyReport


class ListFilterForm(forms.Form):
    """What the filter forms of the registry's lists share: checkboxes for the short choice lists named in
    `CHECKBOXES`, the search box, the year as a number, areas grouped by map and district."""

    CHECKBOXES: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.CHECKBOXES:
            field = cast(forms.ChoiceField, self.fields[name])
            widget = forms.CheckboxSelectMultiple()
            # django-stubs types the getter as any input the setter takes; Django returns normalized choices.
            widget.choices = field.choices  # type: ignore[assignment]
            field.widget = widget
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs["placeholder"] = _("Name, registration or tax code")
        year_field_setup(self.fields["year"])
        area = cast(forms.ModelChoiceField, self.fields["area"])
        area_field_setup(area, chosen=self.data.get(self.add_prefix("area")) if self.is_bound else None)


class OrganisationFilterForm(ListFilterForm):
    """The list page's filter form (ListFilterForm), with the "status as of" date as dd/mm/yyyy."""

    CHECKBOXES = ("kind", "sector", "status")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date_field_setup(self.fields["as_of"])


class OrganisationListFilter(OrganisationFilter):
    class Meta(OrganisationFilter.Meta):
        form = OrganisationFilterForm


class YearlyReportFilterForm(ListFilterForm):
    """The yearly data page's filter form (ListFilterForm), with "All / Yes / No" for the yes-no questions."""

    CHECKBOXES = ("kind", "sector", "state")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("in_value_chain", "high_tech"):
            # NullBooleanSelect reads "unknown" as "no filter", "true"/"false" as yes/no.
            self.fields[name].widget.choices = [("unknown", ALL), ("true", _("Yes")), ("false", _("No"))]


class YearlyReportListFilter(YearlyReportFilter):
    class Meta(YearlyReportFilter.Meta):
        form = YearlyReportFilterForm


class HttpsURLField(forms.URLField):
    """A web address typed without a scheme ("htx.vn") is taken as https://."""

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class OrganisationForm(forms.ModelForm):
    """Create or edit an organisation. `fields_allowed` narrows the form (a representative only gets
    services.REPRESENTATIVE_FIELDS); communes are limited to those the user may use."""

    FIELDSETS = [
        (
            _("Identity"),
            [
                "kind",
                "name",
                "short_name",
                "registration_code",
                "tax_code",
                "founding_date",
                "registration_date",
                "registering_office",
            ],
        ),
        (_("Address"), ["address", "commune_legacy", "commune_current"]),
        (_("Sector"), ["sector", "sub_sector"]),
        (
            _("Representative and contacts"),
            ["representative_name", "representative_title", "phone", "email", "website"],
        ),
        (_("Capital and relations"), ["charter_capital", "union", "converted_from"]),
        (_("Notes"), ["notes"]),
    ]

    class Meta:
        model = Organisation
        fields = services.ORGANISATION_FIELDS
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        field_classes = {
            "website": HttpsURLField,
            "commune_legacy": ScopedModelChoiceField,
            "commune_current": ScopedModelChoiceField,
            "union": ScopedModelChoiceField,
            "converted_from": ScopedModelChoiceField,
        }
        help_texts = {
            "commune_current": _("Leave empty to use the commune that replaced the old one."),
            "tax_code": _("10 digits, or 10 digits, a hyphen and 3 digits."),
            "charter_capital": _("In đồng, e.g. 1.500.000.000"),
        }

    def __init__(
        self, *args: Any, user: User, fields_allowed: list[str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # True when the user may only change part of the record (a cooperative's representative).
        self.limited = fields_allowed is not None and set(self.fields) - set(fields_allowed) != set()
        if fields_allowed is not None:
            for name in list(self.fields):
                if name not in fields_allowed:
                    del self.fields[name]
        add_version_field(self, self.instance)
        for name in ("founding_date", "registration_date"):
            if name in self.fields:
                date_field_setup(self.fields[name])
        if "charter_capital" in self.fields:
            money_field_setup(self.fields["charter_capital"])
        for name, admin_map in (("commune_legacy", AdminMap.LEGACY), ("commune_current", AdminMap.CURRENT)):
            if name in self.fields:
                field = cast(ScopedModelChoiceField, self.fields[name])
                field.offer = selectors.placeable_communes(admin_map)
                field.limit_to(user)
                field.widget.choices = grouped_unit_choices(field.queryset, empty_label=EMPTY_CHOICE)
        for name, kind in (("union", OrganisationKind.LHHTX), ("converted_from", OrganisationKind.THT)):
            if name in self.fields:
                field = cast(ScopedModelChoiceField, self.fields[name])
                # The field's own rows (every organisation), narrowed here and restricted by limit_to.
                queryset = field.base_queryset.filter(kind=kind).only("pk", "name")
                if self.instance.pk:
                    queryset = queryset.exclude(pk=self.instance.pk)
                field.limit_to(user, queryset)

    def fieldsets(self):
        """[(legend, [bound fields])] for the fields this form has."""
        result = []
        for legend, names in self.FIELDSETS:
            bound = [self[name] for name in names if name in self.fields]
            if bound:
                result.append((legend, bound))
        return result


class StatusChangeForm(forms.ModelForm):
    class Meta:
        model = StatusChange
        fields = ["status", "effective_from", "decision", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"decision": _("Number and date of the decision or document, if any.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date_field_setup(self.fields["effective_from"])


class StatusAsOfForm(forms.Form):
    """The detail page's "status on a date" lookup (GET)."""

    as_of = forms.DateField(label=_("Status on"), input_formats=DATE_INPUT_FORMATS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date_field_setup(self.fields["as_of"])


MONEY_REPORT_FIELDS = ["revenue", "profit", "total_assets", "equity", "average_worker_income"]


class YearlyReportForm(forms.ModelForm):
    FIELDSETS = [
        (
            _("Members and workers"),
            [*MEMBER_FIELDS, "workers"],
        ),
        (_("Finances"), MONEY_REPORT_FIELDS),
        (
            _("Development"),
            [
                "enterprise_link",
                "in_value_chain",
                "value_chain_partner",
                "high_tech",
                "traceability",
                "ocop_products",
                "ocop_max_stars",
            ],
        ),
        (_("Digital transformation"), ["accounting_software", "e_invoice", "e_commerce", "has_website"]),
        (_("State support"), ["state_support", "state_support_amount", "state_support_note"]),
    ]

    class Meta:
        model = YearlyReport
        # The submission day is the system's (the workflow's submit step), never typed.
        fields = ["year", *YEARLY_DATA_FIELDS]

    def __init__(self, *args, existing_years=(), **kwargs):
        super().__init__(*args, **kwargs)
        add_version_field(self, self.instance)
        self.existing_years = set(existing_years)
        if self.instance.pk:
            self.fields["year"].disabled = True
        elif not self.initial.get("year"):
            self.fields["year"].initial = timezone.localdate().year
        year_field_setup(self.fields["year"])
        for name in [*MONEY_REPORT_FIELDS, "state_support_amount"]:
            money_field_setup(self.fields[name])
        for name in self.fields:
            if isinstance(self.fields[name], forms.IntegerField) and name != "year":
                self.fields[name].widget.attrs.update({"min": 0, "class": "num"})

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not self.instance.pk and year in self.existing_years:
            raise ValidationError(errors.YEAR_ALREADY_ENTERED, params={"year": year}, code="exists")
        return year

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]
