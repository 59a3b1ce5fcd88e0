"""A progress report's review (hoptac.core.review): the agency submits, a provincial officer of the
coordinating agency accepts it (it is then locked) or returns it with a comment; nobody reviews a report they
submitted. Each step copies the report's state onto its period, so lists and scorecards stay one query."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hoptac.accounts import roles
from hoptac.accounts.models import User
from hoptac.core.review import Step, Workflow, register

from . import errors
from .choices import ReportState as S
from .models import ProgressReport

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _check(report: ProgressReport, step: Step, user: User) -> None:
    if step.name == "submit" and not report.text.strip():
        raise ValidationError({"text": errors.REPORT_TEXT_REQUIRED})


def _after(report: ProgressReport, step: Step, user: User, comment: str, before: str) -> None:
    from .services import period_cache_refresh

    period_cache_refresh(report.period, report)


def _describe(report: ProgressReport) -> str:
    period = report.period
    return gettext("The progress report %(title)s — %(label)s of %(agency)s") % {
        "title": period.short_title,
        "label": period.label,
        "agency": period.agency.name,
    }


def _link(report: ProgressReport) -> str:
    return reverse("tasks:period_detail", args=[report.period_id])


def _owners(report: ProgressReport) -> list[User]:
    """The agency's reporters, and whoever submitted the report."""
    people = roles.reporters_of(report.period.agency)
    return [*people, report.submitted_by] if report.submitted_by else people


def _own_report(user: User, report: ProgressReport) -> StrOrPromise | None:
    return errors.OWN_REPORT if roles.can_review_reports(user) else None


WORKFLOW = register(
    Workflow(
        model=ProgressReport,
        steps=[
            Step(
                name="submit",
                label=_("Submit for review"),
                sources=(S.DRAFT, S.RETURNED),
                target=S.SUBMITTED,
                allowed=lambda user, report: roles.can_report_for(user, report.period.agency),
                stamp="submitted",
                done=_("The report was submitted for review."),
                notify=("reviewers",),
                notice=_("%(what)s was submitted and waits for your review."),
                event="submitted",
                wrong_state=errors.REPORT_CANNOT_SUBMIT,
            ),
            Step(
                name="accept",
                label=_("Accept the report"),
                sources=(S.SUBMITTED,),
                target=S.ACCEPTED,
                allowed=roles.can_review_reports,
                refusal=_own_report,
                comment="optional",
                stamp="reviewed",
                done=_("The report was accepted."),
                notify=("owners",),
                notice=_("%(what)s was accepted."),
                event="accepted",
                wrong_state=errors.REPORT_NOT_SUBMITTED,
            ),
            Step(
                name="return",
                label=_("Return it to the agency"),
                sources=(S.SUBMITTED,),
                target=S.RETURNED,
                allowed=roles.can_review_reports,
                refusal=_own_report,
                comment="required",
                comment_required=errors.RETURN_COMMENT_REQUIRED,
                stamp="reviewed",
                done=_("The report was returned to the agency."),
                notify=("owners",),
                notice=_("%(what)s was returned for corrections."),
                event="returned",
                wrong_state=errors.REPORT_NOT_SUBMITTED,
            ),
        ],
        locked=frozenset({S.ACCEPTED}),
        not_allowed=errors.NOT_ALLOWED,
        check=_check,
        after_save=_after,
        describe=_describe,
        link=_link,
        owners=_owners,
    )
)
