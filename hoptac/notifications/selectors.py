"""Every read of notifications: a person's own, newest first."""

from django.db.models import QuerySet

from hoptac.accounts.models import User

from .models import Notification


def notification_list(*, user: User, unread: bool = False) -> QuerySet[Notification]:
    rows = Notification.objects.restrict(user, "view").order_by("-created_at", "-pk")
    return rows.filter(read_at__isnull=True) if unread else rows


def notification_get(*, user: User, pk: int) -> Notification:
    return Notification.objects.restrict(user, "view").get(pk=pk)


def unread_count(*, user: User) -> int:
    return Notification.objects.restrict(user, "view").filter(read_at__isnull=True).count()
