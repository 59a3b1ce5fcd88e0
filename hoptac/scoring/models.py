"""Yearly evaluation and rating of organisations (đánh giá, xếp loại) by versioned scoring schemes.

A `Scheme` is loaded from a YAML file (see `loader.py`): its criteria tree is kept as `Criterion`
rows so that each organisation's points (`CriterionScore`) point at the criterion they score. An
`Assessment` is one organisation's evaluation for one year: the representative's self-score, the
commune officer's review and the provincial approval, each step recorded (`AssessmentEvent`) and
every change kept by django-simple-history. An organisation is "rated good or fair in year Y" when
its assessment of Y is approved with band good or fair.
"""

import datetime
import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hoptac.core.concurrency import VersionedModel
from hoptac.core.review import ReviewedModel
from hoptac.core.scoping import ScopedModel
from hoptac.registry.models import Organisation

from .choices import AssessmentState, Band, EventAction, InputKind, NodeKind, SizeClass
from .engine import Node, SchemeTree


def _points(label, **kwargs) -> models.DecimalField:
    return models.DecimalField(label, max_digits=5, decimal_places=1, null=True, blank=True, **kwargs)


class Scheme(models.Model):
    """One version of a scoring scheme, as loaded from its file."""

    code = models.CharField(_("code"), max_length=50)
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    status_note = models.TextField(_("legal status"), blank=True)
    legal_basis = models.JSONField(_("legal basis"), default=list, blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    kinds = models.JSONField(_("kinds of organisation"), default=list)
    sectors = models.JSONField(_("sectors"), default=list, blank=True, help_text=_("Empty: every sector."))
    year_from = models.PositiveSmallIntegerField(_("first year assessed"))
    year_to = models.PositiveSmallIntegerField(_("last year assessed"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), default=0)
    editable_by_province = models.BooleanField(_("set by the province"), default=False)
    deadlines = models.JSONField(_("deadlines"), default=dict, blank=True)
    total_points = models.DecimalField(_("total points"), max_digits=6, decimal_places=1)
    bands = models.JSONField(_("bands"), default=list)
    exclusions = models.JSONField(_("exclusion rules"), default=list, blank=True)
    is_complete = models.BooleanField(_("complete"), default=False)
    source_name = models.CharField(_("file"), max_length=255, blank=True)
    source_text = models.TextField(_("file content"), blank=True)
    content_hash = models.CharField(max_length=64, editable=False)
    structure_hash = models.CharField(max_length=64, editable=False)
    loaded_at = models.DateTimeField(_("loaded at"), default=timezone.now)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("loaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["source_text"])

    class Meta:
        verbose_name = _("scoring scheme")
        verbose_name_plural = _("scoring schemes")
        ordering = ["-priority", "code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="unique_scheme_version")]

    def __str__(self) -> str:
        return f"{self.short_name} (v{self.version})"

    def applies_to(self, *, kind: str, sector: str, year: int) -> bool:
        return (
            kind in self.kinds
            and (not self.sectors or sector in self.sectors)
            and self.year_from <= year
            and (self.year_to is None or year <= self.year_to)
        )

    def deadline(self, year: int, step: str = "self_assessment") -> datetime.date | None:
        value = (self.deadlines or {}).get(step)
        if not value:
            return None
        month, day = (int(part) for part in value.split("-"))
        return datetime.date(year, month, day)

    @cached_property
    def tree(self) -> SchemeTree:
        rows = list(self.criteria.order_by("position"))
        nodes = {row.pk: row.as_node() for row in rows}
        roots = []
        for row in rows:
            if row.parent_id:
                nodes[row.parent_id].children.append(nodes[row.pk])
            else:
                roots.append(nodes[row.pk])
        return SchemeTree(roots, self.total_points)

    @property
    def years_label(self) -> str:
        return f"{self.year_from}–{self.year_to}" if self.year_to else f"{self.year_from}–"


class Criterion(models.Model):
    """A node of a scheme's criteria tree: a group, a criterion or a sub-item. Only leaves are scored."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="criteria"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=30)
    number = models.CharField(_("number"), max_length=20, blank=True)
    name = models.CharField(_("name"), max_length=500)
    kind = models.CharField(_("level"), max_length=10, choices=NodeKind.choices)
    description = models.TextField(_("description"), blank=True)
    max_points = _points(_("maximum points"))
    to_be_completed = models.BooleanField(_("to be completed by the province"), default=False)
    note = models.TextField(_("note"), blank=True)
    input = models.CharField(_("how it is scored"), max_length=10, choices=InputKind.choices)
    rule = models.JSONField(_("rule"), null=True, blank=True)
    allowed_points = models.JSONField(_("allowed points"), null=True, blank=True)
    guidance = models.JSONField(_("guidance"), default=list, blank=True)
    hints = models.JSONField(_("yearly data shown"), default=list, blank=True)
    evidence_required = models.BooleanField(_("evidence required"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["scheme", "position"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="unique_criterion_code")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()

    def as_node(self) -> Node:
        return Node(
            code=self.code,
            number=self.number,
            name=self.name,
            kind=self.kind,
            max_points=self.max_points,
            to_be_completed=self.to_be_completed,
            note=self.note,
            input=self.input,
            rule=self.rule,
            allowed_points=[Decimal(p) for p in self.allowed_points] if self.allowed_points else None,
            evidence_required=self.evidence_required,
            payload=self,
        )


class SizeClassRules(models.Model):
    """The size-class thresholds (TT 01/2020 before 1/11/2024; Luật HTX 2023 Điều 16 and NĐ 113/2024
    from then), loaded from their file; the highest version is used."""

    code = models.CharField(_("code"), max_length=50)
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=255)
    definition = models.JSONField(_("definition"))
    source_name = models.CharField(_("file"), max_length=255, blank=True)
    source_text = models.TextField(_("file content"), blank=True)
    content_hash = models.CharField(max_length=64, editable=False)
    loaded_at = models.DateTimeField(_("loaded at"), default=timezone.now)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("size-class rules")
        verbose_name_plural = _("size-class rules")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="unique_size_rules_version")]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class Assessment(ReviewedModel):
    scope = Organisation.scope.via("organisation")

    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="assessments"
    )
    state = ReviewedModel.state_field(AssessmentState, _("step"))
    # null until approved: other apps filter `assessments__band`, and "no band yet" must not look like a band.
    band = models.CharField(  # noqa: DJ001
        _("rating"),
        max_length=10,
        choices=Band.choices,
        null=True,
        blank=True,
        help_text=_("Set when the rating is approved."),
    )
    self_total = _points(_("self-score"))
    official_total = _points(_("official score"))
    exclusion_code = models.CharField(_("exclusion rule applied"), max_length=30, blank=True)
    exclusion_text = models.CharField(_("exclusion"), max_length=500, blank=True)
    administrative_fine = models.BooleanField(_("administrative fine in the year"), default=False)
    fine_note = models.TextField(_("fine decision"), blank=True)
    size_class = models.CharField(_("size class"), max_length=10, choices=SizeClass.choices, blank=True)
    size_basis = models.CharField(_("size class basis"), max_length=255, blank=True)
    self_note = models.TextField(_("organisation's note"), blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-year", "organisation__name_sort"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_assessment_per_year"),
        ]
        indexes = [
            models.Index(fields=["year", "state", "band"], name="assessment_year_state_band"),
            # The oldest rating waiting at an officer's step, read in date order (the menu's review queues,
            # hoptac.desk.tallies): only the ratings waiting are indexed.
            models.Index(
                fields=["year", "submitted_at"],
                condition=models.Q(state="submitted"),
                name="assessment_waiting_submitted",
            ),
            models.Index(
                fields=["state", "year", "reviewed_at"],
                condition=models.Q(state__in=["reviewed", "reopened"]),
                name="assessment_waiting_reviewed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.year}"

    def clean(self):
        from . import errors

        if self.band and self.state != AssessmentState.APPROVED:
            raise ValidationError({"band": errors.WRONG_STATE % {"state": self.get_state_display()}})


class CriterionScore(ScopedModel):
    """The points of one leaf criterion in one assessment: self-score, proposal from the data and
    official score (with the reason when it differs from the self-score)."""

    scope = Assessment.scope.via("assessment")

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="scores"
    )
    self_points = _points(_("self-score"))
    self_note = models.TextField(_("evidence note"), blank=True)
    proposed_points = _points(_("proposed from the data"))
    metric_value = models.DecimalField(
        _("figure used"), max_digits=22, decimal_places=2, null=True, blank=True
    )
    official_points = _points(_("official score"))
    change_reason = models.TextField(_("reason for the change"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        ordering = ["assessment", "criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="one_score_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} — {self.criterion.code}"


class EvidenceStorage(FileSystemStorage):
    """Evidence files under MEDIA_ROOT. They are served only through the scoped download view, never as
    public media (no URL pattern serves MEDIA_URL)."""


def evidence_storage() -> FileSystemStorage:
    return _EVIDENCE_STORAGE


_EVIDENCE_STORAGE = EvidenceStorage()

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def evidence_path(instance: "Evidence", filename: str) -> str:
    extension = Path(filename).suffix.lower()
    return (
        f"scoring/evidence/{instance.assessment.year}/{instance.assessment_id}/{uuid.uuid4().hex}{extension}"
    )


class Evidence(ScopedModel):
    """A file attached to an assessment, for one criterion or for the whole assessment (e.g. the fine
    decision or the survey minutes)."""

    scope = Assessment.scope.via("assessment")

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="evidence"
    )
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("criterion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to=evidence_path, storage=evidence_storage, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    description = models.CharField(_("description"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["assessment", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class AssessmentEvent(ScopedModel):
    """One step of the workflow: who did what, when, from which step to which, and why."""

    scope = Assessment.scope.via("assessment")

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=10, choices=EventAction.choices)
    from_state = models.CharField(_("from"), max_length=12, choices=AssessmentState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=12, choices=AssessmentState.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")
        ordering = ["assessment", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.get_action_display()}"


# What a survey records (the form, the API and the service that saves it).
SURVEY_FIELDS = [
    "conducted_on",
    "method",
    "members_asked",
    "respondents",
    "satisfied",
    "partly_satisfied",
    "not_satisfied",
    "main_opinions",
]


class SatisfactionSurvey(VersionedModel, ScopedModel):
    """The members' satisfaction survey that opens TT 09/2017's yearly procedure (step 1) and feeds
    its criterion 6: who was asked, who answered, and what they answered."""

    scope = Organisation.scope.via("organisation")

    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="satisfaction_surveys",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    conducted_on = models.DateField(_("conducted on"))
    method = models.CharField(
        _("how it was done"), max_length=255, blank=True, help_text=_("e.g. questionnaire, members' meeting")
    )
    members_asked = models.PositiveIntegerField(_("members asked"))
    respondents = models.PositiveIntegerField(_("members who answered"))
    satisfied = models.PositiveIntegerField(_("satisfied"))
    partly_satisfied = models.PositiveIntegerField(_("partly satisfied"))
    not_satisfied = models.PositiveIntegerField(_("not satisfied"))
    main_opinions = models.TextField(_("main opinions"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("member satisfaction survey")
        verbose_name_plural = _("member satisfaction surveys")
        ordering = ["organisation", "-year"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="one_survey_per_year")]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.year}"

    @property
    def satisfied_pct(self) -> Decimal | None:
        if not self.respondents:
            return None
        return (Decimal(self.satisfied) / self.respondents * 100).quantize(Decimal("0.1"))

    @property
    def response_pct(self) -> Decimal | None:
        if not self.members_asked:
            return None
        return (Decimal(self.respondents) / self.members_asked * 100).quantize(Decimal("0.1"))

    def clean(self):
        from . import errors

        problems = {}
        if None not in (self.respondents, self.satisfied, self.partly_satisfied, self.not_satisfied) and (
            self.satisfied + self.partly_satisfied + self.not_satisfied != self.respondents
        ):
            problems["respondents"] = errors.SURVEY_SUM
        if (
            self.respondents is not None
            and self.members_asked is not None
            and self.respondents > self.members_asked
        ):
            problems["members_asked"] = errors.SURVEY_MORE_RESPONDENTS
        if (
            self.conducted_on
            and self.year
            and not (
                datetime.date(self.year, 1, 1) <= self.conducted_on <= datetime.date(self.year + 1, 3, 31)
            )
        ):
            problems["conducted_on"] = errors.SURVEY_DATE
        if problems:
            raise ValidationError(problems)
