from rest_framework import serializers

from hoptac.areas.api.serializers import AdminUnitBriefSerializer
from hoptac.areas.models import AdminMap, AdminUnit, Level
from hoptac.core.api import ScopedModelSerializer, ScopedSlugRelatedField
from hoptac.registry import selectors
from hoptac.registry.models import Organisation, StatusChange, YearlyReport
from hoptac.registry.services import ORGANISATION_FIELDS


class CommuneCodeField(ScopedSlugRelatedField):
    """A commune of `admin_map` by its code, among those the user may place an organisation in
    (`selectors.placeable_communes`): another commune's code reads like an unknown one."""

    def __init__(self, admin_map: str, **kwargs):
        super().__init__(
            slug_field="code",
            queryset=AdminUnit.objects.filter(map=admin_map, level=Level.COMMUNE),
            offer=selectors.placeable_communes(admin_map),
            required=False,
            allow_null=True,
            **kwargs,
        )


class OrganisationSerializer(ScopedModelSerializer):
    commune_legacy = CommuneCodeField(AdminMap.LEGACY, help_text="Commune code on the map before 1/7/2025.")
    commune_current = CommuneCodeField(
        AdminMap.CURRENT,
        help_text="Commune code on the map from 1/7/2025 (derived from the old one if omitted).",
    )
    commune_legacy_detail = AdminUnitBriefSerializer(source="commune_legacy", read_only=True)
    district_legacy = serializers.CharField(source="commune_legacy.parent.name", read_only=True, default=None)
    commune_current_detail = AdminUnitBriefSerializer(source="commune_current", read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            *ORGANISATION_FIELDS,
            "commune_legacy_detail",
            "district_legacy",
            "commune_current_detail",
            "current_status",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["current_status", "created_at", "updated_at"]


class StatusChangeSerializer(ScopedModelSerializer):
    class Meta:
        model = StatusChange
        fields = ["id", "status", "effective_from", "decision", "note"]


class YearlyReportSerializer(ScopedModelSerializer):
    official_members = serializers.IntegerField(read_only=True)
    associate_members = serializers.IntegerField(read_only=True)

    class Meta:
        model = YearlyReport
        fields = "__all__"


class HistoryEntrySerializer(serializers.Serializer):
    date = serializers.DateTimeField()
    user = serializers.CharField(allow_null=True)
    type = serializers.CharField()
    object = serializers.CharField()
    # DRF's metaclass takes declared fields out of the class, so this field does not replace Field.label; the
    # stubs see a class attribute of another type.
    label = serializers.CharField()  # type: ignore[assignment]
    reason = serializers.CharField()
    changes = serializers.ListField(child=serializers.DictField())
