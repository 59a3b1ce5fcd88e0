"""Demo ratings on top of the demo registry (`load_demo`): approved assessments for 2022, 2023 and
2024 and the 2025 evaluation in progress.

Everything comes from one `random.Random(seed)` and the organisations are taken in a stable order
(registration code), so the same registry and seed give the same ratings. Each rated cooperative gets
a latent "quality" from its own data (model HTX named in the press, value chains, high tech, OCOP,
enterprise links, revenue per member) plus noise; each year the cooperatives are ranked by it and
given bands in a realistic mix in which the share rated good or fair rises from about 46% to 57%.
The points are then spread over the scheme's criteria so that they add up to a total inside that
band: computable criteria get the points their rule gives from the yearly data, criteria with fixed
steps get one of their steps, criteria to be completed share their pool, the rest take the
remainder. Exclusions follow the schemes' own rules (operating under 12 months, stopped over 3
months) and a few agricultural HTX fined in the year are rated weak under TT 09/2017.
"""

import datetime
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from hoptac.accounts.models import User
from hoptac.core.datafiles import load_shipped
from hoptac.registry.models import Organisation, YearlyReport
from hoptac.scoring import engine, selectors
from hoptac.scoring.choices import SCORE_BANDS, AssessmentState, Band, EventAction, InputKind
from hoptac.scoring.metrics import MetricContext, metric_value
from hoptac.scoring.models import Assessment, AssessmentEvent, CriterionScore, SatisfactionSurvey, Scheme
from hoptac.scoring.sizes import classify, current_definition

from .registry import FIXED_HTX, LOADER_USERNAME

D = datetime.date
DEMO_SEED = 143
APPROVED_YEARS = (2022, 2023, 2024)
IN_PROGRESS_YEAR = 2025
BATCH = 500
# Share of the rated organisations in each band, per year (good + fair: 46%, 51%, 57%).
BAND_MIX = {
    2022: {Band.GOOD: 0.12, Band.FAIR: 0.34, Band.AVERAGE: 0.38, Band.WEAK: 0.16},
    2023: {Band.GOOD: 0.14, Band.FAIR: 0.37, Band.AVERAGE: 0.36, Band.WEAK: 0.13},
    2024: {Band.GOOD: 0.17, Band.FAIR: 0.40, Band.AVERAGE: 0.32, Band.WEAK: 0.11},
}
SCORE_RANGES = {Band.GOOD: (80, 94), Band.FAIR: (65, 79), Band.AVERAGE: (50, 64), Band.WEAK: (32, 49)}
FINE_SHARE = 0.012  # agricultural HTX fined in the year (TT 09/2017: rated weak)
# 2025: where each evaluation stands (the rest are drafts).
PROGRESS_2025 = [
    (AssessmentState.REVIEWED, 0.22),
    (AssessmentState.SUBMITTED, 0.38),
    (AssessmentState.RETURNED, 0.04),
]
MODEL_HTX = {name for name, *_rest, model in FIXED_HTX if model}
REPRESENTED = "Hợp tác xã Dịch vụ nông nghiệp Hải Anh"  # the demo representative's cooperative stays a draft
EVIDENCE_NOTES = [
    "Báo cáo tài chính năm {year}",
    "Nghị quyết đại hội thành viên thường niên năm {year}",
    "Sổ sách, chứng từ lưu tại hợp tác xã",
    "Biên bản kiểm tra của UBND xã ngày {day}",
    "Báo cáo kết quả hoạt động năm {year} gửi UBND xã",
]
CHANGE_REASONS = [
    "Chưa có chứng từ chứng minh đầy đủ",
    "Hồ sơ lưu không khớp với báo cáo tài chính",
    "Điểm tự chấm cao hơn mức đạt thực tế theo biên bản kiểm tra",
    "Chưa trích lập đủ quỹ theo điều lệ",
    "Thành viên phản ánh dịch vụ chưa đáp ứng",
]
RETURN_REASONS = [
    "Đề nghị bổ sung báo cáo tài chính có xác nhận",
    "Thiếu biên bản lấy ý kiến thành viên",
    "Điểm tiêu chí 1 chưa khớp số liệu báo cáo năm",
]
FINE_NOTES = [
    "Quyết định xử phạt vi phạm hành chính số {n}/QĐ-XPHC ngày {day} (vi phạm về đăng ký hợp tác xã)",
    "Quyết định xử phạt vi phạm hành chính số {n}/QĐ-XPHC ngày {day} (vi phạm về kế toán, thuế)",
]


class DemoError(Exception):
    """The scoring demo cannot be loaded (e.g. the registry demo is missing)."""


@dataclass
class DemoResult:
    reused: bool
    assessments: int = 0
    scores: int = 0
    surveys: int = 0
    by_year: dict[int, dict] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass
class _Item:
    organisation: Organisation
    scheme: Scheme
    assessment: Assessment
    exclusion: dict | None = None
    fine: bool = False
    band: str | None = None
    official: dict[str, Decimal] = field(default_factory=dict)
    own: dict[str, Decimal | None] = field(default_factory=dict)  # a draft's self-score may be partial
    proposals: dict[str, tuple[Decimal | None, Decimal | None]] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)


def _quality(rnd: random.Random, organisation: Organisation, reports: dict[int, YearlyReport]) -> float:
    quality = rnd.gauss(0, 1)
    if organisation.name in MODEL_HTX:
        quality += 2.5
    latest = reports[max(reports)] if reports else None
    if latest is not None:
        quality += 0.6 * latest.in_value_chain + 0.4 * latest.high_tech + 0.3 * latest.enterprise_link
        quality += 0.3 * bool(latest.ocop_products) + 0.2 * latest.accounting_software
        if latest.revenue and latest.official_members:
            per_member = float(latest.revenue) / latest.official_members
            quality += 0.3 if per_member > 30e6 else (-0.2 if per_member < 3e6 else 0)
    if organisation.current_status != "active":
        quality -= 0.8
    return quality


def _split(rnd: random.Random, tree: engine.SchemeTree, target: int, proposals: dict) -> dict[str, Decimal]:
    """Points per leaf adding up to `target` (when the scheme allows it), within every cap and pool."""
    share = Decimal(target) / tree.total
    points: dict[str, Decimal] = {}
    adjustable: list[str] = []
    for leaf in tree.leaves:
        proposed = proposals.get(leaf.code, (None, None))[0]
        if leaf.rule and proposed is not None:
            points[leaf.code] = proposed
        elif leaf.allowed_points:
            allowed = leaf.allowed_points
            weights = [float(p) / float(tree.cap(leaf.code) or 1) for p in allowed]
            wanted = float(share) + rnd.gauss(0, 0.25)
            points[leaf.code] = min(allowed, key=lambda p: abs(weights[allowed.index(p)] - wanted))
        else:
            if leaf.max_points is not None:
                cap = leaf.max_points
            else:
                pool = tree.pools[tree.pool_of[leaf.code]]
                cap = pool.capacity / len(pool.members)
            value = float(cap) * min(1.0, max(0.0, float(share) + rnd.gauss(0, 0.12)))
            points[leaf.code] = Decimal(round(value))
            adjustable.append(leaf.code)
    for pool in tree.pools.values():  # rounding may overfill a shared pool
        members = [c for c in pool.members if c in adjustable]
        while sum(points[c] for c in pool.members) > pool.capacity and members:
            code = max(members, key=lambda c: points[c])
            points[code] -= 1
    difference = target - int(sum(points.values()))
    for _round in range(200):
        if difference == 0 or not adjustable:
            break
        step = 1 if difference > 0 else -1
        code = rnd.choice(adjustable)
        candidate = points[code] + step
        if candidate < 0 or candidate > tree.cap(code):
            continue
        pool_key = tree.pool_of.get(code)
        if pool_key is not None and step > 0:
            pool = tree.pools[pool_key]
            if sum(points[c] for c in pool.members) + 1 > pool.capacity:
                continue
        points[code] = candidate
        difference -= step
    return points


def _inflate(
    rnd: random.Random, tree: engine.SchemeTree, official: dict[str, Decimal]
) -> tuple[dict[str, Decimal | None], dict[str, str]]:
    """The self-score the reviewer corrected: a point or three higher on one or two manual criteria."""
    own = dict(official)
    reasons: dict[str, str] = {}
    manual = [leaf.code for leaf in tree.leaves if not leaf.rule and not leaf.allowed_points]
    for code in rnd.sample(manual, k=min(len(manual), rnd.choice((1, 1, 2)))):
        room = tree.cap(code) - own[code]
        pool_key = tree.pool_of.get(code)
        if pool_key is not None:
            pool = tree.pools[pool_key]
            room = min(room, pool.capacity - sum(own[c] for c in pool.members))
        if room <= 0:
            continue
        own[code] += Decimal(min(int(room), rnd.choice((1, 1, 2, 3))))
        reasons[code] = rnd.choice(CHANGE_REASONS)
    return {**own}, reasons


def _loader() -> User | None:
    return User.objects.filter(username=LOADER_USERNAME).first()


@dataclass
class _People:
    """The demo users who act in the ratings: by username, and the reviewer of each organisation."""

    by_name: dict[str, User]
    reviewers: dict[int, User]


def _people() -> _People:
    users = {
        u.username: u for u in User.objects.filter(username__in=["tinh", "xa_haihau", "xa_haianh", "daidien"])
    }
    return _People(by_name=users, reviewers=_reviewers(users))


def _reviewers(users: dict[str, User]) -> dict[int, User]:
    """The demo commune officer who reviews each organisation in their communes (others: none named)."""
    reviewers: dict[int, User] = {}
    for name in ("xa_haianh", "xa_haihau"):
        user = users.get(name)
        if user is not None and Organisation.scope.condition(user, "change") is not None:
            for pk in Organisation.objects.restrict(user, "change").values_list("pk", flat=True):
                reviewers[pk] = user
    return reviewers


def demo_reset() -> None:
    for model in (Assessment, SatisfactionSurvey):
        model.objects.all().delete()
    for tracked in (Assessment, CriterionScore, SatisfactionSurvey):
        tracked.history.model.objects.all().delete()


def _moment(day: datetime.date, rnd: random.Random) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(rnd.randint(7, 16), rnd.randint(0, 59)))
    )


def demo_load(*, seed: int = DEMO_SEED, reset: bool = False) -> DemoResult:
    started = time.perf_counter()
    with transaction.atomic():
        load_shipped("scoring-schemes")
        load_shipped("size-classes")
        if not reset and Assessment.objects.exists():
            return DemoResult(reused=True, assessments=Assessment.objects.count())
        if not Organisation.objects.filter(kind="htx").exists():
            raise DemoError("Chưa có sổ đăng ký mẫu: chạy `manage.py load_demo` trước.")
        if reset:
            demo_reset()
        rnd = random.Random(seed)
        loader = _loader()
        people = _people()
        result = DemoResult(reused=False)
        reports: dict[int, dict[int, YearlyReport]] = {}
        for report in YearlyReport.objects.filter(year__gte=min(APPROVED_YEARS) - 1):
            reports.setdefault(report.organisation_id, {})[report.year] = report
        qualities: dict[int, float] = {}
        items_all: list[_Item] = []
        surveys: list[SatisfactionSurvey] = []
        events: list[AssessmentEvent] = []
        for year in (*APPROVED_YEARS, IN_PROGRESS_YEAR):
            items = _year_items(rnd, year, reports, qualities)
            if year in BAND_MIX:
                _rate(rnd, year, items, qualities)
            else:
                _progress(rnd, year, items, qualities)
            surveys += _surveys(rnd, year, items, reports)
            items_all += items
        now = timezone.now()
        sizes = current_definition()
        for item in items_all:
            _stamp(rnd, item, people, events)
            if sizes and item.assessment.state == AssessmentState.APPROVED:
                yearly = reports.get(item.organisation.pk, {}).get(item.assessment.year)
                size = classify(
                    sizes, report=yearly, sector=item.organisation.sector, year=item.assessment.year
                )
                if size is not None:
                    item.assessment.size_class = size.size_class or ""
                    item.assessment.size_basis = f"{size.rule_set_name}: {size.summary}"[:255]
        assessments = [item.assessment for item in items_all]
        bulk_create_with_history(
            assessments, Assessment, batch_size=BATCH, default_user=loader, default_date=now
        )
        scores = []
        for item in items_all:
            for leaf in item.scheme.tree.leaves:
                proposed, value = item.proposals.get(leaf.code, (None, None))
                scores.append(
                    CriterionScore(
                        assessment=item.assessment,
                        criterion=leaf.payload,
                        self_points=item.own.get(leaf.code),
                        self_note=_note(rnd, leaf, item),
                        proposed_points=proposed,
                        metric_value=value,
                        official_points=item.official.get(leaf.code),
                        change_reason=item.reasons.get(leaf.code, ""),
                    )
                )
        bulk_create_with_history(
            scores, CriterionScore, batch_size=BATCH, default_user=loader, default_date=now
        )
        for event in events:
            event.assessment_id = event.assessment.pk
        AssessmentEvent.objects.bulk_create(events, batch_size=BATCH)
        bulk_create_with_history(
            surveys, SatisfactionSurvey, batch_size=BATCH, default_user=loader, default_date=now
        )
        result.assessments = len(assessments)
        result.scores = len(scores)
        result.surveys = len(surveys)
    for year in (*APPROVED_YEARS, IN_PROGRESS_YEAR):
        result.by_year[year] = {
            "distribution": selectors.rating_distribution(
                user=people.by_name.get("tinh") or _superuser(), year=year
            ),
            "states": dict(
                Assessment.objects.filter(year=year)
                .order_by()
                .values_list("state")
                .annotate(n=_count())
                .values_list("state", "n")
            ),
        }
    result.seconds = time.perf_counter() - started
    return result


def _count():
    from django.db.models import Count

    return Count("pk")


def _superuser() -> User:
    return User(is_superuser=True, is_active=True, username="_")


def _year_items(rnd: random.Random, year: int, reports: dict, qualities: dict[int, float]) -> list[_Item]:
    schemes = selectors.schemes_for_year(year)
    organisations = (
        Organisation.objects.existing_on(D(year, 12, 31))
        .filter(kind__in=["htx", "lhhtx"])
        .prefetch_related("status_changes")
        .order_by("registration_code", "name", "founding_date")
    )
    items = []
    for organisation in organisations:
        scheme = selectors.pick_scheme(schemes, kind=organisation.kind, sector=organisation.sector, year=year)
        if scheme is None:
            continue
        own_reports = reports.get(organisation.pk, {})
        if organisation.pk not in qualities:
            qualities[organisation.pk] = _quality(rnd, organisation, own_reports)
        assessment = Assessment(organisation=organisation, year=year, scheme=scheme)
        facts = engine.ExclusionFacts(
            start=organisation.registration_date or organisation.founding_date,
            status_changes=tuple((c.effective_from, c.status) for c in organisation.status_changes.all()),
        )
        item = _Item(organisation, scheme, assessment)
        item.exclusion = engine.applicable_exclusion(scheme.exclusions or [], facts, year)
        context = MetricContext(own_reports.get(year), own_reports.get(year - 1), None)
        for leaf in scheme.tree.leaves:
            if leaf.rule:
                value = metric_value(leaf.rule["metric"], context)
                item.proposals[leaf.code] = (engine.propose(leaf.rule, value), value)
        items.append(item)
    return items


def _rate(rnd: random.Random, year: int, items: list[_Item], qualities: dict[int, float]) -> None:
    rated = [item for item in items if item.exclusion is None or item.exclusion["result"] != Band.NOT_RATED]
    ranked = sorted(rated, key=lambda item: qualities[item.organisation.pk] + rnd.gauss(0, 0.6), reverse=True)
    mix = BAND_MIX[year]
    bounds, start = [], 0
    for band in SCORE_BANDS:
        count = round(mix[band] * len(ranked))
        bounds.append((band, start, start + count))
        start += count
    for index, item in enumerate(ranked):
        band = next((b for b, low, high in bounds if low <= index < high), Band.WEAK)
        low, high = SCORE_RANGES[band]
        tree = item.scheme.tree
        item.official = _split(rnd, tree, rnd.randint(low, high), item.proposals)
        if rnd.random() < 0.27:
            item.own, item.reasons = _inflate(rnd, tree, item.official)
        else:
            item.own = {**item.official}
        fineable = any(e["type"] == "administrative_fine" for e in item.scheme.exclusions or [])
        if fineable and band in (Band.FAIR, Band.AVERAGE) and rnd.random() < FINE_SHARE * 2.5:
            item.fine = True
            item.exclusion = next(e for e in item.scheme.exclusions if e["type"] == "administrative_fine")
        total = sum(item.official.values(), Decimal(0))
        item.band = engine.result_band(total, item.scheme.bands, item.exclusion)
        item.assessment.state = AssessmentState.APPROVED
    for item in items:
        if item not in rated:
            item.band = Band.NOT_RATED
            item.assessment.state = AssessmentState.APPROVED


def _progress(rnd: random.Random, year: int, items: list[_Item], qualities: dict[int, float]) -> None:
    for item in items:
        roll, state = rnd.random(), AssessmentState.DRAFT
        for candidate, share in PROGRESS_2025:
            if roll < share:
                state = candidate
                break
            roll -= share
        if item.organisation.name == REPRESENTED:
            state = AssessmentState.DRAFT
        item.assessment.state = state
        excluded = item.exclusion is not None and item.exclusion["result"] == Band.NOT_RATED
        quality = qualities[item.organisation.pk]
        target = int(max(35, min(92, 64 + 9 * quality + rnd.gauss(0, 5))))
        if excluded:
            continue
        tree = item.scheme.tree
        official = _split(rnd, tree, target, item.proposals)
        if state == AssessmentState.DRAFT:
            # Drafts: the proposals from the data, and for some a self-score half done.
            item.own = {code: points for code, (points, _value) in item.proposals.items()}
            if rnd.random() < 0.4:
                for code in list(official)[: len(official) // 2]:
                    item.own[code] = official[code]
        elif state == AssessmentState.REVIEWED:
            item.own, item.reasons = (
                _inflate(rnd, tree, official) if rnd.random() < 0.3 else ({**official}, {})
            )
            item.official = official
        else:
            item.own = {**official}


def _note(rnd: random.Random, leaf: engine.Node, item: _Item) -> str:
    points = item.own.get(leaf.code)
    if leaf.rule or not points:
        return ""
    year = item.assessment.year
    template = rnd.choice(EVIDENCE_NOTES)
    return template.format(year=year, day=f"{rnd.randint(2, 28):02d}/{rnd.randint(10, 12):02d}/{year}")


def _surveys(rnd: random.Random, year: int, items: list[_Item], reports: dict) -> list[SatisfactionSurvey]:
    """TT 09/2017 opens with the members' satisfaction survey: one per agricultural HTX assessed by it
    (drafts of the year in progress have not done it yet)."""
    surveys = []
    for item in items:
        if not any(leaf.input == InputKind.SURVEY for leaf in item.scheme.tree.leaves):
            continue
        if item.band == Band.NOT_RATED or item.assessment.state == AssessmentState.DRAFT:
            continue
        report = reports.get(item.organisation.pk, {}).get(year)
        members = report.official_members if report else rnd.randint(30, 300)
        asked = max(7, min(members, rnd.choice((members, members, 60, 80, 100, 120))))
        respondents = max(5, round(asked * rnd.uniform(0.62, 0.96)))
        respondents = min(respondents, asked)
        official_total = sum((v or 0 for v in item.official.values()), Decimal(0))
        happy = min(0.95, max(0.3, float(official_total) / 100 + rnd.gauss(0.05, 0.08)))
        satisfied = round(respondents * happy)
        not_satisfied = round((respondents - satisfied) * rnd.uniform(0.15, 0.5))
        surveys.append(
            SatisfactionSurvey(
                organisation=item.organisation,
                year=year,
                conducted_on=D(year, rnd.randint(10, 11), rnd.randint(1, 28)),
                method=rnd.choice(
                    ["Phiếu lấy ý kiến phát cho thành viên", "Hội nghị thành viên, biểu quyết"]
                ),
                members_asked=asked,
                respondents=respondents,
                satisfied=satisfied,
                partly_satisfied=respondents - satisfied - not_satisfied,
                not_satisfied=not_satisfied,
                main_opinions=rnd.choice(
                    [
                        "Thành viên đề nghị giảm giá dịch vụ làm đất, tưới tiêu.",
                        "Đề nghị hợp tác xã mở rộng liên kết tiêu thụ lúa, rau.",
                        "Thành viên hài lòng với dịch vụ cung ứng giống, vật tư.",
                        "Đề nghị công khai tài chính thường xuyên hơn.",
                    ]
                ),
            )
        )
    return surveys


def _stamp(rnd: random.Random, item: _Item, people: _People, events: list[AssessmentEvent]) -> None:
    """Dates, people and workflow steps, consistent with the state."""
    assessment = item.assessment
    year = assessment.year
    state = assessment.state
    organisation = item.organisation
    representative = people.by_name.get("daidien") if organisation.name == REPRESENTED else None
    reviewer = people.reviewers.get(organisation.pk)
    province = people.by_name.get("tinh")
    start = _moment(D(year, 11, rnd.randint(1, 10)), rnd)
    assessment.created_at = start

    def add(
        action: str, from_state: str, to_state: str, at: datetime.datetime, user: User | None, note: str = ""
    ) -> None:
        events.append(
            AssessmentEvent(
                assessment=assessment,
                action=action,
                from_state=from_state,
                to_state=to_state,
                at=at,
                user=user,
                note=note,
            )
        )

    add(EventAction.START, "", AssessmentState.DRAFT, start, province)
    if state == AssessmentState.DRAFT:
        _totals(item)
        return
    late = rnd.random() < 0.12
    submitted = _moment(
        D(year, 12, rnd.randint(16, 30))
        if late
        else D(year, 11, 20) + datetime.timedelta(days=rnd.randint(0, 25)),
        rnd,
    )
    assessment.submitted_at, assessment.submitted_by = submitted, representative
    add(EventAction.SUBMIT, AssessmentState.DRAFT, AssessmentState.SUBMITTED, submitted, representative)
    if state == AssessmentState.RETURNED:
        add(
            EventAction.RETURN,
            AssessmentState.SUBMITTED,
            AssessmentState.RETURNED,
            submitted + datetime.timedelta(days=3),
            reviewer,
            rnd.choice(RETURN_REASONS),
        )
        _totals(item)
        return
    if state == AssessmentState.SUBMITTED:
        _totals(item)
        return
    reviewed = submitted + datetime.timedelta(days=rnd.randint(1, 6), hours=rnd.randint(0, 5))
    assessment.reviewed_at, assessment.reviewed_by = reviewed, reviewer
    if item.fine:
        assessment.administrative_fine = True
        assessment.fine_note = rnd.choice(FINE_NOTES).format(
            n=rnd.randint(12, 240), day=f"{rnd.randint(1, 28):02d}/{rnd.randint(3, 10):02d}/{year}"
        )
    add(EventAction.REVIEW, AssessmentState.SUBMITTED, AssessmentState.REVIEWED, reviewed, reviewer)
    if state == AssessmentState.REVIEWED:
        _totals(item)
        return
    approved = reviewed + datetime.timedelta(days=rnd.randint(2, 12), hours=rnd.randint(0, 5))
    assessment.approved_at, assessment.approved_by = approved, province
    assessment.band = item.band
    if item.exclusion is not None:
        assessment.exclusion_code = item.exclusion["code"]
        assessment.exclusion_text = item.exclusion["text"]
    add(EventAction.APPROVE, AssessmentState.REVIEWED, AssessmentState.APPROVED, approved, province)
    _totals(item)


def _totals(item: _Item) -> None:
    own = [v for v in item.own.values() if v is not None]
    official = [v for v in item.official.values() if v is not None]
    item.assessment.self_total = sum(own, Decimal(0)) if own else None
    item.assessment.official_total = sum(official, Decimal(0)) if official else None
