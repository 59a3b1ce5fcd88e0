from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from hoptac.core.formatting import format_date
from hoptac.tasks.models import Agency
from hoptac.tasks.services import agency_merge, agency_successions_apply

from ._common import parse_day


class Command(BaseCommand):
    help = (
        "Chuyển công việc còn mở (nhiệm vụ, kỳ báo cáo chưa được chấp nhận, người dùng) của các cơ quan đã "
        "sáp nhập cho cơ quan kế thừa, giữ lịch sử. Mặc định: mọi cơ quan đã hết hiệu lực trước ngày --today."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="YYYY-MM-DD (mặc định: hôm nay)")
        parser.add_argument("--agency", help="Chỉ cơ quan có mã này")

    def handle(self, *args, today=None, agency=None, **options):
        day = parse_day(today)
        try:
            if agency:
                try:
                    merges = [agency_merge(agency=Agency.objects.get(code=agency))]
                except Agency.DoesNotExist as exc:
                    raise CommandError(f"Không có cơ quan mã {agency}") from exc
            else:
                merges = agency_successions_apply(today=day)
        except ValidationError as exc:
            raise CommandError("; ".join(str(m) for m in exc.messages)) from exc
        for merge in merges:
            self.stdout.write(
                f"{merge.agency.name} → {merge.successor.name} ({format_date(merge.effective_on)}): "
                f"{merge.assignments_moved} nhiệm vụ chủ trì, {merge.cooperations_moved} phối hợp, "
                f"{merge.periods_moved} kỳ báo cáo, {merge.users_moved} người dùng."
            )
        if not merges:
            self.stdout.write("Không có cơ quan nào cần chuyển giao.")
