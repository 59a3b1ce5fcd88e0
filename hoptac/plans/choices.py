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


class TargetStatus(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind schedule")
    AT_RISK = "at_risk", _("At risk of not being achieved")
    NO_DATA = "no_data", _("Not enough data")
