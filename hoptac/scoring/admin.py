"""Django admin for the scoring app: read-only views for support staff. Every write goes through the
pages, the API or the commands (hoptac.scoring.services), which check rights and keep the history."""

from django.contrib import admin

from hoptac.core.admin import ReadOnlyAdminMixin, ScopedAdminMixin

from .models import Assessment, AssessmentEvent, CriterionScore, SatisfactionSurvey, Scheme


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


@admin.register(Scheme)
class SchemeAdmin(ReadOnlyAdmin):
    list_display = [
        "short_name",
        "code",
        "version",
        "year_from",
        "year_to",
        "priority",
        "is_complete",
        "loaded_at",
    ]
    list_filter = ["code", "is_complete", "editable_by_province"]
    exclude = ["source_text"]


class ScoreInline(admin.TabularInline):
    model = CriterionScore
    fields = readonly_fields = (
        "criterion",
        "self_points",
        "proposed_points",
        "official_points",
        "change_reason",
        "self_note",
    )
    extra = 0
    can_delete = False


class EventInline(admin.TabularInline):
    model = AssessmentEvent
    fields = readonly_fields = ("at", "action", "from_state", "to_state", "user", "note")
    extra = 0
    can_delete = False


class ScopedReadOnlyAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    pass


@admin.register(Assessment)
class AssessmentAdmin(ScopedReadOnlyAdmin):
    list_display = ["organisation", "year", "scheme", "state", "band", "self_total", "official_total"]
    list_filter = ["year", "state", "band", "scheme"]
    search_fields = ["organisation__name_folded", "organisation__registration_code"]
    list_select_related = ["organisation", "scheme"]
    inlines = [ScoreInline, EventInline]


@admin.register(SatisfactionSurvey)
class SatisfactionSurveyAdmin(ScopedReadOnlyAdmin):
    list_display = ["organisation", "year", "conducted_on", "members_asked", "respondents", "satisfied"]
    list_filter = ["year"]
    list_select_related = ["organisation"]
