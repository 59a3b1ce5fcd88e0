"""Follow-up of a plan's tasks: the agencies that carry them out (as data, with validity dates and
succession), who leads each task, the reporting periods generated from its schedule, the agencies'
progress reports with their attachments, and the reminders sent. The plan's own statement of a task stays
in hoptac.plans.PlanTask, untouched: an officer's assignment lives here and says so."""

import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hoptac.accounts import roles
from hoptac.areas.models import AdminUnit
from hoptac.core.formatting import format_date
from hoptac.core.review import ReviewedModel
from hoptac.core.scoping import Scope, ScopedModel
from hoptac.core.text import fold, sort_key

from .choices import (
    AgencyKind,
    Every,
    ItemKind,
    ProgressStatus,
    ReminderWhen,
    ReportState,
    ScheduleSource,
    Timeliness,
)
from .recurrence import Schedule

# People's Committees below the province: their reports are written by the commune officers of their area.
LOCAL_KINDS = [AgencyKind.COMMUNE_COMMITTEE, AgencyKind.DISTRICT_COMMITTEE]


class AgencyQuerySet(models.QuerySet["Agency"]):
    def in_force_on(self, day: datetime.date) -> "AgencyQuerySet":
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def search(self, text: str) -> "AgencyQuerySet":
        folded = fold(text)
        return self.filter(name_folded__contains=folded) if folded else self


class Agency(models.Model):
    """A body that leads or co-operates on tasks: a department, the Cooperative Alliance, a People's
    Committee… Loaded from a data file (`load_data agencies`); after a merger the old agency points at its
    successor and its open work is handed over (services.agency_merge)."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    area = models.ForeignKey(
        AdminUnit,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
        help_text=_("The province, district or commune a People's Committee governs."),
    )
    valid_from = models.DateField(_("in existence from"), null=True, blank=True)
    valid_to = models.DateField(_("in existence until"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
        help_text=_("The agency that took over its duties when it ceased to exist."),
    )
    coordinates = models.BooleanField(
        _("coordinates the follow-up"),
        default=False,
        help_text=_("The standing agency: its provincial officers assign tasks and accept reports."),
    )
    email = models.EmailField(_("email"), blank=True)
    source = models.TextField(_("source"), blank=True)
    note = models.TextField(_("note"), blank=True)
    verified = models.BooleanField(
        _("verified"), default=True, help_text=_("False when the entry is inferred, not taken from a source.")
    )
    merged_on = models.DateField(
        _("open work handed over on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when its open tasks and periods were handed to its successor."),
    )
    name_folded = models.CharField(max_length=255, editable=False, db_index=True)
    name_sort = models.CharField(max_length=800, editable=False, db_index=True)
    history = HistoricalRecords(excluded_fields=["name_folded", "name_sort"])
    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name_sort", "code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(f"{self.name} {self.short_name}")
        self.name_sort = sort_key(self.name)[:800]
        super().save(*args, **kwargs)

    def in_force_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def governs_locally(self) -> bool:
        """A People's Committee of a district or commune: commune officers of its area report for it."""
        return self.kind in LOCAL_KINDS

    def clean(self):
        from . import errors

        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": errors.AGENCY_DATES})
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": errors.AGENCY_OWN_SUCCESSOR})


class AgencyMerge(models.Model):
    """A hand-over of an agency's open work to its successor: when, by whom, and what moved."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="merges_out"
    )
    successor = models.ForeignKey(
        Agency, verbose_name=_("successor"), on_delete=models.CASCADE, related_name="merges_in"
    )
    effective_on = models.DateField(_("effective on"))
    assignments_moved = models.PositiveIntegerField(_("lead assignments moved"), default=0)
    cooperations_moved = models.PositiveIntegerField(_("co-operations moved"), default=0)
    periods_moved = models.PositiveIntegerField(_("open periods moved"), default=0)
    users_moved = models.PositiveIntegerField(_("users moved"), default=0)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(_("done at"), auto_now_add=True)

    class Meta:
        verbose_name = _("agency merger")
        verbose_name_plural = _("agency mergers")
        ordering = ["-effective_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.agency} → {self.successor} ({format_date(self.effective_on)})"


class ScheduleFields(models.Model):
    """A reporting schedule: a recurrence (every year/half-year/quarter/month, due on `due_day` of the
    `due_month`-th month of the period) or a single deadline."""

    every = models.CharField(_("report"), max_length=10, choices=Every.choices, blank=True)
    due_month = models.PositiveSmallIntegerField(
        _("due in month"),
        null=True,
        blank=True,
        help_text=_("Counted from the period's first month: 12 for a yearly report due in December."),
    )
    due_day = models.PositiveSmallIntegerField(_("due on day"), null=True, blank=True)
    from_year = models.PositiveSmallIntegerField(_("from year"), null=True, blank=True)
    to_year = models.PositiveSmallIntegerField(_("until year"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def schedule(self) -> Schedule:
        return Schedule(
            every=self.every,
            month=self.due_month,
            day=self.due_day,
            from_year=self.from_year,
            to_year=self.to_year,
            deadline=self.deadline,
        )

    def set_schedule(self, schedule: Schedule) -> None:
        self.every = schedule.every
        self.due_month = schedule.month
        self.due_day = schedule.day
        self.from_year = schedule.from_year
        self.to_year = schedule.to_year
        self.deadline = schedule.deadline

    def clean_schedule(self) -> dict:
        from . import errors

        problems: dict = {}
        if not self.every and self.deadline is None:
            problems["every"] = errors.SCHEDULE_REQUIRED
        if self.due_month is not None and not 1 <= self.due_month <= 12:
            problems["due_month"] = errors.SCHEDULE_MONTH
        if self.due_day is not None and not 1 <= self.due_day <= 31:
            problems["due_day"] = errors.SCHEDULE_DAY
        if self.from_year and self.to_year and self.to_year < self.from_year:
            problems["to_year"] = errors.SCHEDULE_YEARS
        return problems


class Obligation(ScheduleFields):
    """A standing reporting duty that is not one of the plan's task texts: the province's summary report,
    the local governments' yearly reports… Loaded from the agencies file, marked `verified: false` when
    the duty and its date are the usual pattern rather than a sourced rule."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=[(k.value, k.label) for k in (ItemKind.SUMMARY_REPORT, ItemKind.LOCAL_REPORT)],
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("reporting agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="obligations",
        help_text=_("Followed through its successors after a merger."),
    )
    agency_kinds = models.JSONField(
        _("every agency of these kinds"),
        default=list,
        blank=True,
        help_text=_("Instead of one agency: each agency of these kinds in existence on the due day reports."),
    )
    recipient = models.CharField(_("reported to"), max_length=255, blank=True)
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="obligations",
    )
    source = models.TextField(_("source"), blank=True)
    verified = models.BooleanField(_("verified"), default=False)

    class Meta:
        verbose_name = _("reporting obligation")
        verbose_name_plural = _("reporting obligations")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class TaskAssignment(ScheduleFields):
    """Who leads a plan task and on which schedule it is reported. One per PlanTask. `from_plan` is True
    only when the plan text names the lead; otherwise the lead (if any) was set by an officer, recorded
    with who and when."""

    plan_task = models.OneToOneField(
        "plans.PlanTask", verbose_name=_("plan task"), on_delete=models.PROTECT, related_name="assignment"
    )
    lead_agency = models.ForeignKey(
        Agency,
        verbose_name=_("lead agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_assignments",
    )
    cooperating_agencies = models.ManyToManyField(
        Agency, verbose_name=_("co-operating agencies"), blank=True, related_name="cooperating_assignments"
    )
    from_plan = models.BooleanField(
        _("assignment stated in the plan"),
        default=False,
        help_text=_("False: the lead was assigned by an officer, not by the plan text."),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    note = models.TextField(_("assignment note"), blank=True)
    expected_output = models.TextField(
        _("expected output"), blank=True, help_text=_("When the plan states none: set by the officer.")
    )
    schedule_source = models.CharField(
        _("schedule set by"), max_length=10, choices=ScheduleSource.choices, default=ScheduleSource.DEFAULT
    )
    history = HistoricalRecords(m2m_fields=[cooperating_agencies])

    # Not stored: set by the task list for its template (tasks.views.TaskListView) …
    stats: dict[str, int]
    schedule_text: str
    lead_ended: bool
    # … and simple-history's switch, on while the co-operating agencies change (services._save_assignment).
    skip_history_when_saving: bool

    class Meta:
        verbose_name = _("task assignment")
        verbose_name_plural = _("task assignments")
        ordering = ["plan_task__plan", "plan_task__order"]

    def __str__(self) -> str:
        return str(self.plan_task)

    def clean(self):
        problems = self.clean_schedule()
        if problems:
            raise ValidationError(problems)


class ReportingPeriod(ScopedModel):
    """One report owed: for a task (through its assignment) or an obligation, by one agency, for a period,
    by a due day. `report_state` and `first_submitted_on` copy the report's, so lists and scorecards are
    one query."""

    scope = Scope(roles.agency_reach, {"agencies": ("agency",), "areas": ("agency__area",)})

    assignment = models.ForeignKey(
        TaskAssignment,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="periods",
    )
    obligation = models.ForeignKey(
        Obligation,
        verbose_name=_("obligation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="periods",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("reporting agency"), on_delete=models.PROTECT, related_name="periods"
    )
    original_agency = models.ForeignKey(
        Agency,
        verbose_name=_("owed at first by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        help_text=_(
            "The agency the period was generated for; `agency` changes when its work is handed over."
        ),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices, default=ItemKind.TASK_REPORT)
    every = models.CharField(_("period"), max_length=10, choices=Every.choices, blank=True)
    start = models.DateField(_("period from"))
    end = models.DateField(_("period to"))
    due = models.DateField(_("due on"), db_index=True)
    report_state = models.CharField(
        _("report"), max_length=10, choices=ReportState.choices, blank=True, editable=False
    )
    first_submitted_on = models.DateField(_("first submitted on"), null=True, blank=True, editable=False)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["report_state", "first_submitted_on", "accepted_on"])

    # Not stored: set by the pages that list periods, for their templates (tasks.views).
    timeliness: Timeliness

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["due", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(assignment__isnull=False, obligation__isnull=True)
                | Q(assignment__isnull=True, obligation__isnull=False),
                name="period_for_task_or_obligation",
            ),
            models.UniqueConstraint(
                fields=["assignment", "start", "every"],
                condition=Q(assignment__isnull=False),
                name="one_period_per_task_and_start",
            ),
            models.UniqueConstraint(
                fields=["obligation", "original_agency", "start", "every"],
                condition=Q(obligation__isnull=False),
                name="one_period_per_obligation_agency_and_start",
            ),
        ]
        indexes = [models.Index(fields=["agency", "due"], name="period_agency_due")]

    def __str__(self) -> str:
        return f"{self.title} — {self.label}"

    def save(self, *args, **kwargs):
        if self.original_agency_id is None:
            self.original_agency_id = self.agency_id
        super().save(*args, **kwargs)

    @property
    def title(self) -> str:
        if self.assignment is not None:
            task = self.assignment.plan_task
            return f"{task.code}. {task.text}"
        return self.obligation.name if self.obligation is not None else ""

    @property
    def short_title(self) -> str:
        if self.assignment is not None:
            task = self.assignment.plan_task
            text = task.text if len(task.text) <= 110 else task.text[:107].rsplit(" ", 1)[0] + "…"
            return f"{task.code}. {text}"
        return self.title

    @property
    def label(self) -> str:
        from .labels import period_label

        return period_label(self.every, self.start, self.end)

    @property
    def is_open(self) -> bool:
        return self.report_state != ReportState.ACCEPTED


class ProgressReport(ReviewedModel):
    """The lead agency's report for one period: status, text, figures and attachments. Submitted by the
    agency, accepted or returned (with a comment) by a provincial officer of the coordinating agency;
    accepted reports are locked. Every change is kept by django-simple-history."""

    scope = ReportingPeriod.scope.via("period")

    period = models.OneToOneField(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="report"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("reporting agency"), on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField(_("progress"), max_length=20, choices=ProgressStatus.choices)
    text = models.TextField(_("report"))
    figures = models.JSONField(
        _("figures"),
        default=list,
        blank=True,
        help_text=_("A small table of figures: [{label, value, unit}]."),
    )
    state = ReviewedModel.state_field(ReportState, _("state"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-period__due", "pk"]

    def __str__(self) -> str:
        return str(self.period)

    def clean(self):
        from . import errors

        if not isinstance(self.figures, list):
            raise ValidationError({"figures": errors.FIGURES_FORMAT})
        for row in self.figures:
            if (
                not isinstance(row, dict)
                or not str(row.get("label", "")).strip()
                or isinstance(row.get("value"), bool)
                or not isinstance(row.get("value"), int | float)
            ):
                raise ValidationError({"figures": errors.FIGURES_FORMAT})


ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


def attachment_path(instance: "Attachment", filename: str) -> str:
    extension = Path(filename).suffix.lower()
    return f"tasks/reports/{instance.report.period.due:%Y}/{uuid.uuid4().hex}{extension}"


class Attachment(ScopedModel):
    """A file attached to a progress report: pdf, docx, xlsx, jpg or png, at most 10 MB, checked by its
    extension and its content. Served only through the scoped download view."""

    scope = ProgressReport.scope.via("report")

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["report", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Reminder(models.Model):
    """One e-mail sent about one due item. The unique constraint makes sending idempotent: a reminder for
    the same item, kind, recipient, due day and offset is never sent twice, however often the job runs."""

    item_key = models.CharField(_("item"), max_length=80)
    item_kind = models.CharField(_("kind of item"), max_length=20, choices=ItemKind.choices)
    when = models.CharField(_("when"), max_length=10, choices=ReminderWhen.choices)
    offset_days = models.PositiveSmallIntegerField(_("days from the deadline"))
    due_date = models.DateField(_("due on"))
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=255)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item_key", "when", "recipient", "due_date", "offset_days"], name="reminder_sent_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"
