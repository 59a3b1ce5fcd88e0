from django.core.management.base import BaseCommand, CommandError

from hoptac.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu của `manage.py backup`: THAY THẾ toàn bộ dữ liệu hiện có trong một giao dịch. "
        "Từ chối bản sao lưu có phiên bản lược đồ khác; so số dòng và mã kiểm tra từng bảng trước khi ghi nhận, "
        "sai khác thì không thay đổi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Tệp zip của bản sao lưu.")
        parser.add_argument("--no-media", action="store_true", help="Không khôi phục các tệp đã tải lên.")
        parser.add_argument(
            "--yes", action="store_true", help="Không hỏi lại (dữ liệu hiện có sẽ bị thay thế)."
        )

    def handle(self, *args, path, no_media, yes, **options):
        if not yes:
            answer = input("Toàn bộ dữ liệu hiện có sẽ bị thay thế bởi bản sao lưu. Gõ 'co' để tiếp tục: ")
            if answer.strip().lower() not in {"co", "có"}:
                raise CommandError("Đã hủy, không thay đổi gì.")
        try:
            manifest = restore_backup(path, media=not no_media)
        except (BackupError, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"Đã khôi phục {len(manifest['tables'])} bảng, {rows} dòng, {len(manifest['media'])} tệp "
            f"từ bản sao lưu lúc {manifest['created_at']}; số dòng và mã kiểm tra từng bảng khớp."
        )
