"""One FilterSet serves the list page, the API's ?field= parameters and exports."""

import datetime

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoptac.areas.models import AdminMap, AdminUnit, Level

from .choices import LegalStatus, OrganisationKind, Sector, SubSector
from .models import Organisation, YearlyReport


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=OrganisationKind.choices)
    sector = django_filters.MultipleChoiceFilter(label=_("Sector"), choices=Sector.choices)
    sub_sector = django_filters.ChoiceFilter(label=_("Sub-sector"), choices=SubSector.choices)
    status = django_filters.MultipleChoiceFilter(
        label=_("Legal status"), choices=LegalStatus.choices, method="filter_status"
    )
    as_of = django_filters.DateFilter(label=_("Status as of"), method="filter_as_of")
    area = django_filters.ModelChoiceFilter(
        field_name="commune_current",
        label=_("Area (either map)"),
        queryset=AdminUnit.objects.select_related("parent"),
        method="filter_area",
    )
    area_code = django_filters.CharFilter(label=_("Area code"), method="filter_area_code")
    year = django_filters.NumberFilter(label=_("Has yearly data for"), method="filter_year")
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

    def _by_area(self, queryset, unit: AdminUnit):
        from hoptac.areas.selectors import commune_ids_within

        ids = commune_ids_within([unit])
        field = "commune_legacy__in" if unit.map == AdminMap.LEGACY else "commune_current__in"
        return queryset.filter(**{field: ids})

    def filter_area(self, queryset, name, value):
        return self._by_area(queryset, value) if value else queryset

    def filter_area_code(self, queryset, name, value):
        map_code = self.data.get("map") or AdminMap.CURRENT
        units = AdminUnit.objects.filter(code=value, map=map_code)
        if not units:
            return queryset.none()
        result = Q(pk__in=[])
        for unit in units:
            result |= Q(pk__in=self._by_area(queryset, unit).values("pk"))
        return queryset.filter(result)

    def filter_year(self, queryset, name, value):
        return queryset.filter(yearly_reports__year=value).distinct() if value else queryset


class YearlyReportFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter()
    organisation = django_filters.NumberFilter(field_name="organisation_id")
    kind = django_filters.MultipleChoiceFilter(
        field_name="organisation__kind", choices=OrganisationKind.choices
    )
    sector = django_filters.MultipleChoiceFilter(field_name="organisation__sector", choices=Sector.choices)

    class Meta:
        model = YearlyReport
        fields = ["year", "organisation", "kind", "sector", "in_value_chain", "high_tech"]


def commune_choices_queryset():
    return AdminUnit.objects.filter(level__in=[Level.COMMUNE, Level.DISTRICT]).select_related("parent")
