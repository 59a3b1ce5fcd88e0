"""Django admin for the tasks app: agencies, obligations, assignments, periods, reports and reminders.
Agencies come from their data file (load_data agencies) and reports go through the pages' workflow, so the
admin is mostly for looking; assignments and reports are read-only here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from hoptac.core.admin import ReadOnlyAdminMixin

from .models import (
    Agency,
    AgencyMerge,
    Attachment,
    Obligation,
    ProgressReport,
    Reminder,
    ReportingPeriod,
    TaskAssignment,
)


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "code",
        "kind",
        "area",
        "valid_from",
        "valid_to",
        "successor",
        "coordinates",
        "verified",
    ]
    list_filter = ["kind", "coordinates", "verified"]
    search_fields = ["name", "short_name", "code", "name_folded"]
    raw_id_fields = ["area", "successor"]
    readonly_fields = ["merged_on"]


@admin.register(AgencyMerge)
class AgencyMergeAdmin(admin.ModelAdmin):
    list_display = [
        "agency",
        "successor",
        "effective_on",
        "assignments_moved",
        "periods_moved",
        "users_moved",
    ]
    readonly_fields = [f.name for f in AgencyMerge._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Obligation)
class ObligationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "agency", "every", "due_month", "due_day", "from_year", "verified"]
    list_filter = ["kind", "verified"]
    raw_id_fields = ["agency"]


class ReadOnlyAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    pass


@admin.register(TaskAssignment)
class TaskAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["plan_task", "lead_agency", "from_plan", "assigned_by", "assigned_at", "schedule_source"]
    list_filter = ["from_plan", "schedule_source"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "agency", "due", "report_state", "first_submitted_on"]
    list_filter = ["kind", "report_state", "every"]
    date_hierarchy = "due"


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = readonly_fields = ("original_name", "size", "content_type", "uploaded_by", "uploaded_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ["period", "agency", "status", "state", "submitted_at", "reviewed_at"]
    list_filter = ["state", "status"]
    inlines = [AttachmentInline]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "subject", "item_kind", "when", "offset_days", "due_date", "sent_at"]
    list_filter = ["item_kind", "when"]
    search_fields = ["recipient", "item_key", "subject"]
