from django.core.management.base import BaseCommand, CommandError

from hoptac.demo.scoring import DEMO_SEED, DemoError, demo_load
from hoptac.scoring.choices import AssessmentState, Band


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _pct(value) -> str:
    return "—" if value is None else f"{value:.1f}%".replace(".", ",")


class Command(BaseCommand):
    help = (
        "Nạp các bộ tiêu chí có sẵn và dữ liệu đánh giá, xếp loại mẫu: kết quả đã phê duyệt các năm 2022–2024 "
        "và đợt đánh giá năm 2025 đang thực hiện. Cần chạy load_demo trước."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=DEMO_SEED, help=f"Hạt giống ngẫu nhiên (mặc định {DEMO_SEED})."
        )
        parser.add_argument(
            "--reset", action="store_true", help="Xóa mọi đánh giá hiện có rồi tạo lại dữ liệu mẫu."
        )

    def handle(self, *args, seed, reset, **options):
        try:
            result = demo_load(seed=seed, reset=reset)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        if result.reused:
            self.stdout.write(
                f"Đã có {result.assessments} đánh giá: dùng lại, không nạp thêm. "
                "Chạy `manage.py load_demo_scoring --reset` để xóa và tạo lại."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp {_number(result.assessments)} đánh giá, {_number(result.scores)} điểm tiêu chí và "
                f"{_number(result.surveys)} phiếu "
                f"khảo sát mức độ hài lòng trong {_seconds(result.seconds)} giây (hạt giống {seed})."
            )
        )
        for year, figures in result.by_year.items():
            d = figures["distribution"]
            bands = ", ".join(
                f"{Band(b).label.lower()} {d[b]}" for b in ("good", "fair", "average", "weak", "not_rated")
            )
            states = ", ".join(
                f"{AssessmentState(k).label.lower()}: {v}" for k, v in sorted(figures["states"].items())
            )
            self.stdout.write(f"  {year}: {bands}; tốt + khá {_pct(d['share_good_fair_pct'])} ({states})")
