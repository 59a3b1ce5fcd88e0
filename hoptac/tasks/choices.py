from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AgencyKind(models.TextChoices):
    PROVINCIAL_COMMITTEE = "province_ppc", _("Provincial People's Committee")
    DEPARTMENT = "department", _("Department or sector (sở, ngành)")
    COOPERATIVE_ALLIANCE = "alliance", _("Cooperative Alliance")
    BANK = "bank", _("State Bank branch")
    DISTRICT_COMMITTEE = "district_ppc", _("District People's Committee")
    COMMUNE_COMMITTEE = "commune_ppc", _("Commune People's Committee")
    ORGANISATION = "mass_org", _("Front or mass organisation")
    OTHER = "other", _("Other")


class Every(models.TextChoices):
    """How often a task is reported on (the plan file's `recurrence.every`)."""

    YEAR = "year", _("Every year")
    HALF_YEAR = "half_year", _("Every half-year")
    QUARTER = "quarter", _("Every quarter")
    MONTH = "month", _("Every month")


class ScheduleSource(models.TextChoices):
    PLAN = "plan", _("Stated in the plan")
    OFFICER = "officer", _("Set by an officer")
    DEFAULT = "default", _("Default (yearly, by 15 December), not stated in the plan")


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DELAYED = "delayed", _("Behind schedule")


class ReportState(models.TextChoices):
    """A progress report's way: the agency submits, the province accepts or returns it."""

    DRAFT = "draft", pgettext_lazy("progress report", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("progress report", "Submitted, waiting for the province")
    RETURNED = "returned", pgettext_lazy("progress report", "Returned for changes")
    ACCEPTED = "accepted", pgettext_lazy("progress report", "Accepted")


class ItemKind(models.TextChoices):
    """The kinds of things the calendar lists."""

    TASK_REPORT = "task_report", _("Task progress report")
    LOCAL_REPORT = "local_report", _("Local government report")
    SUMMARY_REPORT = "summary_report", _("Province summary report")
    YEARLY_DATA = "yearly_data", _("Organisations' yearly data")
    EVALUATION = "evaluation", _("Evaluation and rating")


class Timeliness(models.TextChoices):
    """Where one due item stands on a given day (hoptac.tasks.rules.timeliness)."""

    ON_TIME = "on_time", _("Submitted on time")
    LATE = "late", _("Submitted late")
    OVERDUE = "overdue", _("Overdue, not submitted")
    DUE_SOON = "due_soon", _("Due soon")
    UPCOMING = "upcoming", _("Upcoming")
    COMPLETE = "complete", _("All done")  # an aggregate (evaluations) whose submission days are not known


class ReminderWhen(models.TextChoices):
    BEFORE = "before", _("Before the deadline")
    AFTER = "after", _("After the deadline (overdue)")
