"""Background jobs, run through Django's tasks API (django-tasks) with its database backend: `manage.py
send_reminders` enqueues, `manage.py db_worker` runs them. No other service is needed."""

import datetime

from django_tasks import task


@task()
def send_reminders_task(today: str, before: list[int] | None = None, after: list[int] | None = None) -> dict:
    """Refresh the reporting periods, then send the reminders due on `today` (ISO date). Arguments are
    JSON (the database backend stores them)."""
    from django.utils import timezone

    from .reminders import reminders_send
    from .services import agency_successions_apply, periods_refresh

    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    agency_successions_apply(today=day)
    periods_refresh(today=day)
    result = reminders_send(today=day, before=before, after=after)
    return {
        "today": day.isoformat(),
        "sent": result.sent,
        "skipped": result.skipped,
        "failed": result.failed,
        "no_recipient": result.no_recipient,
    }
