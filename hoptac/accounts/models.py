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

    # Set by hoptac.accounts.roles on first use and kept for the life of this object (one request); not fields.
    _hoptac_commune_ids: frozenset[int]
    _hoptac_area_ids: frozenset[int]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self) -> str:
        """Vietnamese order: family name first ("Nguyễn Văn An")."""
        return f"{self.last_name} {self.first_name}".strip()
