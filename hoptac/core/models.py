"""Core models: the data version (hoptac.core.dataversion) and the cells of a tally (hoptac.core.tallies)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """One row (pk 1): a counter that every write to the data plan figures read raises, in the writing
    transaction (hoptac.core.dataversion). Caches of computed figures are keyed by it, so every process
    serving the same database agrees on what is stale."""

    value = models.BigIntegerField(_("value"), default=0)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self) -> str:
        return str(self.value)


class YearVersion(models.Model):
    """The per-year clock (hoptac.core.dataversion, docs/decisions/0050-durable-plan-points.md): row X is
    raised, by database triggers in the writing transaction, by every write that may change a plan figure of
    a date in year X or later. The clock of year Y is the sum of the rows of years up to Y (`year_clocks`)."""

    derived_figures = True  # not data: left out of backups (hoptac.core.backup)

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    value = models.BigIntegerField(_("value"), default=0)

    class Meta:
        verbose_name = _("year version")
        verbose_name_plural = _("year versions")

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"


class DurableFigure(models.Model):
    """A figure computed from the data of years up to `year`, kept across emptied caches and writes of later
    years (`hoptac.core.dataversion.durable`, docs/decisions/0053-durable-yearly-counts.md): read instead of
    computing only while `clock` equals the current clock of its year and `engine` the fingerprint of the
    code that defines it. Derived from the data, not data: writing it raises neither version."""

    derived_figures = True  # not data: left out of backups (hoptac.core.backup)

    name = models.CharField(_("name"), max_length=60)
    digest = models.CharField(_("digest"), max_length=32)
    year = models.PositiveSmallIntegerField(_("year"))
    clock = models.BigIntegerField(_("clock"))
    engine = models.CharField(_("engine"), max_length=64)
    value = models.TextField(_("value"))  # json.dumps of the figure

    class Meta:
        verbose_name = _("durable figure")
        verbose_name_plural = _("durable figures")
        constraints = [models.UniqueConstraint(fields=["name", "digest"], name="one_durable_figure")]
        # Storing a figure removes the rows of its name and year that can never be read again (dataversion).
        indexes = [models.Index(fields=["name", "year", "clock"], name="durable_figure_stale")]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"


class TallyCells(models.Model):
    """The cells of a tally kept by triggers (hoptac.core.tallies): how many items (`n`) of one `state` and
    `year` belong to organisations of one pair of communes (`commune_legacy`, `commune_current`: the ids of the
    organisation's communes on both maps, 0 for none; the communes of `Organisation.scope`). A tally of several
    kinds adds a `kind` column; each declares its unique cell and `n >= 0`. Derived from the data, not data:
    left out of backups and of the data version."""

    derived_figures = True  # not data: left out of backups (hoptac.core.backup)

    state = models.CharField(_("state"), max_length=12)
    year = models.PositiveSmallIntegerField(_("year"))
    commune_legacy = models.BigIntegerField(_("commune (map before 1/7/2025)"))
    commune_current = models.BigIntegerField(_("commune (map from 1/7/2025)"))
    n = models.BigIntegerField(_("count"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        kind = getattr(self, "kind", "")
        return f"{kind + ' ' if kind else ''}{self.state} {self.year} {self.commune_legacy}/{self.commune_current}: {self.n}"
