from rest_framework import serializers

from hoptac.areas.models import AdminUnit
from hoptac.core.api import ScopedModelSerializer


class AdminUnitBriefSerializer(ScopedModelSerializer):
    class Meta:
        model = AdminUnit
        fields = ["id", "map", "level", "code", "unit_type", "name"]


class AdminUnitSerializer(ScopedModelSerializer):
    parent = AdminUnitBriefSerializer(read_only=True)
    successors = serializers.SerializerMethodField(
        help_text="New communes (map from 1/7/2025) of an old commune."
    )
    predecessors = serializers.SerializerMethodField(help_text="Old communes merged into a new commune.")

    class Meta:
        model = AdminUnit
        fields = [
            "id",
            "map",
            "level",
            "code",
            "unit_type",
            "name",
            "short_name",
            "parent",
            "valid_from",
            "valid_to",
            "latitude",
            "longitude",
            "successors",
            "predecessors",
        ]

    def get_successors(self, unit: AdminUnit) -> list[dict]:
        return [
            {**AdminUnitBriefSerializer(s.new_commune).data, "is_default": s.is_default}
            for s in unit.successions.all()
        ]

    def get_predecessors(self, unit: AdminUnit) -> list[dict]:
        return [AdminUnitBriefSerializer(s.old_commune).data for s in unit.predecessions.all()]
