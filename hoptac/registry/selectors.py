"""Reads of the registry. Every function takes the user and starts from the scoped queryset."""

import datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from hoptac.accounts import roles
from hoptac.accounts.models import User
from hoptac.areas.models import AdminMap, AdminUnit, Level
from hoptac.core.formatting import (
    MONEY_QUANTITIES,
    format_date,
    format_number,
    format_quantity,
    format_yes_no,
    person_name,
)
from hoptac.core.formatting import header_with_unit as label_with_unit
from hoptac.core.scoping import Action, Choices

from .models import YEARLY_DATA_FIELDS, Organisation, OrganisationQuerySet, StatusChange, YearlyReport


def organisation_list(*, user: User) -> OrganisationQuerySet:
    return Organisation.objects.restrict(user, "view").select_related(
        "commune_legacy__parent", "commune_current"
    )


def organisation_get(*, user: User, pk: int, action: Action = "view") -> Organisation:
    """The organisation if the user may see (or change) it; 404 otherwise, so nothing is revealed."""
    try:
        return (
            Organisation.objects.restrict(user, action)
            .select_related("commune_legacy__parent", "commune_current", "union", "converted_from")
            .get(pk=pk)
        )
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc


def organisations_as_of(*, user: User, day: datetime.date) -> QuerySet[Organisation]:
    """The registry as it stood on `day`: organisations on the books then, each with `status_on`."""
    return organisation_list(user=user).existing_on(day)


def status_on(*, organisation: Organisation, day: datetime.date) -> str | None:
    change = (
        organisation.status_changes.filter(effective_from__lte=day).order_by("-effective_from", "-pk").first()
    )
    return change.status if change else None


def yearly_report_list(*, user: User) -> QuerySet[YearlyReport]:
    """Yearly data of the organisations the user may see, with the organisation and its communes joined and
    `official_total` (official members of every type) annotated for sorting; newest year first, then by
    the organisation's name in Vietnamese order."""
    return (
        YearlyReport.objects.restrict(user, "view")
        .select_related("organisation__commune_legacy__parent", "organisation__commune_current")
        .annotate(
            official_total=F("official_individuals") + F("official_households") + F("official_legal_entities")
        )
        .order_by("-year", "organisation__name_sort", "organisation_id")
    )


# simple-history ships no Vietnamese catalogue: these msgids let the project catalogue translate them.
HISTORY_TYPE_LABELS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
_HISTORY_SKIP = {
    "id",
    "organisation",
    "name_folded",
    "name_sort",
    "created_at",
    "updated_at",
    "current_status",
}


def _readable(field: models.Field, value: Any, related: dict[Any, dict[Any, Any]]) -> str:
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        obj = related.get(field.related_model, {}).get(value)
        if obj is None:
            return f"#{value}"
        return person_name(obj) if hasattr(obj, "get_full_name") else str(obj)
    if isinstance(field, models.BooleanField):
        return format_yes_no(value)
    if isinstance(value, datetime.date):
        return format_date(value)
    if field.name in MONEY_QUANTITIES:  # in the one display unit (triệu đồng), named in the label
        return format_quantity(value, field.name, unit=False)
    if isinstance(field, models.DecimalField | models.IntegerField):
        return format_number(value)
    return str(value)


def organisation_history(*, organisation: Organisation, limit: int = 200) -> list[dict[str, Any]]:
    """Every recorded change to the organisation, its status history and its yearly data, newest first:
    when, who (a User or None), what (created/changed/deleted, which object) and, for changes, each field
    with its old and new value as people read them (choice labels, names instead of ids, dd/mm/yyyy,
    1.234.567). Three queries for the records plus one per kind of related object, whatever the length."""
    sources: list[tuple[type[models.Model], Any]] = [
        (Organisation, organisation.history.all()),
        (StatusChange, StatusChange.history.filter(organisation_id=organisation.pk)),
        (YearlyReport, YearlyReport.history.filter(organisation_id=organisation.pk)),
    ]
    raw: list[tuple[type[models.Model], Any, Any, list[models.Field]]] = []
    for model, records in sources:
        tracked = [f for f in model._meta.concrete_fields if f.name not in _HISTORY_SKIP]
        previous: dict[Any, Any] = {}
        for record in records.select_related("history_user").order_by("history_date", "history_id"):
            raw.append((model, record, previous.get(record.id), tracked))
            previous[record.id] = record
    raw.sort(key=lambda item: item[1].history_date, reverse=True)
    raw = raw[:limit]

    changes_of: list[list[tuple[models.Field, Any, Any]]] = []
    wanted: dict[Any, set] = {}
    for _model, record, before, tracked in raw:
        diff = []
        if before is not None and record.history_type == "~":
            for field in tracked:
                old, new = getattr(before, field.attname, None), getattr(record, field.attname, None)
                if old != new:
                    diff.append((field, old, new))
                    if field.is_relation:
                        wanted.setdefault(field.related_model, set()).update(
                            v for v in (old, new) if v is not None
                        )
        changes_of.append(diff)
    related = {model: model._default_manager.in_bulk(ids) for model, ids in wanted.items()}

    entries = []
    for (model, record, _before, _tracked), diff in zip(raw, changes_of, strict=True):
        label = f"{organisation.name}" if model is Organisation else _object_label(model, record)
        entries.append(
            {
                "date": record.history_date,
                "user": record.history_user,
                "type": str(HISTORY_TYPE_LABELS.get(record.history_type, record.history_type)),
                "object": str(model._meta.verbose_name),
                "label": label,
                "reason": record.history_change_reason or "",
                "changes": [
                    {
                        "field_name": field.name,
                        "field": str(
                            label_with_unit(field.verbose_name, field.name)
                            if field.name in MONEY_QUANTITIES
                            else field.verbose_name
                        ),
                        "old": _readable(field, old, related),
                        "new": _readable(field, new, related),
                    }
                    for field, old, new in diff
                ],
            }
        )
    return entries


def _object_label(model: type[models.Model], record: Any) -> str:
    if model is StatusChange:
        status = dict(StatusChange._meta.get_field("status").flatchoices).get(record.status, record.status)
        return f"{status} ({format_date(record.effective_from)})"
    return str(_("Year %(year)s") % {"year": record.year})


def organisation_status_changes(*, organisation: Organisation) -> QuerySet[StatusChange]:
    return organisation.status_changes.order_by("effective_from", "pk")


def organisation_yearly_reports(*, organisation: Organisation) -> QuerySet[YearlyReport]:
    return organisation.yearly_reports.order_by("-year")


def yearly_report_get(*, organisation: Organisation, year: int) -> YearlyReport:
    try:
        return organisation.yearly_reports.get(year=year)
    except YearlyReport.DoesNotExist as exc:
        raise Http404 from exc


def organisation_relations(*, user: User, organisation: Organisation) -> dict[str, Any]:
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


def commune_choices(*, user: User, admin_map: str) -> QuerySet[AdminUnit]:
    """Communes of `admin_map` a user may place an organisation in: every commune, or for a commune
    officer their own communes and the communes on the other map that they succeed or precede."""
    qs = AdminUnit.objects.filter(map=admin_map, level=Level.COMMUNE).select_related("parent")
    reach = roles.commune_choice_reach(user, "change")
    if reach.everything:
        return qs.order_by("parent__name_sort", "name_sort")
    ids = reach.ids.get("communes", frozenset())
    if admin_map == AdminMap.LEGACY:
        linked = Q(successions__new_commune__in=ids)
    else:
        linked = Q(predecessions__old_commune__in=ids)
    return qs.filter(Q(pk__in=ids) | linked).distinct().order_by("parent__name_sort", "name_sort")


def placeable_communes(admin_map: str) -> Choices:
    """The choices of a commune field of an organisation (forms and API): `commune_choices` for the user."""

    def choices(user: Any, queryset: QuerySet[AdminUnit]) -> QuerySet[AdminUnit]:
        return commune_choices(user=user, admin_map=admin_map)

    return choices


def placeable_commune_ids(user: User) -> frozenset[int] | None:
    """The ids of the communes (both maps) `user` may place an organisation in; None for every commune."""
    if roles.commune_choice_reach(user, "change").everything:
        return None
    return frozenset(
        pk
        for admin_map in AdminMap
        for pk in commune_choices(user=user, admin_map=admin_map).values_list("pk", flat=True)
    )


def organisation_counts_by_commune(*, user: User, admin_map: str) -> dict[int, int]:
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


# ---------------------------------------------------------------------------------------------
# The yearly data's review: what changed against the previous year, field by field.

YEARLY_DIFF_FIELDS = YEARLY_DATA_FIELDS
# A change of at least this share (in %) of a number is flagged for the reviewer's attention.
YEARLY_DIFF_NOTABLE_PCT = 30


def yearly_report_previous(*, report: YearlyReport) -> YearlyReport | None:
    """The organisation's data of the latest earlier year (normally the year before)."""
    return report.organisation.yearly_reports.filter(year__lt=report.year).order_by("-year").first()


def _diff_value(field: models.Field, value: Any) -> str:
    if field.name in MONEY_QUANTITIES:  # in the one display unit (triệu đồng), named in the label
        return format_quantity(value, field.name, unit=False)
    if isinstance(field, models.DecimalField):
        return format_number(value)
    return _readable(field, value, {})


def yearly_report_diff(*, report: YearlyReport, previous: YearlyReport | None) -> list[dict[str, Any]]:
    """One row per field (and the member totals): label, previous and new value as people read them,
    whether it changed, and for numbers the change in % (None when the previous value is 0 or missing)."""
    rows: list[dict[str, Any]] = []

    def add(name: str, label: str, old: Any, new: Any, field: models.Field | None) -> None:
        numeric = field is None or isinstance(field, models.DecimalField | models.IntegerField)
        pct = None
        if numeric and old not in (None, 0) and new is not None:
            pct = round(float((Decimal(new) - Decimal(old)) / abs(Decimal(old)) * 100), 1)
        if field is None:
            old_text, new_text = format_number(old) if old is not None else "—", format_number(new)
        else:
            old_text, new_text = _diff_value(field, old), _diff_value(field, new)
        rows.append(
            {
                "name": name,
                "label": label,
                "old": old_text if previous is not None else "—",
                "new": new_text,
                "changed": previous is not None and old != new,
                "numeric": numeric,
                "change_pct": pct if previous is not None else None,
                "notable": pct is not None and abs(pct) >= YEARLY_DIFF_NOTABLE_PCT,
            }
        )

    for name in YEARLY_DIFF_FIELDS:
        field = YearlyReport._meta.get_field(name)
        assert isinstance(field, models.Field)  # concrete fields only (for the type checker)
        old = getattr(previous, name) if previous is not None else None
        label = str(
            label_with_unit(field.verbose_name, name) if name in MONEY_QUANTITIES else field.verbose_name
        )
        add(name, label, old, getattr(report, name), field)
        if name == "official_legal_entities":
            add(
                "official_members",
                str(_("official members: total")),
                previous.official_members if previous else None,
                report.official_members,
                None,
            )
        if name == "associate_legal_entities":
            add(
                "associate_members",
                str(_("associate members: total")),
                previous.associate_members if previous else None,
                report.associate_members,
                None,
            )
    return rows


def yearly_reports_to_review(*, user: User, year: int | None = None) -> QuerySet[YearlyReport]:
    """Submitted yearly data waiting for review, in the user's scope."""
    from .models import YearlyReportState

    qs = yearly_report_list(user=user).filter(state=YearlyReportState.SUBMITTED)
    if year:
        qs = qs.filter(year=year)
    return qs.select_related(
        "organisation__commune_legacy__parent", "organisation__commune_current", "submitted_by"
    ).order_by("submitted_at", "organisation__name_sort")
