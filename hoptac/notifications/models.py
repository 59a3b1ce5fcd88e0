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
