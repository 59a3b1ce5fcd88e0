"""Writes for plans: loading a plan file (all or nothing) and recording qualitative assessments."""

import datetime
import hashlib
import math
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts import roles
from hoptac.accounts.models import User
from hoptac.areas.models import AdminUnit, Level
from hoptac.core.datafiles import DataFileError, Problems, to_date
from hoptac.core.formatting import format_date
from hoptac.core.history import set_history_user

from .choices import IndicatorKind, TargetStatus
from .loader import ALL_PROVINCES, parse_plan_file
from .models import (
    Plan,
    PlanSection,
    PlanTask,
    QualitativeAssessment,
    ReferenceSeries,
    ReferenceValue,
    Target,
)
from .signals import plan_loaded


def _unit(problems: Problems, path: tuple, admin_map: str, code: str) -> AdminUnit | None:
    unit = AdminUnit.objects.filter(map=admin_map, code=code).order_by("level").first()
    if unit is None:
        problems.add(
            path,
            _("no administrative unit has the code '%(code)s' on this map (run load_admin_units first?)")
            % {"code": code},
        )
    return unit


@transaction.atomic
def plan_load(*, text: str, source: str = "") -> Plan:
    """Load (or update) a plan from the text of its file. Everything is checked before anything is written;
    a wrong file raises DataFileError and leaves the database as it was. Called through
    hoptac.core.datafiles.load() (kind "plans")."""
    document, problems = parse_plan_file(text, source)
    doc = document.data
    head = doc["plan"]
    scope = head["scope"]
    if scope["areas"] == ALL_PROVINCES:
        areas: list[AdminUnit | None] = list(
            AdminUnit.objects.filter(map=scope["map"], level=Level.PROVINCE).order_by("code")
        )
        if not areas:
            problems.add(
                ("plan", "scope", "areas"),
                _("no province is loaded on this map (run load_admin_units first?)"),
            )
    else:
        areas = [
            _unit(problems, ("plan", "scope", "areas", i), scope["map"], code)
            for i, code in enumerate(scope["areas"])
        ]
    reference_rows: list[tuple[dict, list[tuple[AdminUnit | None, dict]]]] = []
    for i, series in enumerate(doc.get("reference_data", [])):
        rows = [
            (_unit(problems, ("reference_data", i, "values", j, "area"), v["map"], v["area"]), v)
            for j, v in enumerate(series.get("values", []))
        ]
        reference_rows.append((series, rows))
        _check_entered_values(problems, head["code"], i, series, rows)
    problems.raise_if_any()

    plan, _created = Plan.objects.update_or_create(
        code=head["code"],
        defaults={
            "number": head["number"],
            "title": head["title"],
            "short_title": head["short_title"],
            "issued_on": datetime.date.fromisoformat(head["issued_on"]),
            "issuer": head["issuer"],
            "signer": head.get("signer", ""),
            "signer_title": head.get("signer_title", ""),
            "implements": head.get("implements", []),
            "scope_map": scope["map"],
            "scope_description": scope.get("description", ""),
            "baseline_year": head["baseline_year"],
            "max_missing_share": head.get("max_missing_share", 0.25),
            "source_file": Path(source).name if source else "",
            "source_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "document": doc,
        },
    )
    plan.scope_areas.set([a for a in areas if a is not None])

    # Reference data belongs to this plan: another plan's series of the same code is never touched. Values
    # from the file are replaced; values the province entered (entered_by set) are kept.
    series_codes = []
    for series, rows in reference_rows:
        ref, _c = ReferenceSeries.objects.update_or_create(
            plan=plan,
            code=series["code"],
            defaults={
                "name": series["name"],
                "unit": series.get("unit", ""),
                "source": series["source"],
                "source_date": to_date(series.get("source_date")),
                "supplier": series.get("supplier", ""),
            },
        )
        series_codes.append(ref.code)
        keep = []
        for area, value in rows:
            row, _c = ReferenceValue.objects.update_or_create(
                series=ref,
                area=area,
                year=value["year"],
                defaults={"value": value["value"], "source": value.get("source", "")},
            )
            keep.append(row.pk)
        ref.values.filter(entered_by__isnull=True).exclude(pk__in=keep).delete()
    plan.reference_series.exclude(code__in=series_codes).delete()

    sections: dict[str, PlanSection] = {}
    for order, item in enumerate(doc["sections"]):
        sections[item["code"]], _c = PlanSection.objects.update_or_create(
            plan=plan, code=item["code"], defaults={"title": item["title"], "order": order, "parent": None}
        )
    for item in doc["sections"]:
        if item.get("parent"):
            PlanSection.objects.filter(pk=sections[item["code"]].pk).update(parent=sections[item["parent"]])

    targets: dict[str, Target] = {}
    for order, item in enumerate(doc["targets"]):
        goal: dict[str, Any] = item.get("target") or {}
        targets[item["code"]], _c = Target.objects.update_or_create(
            plan=plan,
            code=item["code"],
            defaults={
                "section": sections[item["section"]],
                "name": item["name"],
                "text": item["text"],
                "deadline_year": item["deadline_year"],
                "kind": item["indicator"]["kind"],
                "indicator": item["indicator"],
                "comparator": goal.get("comparator", ""),
                "value": goal.get("value", goal.get("min")),
                "value_max": goal.get("max"),
                "tolerance": goal.get("tolerance"),
                "tolerance_below": goal.get("tolerance_below"),
                "tolerance_above": goal.get("tolerance_above"),
                "scaled_from": item.get("scaled_from", {}),
                "data_needed": item.get("data_needed", ""),
                "strict": goal.get("strict", False),
                "unit": item.get("unit", ""),
                "interpretation": item.get("interpretation", ""),
                "order": order,
            },
        )
    plan.targets.exclude(code__in=targets).delete()

    task_codes = []
    for order, item in enumerate(doc["tasks"]):
        task, _c = PlanTask.objects.update_or_create(
            plan=plan,
            code=item["code"],
            defaults={
                "section": sections.get(item.get("section") or ""),
                "text": item["text"],
                "lead_agency": item.get("lead") or "",
                "cooperating_agencies": item.get("cooperating", []),
                "assignment_known": item["assignment_known"],
                "deadline": datetime.date.fromisoformat(item["deadline"]) if item.get("deadline") else None,
                "recurrence": item.get("recurrence", {}),
                "expected_output": item.get("expected_output", ""),
                "order": order,
            },
        )
        task.targets.set([targets[c] for c in item.get("targets", [])])
        task_codes.append(item["code"])
    try:
        plan.tasks.exclude(code__in=task_codes).delete()
    except ProtectedError as exc:
        codes = sorted({obj.plan_task.code for obj in exc.protected_objects if hasattr(obj, "plan_task")})
        message = _(
            "tasks %(codes)s are being followed up (assigned, reported on): keep them in the file"
        ) % {"codes": ", ".join(codes) or "?"}
        raise DataFileError([document.problem(("tasks",), message)], source) from exc
    plan.sections.exclude(code__in=sections).delete()
    plan_loaded.send(sender=Plan, plan=plan)
    return plan


def _check_entered_values(
    problems: Problems, plan_code: str, index: int, series: dict, rows: list[tuple[AdminUnit | None, dict]]
) -> None:
    """A value the file gives for an area and year where the province has entered a different one is
    refused: the file must agree with it or leave that year out."""
    entered: dict[tuple[int | None, Any], ReferenceValue] = {
        (v.area_id, v.year): v
        for v in ReferenceValue.objects.filter(
            series__plan__code=plan_code, series__code=series["code"], entered_by__isnull=False
        )
    }
    for j, (area, value) in enumerate(rows):
        known = entered.get((area.pk if area else None, value["year"]))
        if known is not None and abs(known.value - value["value"]) > 1e-9:
            problems.add(
                ("reference_data", index, "values", j, "value"),
                _(
                    "the province entered %(entered)s for this area and year on %(date)s; the file says "
                    "%(value)s: write the entered value or leave this year out of the file"
                )
                % {
                    "entered": f"{known.value:g}",
                    "date": format_date(known.entered_at.date()) if known.entered_at else "?",
                    "value": f"{value['value']:g}",
                },
            )


@transaction.atomic
def reference_value_enter(
    *, user: User, series: ReferenceSeries, area: AdminUnit, year: int, value: float, source: str
) -> ReferenceValue:
    """A provincial officer enters (or corrects) a value of a plan's reference series, e.g. the number of
    farming households the plan file declares as still to be supplied. The change is kept in the history."""
    if not roles.can_manage_plans(user):
        raise PermissionDenied(_("Only provincial officers enter reference data."))
    if not math.isfinite(value) or value <= 0:
        raise ValidationError({"value": _("The value must be a number above zero.")})
    if not source.strip():
        raise ValidationError({"source": _("Say where the value comes from (document, date).")})
    row = ReferenceValue.objects.filter(series=series, area=area, year=year).first() or ReferenceValue(
        series=series, area=area, year=year
    )
    row.value, row.source = value, source.strip()
    row.entered_by, row.entered_at = user, timezone.now()
    row.full_clean()
    set_history_user(row, user)
    row.save()
    return row


@transaction.atomic
def qualitative_assess(
    *, user: User, target: Target, as_of: datetime.date, status: str, note: str
) -> QualitativeAssessment:
    """Record an officer's assessment of a qualitative target (provincial officers and administrators)."""
    if not roles.can_manage_plans(user):
        raise PermissionDenied(_("Only provincial officers assess qualitative targets."))
    if target.kind != IndicatorKind.QUALITATIVE:
        raise ValidationError({"target": _("This target is computed from the registry, not assessed.")})
    assessment = QualitativeAssessment(
        target=target, as_of=as_of, status=status, note=note.strip(), assessed_by=user
    )
    if status not in TargetStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    assessment.full_clean()
    set_history_user(assessment, user)
    assessment.save()
    return assessment
