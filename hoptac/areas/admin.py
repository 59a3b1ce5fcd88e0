from django.contrib import admin

from .models import AdminUnit, CommuneSuccession


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "map", "parent", "valid_from", "valid_to"]
    list_filter = ["map", "level", "unit_type"]
    search_fields = ["code", "name", "name_folded"]
    raw_id_fields = ["parent", "province"]


@admin.register(CommuneSuccession)
class CommuneSuccessionAdmin(admin.ModelAdmin):
    list_display = ["old_commune", "new_commune", "is_default", "effective_date"]
    raw_id_fields = ["old_commune", "new_commune"]
    search_fields = ["old_commune__name", "new_commune__name"]
