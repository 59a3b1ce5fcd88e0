"""E-mail reminders before and after deadlines. `reminders_send(today=…)` finds what is due around
`today`, and sends each reminder at most once: a Reminder row (unique per item, kind, recipient, due day
and offset) is claimed before the e-mail goes out, so running the job twice — or two workers at once —
never sends twice. It runs as a background task (hoptac.tasks.jobs.send_reminders_task) enqueued by
`manage.py send_reminders`.

Which offsets: HOPTAC_REMINDERS = {"before": [7, 1], "after": [1, 7, 30]} in settings (these defaults
otherwise). On a given day an item gets the reminder of the nearest offset reached: 5 days before the
deadline, the 7-day reminder; the day before, the 1-day one; a run missed on the exact day is caught up
by the next run, and an older, stale offset is skipped."""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from hoptac.accounts import roles
from hoptac.core.formatting import format_date

from .choices import ItemKind, ReminderWhen
from .models import Reminder, ReportingPeriod

logger = logging.getLogger(__name__)

DEFAULT_OFFSETS = {"before": [7, 1], "after": [1, 7, 30]}
# Items are looked at up to this many days beyond the largest offset, so a day the job did not run is
# caught up by the next run.
CATCH_UP_DAYS = 7


def offsets() -> dict[str, list[int]]:
    configured = getattr(settings, "HOPTAC_REMINDERS", None) or {}
    return {
        "before": sorted(configured.get("before", DEFAULT_OFFSETS["before"])),
        "after": sorted(configured.get("after", DEFAULT_OFFSETS["after"])),
    }


def reminder_offset(
    *, due: datetime.date, today: datetime.date, before: list[int], after: list[int]
) -> tuple[str, int] | None:
    """The reminder an item not yet submitted gets on `today`: ("before", n) with the smallest n such that
    the deadline is at most n days away, ("after", n) with the largest n such that it is at least n days
    past; None when no offset is reached (or on the due day itself with no 0 offset)."""
    delta = (due - today).days
    if delta >= 0:
        reached = [n for n in before if delta <= n]
        return (ReminderWhen.BEFORE, min(reached)) if reached else None
    reached = [n for n in after if -delta >= n]
    return (ReminderWhen.AFTER, max(reached)) if reached else None


@dataclass
class Candidate:
    item_key: str
    item_kind: str
    due: datetime.date
    title: str
    recipients: list[str]
    url: str
    who: str  # the agency or organisation reminded


@dataclass
class SendResult:
    sent: int = 0
    skipped: int = 0  # already sent earlier
    failed: int = 0
    no_recipient: int = 0
    subjects: list[str] = field(default_factory=list)


def _site_url(path: str) -> str:
    base = getattr(settings, "HOPTAC_SITE_URL", "").rstrip("/")
    return f"{base}{path}" if base else path


def _emails(users) -> list[str]:
    return [u.email for u in users if u.email and u.is_active]


def period_candidates(*, today: datetime.date, window: int) -> list[Candidate]:
    """Task, local and summary reports not submitted, due within `window` days either side of today."""
    from hoptac.accounts.models import User

    periods = (
        ReportingPeriod.objects.unrestricted("every agency that owes a report is reminded")
        .filter(
            first_submitted_on__isnull=True,
            due__gte=today - datetime.timedelta(days=window),
            due__lte=today + datetime.timedelta(days=window),
        )
        .select_related("agency", "assignment__plan_task", "obligation")
        .order_by("due", "pk")
    )
    users_by_agency: dict[int | None, list[str]] = {}
    for user in User.objects.filter(agency__in={p.agency_id for p in periods}, is_active=True).exclude(
        email=""
    ):
        users_by_agency.setdefault(user.agency_id, []).append(user.email)
    result = []
    for period in periods:
        recipients = list(users_by_agency.get(period.agency_id, []))
        if period.agency.email:
            recipients.append(period.agency.email)
        result.append(
            Candidate(
                item_key=f"period:{period.pk}",
                item_kind=period.kind,
                due=period.due,
                title=f"{period.short_title} — {period.label}",
                recipients=sorted(set(recipients)),
                url=_site_url(reverse("tasks:period_detail", args=[period.pk])),
                who=period.agency.name,
            )
        )
    return result


def yearly_data_candidates(*, today: datetime.date, window: int) -> list[Candidate]:
    """Organisations that have not submitted the yearly data due 15/12 within the window: their
    representatives (user accounts) and the organisation's own e-mail."""
    from hoptac.accounts.models import User
    from hoptac.registry.models import Organisation, YearlyReport, YearlyReportState

    from .selectors import yearly_data_due

    result = []
    for year in (today.year - 1, today.year):
        due = yearly_data_due(year)
        if abs((due - today).days) > window:
            continue
        sent = (
            YearlyReport.objects.unrestricted("every organisation that owes its yearly data is reminded")
            .filter(year=year)
            .exclude(state=YearlyReportState.DRAFT)
        )
        orgs = (
            Organisation.objects.unrestricted("every organisation that owes its yearly data is reminded")
            .existing_on(due)
            .exclude(pk__in=sent.values("organisation"))
            .only("pk", "name", "email")
            .order_by("pk")
        )
        reps: dict[int | None, list[str]] = {}
        for user in User.objects.filter(roles.representatives_of(orgs)).exclude(email=""):
            reps.setdefault(user.organisation_id, []).append(user.email)
        for org in orgs:
            recipients = list(reps.get(org.pk, []))
            if org.email:
                recipients.append(org.email)
            result.append(
                Candidate(
                    item_key=f"yearly:{org.pk}:{year}",
                    item_kind=ItemKind.YEARLY_DATA,
                    due=due,
                    title=_("Yearly data %(year)s of %(name)s") % {"year": year, "name": org.name},
                    recipients=sorted(set(recipients)),
                    url=_site_url(reverse("registry:organisation_detail", args=[org.pk]) + "#years"),
                    who=org.name,
                )
            )
    return result


def evaluation_candidates(*, today: datetime.date, window: int) -> list[Candidate]:
    """Self-assessments started but not submitted (scoring app, when installed): their representatives."""
    from django.apps import apps

    if not apps.is_installed("hoptac.scoring"):
        return []
    try:
        from hoptac.scoring.models import Assessment
    except ImportError:  # pragma: no cover
        return []
    from hoptac.accounts.models import User

    result = []
    assessments = (
        Assessment.objects.unrestricted("every organisation with a self-assessment due is reminded")
        .filter(state__in=["draft", "returned"], year__in=[today.year - 1, today.year])
        .select_related("organisation", "scheme")
    )
    relevant = []
    for assessment in assessments:
        deadline = getattr(assessment.scheme, "deadline", None)
        due = deadline(assessment.year) if callable(deadline) else None
        if due is not None and abs((due - today).days) <= window:
            relevant.append((assessment, due))
    reps: dict[int | None, list[str]] = {}
    for user in User.objects.filter(
        roles.representatives_of([a.organisation_id for a, _d in relevant])
    ).exclude(email=""):
        reps.setdefault(user.organisation_id, []).append(user.email)
    for assessment, due in relevant:
        result.append(
            Candidate(
                item_key=f"evaluation:{assessment.pk}",
                item_kind=ItemKind.EVALUATION,
                due=due,
                title=_("Self-assessment %(year)s of %(name)s")
                % {"year": assessment.year, "name": assessment.organisation.name},
                recipients=sorted(set(reps.get(assessment.organisation_id, []))),
                url="",
                who=assessment.organisation.name,
            )
        )
    return result


def _message(candidate: Candidate, when: str, offset: int) -> tuple[str, str]:
    due = format_date(candidate.due)
    if when == ReminderWhen.BEFORE:
        subject = _("[HợpTác] Due on %(date)s: %(title)s") % {"date": due, "title": candidate.title}
        lead = _(
            "This is a reminder: the following is due on %(date)s (in %(days)s days) and has not been submitted yet."
        ) % {
            "date": due,
            "days": offset,
        }
    else:
        subject = _("[HợpTác] Overdue since %(date)s: %(title)s") % {"date": due, "title": candidate.title}
        lead = _("The following was due on %(date)s and has not been submitted yet (%(days)s days late).") % {
            "date": due,
            "days": offset,
        }
    body = "\n\n".join(
        part
        for part in (
            lead,
            f"{candidate.title}\n{candidate.who}",
            _("Open it: %(url)s") % {"url": candidate.url} if candidate.url else "",
            _("This message was sent automatically by HợpTác; please do not reply."),
        )
        if part
    )
    return subject[:255], body


def reminders_send(
    *, today: datetime.date, before: list[int] | None = None, after: list[int] | None = None
) -> SendResult:
    """Send the reminders due on `today`. Idempotent (see the module's docstring)."""
    configured = offsets()
    before = sorted(before) if before is not None else configured["before"]
    after = sorted(after) if after is not None else configured["after"]
    window = max([*before, *after, 0]) + CATCH_UP_DAYS
    result = SendResult()
    with translation.override(settings.LANGUAGE_CODE):
        candidates = (
            period_candidates(today=today, window=window)
            + yearly_data_candidates(today=today, window=window)
            + evaluation_candidates(today=today, window=window)
        )
        for candidate in candidates:
            chosen = reminder_offset(due=candidate.due, today=today, before=before, after=after)
            if chosen is None:
                continue
            if not candidate.recipients:
                result.no_recipient += 1
                continue
            when, offset = chosen
            subject, body = _message(candidate, when, offset)
            for recipient in candidate.recipients:
                try:
                    with transaction.atomic():
                        reminder, created = Reminder.objects.get_or_create(
                            item_key=candidate.item_key,
                            when=when,
                            recipient=recipient,
                            due_date=candidate.due,
                            offset_days=offset,
                            defaults={"item_kind": candidate.item_kind, "subject": subject},
                        )
                        if not created:
                            result.skipped += 1
                            continue
                        # Sent inside the transaction: if sending fails the claim is rolled back and the
                        # next run tries again.
                        EmailMessage(subject, body, to=[recipient]).send()
                except IntegrityError:  # another worker claimed it at the same moment
                    result.skipped += 1
                    continue
                except Exception:  # noqa: BLE001 - one bad address must not stop the others
                    logger.exception("Reminder to %s failed", recipient)
                    result.failed += 1
                    continue
                result.sent += 1
                result.subjects.append(subject)
    return result
