"""Error messages of the registry, as constants that tests assert on."""

import datetime

from django.utils.translation import gettext_lazy as _

COMMUNE_REQUIRED = _("Choose the commune where the organisation is located (on either map).")
COMMUNE_WRONG_MAP = _("This is not a commune of the expected map.")
COMMUNE_OUT_OF_SCOPE = _("You may not register organisations in this commune.")
SUB_SECTOR_ONLY_AGRICULTURE = _("A sub-sector is only given for agriculture.")
UNION_NOT_LHHTX = _("The union must be an organisation of kind LHHTX.")
UNION_ONLY_FOR_HTX = _("Only a cooperative (HTX) or a people's credit fund can be a member of a union.")
CONVERTED_FROM_NOT_THT = _("Only a cooperative group (THT) can become a cooperative.")
TAX_CODE_FORMAT = _("The tax code has 10 digits, or 10 digits, a hyphen and 3 digits.")
FUTURE_DATE = _("This date is in the future.")
# The first cooperatives of the country date from after 2/9/1945; an earlier date is a typing error.
EARLIEST_DATE = datetime.date(1945, 9, 2)
DATE_BEFORE_1945 = _("This date is before 2/9/1945; check the year.")
NEGATIVE_AMOUNT = _("This amount cannot be negative.")
REGISTRATION_BEFORE_FOUNDING = _("The registration date cannot be before the founding date.")
FUTURE_YEAR = _("Data cannot be entered for a year that has not started.")
OCOP_STARS_WITHOUT_PRODUCTS = _("OCOP stars are given but the number of OCOP products is 0.")
PROFIT_ABOVE_REVENUE = _("Profit cannot exceed revenue.")
STATUS_BEFORE_FOUNDING = _("A legal status cannot take effect before the organisation was founded.")
STATUS_SAME_AS_BEFORE = _("The organisation already has this status on that date.")
STATUS_AFTER_DISSOLVED = _(
    "The organisation was dissolved before this date; no later status can be recorded."
)
NOT_ALLOWED = _("You do not have the right to make this change.")
YEAR_ALREADY_ENTERED = _("Data for %(year)s has already been entered; edit that year instead.")

# The yearly data's review flow (submit → review → accept).
YEAR_LOCKED = _(
    "The data for this year were accepted and are locked; a provincial officer can reopen them, giving a reason."
)
YEAR_WAITING_REVIEW = _(
    "The data for this year were submitted and are waiting for review; they cannot be changed now."
)
YEAR_CANNOT_SUBMIT = _("Only data not yet submitted, or returned for corrections, can be submitted.")
YEAR_NOT_SUBMITTED = _("Only submitted data can be accepted or returned.")
YEAR_RETURN_COMMENT = _("Say what must be corrected.")
YEAR_REOPEN_REASON = _("Give the reason for reopening the year.")
YEAR_NOT_ACCEPTED = _("Only accepted data can be reopened.")
FIELD_NOT_EDITABLE = _("You may not change this field.")
