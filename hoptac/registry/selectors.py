"""Reads of the registry. Every function takes the user and starts from the scoped queryset."""

import datetime

from django.db.models import QuerySet
from django.http import Http404

from .models import Organisation, StatusChange, YearlyReport


def organisation_list(*, user) -> QuerySet[Organisation]:
    return Organisation.objects.restrict(user, "view").select_related(
        "commune_legacy__parent", "commune_current"
    )


def organisation_get(*, user, pk: int, action: str = "view") -> Organisation:
    """The organisation if the user may see (or change) it; 404 otherwise, so nothing is revealed."""
    try:
        return (
            Organisation.objects.restrict(user, action)
            .select_related("commune_legacy__parent", "commune_current", "union", "converted_from")
            .get(pk=pk)
        )
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc


def organisations_as_of(*, user, day: datetime.date) -> QuerySet[Organisation]:
    """The registry as it stood on `day`: organisations on the books then, each with `status_on`."""
    return organisation_list(user=user).existing_on(day)


def status_on(*, organisation: Organisation, day: datetime.date) -> str | None:
    change = (
        StatusChange.objects.filter(organisation=organisation, effective_from__lte=day)
        .order_by("-effective_from", "-pk")
        .first()
    )
    return change.status if change else None


def yearly_report_list(*, user) -> QuerySet[YearlyReport]:
    from .scoping import scope_filter

    condition = scope_filter(user, "view", prefix="organisation__")
    qs = YearlyReport.objects.select_related("organisation")
    return qs if condition is None else qs.filter(condition)


def organisation_history(*, organisation: Organisation, limit: int = 200) -> list[dict]:
    """Every recorded change to the organisation, its status history and its yearly data, newest first,
    each with who, when and which fields changed (old → new)."""
    entries: list[dict] = []
    sources = [
        organisation.history.all(),
        StatusChange.history.filter(organisation_id=organisation.pk),
        YearlyReport.history.filter(organisation_id=organisation.pk),
    ]
    for records in sources:
        for record in records.select_related("history_user").order_by("-history_date")[:limit]:
            changes = []
            previous = record.prev_record
            if previous is not None and record.history_type == "~":
                delta = record.diff_against(previous)
                changes = [
                    {
                        "field": record.instance._meta.get_field(c.field).verbose_name,
                        "old": c.old,
                        "new": c.new,
                    }
                    for c in delta.changes
                ]
            entries.append(
                {
                    "date": record.history_date,
                    "user": record.history_user,
                    "type": record.get_history_type_display(),
                    "object": str(record.instance._meta.verbose_name),
                    "label": str(record),
                    "changes": changes,
                    "reason": record.history_change_reason or "",
                }
            )
    entries.sort(key=lambda e: e["date"], reverse=True)
    return entries[:limit]
