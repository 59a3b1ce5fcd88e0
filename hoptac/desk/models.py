"""The desk's tallies of review items waiting (hoptac.desk.tallies, docs/decisions/0055-review-tallies.md)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoptac.core.models import TallyCells


class TallyKind(models.TextChoices):
    YEARLY = "yearly", _("yearly data")
    RATING = "rating", _("rating")


class ReviewTally(TallyCells):
    """How many ratings of one `kind`, `state` and `year` belong to organisations of one pair of communes (the
    cells: `TallyCells`). Kept exact by database triggers on the assessments and on the organisations, in the
    writing transaction (hoptac.desk.tallies); read by the menu's review queues."""

    kind = models.CharField(_("kind"), max_length=10, choices=TallyKind.choices)

    class Meta:
        verbose_name = _("review tally")
        verbose_name_plural = _("review tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "state", "year", "commune_legacy", "commune_current"], name="one_review_tally"
            ),
            models.CheckConstraint(condition=Q(n__gte=0), name="review_tally_not_negative"),
        ]
