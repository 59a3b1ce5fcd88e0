"""One review workflow for everything that is submitted and then accepted or returned: an organisation's
yearly data (registry), an agency's progress report (tasks) and an organisation's rating (scoring).

* `ReviewedModel` — the abstract model: a state, who submitted and when, who reviewed and when, and the
  review comment; scoped (hoptac.core.scoping) like every row a user reaches only in part.
* `Workflow` and its `Step`s — the state machine of one model: which steps leave which states for which,
  which role rule (hoptac.accounts.roles) allows each, whether a comment is required, and the hooks that
  check the object or record what happened. Each app declares its workflow in `<app>/workflow.py` and
  registers it with `register()`.
* `transition(obj, step, user=…, comment=…)` — the one service that moves an object: it locks the row,
  checks the user's scope, the role rule, the state and the comment, stamps who and when, records the acting
  user and the comment in the history (django-simple-history), saves, and runs the workflow's hooks, all in
  one transaction. Pages (`ReviewStepMixin`, `includes/review.html`), the API (`ReviewActionsMixin`) and
  commands all call it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .concurrency import VersionedModel
from .history import set_history_user
from .scoping import ScopedModel, can_reach

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse
    from django_stubs_ext import StrOrPromise

    from .scoping import AnyUser

Comment = Literal["none", "optional", "required"]
# Who took the step and when, in `<stamp>_by` and `<stamp>_at` ("done": a request carried out, hoptac.privacy).
Stamp = Literal["submitted", "reviewed", "approved", "done"]
# Who is told of a step (hoptac.notifications): "reviewers" — the people who may take a step on the object in
# its new state (the nearest of them: the area's officers before the province's); "owners" — the people the
# object belongs to (the workflow's `owners(obj)`: an organisation's representatives, an agency's users) and
# whoever submitted it.
Audience = Literal["reviewers", "owners"]

# Sent by `transition` after every step, inside its transaction (the one place every workflow event passes):
# sender=the model, obj, step, workflow, user, comment, before (the state before the step).
step_taken = Signal()


class ReviewedModel(VersionedModel, ScopedModel):
    """Something submitted for review. Subclasses declare `state = ReviewedModel.state_field(TheirStates)`
    and may override `submitted_at` (the yearly data keep a date the officer may type for paper
    submissions)."""

    state: models.CharField[str, str]
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # A date and time here; a subclass may keep only the day (the yearly data): a `date` either way.
    submitted_at: models.Field[Any, datetime.date | None] = models.DateTimeField(
        _("submitted at"), null=True, blank=True, editable=False
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, editable=False)
    review_comment = models.TextField(_("review comment"), blank=True, editable=False)

    class Meta:
        abstract = True

    @staticmethod
    def state_field(
        states: type[models.TextChoices], verbose_name: StrOrPromise = "", default: str = "draft"
    ) -> models.CharField:
        return models.CharField(
            verbose_name or _("review state"),
            max_length=12,
            choices=states.choices,
            default=default,
            editable=False,
            db_index=True,
        )

    @property
    def is_locked(self) -> bool:
        return self.state in workflow_of(type(self)).locked


# The hooks below are written in the apps over their `User`; core may not name that type (it sits below
# `accounts`), and a hook taking `User` is not a callable taking the wider `AnyUser`, so their user is `Any`.
# (user, obj): may the user take the step? (a rule of hoptac.accounts.roles)
Rule = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class Step:
    """One step of a workflow, e.g. "return": from `sources` to `target`, allowed by `allowed(user, obj)`."""

    name: str
    label: StrOrPromise  # as offered to the user: "Return for corrections"
    sources: tuple[str, ...]
    target: str | Callable[[Any], str]  # a state, or a function of the object (its state before the step)
    allowed: Rule
    comment: Comment = "none"
    stamp: Stamp | None = None
    done: StrOrPromise = ""  # the success message, formatted with the workflow's message_params(obj)
    wrong_state: StrOrPromise = ""  # when the object is not in a source state (default: the workflow's)
    comment_required: StrOrPromise = ""  # when a required comment is missing (default: the workflow's)
    confirm: StrOrPromise = ""  # asked before the step in the browser
    offered: bool = True  # False: taken through another form (e.g. finishing a review with its points)
    api: bool = True  # False: no action of its own in the API (taken through another action)
    refusal: Callable[[Any, Any], StrOrPromise | None] | None = None  # a more precise "not allowed"
    notify: tuple[Audience, ...] = ()  # who is told (hoptac.notifications)
    notice: StrOrPromise = ""  # what they are told, formatted with {"what": workflow.describe(obj)}
    event: str = ""  # the kind of notification (default: the step's name)
    comment_field: str = "review_comment"  # where the step's comment is kept (e.g. what was done)

    def target_of(self, obj: Any) -> str:
        return self.target(obj) if callable(self.target) else self.target


@dataclass
class Workflow:
    model: type[models.Model]
    steps: Sequence[Step]
    locked: frozenset[str] = frozenset()  # states in which the data may not be edited
    not_allowed: StrOrPromise = _("You may not do this.")
    wrong_state: StrOrPromise = _("This step does not apply now (%(state)s).")
    locked_message: StrOrPromise = ""  # a step tried on a locked object (default: wrong_state)
    comment_required: StrOrPromise = _("Say why: a comment is required for this step.")
    message_params: Callable[[Any], dict[str, Any]] = lambda obj: {}  # for the steps' `done` messages
    keep_first_submission: bool = False  # the first submission day counts for timeliness
    check: Callable[[Any, Step, Any], None] | None = None  # (obj, step, user): raises ValidationError
    before_save: Callable[[Any, Step, Any, str], None] | None = None  # (obj, step, user, comment)
    # (obj, step, user, comment, the state before the step)
    after_save: Callable[[Any, Step, Any, str, str], None] | None = None
    # For notifications: what the object is in a sentence ("Số liệu năm 2025 của HTX A"), the path of its
    # page, and the users it belongs to (told when it is returned, accepted, reopened).
    describe: Callable[[Any], str] = lambda obj: str(obj)
    link: Callable[[Any], str] = lambda obj: ""
    owners: Callable[[Any], Any] = lambda obj: ()
    _by_name: dict[str, Step] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_name = {step.name: step for step in self.steps}
        if len(self._by_name) != len(self.steps):
            raise ImproperlyConfigured(f"Two steps share a name in the workflow of {self.model.__name__}.")
        state_field = self.model._meta.get_field("state")
        if not isinstance(state_field, models.Field):
            raise ImproperlyConfigured(f"{self.model.__name__} has no `state` field to review.")
        states = {value for value, _label in state_field.choices or []}
        for step in self.steps:
            unknown = set(step.sources) - states
            if not callable(step.target):
                unknown |= {step.target} - states
            if unknown:
                raise ImproperlyConfigured(f"Step {step.name!r} names unknown states {sorted(unknown)}.")

    def step(self, name: str) -> Step:
        try:
            return self._by_name[name]
        except KeyError as exc:
            raise ValidationError({"decision": _("Unknown step.")}) from exc

    def available(self, obj: Any, user: AnyUser, *, offered_only: bool = True) -> list[Step]:
        """The steps `user` may take on `obj` now."""
        if not can_reach(user, "change", obj):
            return []
        return [
            step
            for step in self.steps
            if (step.offered or not offered_only) and obj.state in step.sources and step.allowed(user, obj)
        ]


_WORKFLOWS: dict[type[models.Model], Workflow] = {}


def register(workflow: Workflow) -> Workflow:
    _WORKFLOWS[workflow.model] = workflow
    return workflow


def workflow_of(model: type[models.Model]) -> Workflow:
    try:
        return _WORKFLOWS[model]
    except KeyError as exc:
        raise ImproperlyConfigured(f"{model.__name__} has no registered review workflow.") from exc


def _now_for(model: type[models.Model], name: str) -> datetime.date | datetime.datetime:
    field_ = model._meta.get_field(name)
    if isinstance(field_, models.DateTimeField):
        return timezone.now()
    return timezone.localdate()


@transaction.atomic
def transition(obj: Any, step_name: str, *, user: AnyUser, comment: str = "") -> Any:
    """Take one step of the object's workflow on behalf of `user`; `obj` itself is updated and returned.

    PermissionDenied when the object is outside the user's scope or the role may not take the step;
    ValidationError when the object is not in a state the step leaves from, a required comment is missing,
    or the workflow's own check refuses."""
    model = type(obj)
    workflow = workflow_of(model)
    step = workflow.step(step_name)
    # Lock the row, then read it into the caller's object: the caller sees the step's outcome on the object
    # it holds, and the step is decided on the state as it is now, not as the caller last read it.
    model._default_manager.select_for_update().filter(pk=obj.pk).values_list("pk", flat=True).get()
    obj.refresh_from_db()
    if not can_reach(user, "change", obj):
        raise PermissionDenied(workflow.not_allowed)
    if not step.allowed(user, obj):
        refusal = step.refusal(user, obj) if step.refusal else None
        raise PermissionDenied(refusal or workflow.not_allowed)
    before = obj.state
    if before not in step.sources:
        message = (
            step.wrong_state
            or (before in workflow.locked and workflow.locked_message)
            or workflow.wrong_state
        )
        if "%(state)s" in str(message):
            raise ValidationError(str(message) % {"state": obj.get_state_display()})
        raise ValidationError(message)
    comment = (comment or "").strip()
    if step.comment == "required" and not comment:
        raise ValidationError({"comment": step.comment_required or workflow.comment_required})
    if workflow.check is not None:
        workflow.check(obj, step, user)
    obj.state = step.target_of(obj)
    if step.stamp is not None:
        if not (step.stamp == "submitted" and workflow.keep_first_submission and obj.submitted_at):
            setattr(obj, f"{step.stamp}_at", _now_for(model, f"{step.stamp}_at"))
        setattr(obj, f"{step.stamp}_by", user)
    if step.stamp in ("reviewed", "approved") or step.comment != "none":
        setattr(obj, step.comment_field, comment)
    if workflow.before_save is not None:
        workflow.before_save(obj, step, user, comment)
    set_history_user(obj, user, reason=comment)
    obj.save()
    if workflow.after_save is not None:
        workflow.after_save(obj, step, user, comment, before)
    step_taken.send(
        sender=model, obj=obj, step=step, workflow=workflow, user=user, comment=comment, before=before
    )
    return obj


# ---------------------------------------------------------------------------------------------
# What a page shows: the panel of the steps the user may take (templates/includes/review.html).


@dataclass
class ReviewPanel:
    obj: Any
    steps: list[Step]  # steps without a comment: one button each
    decisions: list[Step]  # steps with a comment: one form, a choice among them
    form: Any = None

    @property
    def anything(self) -> bool:
        return bool(self.steps or self.decisions)

    @property
    def comment_required_for(self) -> list[str]:
        return [step.name for step in self.decisions if step.comment == "required"]


def review_panel(obj: Any, user: AnyUser, *, form: ReviewStepForm | None = None) -> ReviewPanel:
    """The steps `user` may take on `obj` now; `form` is a decision form sent back with its errors."""
    available = workflow_of(type(obj)).available(obj, user)
    decisions = [step for step in available if step.comment != "none"]
    if decisions:
        form = form if form is not None else ReviewStepForm()
        form.offer(decisions)
    return ReviewPanel(
        obj=obj,
        steps=[step for step in available if step.comment == "none"],
        decisions=decisions,
        form=form,
    )


class ReviewStepForm(forms.Form):
    """The decision on a reviewed object: which step, and the comment (required by some steps)."""

    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, steps: Sequence[Step] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer(steps)

    def offer(self, steps: Sequence[Step]) -> None:
        """The steps to choose among (the comment a step requires is checked by `transition`)."""
        cast(forms.ChoiceField, self.fields["decision"]).choices = [(step.name, step.label) for step in steps]
        required = [step for step in steps if step.comment == "required"]
        if required:
            self.fields["comment"].help_text = _("Required when you choose: %(steps)s.") % {
                "steps": " / ".join(str(step.label) for step in required)
            }


class ReviewStepMixin:
    """For a detail page (a TemplateView) that offers the object's review steps: POST `decision` (the step)
    and `comment`. Subclasses give `review_object()`; the page's context gets `review` (a ReviewPanel) for
    `includes/review.html` from `review_context()`."""

    request: Any  # the page's request (a signed-in user's: the page declares its exact type)

    if TYPE_CHECKING:  # given by the TemplateView the mixin is used with

        def get_context_data(self, **kwargs: Any) -> dict[str, Any]: ...

        def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse: ...

    def review_object(self) -> Any:  # pragma: no cover - declared by every page
        raise NotImplementedError

    def review_context(self, form: Any = None) -> dict[str, Any]:
        return {"review": review_panel(self.review_object(), self.request.user, form=form)}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from django.contrib import messages
        from django.shortcuts import redirect

        obj = self.review_object()
        workflow = workflow_of(type(obj))
        form = ReviewStepForm(request.POST, steps=list(workflow.steps))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(**self.review_context(form)))
        step = workflow.step(form.cleaned_data["decision"])
        try:
            done = transition(obj, step.name, user=request.user, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            if getattr(error, "error_dict", None) and set(error.error_dict) <= {"comment", "decision"}:
                for name, field_messages in error.message_dict.items():
                    form.add_error(name, field_messages)
                return self.render_to_response(self.get_context_data(**self.review_context(form)))
            for message in error.messages:
                messages.error(request, message)
            return redirect(request.path)
        if step.done:
            messages.success(request, str(step.done) % workflow.message_params(done))
        return redirect(request.path)


# ---------------------------------------------------------------------------------------------
# The API: one POST action per step.


class ReviewCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text="Why: required by the steps that return or reopen; optional for the others.",
    )


class ReviewStepDetailSerializer(serializers.Serializer):
    """Why a step was refused (403) or the object is absent (404)."""

    detail = serializers.CharField()


class ReviewActionsMixin:
    """For a DRF viewset of a reviewed model: `review_workflow = WORKFLOW` adds `POST …/{id}/<step>/` for every
    step of the workflow (except those marked `api=False`), with the body `{"comment": "…"}`. Each answers the
    object as it now is (`review_response`), 403 when the role may not take the step, 400 with the reason
    when the step does not apply — the same service and rules as the pages."""

    review_workflow: ClassVar[Workflow]
    review_response_serializer: ClassVar[Any] = None  # what the steps answer (default: the viewset's)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        workflow = cls.__dict__.get("review_workflow")
        if workflow is None:
            return
        response = cls.__dict__.get("review_response_serializer") or getattr(cls, "serializer_class", None)
        for step in workflow.steps:
            if step.api:
                setattr(cls, f"{step.name}_step", _step_action(step, response))

    def review_response(self, obj: Any) -> Any:
        view: Any = self
        fresh = view.get_queryset().get(pk=obj.pk)
        return view.get_serializer(fresh).data


def _step_action(step: Step, response: Any = None) -> Any:
    from drf_spectacular.types import OpenApiTypes
    from drf_spectacular.utils import OpenApiResponse, extend_schema
    from rest_framework.decorators import action
    from rest_framework.response import Response

    def handler(self: Any, request: Any, pk: Any = None) -> Any:
        obj = self.get_object()  # outside the user's scope: 404 before anything else
        payload = ReviewCommentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        obj = transition(obj, step.name, user=request.user, comment=payload.validated_data["comment"])
        return Response(self.review_response(obj))

    handler.__name__ = f"{step.name}_step"
    handler.__doc__ = f"{step.label} ({', '.join(step.sources)} → …)."
    routed = action(detail=True, methods=["post"], url_path=step.name, url_name=step.name)(handler)
    responses: dict[int, Any] = {
        400: OpenApiResponse(
            OpenApiTypes.ANY,
            description="The step does not apply now: the reasons as a list, or by field "
            '({"comment": […]} when a required comment is missing).',
        ),
        403: OpenApiResponse(
            ReviewStepDetailSerializer, description="The user's role may not take this step."
        ),
        404: OpenApiResponse(ReviewStepDetailSerializer, description="No such object in the user's scope."),
    }
    if response is not None:
        responses[200] = response
    return extend_schema(
        request=ReviewCommentSerializer if step.comment != "none" else None,
        summary=str(step.label),
        responses=responses,
    )(routed)
