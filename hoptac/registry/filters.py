"""One FilterSet serves the list page, the API's ?field= parameters and exports."""

import datetime

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoptac.accounts import roles
from hoptac.areas.models import AdminMap, AdminUnit, Level
from hoptac.core.filters import IdFilter, ScopedModelChoiceFilter, YearFilter
from hoptac.core.scoping import Scope

from .choices import LegalStatus, OrganisationKind, Sector, SubSector
from .models import Organisation, YearlyReport, YearlyReportState, area_condition, search_condition


def area_code_filter(code: str, admin_map: str, *, prefix: str = "") -> Q:
    """As `area_condition`, for the unit(s) with this code on `admin_map` (nothing when there is none)."""
    result = Q(pk__in=[])
    for unit in AdminUnit.objects.filter(code=code, map=admin_map):
        result |= area_condition(unit, prefix=prefix)
    return result


# The units an "area" filter offers a user (hoptac.accounts.roles.area_filter_reach): a commune officer is
# offered their own areas, not every unit of the province.
AREA_FILTER_SCOPE = Scope(roles.area_filter_reach, {"units": ("pk",)})


def area_filter_offer(user, queryset):
    """The units of `queryset` an area filter offers `user` (the `offer` of its scoped filter or field,
    hoptac.core.scoping.choices_for; the rule is roles.area_filter_reach)."""
    condition = AREA_FILTER_SCOPE.condition(user, "view")
    return queryset if condition is None else queryset.filter(condition)


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=OrganisationKind.choices)
    sector = django_filters.MultipleChoiceFilter(label=_("Sector"), choices=Sector.choices)
    sub_sector = django_filters.ChoiceFilter(label=_("Sub-sector"), choices=SubSector.choices)
    status = django_filters.MultipleChoiceFilter(
        label=_("Legal status"), choices=LegalStatus.choices, method="filter_status"
    )
    as_of = django_filters.DateFilter(label=_("Status as of"), method="filter_as_of")
    area = ScopedModelChoiceFilter(
        field_name="commune_current",
        label=_("Area (either map)"),
        queryset=AdminUnit.objects.select_related("parent"),
        offer=area_filter_offer,
        method="filter_area",
    )
    area_code = django_filters.CharFilter(label=_("Area code"), method="filter_area_code")
    year = YearFilter(label=_("Has yearly data for"), method="filter_year")
    founded_after = django_filters.DateFilter(
        field_name="founding_date", lookup_expr="gte", label=_("Founded from")
    )
    founded_before = django_filters.DateFilter(
        field_name="founding_date", lookup_expr="lte", label=_("Founded until")
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("name_sort", "name"),
            ("founding_date", "founding_date"),
            ("registration_code", "registration_code"),
            ("charter_capital", "charter_capital"),
            ("commune_current__name_sort", "commune"),
        ),
        field_labels={
            "name_sort": _("Name"),
            "founding_date": _("Founding date"),
            "registration_code": _("Registration code"),
            "charter_capital": _("Charter capital"),
            "commune_current__name_sort": _("Commune"),
        },
    )

    class Meta:
        model = Organisation
        fields = ["q", "kind", "sector", "sub_sector", "status", "area", "year"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def _as_of_day(self) -> datetime.date | None:
        return self.form.cleaned_data.get("as_of") if hasattr(self.form, "cleaned_data") else None

    def filter_status(self, queryset, name, value):
        if not value:
            return queryset
        day = self._as_of_day()
        if day:
            return queryset.with_status_on(day).filter(status_on__in=value)
        return queryset.filter(current_status__in=value)

    def filter_as_of(self, queryset, name, value):
        # Organisations that existed (were founded) by that date; the status filter reads it too.
        return queryset.with_status_on(value).filter(status_on__isnull=False)

    def filter_area(self, queryset, name, value):
        return queryset.in_area(value)

    def filter_area_code(self, queryset, name, value):
        return queryset.filter(area_code_filter(value, self.data.get("map") or AdminMap.CURRENT))

    def filter_year(self, queryset, name, value):
        return queryset.filter(yearly_reports__year=value).distinct() if value else queryset


class YearlyReportFilter(django_filters.FilterSet):
    """The yearly data's list page, its Excel export and the API's ?field= parameters. Areas, kinds, sectors
    and the search read the organisation the data belong to, as OrganisationFilter does."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    year = YearFilter(label=_("Year"))
    organisation = IdFilter(field_name="organisation_id", label=_("Organisation (id)"))
    area = ScopedModelChoiceFilter(
        field_name="organisation__commune_current",
        label=_("Area (either map)"),
        queryset=AdminUnit.objects.select_related("parent"),
        offer=area_filter_offer,
        method="filter_area",
    )
    area_code = django_filters.CharFilter(label=_("Area code"), method="filter_area_code")
    kind = django_filters.MultipleChoiceFilter(
        field_name="organisation__kind", label=_("Kind"), choices=OrganisationKind.choices
    )
    sector = django_filters.MultipleChoiceFilter(
        field_name="organisation__sector", label=_("Sector"), choices=Sector.choices
    )
    state = django_filters.MultipleChoiceFilter(label=_("Review state"), choices=YearlyReportState.choices)
    in_value_chain = django_filters.BooleanFilter(label=_("In a value chain"))
    high_tech = django_filters.BooleanFilter(label=_("Applies high technology"))
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("organisation__name_sort", "name"),
            ("organisation__registration_code", "registration_code"),
            ("organisation__commune_current__name_sort", "commune"),
            ("year", "year"),
            ("official_total", "official_members"),
            ("workers", "workers"),
            ("revenue", "revenue"),
            ("profit", "profit"),
            ("average_worker_income", "average_worker_income"),
            ("ocop_products", "ocop_products"),
        ),
        field_labels={
            "organisation__name_sort": _("Name"),
            "organisation__registration_code": _("Registration code"),
            "organisation__commune_current__name_sort": _("Commune"),
            "year": _("Year"),
            "official_total": _("Official members"),
            "workers": _("Workers"),
            "revenue": _("Revenue"),
            "profit": _("Profit before tax"),
            "average_worker_income": _("Average worker income"),
            "ocop_products": _("OCOP products"),
        },
    )

    class Meta:
        model = YearlyReport
        fields = [
            "q",
            "year",
            "organisation",
            "area",
            "kind",
            "sector",
            "state",
            "in_value_chain",
            "high_tech",
        ]

    def filter_search(self, queryset, name, value):
        condition = search_condition(value, prefix="organisation__")
        return queryset if condition is None else queryset.filter(condition)

    def filter_area(self, queryset, name, value):
        return queryset.filter(area_condition(value, prefix="organisation__")) if value else queryset

    def filter_area_code(self, queryset, name, value):
        admin_map = self.data.get("map") or AdminMap.CURRENT
        return queryset.filter(area_code_filter(value, admin_map, prefix="organisation__"))


def commune_choices_queryset():
    return AdminUnit.objects.filter(level__in=[Level.COMMUNE, Level.DISTRICT]).select_related("parent")
