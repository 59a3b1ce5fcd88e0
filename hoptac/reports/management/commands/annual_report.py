"""manage.py annual_report --plan CODE|NUMBER --year YEAR --out FILE.docx: the yearly report on a plan's
implementation (.docx) and its Excel annexes (written beside it as FILE-bieu-phu-luc.xlsx, the name the report
cites; or a .zip with both when FILE ends in .zip). --provisional: figures from all submitted yearly data."""

import datetime
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hoptac.core.downloads import write_files
from hoptac.reports.annual import build
from hoptac.reports.annual.service import PlanNotFound, plan_by_reference


def _date(text: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(text, "%d/%m/%Y").date()  # noqa: DTZ007 — a calendar date
    except ValueError as exc:
        raise CommandError(f"Ngày không hợp lệ: {text} (dạng 31/12/2026).") from exc


class Command(BaseCommand):
    help = (
        "Tạo báo cáo năm về kết quả thực hiện kế hoạch (.docx theo thể thức Nghị định 30/2020/NĐ-CP) và các "
        "biểu phụ lục (.xlsx) từ số liệu trong hệ thống."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--plan",
            required=True,
            help="Mã kế hoạch (ví dụ nam-dinh-139-kh-ubnd-2022) hoặc số kế hoạch (ví dụ 139/KH-UBND).",
        )
        parser.add_argument("--year", required=True, type=int, help="Năm báo cáo.")
        parser.add_argument(
            "--out",
            required=True,
            help="Tệp .docx (các biểu phụ lục ghi cạnh đó, đuôi .xlsx) hoặc tệp .zip chứa cả hai.",
        )
        parser.add_argument("--template", help="Mẫu .docx khác mẫu có sẵn (ví dụ mẫu đã sửa trong Word).")
        parser.add_argument("--number", default="", help="Số văn bản (để trống: văn thư điền khi ban hành).")
        parser.add_argument("--date", help="Ngày ban hành dd/mm/yyyy (để trống: điền khi ký).")
        parser.add_argument(
            "--issuer", default="", help="Tên cơ quan ban hành, ví dụ 'Ủy ban nhân dân tỉnh Ninh Bình'."
        )
        parser.add_argument("--place", default="", help="Địa danh ghi ở dòng ngày tháng, ví dụ 'Ninh Bình'.")
        parser.add_argument("--signer", default="", help="Họ tên người ký.")
        parser.add_argument("--signer-title", default="", help="Chức vụ người ký, ví dụ 'PHÓ CHỦ TỊCH'.")
        parser.add_argument(
            "--provisional",
            action="store_true",
            help="Số liệu tạm tính: tính cả số liệu năm chưa được xã tiếp nhận (mặc định: chỉ số liệu chính thức).",
        )

    def handle(
        self,
        *args,
        plan,
        year,
        out,
        template,
        number,
        date,
        issuer,
        place,
        signer,
        signer_title,
        provisional,
        **options,
    ):
        try:
            plan_obj = plan_by_reference(plan)
        except PlanNotFound as exc:
            raise CommandError(str(exc)) from exc
        if template and not Path(template).is_file():
            raise CommandError(f"Không tìm thấy mẫu {template}.")
        overrides = {
            "number": number,
            "issue_date": _date(date) if date else None,
            "issuer_name": issuer,
            "place": place,
            "signer_name": signer,
            "signer_title": signer_title.upper(),
        }
        target = Path(out)
        docx_name = None
        if target.suffix.lower() != ".zip":
            target = target if target.suffix.lower() == ".docx" else target.with_suffix(".docx")
            docx_name = target.name
        started = time.perf_counter()
        try:
            files = build.build_annual_report(
                plan_obj,
                year,
                letterhead=overrides,
                template=Path(template) if template else None,
                provisional=provisional,
                docx_name=docx_name,
            )
        except ValueError as exc:
            raise CommandError(
                f"Năm {year} không hợp lệ: từ năm gốc {plan_obj.baseline_year} đến năm nay."
            ) from exc
        # Whole files or none: a command killed while writing leaves no truncated report (core.downloads).
        if target.suffix.lower() == ".zip":
            written = write_files({target: files.zip()})
        else:
            written = write_files({target: files.docx, target.parent / files.xlsx_name: files.xlsx})
        seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo báo cáo năm {year} của Kế hoạch {plan_obj.number} trong {seconds} giây: "
                + ", ".join(str(p) for p in written)
            )
        )
