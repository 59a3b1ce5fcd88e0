from django.conf import settings
from django.core.management.base import BaseCommand
from django_tasks.base import TaskResultStatus

from hoptac.core.formatting import format_date
from hoptac.tasks.jobs import send_reminders_task

from ._common import parse_day, parse_offsets


class Command(BaseCommand):
    help = (
        "Đưa việc gửi e-mail nhắc hạn vào hàng đợi (django-tasks); `manage.py db_worker` thực hiện. "
        "Gửi lại không bao giờ gửi trùng một lời nhắc."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="YYYY-MM-DD (mặc định: hôm nay)")
        parser.add_argument("--before", help="Số ngày trước hạn, ví dụ 7,1")
        parser.add_argument("--after", help="Số ngày sau hạn, ví dụ 1,7,30")

    def handle(self, *args, today=None, before=None, after=None, **options):
        day = parse_day(today)
        result = send_reminders_task.enqueue(day.isoformat(), parse_offsets(before), parse_offsets(after))
        if result.status == TaskResultStatus.SUCCESSFUL:
            value = result.return_value
            assert value is not None  # the task returns its counts (django-tasks types it optional)
            self.stdout.write(
                f"Nhắc hạn ngày {format_date(day)}: đã gửi {value['sent']}, bỏ qua {value['skipped']} (đã gửi trước), "
                f"lỗi {value['failed']}, không có người nhận {value['no_recipient']}."
            )
        elif result.status == TaskResultStatus.FAILED:
            self.stderr.write(
                f"Việc gửi nhắc hạn bị lỗi: {result.errors[0].traceback if result.errors else ''}"
            )
        else:
            backend = settings.TASKS.get("default", {}).get("BACKEND", "")
            self.stdout.write(
                f"Đã đưa vào hàng đợi ({backend}, mã {result.id}) việc nhắc hạn ngày {format_date(day)}. "
                "Chạy `manage.py db_worker` để gửi."
            )
