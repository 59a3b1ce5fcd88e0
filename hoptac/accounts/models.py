"""Users and their roles. What a role may do is decided in one module, hoptac.accounts.roles; which rows a
user reaches, by the scoping framework (hoptac.core.scoping) from the rules of that module."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("System administrator")
    PROVINCE = "province", _("Provincial officer")
    COMMUNE = "commune", _("Commune officer")
    REPRESENTATIVE = "representative", _("Cooperative representative")
    VIEWER = "viewer", _("Viewer (read-only)")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    areas = models.ManyToManyField(
        "areas.AdminUnit",
        verbose_name=_("areas"),
        blank=True,
        related_name="officers",
        help_text=_("Communes (or a district/province) a commune officer or viewer is limited to."),
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisation represented"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="representatives",
    )
    agency = models.ForeignKey(
        "plan_tasks.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
        help_text=_("The department, alliance or People's Committee the user works for and reports for."),
    )
    notify_by_email = models.BooleanField(
        _("notifications by e-mail"),
        default=True,
        help_text=_(
            "Also send each notification by e-mail; otherwise they are shown only in HợpTác (the bell)."
        ),
    )

    # Set by hoptac.accounts.roles on first use and kept for the life of this object (one request); not fields.
    _hoptac_commune_ids: frozenset[int]
    _hoptac_area_ids: frozenset[int]
    _hoptac_password_changed: bool = False

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def set_password(self, raw_password: str | None) -> None:
        """Also marks the password as changed: hoptac.accounts.signals revokes the API tokens once saved."""
        super().set_password(raw_password)
        self._hoptac_password_changed = True

    def get_full_name(self) -> str:
        """Vietnamese order: family name first ("Nguyễn Văn An")."""
        return f"{self.last_name} {self.first_name}".strip()


class AuditKind(models.TextChoices):
    LOGIN = "login", _("Sign-in")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    LOCKED_OUT = "locked_out", _("Sign-in locked")
    LOGOUT = "logout", _("Sign-out")
    EXPORT = "export", _("Export")
    PERSONAL_DATA = "personal_data", _("Personal data viewed")
    IMPORT = "import", _("List imported")
    APPROVAL = "approval", _("Review step")
    CHANGE = "change", _("Change")
    TWO_FACTOR_ON = "two_factor_on", _("Two-step sign-in turned on")
    TWO_FACTOR_OFF = "two_factor_off", _("Two-step sign-in turned off")
    DATA_REQUEST = "data_request", _("Personal-data request")
    ERASURE = "erasure", _("Personal data erased")


class AuditEvent(models.Model):
    """One line of the audit trail (docs/decisions/0022-authentication-audit.md): who did what, when, from where,
    to which record. Written by hoptac.accounts.audit only; never updated, never deleted (no time limit)."""

    at = models.DateTimeField(_("time"), db_index=True)
    kind = models.CharField(_("event"), max_length=20, choices=AuditKind.choices, db_index=True)
    user = models.ForeignKey(
        User, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text too: the line stays readable if the account is renamed or removed.
    username = models.CharField(_("username"), max_length=150, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    path = models.CharField(_("address in the system"), max_length=500, blank=True)
    object_type = models.CharField(_("record type"), max_length=100, blank=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    object_repr = models.CharField(_("record"), max_length=255, blank=True)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.username}"
