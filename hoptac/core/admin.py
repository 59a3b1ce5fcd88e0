"""Django admin through the scoping framework: an administrator sees every row, anyone else given access to
the admin only their scope (hoptac.core.scoping). And the admin of what is only looked at there."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .scoping import ScopedQuerySet, is_scoped


class ScopedAdminMixin(admin.ModelAdmin):
    """Lists and change pages of a scoped model show only the rows the signed-in user may see."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if not is_scoped(self.model):
            raise TypeError(
                f"{self.model._meta.label} is not a scoped model; ScopedAdminMixin does not apply."
            )
        if not isinstance(queryset, ScopedQuerySet):
            raise TypeError(f"{self.model._meta.label}'s default manager does not restrict by scope.")
        return queryset.restrict(request.user, "view")


class ReadOnlyAdminMixin:
    """An admin for looking only: nothing is added, changed or deleted there (the writes go through the
    services, which check rights and keep the history). Put it before the ModelAdmin class."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
