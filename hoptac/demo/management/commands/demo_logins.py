import unicodedata
from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from hoptac.demo.registry import DEMO_PASSWORD, DEMO_USERS

HEADERS = ("Tên đăng nhập", "Mật khẩu", "Vai trò", "Phạm vi")


def _table(rows: Sequence[tuple[str, ...]]) -> str:
    rows = [tuple(unicodedata.normalize("NFC", cell) for cell in row) for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    lines = [rule]
    for index, row in enumerate(rows):
        lines.append("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |")
        if index == 0:
            lines.append(rule.replace("-", "="))
    lines.append(rule)
    return "\n".join(lines)


class Command(BaseCommand):
    help = "In danh sách tài khoản dùng thử (tên đăng nhập, mật khẩu, vai trò, phạm vi)."

    def handle(self, *args, **options):
        existing = set(
            get_user_model()
            .objects.filter(username__in=[u.username for u in DEMO_USERS])
            .values_list("username", flat=True)
        )
        rows = [HEADERS] + [(u.username, DEMO_PASSWORD, u.role_label, u.scope_label) for u in DEMO_USERS]
        self.stdout.write(f"Tài khoản dùng thử HợpTác (mật khẩu chung: {DEMO_PASSWORD})")
        self.stdout.write(_table(rows))
        missing = [u.username for u in DEMO_USERS if u.username not in existing]
        if missing:
            self.stdout.write(
                self.style.WARNING(
                    f"Chưa có trong cơ sở dữ liệu: {', '.join(missing)}. Chạy `manage.py load_demo` để tạo."
                )
            )
