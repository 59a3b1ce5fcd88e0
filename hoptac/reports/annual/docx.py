"""The .docx of the yearly report: the template file (hoptac/reports/report_templates/bao-cao-nam.docx, or one
an officer saved from Word) rendered with docxtpl. `context()` lists every name a template may use; numbers
are already written the Vietnamese way (1.234; 8,7%), money in millions of đồng."""

import datetime
import io
from pathlib import Path
from typing import Any

from django.conf import settings
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from hoptac.core.formatting import format_date, format_millions, format_number, format_percent
from hoptac.plans.choices import TargetStatus

from . import charts as charts_module
from .data import KINDS, AnnualReport, GridRow, KindRow, RatingGroup, Ratings

# The tables and figures of the template in the order they appear; a table or figure absent from a report
# (no approved rating, a chart with no data) takes no number, so numbers run 1, 2, 3… with no gap.
TABLES = [
    "kinds",
    "sectors",
    "districts",
    "finance",
    "ratings",
    "ratings_kind",
    "ratings_sector",
    "targets",
    "tasks",
]
FIGURES = ["chart_sectors", "chart_ratings", "chart_targets"]

DEFAULT_TEMPLATE = Path(__file__).resolve().parent.parent / "report_templates" / "bao-cao-nam.docx"
CHART_WIDTH_MM = 150
ANNEXES = [
    ("Biểu 01", "Số lượng tổ chức kinh tế tập thể theo loại hình"),
    ("Biểu 02", "Số lượng tổ chức kinh tế tập thể theo lĩnh vực"),
    ("Biểu 03", "Số lượng tổ chức kinh tế tập thể theo huyện, thành phố (trước 01/7/2025)"),
    ("Biểu 04", "Số lượng tổ chức kinh tế tập thể theo xã, phường"),
    ("Biểu 05", "Thành viên, lao động, doanh thu và lợi nhuận theo loại hình"),
    ("Biểu 06", "Kết quả xếp loại hợp tác xã, liên hiệp hợp tác xã"),
    ("Biểu 07", "Kết quả thực hiện các mục tiêu của Kế hoạch"),
    ("Biểu 08", "Các nhiệm vụ và tình hình báo cáo tiến độ"),
]


def template_path() -> Path:
    """settings.HOPTAC_ANNUAL_REPORT_TEMPLATE (a .docx an officer edited) or the shipped template."""
    configured = getattr(settings, "HOPTAC_ANNUAL_REPORT_TEMPLATE", None)
    return Path(configured) if configured else DEFAULT_TEMPLATE


def n(value: float | int | None, decimals: int = 0) -> str:
    return format_number(value, decimals)


def millions(value: float | None) -> str:
    return format_millions(value, 0)


def pct(value: float | None) -> str:
    return format_percent(value, 1)


def _date(day: datetime.date) -> str:
    return format_date(day)


def _kind(row: KindRow, number: int | str = "") -> dict[str, Any]:
    return {
        "number": number,
        "label": row.label,
        "start": n(row.start),
        "new": n(row.new),
        "ceased": n(row.ceased),
        "end": n(row.end),
        "active": n(row.active),
        "active_share": pct(row.active / row.end * 100 if row.end else None),
    }


def _grid(row: GridRow, number: int | str = "") -> dict[str, Any]:
    label = f"{row.label} ({row.parent})" if row.parent else row.label
    return {
        "number": number,
        "label": label,
        **{k: n(row.counts.get(k, 0)) for k in KINDS},
        "total": n(row.total),
    }


def _finance(row) -> dict[str, Any]:
    return {
        "label": row.label,
        "organisations": n(row.organisations),
        "with_data": n(row.with_data),
        "members": n(row.members),
        "official_members": n(row.official_members),
        "workers": n(row.workers),
        "revenue": millions(row.revenue),
        "profit": millions(row.profit),
        "revenue_average": millions(row.revenue_average),
        "profit_average": millions(row.profit_average),
    }


def _sectors_sentence(report: AnnualReport) -> str:
    rows = sorted(report.situation.sectors, key=lambda r: -r.total)
    total = sum(r.total for r in rows)
    if not total:
        return "chưa có tổ chức"
    parts = [f"{r.label.lower()} {n(r.total)} tổ chức ({pct(r.total / total * 100)})" for r in rows]
    return "; ".join(parts)


def _districts_sentence(report: AnnualReport) -> str:
    rows = [r for r in report.situation.districts if r.parent == "" and r.code]
    if not rows:
        return ""
    top = max(rows, key=lambda r: r.total)
    low = min(rows, key=lambda r: r.total)
    return (
        f"Nhiều tổ chức nhất là {top.label} ({n(top.total)} tổ chức), ít nhất là {low.label} "
        f"({n(low.total)} tổ chức)."
    )


def _statuses_sentence(report: AnnualReport) -> str:
    parts = [f"{count} mục tiêu {label.lower()}" for _code, label, count in report.statuses if count]
    return "; ".join(parts) if parts else "chưa có mục tiêu"


def _tasks(report: AnnualReport) -> dict[str, Any]:
    tasks = report.tasks
    lines = [
        {
            "number": line.number,
            "code": line.code,
            "text": _short(line.text, 150),
            "lead": line.lead,
            "due": n(line.due),
            "on_time": n(line.on_time),
            "late": n(line.late),
            "overdue": n(line.overdue),
            "progress": line.progress or "—",
        }
        for line in tasks.lines
    ]
    count = len(tasks.lines)
    if tasks.source == "tasks":
        sentence = (
            f"Kế hoạch có {count} nhiệm vụ; {tasks.assigned} nhiệm vụ đã được phân công cơ quan chủ trì. Trong "
            f"năm {report.year} có {tasks.total('due')} kỳ báo cáo tiến độ đến hạn: {tasks.total('on_time')} kỳ "
            f"báo cáo đúng hạn, {tasks.total('late')} kỳ trễ hạn, {tasks.total('overdue')} kỳ quá hạn chưa nộp"
            + (f", {tasks.total('upcoming')} kỳ chưa đến hạn." if tasks.total("upcoming") else ".")
        )
    else:
        sentence = (
            f"Kế hoạch có {count} nhiệm vụ; {tasks.assigned} nhiệm vụ có cơ quan chủ trì được nêu trong Kế "
            "hoạch. Hệ thống chưa có dữ liệu theo dõi tiến độ, báo cáo của các nhiệm vụ."
        )
    no_difficulties = "Các báo cáo tiến độ đã nộp trong năm không nêu khó khăn, vướng mắc."
    return {
        "lines": lines,
        "sentence": sentence,
        "due": n(tasks.total("due")),
        "on_time": n(tasks.total("on_time")),
        "late": n(tasks.total("late")),
        "overdue": n(tasks.total("overdue")),
        "difficulties": [
            vars(d) | {"period": d.period[:1].lower() + d.period[1:]} for d in tasks.difficulties
        ],
        "no_difficulties": no_difficulties,
        "source": tasks.source,
    }


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def pace_short(line) -> str:
    """The yearly pace still needed, without "/năm" (the column says it): "+24,5", "+1,6 điểm %"."""
    target, pace = line.target, line.result.pace_needed
    if pace is None:
        return "—"
    decimals = 1 if target.is_percentage or abs(pace - round(pace)) >= 0.05 else 0
    text = format_number(pace, decimals, signed=target.kind != "flow")
    return f"{text} điểm %" if target.is_percentage else text


def _issuer_short(issuer: str) -> str:
    lowered = issuer.lower()
    for head in ("ủy ban nhân dân", "uỷ ban nhân dân"):
        if lowered.startswith(head):
            return "UBND" + issuer[len(head) :]
    return issuer


def plan_about(title: str) -> str:
    """ "về thực hiện Chương trình …" from the title "Kế hoạch thực hiện Chương trình …"."""
    words = title.split(" ", 2)
    if len(words) == 3 and " ".join(words[:2]).lower() == "kế hoạch":
        title = words[2]
    elif title.lower().startswith("kế hoạch "):
        title = title[len("kế hoạch ") :]
    if not title:
        return ""
    title = title[0].lower() + title[1:]
    return title if title.startswith("về ") else f"về {title}"


def subject(report: AnnualReport) -> str:
    plan = report.plan
    return (
        f"Kết quả thực hiện Kế hoạch số {plan.number} ngày {_date(plan.issued_on)} của "
        f"{_issuer_short(plan.issuer)} năm {report.year}"
    )


def ratings_shown(ratings: Ratings) -> bool:
    return ratings.available and ratings.year is not None


def numbering(report: AnnualReport, charts: dict[str, Any]) -> dict[str, dict[str, int]]:
    """{"t": {table: number}, "f": {figure: number}}: numbers generated in the template's order, skipping
    what this report does not show (the template shows the same under the same conditions)."""
    ratings = report.situation.ratings
    shown_ratings = ratings_shown(ratings)
    tables = {
        "ratings": shown_ratings,
        "ratings_kind": shown_ratings,
        "ratings_sector": shown_ratings,
    }
    figures = {name: bool(charts.get(name)) for name in FIGURES}
    figures["chart_ratings"] = figures["chart_ratings"] and shown_ratings
    return {
        "t": {name: i for i, name in enumerate([t for t in TABLES if tables.get(t, True)], start=1)},
        "f": {name: i for i, name in enumerate([f for f in FIGURES if figures[f]], start=1)},
    }


def _rating_group(group: RatingGroup, number: int | str = "") -> dict[str, Any]:
    return {
        "number": number,
        "label": group.label,
        **{b: n(group.now.get(b, 0)) for b in ("good", "fair", "average", "weak")},
        "rated": n(group.rated),
        "share": pct(group.share_good_fair),
        "share_before": pct(group.share_good_fair_before) if group.rated_before else "—",
    }


def _compare_sentence(ratings: Ratings) -> str:
    total = ratings.total_group()
    now, before = total.share_good_fair, total.share_good_fair_before
    if now is None or before is None:
        return ""
    diff = now - before
    if abs(diff) < 0.05:
        change = "không đổi"
    else:
        change = f"{'tăng' if diff > 0 else 'giảm'} {format_number(abs(diff), 1)} điểm phần trăm"
    return f" (năm {ratings.previous_year}: {pct(before)}; {change})"


def provenance_sentence(report: AnnualReport) -> str:
    p = report.provenance
    if p is None:
        return ""
    counts = (
        f"{n(p.accepted)} tổ chức có số liệu năm {report.data_year} đã được tiếp nhận, {n(p.pending)} tổ chức "
        f"có số liệu chưa được tiếp nhận (đang soạn, chờ duyệt hoặc bị trả lại), {n(p.missing)} tổ chức chưa có "
        "số liệu"
    )
    if report.provisional:
        return f"Số liệu tạm tính: gồm cả số liệu năm chưa được xã, phường tiếp nhận ({counts})."
    return f"Số liệu chính thức: chỉ gồm số liệu năm đã được xã, phường tiếp nhận ({counts})."


def annex_filename(report: AnnualReport) -> str:
    """The annexes' file name the report cites (set by build.build_annual_report from the report's name)."""
    return report.annex_file or f"bao-cao-{report.plan.code}-{report.year}-bieu-phu-luc.xlsx"


def context(report: AnnualReport, images: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every name the template may use."""
    s = report.situation
    lh = report.letterhead
    plan = report.plan
    if lh.issue_date:
        date_text = f"ngày {lh.issue_date.day:02d} tháng {lh.issue_date.month:02d} năm {lh.issue_date.year}"
    else:
        blank = "\u00a0" * 5
        date_text = f"ngày{blank}tháng{blank}năm {lh.issue_year}"
    totals = s.kinds_total()
    ratings = s.ratings
    attention = []
    for status in (TargetStatus.AT_RISK, TargetStatus.BEHIND, TargetStatus.NO_DATA):
        names = [t.name for t in report.targets if t.status == status]
        if names:
            label = next(label for code, label, _count in report.statuses if code == status)
            attention.append({"label": label, "count": len(names), "names": "; ".join(names)})
    title = plan.title.strip()
    legacy_areas = report.map_now == "current"
    return {
        "lh": {
            **vars(lh),
            "number_text": lh.number or "\u00a0" * 10,
            "date_text": date_text,
        },
        "subject": subject(report),
        "plan": {
            "number": plan.number,
            "issued_on": _date(plan.issued_on),
            "issuer": plan.issuer,
            "title": title,
            "about": plan_about(title),
            "short_title": plan.short_title,
            "baseline_year": plan.baseline_year,
        },
        "year": report.year,
        "as_of": _date(report.as_of),
        "start_day": _date(datetime.date(report.year - 1, 12, 31)),
        "today": _date(report.generated_on),
        "data_year": report.data_year,
        "partial": report.partial,
        "merged": bool(report.plan_province) and report.plan_province != lh.place,
        "plan_province": report.plan_province,
        "k": {row.kind: _kind(row) for row in s.kinds},
        "kinds": [_kind(row, i) for i, row in enumerate(s.kinds, start=1)],
        "total": _kind(totals),
        "sectors": [_grid(row, i) for i, row in enumerate(s.sectors, start=1)],
        "sectors_total": _grid(s.grid_total(s.sectors)),
        "sectors_sentence": _sectors_sentence(report),
        "districts": [_grid(row, i) for i, row in enumerate(s.districts, start=1)],
        "districts_total": _grid(s.grid_total(s.districts)),
        "districts_sentence": _districts_sentence(report),
        "area_basis": "các huyện, thành phố trước ngày 01/7/2025 (bản đồ hành chính của Kế hoạch)",
        "commune_basis": "xã, phường sau ngày 01/7/2025" if legacy_areas else "xã, phường, thị trấn",
        "area_caption": "(huyện, thành phố trước ngày 01/7/2025)",
        "area_header": "Huyện, thành phố",
        "finance": [_finance(row) for row in s.finance],
        "fin_total": _finance(s.finance_total()),
        "fin_htx": _finance(s.finance_of("htx")),
        "ratings": {
            "available": ratings.available,
            "rows": [
                {"number": i, "label": r.label, "count": n(r.count), "share": pct(ratings.share(r.band))}
                for i, r in enumerate(ratings.rows, start=1)
            ]
            + (
                [
                    {
                        "number": len(ratings.rows) + 1,
                        "label": "Chưa có kết quả đánh giá được phê duyệt",
                        "count": n(ratings.not_assessed),
                        "share": "",
                    }
                ]
                if ratings.available
                else []
            ),
            "population": n(ratings.population),
            "assessed": n(ratings.assessed),
            "rated": n(ratings.rated),
            "not_assessed": n(ratings.not_assessed),
            "not_rated": n(ratings.count("not_rated")),
            "assessed_count": ratings.assessed,
            "latest_year": report.latest_rated_year,
            "share_good_fair": pct(ratings.share_good_fair),
            **{b: n(ratings.count(b)) for b in ("good", "fair", "average", "weak")},
            "shown": ratings_shown(ratings),
            "year": ratings.year,
            "previous_year": ratings.previous_year,
            "fallback": ratings.fallback,
            "by_kind": [_rating_group(g, i) for i, g in enumerate(ratings.by_kind, start=1)],
            "by_sector": [_rating_group(g, i) for i, g in enumerate(ratings.by_sector, start=1)],
            "total": _rating_group(ratings.total_group()),
            "compare_sentence": _compare_sentence(ratings),
        },
        "provisional": report.provisional,
        "provenance": provenance_sentence(report),
        "no": numbering(report, images or {}),
        "targets": [vars(t) | {"target": t.target, "pace_short": pace_short(t)} for t in report.targets],
        "statuses_sentence": _statuses_sentence(report),
        "attention": attention,
        "tasks": _tasks(report),
        "annexes": [{"code": code, "title": title} for code, title in ANNEXES],
        "annex_file": annex_filename(report),
        **(images or {}),
    }


def render(
    report: AnnualReport, *, template: Path | None = None, chart_png: dict[str, bytes | None] | None = None
) -> bytes:
    document = DocxTemplate(str(template or template_path()))
    chart_png = charts_module.all_charts(report) if chart_png is None else chart_png
    images = {
        name: InlineImage(document, io.BytesIO(png), width=Mm(CHART_WIDTH_MM)) if png else ""
        for name, png in chart_png.items()
    }
    document.render(context(report, images), autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
