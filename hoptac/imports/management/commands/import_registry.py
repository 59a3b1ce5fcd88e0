from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from hoptac.accounts import roles
from hoptac.imports.importer import ImportRefused, import_registry
from hoptac.imports.reading import parse_year_option


class Command(BaseCommand):
    help = "Import organisations and yearly data from an .xlsx or .csv file (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="Only check and show what would change.")
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help="Year of the data, for a list that gives it nowhere (no year column, header or title).",
        )
        parser.add_argument(
            "--user", default=None, help="Username the changes are recorded for (default: a superuser)."
        )

    def handle(
        self, *args: Any, path: str, dry_run: bool, user: str | None, year: int | None = None, **options: Any
    ) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        actor = roles.command_user(user)
        if actor is None:
            raise CommandError("Không tìm thấy người dùng để ghi nhận thay đổi (--user).")
        try:
            result = import_registry(
                user=actor,
                content=Path(path).read_bytes(),
                filename=path,
                commit=not dry_run,
                year=parse_year_option(year),
            )
        except FileNotFoundError as exc:
            raise CommandError(f"Không tìm thấy tệp {path}") from exc
        except ImportRefused as exc:
            lines = "\n".join(f"  - {e}" for e in exc.result.errors)
            raise CommandError(f"Tệp bị từ chối, không có gì được ghi:\n{lines}") from exc
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError("; ".join(getattr(exc, "messages", [str(exc)]))) from exc
        for line in result.notes + result.skipped:
            self.stdout.write(line)
        for error in result.file_errors:
            self.stdout.write(f"  - {error}")
        if result.ignored:
            self.stdout.write(f"Các cột không nhận ra, không được đọc: {', '.join(result.ignored)}.")
        for row in result.rows:
            for error in row.errors:
                self.stdout.write(f"  - {error}")
        verb = "Sẽ" if dry_run else "Đã"
        self.stdout.write(
            f"{verb} tạo {result.count('create')}, cập nhật {result.count('update')}, giữ nguyên "
            f"{result.count('unchanged')}; {result.count('error')} dòng bị từ chối."
        )
        if dry_run and result.errors:
            raise CommandError("Có dòng bị từ chối: sửa tệp rồi chạy lại.")
