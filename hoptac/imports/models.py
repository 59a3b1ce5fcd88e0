"""An import of a registry file: uploaded, checked (dry run), then committed, in the background when large."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hoptac.accounts import roles
from hoptac.core.scoping import Scope, ScopedModel


class ImportJob(ScopedModel):
    """Only its owner sees an import: the file may hold anything, including rows outside anyone's scope."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        CHECKED = "checked", _("Checked")
        REFUSED = "refused", _("Refused")
        COMMITTED = "committed", _("Imported")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs")
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=255)
    commit = models.BooleanField(_("commit"), default=False)
    # The year of the data chosen on upload, for a list that says it nowhere (hoptac.imports.reading).
    year = models.PositiveSmallIntegerField(_("year of the data"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)  # runs tried (a lock is retried with backoff)
    task_id = models.CharField(max_length=64, blank=True)  # the background task, when it runs in one
    # A checked file is imported once: the import that claimed it (a conditional update, so two clicks, two
    # tabs or the page and the API at once cannot both claim it).
    commit_job = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    scope = Scope(roles.owner_reach, {"users": ("user",)})

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        return round(self.done * 100 / self.total) if self.total else 0
