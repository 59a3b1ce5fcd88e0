from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "get_full_name", "role", "agency", "organisation", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    filter_horizontal = ["areas", "groups", "user_permissions"]
    raw_id_fields = ["organisation"]
    autocomplete_fields = ["agency"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Role and scope"), {"fields": ("role", "agency", "areas", "organisation")}),
    )
