"""manage.py annual_report --plan CODE --year YEAR --out FILE.docx: the yearly report on a plan's
implementation (.docx) and its Excel annexes (written beside it, same name with .xlsx; or a .zip with both
when FILE ends in .zip)."""

import datetime
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hoptac.plans.models import Plan
from hoptac.reports.annual import build


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
        parser.add_argument("--plan", required=True, help="Mã kế hoạch, ví dụ nam-dinh-139-kh-ubnd-2022.")
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

    def handle(
        self, *args, plan, year, out, template, number, date, issuer, place, signer, signer_title, **options
    ):
        try:
            plan_obj = Plan.objects.get(code=plan)
        except Plan.DoesNotExist as exc:
            codes = ", ".join(Plan.objects.values_list("code", flat=True)) or "chưa có kế hoạch nào"
            raise CommandError(f"Không có kế hoạch mã '{plan}' (có: {codes}).") from exc
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
        started = time.perf_counter()
        try:
            files = build.build_annual_report(
                plan_obj, year, letterhead=overrides, template=Path(template) if template else None
            )
        except ValueError as exc:
            raise CommandError(
                f"Năm {year} không hợp lệ: từ năm gốc {plan_obj.baseline_year} đến năm nay."
            ) from exc
        target = Path(out)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.suffix.lower() == ".zip":
            target.write_bytes(files.zip())
            written = [target]
        else:
            docx_path = target if target.suffix.lower() == ".docx" else target.with_suffix(".docx")
            xlsx_path = docx_path.with_suffix(".xlsx")
            docx_path.write_bytes(files.docx)
            xlsx_path.write_bytes(files.xlsx)
            written = [docx_path, xlsx_path]
        seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo báo cáo năm {year} của Kế hoạch {plan_obj.number} trong {seconds} giây: "
                + ", ".join(str(p) for p in written)
            )
        )
