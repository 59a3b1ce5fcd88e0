from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hoptac.core.backup import write_backup


class Command(BaseCommand):
    help = (
        "Sao lưu toàn bộ cơ sở dữ liệu (SQLite hoặc PostgreSQL) và các tệp đã tải lên (MEDIA_ROOT) vào một tệp zip "
        "di động: manifest.json (phiên bản lược đồ, số dòng và mã kiểm tra SHA-256 của từng bảng), mỗi bảng một "
        "tệp JSON Lines. Khôi phục bằng `manage.py restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            help="Tệp zip sẽ ghi (mặc định: hoptac-backup-<thời điểm>.zip trong thư mục hiện tại).",
        )
        parser.add_argument("--no-media", action="store_true", help="Không kèm các tệp đã tải lên.")

    def handle(self, *args, path, no_media, **options):
        target = Path(path or f"hoptac-backup-{timezone.now():%Y%m%d-%H%M%S}.zip")
        if target.exists():
            raise CommandError(f"Tệp {target} đã có; chọn tên khác (bản sao lưu không ghi đè tệp cũ).")
        partial = target.with_name(target.name + ".partial")
        try:
            manifest = write_backup(partial, media=not no_media)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.rename(target)
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"Đã sao lưu {len(manifest['tables'])} bảng, {rows} dòng, {len(manifest['media'])} tệp vào {target}."
        )
