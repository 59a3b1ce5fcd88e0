"""Who sees and changes which rows: the one scoping framework (in the spirit of NetBox's RestrictedQuerySet).

Every model a user reaches only in part is a *scoped model*:

    class YearlyReport(ScopedModel):
        scope = Organisation.scope.via("organisation")

and every read on behalf of a user goes through its queryset:

    YearlyReport.objects.restrict(user, "view")      # the rows `user` may see
    Organisation.objects.restrict(user, "change")    # the rows `user` may change

A `Scope` pairs a *rule* — a function of the role module (`hoptac.accounts.roles`) that says what a user
reaches: everything, nothing, or named sets of ids (`Reach`) — with the *lookups* that tie each named set to
this model's fields. Objects outside a user's scope are simply absent, so pages and the API answer 404, never
403, and nothing is revealed.

Reading across every scope on purpose (the province-wide totals a plan reports, the check that a registration
code is not used anywhere in the province) is written `Model.objects.unrestricted("why")`, so that it is
named and can be searched for.

A model that inherits `ScopedModel` (or uses `ScopedManager`) without declaring `scope` fails when Django
loads it (`ImproperlyConfigured`), not later with a silent leak.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.db.models.signals import class_prepared

from . import validators as _field_rules  # noqa: F401  (connects the model-wide field rules early)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    # Whoever asks: a signed-in user or an anonymous visitor. `core` sits below `accounts` and may not name
    # its `User` (hoptac/tests/test_import_contract.py), so it takes any Django user; the role rules
    # (hoptac.accounts.roles) take `User | AnonymousUser`.
    AnyUser = AbstractBaseUser | AnonymousUser

Action = Literal["view", "change"]
ACTIONS: tuple[Action, ...] = ("view", "change")


@dataclass(frozen=True)
class Reach:
    """What a user reaches of one kind of thing: everything, or the rows matching any of the named id sets
    (e.g. {"communes": {…}, "organisations": {…}}). No sets at all means nothing."""

    everything: bool = False
    ids: Mapping[str, frozenset[int]] = field(default_factory=dict)

    @classmethod
    def all(cls) -> Reach:
        return cls(everything=True)

    @classmethod
    def none(cls) -> Reach:
        return cls()

    @classmethod
    def of(cls, **ids: Iterable[int | None]) -> Reach:
        """The rows matching any of these sets (None ids are dropped; empty sets reach nothing)."""
        return cls(ids={key: frozenset(i for i in values if i is not None) for key, values in ids.items()})

    def key(self) -> tuple:
        """A stable, hashable form (a cache key part: figures cached per reach, not per user)."""
        return (self.everything, tuple(sorted((name, tuple(sorted(ids))) for name, ids in self.ids.items())))


# A role rule: (user, action) → Reach. The user is `Any` here because the rules are defined in
# hoptac.accounts.roles over `User | AnonymousUser`, a narrower type than the `AnyUser` core can name, and a
# callable is assignable only to a callable type whose parameters are at least as narrow.
Rule = Callable[[Any, Action], Reach]


@dataclass(frozen=True)
class Scope:
    """How a model reaches what a rule grants: `lookups` maps each name the rule may use to the field
    paths of this model that carry those ids (any of them may match)."""

    rule: Rule
    lookups: Mapping[str, tuple[str, ...]]

    def via(self, path: str) -> Scope:
        """The same scope for a model that reaches this one through the relation `path` (e.g. a yearly
        report through "organisation")."""
        return Scope(
            rule=self.rule,
            lookups={
                key: tuple(path if lookup == "pk" else f"{path}__{lookup}" for lookup in paths)
                for key, paths in self.lookups.items()
            },
        )

    def condition(self, user: AnyUser, action: Action = "view") -> Q | None:
        """A Q over this model for the rows `user` may `action`, or None when they may reach every row."""
        if action not in ACTIONS:
            raise ValueError(f"Unknown scope action {action!r}; expected one of {ACTIONS}.")
        return self.reach_condition(self.rule(user, action))

    def reach_condition(self, reach: Reach) -> Q | None:
        """A Q over this model for the rows `reach` names, or None when it reaches every row; also a Q over
        any model whose fields bear this scope's lookup names (the desk's review tallies, decision 0055)."""
        if reach.everything:
            return None
        condition = Q(pk__in=[])
        for key, ids in reach.ids.items():
            if key not in self.lookups:
                raise ImproperlyConfigured(
                    f"The rule {getattr(self.rule, '__name__', self.rule)!r} grants {key!r}, which this scope "
                    f"does not map to a field (it maps {sorted(self.lookups)})."
                )
            if not ids:
                continue
            for lookup in self.lookups[key]:
                condition |= Q(**{f"{lookup}__in": sorted(ids)})
        return condition

    def covers(self, user: AnyUser, action: Action, obj: models.Model) -> bool:
        """Whether `obj` — possibly unsaved or just changed in memory — lies in `user`'s scope, judged on
        its own field values (so a write can be refused before it places a row out of the user's reach)."""
        reach = self.rule(user, action)
        if reach.everything:
            return True
        for key, ids in reach.ids.items():
            for lookup in self.lookups.get(key, ()):
                if _value_at(obj, lookup) in ids:
                    return True
        return False


def _value_at(obj: Any, lookup: str) -> Any:
    """The id a lookup path ends at on `obj` ("organisation__commune_legacy" → obj.organisation.commune_legacy_id)."""
    *relations, last = lookup.split("__")
    for name in relations:
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    if last == "pk":
        return obj.pk
    field_ = obj._meta.get_field(last)
    return getattr(obj, field_.attname)


_M = TypeVar("_M", bound=models.Model)


class ScopedQuerySet(models.QuerySet[_M]):
    def restrict(self, user: AnyUser, action: Action = "view") -> Self:
        """The rows `user` may `action` ("view" or "change")."""
        condition = scope_of(self.model).condition(user, action)
        return self if condition is None else self.filter(condition)

    def unrestricted(self, reason: str) -> Self:
        """Every row, on purpose: `reason` says why this read ignores the user's scope (a province-wide
        total, a uniqueness check across the province…). It is required so that such reads are named."""
        if not reason or not reason.strip():
            raise ValueError("unrestricted() needs the reason this read ignores the user's scope.")
        return self.all()


class ScopedManager(models.Manager[_M]):
    """The default manager of a scoped model. Subclass `ScopedQuerySet` for model-specific query methods
    and use `MyQuerySet.as_manager()`; both are recognised."""

    def get_queryset(self) -> ScopedQuerySet[_M]:
        return ScopedQuerySet(self.model, using=self._db)

    def restrict(self, user: AnyUser, action: Action = "view") -> ScopedQuerySet[_M]:
        return self.get_queryset().restrict(user, action)

    def unrestricted(self, reason: str) -> ScopedQuerySet[_M]:
        return self.get_queryset().unrestricted(reason)


class ScopedModel(models.Model):
    """Base of every scoped model: declares `scope` and gets `objects.restrict(user, action)`."""

    scope: ClassVar[Scope]
    objects = ScopedManager()

    class Meta:
        abstract = True


def scope_of(model: type[models.Model]) -> Scope:
    scope = getattr(model, "scope", None)
    if not isinstance(scope, Scope):
        raise ImproperlyConfigured(
            f"{model._meta.label} is a scoped model but declares no `scope = Scope(...)` "
            "(see hoptac/core/scoping.py)."
        )
    return scope


def _is_scoped_manager(manager: Any) -> bool:
    return isinstance(manager, ScopedManager) or issubclass(
        getattr(manager, "_queryset_class", models.QuerySet), ScopedQuerySet
    )


def is_scoped(model: type[models.Model]) -> bool:
    """Whether one of the model's managers restricts by scope."""
    return any(_is_scoped_manager(manager) for manager in model._meta.managers)


def scoped_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [model for model in apps.get_models() if is_scoped(model)]


def can_reach(user: AnyUser, action: Action, obj: models.Model) -> bool:
    """Whether the saved `obj` is in `user`'s scope for `action` (one query at most)."""
    model = type(obj)
    condition = scope_of(model).condition(user, action)
    if condition is None:
        return True
    return model._default_manager.filter(pk=obj.pk).filter(condition).exists()


def _check_declared(sender: type[models.Model], **kwargs: Any) -> None:
    """Fail loudly when a scoped model forgets its scope (at class creation, so at start-up)."""
    if sender._meta.abstract or sender.__module__ == "__fake__":  # migrations' rebuilt models
        return
    if is_scoped(sender):
        scope_of(sender)


class_prepared.connect(_check_declared, dispatch_uid="hoptac.core.scoping.check_declared")


# ---------------------------------------------------------------------------------------------
# Related fields: the objects a form or an API write may name. Every related field of every form and
# serializer offers the rows of `choices_for` (core/forms.py ScopedModelChoiceField, core/api.py
# ScopedPrimaryKeyRelatedField / ScopedSlugRelatedField), so an object outside the user's scope is refused
# exactly like an id that does not exist: "not found" and "not yours" read the same.

# How a field narrows its rows for a user, when the model is not a scoped one: (user, rows) → rows offered.
Choices = Callable[[Any, "models.QuerySet[Any]"], "models.QuerySet[Any]"]


def public(reason: str) -> Choices:
    """The choices of a field over a model every user reads whole (administrative units, agencies, scoring
    schemes): all the rows given. `reason` says why, as `unrestricted()` asks, so that such fields are named."""
    if not reason or not reason.strip():
        raise ValueError("public() needs the reason every user may pick any row of this model.")

    def everyone(user: Any, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        return queryset

    everyone.public_reason = reason  # type: ignore[attr-defined]
    return everyone


def is_public(offer: Choices | None) -> bool:
    return offer is not None and hasattr(offer, "public_reason")


def choices_for(
    queryset: models.QuerySet[Any], user: AnyUser, action: Action = "view", offer: Choices | None = None
) -> models.QuerySet[Any]:
    """The rows of `queryset` a related field offers `user`: the field's own `offer`, or for a scoped
    model the rows `user` may `action`. A field over a model that is neither scoped nor given an `offer` is a
    mistake (it would offer every row), refused here."""
    if offer is not None:
        return offer(user, queryset)
    if isinstance(queryset, ScopedQuerySet):
        return queryset.restrict(user, action)
    raise ImproperlyConfigured(
        f"A related field over {queryset.model._meta.label}, which is not a scoped model, must say which rows "
        "it offers: offer=<function of the user> or offer=public('why')."
    )
