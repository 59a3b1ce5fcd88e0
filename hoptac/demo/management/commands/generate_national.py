from django.core.management.base import BaseCommand, CommandError

from hoptac.demo.national import NATIONAL_SEED, REFERENCE_SIZE, NationalError, national_generate

from .load_demo import KIND_LABELS, _number


class Command(BaseCommand):
    help = (
        "Sinh dữ liệu quốc gia từ một hạt giống cố định: các tỉnh theo bản đồ từ 1/7/2025 và xã/phường trên cả hai "
        "bản đồ, HTX, LHHTX, THT, quỹ tín dụng nhân dân, lịch sử trạng thái, số liệu hằng năm 2020–2026, xếp loại, "
        "cán bộ tỉnh và xã, một kế hoạch mỗi tỉnh. Chạy sau migrate trên cơ sở dữ liệu trống; tự nạp bản đồ, bộ "
        "tiêu chí, quy mô và các kế hoạch kèm theo."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=NATIONAL_SEED,
            help=f"Hạt giống ngẫu nhiên (mặc định {NATIONAL_SEED}).",
        )
        parser.add_argument(
            "--organisations",
            type=int,
            default=REFERENCE_SIZE,
            help=f"Số tổ chức sinh ra (mặc định {REFERENCE_SIZE}: số liệu cuối năm 2024; 200000 cho năm 2030).",
        )
        parser.add_argument(
            "--provinces",
            default="",
            help="Mã các tỉnh theo bản đồ từ 1/7/2025, cách nhau bằng dấu phẩy (mặc định: cả 34 tỉnh).",
        )

    def handle(self, *args, seed, organisations, provinces, **options):
        codes = [code.strip() for code in provinces.split(",") if code.strip()]
        try:
            result = national_generate(seed=seed, organisations=organisations, province_codes=codes or None)
        except NationalError as exc:
            raise CommandError(str(exc)) from exc
        kinds = ", ".join(
            f"{_number(result.by_kind.get(kind, 0))} {label}" for kind, label in KIND_LABELS.items()
        )
        seconds = f"{result.seconds:.1f}".replace(".", ",")
        self.stdout.write(
            f"Đã sinh {_number(result.organisations)} tổ chức ({kinds}), {_number(result.status_changes)} thay đổi "
            f"trạng thái, {_number(result.users)} tài khoản, {result.plans} kế hoạch tỉnh, {_number(result.periods)} kỳ báo cáo trong {seconds} giây "
            f"(hạt giống {seed})."
        )
        if options["verbosity"] > 1:
            for name, spent in result.phases.items():
                self.stdout.write(f"  {name}: {spent:.1f} s")
        self.stdout.write(
            f"national: {result.organisations} organisations, {result.reports} yearly reports, "
            f"{result.assessments} assessments in {result.provinces} provinces"
        )
