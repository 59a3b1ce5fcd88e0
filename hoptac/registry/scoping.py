"""Who sees and changes which organisation: the one queryset method every page, API endpoint and
export calls. Objects outside a user's scope are simply absent, so views answer 404, never 403."""

import datetime
from typing import TYPE_CHECKING, Literal

from django.db import models
from django.db.models import OuterRef, Q, Subquery

from hoptac.areas.selectors import commune_ids_within

from .choices import EXISTING_STATUSES

if TYPE_CHECKING:
    from hoptac.accounts.models import User

Action = Literal["view", "change"]


def user_commune_ids(user: "User") -> set[int]:
    cached: set[int] | None = getattr(user, "_hoptac_commune_ids", None)
    if cached is None:
        cached = commune_ids_within(user.areas.all())
        setattr(user, "_hoptac_commune_ids", cached)  # noqa: B010 — a per-request cache on the user object
    return cached


def scope_filter(user: "User", action: Action = "view", *, prefix: str = "") -> Q | None:
    """A Q over Organisation fields (with `prefix`, e.g. "organisation__") for what `user` may do,
    or None when the user may do it to everything."""
    from hoptac.accounts.models import Role

    none = Q(pk__in=[])
    if not user or not user.is_authenticated or not user.is_active:
        return none
    if user.is_superuser or user.role == Role.ADMIN:
        return None
    if user.role == Role.PROVINCE:
        return None
    if user.role == Role.VIEWER:
        if action != "view":
            return none
        if not user.areas.exists():
            return None
    if user.role == Role.REPRESENTATIVE:
        return Q(**{f"{prefix}pk": user.organisation_id}) if user.organisation_id else none
    ids = user_commune_ids(user)
    if not ids:
        return none
    return Q(**{f"{prefix}commune_legacy__in": ids}) | Q(**{f"{prefix}commune_current__in": ids})


class OrganisationQuerySet(models.QuerySet):
    def restrict(self, user: "User", action: Action = "view") -> "OrganisationQuerySet":
        condition = scope_filter(user, action)
        return self if condition is None else self.filter(condition)

    def with_status_on(self, day: datetime.date) -> "OrganisationQuerySet":
        """Annotate `status_on`: the legal status in force on `day` (None before the first record)."""
        from .models import StatusChange

        latest = (
            StatusChange.objects.filter(organisation=OuterRef("pk"), effective_from__lte=day)
            .order_by("-effective_from", "-pk")
            .values("status")[:1]
        )
        return self.annotate(status_on=Subquery(latest))

    def existing_on(self, day: datetime.date) -> "OrganisationQuerySet":
        """Organisations on the books on `day`: founded by then and not (yet) dissolved."""
        return self.with_status_on(day).filter(status_on__in=EXISTING_STATUSES)

    def search(self, text: str) -> "OrganisationQuerySet":
        condition = search_filter(text)
        return self if condition is None else self.filter(condition)


def search_filter(text: str, *, prefix: str = "") -> Q | None:
    """A Q over Organisation fields (with `prefix`, e.g. "organisation__") finding `text` in the folded name
    (without accents: "hop tac xa" finds "Hợp tác xã"), the registration code or the tax code; None when
    there is nothing to search for."""
    from hoptac.core.text import fold

    folded = fold(text)
    if not folded:
        return None
    code = text.strip()
    return (
        Q(**{f"{prefix}name_folded__contains": folded})
        | Q(**{f"{prefix}registration_code__icontains": code})
        | Q(**{f"{prefix}tax_code__icontains": code})
    )
