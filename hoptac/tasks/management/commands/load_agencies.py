from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from hoptac.tasks.loader import AgencyFileError
from hoptac.tasks.services import agency_file_load_path


class Command(BaseCommand):
    help = (
        "Nạp tệp cơ quan (YAML): cơ quan, ngày hiệu lực, cơ quan kế thừa, UBND xã mới và nghĩa vụ báo cáo. "
        "Nạp lại để cập nhật; tệp sai bị từ chối toàn bộ."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        translation.activate(settings.LANGUAGE_CODE)
        try:
            result = agency_file_load_path(path=path)
        except FileNotFoundError as exc:
            raise CommandError(f"Không tìm thấy tệp {path}") from exc
        except AgencyFileError as exc:
            lines = "\n".join(f"  - {p}" for p in exc.problems)
            raise CommandError(f"Tệp {path} bị từ chối, không có gì được nạp:\n{lines}") from exc
        self.stdout.write(
            f"Đã nạp {len(result.agencies)} cơ quan ({result.created} mới, {result.updated} cập nhật) "
            f"và {result.obligations} nghĩa vụ báo cáo từ {path}."
        )
