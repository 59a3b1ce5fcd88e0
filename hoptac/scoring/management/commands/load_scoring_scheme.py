from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoptac.scoring.loader import SchemeFileError, shipped_files
from hoptac.scoring.services import scheme_file_load

STATUS = {
    "created": gettext_lazy("loaded"),
    "updated": gettext_lazy("updated"),
    "unchanged": gettext_lazy("unchanged"),
}


class Command(BaseCommand):
    help = (
        "Nạp (hoặc cập nhật) bộ tiêu chí đánh giá, xếp loại và bảng phân loại quy mô từ tệp YAML. "
        "Mỗi tệp được kiểm tra toàn bộ trước khi ghi; tệp có lỗi bị từ chối cả tệp."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="Đường dẫn tệp YAML.")
        parser.add_argument(
            "--all", action="store_true", help="Nạp mọi tệp có sẵn trong hoptac/scoring/schemes/."
        )

    def handle(self, *args, paths, all, **options):
        files = [Path(p) for p in paths]
        if all:
            files += shipped_files()
        if not files:
            raise CommandError(_("Give the files to load, or --all for the shipped ones."))
        failed = []
        for path in files:
            if not path.is_file():
                failed.append(f"{path}: {_('file not found')}")
                continue
            try:
                result = scheme_file_load(user=None, text=path.read_text(encoding="utf-8"), name=path.name)
            except SchemeFileError as exc:
                failed.append(exc.describe())
                continue
            except ValidationError as exc:
                failed.append(f"{path.name}: {' '.join(exc.messages)}")
                continue
            self.stdout.write(f"{path.name}: {result.obj} — {STATUS[result.status]}")
        if failed:
            raise CommandError("\n".join(failed))
