"""A notification: one message to one person about one event of the workflows (submitted, returned,
accepted, approved, reopened, assigned, due soon, overdue), shown in the app (the bell) and, when the person
wants it, sent by e-mail through the task worker."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hoptac.accounts import roles
from hoptac.core.scoping import Scope, ScopedModel


class Event(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("notification", "Submitted")
    RETURNED = "returned", pgettext_lazy("notification", "Returned")
    ACCEPTED = "accepted", pgettext_lazy("notification", "Accepted")
    APPROVED = "approved", pgettext_lazy("notification", "Approved")
    REOPENED = "reopened", pgettext_lazy("notification", "Reopened")
    ASSIGNED = "assigned", pgettext_lazy("notification", "Task assigned")
    DUE_SOON = "due_soon", pgettext_lazy("notification", "Due soon")
    OVERDUE = "overdue", pgettext_lazy("notification", "Overdue")
    EXPORT_READY = "export_ready", pgettext_lazy("notification", "Export ready")


class Notification(ScopedModel):
    scope = Scope(roles.owner_reach, {"users": ("recipient",)})

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.CharField(_("event"), max_length=20, choices=Event.choices)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)  # a path of the site: /registry/1/…
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class ExportJob(ScopedModel):
    """A file prepared for one person in the background: an export too large to answer at once
    (hoptac.notifications.export_jobs; docs/decisions/0038-exports.md). Only its owner sees it and downloads it:
    it holds what their scope showed them when they asked."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    scope = Scope(roles.owner_reach, {"users": ("user",)})

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="export_jobs"
    )
    # The export (hoptac.core.downloads.register_export) and the query parameters it was asked with.
    kind = models.CharField(_("export"), max_length=64)
    params = models.JSONField(default=list, blank=True)
    label = models.CharField(_("title"), max_length=255)
    filename = models.CharField(_("file name"), max_length=255)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # The file under MEDIA_ROOT/exports/ once written; its size in bytes.
    file = models.CharField(max_length=255, blank=True, editable=False)
    size = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)  # the last sign of life of its worker
    finished_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(99, round(self.done * 100 / self.total)) if self.total else 0
