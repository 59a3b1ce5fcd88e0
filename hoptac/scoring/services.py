"""Writes of the scoring app. Pages, API, admin and commands call these functions; each checks the
user's role and scope, validates, runs in one transaction and records the acting user in the
history (django-simple-history) and, for workflow steps, an `AssessmentEvent`.

The workflow of one organisation's assessment for a year:

    draft ──submit──▶ submitted ──review──▶ reviewed ──approve──▶ approved (locked)
      ▲                  │  ▲                  │                      │
      └──── returned ◀───┘  └──── return ──────┘        reopen (reason)│
               (return, reason)                   reopened ◀───────────┘ ──review──▶ reviewed …

* the organisation's representative (or an officer on its behalf) fills and submits the self-score;
* a commune officer in scope reviews: the official points, with a reason wherever they differ;
* a provincial officer approves; the rating is then locked until a provincial officer reopens it
  with a reason, after which it is reviewed and approved again.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from hoptac.accounts import roles
from hoptac.accounts.models import User
from hoptac.core.datafiles import CREATED, UNCHANGED, UPDATED, DataFileError, Loaded
from hoptac.core.history import acting_user, set_history_user
from hoptac.core.review import transition
from hoptac.core.scoping import can_reach
from hoptac.core.uploads import DOCUMENT_TYPES, check_upload
from hoptac.registry.models import Organisation, YearlyReport

from . import engine, errors, selectors
from .choices import (
    REVIEW_EDIT_STATES,
    SELF_EDIT_STATES,
    AssessmentState,
    Band,
    EventAction,
    InputKind,
    NodeKind,
)
from .loader import ParsedScheme, ParsedSizeRules, parse_scheme, parse_size_rules
from .metrics import MetricContext, metric_value
from .models import (
    EVIDENCE_MAX_BYTES,
    SURVEY_FIELDS,
    Assessment,
    AssessmentEvent,
    Criterion,
    CriterionScore,
    Evidence,
    SatisfactionSurvey,
    Scheme,
    SizeClassRules,
)
from .sizes import size_class_for

# ---------------------------------------------------------------------------------------------
# Who may do what (the role rules are hoptac.accounts.roles'; the steps are the workflow's).


def can(user: User, action: str, assessment: Assessment) -> bool:
    """Whether `user` may do `action` on `assessment` now (role, scope and step), for the edits made between
    the workflow's steps (the steps themselves: scoring/workflow.py)."""
    state = assessment.state
    organisation = assessment.organisation
    if action == "view":
        return can_reach(user, "view", organisation)
    if not can_reach(user, "change", organisation):
        return False
    if action == "self_edit":
        return state in SELF_EDIT_STATES and roles.can_self_assess(user)
    if action == "review":
        return state in REVIEW_EDIT_STATES and roles.can_review_ratings(user)
    if action == "change_scheme":
        return state in SELF_EDIT_STATES and roles.can_review_ratings(user)
    if action in ("evidence", "survey"):
        if state == AssessmentState.APPROVED:
            return False
        if roles.can_review_ratings(user):
            return True
        return state in SELF_EDIT_STATES and roles.can_self_assess(user)
    return False


def _require(user: User, action: str, assessment: Assessment) -> None:
    locked = assessment.state == AssessmentState.APPROVED and action not in ("reopen", "view")
    if locked and can_reach(user, "view", assessment.organisation):
        raise ValidationError(errors.LOCKED)
    if not can(user, action, assessment):
        if not can_reach(user, "change", assessment.organisation) or not _role_allows(user, action):
            raise PermissionDenied(errors.NOT_ALLOWED)
        raise ValidationError(errors.WRONG_STATE % {"state": assessment.get_state_display()})


def _role_allows(user: User, action: str) -> bool:
    if action in ("review", "change_scheme"):
        return roles.can_review_ratings(user)
    return roles.can_self_assess(user)


def event_record(
    assessment: Assessment, user: User, action: str, from_state: str, note: str = ""
) -> AssessmentEvent:
    """One line of the assessment's steps (who, when, from which step to which, why)."""
    return AssessmentEvent.objects.create(
        assessment=assessment,
        action=action,
        from_state=from_state,
        to_state=assessment.state,
        user=acting_user(user),
        note=note,
    )


def _save(obj, user: User | None, *, fields: list[str] | None = None) -> None:
    obj.full_clean()
    set_history_user(obj, user)
    if fields is None:
        obj.save()
    else:
        obj.save(update_fields=[*fields, "updated_at"] if hasattr(obj, "updated_at") else fields)


# ---------------------------------------------------------------------------------------------
# Starting an evaluation.


def _metric_context(
    organisation_id: int, year: int, reports: dict | None = None, survey=None
) -> MetricContext:
    if reports is None:
        found = {
            r.year: r
            for r in YearlyReport.objects.filter(organisation_id=organisation_id, year__in=[year, year - 1])
        }
    else:
        found = reports
    return MetricContext(report=found.get(year), previous=found.get(year - 1), survey=survey)


def _proposal(criterion: Criterion, context: MetricContext) -> tuple[Decimal | None, Decimal | None]:
    if not criterion.rule:
        return None, None
    value = metric_value(criterion.rule["metric"], context)
    return engine.propose(criterion.rule, value), value


def _blank_scores(assessment: Assessment, context: MetricContext) -> list[CriterionScore]:
    scores = []
    for node in assessment.scheme.tree.leaves:
        criterion = node.payload
        proposed, value = _proposal(criterion, context)
        scores.append(
            CriterionScore(
                assessment=assessment,
                criterion=criterion,
                proposed_points=proposed,
                metric_value=value,
                self_points=proposed,
            )
        )
    return scores


@dataclass
class StartResult:
    year: int
    created: list[Assessment] = field(default_factory=list)
    already: int = 0
    without_scheme: int = 0


@transaction.atomic
def assessment_create(
    *, user: User, organisation: Organisation, year: int, scheme: Scheme | None = None
) -> Assessment:
    """Start one organisation's evaluation of `year` (officers in scope)."""
    if not roles.can_review_ratings(user) or not can_reach(user, "change", organisation):
        raise PermissionDenied(errors.NOT_ALLOWED)
    if year > timezone.localdate().year:
        raise ValidationError({"year": errors.YEAR_NOT_STARTED})
    if Assessment.objects.filter(organisation=organisation, year=year).exists():
        raise ValidationError({"year": errors.ALREADY_STARTED % {"year": year}})
    if not Organisation.objects.filter(pk=organisation.pk).existing_on(datetime.date(year, 12, 31)).exists():
        raise ValidationError({"year": errors.NOT_ON_BOOKS % {"year": year}})
    if scheme is None:
        scheme = selectors.scheme_for(organisation=organisation, year=year)
        if scheme is None:
            raise ValidationError({"scheme": errors.NO_SCHEME % {"year": year}})
    elif not scheme.applies_to(kind=organisation.kind, sector=organisation.sector, year=year):
        raise ValidationError({"scheme": errors.SCHEME_NOT_APPLICABLE % {"year": year}})
    assessment = Assessment(organisation=organisation, year=year, scheme=scheme)
    _save(assessment, user)
    context = _metric_context(
        organisation.pk, year, survey=selectors.survey_get(organisation=organisation, year=year)
    )
    bulk_create_with_history(
        _blank_scores(assessment, context), CriterionScore, default_user=acting_user(user)
    )
    _refresh_totals(assessment)
    event_record(assessment, user, EventAction.START, "")
    return assessment


@transaction.atomic
def evaluation_year_start(
    *, user: User, year: int, organisations: QuerySet[Organisation] | None = None
) -> StartResult:
    """Start the year's evaluation for every organisation the user may change (optionally narrowed to
    `organisations`, e.g. an area) that is on the books at the end of the year, is subject to a scheme
    and has no assessment for that year yet. One transaction, a few queries per hundred organisations."""
    if not roles.can_review_ratings(user):
        raise PermissionDenied(errors.NOT_ALLOWED)
    if year > timezone.localdate().year:
        raise ValidationError({"year": errors.YEAR_NOT_STARTED})
    result = StartResult(year)
    candidates = selectors.evaluable_organisations(user=user, year=year, action="change")
    if organisations is not None:
        candidates = candidates.filter(pk__in=organisations.values("pk"))
    started = set(
        Assessment.objects.filter(year=year, organisation__in=candidates).values_list(
            "organisation_id", flat=True
        )
    )
    schemes = selectors.schemes_for_year(year)
    chosen: list[tuple[Organisation, Scheme]] = []
    for organisation in candidates.order_by("pk"):
        if organisation.pk in started:
            result.already += 1
            continue
        scheme = selectors.pick_scheme(schemes, kind=organisation.kind, sector=organisation.sector, year=year)
        if scheme is None:
            result.without_scheme += 1
            continue
        chosen.append((organisation, scheme))
    if not chosen:
        return result
    now = timezone.now()
    assessments = [Assessment(organisation=o, year=year, scheme=s, created_at=now) for o, s in chosen]
    created = bulk_create_with_history(
        assessments, Assessment, default_user=acting_user(user), default_date=now
    )
    if not all(a.pk for a in created):  # databases that do not return ids on bulk insert
        created = list(Assessment.objects.filter(year=year, organisation__in=[o for o, _s in chosen]))
    by_org = {a.organisation_id: a for a in created}
    reports: dict[int, dict[int, YearlyReport]] = {}
    for report in YearlyReport.objects.filter(
        organisation__in=[o for o, _s in chosen], year__in=[year, year - 1]
    ):
        reports.setdefault(report.organisation_id, {})[report.year] = report
    surveys = {
        s.organisation_id: s
        for s in SatisfactionSurvey.objects.filter(year=year, organisation__in=[o for o, _s in chosen])
    }
    scores: list[CriterionScore] = []
    for organisation, scheme in chosen:
        assessment = by_org[organisation.pk]
        assessment.scheme = scheme  # shares the scheme's cached criteria tree
        context = _metric_context(
            organisation.pk, year, reports.get(organisation.pk, {}), surveys.get(organisation.pk)
        )
        scores += _blank_scores(assessment, context)
    bulk_create_with_history(
        scores, CriterionScore, default_user=acting_user(user), batch_size=500, default_date=now
    )
    totals: dict[int, Decimal] = {}
    for score in scores:
        if score.self_points is not None:
            totals[score.assessment.pk] = totals.get(score.assessment.pk, Decimal(0)) + score.self_points
    for assessment in created:
        if assessment.pk in totals:
            assessment.self_total = totals[assessment.pk]
    Assessment.objects.bulk_update([a for a in created if a.pk in totals], ["self_total"], batch_size=500)
    AssessmentEvent.objects.bulk_create(
        [
            AssessmentEvent(
                assessment=a,
                action=EventAction.START,
                from_state="",
                to_state=a.state,
                user=acting_user(user),
                at=now,
            )
            for a in created
        ],
        batch_size=500,
    )
    result.created = list(created)
    return result


@transaction.atomic
def assessment_change_scheme(*, user: User, assessment: Assessment, scheme: Scheme) -> Assessment:
    """Use another applicable scheme (officers, before the self-score is submitted): the points start over."""
    _require(user, "change_scheme", assessment)
    organisation = assessment.organisation
    if not scheme.applies_to(kind=organisation.kind, sector=organisation.sector, year=assessment.year):
        raise ValidationError({"scheme": errors.SCHEME_NOT_APPLICABLE % {"year": assessment.year}})
    if scheme.pk == assessment.scheme_id:
        return assessment
    previous = assessment.scheme
    assessment.scores.all().delete()
    assessment.evidence.filter(criterion__isnull=False).delete()
    assessment.scheme = scheme
    context = _metric_context(
        organisation.pk,
        assessment.year,
        survey=selectors.survey_get(organisation=organisation, year=assessment.year),
    )
    bulk_create_with_history(
        _blank_scores(assessment, context), CriterionScore, default_user=acting_user(user)
    )
    _refresh_totals(assessment)
    _save(assessment, user)
    event_record(assessment, user, EventAction.SCHEME, assessment.state, f"{previous} → {scheme}")
    return assessment


# ---------------------------------------------------------------------------------------------
# Points.


def _scores(assessment: Assessment) -> dict[str, CriterionScore]:
    return {s.criterion.code: s for s in assessment.scores.select_related("criterion")}


def _refresh_proposals(assessment: Assessment, scores: dict[str, CriterionScore]) -> None:
    survey = selectors.survey_get(organisation=assessment.organisation, year=assessment.year)
    context = _metric_context(assessment.organisation_id, assessment.year, survey=survey)
    for score in scores.values():
        if score.criterion.rule:
            score.proposed_points, score.metric_value = _proposal(score.criterion, context)


def _refresh_totals(assessment: Assessment) -> None:
    rows = list(assessment.scores.values_list("self_points", "official_points"))
    selfs = [r[0] for r in rows if r[0] is not None]
    officials = [r[1] for r in rows if r[1] is not None]
    assessment.self_total = sum(selfs, Decimal(0)) if selfs else None
    assessment.official_total = sum(officials, Decimal(0)) if officials else None
    Assessment.objects.filter(pk=assessment.pk).update(
        self_total=assessment.self_total, official_total=assessment.official_total
    )


def _raise_point_problems(
    problems: list[tuple[str | None, str]], prefix: str, extra: dict[str, list[str]] | None = None
) -> None:
    if not problems and not extra:
        return
    result: dict[str, list[str]] = dict(extra or {})
    for code, message in problems:
        result.setdefault(f"{prefix}{code}" if code else "__all__", []).append(message)
    raise ValidationError(result)


def _clean_points(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value))


def _excluded_from_rating(assessment: Assessment) -> bool:
    exclusion = selectors.current_exclusion(assessment)
    return exclusion is not None and exclusion["result"] == Band.NOT_RATED


def assessment_self_save(
    *,
    user: User,
    assessment: Assessment,
    points: dict[str, Any],
    notes: dict[str, str] | None = None,
    note: str | None = None,
    files: dict[str, Any] | None = None,
    submit: bool = False,
) -> Assessment:
    """Save the self-score (điểm tự chấm) criterion by criterion, and submit it when `submit`. The
    points are saved even when the submission is refused (e.g. evidence or the survey is missing)."""
    _self_save(user=user, assessment=assessment, points=points, notes=notes, note=note, files=files)
    if submit:
        return transition(assessment, "submit", user=user)
    return assessment


@transaction.atomic
def _self_save(*, user: User, assessment: Assessment, points, notes, note, files) -> None:
    _require(user, "self_edit", assessment)
    scores = _scores(assessment)
    unknown = [code for code in {*points, *(notes or {}), *(files or {})} if code not in scores]
    if unknown:
        raise ValidationError({f"points_{code}": errors.NOT_A_CRITERION for code in unknown})
    values = {code: score.self_points for code, score in scores.items()}
    values.update({code: _clean_points(value) for code, value in points.items()})
    _raise_point_problems(engine.check_points(assessment.scheme.tree, values, require_all=False), "points_")
    for code, file in (files or {}).items():
        if file:
            check_upload(file, allowed=DOCUMENT_TYPES, max_bytes=EVIDENCE_MAX_BYTES, field=f"file_{code}")
    _refresh_proposals(assessment, scores)
    for code, score in scores.items():
        score.self_points = values[code]
        if notes is not None and code in notes:
            score.self_note = notes[code].strip()
        set_history_user(score, user)
        score.save()
    for code, file in (files or {}).items():
        if file:
            _evidence_create(user, assessment, file, criterion=scores[code].criterion)
    if note is not None:
        assessment.self_note = note.strip()
    _save(assessment, user)
    _refresh_totals(assessment)


def submission_check(assessment: Assessment) -> None:
    """Before the self-score is submitted: every point given, evidence for the points given by hand, the
    members' survey when the scheme scores it (none of it for an organisation excluded from rating)."""
    if _excluded_from_rating(assessment):
        return
    scores = _scores(assessment)
    tree = assessment.scheme.tree
    values = {code: score.self_points for code, score in scores.items()}
    problems = engine.check_points(tree, values, require_all=True)
    with_files = set(
        assessment.evidence.filter(criterion__isnull=False).values_list("criterion__code", flat=True)
    )
    for code, score in scores.items():
        criterion = score.criterion
        needs_evidence = criterion.input != InputKind.COMPUTED and criterion.evidence_required
        if needs_evidence and (score.self_points or 0) > 0 and not score.self_note and code not in with_files:
            problems.append((code, str(errors.EVIDENCE_REQUIRED)))
    survey_leaf = next((n for n in tree.leaves if n.input == InputKind.SURVEY), None)
    if (
        survey_leaf
        and selectors.survey_get(organisation=assessment.organisation, year=assessment.year) is None
    ):
        problems.append(
            (None, str(errors.SURVEY_REQUIRED % {"year": assessment.year, "criterion": survey_leaf.number}))
        )
    _raise_point_problems(problems, "points_")


@transaction.atomic
def assessment_review_save(
    *,
    user: User,
    assessment: Assessment,
    points: dict[str, Any],
    reasons: dict[str, str] | None = None,
    administrative_fine: bool | None = None,
    fine_note: str | None = None,
    note: str | None = None,
    finish: bool = False,
) -> Assessment:
    """The commune officer's official points (prefilled with the self-score); a reason is required
    wherever they differ from the self-score. `finish` completes the review."""
    _require(user, "review", assessment)
    scores = _scores(assessment)
    unknown = [code for code in {*points, *(reasons or {})} if code not in scores]
    if unknown:
        raise ValidationError({f"points_{code}": errors.NOT_A_CRITERION for code in unknown})
    values = {
        code: (score.official_points if score.official_points is not None else score.self_points)
        for code, score in scores.items()
    }
    values.update({code: _clean_points(value) for code, value in points.items()})
    reason_of = {
        code: (reasons or {}).get(code, score.change_reason).strip() for code, score in scores.items()
    }
    if administrative_fine is not None:
        assessment.administrative_fine = administrative_fine
    if fine_note is not None:
        assessment.fine_note = fine_note.strip()
    excluded = _excluded_from_rating(assessment)
    problems = engine.check_points(assessment.scheme.tree, values, require_all=finish and not excluded)
    for code, score in scores.items():
        official, own = values[code], score.self_points
        if official is not None and own is not None and official != own and not reason_of[code]:
            problems.append((code, str(errors.CHANGE_REASON_REQUIRED)))
    extra = {}
    if assessment.administrative_fine and not assessment.fine_note:
        extra["fine_note"] = [str(errors.REASON_REQUIRED)]
    _raise_point_problems(problems, "points_", extra)
    _refresh_proposals(assessment, scores)
    for code, score in scores.items():
        score.official_points = values[code]
        score.change_reason = reason_of[code]
        set_history_user(score, user)
        score.save()
    if note is not None:
        assessment.review_note = note.strip()
    _save(assessment, user)
    _refresh_totals(assessment)
    if finish:
        return transition(assessment, "review", user=user, comment=assessment.review_note)
    return assessment


def approval_check(assessment: Assessment) -> None:
    """Before a rating is approved: every official point given (unless the organisation is not rated)."""
    exclusion = selectors.current_exclusion(assessment)
    if exclusion is None or exclusion["result"] != Band.NOT_RATED:
        values = {code: score.official_points for code, score in _scores(assessment).items()}
        _raise_point_problems(
            engine.check_points(assessment.scheme.tree, values, require_all=True), "points_"
        )


def approval_prepare(assessment: Assessment, user: User) -> None:
    """On approval: the proposals and totals brought up to date, the band from the official total and the
    scheme's exclusion rules, the size class of the year."""
    scores = _scores(assessment)
    exclusion = selectors.current_exclusion(assessment)
    _refresh_proposals(assessment, scores)
    for score in scores.values():
        if score.criterion.rule:
            set_history_user(score, user)
            score.save(update_fields=["proposed_points", "metric_value"])
    _refresh_totals(assessment)
    rated = exclusion is None or exclusion["result"] != Band.NOT_RATED
    assessment.band = engine.result_band(
        assessment.official_total if rated else None, assessment.scheme.bands, exclusion
    )
    assessment.exclusion_code = exclusion["code"] if exclusion else ""
    assessment.exclusion_text = exclusion["text"] if exclusion else ""
    report = assessment.organisation.yearly_reports.filter(year=assessment.year).first()
    size = size_class_for(organisation=assessment.organisation, year=assessment.year, report=report)
    assessment.size_class = (size.size_class or "") if size else ""
    assessment.size_basis = (f"{size.rule_set_name}: {size.summary}" if size else "")[:255]


# ---------------------------------------------------------------------------------------------
# Evidence and survey.


def _evidence_create(
    user: User, assessment: Assessment, file, *, criterion: Criterion | None, description: str = ""
) -> Evidence:
    evidence = Evidence(
        assessment=assessment,
        criterion=criterion,
        original_name=Path(file.name).name[:255],
        size=file.size or 0,
        description=description.strip()[:255],
        uploaded_by=acting_user(user),
    )
    evidence.file.save(evidence.original_name, file, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_add(
    *, user: User, assessment: Assessment, file, criterion_code: str | None = None, description: str = ""
) -> Evidence:
    _require(user, "evidence", assessment)
    criterion = None
    if criterion_code:
        criterion = assessment.scheme.criteria.filter(code=criterion_code, children__isnull=True).first()
        if criterion is None:
            raise ValidationError({"criterion": errors.NOT_A_CRITERION})
    check_upload(file, allowed=DOCUMENT_TYPES, max_bytes=EVIDENCE_MAX_BYTES)
    return _evidence_create(user, assessment, file, criterion=criterion, description=description)


@transaction.atomic
def survey_save(
    *, user: User, organisation: Organisation, year: int, data: dict[str, Any]
) -> SatisfactionSurvey:
    """Record (or correct) the members' satisfaction survey of a year. Not once the year's rating is
    approved; the assessment's proposals that use the survey are refreshed."""
    assessment = (
        Assessment.objects.filter(organisation=organisation, year=year).select_related("organisation").first()
    )
    if assessment is not None:
        _require(user, "survey", assessment)
    elif not can_reach(user, "change", organisation) or not roles.can_self_assess(user):
        raise PermissionDenied(errors.NOT_ALLOWED)
    survey = SatisfactionSurvey.objects.filter(
        organisation=organisation, year=year
    ).first() or SatisfactionSurvey(organisation=organisation, year=year)
    for name in SURVEY_FIELDS:
        if name in data:
            setattr(survey, name, data[name])
    survey.recorded_by = acting_user(user)
    if survey.conducted_on and survey.conducted_on > timezone.localdate():
        raise ValidationError({"conducted_on": errors.SURVEY_DATE})
    survey.full_clean()
    set_history_user(survey, user)
    survey.save()
    if assessment is not None:
        scores = _scores(assessment)
        _refresh_proposals(assessment, scores)
        for score in scores.values():
            if score.criterion.rule:
                set_history_user(score, user)
                score.save(update_fields=["proposed_points", "metric_value"])
    return survey


# ---------------------------------------------------------------------------------------------
# Scheme and size-class files.


def _may_load(user: User | None) -> bool:
    return user is None or roles.can_manage_plans(user)


def _criterion_rows(parsed: ParsedScheme, scheme: Scheme) -> list[tuple[Criterion, str | None]]:
    extras = {row["code"]: row for row in parsed.nodes}
    rows = []
    for position, node in enumerate(parsed.tree.walk()):
        extra = extras[node.code]
        kind = {"group": NodeKind.GROUP, "criterion": NodeKind.CRITERION}.get(node.kind, NodeKind.ITEM)
        rows.append(
            (
                Criterion(
                    scheme=scheme,
                    code=node.code,
                    number=node.number,
                    name=node.name,
                    kind=kind,
                    description=extra["description"],
                    max_points=node.max_points,
                    to_be_completed=node.to_be_completed,
                    note=node.note,
                    input=node.input,
                    rule=node.rule,
                    allowed_points=[str(p) for p in node.allowed_points] if node.allowed_points else None,
                    guidance=extra["guidance"],
                    hints=extra["hints"],
                    evidence_required=node.evidence_required,
                    position=position,
                ),
                parsed.tree.parent.get(node.code),
            )
        )
    return rows


def _scheme_fields(parsed: ParsedScheme) -> dict[str, Any]:
    d = parsed.definition
    return {
        "name": d["name"],
        "short_name": d["short_name"],
        "description": d["description"],
        "status_note": d["status_note"],
        "legal_basis": d["legal_basis"],
        "sources": d["sources"],
        "valid_from": d["valid_from"],
        "valid_to": d["valid_to"],
        "kinds": d["kinds"],
        "sectors": d["sectors"],
        "year_from": d["year_from"],
        "year_to": d["year_to"],
        "priority": d["priority"],
        "editable_by_province": d["editable_by_province"],
        "deadlines": d["deadlines"],
        "total_points": d["total_points"],
        "bands": d["bands"],
        "exclusions": d["exclusions"],
        "is_complete": not parsed.tree.incomplete,
        "source_name": Path(parsed.name).name,
        "source_text": parsed.text,
        "content_hash": parsed.content_hash,
        "structure_hash": parsed.structure_hash,
    }


def _store_scheme(user: User | None, parsed: ParsedScheme) -> Loaded:
    scheme = Scheme.objects.filter(code=parsed.code, version=parsed.version).first()
    if scheme is not None and scheme.content_hash == parsed.content_hash:
        return Loaded(scheme, UNCHANGED, str(scheme))
    fields = _scheme_fields(parsed)
    rows = []
    if scheme is None:
        scheme = Scheme(code=parsed.code, version=parsed.version, **fields)
        status = CREATED
    else:
        used = scheme.assessments.count()
        if used and scheme.structure_hash != parsed.structure_hash:
            message = errors.VERSION_IN_USE % {"code": parsed.code, "version": parsed.version, "count": used}
            raise DataFileError([parsed.document.problem(("version",), message)], parsed.name)
        for name, value in fields.items():
            setattr(scheme, name, value)
        status = UPDATED
    scheme.loaded_at = timezone.now()
    scheme.loaded_by = acting_user(user)
    _save(scheme, user)
    rows = _criterion_rows(parsed, scheme)
    existing = {c.code: c for c in scheme.criteria.all()}
    by_code: dict[str, Criterion] = {}
    for criterion, parent_code in rows:
        current = existing.pop(criterion.code, None)
        if current is not None:
            criterion.pk = current.pk
        criterion.parent = by_code.get(parent_code) if parent_code else None
        criterion.save()
        by_code[criterion.code] = criterion
    for leftover in existing.values():  # only possible while the scheme is unused
        leftover.delete()
    scheme.__dict__.pop("tree", None)
    return Loaded(scheme, status, str(scheme))


def _store_size_rules(user: User | None, parsed: ParsedSizeRules) -> Loaded:
    rules = SizeClassRules.objects.filter(code=parsed.code, version=parsed.version).first()
    if rules is not None and rules.content_hash == parsed.content_hash:
        return Loaded(rules, UNCHANGED, str(rules))
    status = UPDATED if rules is not None else CREATED
    rules = rules or SizeClassRules(code=parsed.code, version=parsed.version)
    rules.name = parsed.definition["name"]
    rules.definition = parsed.definition
    rules.source_name = Path(parsed.name).name
    rules.source_text = parsed.text
    rules.content_hash = parsed.content_hash
    rules.loaded_at = timezone.now()
    rules.loaded_by = acting_user(user)
    rules.full_clean()
    rules.save()
    return Loaded(rules, status, str(rules))


@transaction.atomic
def scheme_load(*, user: User | None, text: str, name: str) -> Loaded:
    """Load a scheme file (provincial officers and administrators; `user=None` for the command). The file
    is checked whole first (DataFileError lists every problem); loading the same file again changes
    nothing; a changed file with the same code and version updates it, unless assessments already use it
    and its criteria, points, bands or exclusions changed. Called through hoptac.core.datafiles.load()."""
    if not _may_load(user):
        raise PermissionDenied(errors.NOT_ALLOWED)
    return _store_scheme(user, parse_scheme(text, name))


@transaction.atomic
def size_rules_load(*, user: User | None, text: str, name: str) -> Loaded:
    """Load a size-class file, as `scheme_load` does a scheme file."""
    if not _may_load(user):
        raise PermissionDenied(errors.NOT_ALLOWED)
    return _store_size_rules(user, parse_size_rules(text, name))
