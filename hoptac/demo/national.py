"""A national registry from a fixed seed: every province of today's map (or those asked for), its
organisations on both maps, their status histories, yearly data 2020–2026, ratings, officers and a plan per
province (issue 15, docs/decisions/0034-national-generator.md).

The same seed, size and provinces give the same data. The building blocks are the Nam Định demo's
(hoptac/demo/registry.py: profiles, members, yearly figures, names of people; hoptac/demo/scoring.py: the
quality behind a rating, the bands' mix and score ranges); what is national is the composition below, the
spread over provinces and the bulk writes (core.history.copy_with_history: COPY on PostgreSQL).

Composition of `REFERENCE_SIZE` organisations, so that the 2024 totals on the books are the published ones
(Bộ NN 12/2024, domain brief §6: 33.335 HTX, 152 LHHTX, 63.650 THT); people's credit funds are about 1.180
(State Bank figures; the registry tracks them as their own kind). Other sizes scale every group in proportion.
"""

import datetime
import math
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from string import Template
from typing import TypeVar

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from hoptac.accounts.models import Role, User
from hoptac.areas.models import MAP_SWITCH_DATE, AdminMap, AdminUnit, CommuneSuccession, Level
from hoptac.areas.services import admin_units_load, province_codes_available
from hoptac.core.datafiles import load, load_shipped
from hoptac.core.history import copy_with_history
from hoptac.core.text import fold
from hoptac.registry.choices import LegalStatus, OrganisationKind, Sector, SubSector
from hoptac.registry.models import Organisation, StatusChange, YearlyReport, YearlyReportState
from hoptac.scoring import engine, selectors
from hoptac.scoring.choices import SCORE_BANDS, AssessmentState, Band
from hoptac.scoring.models import Assessment
from hoptac.tasks.services import periods_refresh

from .registry import (
    _ADOPTION,
    DEMO_PASSWORD,
    HTX_TYPES,
    THT_ACTIVITIES,
    _agri_sub,
    _decision,
    _link_weight,
    _non_agri,
    _ocop_weight,
    _person,
    _phone,
    _Plan,
    _profile,
    _progressive,
    _Rand,
    _tech_weight,
    _tht_sector,
    _yearly_report,
)
from .scoring import BAND_MIX, PROGRESS_2025, SCORE_RANGES, _quality

D = datetime.date
_K = TypeVar("_K", bound=str)
NATIONAL_SEED = 2025
REFERENCE_SIZE = 100_000
NATIONAL_PASSWORD = DEMO_PASSWORD
YEARS = range(2020, 2027)
RATED_YEARS = range(2020, 2026)  # approved; the 2026 evaluation is in progress
IN_PROGRESS_YEAR = 2026
# Generated dates never go past this day (nor past today): a seed gives the same data on any later day.
HORIZON = D(2026, 11, 30)
REASON = "Sinh dữ liệu quốc gia (generate_national)"
PLAN_TEMPLATE = "province-plan.yaml"  # in hoptac/demo/data/, filled per province (string.Template)
AGENCIES_TEMPLATE = "province-agencies.yaml"  # the agencies that lead the plan's tasks, likewise
COMMUNE_OFFICERS = 2  # per province, besides the province officer
# The whole country's reader: a provincial officer naming no area (decision 0043) reaches every province.
NATIONAL_READER = "quocgia"
NATIONAL_READER_NAME = "Cán bộ theo dõi toàn quốc"

# (kind, fate) → organisations among REFERENCE_SIZE. "books": on the books at end-2024 (some end later);
# "ended": dissolved in 2020–2024; "new": founded in 2025–2026.
COMPOSITION: dict[tuple[str, str], int] = {
    (OrganisationKind.HTX, "books"): 33_335,
    (OrganisationKind.LHHTX, "books"): 152,
    (OrganisationKind.THT, "books"): 63_650,
    (OrganisationKind.QTDND, "books"): 1_180,
    (OrganisationKind.HTX, "ended"): 700,
    (OrganisationKind.THT, "ended"): 450,
    (OrganisationKind.HTX, "new"): 380,
    (OrganisationKind.THT, "new"): 153,
}
# Members at end-2024 (Bộ NN 12/2024): HTX over 5,8 million, THT 944.587.
MEMBERS_2024 = {OrganisationKind.HTX: 5_800_000, OrganisationKind.THT: 944_587}
# Share of the HTX reporting a year that carry an indicator (national press figures: about a quarter of
# agricultural HTX linked with enterprises; NQ 20 aims at over 5.000 high-tech HTX by 2030).
INDICATOR_SHARES = {
    "enterprise_link": {2020: 0.15, 2021: 0.17, 2022: 0.19, 2023: 0.21, 2024: 0.23, 2025: 0.25, 2026: 0.27},
    "in_value_chain": {2020: 0.07, 2021: 0.08, 2022: 0.09, 2023: 0.11, 2024: 0.12, 2025: 0.14, 2026: 0.15},
    "high_tech": {2020: 0.04, 2021: 0.05, 2022: 0.06, 2023: 0.07, 2024: 0.08, 2025: 0.09, 2026: 0.10},
    "ocop": {2020: 0.03, 2021: 0.04, 2022: 0.05, 2023: 0.06, 2024: 0.07, 2025: 0.08, 2026: 0.09},
}
# Bands of the years the Nam Định demo does not cover.
BANDS = {
    2020: {Band.GOOD: 0.10, Band.FAIR: 0.32, Band.AVERAGE: 0.40, Band.WEAK: 0.18},
    2021: {Band.GOOD: 0.11, Band.FAIR: 0.33, Band.AVERAGE: 0.39, Band.WEAK: 0.17},
    **BAND_MIX,
    2025: {Band.GOOD: 0.19, Band.FAIR: 0.41, Band.AVERAGE: 0.30, Band.WEAK: 0.10},
}


class NationalError(Exception):
    """The national data cannot be generated (e.g. the registry is not empty)."""


@dataclass
class NationalResult:
    organisations: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    status_changes: int = 0
    reports: int = 0
    assessments: int = 0
    users: int = 0
    plans: int = 0
    periods: int = 0
    provinces: int = 0
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds per step, in order


def composition(size: int) -> dict[tuple[str, str], int]:
    """How many organisations of each kind and fate make `size` (THT on the books take the rounding)."""
    counts = {key: round(value * size / REFERENCE_SIZE) for key, value in COMPOSITION.items()}
    books = (OrganisationKind.THT, "books")
    counts[books] = max(0, counts[books] + size - sum(counts.values()))
    return counts


def split(total: int, weights: Mapping[_K, float]) -> dict[_K, int]:
    """`total` spread over the keys in proportion to `weights` (largest remainders, ties by key)."""
    whole = sum(weights.values())
    shares = {key: total * w / whole for key, w in weights.items()}
    counts = {key: int(math.floor(share)) for key, share in shares.items()}
    left = total - sum(counts.values())
    for key in sorted(shares, key=lambda k: (counts[k] - shares[k], k))[:left]:
        counts[key] += 1
    return counts


# ---------------------------------------------------------------------------------------------
# Areas.


@dataclass
class _Place:
    legacy: int | None
    current: int
    name: str  # the commune's short name (the legacy one when the organisation is known on that map)
    kind: str  # "ward" or "rural"


@dataclass
class _Province:
    code: str
    unit: AdminUnit
    legacy: list[_Place]  # each legacy commune of the province with its default successor
    current: list[_Place]  # each current commune
    weight: float = 1.0


def ensure_prerequisites(codes: list[str]) -> None:
    """The administrative map of the provinces asked for (both maps), the scoring schemes and size classes,
    and the shipped plans, loaded when missing (each loader updates in place)."""
    present = set(
        AdminUnit.objects.filter(map=AdminMap.CURRENT, level=Level.PROVINCE, code__in=codes).values_list(
            "code", flat=True
        )
    )
    missing = [code for code in codes if code not in present]
    if missing:
        admin_units_load(province_codes=missing)
    load_shipped("scoring-schemes")
    load_shipped("size-classes")
    if AdminUnit.objects.filter(map=AdminMap.LEGACY, level=Level.PROVINCE, code="36").exists():
        load_shipped("plans")  # Plan 139 of former Nam Định is scoped to legacy province 36


def _provinces(codes: list[str], rnd: random.Random) -> list[_Province]:
    units = {
        u.code: u
        for u in AdminUnit.objects.filter(map=AdminMap.CURRENT, level=Level.PROVINCE, code__in=codes)
    }
    current = {}
    for pk, code, name, unit_type, province in AdminUnit.objects.filter(
        map=AdminMap.CURRENT, level=Level.COMMUNE, province__code__in=codes
    ).values_list("pk", "code", "short_name", "unit_type", "province__code"):
        current[pk] = (code, name, "ward" if unit_type == "Phường" else "rural", province)
    legacy_names = dict(
        AdminUnit.objects.filter(map=AdminMap.LEGACY, level=Level.COMMUNE).values_list("pk", "short_name")
    )
    successions = (
        CommuneSuccession.objects.filter(is_default=True, new_commune_id__in=list(current))
        .order_by("old_commune__code", "new_commune__code")
        .values_list("old_commune_id", "new_commune_id", "old_commune__unit_type")
    )
    provinces = {code: _Province(code, units[code], [], []) for code in sorted(units)}
    seen: set[int] = set()
    for old, new, unit_type in successions:
        if old in seen:
            continue
        seen.add(old)
        kind = "ward" if unit_type in ("Phường", "Thị trấn") else "rural"
        provinces[current[new][3]].legacy.append(_Place(old, new, legacy_names[old], kind))
    for pk, (_code, name, kind, province) in sorted(current.items(), key=lambda item: item[1][0]):
        provinces[province].current.append(_Place(None, pk, name, kind))
    result = [p for p in provinces.values() if p.current]
    for province in result:  # a population-like weight: the communes, times a fixed factor of the seed
        province.weight = len(province.current) * rnd.lognormvariate(0, 0.35)
    return result


# ---------------------------------------------------------------------------------------------
# Timelines.


def _registration(rnd: _Rand, kind: str, fate: str) -> tuple[D, str]:
    """The registration day and era ("converted" under the 1996 law, "old", "new") of one organisation."""
    r = rnd.r
    if fate == "new":
        return rnd.date(D(2025, 1, 3), HORIZON - datetime.timedelta(days=20)), "new"
    if kind == OrganisationKind.QTDND:
        return rnd.date(D(1994, 1, 10), D(2008, 12, 20)), "old"
    if kind == OrganisationKind.LHHTX:
        return rnd.date(D(2005, 1, 10), D(2024, 11, 30)), "new" if r.random() < 0.4 else "old"
    if kind == OrganisationKind.THT:
        if fate == "ended":
            return rnd.date(D(2012, 1, 10), D(2020, 6, 30)), "old"
        year = rnd.weighted({2016: 1, 2017: 1, 2018: 1.2, 2019: 1.5, 2020: 4, 2021: 2.4, 2022: 2.4, 2023: 2.2,
                             2024: 2.0})  # fmt: skip
        return rnd.date(D(year, 1, 10), D(year, 12, 20)), "new" if year >= 2020 else "old"
    if fate == "ended":
        return rnd.date(D(1997, 1, 15), D(2018, 12, 20)), "converted" if r.random() < 0.5 else "old"
    roll = r.random()
    if roll < 0.33:  # about 2.200 a year in 2020–2024
        return rnd.date(D(2020, 1, 10), D(2024, 11, 30)), "new"
    if roll < 0.63:
        return rnd.date(D(2000, 1, 10), D(2019, 12, 20)), "old"
    return rnd.date(D(1997, 1, 15), D(1999, 12, 20)), "converted"


def _timeline(rnd: _Rand, kind: str, fate: str) -> _Plan:
    r = rnd.r
    registration, era = _registration(rnd, kind, fate)
    founding = registration - datetime.timedelta(days=r.randint(3, 40))
    if era == "converted" and r.random() < 0.6:
        founding = rnd.date(D(1960, 1, 1), D(1990, 12, 31))
    plan = _Plan(kind, registration, founding, [(LegalStatus.ACTIVE, registration)], era)
    plan.after_switch = registration >= MAP_SWITCH_DATE

    def add(status: str, start: D, end: D) -> None:
        start = max(start, plan.last_status_date + datetime.timedelta(days=20))
        if start <= end:
            plan.statuses.append((status, rnd.date(start, end)))

    if fate == "ended":
        end = rnd.date(max(D(2020, 1, 10), registration + datetime.timedelta(days=400)), D(2024, 12, 20))
        if kind != OrganisationKind.THT:
            add(LegalStatus.DISSOLVING, end - datetime.timedelta(days=300), end - datetime.timedelta(days=30))
        plan.statuses.append(
            (LegalStatus.DISSOLVED, max(end, plan.last_status_date + datetime.timedelta(days=1)))
        )
        return plan
    if fate == "new" or kind in (OrganisationKind.QTDND, OrganisationKind.LHHTX):
        return plan
    roll = r.random()
    if kind == OrganisationKind.THT:
        if roll < 0.03:
            add(LegalStatus.DISSOLVED, D(2025, 1, 10), HORIZON)
        return plan
    old = registration < D(2013, 7, 1)
    if roll < 0.03:  # dissolved in 2025–2026, on the books at end-2024
        add(LegalStatus.DISSOLVING, D(2024, 3, 1), D(2024, 12, 20))
        add(LegalStatus.DISSOLVED, D(2025, 1, 10), HORIZON)
    elif roll < 0.04:
        add(LegalStatus.DISSOLVING, D(2024, 6, 1), HORIZON)
    elif roll < 0.08:
        add(LegalStatus.SUSPENDED, D(2022, 3, 1), HORIZON)
    elif roll < 0.13:
        add(LegalStatus.STOPPED, D(2019, 3, 1), D(2024, 10, 31))
    elif roll < 0.15 and old:
        plan.statuses.append((LegalStatus.NOT_REORGANISED, D(2016, 7, 1)))
    elif roll < 0.19:
        add(LegalStatus.SUSPENDED, D(2015, 1, 1), D(2023, 6, 30))
        add(LegalStatus.ACTIVE, D(2016, 1, 1), HORIZON)
    return plan


def _sector(rnd: _Rand, plan: _Plan) -> None:
    if plan.kind == OrganisationKind.THT:
        plan.sector, plan.sub_sector = _tht_sector(rnd)
    elif plan.kind == OrganisationKind.QTDND:
        plan.sector = Sector.CREDIT
    elif plan.kind == OrganisationKind.LHHTX:
        plan.sector = Sector.AGRICULTURE if rnd.r.random() < 0.6 else _non_agri(rnd, plan.era)
        plan.sub_sector = SubSector.GENERAL_SERVICES if plan.sector == Sector.AGRICULTURE else ""
    else:
        p_agri = {"converted": 0.8, "old": 0.6}.get(plan.era, 0.55)
        plan.sector = Sector.AGRICULTURE if rnd.r.random() < p_agri else _non_agri(rnd, plan.era)
        plan.sub_sector = _agri_sub(rnd, plan.era) if plan.sector == Sector.AGRICULTURE else ""


def _place(rnd: _Rand, province: _Province, plan: _Plan) -> _Place:
    """A commune of the province: on the 2025 map for an organisation founded after the switch, else a
    commune of the old map (with its successor), farms mostly in rural communes."""
    places = province.current if plan.after_switch or not province.legacy else province.legacy
    if plan.sector == Sector.AGRICULTURE:
        factor = {"ward": 0.2, "rural": 1.0}
    elif plan.kind == OrganisationKind.HTX:
        factor = {"ward": 1.6, "rural": 0.8}
    else:
        factor = {"ward": 0.8, "rural": 1.0}
    for _attempt in range(8):
        place = places[rnd.r.randrange(len(places))]
        if rnd.r.random() < factor[place.kind]:
            return place
    return place


# ---------------------------------------------------------------------------------------------
# Organisations.


@dataclass
class _Org:
    plan: _Plan
    province: _Province
    place: _Place


def _name(rnd: _Rand, org: _Org, used: dict[str, int]) -> tuple[str, str]:
    r = rnd.r
    plan, place = org.plan, org.place.name
    if plan.kind == OrganisationKind.THT:
        hamlet = "xóm" if org.place.kind == "rural" else "tổ dân phố"
        name = f"Tổ hợp tác {r.choice(THT_ACTIVITIES[plan.sub_sector or plan.sector])} {hamlet} {r.randint(1, 20)} {place}"
        short = ""
    elif plan.kind == OrganisationKind.QTDND:
        name, short = f"Quỹ tín dụng nhân dân {place}", f"QTDND {place}"
    elif plan.kind == OrganisationKind.LHHTX:
        name = (
            f"Liên hiệp hợp tác xã {r.choice(['Nông nghiệp', 'Dịch vụ', 'Thương mại', 'Sản xuất'])} {place}"
        )
        short = ""
    else:
        options = HTX_TYPES[plan.sub_sector or plan.sector]
        type_name = rnd.weighted([(o[0], o[1]) for o in options])
        abbreviation = next(o[2] for o in options if o[0] == type_name)
        name = f"Hợp tác xã {type_name} {place}"
        short = f"HTX {abbreviation} {place}" if abbreviation else ""
    key = f"{org.province.code}:{fold(name)}"
    used[key] = used.get(key, 0) + 1
    if used[key] > 1:
        name, short = f"{name} số {used[key]}", f"{short} số {used[key]}" if short else ""
    return name, short


def _organisation(rnd: _Rand, org: _Org, number: int, used: dict[str, int], today: D) -> Organisation:
    r, plan, province = rnd.r, org.plan, org.province
    name, short = _name(rnd, org, used)
    plan.name, plan.short_name = name, short
    code = f"{int(province.code):02d}{number:08d}"
    if plan.kind == OrganisationKind.THT:
        registration_code, office = f"THT-{province.code}-{number:07d}", f"UBND xã {org.place.name}"
        representative, title = _person(rnd, 0.62), "Tổ trưởng"
        capital = Decimal(r.randint(2, 30) * 10_000_000) if r.random() < 0.15 else None
    else:
        registration_code = code
        office = (
            f"Phòng Kinh tế UBND xã {org.place.name}"
            if plan.after_switch
            else f"Sở Kế hoạch và Đầu tư {province.unit.name.lower().replace('tỉnh', 'tỉnh').strip()}"
        )
        representative = _person(rnd, 0.78)
        title = "Giám đốc" if plan.kind != OrganisationKind.LHHTX else "Chủ tịch Hội đồng quản trị"
        capital = Decimal(int(rnd.lognormal(1.2e9, 1.0, 1e8, 4e10) / 1e6) * 1_000_000)
    obj = Organisation(
        kind=plan.kind,
        name=name,
        short_name=short,
        registration_code=registration_code,
        tax_code=code if plan.kind != OrganisationKind.THT and r.random() < 0.93 else "",
        registration_date=plan.registration,
        founding_date=plan.founding,
        registering_office=office,
        address=f"Xóm {r.randint(1, 22)}" if org.place.kind == "rural" else f"Tổ dân phố {r.randint(1, 18)}",
        commune_legacy_id=org.place.legacy,
        commune_current_id=org.place.current,
        sector=plan.sector,
        sub_sector=plan.sub_sector,
        representative_name=representative,
        representative_title=title,
        phone=_phone(rnd),
        charter_capital=capital,
        current_status=plan.status_on(today) or LegalStatus.ACTIVE,
    )
    obj.fill_derived_fields()
    plan.obj = obj
    return obj


def _report_years(rnd: _Rand, plan: _Plan) -> list[int]:
    r = rnd.r
    years = [y for y in YEARS if plan.exists_on(min(D(y, 12, 31), HORIZON))]
    if plan.kind == OrganisationKind.THT:
        return [y for y in years if r.random() >= (0.55 if plan.registration >= D(y, 10, 1) else 0.2)]
    if plan.kind == OrganisationKind.HTX and len(years) > 1 and r.random() < 0.06:
        years.remove(r.choice(years))
    return years


def _indicators(rnd: _Rand, plans: list[_Plan]) -> None:
    """Development indicators from a start year on (the demo's `_progressive`), at the national shares."""
    htx = [p for p in plans if p.kind == OrganisationKind.HTX]
    reporting = {y: sum(1 for p in htx if y in p.report_years) for y in YEARS}
    targets = {
        indicator: {y: round(share * reporting[y]) for y, share in shares.items()}
        for indicator, shares in INDICATOR_SHARES.items()
    }
    _progressive(rnd, htx, "enterprise_link", targets["enterprise_link"], _link_weight)
    _progressive(
        rnd, htx, "in_value_chain", targets["in_value_chain"], _link_weight,
        lambda p, y: p.starts.get("enterprise_link", 9999) <= y,
    )  # fmt: skip
    _progressive(rnd, htx, "high_tech", targets["high_tech"], _tech_weight)
    _progressive(rnd, htx, "ocop", targets["ocop"], _ocop_weight)
    r = rnd.r
    for plan in plans:
        for indicator, curve in _ADOPTION.items():
            chance_by_year = curve.get(plan.kind, {})
            for year in plan.report_years:
                if r.random() < chance_by_year.get(
                    year, chance_by_year.get(2025, 0.0) if year > 2025 else 0.0
                ):
                    plan.starts.setdefault(indicator, year)
                    break


def _reports(rnd: _Rand, plans: list[_Plan], today: D) -> list[YearlyReport]:
    """Yearly data (the demo's `_yearly_report`), members calibrated on the national 2024 totals; 2020–2025
    accepted, 2026 submitted, accepted or still a draft (due 15/12/2026)."""
    r = rnd.r
    profiles = {id(p): _profile(rnd, p) for p in plans}
    factors: dict[str, float] = {}
    for kind, target in MEMBERS_2024.items():
        total = sum(p.members_base for p in plans if p.kind == kind and 2024 in p.report_years)
        factors[kind] = target * len(plans) / REFERENCE_SIZE / total if total else 1.0
    union_members: dict[int, int] = {}
    reports = []
    for plan in plans:
        profile = profiles[id(plan)]
        base = plan.members_base * factors.get(plan.kind, 1.0)
        for year in plan.report_years:
            if plan.kind == OrganisationKind.LHHTX:
                total = union_members.setdefault(id(plan), r.randint(3, 12))
            else:
                members = base * (1 + profile.member_growth) ** (year - 2024) * (1 + r.gauss(0, 0.015))
                total = max(3 if plan.kind == OrganisationKind.THT else 5, round(members))
            report = _yearly_report(rnd, plan, profile, year, int(total))
            report.organisation_id = plan.organisation.pk
            if report.submitted_at is not None and report.submitted_at > today:
                report.submitted_at = today
            if year == IN_PROGRESS_YEAR:
                roll = r.random()
                if roll < 0.35:
                    report.state, report.submitted_at = YearlyReportState.DRAFT, None
                elif roll < 0.7:
                    report.state = YearlyReportState.SUBMITTED
                else:
                    report.state = YearlyReportState.ACCEPTED
            else:
                report.state = YearlyReportState.ACCEPTED
            reports.append(report)
    return reports


def _status_changes(plans: list[_Plan]) -> list[StatusChange]:
    changes = []
    for plan in plans:
        for index, (status, day) in enumerate(plan.statuses):
            following = plan.statuses[index + 1][1] if index + 1 < len(plan.statuses) else None
            changes.append(
                StatusChange(
                    organisation_id=plan.organisation.pk,
                    status=status,
                    effective_from=day,
                    effective_to=following,
                    decision=_decision(plan, status, day, index)[:255],
                )
            )
    return changes


# ---------------------------------------------------------------------------------------------
# Ratings.


def _assessments(rnd: random.Random, plans: list[_Plan], reports: list[YearlyReport]) -> list[Assessment]:
    """One assessment a year per HTX and LHHTX on the books at the year's end, by the scheme that applies:
    approved with a band in 2020–2025 (ranked by the demo's quality, in each year's mix), in progress in 2026.
    They carry the totals and the band; criterion points are the scoring demo's (load_demo_scoring)."""
    by_org: dict[int, dict[int, YearlyReport]] = {}
    for report in reports:
        by_org.setdefault(report.organisation_id, {})[report.year] = report
    rated = [p for p in plans if p.kind in (OrganisationKind.HTX, OrganisationKind.LHHTX)]
    qualities = {id(p): _quality(rnd, p.organisation, by_org.get(p.organisation.pk, {})) for p in rated}
    assessments = []
    for year in (*RATED_YEARS, IN_PROGRESS_YEAR):
        schemes = selectors.schemes_for_year(year)
        items = []
        for plan in rated:
            if not plan.exists_on(min(D(year, 12, 31), HORIZON)):
                continue
            scheme = selectors.pick_scheme(schemes, kind=plan.kind, sector=plan.sector, year=year)
            if scheme is None:
                continue
            facts = engine.ExclusionFacts(
                start=plan.registration,
                status_changes=tuple((day, status) for status, day in plan.statuses),
            )
            exclusion = engine.applicable_exclusion(scheme.exclusions or [], facts, year)
            assessment = Assessment(organisation_id=plan.organisation.pk, year=year, scheme=scheme)
            items.append((plan, assessment, exclusion))
        if year == IN_PROGRESS_YEAR:
            for _plan, assessment, _exclusion in items:
                roll, state = rnd.random(), AssessmentState.DRAFT
                for candidate, share in PROGRESS_2025:
                    if roll < share:
                        state = candidate
                        break
                    roll -= share
                assessment.state = state
                if state != AssessmentState.DRAFT:
                    assessment.self_total = Decimal(int(max(35, min(95, rnd.gauss(66, 10)))))
                    assessment.submitted_at = _moment(rnd, D(year, 11, 1), D(year, 11, 30))
                assessments.append(assessment)
            continue
        ranked = [item for item in items if item[2] is None or item[2]["result"] != Band.NOT_RATED]
        ranked.sort(key=lambda item: qualities[id(item[0])] + rnd.gauss(0, 0.6), reverse=True)
        counts = split(len(ranked), BANDS[year])
        bands = [band for band in SCORE_BANDS for _ in range(counts[band])]
        for (_plan, assessment, exclusion), band in zip(ranked, bands, strict=True):
            low, high = SCORE_RANGES[band]
            total = Decimal(rnd.randint(low, high))
            assessment.official_total = total
            assessment.self_total = total + (Decimal(rnd.choice((1, 2, 3))) if rnd.random() < 0.27 else 0)
            assessment.band = engine.result_band(total, assessment.scheme.bands, exclusion)
            if exclusion is not None:
                assessment.exclusion_code = exclusion.get("code", "")[:30]
        for _plan, assessment, exclusion in items:
            if assessment.band is None:
                assessment.band = Band.NOT_RATED
                assessment.exclusion_code = (exclusion or {}).get("code", "")[:30]
            assessment.state = AssessmentState.APPROVED
            assessment.submitted_at = _moment(rnd, D(year + 1, 1, 5), D(year + 1, 2, 28))
            assessment.reviewed_at = assessment.submitted_at + datetime.timedelta(days=rnd.randint(3, 20))
            assessment.approved_at = assessment.reviewed_at + datetime.timedelta(days=rnd.randint(2, 15))
            assessments.append(assessment)
    return assessments


def _moment(rnd: random.Random, start: D, end: D) -> datetime.datetime:
    day = start + datetime.timedelta(days=rnd.randint(0, (end - start).days))
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(rnd.randint(7, 16), rnd.randint(0, 59)))
    )


# ---------------------------------------------------------------------------------------------
# Officers and plans.


def _officers(provinces: list[_Province], rnd: _Rand) -> list[User]:
    """A province officer `tinh_<code>` per province and COMMUNE_OFFICERS commune officers `xa_<commune code>`,
    and a reader of the whole country (NATIONAL_READER: a provincial officer whose account names no area
    reaches every province, decision 0043), all with one password hashed once."""
    password = make_password(NATIONAL_PASSWORD)
    users, areas = [], []
    communes = dict(
        AdminUnit.objects.filter(pk__in=[p.current for prov in provinces for p in prov.current]).values_list(
            "pk", "code"
        )
    )
    for province in provinces:
        users.append(User(username=f"tinh_{province.code}", role=Role.PROVINCE, password=password,
                          last_name=_person(rnd, 0.5), first_name=""))  # fmt: skip
        areas.append([province.unit.pk])
        for place in rnd.r.sample(province.current, min(COMMUNE_OFFICERS, len(province.current))):
            users.append(User(username=f"xa_{communes[place.current]}", role=Role.COMMUNE, password=password,
                              last_name=_person(rnd, 0.5), first_name=""))  # fmt: skip
            areas.append([place.current])
    # Last, and without drawing from the seed: the other accounts and their ids stay what they were.
    users.append(User(username=NATIONAL_READER, role=Role.PROVINCE, password=password,
                      last_name=NATIONAL_READER_NAME, first_name=""))  # fmt: skip
    areas.append([])
    User.objects.bulk_create(users)
    through = User.areas.through
    through.objects.bulk_create(
        through(user_id=user.pk, adminunit_id=unit_id)
        for user, unit_ids in zip(users, areas, strict=True)
        for unit_id in unit_ids
    )
    return users


def _template(name: str) -> Template:
    from pathlib import Path

    return Template((Path(__file__).parent / "data" / name).read_text(encoding="utf-8"))


def _agencies_text(province: _Province) -> str:
    return _template(AGENCIES_TEMPLATE).substitute(
        code=province.code, name=province.unit.name, short=province.unit.short_name
    )


def _plan_text(province: _Province, counts: dict[str, int]) -> str:
    """The province's plan file: the template filled with its name, code and targets scaled to its size."""
    htx = counts.get(OrganisationKind.HTX, 0)
    tht = counts.get(OrganisationKind.THT, 0)
    return _template(PLAN_TEMPLATE).substitute(
        code=province.code,
        name=province.unit.name,
        short=province.unit.short_name,
        htx_2030=max(1, round(htx * 45_000 / 33_335)),
        htx_tolerance=max(1, round(htx * 45_000 / 33_335 * 0.05)),
        lhhtx_2030=max(1, round(counts.get(OrganisationKind.LHHTX, 0) * 340 / 152)),
        tht_2030=max(1, round(tht * 140_000 / 63_650)),
        tht_tolerance=max(1, round(tht * 140_000 / 63_650 * 0.05)),
        high_tech_2030=max(1, round(5_000 * htx / 33_335)),
    )


# ---------------------------------------------------------------------------------------------
# The whole run.


def national_generate(
    *, seed: int = NATIONAL_SEED, organisations: int = REFERENCE_SIZE, province_codes: list[str] | None = None
) -> NationalResult:
    started = time.perf_counter()
    codes = sorted(province_codes or province_codes_available())
    unknown = sorted(set(codes) - set(province_codes_available()))
    if unknown:
        raise NationalError(f"Không có tỉnh mã {', '.join(unknown)} trên bản đồ hành chính từ 1/7/2025.")
    if organisations < 1:
        raise NationalError("--organisations phải lớn hơn 0.")
    today = min(HORIZON, timezone.localdate())
    phases: dict[str, float] = {}
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        phases[name] = now - clock[0]
        clock[0] = now

    with transaction.atomic():
        if Organisation.objects.exists():
            raise NationalError(
                "Sổ đăng ký đã có tổ chức: chạy generate_national trên cơ sở dữ liệu trống (sau migrate)."
            )
        ensure_prerequisites(codes)
        lap("prerequisites")
        rnd = _Rand(seed)
        provinces = _provinces(codes, rnd.r)
        orgs: list[_Org] = []
        for (kind, fate), count in composition(organisations).items():
            per_province = split(count, {p.code: p.weight for p in provinces})
            for province in provinces:
                for _ in range(per_province[province.code]):
                    plan = _timeline(rnd, kind, fate)
                    _sector(rnd, plan)
                    orgs.append(_Org(plan, province, _place(rnd, province, plan)))
        orgs.sort(key=lambda o: (o.province.code, o.plan.registration, o.plan.kind))
        used: dict[str, int] = {}
        objects = [_organisation(rnd, org, number, used, today) for number, org in enumerate(orgs, start=1)]
        lap("organisations built")
        copy_with_history(objects, Organisation, when=timezone.now(), reason=REASON)
        lap("organisations written")
        plans = [org.plan for org in orgs]
        changes = _status_changes(plans)
        copy_with_history(changes, StatusChange, reason=REASON)
        lap("status changes")
        for plan in plans:
            plan.report_years = _report_years(rnd, plan)
        _indicators(rnd, plans)
        reports = _reports(rnd, plans, today)
        lap("yearly reports built")
        copy_with_history(reports, YearlyReport, reason=REASON)
        lap("yearly reports written")
        assessments = _assessments(rnd.r, plans, reports)
        lap("assessments built")
        copy_with_history(assessments, Assessment, reason=REASON)
        lap("assessments written")
        users = _officers(provinces, rnd)
        lap("officers")
        counts: dict[str, dict[str, int]] = {}
        for org in orgs:
            if org.plan.exists_on(D(2024, 12, 31)):
                by_kind = counts.setdefault(org.province.code, {})
                by_kind[org.plan.kind] = by_kind.get(org.plan.kind, 0) + 1
        for province in provinces:
            load(
                "agencies",
                content=_agencies_text(province),
                name=f"national/{province.code}-{AGENCIES_TEMPLATE}",
            )
            text = _plan_text(province, counts.get(province.code, {}))
            load("plans", content=text, name=f"national/{province.code}-{PLAN_TEMPLATE}")
        periods = periods_refresh(today=today)
        lap("plans and tasks")
    result = NationalResult(
        organisations=len(orgs),
        status_changes=len(changes),
        reports=len(reports),
        assessments=len(assessments),
        users=len(users),
        plans=len(provinces),
        periods=periods.created,
        provinces=len(provinces),
        seconds=time.perf_counter() - started,
        phases=phases,
    )
    lap("commit")
    for org in orgs:
        result.by_kind[org.plan.kind] = result.by_kind.get(org.plan.kind, 0) + 1
    return result
