from django.core.management.base import BaseCommand, CommandError

from hoptac.demo.tasks import DEMO_SEED, DemoError, demo_load
from hoptac.tasks.management.commands._common import parse_day

STATE_LABELS = {
    "accepted": "được chấp nhận",
    "submitted": "chờ xem xét",
    "returned": "bị trả lại",
    "draft": "bản nháp",
}


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu theo dõi nhiệm vụ Kế hoạch 139: cơ quan, phân công (do cán bộ, không phải do kế hoạch), "
        "kỳ báo cáo 2023–2026, báo cáo tiến độ (đúng hạn, trễ hạn, bị trả lại, chưa nộp), sáp nhập cơ quan năm 2025 "
        "và trạng thái xem xét số liệu hằng năm. Cần chạy load_demo và load_data plans trước."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=DEMO_SEED, help=f"Hạt giống ngẫu nhiên (mặc định {DEMO_SEED})."
        )
        parser.add_argument("--today", help="Ngày của dữ liệu mẫu, YYYY-MM-DD (mặc định: hôm nay).")
        parser.add_argument("--reset", action="store_true", help="Xóa dữ liệu theo dõi nhiệm vụ rồi tạo lại.")

    def handle(self, *args, seed, today=None, reset=False, **options):
        try:
            result = demo_load(seed=seed, today=parse_day(today) if today else None, reset=reset)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        if result.reused:
            self.stdout.write(
                f"Đã có dữ liệu theo dõi nhiệm vụ ({result.periods} kỳ báo cáo): dùng lại, chỉ cập nhật cơ quan và kỳ "
                "báo cáo. Chạy `manage.py load_demo_tasks --reset` để tạo lại."
            )
            return
        reports = ", ".join(f"{n} {STATE_LABELS.get(k, k)}" for k, n in sorted(result.reports.items()))
        yearly = result.yearly
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp {result.agencies} cơ quan, {result.assignments} nhiệm vụ được cán bộ phân công, "
                f"{result.periods} kỳ báo cáo ({result.overdue} quá hạn chưa nộp), báo cáo: {reports}; "
                f"{result.merges} lần chuyển giao do sáp nhập; trong {result.seconds:.1f} giây."
            )
        )
        if yearly:
            self.stdout.write(
                f"Số liệu hằng năm 2025 ({yearly.get('total_2025', 0)} bản): {yearly.get('accepted', 0)} được chấp nhận, "
                f"{yearly.get('submitted', 0)} chờ xã xem xét, {yearly.get('returned', 0)} bị trả lại, "
                f"{yearly.get('draft', 0)} chưa nộp; các năm đến 2024: đã chấp nhận."
            )
        self.stdout.write(
            "Tài khoản cơ quan thêm (mật khẩu như demo_logins): "
            + ", ".join(result.users)
            + " — khdt: Sở KH&ĐT → Sở Tài chính (cơ quan thường trực); sonn: Sở NN&PTNT → Sở NN&MT; "
            "lienminh: Liên minh HTX."
        )
