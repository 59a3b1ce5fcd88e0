"""Reads of the registry. Every function takes the user and starts from the scoped queryset."""

import datetime

from django.db.models import QuerySet
from django.http import Http404

from .models import Organisation, StatusChange, YearlyReport
from .scoping import Action, OrganisationQuerySet


def organisation_list(*, user) -> OrganisationQuerySet:
    return Organisation.objects.restrict(user, "view").select_related(
        "commune_legacy__parent", "commune_current"
    )


def organisation_get(*, user, pk: int, action: Action = "view") -> Organisation:
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


# --- Read helpers for the web pages (registry and areas). Added by the web-UI work; the area helpers
# could move to hoptac/areas/selectors.py. Imported here, not at the top, to keep this section apart.
# ----------------------------------------------------------------------------------------------------
from django.db import models  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from hoptac.areas.models import AdminMap, AdminUnit, CommuneSuccession, Level  # noqa: E402

# simple-history ships no Vietnamese catalog: these msgids let the project catalog translate its labels.
HISTORY_TYPE_LABELS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


def organisation_status_changes(*, organisation: Organisation) -> QuerySet[StatusChange]:
    return organisation.status_changes.order_by("effective_from", "pk")


def organisation_yearly_reports(*, organisation: Organisation) -> QuerySet[YearlyReport]:
    return organisation.yearly_reports.order_by("-year")


def yearly_report_get(*, organisation: Organisation, year: int) -> YearlyReport:
    try:
        return organisation.yearly_reports.get(year=year)
    except YearlyReport.DoesNotExist as exc:
        raise Http404 from exc


def organisation_relations(*, user, organisation: Organisation) -> dict:
    """The union, the cooperative group it came from, member cooperatives and the organisations formed
    from it; related organisations outside the user's scope are left out (or shown without a link)."""
    visible = organisation_list(user=user)
    linked_ids = {pk for pk in (organisation.union_id, organisation.converted_from_id) if pk}
    visible_ids = set(visible.filter(pk__in=linked_ids).values_list("pk", flat=True)) if linked_ids else set()
    return {
        "union": organisation.union if organisation.union_id else None,
        "union_visible": organisation.union_id in visible_ids,
        "converted_from": organisation.converted_from if organisation.converted_from_id else None,
        "converted_from_visible": organisation.converted_from_id in visible_ids,
        "members": visible.filter(union=organisation),
        "converted_to": visible.filter(converted_from=organisation),
    }


def organisation_choices(*, user, kind: str) -> QuerySet[Organisation]:
    """Organisations of one kind the user may pick in a form (e.g. the union of a cooperative)."""
    return Organisation.objects.restrict(user, "view").filter(kind=kind).only("pk", "name")


def commune_choices(*, user, admin_map: str) -> QuerySet[AdminUnit]:
    """Communes of `admin_map` a user may place an organisation in: every commune, or for a commune
    officer their own communes and the communes on the other map that they succeed or precede."""
    from hoptac.accounts.models import Role

    from .scoping import user_commune_ids

    qs = AdminUnit.objects.filter(map=admin_map, level=Level.COMMUNE).select_related("parent")
    if user.is_superuser or user.role != Role.COMMUNE:
        return qs.order_by("parent__name_sort", "name_sort")
    ids = user_commune_ids(user)
    if admin_map == AdminMap.LEGACY:
        linked = Q(successions__new_commune__in=ids)
    else:
        linked = Q(predecessions__old_commune__in=ids)
    return qs.filter(Q(pk__in=ids) | linked).distinct().order_by("parent__name_sort", "name_sort")


def organisation_counts_by_commune(*, user, admin_map: str) -> dict[int, int]:
    """How many organisations the user can see in each commune of `admin_map`."""
    field = "commune_legacy" if admin_map == AdminMap.LEGACY else "commune_current"
    rows = (
        Organisation.objects.restrict(user, "view")
        .exclude(**{f"{field}__isnull": True})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
    )
    return {row[field]: row["n"] for row in rows}


def admin_unit_list(*, admin_map: str) -> QuerySet[AdminUnit]:
    return AdminUnit.objects.filter(map=admin_map).select_related("parent").order_by("name_sort")


def admin_unit_get(*, pk: int) -> AdminUnit:
    try:
        return AdminUnit.objects.select_related("parent", "province").get(pk=pk)
    except AdminUnit.DoesNotExist as exc:
        raise Http404 from exc


def admin_unit_successions(*, unit: AdminUnit) -> QuerySet[CommuneSuccession]:
    """For a pre-2025 commune, the new communes that took over its territory (default first)."""
    return unit.successions.select_related("new_commune").order_by("-is_default", "new_commune__name_sort")


def admin_unit_predecessions(*, unit: AdminUnit) -> QuerySet[CommuneSuccession]:
    """For a new commune, the pre-2025 communes it was formed from."""
    return unit.predecessions.select_related("old_commune__parent").order_by(
        "old_commune__parent__name_sort", "old_commune__name_sort"
    )


def _history_fields() -> dict[str, dict[str, models.Field]]:
    return {
        str(model._meta.verbose_name): {str(f.verbose_name): f for f in model._meta.fields}
        for model in (Organisation, StatusChange, YearlyReport)
    }


def _history_value(field: models.Field | None, value, related: dict) -> str:
    from hoptac.core.templatetags.vn import format_number

    if value is None or value == "":
        return "—"
    if field is None:
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        obj = related.get(field.related_model, {}).get(value)
        return str(obj) if obj is not None else f"#{value}"
    if isinstance(field, models.BooleanField):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(field, models.DecimalField | models.IntegerField):
        return format_number(value)
    return str(value)


def organisation_history_readable(*, organisation: Organisation, limit: int = 200) -> list[dict]:
    """`organisation_history` with values shown as people read them: choice labels, names of communes
    and organisations instead of ids, dd/mm/yyyy dates, 1.234.567 numbers, Yes/No."""
    entries = organisation_history(organisation=organisation, limit=limit)
    fields = _history_fields()
    wanted: dict[type, set] = {}
    for entry in entries:
        for change in entry["changes"]:
            field = fields.get(entry["object"], {}).get(str(change["field"]))
            change["_field"] = field
            if field is not None and field.is_relation:
                wanted.setdefault(field.related_model, set()).update(
                    v for v in (change["old"], change["new"]) if v is not None
                )
    related = {model: model._default_manager.in_bulk(ids) for model, ids in wanted.items()}
    for entry in entries:
        # A historical record prints as "<object> as of <ISO timestamp>"; the date has its own column.
        entry["label"] = entry["label"].rsplit(" as of ", 1)[0]
        for change in entry["changes"]:
            field = change.pop("_field")
            change["old"] = _history_value(field, change["old"], related)
            change["new"] = _history_value(field, change["new"], related)
    return entries
