"""An organisation's rating of a year (hoptac.core.review):

    draft ──submit──▶ submitted ──review──▶ reviewed ──approve──▶ approved (locked)
      ▲                  │  ▲                  │                      │
      └──── returned ◀───┘  └──── return ──────┘        reopen (reason)│
               (return, reason)                   reopened ◀───────────┘ ──review──▶ reviewed …

* the organisation's representative (or an officer on its behalf) fills and submits the self-score
  (services.assessment_self_save with submit);
* a commune officer in scope reviews: the official points, with a reason wherever they differ
  (services.assessment_review_save with finish), or returns the self-score with a reason;
* a provincial officer approves — the band follows from the official total — or returns the review to the
  commune; an approved rating is locked until a provincial officer reopens it with a reason.

Every step is also written as an `AssessmentEvent` (the steps list of the assessment page)."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hoptac.accounts import roles
from hoptac.accounts.models import User
from hoptac.core.review import Step, Workflow, register

from . import errors, services
from .choices import REVIEW_EDIT_STATES, SELF_EDIT_STATES
from .choices import AssessmentState as S
from .models import Assessment


def _check(assessment: Assessment, step: Step, user: User) -> None:
    if step.name == "submit":
        services.submission_check(assessment)
    elif step.name == "approve":
        services.approval_check(assessment)


def _before_save(assessment: Assessment, step: Step, user: User, comment: str) -> None:
    if step.name == "approve":
        services.approval_prepare(assessment, user)
    elif step.name == "reopen":
        assessment.band = None  # until approved again it no longer counts as rated


def _after_save(assessment: Assessment, step: Step, user: User, comment: str, before: str) -> None:
    services.event_record(assessment, user, step.name, before, comment)


def _describe(assessment: Assessment) -> str:
    return gettext("The rating %(year)s of %(name)s") % {
        "year": assessment.year,
        "name": assessment.organisation.name,
    }


def _link(assessment: Assessment) -> str:
    return reverse("scoring:assessment_detail", args=[assessment.pk])


def _owners(assessment: Assessment) -> list[User]:
    """The organisation's representatives and whoever submitted the self-score; nobody while the rating is
    back with the commune (a review returned by the province: the commune's officers are its reviewers)."""
    if assessment.state == S.SUBMITTED:
        return []
    people = list(User.objects.filter(roles.representatives_of([assessment.organisation_id])))
    return [*people, assessment.submitted_by] if assessment.submitted_by else people


def _may_return(user: User, assessment: Assessment) -> bool:
    """The commune officer returns a self-score to the organisation; a provincial officer returns a review to
    the commune."""
    if assessment.state == S.REVIEWED:
        return roles.can_approve_ratings(user)
    return roles.can_review_ratings(user)


WORKFLOW = register(
    Workflow(
        model=Assessment,
        steps=[
            Step(
                name="submit",
                label=_("Submit the self-assessment"),
                sources=tuple(SELF_EDIT_STATES),
                target=S.SUBMITTED,
                allowed=lambda user, assessment: roles.can_self_assess(user),
                stamp="submitted",
                done=_("The self-assessment was submitted for review."),
                notify=("reviewers",),
                notice=_("%(what)s: the self-assessment was submitted and waits for your review."),
                event="submitted",
                offered=False,  # the self-score form submits with its points
            ),
            Step(
                name="review",
                label=_("Finish the review"),
                sources=tuple(REVIEW_EDIT_STATES),
                target=S.REVIEWED,
                allowed=lambda user, assessment: roles.can_review_ratings(user),
                comment="optional",
                stamp="reviewed",
                offered=False,  # the review form finishes with its points
                api=False,  # POST …/review/ with `finish: true`
                notify=("reviewers",),
                notice=_("%(what)s was reviewed and waits for your approval."),
                event="submitted",
            ),
            Step(
                name="return",
                label=_("Return"),
                sources=(S.SUBMITTED, S.REOPENED, S.REVIEWED),
                target=lambda a: S.SUBMITTED if a.state == S.REVIEWED else S.RETURNED,
                allowed=_may_return,
                comment="required",
                comment_required=errors.REASON_REQUIRED,
                done=_("The assessment was returned."),
                notify=("owners", "reviewers"),
                notice=_("%(what)s was returned."),
                event="returned",
            ),
            Step(
                name="approve",
                label=_("Approve the rating"),
                sources=(S.REVIEWED,),
                target=S.APPROVED,
                allowed=lambda user, assessment: roles.can_approve_ratings(user),
                comment="optional",
                stamp="approved",
                done=_("The rating was approved: %(band)s."),
                notify=("owners",),
                notice=_("%(what)s was approved."),
                event="approved",
            ),
            Step(
                name="reopen",
                label=_("Reopen the rating"),
                sources=(S.APPROVED,),
                target=S.REOPENED,
                allowed=lambda user, assessment: roles.can_approve_ratings(user),
                comment="required",
                comment_required=errors.REASON_REQUIRED,
                done=_("The rating was reopened; it must be reviewed and approved again."),
                confirm=_("Reopen this approved rating? It will no longer count until approved again."),
                notify=("owners", "reviewers"),
                notice=_("%(what)s was reopened; it must be reviewed and approved again."),
                event="reopened",
            ),
        ],
        locked=frozenset({S.APPROVED}),
        not_allowed=errors.NOT_ALLOWED,
        wrong_state=errors.WRONG_STATE,
        locked_message=errors.LOCKED,
        check=_check,
        before_save=_before_save,
        after_save=_after_save,
        message_params=lambda assessment: {"band": assessment.get_band_display()},
        describe=_describe,
        link=_link,
        owners=_owners,
    )
)
