"""Every review step of every workflow (hoptac.core.review.transition sends `step_taken`) becomes a
notification to the people the step declares (`Step.notify`): the owners of the object (the workflow's
`owners(obj)`: an organisation's representatives, an agency's reporters) and/or its reviewers (the people
who may now review it, nearest first: the area's officers before the province's). The person who took the
step is not told."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext as _

from hoptac.accounts import roles
from hoptac.accounts.models import User
from hoptac.core.formatting import person_name
from hoptac.core.review import Step, Workflow, step_taken
from hoptac.core.scoping import can_reach

from .services import notify

REVIEW_STAMPS = ("reviewed", "approved")


def reviewers_of(obj: Any, workflow: Workflow, taken: Step | None = None, actor: Any = None) -> list[User]:
    """The people who may now take a review step on `obj` (a step stamped reviewed or approved, other than
    the step just taken: a finished review may still be changed, but it is the province, who approves, that
    is told), the nearest rank only: the commune officers of its area if any, else the province's officers,
    else administrators."""
    steps = [
        step
        for step in workflow.steps
        if step.stamp in REVIEW_STAMPS and obj.state in step.sources and step is not taken
    ]
    if not steps:
        return []
    people = [
        user
        for user in User.objects.filter(roles.reviewer_candidates()).select_related("agency")
        if can_reach(user, "change", obj) and any(step.allowed(user, obj) for step in steps)
    ]
    if actor is not None:
        people = [user for user in people if user.pk != actor.pk]
    if not people:
        return []
    nearest = min(roles.reviewer_rank(user) for user in people)
    return [user for user in people if roles.reviewer_rank(user) == nearest]


def audience(obj: Any, step: Step, workflow: Workflow, actor: Any) -> list[User]:
    people: dict[int, User] = {}
    if "owners" in step.notify:
        for user in workflow.owners(obj):
            people[user.pk] = user
    if "reviewers" in step.notify:
        for user in reviewers_of(obj, workflow, step, actor):
            people[user.pk] = user
    people.pop(getattr(actor, "pk", None), None)  # type: ignore[arg-type]
    return list(people.values())


@receiver(step_taken)
def tell_of_step(
    sender: Any, *, obj: Any, step: Step, workflow: Workflow, user: Any, comment: str, **kwargs: Any
) -> None:
    if not step.notify:
        return
    people = audience(obj, step, workflow, user)
    if not people:
        return
    with translation.override(settings.LANGUAGE_CODE):
        title = str(step.notice or step.label) % {"what": workflow.describe(obj)}
        lines = [_("By: %(name)s") % {"name": person_name(user)}]
        if comment:
            lines.append(_("Comment: %(comment)s") % {"comment": comment})
        body = "\n".join(lines)
    notify(people, event=step.event or step.name, title=title, body=body, link=workflow.link(obj))
