from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorKind(models.TextChoices):
    COUNT = "count", _("Count of organisations")
    SUM = "sum", _("Sum of a yearly figure")
    SHARE = "share", _("Share of organisations")
    FLOW = "flow", _("Organisations established in the year")
    PER_CAPITA = "per_capita", _("Ratio to reference data")
    QUALITATIVE = "qualitative", _("Qualitative (assessed by an officer)")


class Comparator(models.TextChoices):
    AT_LEAST = "at_least", _("at least")
    AT_MOST = "at_most", _("at most")
    ABOUT = "about", _("about")
    RANGE = "range", _("between")
    EXACT = "exact", _("exactly")


class TargetStatus(models.TextChoices):
    """The verdicts of docs/verdicts.md, in the order the pages and the report list them."""

    ACHIEVED = "achieved", _("Achieved")
    EXCEEDED = "exceeded", _("Exceeded")
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind schedule")
    AT_RISK = "at_risk", _("At risk of not being achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")
    NO_DATA = "no_data", _("Not enough data")


# Severity of a status, most severe first (the plan page's "order by severity").
SEVERITY = [
    TargetStatus.NOT_ACHIEVED,
    TargetStatus.AT_RISK,
    TargetStatus.BEHIND,
    TargetStatus.NO_DATA,
    TargetStatus.EXCEEDED,
    TargetStatus.ON_TRACK,
    TargetStatus.ACHIEVED,
]
