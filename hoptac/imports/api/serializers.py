from typing import Any, cast

from rest_framework import serializers

from hoptac.core.api import ScopedModelSerializer
from hoptac.imports import services
from hoptac.imports.models import ImportJob


class ImportRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Row number in the file")
    action = serializers.ChoiceField(choices=["create", "update", "unchanged", "error"])
    organisation = serializers.CharField()
    changes = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()), help_text="[field, before, after]"
    )
    # DRF's metaclass takes declared fields out of the class, so this field does not replace Serializer.errors;
    # the stubs see a class attribute of another type.
    errors = serializers.ListField(  # type: ignore[assignment]
        child=serializers.CharField(), help_text='"Dòng N – cột X: lý do"'
    )


class ImportJobSerializer(ScopedModelSerializer):
    """An import: a check (dry run, commit=false) or an import (commit=true) of a file, with its outcome row by
    row once finished. While queued or running, `progress` says how far it is."""

    state_label = serializers.CharField(source="get_state_display", read_only=True)
    progress = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()
    rows = serializers.SerializerMethodField()
    header_row = serializers.SerializerMethodField()
    columns = serializers.SerializerMethodField()
    ignored = serializers.SerializerMethodField()
    file_errors = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()
    skipped = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "filename",
            "commit",
            "state",
            "state_label",
            "error",
            "progress",
            "counts",
            "header_row",
            "columns",
            "ignored",
            "year",
            "file_errors",
            "notes",
            "skipped",
            "rows",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_progress(self, job) -> dict:
        return services.job_progress(job)

    def get_counts(self, job) -> dict[str, int]:
        return job.result.get("counts", {})

    def get_header_row(self, job) -> int | None:
        return job.result.get("header_row")

    def get_columns(self, job) -> list[str]:
        return job.result.get("columns", [])

    def get_ignored(self, job) -> list[str]:
        """Headers of the file's header row that match no known column: those columns were not read."""
        return job.result.get("ignored", [])

    def get_file_errors(self, job) -> list[str]:
        """Problems of the whole file (an unknown unit, an old font encoding, no year): nothing is imported."""
        return job.result.get("file_errors", [])

    def get_notes(self, job) -> list[str]:
        """What the reading did: units converted to đồng, the year of the data and where it came from."""
        return job.result.get("notes", [])

    def get_skipped(self, job) -> list[str]:
        """Rows that are not organisations (total rows, group headings, column numbers), skipped."""
        return job.result.get("skipped", [])

    def get_rows(self, job: ImportJob) -> list[dict[str, Any]]:
        # many=True makes a ListSerializer, whose data is a list (the stubs type the call as one row's dict).
        return cast(list[dict[str, Any]], ImportRowSerializer(job.result.get("rows", []), many=True).data)


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=".xlsx, .xls or .csv, at most 20 MB")
    year = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1990,
        max_value=2099,
        help_text="Year of the data, for a list that gives it nowhere (no year column, header or title)",
    )
