"""A data subject's request under the personal data protection law (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15):
to see, correct or erase what HợpTác holds about a person (docs/decisions/0027-two-step-sign-in-and-personal-data.md).

The request follows the project's one review workflow (hoptac.core.review, declared in workflow.py): recorded
(`submitted_by`/`submitted_at`: the administrator who recorded it), then accepted or refused (`reviewed_by`/
`reviewed_at`, the reason in `review_comment`), then carried out (`done_by`/`done_at`, what was done in
`outcome`). Its own text names the person (it is the proof the request was handled) and is kept; its string
form is the reference only, so the audit trail, which names it, holds no personal data."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hoptac.accounts import roles
from hoptac.core.review import ReviewedModel
from hoptac.core.scoping import Scope


class RequestKind(models.TextChoices):
    ACCESS = "access", _("See the data (access)")
    CORRECTION = "correction", _("Correct the data")
    ERASURE = "erasure", _("Erase the data")


class RequestState(models.TextChoices):
    RECEIVED = "received", _("Waiting for a decision")
    ACCEPTED = "accepted", pgettext_lazy("request decision", "Accepted")
    REFUSED = "refused", _("Refused")
    DONE = "done", _("Carried out")


class DataSubjectRequest(ReviewedModel):
    scope = Scope(roles.data_request_reach, {})

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
    state = ReviewedModel.state_field(RequestState, _("state"), default=RequestState.RECEIVED)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("carried out by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    done_at = models.DateTimeField(_("carried out at"), null=True, blank=True, editable=False)
    outcome = models.TextField(_("what was done"), blank=True, editable=False)

    class Meta:
        verbose_name = _("personal-data request")
        verbose_name_plural = _("personal-data requests")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.state in (RequestState.RECEIVED, RequestState.ACCEPTED)
