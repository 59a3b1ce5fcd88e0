"""The e-mails of notifications, sent by the task worker (django-tasks; `manage.py db_worker`)."""

import logging

from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_notification_emails_task(ids: list[int]) -> dict:
    """Send the e-mail of each notification not yet e-mailed (a second run sends nothing twice)."""
    from .emails import email_of, wants_email
    from .models import Notification

    sent = failed = 0
    for notification in (
        Notification.objects.unrestricted("the worker mails each recipient their own notifications")
        .filter(pk__in=ids, emailed_at__isnull=True)
        .select_related("recipient")
    ):
        if not wants_email(notification.recipient):
            continue
        subject, body = email_of(notification)
        try:
            EmailMessage(subject, body, to=[notification.recipient.email]).send()
        except Exception:  # noqa: BLE001 - one bad address must not stop the others
            logger.exception("Notification e-mail to %s failed", notification.recipient.email)
            failed += 1
            continue
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
        sent += 1
    return {"sent": sent, "failed": failed}
