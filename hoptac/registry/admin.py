"""Django admin for administrators. Saves go through the same services as the pages and the API."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from hoptac.core.admin import ScopedAdminMixin
from hoptac.core.history import set_history_user

from . import services
from .models import Organisation, StatusChange, YearlyReport


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    fields = ["status", "effective_from", "decision", "note"]


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "sector", "commune_current", "current_status", "founding_date"]
    list_filter = ["kind", "sector", "current_status"]
    search_fields = ["name_folded", "registration_code", "tax_code"]
    raw_id_fields = ["commune_legacy", "commune_current", "union", "converted_from"]
    readonly_fields = ["current_status"]
    inlines = [StatusChangeInline]

    def save_model(self, request, obj, form, change):
        data = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in services.ORGANISATION_FIELDS
        }
        if change:
            services.organisation_update(user=request.user, organisation=obj, data=data)
        else:
            data = {
                name: form.cleaned_data.get(name)
                for name in services.ORGANISATION_FIELDS
                if name in form.cleaned_data
            }
            created = services.organisation_create(user=request.user, data=data)
            obj.pk = created.pk

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            deleted.delete()
        for instance in instances:
            set_history_user(instance, request.user)
            instance.save()
        services.refresh_current_status(form.instance)


@admin.register(YearlyReport)
class YearlyReportAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["organisation", "year", "revenue", "profit", "workers", "in_value_chain", "high_tech"]
    ordering = ["organisation__name_sort", "organisation_id", "-year"]
    list_filter = ["year", "in_value_chain", "high_tech", "organisation__kind"]
    search_fields = ["organisation__name_folded"]
    raw_id_fields = ["organisation"]
