from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hoptac.core import datafiles


class Command(BaseCommand):
    help = (
        "Nạp tệp dữ liệu (YAML) thuộc một loại: kế hoạch, bộ tiêu chí, phân loại quy mô, cơ quan. Mỗi tệp được "
        "kiểm tra toàn bộ trước khi ghi; tệp có lỗi bị từ chối cả tệp, mỗi lỗi một dòng (số dòng, khóa, lý do). "
        "Nạp lại để cập nhật. Mã thoát khác 0 khi có tệp bị từ chối."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.parse_args = parser.parse_intermixed_args  # type: ignore[method-assign]  # paths before or after options
        return parser

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(datafiles.kinds()), help="Loại tệp dữ liệu.")
        parser.add_argument("paths", nargs="*", help="Đường dẫn tệp YAML.")
        parser.add_argument(
            "--shipped",
            action="store_true",
            help="Nạp mọi tệp có sẵn của loại này (HOPTAC_DATA_DIR/<loại>/, mặc định data/<loại>/).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Chỉ kiểm tra và in các lỗi, không ghi gì vào cơ sở dữ liệu.",
        )

    def handle(self, *args, kind, paths, shipped, dry_run, **options):
        files = [(path, path) for path in paths]
        if shipped:
            files += [(path, _relative(path)) for path in datafiles.shipped_files(kind)]
        if not files:
            raise CommandError(_("Give the files to load, or --shipped for the shipped ones."))
        refused = []
        for path, shown in files:
            try:
                loaded = datafiles.load_path(kind, path, dry_run=dry_run)
            except datafiles.DataFileError as exc:
                refused.append(exc.describe(shown))
                continue
            outcome = datafiles.CHECKED if dry_run else datafiles.STATUS_LABELS[loaded.status]
            self.stdout.write(f"{shown}: {loaded.summary} — {outcome}")
        if refused:
            raise CommandError("\n".join(refused))


def _relative(path: Path) -> str:
    """A shipped file's path, relative to the current folder when it is under it (data/plans/…)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
