"""E-mail reminders before and after deadlines. `reminders_send(today=…)` finds what is due around
`today`, and sends each reminder at most once: a Reminder row (unique per item, kind, recipient, due day
and offset) is claimed before the e-mail goes out, so running the job twice — or two workers at once —
never sends twice. It runs as a background task (hoptac.tasks.jobs.send_reminders_task) enqueued by
`manage.py send_reminders`.

Which offsets: HOPTAC_REMINDERS = {"before": [7, 1], "after": [1, 7, 30]} in settings (these defaults
otherwise). On a given day an item gets the reminder of the nearest offset reached: 5 days before the
deadline, the 7-day reminder; the day before, the 1-day one; a run missed on the exact day is caught up
by the next run, and an older, stale offset is skipped. An item overdue for longer than the largest offset
(an agency report two years late) still gets the reminder of that offset, once.

Each reminded person also gets it in HợpTác (a notification: the bell); the e-mail goes only to those who
want e-mail (their profile) and to the organisation's or agency's own address. The lateness said is the
real one ("7 ngày" for a deadline a week past, whatever offset was reached); links are absolute
(settings.HOPTAC_SITE_URL)."""

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
from hoptac.notifications.emails import site_url, wants_email
from hoptac.notifications.models import Event
from hoptac.notifications.services import notify

from .choices import ItemKind, ReminderWhen
from .models import Reminder, ReportingPeriod

logger = logging.getLogger(__name__)

DEFAULT_OFFSETS = {"before": [7, 1], "after": [1, 7, 30]}
# Items due are looked at up to this many days beyond the largest offset ahead of today; overdue items
# however old (the largest "after" offset reached is sent once).
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
    recipients: list[str]  # e-mail addresses: the people who want e-mail, and the body's own address
    url: str  # absolute
    who: str  # the agency or organisation reminded
    people: list = field(default_factory=list)  # the users told in HợpTác
    path: str = ""  # the link inside the site


@dataclass
class SendResult:
    sent: int = 0
    skipped: int = 0  # already sent earlier
    failed: int = 0
    no_recipient: int = 0
    subjects: list[str] = field(default_factory=list)


def _addresses(people, own: str = "") -> list[str]:
    """The e-mail addresses of a reminder: the people who want e-mail, and the organisation's or agency's."""
    addresses = {u.email for u in people if wants_email(u)}
    if own:
        addresses.add(own)
    return sorted(addresses)


def period_candidates(*, today: datetime.date, window: int) -> list[Candidate]:
    """Task, local and summary reports not submitted, due within `window` days or overdue (however long)."""
    from hoptac.accounts.models import User

    periods = (
        ReportingPeriod.objects.unrestricted("every agency that owes a report is reminded")
        .filter(
            first_submitted_on__isnull=True,
            due__lte=today + datetime.timedelta(days=window),
        )
        .select_related("agency", "assignment__plan_task", "obligation")
        .order_by("due", "pk")
    )
    users_by_agency: dict[int | None, list] = {}
    for user in User.objects.filter(agency__in={p.agency_id for p in periods}, is_active=True):
        users_by_agency.setdefault(user.agency_id, []).append(user)
    result = []
    for period in periods:
        people = users_by_agency.get(period.agency_id, [])
        path = reverse("tasks:period_detail", args=[period.pk])
        result.append(
            Candidate(
                item_key=f"period:{period.pk}",
                item_kind=period.kind,
                due=period.due,
                title=f"{period.short_title} — {period.label}",
                recipients=_addresses(people, period.agency.email),
                url=site_url(path),
                who=period.agency.name,
                people=people,
                path=path,
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
        if (due - today).days > window:
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
        reps: dict[int | None, list] = {}
        for user in User.objects.filter(roles.representatives_of(orgs)):
            reps.setdefault(user.organisation_id, []).append(user)
        for org in orgs:
            people = reps.get(org.pk, [])
            path = reverse("registry:organisation_detail", args=[org.pk]) + "#years"
            result.append(
                Candidate(
                    item_key=f"yearly:{org.pk}:{year}",
                    item_kind=ItemKind.YEARLY_DATA,
                    due=due,
                    title=_("Yearly data %(year)s of %(name)s") % {"year": year, "name": org.name},
                    recipients=_addresses(people, org.email),
                    url=site_url(path),
                    who=org.name,
                    people=people,
                    path=path,
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
        if due is not None and (due - today).days <= window:
            relevant.append((assessment, due))
    reps: dict[int | None, list] = {}
    for user in User.objects.filter(roles.representatives_of([a.organisation_id for a, _d in relevant])):
        reps.setdefault(user.organisation_id, []).append(user)
    for assessment, due in relevant:
        people = reps.get(assessment.organisation_id, [])
        path = reverse("scoring:assessment_detail", args=[assessment.pk])
        result.append(
            Candidate(
                item_key=f"evaluation:{assessment.pk}",
                item_kind=ItemKind.EVALUATION,
                due=due,
                title=_("Self-assessment %(year)s of %(name)s")
                % {"year": assessment.year, "name": assessment.organisation.name},
                recipients=_addresses(people),
                url=site_url(path),
                who=assessment.organisation.name,
                people=people,
                path=path,
            )
        )
    return result


def _message(candidate: Candidate, when: str, today: datetime.date) -> tuple[str, str]:
    """The subject and body; the days said are the real distance to the deadline on `today`."""
    due = format_date(candidate.due)
    days = abs((candidate.due - today).days)
    if when == ReminderWhen.BEFORE:
        subject = _("[HợpTác] Due on %(date)s: %(title)s") % {"date": due, "title": candidate.title}
        lead = _(
            "This is a reminder: the following is due on %(date)s (in %(days)s days) and has not been submitted yet."
        ) % {
            "date": due,
            "days": days,
        }
    else:
        subject = _("[HợpTác] Overdue since %(date)s: %(title)s") % {"date": due, "title": candidate.title}
        lead = _("The following was due on %(date)s and has not been submitted yet (%(days)s days late).") % {
            "date": due,
            "days": days,
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
            if not candidate.recipients and not candidate.people:
                result.no_recipient += 1
                continue
            when, offset = chosen
            subject, body = _message(candidate, when, today)
            _tell_in_app(candidate, when, offset, subject, body)
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


def _tell_in_app(candidate: Candidate, when: str, offset: int, subject: str, body: str) -> None:
    """The reminder in HợpTác (the bell) of each person, once per item, due day and offset: claimed like the
    e-mails, under the recipient "user:<id>"."""
    event = Event.DUE_SOON if when == ReminderWhen.BEFORE else Event.OVERDUE
    title = subject.removeprefix("[HợpTác] ")
    for person in candidate.people:
        try:
            with transaction.atomic():
                _reminder, created = Reminder.objects.get_or_create(
                    item_key=candidate.item_key,
                    when=when,
                    recipient=f"user:{person.pk}",
                    due_date=candidate.due,
                    offset_days=offset,
                    defaults={"item_kind": candidate.item_kind, "subject": subject},
                )
                if created:
                    notify([person], event=event, title=title, body=body, link=candidate.path, email=False)
        except IntegrityError:  # another worker claimed it at the same moment
            continue
