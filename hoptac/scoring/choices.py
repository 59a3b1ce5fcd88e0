from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Band(models.TextChoices):
    """The rating of an organisation for a year (xếp loại). `not_rated` is the result of an exclusion
    rule (e.g. operating under 12 months): the organisation is assessed but gets no rating."""

    GOOD = "good", pgettext_lazy("rating band", "Good")
    FAIR = "fair", pgettext_lazy("rating band", "Fair")
    AVERAGE = "average", pgettext_lazy("rating band", "Average")
    WEAK = "weak", pgettext_lazy("rating band", "Weak")
    NOT_RATED = "not_rated", pgettext_lazy("rating band", "Not rated")


# The four bands of a score, best first; every scheme file lists exactly these.
SCORE_BANDS = [Band.GOOD, Band.FAIR, Band.AVERAGE, Band.WEAK]
GOOD_OR_FAIR = [Band.GOOD, Band.FAIR]


class AssessmentState(models.TextChoices):
    DRAFT = "draft", _("Self-assessment not submitted")
    SUBMITTED = "submitted", _("Submitted, waiting for review")
    RETURNED = "returned", _("Returned to the organisation")
    REVIEWED = "reviewed", _("Reviewed, waiting for approval")
    APPROVED = "approved", _("Approved")
    REOPENED = "reopened", _("Reopened, to be reviewed again")


# Who acts in each state.
SELF_EDIT_STATES = [AssessmentState.DRAFT, AssessmentState.RETURNED]
REVIEW_EDIT_STATES = [AssessmentState.SUBMITTED, AssessmentState.REVIEWED, AssessmentState.REOPENED]


class EventAction(models.TextChoices):
    START = "start", _("Evaluation started")
    SUBMIT = "submit", _("Self-assessment submitted")
    REVIEW = "review", _("Reviewed")
    RETURN = "return", _("Returned")
    APPROVE = "approve", _("Approved")
    REOPEN = "reopen", _("Reopened")
    SCHEME = "scheme", _("Scheme changed")


class NodeKind(models.TextChoices):
    GROUP = "group", _("Group of criteria")
    CRITERION = "criterion", _("Criterion")
    ITEM = "item", _("Sub-item")


class InputKind(models.TextChoices):
    COMPUTED = "computed", _("Proposed from the yearly data")
    MANUAL = "manual", _("Entered with evidence")
    SURVEY = "survey", _("From the member satisfaction survey")


class SizeClass(models.TextChoices):
    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large")


SIZE_ORDER = [SizeClass.LARGE, SizeClass.MEDIUM, SizeClass.SMALL, SizeClass.MICRO]


class ExclusionType(models.TextChoices):
    OPERATING_LESS_THAN = "operating_less_than", _("Operating for less than N months at the end of the year")
    STOPPED_MORE_THAN = "stopped_more_than", _("Suspended or stopped for more than N months in the year")
    ADMINISTRATIVE_FINE = "administrative_fine", _("Administrative fine in the year")


class GroupBy(models.TextChoices):
    COMMUNE_LEGACY = "commune_legacy", _("Commune (before 1/7/2025)")
    DISTRICT_LEGACY = "district_legacy", _("District (before 1/7/2025)")
    COMMUNE_CURRENT = "commune_current", _("Commune (from 1/7/2025)")
    SECTOR = "sector", _("Sector")
    KIND = "kind", _("Kind")
