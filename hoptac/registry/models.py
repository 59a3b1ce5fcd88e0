"""The registry: organisations of the collective economy, their legal status over time and their
yearly operating data. Every change is kept by django-simple-history (who, when, what)."""

import datetime
import re
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hoptac.accounts import roles
from hoptac.areas.models import AdminMap, AdminUnit, Level
from hoptac.areas.selectors import commune_ids_within
from hoptac.core.concurrency import VersionedModel
from hoptac.core.formatting import format_date
from hoptac.core.models import TallyCells
from hoptac.core.review import ReviewedModel
from hoptac.core.scoping import Scope, ScopedModel, ScopedQuerySet
from hoptac.core.text import fold, sort_key

from .choices import EXISTING_STATUSES, LegalStatus, OrganisationKind, Sector, SubSector

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TAX_CODE_RE = re.compile(r"\d{10}(-\d{3})?")


def _money(label: "StrOrPromise", **kwargs: Any) -> models.DecimalField:
    """An amount in đồng (integer, up to 10^18)."""
    return models.DecimalField(label, max_digits=18, decimal_places=0, null=True, blank=True, **kwargs)


def search_condition(text: str, *, prefix: str = "") -> Q | None:
    """A Q over Organisation fields (with `prefix`, e.g. "organisation__") finding `text` in the folded name
    (without accents: "hop tac xa" finds "Hợp tác xã"), the registration code or the tax code; None when
    there is nothing to search for."""
    folded = fold(text)
    if not folded:
        return None
    code = text.strip()
    return (
        Q(**{f"{prefix}name_folded__contains": folded})
        | Q(**{f"{prefix}registration_code__icontains": code})
        | Q(**{f"{prefix}tax_code__icontains": code})
    )


def area_condition(unit: AdminUnit, *, prefix: str = "") -> Q:
    """A Q over Organisation fields (with `prefix`, e.g. "organisation__") for the organisations located in
    `unit` (a province, district or commune of either map), read on the map the unit belongs to."""
    ids = commune_ids_within([unit])
    field = "commune_legacy__in" if unit.map == AdminMap.LEGACY else "commune_current__in"
    return Q(**{f"{prefix}{field}": ids})


def status_in_force_q(day: datetime.date, *, prefix: str = "") -> Q:
    """A Q over StatusChange fields (with `prefix`, e.g. "status_changes__") for the one change in force on
    `day`: the change whose period [effective_from, effective_to) holds the day. Periods of one organisation
    never overlap (`one_status_per_day`; `effective_to` is the next change's `effective_from`, kept by
    status_periods_refresh), so an organisation joins at most one such row: "status on a day" is a plain
    join, set-based in SQL, instead of a correlated subquery per organisation (docs/decisions/0036)."""
    return Q(**{f"{prefix}effective_from__lte": day}) & (
        Q(**{f"{prefix}effective_to__isnull": True}) | Q(**{f"{prefix}effective_to__gt": day})
    )


class OrganisationQuerySet(ScopedQuerySet["Organisation"]):
    def with_status_on(self, day: datetime.date) -> "OrganisationQuerySet":
        """Annotate `status_on`: the legal status in force on `day` (None before the first record) — one
        LEFT JOIN to the change whose period holds the day (`status_in_force_q`)."""
        alias = f"status_period_{day:%Y%m%d}"
        # Already joined for this day (the registry's status and "as of" filters both ask): reuse the join
        # (Django keeps a queryset's FilteredRelations in Query._filtered_relations, which the stubs omit).
        if alias in getattr(self.query, "_filtered_relations", {}):
            return self.annotate(status_on=models.F(f"{alias}__status"))
        return self.annotate(
            **{
                alias: models.FilteredRelation(
                    "status_changes", condition=status_in_force_q(day, prefix="status_changes__")
                )
            },
            status_on=models.F(f"{alias}__status"),
        )

    def existing_on(self, day: datetime.date) -> "OrganisationQuerySet":
        """Organisations on the books on `day`: founded by then and not (yet) dissolved."""
        # `status_on` is the annotation with_status_on() adds; django-stubs checks lookups against the model's
        # fields only once an annotation has passed through a method returning this queryset class.
        return self.with_status_on(day).filter(status_on__in=EXISTING_STATUSES)  # type: ignore[misc]

    def search(self, text: str) -> "OrganisationQuerySet":
        condition = search_condition(text)
        return self if condition is None else self.filter(condition)

    def in_area(self, unit: AdminUnit | None) -> "OrganisationQuerySet":
        """Organisations located in `unit` (every organisation when None)."""
        return self if unit is None else self.filter(area_condition(unit))


class Organisation(VersionedModel, ScopedModel):
    kind = models.CharField(_("kind"), max_length=10, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    registration_code = models.CharField(_("registration code"), max_length=30, blank=True, db_index=True)
    tax_code = models.CharField(_("tax code"), max_length=20, blank=True, db_index=True)
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    founding_date = models.DateField(_("founding date"))
    registering_office = models.CharField(_("registering office"), max_length=255, blank=True)

    address = models.CharField(_("address (street, hamlet)"), max_length=255, blank=True)
    commune_legacy = models.ForeignKey(
        AdminUnit,
        verbose_name=_("commune (map before 1/7/2025)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations_legacy",
        limit_choices_to={"map": AdminMap.LEGACY, "level": Level.COMMUNE},
    )
    commune_current = models.ForeignKey(
        AdminUnit,
        verbose_name=_("commune (map from 1/7/2025)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations_current",
        limit_choices_to={"map": AdminMap.CURRENT, "level": Level.COMMUNE},
    )

    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    sub_sector = models.CharField(_("sub-sector"), max_length=20, choices=SubSector.choices, blank=True)

    representative_name = models.CharField(_("legal representative"), max_length=120, blank=True)
    representative_title = models.CharField(_("representative's title"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    charter_capital = _money(_("charter capital (VND)"))

    union = models.ForeignKey(
        "self",
        verbose_name=_("member of union (LHHTX)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member_cooperatives",
        limit_choices_to={"kind": OrganisationKind.LHHTX},
    )
    converted_from = models.ForeignKey(
        "self",
        verbose_name=_("formed from cooperative group (THT)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="converted_to",
        limit_choices_to={"kind": OrganisationKind.THT},
    )
    notes = models.TextField(_("notes"), blank=True)

    current_status = models.CharField(
        _("current legal status"),
        max_length=20,
        choices=LegalStatus.choices,
        default=LegalStatus.ACTIVE,
        editable=False,
    )
    name_folded = models.CharField(max_length=255, editable=False, db_index=True)
    name_sort = models.CharField(max_length=800, editable=False, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["name_folded", "name_sort", "created_at", "updated_at"])
    # django-stubs cannot type a manager from `as_manager()` that replaces the base model's (typeddjango/
    # django-stubs#1713): the manager is a Manager over OrganisationQuerySet, a ScopedQuerySet, which
    # hoptac.core.scoping recognises as scoped; the plugin still types Organisation.objects correctly.
    objects = OrganisationQuerySet.as_manager()  # type: ignore[misc, assignment]
    scope = Scope(
        roles.organisation_reach,
        {"communes": ("commune_legacy", "commune_current"), "organisations": ("pk",)},
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_sort", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration_code"],
                condition=~Q(registration_code=""),
                name="unique_registration_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        super().save(*args, **kwargs)

    def fill_derived_fields(self) -> None:
        """The folded search column and the Vietnamese sort key (bulk writes call it; save() does too)."""
        self.name_folded = fold(f"{self.name} {self.short_name}")
        self.name_sort = sort_key(self.name)[:800]

    @property
    def commune(self) -> AdminUnit | None:
        return self.commune_current or self.commune_legacy

    def clean(self):
        from .errors import (
            COMMUNE_REQUIRED,
            COMMUNE_WRONG_MAP,
            CONVERTED_FROM_NOT_THT,
            DATE_BEFORE_1945,
            EARLIEST_DATE,
            FUTURE_DATE,
            NEGATIVE_AMOUNT,
            REGISTRATION_BEFORE_FOUNDING,
            SUB_SECTOR_ONLY_AGRICULTURE,
            TAX_CODE_FORMAT,
            UNION_NOT_LHHTX,
            UNION_ONLY_FOR_HTX,
        )
        from .validators import registration_code_errors

        errors: dict[str, Any] = {}
        today = timezone.localdate()
        if not self.commune_legacy_id and not self.commune_current_id:
            errors["commune_legacy"] = COMMUNE_REQUIRED
        if self.commune_legacy_id and (
            self.commune_legacy is None
            or self.commune_legacy.map != AdminMap.LEGACY
            or self.commune_legacy.level != Level.COMMUNE
        ):
            errors["commune_legacy"] = COMMUNE_WRONG_MAP
        if self.commune_current_id and (
            self.commune_current is None
            or self.commune_current.map != AdminMap.CURRENT
            or self.commune_current.level != Level.COMMUNE
        ):
            errors["commune_current"] = COMMUNE_WRONG_MAP
        if self.sub_sector and self.sector != Sector.AGRICULTURE:
            errors["sub_sector"] = SUB_SECTOR_ONLY_AGRICULTURE
        if self.union is not None:
            if self.union.kind != OrganisationKind.LHHTX:
                errors["union"] = UNION_NOT_LHHTX
            elif self.kind not in (OrganisationKind.HTX, OrganisationKind.QTDND):
                errors["union"] = UNION_ONLY_FOR_HTX
        if self.converted_from is not None and self.converted_from.kind != OrganisationKind.THT:
            errors["converted_from"] = CONVERTED_FROM_NOT_THT
        if self.tax_code and not TAX_CODE_RE.fullmatch(self.tax_code):
            errors["tax_code"] = TAX_CODE_FORMAT
        if self.founding_date and self.founding_date > today:
            errors["founding_date"] = FUTURE_DATE
        elif self.founding_date and self.founding_date < EARLIEST_DATE:
            errors["founding_date"] = DATE_BEFORE_1945
        if self.charter_capital is not None and self.charter_capital < 0:
            errors["charter_capital"] = NEGATIVE_AMOUNT
        code_errors = registration_code_errors(self.kind, self.registration_code)
        if code_errors:
            errors["registration_code"] = code_errors
        if self.registration_date and self.registration_date > today:
            errors["registration_date"] = FUTURE_DATE
        if self.registration_date and self.founding_date and self.registration_date < self.founding_date:
            errors["registration_date"] = REGISTRATION_BEFORE_FOUNDING
        if errors:
            raise ValidationError(errors)


class StatusChange(ScopedModel):
    """One step in an organisation's legal-status history: from `effective_from` (inclusive) the
    organisation has `status` until the next step."""

    scope = Organisation.scope.via("organisation")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(_("legal status"), max_length=20, choices=LegalStatus.choices)
    effective_from = models.DateField(_("effective from"))
    # The day the next status takes effect (exclusive), kept by status_periods_refresh(); None for the status
    # in force now. It lets "status on day D" be a plain join instead of a correlated subquery.
    effective_to = models.DateField(
        _("effective until"), null=True, blank=True, editable=False, db_index=True
    )
    decision = models.CharField(_("decision / document"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords(excluded_fields=["effective_to"])

    class Meta:
        verbose_name = _("legal status change")
        verbose_name_plural = _("legal status changes")
        ordering = ["organisation", "effective_from", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "effective_from"], name="one_status_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_status_display()} ({format_date(self.effective_from)})"


def status_periods_refresh(organisation_ids=None) -> None:
    """Recompute `effective_to` (the next change's `effective_from`) for the organisations given, or all."""
    following = (
        StatusChange.objects.filter(
            organisation=models.OuterRef("organisation"), effective_from__gt=models.OuterRef("effective_from")
        )
        .order_by("effective_from")
        .values("effective_from")[:1]
    )
    changes = StatusChange.objects.all()
    if organisation_ids is not None:
        changes = changes.filter(organisation_id__in=list(organisation_ids))
    changes.update(effective_to=models.Subquery(following))


class YearlyReportState(models.TextChoices):
    """The yearly data's way from the organisation to the commune office: the representative (or an officer
    on their behalf) submits, the commune officer accepts or returns it; an accepted year is locked."""

    DRAFT = "draft", _("Draft, not submitted")
    SUBMITTED = "submitted", _("Submitted, waiting for the commune's review")
    RETURNED = "returned", _("Returned for corrections")
    ACCEPTED = "accepted", _("Accepted, locked")


def _count(label: "StrOrPromise") -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, default=0)


def _flag(label: "StrOrPromise") -> models.BooleanField:
    return models.BooleanField(label, default=False)


# The members an organisation reports, by kind: official members, then associate members (the totals
# below, the plans' "members" figure).
OFFICIAL_MEMBER_FIELDS = ["official_individuals", "official_households", "official_legal_entities"]
ASSOCIATE_MEMBER_FIELDS = ["associate_individuals", "associate_households", "associate_legal_entities"]
MEMBER_FIELDS = [*OFFICIAL_MEMBER_FIELDS, *ASSOCIATE_MEMBER_FIELDS]
# The yearly figures an organisation reports (forms, API, the review diff).
YEARLY_DATA_FIELDS = [
    *MEMBER_FIELDS,
    "workers",
    "revenue",
    "profit",
    "total_assets",
    "equity",
    "average_worker_income",
    "enterprise_link",
    "in_value_chain",
    "value_chain_partner",
    "high_tech",
    "traceability",
    "ocop_products",
    "ocop_max_stars",
    "accounting_software",
    "e_invoice",
    "e_commerce",
    "has_website",
    "state_support",
    "state_support_amount",
    "state_support_note",
]


# The yearly data are due by 15 December of their year (TT 09/2024/TT-BKHĐT Điều 6); due soon within this
# many days (the tasks' window, hoptac.tasks.rules.DUE_SOON_DAYS).
YEARLY_DATA_DUE = (12, 15)
YEARLY_DATA_SOON_DAYS = 14


class YearlyReport(ReviewedModel):
    """Yearly operating data an organisation owes by 15/12 (TT 09/2024/TT-BKHĐT Điều 6)."""

    scope = Organisation.scope.via("organisation")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="yearly_reports"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    # Members by type.
    official_individuals = _count(_("official members: individuals"))
    official_households = _count(_("official members: households"))
    official_legal_entities = _count(_("official members: legal entities"))
    associate_individuals = _count(_("associate members: individuals"))
    associate_households = _count(_("associate members: households"))
    associate_legal_entities = _count(_("associate members: legal entities"))
    workers = _count(_("workers"))
    # Finances (VND).
    revenue = _money(_("revenue (VND)"))
    profit = _money(_("profit before tax (VND)"))
    total_assets = _money(_("total assets (VND)"))
    equity = _money(_("equity (VND)"))
    average_worker_income = _money(_("average worker income (VND/person/year)"))
    # Development indicators.
    enterprise_link = _flag(_("linked with enterprises"))
    in_value_chain = _flag(_("in a value chain"))
    value_chain_partner = models.CharField(_("value-chain partner"), max_length=255, blank=True)
    high_tech = _flag(_("applies high technology"))
    traceability = _flag(_("product traceability"))
    ocop_products = _count(_("OCOP products"))
    ocop_max_stars = models.PositiveSmallIntegerField(
        _("highest OCOP stars"), default=0, validators=[MaxValueValidator(5)]
    )
    accounting_software = _flag(_("uses accounting software"))
    e_invoice = _flag(_("uses e-invoices"))
    e_commerce = _flag(_("sells through e-commerce"))
    has_website = _flag(_("has a website"))
    state_support = _flag(_("received state support"))
    state_support_amount = _money(_("state support amount (VND)"))
    state_support_note = models.CharField(_("state support details"), max_length=255, blank=True)
    # The day the data reached the commune: set by the first submission, or typed by an officer for data
    # brought on paper (ReviewedModel keeps a date and time; the yearly data keep the day).
    submitted_at = models.DateField(_("submitted on"), null=True, blank=True)
    # Submit → review → accept (registry/workflow.py). Rows that existed before the workflow were taken as
    # accepted (migration 0003).
    state = ReviewedModel.state_field(YearlyReportState)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("yearly report")
        verbose_name_plural = _("yearly reports")
        # No default ordering: "organisation" ordered by the organisation's name, a join to the registry in every
        # query of yearly reports, subqueries and counts included (issue 15). Lists say their order
        # (selectors.yearly_report_list, tables.YearlyReportTable, the admin).
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="one_report_per_year")]
        # The years present, newest first, without reading every row (the yearly list's pages by year,
        # hoptac.core.keyset).
        # The oldest submission waiting for review, read in date order (the menu's review queue,
        # hoptac.desk.tallies): only the submitted rows are indexed.
        indexes = [
            models.Index(fields=["year"], name="registry_yearly_year_idx"),
            models.Index(
                fields=["submitted_at"],
                condition=models.Q(state="submitted"),
                name="registry_yearly_waiting_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.year}"

    @property
    def official_members(self) -> int:
        return self.official_individuals + self.official_households + self.official_legal_entities

    @property
    def associate_members(self) -> int:
        return self.associate_individuals + self.associate_households + self.associate_legal_entities

    @property
    def total_members(self) -> int:
        return self.official_members + self.associate_members

    @property
    def due(self) -> datetime.date:
        return datetime.date(self.year, *YEARLY_DATA_DUE)

    def deadline_state(self, today: datetime.date | None = None) -> str:
        """Where data still to be sent stand against their due day: "overdue", "due_soon" or "" (sent, or
        not due soon); the tones of the badges `due-…` (css/app.css)."""
        if self.state not in (YearlyReportState.DRAFT, YearlyReportState.RETURNED):
            return ""
        today = today or timezone.localdate()
        if today > self.due:
            return "overdue"
        if (self.due - today).days <= YEARLY_DATA_SOON_DAYS:
            return "due_soon"
        return ""

    @property
    def period_end(self) -> datetime.date:
        return datetime.date(self.year, 12, 14)

    def clean(self):
        from .errors import FUTURE_YEAR, OCOP_STARS_WITHOUT_PRODUCTS, PROFIT_ABOVE_REVENUE

        errors: dict[str, Any] = {}
        if self.year and self.year > timezone.localdate().year:
            errors["year"] = FUTURE_YEAR
        if self.ocop_max_stars and not self.ocop_products:
            errors["ocop_max_stars"] = OCOP_STARS_WITHOUT_PRODUCTS
        if self.profit is not None and self.revenue is not None and self.profit > self.revenue:
            errors["profit"] = PROFIT_ABOVE_REVENUE
        if errors:
            raise ValidationError(errors)


class ReportTally(TallyCells):
    """How many yearly reports of one `state` and `year` belong to organisations of one pair of communes, in
    every state (the cells: `TallyCells`). Kept exact by database triggers on the reports and on the
    organisations, in the writing transaction (hoptac.registry.tallies, docs/decisions/0056-report-tally.md);
    read by the yearly data list's counts by year and the desk's queue of yearly data to review."""

    class Meta:
        verbose_name = _("yearly report tally")
        verbose_name_plural = _("yearly report tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["state", "year", "commune_legacy", "commune_current"], name="one_report_tally"
            ),
            models.CheckConstraint(condition=Q(n__gte=0), name="report_tally_not_negative"),
        ]
