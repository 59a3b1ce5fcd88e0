"""The yearly data's review (hoptac.core.review): the representative (or an officer on their behalf, for
data brought on paper) submits, the commune officer accepts — the year is then locked — or returns them with
a comment; a provincial officer may reopen an accepted year, with a reason."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hoptac.accounts import roles
from hoptac.accounts.models import User
from hoptac.core.review import Step, Workflow, register

from . import errors
from .models import YearlyReport
from .models import YearlyReportState as S


def _describe(report: YearlyReport) -> str:
    return gettext("The yearly data %(year)s of %(name)s") % {
        "year": report.year,
        "name": report.organisation.name,
    }


def _link(report: YearlyReport) -> str:
    return reverse("registry:yearly_report_review", args=[report.organisation_id, report.year])


def _owners(report: YearlyReport) -> list[User]:
    """The organisation's representatives, and whoever submitted the data (an officer, for paper)."""
    people = list(User.objects.filter(roles.representatives_of([report.organisation_id])))
    return [*people, report.submitted_by] if report.submitted_by else people


WORKFLOW = register(
    Workflow(
        model=YearlyReport,
        steps=[
            Step(
                name="submit",
                label=_("Submit for review"),
                sources=(S.DRAFT, S.RETURNED),
                target=S.SUBMITTED,
                allowed=lambda user, report: roles.can_submit_yearly_data(user),
                stamp="submitted",
                done=_("The data for %(year)s were submitted for review."),
                wrong_state=errors.YEAR_CANNOT_SUBMIT,
                notify=("reviewers",),
                notice=_("%(what)s were submitted and wait for your review."),
                event="submitted",
            ),
            Step(
                name="accept",
                label=_("Accept (the year is then locked)"),
                sources=(S.SUBMITTED,),
                target=S.ACCEPTED,
                allowed=lambda user, report: roles.can_review_yearly_data(user),
                comment="optional",
                stamp="reviewed",
                done=_("The data for %(year)s were accepted and locked."),
                wrong_state=errors.YEAR_NOT_SUBMITTED,
                notify=("owners",),
                notice=_("%(what)s were accepted."),
                event="accepted",
            ),
            Step(
                name="return",
                label=_("Return for corrections"),
                sources=(S.SUBMITTED,),
                target=S.RETURNED,
                allowed=lambda user, report: roles.can_review_yearly_data(user),
                comment="required",
                comment_required=errors.YEAR_RETURN_COMMENT,
                stamp="reviewed",
                done=_("The data for %(year)s were returned for corrections."),
                wrong_state=errors.YEAR_NOT_SUBMITTED,
                notify=("owners",),
                notice=_("%(what)s were returned for corrections."),
                event="returned",
            ),
            Step(
                name="reopen",
                label=_("Reopen the year for corrections"),
                sources=(S.ACCEPTED,),
                target=S.RETURNED,
                allowed=lambda user, report: roles.can_reopen_yearly_data(user),
                comment="required",
                comment_required=errors.YEAR_REOPEN_REASON,
                stamp="reviewed",
                done=_("The data for %(year)s were reopened."),
                wrong_state=errors.YEAR_NOT_ACCEPTED,
                notify=("owners",),
                notice=_("%(what)s were reopened for corrections."),
                event="reopened",
                confirm=_(
                    "The year is locked. Reopening sends it back to the organisation for corrections; the "
                    "reason is kept in the history."
                ),
            ),
        ],
        locked=frozenset({S.ACCEPTED}),
        not_allowed=errors.NOT_ALLOWED,
        keep_first_submission=True,
        message_params=lambda report: {"year": report.year},
        describe=_describe,
        link=_link,
        owners=_owners,
    )
)
