import django_filters
from rest_framework import viewsets

from hoptac.areas.models import AdminMap, AdminUnit, Level
from hoptac.core.text import fold

from .serializers import AdminUnitSerializer


class AdminUnitFilter(django_filters.FilterSet):
    map = django_filters.ChoiceFilter(choices=AdminMap.choices)
    level = django_filters.ChoiceFilter(choices=Level.choices)
    code = django_filters.CharFilter()
    parent_code = django_filters.CharFilter(field_name="parent__code")
    province_code = django_filters.CharFilter(field_name="province__code")
    q = django_filters.CharFilter(method="filter_q", label="Search by name (accents optional)")

    class Meta:
        model = AdminUnit
        fields = ["map", "level", "code", "parent_code", "province_code", "q"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(name_folded__contains=fold(value))


class AdminUnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Administrative units on both maps (before and from 1/7/2025) with the old → new commune mapping."""

    serializer_class = AdminUnitSerializer
    filterset_class = AdminUnitFilter
    ordering_fields = ["code", "name_sort"]
    queryset = AdminUnit.objects.select_related("parent").prefetch_related(
        "successions__new_commune", "predecessions__old_commune"
    )
