"""Plans as data: a plan file (YAML) loaded by `manage.py load_data plans` becomes these rows. Targets keep a
declarative indicator (JSON) that hoptac/plans/indicators.py computes from the registry; nothing is typed in
except qualitative assessments."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hoptac.areas.models import AdminMap, AdminUnit
from hoptac.core.formatting import format_date

from .choices import Comparator, IndicatorKind, TargetStatus


class Plan(models.Model):
    code = models.SlugField(_("code"), max_length=80, unique=True)
    number = models.CharField(_("document number"), max_length=60)
    title = models.TextField(_("title"))
    short_title = models.CharField(_("short title"), max_length=255)
    issued_on = models.DateField(_("issued on"))
    issuer = models.CharField(_("issuer"), max_length=255)
    signer = models.CharField(_("signer"), max_length=120, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=255, blank=True)
    implements = models.JSONField(_("documents implemented"), default=list, blank=True)
    scope_map = models.CharField(_("scope map"), max_length=10, choices=AdminMap.choices)
    scope_areas = models.ManyToManyField(AdminUnit, verbose_name=_("scope areas"), related_name="plans")
    scope_description = models.TextField(_("scope"), blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    max_missing_share = models.FloatField(
        _("largest share of missing data still evaluated"),
        default=0.25,
        help_text=_(
            "Above this share of organisations without the data needed, the status is 'not enough data'."
        ),
    )
    source_file = models.CharField(_("source file"), max_length=255, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True)
    document = models.JSONField(_("plan file content"), default=dict)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-issued_on", "code"]

    def __str__(self) -> str:
        return f"{self.number} — {self.short_title}"


class PlanSection(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(_("code"), max_length=30)
    title = models.TextField(_("title"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("plan section")
        verbose_name_plural = _("plan sections")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="unique_section_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class Target(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    section = models.ForeignKey(PlanSection, on_delete=models.PROTECT, related_name="targets")
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("short name"), max_length=255)
    text = models.TextField(_("text of the plan"), help_text=_("Quoted exactly as the plan states it."))
    deadline_year = models.PositiveSmallIntegerField(_("deadline year"))
    kind = models.CharField(_("indicator kind"), max_length=20, choices=IndicatorKind.choices)
    indicator = models.JSONField(_("indicator"))
    comparator = models.CharField(_("comparator"), max_length=10, choices=Comparator.choices, blank=True)
    value = models.FloatField(_("target value"), null=True, blank=True)
    value_max = models.FloatField(_("upper bound"), null=True, blank=True)
    tolerance = models.FloatField(_("tolerance"), null=True, blank=True)
    # One-sided tolerances of "about": a side left empty takes `tolerance`, or is unbounded without it.
    tolerance_below = models.FloatField(_("tolerance below"), null=True, blank=True)
    tolerance_above = models.FloatField(_("tolerance above"), null=True, blank=True)
    scaled_from = models.JSONField(
        _("scaled from"),
        default=dict,
        blank=True,
        help_text=_("The national (or other) figure the target value is derived from, and the factor used."),
    )
    data_needed = models.TextField(
        _("data that would make it measurable"),
        blank=True,
        help_text=_("For a qualitative target: which data, once collected, would let it be computed."),
    )
    strict = models.BooleanField(_("strictly above/below"), default=False)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    interpretation = models.TextField(_("interpretation"), blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="unique_target_code")]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"

    @property
    def is_percentage(self) -> bool:
        return self.kind in (IndicatorKind.SHARE, IndicatorKind.PER_CAPITA)

    def reference_still_missing(self) -> "ReferenceSeries | None":
        """The plan's reference series this target divides by when it has no value yet (the card says which
        figure is missing and who supplies it)."""
        if self.kind != IndicatorKind.PER_CAPITA:
            return None
        return ReferenceSeries.objects.filter(
            plan_id=self.plan_id, code=self.indicator.get("reference", ""), values__isnull=True
        ).first()


class PlanTask(models.Model):
    """A task the plan assigns. Held as the plan file states it; follow-up is another app's work."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(
        PlanSection, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    code = models.CharField(_("code"), max_length=30)
    text = models.TextField(_("text of the plan"))
    lead_agency = models.CharField(_("lead agency"), max_length=255, blank=True)
    cooperating_agencies = models.JSONField(_("co-operating agencies"), default=list, blank=True)
    assignment_known = models.BooleanField(
        _("assignment stated in the plan"),
        default=False,
        help_text=_("False when the plan text available does not say who leads: an officer assigns it."),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    recurrence = models.JSONField(_("recurrence"), default=dict, blank=True)
    expected_output = models.TextField(_("expected output"), blank=True)
    targets = models.ManyToManyField(
        Target, verbose_name=_("targets moved"), blank=True, related_name="tasks"
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("plan task")
        verbose_name_plural = _("plan tasks")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="unique_task_code")]

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:80]}"


class ReferenceSeries(models.Model):
    """Reference data a ratio target divides by (e.g. population by area and year), owned by the plan whose
    file declares it: two plans may each have a series with the same code, and loading one never changes the
    other's figures (docs/decisions/0016-reference-data-per-plan.md). A series may be declared as still to
    be supplied (`supplier`): its targets then say which figure is missing and who supplies it."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="reference_series", verbose_name=_("plan")
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=255)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    source = models.TextField(_("source"))
    source_date = models.DateField(_("date of the source"), null=True, blank=True)
    supplier = models.CharField(
        _("supplied by"),
        max_length=255,
        blank=True,
        help_text=_("Who must supply the values the plan file does not have yet."),
    )

    class Meta:
        verbose_name = _("reference series")
        verbose_name_plural = _("reference series")
        ordering = ["plan", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="unique_reference_series_code")]

    def __str__(self) -> str:
        return self.name


class ReferenceValue(models.Model):
    """One value of a series for an area and a year: from the plan file (`entered_by` empty) or entered by
    a provincial officer on the reference page or the API (services.reference_value_enter; history kept)."""

    series = models.ForeignKey(ReferenceSeries, on_delete=models.CASCADE, related_name="values")
    area = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="reference_values")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.FloatField(_("value"))
    source = models.TextField(_("source of this value"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reference value")
        verbose_name_plural = _("reference values")
        ordering = ["series", "area", "year"]
        constraints = [
            models.UniqueConstraint(fields=["series", "area", "year"], name="unique_reference_value"),
        ]

    def __str__(self) -> str:
        return f"{self.series} — {self.area} — {self.year}: {self.value:g}"


class QualitativeAssessment(models.Model):
    """An officer's assessment of a qualitative target at a date, with a note."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="assessments")
    as_of = models.DateField(_("as of"))
    status = models.CharField(_("status"), max_length=20, choices=TargetStatus.choices)
    note = models.TextField(_("note"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name=_("assessed by")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("qualitative assessment")
        verbose_name_plural = _("qualitative assessments")
        ordering = ["target", "-as_of", "-created_at"]

    def __str__(self) -> str:
        return f"{self.target.code} — {format_date(self.as_of)}: {self.get_status_display()}"


class PlanPoint(models.Model):
    """The computed figures of a plan's numeric targets at one point of its series (year, as_of): durable
    yearly points (hoptac/plans/points.py, docs/decisions/0050-durable-plan-points.md). A row is read instead
    of computing only while `clock` equals the current clock of its year (hoptac.core.dataversion
    .year_clocks) and `engine` the fingerprint of the engine's code; otherwise it is computed again and
    replaced. Derived from the data, not data: writing it does not raise the data version nor the clock."""

    derived_figures = True

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    as_of = models.DateField()
    provisional = models.BooleanField(default=False)
    engine = models.CharField(max_length=64)
    clock = models.BigIntegerField()
    # {target pk: {"spec": digest of the target's kind and indicator, "measure": the Measure's fields}}
    measures = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "year", "as_of", "provisional"], name="one_plan_point"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.year} {self.as_of}"
