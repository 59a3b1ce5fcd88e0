"""Writes for plans: loading a plan file (all or nothing) and recording qualitative assessments."""

import datetime
import hashlib
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from hoptac.accounts import roles
from hoptac.accounts.models import User
from hoptac.areas.models import AdminUnit
from hoptac.core.datafiles import DataFileError, Problems
from hoptac.core.history import set_history_user

from .choices import IndicatorKind, TargetStatus
from .loader import parse_plan_file
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
    areas = [
        _unit(problems, ("plan", "scope", "areas", i), scope["map"], code)
        for i, code in enumerate(scope["areas"])
    ]
    reference_rows: list[tuple[dict, list[tuple[AdminUnit | None, dict]]]] = []
    for i, series in enumerate(doc.get("reference_data", [])):
        rows = [
            (_unit(problems, ("reference_data", i, "values", j, "area"), v["map"], v["area"]), v)
            for j, v in enumerate(series["values"])
        ]
        reference_rows.append((series, rows))
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

    for series, rows in reference_rows:
        ref, _c = ReferenceSeries.objects.update_or_create(
            code=series["code"],
            defaults={"name": series["name"], "unit": series.get("unit", ""), "source": series["source"]},
        )
        for area, value in rows:
            ReferenceValue.objects.update_or_create(
                series=ref, area=area, year=value["year"], defaults={"value": value["value"]}
            )

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
