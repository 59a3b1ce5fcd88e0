from django.core.management.base import BaseCommand, CommandError

from hoptac.demo.registry import DEMO_SEED, DemoError, demo_load
from hoptac.registry.choices import OrganisationKind

KIND_LABELS = {
    OrganisationKind.HTX: "hợp tác xã",
    OrganisationKind.LHHTX: "liên hiệp hợp tác xã",
    OrganisationKind.THT: "tổ hợp tác",
    OrganisationKind.QTDND: "quỹ tín dụng nhân dân",
}


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class Command(BaseCommand):
    help = (
        "Nạp sổ đăng ký mẫu của tỉnh Nam Định cũ (HTX, LHHTX, THT, quỹ tín dụng nhân dân, lịch sử trạng thái, "
        "số liệu hằng năm 2020–2025) và các tài khoản dùng thử. Cần chạy load_admin_units trước."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=DEMO_SEED, help=f"Hạt giống ngẫu nhiên (mặc định {DEMO_SEED})."
        )
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Hệ số quy mô so với số liệu công bố (mặc định 1.0)."
        )
        parser.add_argument(
            "--reset", action="store_true", help="Xóa toàn bộ sổ đăng ký hiện có rồi tạo lại dữ liệu mẫu."
        )

    def handle(self, *args, seed, scale, reset, **options):
        if not 0 < scale <= 5:
            raise CommandError("--scale phải lớn hơn 0 và không quá 5.")
        try:
            result = demo_load(seed=seed, scale=scale, reset=reset)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        if result.reused:
            self.stdout.write(
                f"Cơ sở dữ liệu đã có {_number(result.organisations)} tổ chức: dùng lại dữ liệu hiện có, "
                "không nạp thêm. Chạy `manage.py load_demo --reset` để xóa và tạo lại."
            )
            return
        kinds = ", ".join(
            f"{_number(result.by_kind.get(kind, 0))} {label}" for kind, label in KIND_LABELS.items()
        )
        seconds = f"{result.seconds:.1f}".replace(".", ",")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp {_number(result.organisations)} tổ chức ({kinds}), "
                f"{_number(result.status_changes)} thay đổi trạng thái, {_number(result.reports)} báo cáo năm "
                f"và {result.users} tài khoản dùng thử trong {seconds} giây (hạt giống {seed}, quy mô {scale:g})."
            )
        )
        self.stdout.write("Xem tài khoản đăng nhập: manage.py demo_logins")
