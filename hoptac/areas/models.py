"""Administrative units on two maps: before 1/7/2025 (province → district → commune) and after
(province → commune). Each unit keeps its official code and the dates its map was in force."""

import datetime
from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _

from hoptac.core.text import fold, sort_key

MAP_SWITCH_DATE = datetime.date(2025, 7, 1)


class AdminMap(models.TextChoices):
    LEGACY = "legacy", _("Before 1/7/2025 (63 provinces, with districts)")
    CURRENT = "current", _("From 1/7/2025 (34 provinces, no districts)")


def map_period(admin_map: str) -> str:
    """When a map is in force, in words: "before 1/7/2025" (the old map), "from 1/7/2025" (the new one)."""
    return str(_("before 1/7/2025") if admin_map == AdminMap.LEGACY else _("from 1/7/2025"))


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class ParentRow(NamedTuple):
    name: str
    map: str


class UnitRow(NamedTuple):
    """A unit as a choice of a <select> needs it, without a model instance (`AdminUnitQuerySet.rows`)."""

    pk: int
    name: str
    level: str
    map: str
    parent_id: int | None
    parent: ParentRow | None


class AdminUnitQuerySet(models.QuerySet):
    def rows(self) -> list[UnitRow]:
        """The units as light rows in the queryset's order, for the choices of a <select>: the 14,000 units
        of both national maps as model instances (with their parents) cost ~1 s and ~60 MB; as rows, one
        query of tuples. Rows have what `areas.forms.grouped_unit_choices` reads (pk, name, level, map,
        parent_id, parent.name, parent.map)."""
        parents: dict[int, ParentRow] = {}  # one row per parent, shared by its children
        rows = []
        for pk, name, level, unit_map, parent_id, parent_name, parent_map in self.values_list(
            "pk", "name", "level", "map", "parent_id", "parent__name", "parent__map"
        ):
            parent = None
            if parent_id:
                parent = parents.get(parent_id)
                if parent is None:
                    parent = parents[parent_id] = ParentRow(parent_name, parent_map)
            rows.append(UnitRow(pk, name, level, unit_map, parent_id, parent))
        return rows

    def communes(self):
        return self.filter(level=Level.COMMUNE)

    def on_map(self, admin_map: str):
        return self.filter(map=admin_map)

    def in_force_on(self, day: datetime.date):
        return self.filter(models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day)).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day)
        )


class AdminUnit(models.Model):
    map = models.CharField(_("map"), max_length=10, choices=AdminMap.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    code = models.CharField(_("official code"), max_length=10)
    unit_type = models.CharField(_("type"), max_length=30, help_text=_("e.g. Tỉnh, Huyện, Xã, Phường"))
    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    province = models.ForeignKey(
        "self",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    key = models.CharField(
        _("source key"), max_length=120, blank=True, help_text=_("key in vietnamadminunits")
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    name_folded = models.CharField(max_length=120, editable=False, db_index=True)
    name_sort = models.CharField(max_length=400, editable=False, db_index=True)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["map", "level", "name_sort"]
        constraints = [
            models.UniqueConstraint(fields=["map", "level", "code"], name="unique_unit_code_per_map")
        ]

    def __str__(self) -> str:
        if self.level == Level.COMMUNE and self.parent is not None and self.parent.level == Level.DISTRICT:
            return f"{self.name}, {self.parent.name}"
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        self.name_sort = sort_key(self.short_name or self.name)
        super().save(*args, **kwargs)


class CommuneSuccession(models.Model):
    """An old (pre-2025) commune and a new commune that took over (part of) its territory.
    A commune split in 2025 has several rows; `is_default` marks the one the package chooses when
    nothing else is known (the one most of its territory went to)."""

    old_commune = models.ForeignKey(
        AdminUnit, verbose_name=_("old commune"), on_delete=models.CASCADE, related_name="successions"
    )
    new_commune = models.ForeignKey(
        AdminUnit, verbose_name=_("new commune"), on_delete=models.CASCADE, related_name="predecessions"
    )
    is_default = models.BooleanField(_("default successor"), default=True)
    effective_date = models.DateField(_("effective date"), default=MAP_SWITCH_DATE)

    class Meta:
        verbose_name = _("commune succession")
        verbose_name_plural = _("commune successions")
        constraints = [
            models.UniqueConstraint(fields=["old_commune", "new_commune"], name="unique_commune_succession")
        ]

    def __str__(self) -> str:
        return f"{self.old_commune} → {self.new_commune}"
