"""The desk's tallies of review items waiting (hoptac.desk.tallies, docs/decisions/0055-review-tallies.md)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TallyKind(models.TextChoices):
    YEARLY = "yearly", _("yearly data")
    RATING = "rating", _("rating")


class ReviewTally(models.Model):
    """How many review items (yearly reports, assessments) of one `kind`, `state` and `year` belong to
    organisations of one pair of communes (`commune_legacy`, `commune_current`: the ids of the organisation's
    communes on both maps, 0 for none; the communes of `Organisation.scope`). Kept exact by database triggers
    on the items and on the organisations, in the writing transaction (hoptac.desk.tallies); read by the
    menu's review queues. Derived from the data, not data: left out of backups and of the data version."""

    derived_figures = True  # not data: left out of backups (hoptac.core.backup)

    kind = models.CharField(_("kind"), max_length=10, choices=TallyKind.choices)
    state = models.CharField(_("state"), max_length=12)
    year = models.PositiveSmallIntegerField(_("year"))
    commune_legacy = models.BigIntegerField(_("commune (map before 1/7/2025)"))
    commune_current = models.BigIntegerField(_("commune (map from 1/7/2025)"))
    n = models.BigIntegerField(_("count"))

    class Meta:
        verbose_name = _("review tally")
        verbose_name_plural = _("review tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "state", "year", "commune_legacy", "commune_current"], name="one_review_tally"
            ),
            models.CheckConstraint(condition=Q(n__gte=0), name="review_tally_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.state} {self.year} {self.commune_legacy}/{self.commune_current}: {self.n}"
