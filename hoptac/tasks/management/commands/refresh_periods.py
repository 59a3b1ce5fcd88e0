from django.core.management.base import BaseCommand

from hoptac.tasks.services import periods_refresh

from ._common import parse_day


class Command(BaseCommand):
    help = "Tạo/cập nhật các kỳ báo cáo từ lịch của nhiệm vụ và nghĩa vụ báo cáo (đến hết năm của --today)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="YYYY-MM-DD (mặc định: hôm nay)")

    def handle(self, *args, today=None, **options):
        result = periods_refresh(today=parse_day(today))
        self.stdout.write(
            f"Kỳ báo cáo: {result.created} mới, {result.updated} đổi hạn, {result.removed} bỏ; "
            f"{result.unassigned} kỳ không có cơ quan nhận (cơ quan chủ trì đã giải thể, cần phân công lại)."
        )
