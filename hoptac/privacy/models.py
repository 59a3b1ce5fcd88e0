"""A data subject's request under the personal data protection law (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15):
to see, correct or erase what HợpTác holds about a person (docs/decisions/0027-two-step-sign-in-and-personal-data.md).

The request is attributable: who asked and when, what was asked, who decided what and when, who carried it out
and when. Its own text names the person (it is the proof the request was handled) and is kept; its string form
is the reference only, so the audit trail, which names it, holds no personal data."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RequestKind(models.TextChoices):
    ACCESS = "access", _("See the data (access)")
    CORRECTION = "correction", _("Correct the data")
    ERASURE = "erasure", _("Erase the data")


class Decision(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    ACCEPTED = "accepted", pgettext_lazy("request decision", "Accepted")
    REFUSED = "refused", _("Refused")


class DataSubjectRequest(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("request"), max_length=20, choices=RequestKind.choices)
    requester = models.CharField(
        _("requested by"), max_length=200, help_text=_("The person, or who asks on their behalf, and how.")
    )
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    description = models.TextField(_("what is asked"), blank=True)
    # What identifies the person in the registry and the accounts (at least one).
    subject_name = models.CharField(_("person's full name"), max_length=120, blank=True)
    subject_phone = models.CharField(_("person's phone"), max_length=30, blank=True)
    subject_email = models.EmailField(_("person's email"), blank=True)
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING
    )
    decision_note = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("carried out by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_at = models.DateTimeField(_("carried out at"), null=True, blank=True)
    outcome = models.TextField(_("what was done"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("personal-data request")
        verbose_name_plural = _("personal-data requests")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.done_at is None and self.decision != Decision.REFUSED
