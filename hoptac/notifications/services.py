"""Every write of notifications: `notify` (one message to several people: rows now, e-mails through the task
worker once the transaction commits), `mark_read`, `mark_all_read`, `preference_save`. What an e-mail says
is in emails.py."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from hoptac.accounts.models import User
from hoptac.core.scoping import can_reach

from .emails import wants_email
from .models import Notification


def notify(
    users: Iterable[User],
    *,
    event: str,
    title: str,
    body: str = "",
    link: str = "",
    email: bool = True,
) -> list[Notification]:
    """One notification per active user (each once); those who want e-mail get it from the task worker after
    the transaction commits. `email=False` when the caller sends the e-mail itself (the reminders)."""
    people = {user.pk: user for user in users if user is not None and user.is_active}
    now = timezone.now()
    created = Notification.objects.bulk_create(
        [
            Notification(recipient=user, event=event, title=title[:255], body=body, link=link, created_at=now)
            for user in people.values()
        ]
    )
    to_mail = [n.pk for n in created if email and wants_email(n.recipient)]
    if to_mail:
        transaction.on_commit(lambda: _enqueue(to_mail))
    return created


def _enqueue(ids: list[int]) -> None:
    from .jobs import send_notification_emails_task

    send_notification_emails_task.enqueue(ids)


def mark_read(*, user: User, notification: Notification) -> Notification:
    if not can_reach(user, "change", notification):
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, user: User) -> int:
    return (
        Notification.objects.restrict(user, "change")
        .filter(read_at__isnull=True)
        .update(read_at=timezone.now())
    )


def preference_save(*, user: User, notify_by_email: bool) -> User:
    """A person's own choice: notifications by e-mail too, or in HợpTác only."""
    user.notify_by_email = notify_by_email
    user.save(update_fields=["notify_by_email"])
    return user
