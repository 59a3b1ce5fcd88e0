"""Demo follow-up of Plan 139 (`manage.py load_demo_tasks`): agencies, an officer's assignment of the
plan's three III.1 tasks (recorded as assigned by an officer, not by the plan), reporting periods 2023–2026,
a realistic mix of progress reports (on time, late, returned, missing), the 2025 reorganisation applied
(Nam Định's departments hand their open work to Ninh Bình's), the yearly data's review states, and demo
users linked to agencies.

Deterministic: one `random.Random(seed)`, fixed scenario dates; events dated after today are not created,
so the demo shows what would exist on the day it is loaded. Every document number in notes is invented
and says so."""

import datetime
import random
import time
from dataclasses import dataclass, field
from typing import TypedDict

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from hoptac.accounts.models import Role, User
from hoptac.core import datafiles
from hoptac.core.history import set_history_date, set_history_user
from hoptac.tasks.choices import ProgressStatus, ReportState
from hoptac.tasks.models import (
    Agency,
    AgencyMerge,
    Attachment,
    ProgressReport,
    Reminder,
    ReportingPeriod,
    TaskAssignment,
)
from hoptac.tasks.recurrence import Schedule

D = datetime.date
DEMO_SEED = 139
PLAN_CODE = "nam-dinh-139-kh-ubnd-2022"
AGENCY_FILE = "agencies-nam-dinh.yaml"  # in HOPTAC_DATA_DIR/agencies/
ASSIGNED_ON = D(2023, 1, 10)
DEMO_NOTE = " (số văn bản giả định — dữ liệu mẫu)"


class DemoError(Exception):
    pass


@dataclass(frozen=True)
class DemoAgencyUser:
    username: str
    last_name: str
    first_name: str
    agency: str
    role: str = Role.PROVINCE
    email: str = ""


# Users of the registry demo (hoptac.registry.demo.DEMO_USERS) and the agency each works for.
REGISTRY_USER_AGENCIES = {
    "tinh": "so-tc-ninh-binh",
    "xa_haihau": "ubnd-huyen-hai-hau",
    "xa_haianh": "ubnd-xa-14236",
    "xem": "lmhtx-ninh-binh",
}
EMAILS = {
    "tinh": "tinh@hoptac.local",
    "xa_haihau": "xa.haihau@hoptac.local",
    "xa_haianh": "xa.haianh@hoptac.local",
}
# Officers of the agencies that lead tasks (created here; the merger moves them to the successors).
AGENCY_USERS = (
    DemoAgencyUser("khdt", "Lê Văn", "Khải", "so-khdt-nam-dinh", email="khdt@hoptac.local"),
    DemoAgencyUser("sonn", "Đỗ Thị", "Thanh", "so-nnptnt-nam-dinh", email="sonn@hoptac.local"),
    DemoAgencyUser("lienminh", "Bùi Văn", "Toàn", "lmhtx-nam-dinh", email="lienminh@hoptac.local"),
)


class _AssignmentSpec(TypedDict):
    lead: str
    cooperating: list[str]
    note: str
    expected_output: str
    schedule: Schedule | None


ASSIGNMENTS: dict[str, _AssignmentSpec] = {
    "III.1.a": {
        "lead": "so-nnptnt-nam-dinh",
        "cooperating": ["lmhtx-nam-dinh", "so-ct-nam-dinh"],
        "note": "Phân công tại Công văn số 45/SKHĐT-DN ngày 10/01/2023 của Sở KH&ĐT" + DEMO_NOTE,
        "expected_output": "Báo cáo kết quả củng cố, phát triển HTX, THT nông nghiệp gắn với sản phẩm OCOP.",
        "schedule": None,  # the default: yearly by 15/12
    },
    "III.1.b": {
        "lead": "so-nnptnt-nam-dinh",
        "cooperating": ["so-ct-nam-dinh", "lmhtx-nam-dinh"],
        "note": "Phân công tại Công văn số 45/SKHĐT-DN ngày 10/01/2023; báo cáo 6 tháng" + DEMO_NOTE,
        "expected_output": "Số HTX tham gia liên kết chuỗi giá trị, hợp đồng liên kết với doanh nghiệp.",
        "schedule": Schedule(every="half_year", month=6, day=15, from_year=2023),
    },
    "III.1.c": {
        "lead": "lmhtx-nam-dinh",
        "cooperating": ["so-ldtbxh-nam-dinh", "so-nnptnt-nam-dinh"],
        "note": "Phân công tại Công văn số 45/SKHĐT-DN ngày 10/01/2023" + DEMO_NOTE,
        "expected_output": "Số lớp, số lượt cán bộ HTX được đào tạo, tập huấn; số lao động trẻ về làm việc tại HTX.",
        "schedule": None,
    },
}

# Scenario of the task reports: (task code, period start) → list of (event, day, comment).
# Events: draft, submit, return, accept.
S = "submit"
TASK_SCENARIO: dict[tuple[str, D], list[tuple[str, D, str]]] = {
    ("III.1.a", D(2023, 1, 1)): [(S, D(2023, 12, 8), ""), ("accept", D(2023, 12, 20), "")],
    ("III.1.a", D(2024, 1, 1)): [(S, D(2025, 1, 6), ""), ("accept", D(2025, 1, 15), "")],
    ("III.1.a", D(2025, 1, 1)): [
        (S, D(2025, 12, 12), ""),
        (
            "return",
            D(2025, 12, 22),
            "Đề nghị bổ sung số HTX nông nghiệp có sản phẩm OCOP theo từng xã, phường mới.",
        ),
    ],
    ("III.1.a", D(2026, 1, 1)): [("draft", D(2026, 11, 20), "")],
    ("III.1.b", D(2023, 1, 1)): [(S, D(2023, 6, 14), ""), ("accept", D(2023, 6, 26), "")],
    ("III.1.b", D(2023, 7, 1)): [(S, D(2023, 12, 11), ""), ("accept", D(2023, 12, 19), "")],
    ("III.1.b", D(2024, 1, 1)): [(S, D(2024, 7, 2), ""), ("accept", D(2024, 7, 10), "")],
    # 2024, second half: never filed; handed to Sở NN&MT by the merger, still overdue.
    ("III.1.b", D(2025, 1, 1)): [(S, D(2025, 6, 13), ""), ("accept", D(2025, 6, 24), "")],
    ("III.1.b", D(2025, 7, 1)): [
        (S, D(2026, 1, 20), ""),
        ("return", D(2026, 1, 28), "Thiếu danh sách hợp đồng liên kết; đề nghị gửi kèm."),
        (S, D(2026, 2, 5), ""),
        ("accept", D(2026, 2, 12), "Đã đủ hồ sơ."),
    ],
    # 2026, first half: not filed (overdue); second half: not yet due.
    ("III.1.c", D(2023, 1, 1)): [(S, D(2023, 12, 14), ""), ("accept", D(2023, 12, 22), "")],
    ("III.1.c", D(2024, 1, 1)): [(S, D(2024, 12, 10), ""), ("accept", D(2024, 12, 18), "")],
    # 2025: not filed (overdue, inherited by Liên minh HTX Ninh Bình).
}
SUMMARY_SCENARIO: dict[D, list[tuple[str, D, str]]] = {
    D(2023, 1, 1): [(S, D(2023, 12, 28), ""), ("accept", D(2024, 1, 5), "")],
    D(2024, 1, 1): [(S, D(2025, 1, 20), ""), ("accept", D(2025, 2, 3), "")],
    D(2025, 1, 1): [(S, D(2025, 12, 30), "")],  # waiting for review
}

TEXTS = {
    "III.1.a": (
        "Trong kỳ, các HTX nông nghiệp tiếp tục được củng cố; {n_new} HTX, THT nông nghiệp thành lập mới. "
        "Phối hợp với Liên minh HTX hướng dẫn {n_ocop} HTX hoàn thiện hồ sơ sản phẩm OCOP. Khó khăn: quy mô "
        "nhỏ, vốn hạn chế, cán bộ quản lý lớn tuổi. Đề xuất: tiếp tục hỗ trợ xây dựng mô hình HTX gắn với "
        "sản phẩm chủ lực của địa phương."
    ),
    "III.1.b": (
        "Hỗ trợ {n_chain} HTX ký hợp đồng liên kết sản xuất, tiêu thụ lúa chất lượng cao và rau màu với doanh "
        "nghiệp; tổ chức {n_meet} hội nghị kết nối cung cầu. Một số hợp đồng chưa được thực hiện đầy đủ do "
        "biến động giá."
    ),
    "III.1.c": (
        "Phối hợp tổ chức {n_class} lớp bồi dưỡng cho {n_people} lượt cán bộ quản lý, thành viên HTX; hỗ trợ "
        "{n_young} lao động trẻ có trình độ cao đẳng, đại học về làm việc tại HTX."
    ),
    "summary": (
        "Tổng hợp kết quả thực hiện Kế hoạch 139/KH-UBND năm {year} từ báo cáo của các sở, ngành và địa phương: "
        "tình hình phát triển HTX, THT; kết quả thực hiện các chỉ tiêu; khó khăn, vướng mắc và kiến nghị."
    ),
    "local": (
        "Báo cáo kết quả phát triển kinh tế tập thể trên địa bàn năm {year}: số HTX, THT đang hoạt động, thành "
        "lập mới, giải thể; kết quả hỗ trợ; kiến nghị."
    ),
}


@dataclass
class DemoResult:
    reused: bool = False
    agencies: int = 0
    assignments: int = 0
    periods: int = 0
    reports: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    merges: int = 0
    users: list[str] = field(default_factory=list)
    yearly: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _at(day: D, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _minimal_pdf(title: str) -> bytes:
    """A one-page PDF with a title line (valid enough for viewers, and for the content check)."""
    text = title.encode("ascii", "replace")[:80].replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 60 780 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def _users(today: D) -> tuple[dict[str, User], list[str]]:
    from .registry import DEMO_PASSWORD

    agencies = {a.code: a for a in Agency.objects.all()}
    users: dict[str, User] = {}
    password = make_password(DEMO_PASSWORD)
    from hoptac.tasks.services import agency_in_force

    for spec in AGENCY_USERS:
        # Created in the agency they joined; once it merged, they work for its successor.
        agency = agencies[spec.agency]
        if agency.merged_on is not None:
            agency = agency_in_force(agency, today) or agency
        user, _created = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "role": spec.role,
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": spec.email,
                "agency": agency,
                "is_active": True,
                "password": password,
            },
        )
        users[spec.username] = user
    for username, code in REGISTRY_USER_AGENCIES.items():
        registry_user = User.objects.filter(username=username).first()
        if registry_user is None:
            continue
        registry_user.agency = agencies.get(code)
        if username in EMAILS and not registry_user.email:
            registry_user.email = EMAILS[username]
        registry_user.save(update_fields=["agency", "email"])
        users[username] = registry_user
    return users, [spec.username for spec in AGENCY_USERS]


def _apply_events(
    period: ReportingPeriod, events, *, author, reviewer, text: str, figures, today: D, rnd
) -> str:
    """Create the period's report and replay its events with their dates (kept in the history)."""
    from hoptac.tasks.services import period_cache_refresh

    events = [e for e in events if e[1] <= today]
    if not events:
        return ""
    first_day = events[0][1]
    report = ProgressReport(
        period=period,
        agency=period.agency,
        status=ProgressStatus.COMPLETED if period.end < today else ProgressStatus.IN_PROGRESS,
        text=text,
        figures=figures,
        created_by=author,
    )
    created_at = _at(first_day - datetime.timedelta(days=rnd.randint(1, 6)), 8)
    set_history_date(report, created_at)
    set_history_user(report, author)
    report.save()
    ProgressReport.objects.filter(pk=report.pk).update(created_at=created_at)
    for index, (event, day, comment) in enumerate(events):
        set_history_date(report, _at(day, 9 + index))
        if event == "draft":
            report.status = ProgressStatus.IN_PROGRESS
            set_history_user(report, author)
        elif event == "submit":
            report.state = ReportState.SUBMITTED
            report.submitted_by = author
            report.submitted_at = _at(day, 9 + index)
            set_history_user(report, author)
        else:
            report.state = ReportState.ACCEPTED if event == "accept" else ReportState.RETURNED
            report.reviewed_by = reviewer
            report.reviewed_at = _at(day, 9 + index)
            report.review_comment = comment
            set_history_user(report, reviewer)
        report.save()
        period_cache_refresh(period, report)
    if rnd.random() < 0.5 or report.state == ReportState.ACCEPTED:
        attachment = Attachment(
            report=report,
            original_name=f"bao-cao-{period.start:%Y-%m}.pdf",
            content_type="application/pdf",
            uploaded_by=author,
        )
        content = _minimal_pdf(f"Bao cao {period.label}")
        attachment.file.save(attachment.original_name, ContentFile(content), save=False)
        attachment.size = len(content)
        attachment.save()
    return report.state


def _figures(code: str, rnd) -> tuple[str, list[dict]]:
    if code == "III.1.a":
        values = {"n_new": rnd.randint(8, 16), "n_ocop": rnd.randint(4, 11)}
        figures = [
            {"label": "HTX, THT nông nghiệp thành lập mới", "value": values["n_new"], "unit": "tổ chức"},
            {"label": "HTX có sản phẩm OCOP được công nhận", "value": values["n_ocop"], "unit": "HTX"},
        ]
    elif code == "III.1.b":
        values = {"n_chain": rnd.randint(3, 9), "n_meet": rnd.randint(1, 3)}
        figures = [
            {"label": "HTX ký hợp đồng liên kết mới", "value": values["n_chain"], "unit": "HTX"},
            {"label": "Diện tích liên kết", "value": rnd.randint(120, 480), "unit": "ha"},
        ]
    else:
        values = {
            "n_class": rnd.randint(3, 8),
            "n_people": rnd.randint(150, 420),
            "n_young": rnd.randint(2, 9),
        }
        figures = [
            {
                "label": "Lượt cán bộ, thành viên HTX được bồi dưỡng",
                "value": values["n_people"],
                "unit": "lượt",
            },
            {"label": "Lao động trẻ về làm việc tại HTX", "value": values["n_young"], "unit": "người"},
        ]
    return TEXTS[code].format(**values), figures


def _local_events(rnd, due: D, today: D) -> list[tuple[str, D, str]]:
    """A local government's yearly report: mostly on time, some late, some never filed."""
    roll = rnd.random()
    if roll < 0.62:
        sent = due - datetime.timedelta(days=rnd.randint(0, 12))
    elif roll < 0.80:
        sent = due + datetime.timedelta(days=rnd.randint(3, 45))
    else:
        return []
    events = [(S, sent, "")]
    if rnd.random() < 0.08:
        review = sent + datetime.timedelta(days=rnd.randint(3, 10))
        events.append(
            ("return", review, "Đề nghị bổ sung số liệu thành viên, doanh thu của các HTX trên địa bàn.")
        )
    else:
        events.append(("accept", sent + datetime.timedelta(days=rnd.randint(2, 20)), ""))
    return [e for e in events if e[1] <= today]


def _yearly_states(rnd, today: D) -> dict[str, int]:
    """The registry's yearly data join the review flow: years up to 2024 accepted, 2025 a mix."""
    from hoptac.registry.models import YearlyReport, YearlyReportState

    YearlyReport.objects.filter(year__lte=2024).exclude(state=YearlyReportState.ACCEPTED).update(
        state=YearlyReportState.ACCEPTED
    )
    reports = list(YearlyReport.objects.filter(year=2025).order_by("organisation__registration_code", "pk"))
    buckets: dict[str, list[int]] = {s: [] for s in YearlyReportState.values}
    returned_ids = []
    for report in reports:
        roll = rnd.random()
        if roll < 0.70:
            state = YearlyReportState.ACCEPTED
        elif roll < 0.82:
            state = YearlyReportState.SUBMITTED
        elif roll < 0.87:
            state = YearlyReportState.RETURNED
            returned_ids.append(report.pk)
        else:
            state = YearlyReportState.DRAFT
        buckets[state].append(report.pk)
    for value, ids in buckets.items():
        YearlyReport.objects.filter(pk__in=ids).update(state=value)
    YearlyReport.objects.filter(pk__in=buckets[YearlyReportState.DRAFT]).update(submitted_at=None)
    YearlyReport.objects.filter(pk__in=returned_ids).update(
        review_comment="Doanh thu và số thành viên thay đổi nhiều so với năm trước; đề nghị kiểm tra, giải trình.",
        reviewed_at=_at(D(2025, 12, 22)),
    )
    # The demo representative's cooperative has not submitted 2025 yet: they can try the flow.
    from .registry import DEMO_USERS

    for spec in DEMO_USERS:
        if spec.organisation_name:
            YearlyReport.objects.filter(organisation__name=spec.organisation_name, year=2025).update(
                state=YearlyReportState.DRAFT, submitted_at=None
            )
    counts = {state: YearlyReport.objects.filter(year=2025, state=state).count() for state in buckets}
    counts["total_2025"] = len(reports)
    return counts


def demo_reset() -> None:
    for model in (Reminder, Attachment, ProgressReport, ReportingPeriod, AgencyMerge, TaskAssignment):
        if hasattr(model, "history"):
            model.history.model.objects.all().delete()
        if model is Attachment:
            for attachment in Attachment.objects.all():
                attachment.file.delete(save=False)
        model.objects.all().delete()
    TaskAssignment.history.model.objects.all().delete()
    Agency.objects.update(merged_on=None)


def demo_load(*, seed: int = DEMO_SEED, today: D | None = None, reset: bool = False) -> DemoResult:
    """Load the demo follow-up in one transaction. Without `reset`, an existing follow-up is reused."""
    from hoptac.plans.models import Plan
    from hoptac.tasks import services

    started = time.perf_counter()
    today = today or timezone.localdate()
    plan = Plan.objects.filter(code=PLAN_CODE).first()
    if plan is None:
        raise DemoError("Chưa có Kế hoạch 139: chạy `manage.py load_data plans --shipped` trước.")
    with transaction.atomic():
        if reset:
            demo_reset()
        datafiles.load_path("agencies", datafiles.data_dir() / "agencies" / AGENCY_FILE)
        users, created_users = _users(today)
        if not reset and ProgressReport.objects.exists():
            services.periods_refresh(today=today)
            return DemoResult(
                reused=True,
                agencies=Agency.objects.count(),
                periods=ReportingPeriod.objects.count(),
                users=created_users,
            )
        rnd = random.Random(seed)
        agencies = {a.code: a for a in Agency.objects.all()}
        officer, reviewer = users["khdt"], users.get("tinh") or users["khdt"]
        services.assignments_ensure(plan=plan)
        # The follow-up rows existed from the plan's loading, before the officer's assignment.
        TaskAssignment.history.filter(history_type="+").update(history_date=_at(plan.issued_on, 8))
        assignments = {a.plan_task.code: a for a in TaskAssignment.objects.filter(plan_task__plan=plan)}
        for code, spec in ASSIGNMENTS.items():
            assignment = assignments.get(code)
            if assignment is None:
                continue
            set_history_date(assignment, _at(ASSIGNED_ON, 10))
            services.assignment_save(
                user=officer,
                assignment=assignment,
                lead_agency=agencies[spec["lead"]],
                cooperating=[agencies[c] for c in spec["cooperating"]],
                note=spec["note"],
                expected_output=spec["expected_output"],
                schedule=spec["schedule"],
                today=ASSIGNED_ON,
            )
            TaskAssignment.objects.filter(pk=assignment.pk).update(assigned_at=_at(ASSIGNED_ON, 10))
        services.periods_refresh(today=today)
        # Reports filed before the reorganisation, by Nam Định's agencies; then the hand-over on 1/7/2025;
        # then the reports filed by Ninh Bình's agencies.
        authors: dict[str, User | None] = {
            "so-nnptnt-nam-dinh": users["sonn"],
            "so-nnmt-ninh-binh": users["sonn"],
            "lmhtx-nam-dinh": users["lienminh"],
            "lmhtx-ninh-binh": users["lienminh"],
            "so-khdt-nam-dinh": users["khdt"],
            "so-tc-ninh-binh": users["khdt"],
        }
        counts: dict[str, int] = {}

        authors["ubnd-huyen-hai-hau"] = users.get("xa_haihau")
        authors["ubnd-xa-14236"] = users.get("xa_haianh")

        def play(period, events, text, figures):
            # Local governments without a demo account file through their own staff (no user recorded).
            author = authors.get(period.agency.code)
            state = _apply_events(
                period,
                events,
                author=author,
                reviewer=reviewer,
                text=text,
                figures=figures,
                today=today,
                rnd=rnd,
            )
            if state:
                counts[state] = counts.get(state, 0) + 1

        switch = D(2025, 7, 1)
        periods = list(
            ReportingPeriod.objects.select_related("agency", "assignment__plan_task", "obligation").order_by(
                "due", "pk"
            )
        )
        for phase in ("before", "after"):
            if phase == "after":
                services.agency_successions_apply(today=max(today, switch + datetime.timedelta(days=1)))
            for period in periods:
                filed_before = period.due < switch
                if (phase == "before") != filed_before:
                    continue
                period.refresh_from_db()
                if period.assignment is not None:
                    code = period.assignment.plan_task.code
                    events = TASK_SCENARIO.get((code, period.start), [])
                    text, figures = _figures(code, rnd)
                elif period.kind == "summary_report":
                    events = SUMMARY_SCENARIO.get(period.start, [])
                    text, figures = TEXTS["summary"].format(year=period.start.year), []
                else:
                    events = _local_events(rnd, period.due, today)
                    text, figures = TEXTS["local"].format(year=period.start.year), []
                play(period, events, text, figures)
        yearly = _yearly_states(rnd, today)
    return DemoResult(
        agencies=Agency.objects.count(),
        assignments=TaskAssignment.objects.exclude(assigned_by=None).count(),
        periods=ReportingPeriod.objects.count(),
        reports=counts,
        overdue=ReportingPeriod.objects.filter(due__lt=today, first_submitted_on__isnull=True).count(),
        merges=AgencyMerge.objects.count(),
        users=created_users,
        yearly=yearly,
        seconds=time.perf_counter() - started,
    )
