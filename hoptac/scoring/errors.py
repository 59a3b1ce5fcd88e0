"""Error messages of the scoring app, as constants that tests assert on."""

from django.utils.translation import gettext_lazy as _

# --- Scheme and size-class files (the shape and the file as a whole: hoptac.core.datafiles) -----
DATES_ORDER = _("the end date is before the start date")
YEARS_ORDER = _("the last year is before the first year")
CHILDREN_SUM = _("the points of the sub-items add up to %(sum)s, not to the maximum of %(max)s")
CHILDREN_SUM_LEAVES_NOTHING = _(
    "the sub-items with points add up to %(sum)s out of %(max)s, which leaves nothing for the "
    "sub-items to be completed by the province"
)
TOTAL_SUM = _("the criteria add up to %(sum)s points, not to the total of %(total)s")
TOTAL_LEAVES_NOTHING = _(
    "the criteria with points add up to %(sum)s out of %(total)s, which leaves nothing for the "
    "criteria to be completed by the province"
)
MAX_MISSING_NOT_FLAGGED = _("a criterion without max_points must be marked to_be_completed_by_province: true")
TO_BE_COMPLETED_NEEDS_NOTE = _("say in “note” what the province has to complete")
BANDS_SET = _("the bands must be exactly good, fair, average and weak, each once")
BANDS_ORDER = _("the minimums must decrease from good to fair, average and weak")
BANDS_BOTTOM = _("the lowest band (weak) must start at 0 so that the bands cover 0 to the total")
BANDS_TOP = _("the minimum of “good” (%(min)s) is above the total (%(total)s)")
METRIC_UNKNOWN = _("unknown yearly-data figure “%(metric)s”; known figures: %(known)s")
RULE_ON_GROUP = _("only a criterion without sub-items can have a rule")
RULE_NEEDS_MAX = _("a computable criterion needs its max_points")
RULE_OPEN_ENDS = _(
    "the first threshold must have no lower bound and the last no upper bound, so that every value "
    "gets points"
)
RULE_GAP = _("the thresholds must follow each other without gap or overlap (at %(value)s)")
RULE_POINTS_ABOVE_MAX = _("a threshold gives %(points)s points, more than the maximum of %(max)s")
ALLOWED_ABOVE_MAX = _("%(points)s points is more than the maximum of %(max)s")
GROUP_WITHOUT_CRITERIA = _("a group must list its criteria under “children”")
SURVEY_ON_GROUP = _("only a criterion without sub-items can be fed by the survey")
EXCLUSION_RESULT = _("the result must be not_rated or one of the bands")
EXCLUSION_MONTHS = _("this rule needs “months” (a whole number of months)")
SIZE_CLASS_ORDER = _("the classes must be listed from large to micro, each once")
SIZE_THRESHOLDS_ORDER = _("the thresholds of a class must not be below those of the next smaller class")
SIZE_MISSING_THRESHOLDS = _(
    "a class without thresholds must be marked to_be_completed_by_province: true, and one with "
    "thresholds must give them all"
)
SIZE_SECTOR_TWICE = _("the sector “%(sector)s” is in two sector groups")
SIZE_SECTOR_MISSING = _("these sectors are in no sector group: %(sectors)s")
SIZE_PERIODS_OVERLAP = _("the periods of %(first)s and %(second)s overlap")
VERSION_IN_USE = _(
    "%(code)s version %(version)s is already used by %(count)s assessments: its criteria, points, bands "
    "and exclusions can no longer change. Give the file a new version number."
)

# --- Workflow -------------------------------------------------------------------------------
NOT_ALLOWED = _("You do not have the right to do this.")
WRONG_STATE = _("This is not possible while the assessment is at the step “%(state)s”.")
LOCKED = _("The rating is approved and locked. A provincial officer must reopen it first, with a reason.")
REASON_REQUIRED = _("Give a reason.")
CHANGE_REASON_REQUIRED = _("The official score differs from the self-score: give the reason for the change.")
EVIDENCE_REQUIRED = _("Attach a file or write a note as evidence for these points.")
SURVEY_REQUIRED = _(
    "Record the member satisfaction survey of %(year)s first: it feeds criterion %(criterion)s."
)
NO_SCHEME = _("No scoring scheme applies to this organisation for %(year)s.")
SCHEME_NOT_APPLICABLE = _("This scheme does not apply to this organisation for %(year)s.")
ALREADY_STARTED = _("The evaluation of %(year)s has already been started for this organisation.")
NOT_ON_BOOKS = _("This organisation is not on the books at the end of %(year)s.")
YEAR_NOT_STARTED = _("The evaluation of a year can only start once that year has begun.")
POINTS_MISSING = _("Enter the points.")
POINTS_NEGATIVE = _("Points cannot be negative.")
POINTS_ABOVE_MAX = _("At most %(max)s points.")
POINTS_NOT_ALLOWED = _("The points can only be one of: %(allowed)s.")
POINTS_ONE_DECIMAL = _("Use at most one decimal place.")
POOL_EXCEEDED = _(
    "Criteria %(criteria)s share %(capacity)s points (their split is to be completed by the province), "
    "but %(used)s were given."
)
SURVEY_SUM = _("The satisfied, partly satisfied and not satisfied answers must add up to the respondents.")
SURVEY_MORE_RESPONDENTS = _("There cannot be more respondents than members asked.")
SURVEY_DATE = _("The survey must take place in the assessed year or before the evaluation ends.")
NOT_A_CRITERION = _("This criterion is not in the assessment's scheme.")
