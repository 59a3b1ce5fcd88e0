"""One FilterSet for assessments: the API's ?field= parameters (the calendar page filters the
organisations with the same area logic, `registry.models.area_condition`)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from hoptac.areas.models import AdminUnit
from hoptac.core.filters import IdFilter, YearFilter
from hoptac.registry.choices import OrganisationKind, Sector
from hoptac.registry.models import area_condition

from .choices import AssessmentState, Band
from .models import Assessment


class AssessmentFilter(django_filters.FilterSet):
    year = YearFilter(label=_("Year"))
    state = django_filters.MultipleChoiceFilter(label=_("Step"), choices=AssessmentState.choices)
    band = django_filters.MultipleChoiceFilter(label=_("Rating"), choices=Band.choices)
    scheme = django_filters.CharFilter(label=_("Scheme"), field_name="scheme__code")
    organisation = IdFilter(label=_("Organisation"), field_name="organisation_id")
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind"), field_name="organisation__kind", choices=OrganisationKind.choices
    )
    sector = django_filters.MultipleChoiceFilter(
        label=_("Sector"), field_name="organisation__sector", choices=Sector.choices
    )
    area = IdFilter(label=_("Area (id of a commune or district, either map)"), method="filter_area")

    class Meta:
        model = Assessment
        fields = ["year", "state", "band", "scheme", "organisation", "kind", "sector", "area"]

    def filter_area(self, queryset, name, value):
        unit = AdminUnit.objects.filter(pk=value).first() if value else None
        if unit is None:
            return queryset if not value else queryset.none()
        return queryset.filter(area_condition(unit, prefix="organisation__"))
