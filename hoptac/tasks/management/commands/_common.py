import datetime

from django.core.management.base import CommandError
from django.utils import timezone


def parse_day(value: str | None) -> datetime.date:
    if not value:
        return timezone.localdate()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar day
        except ValueError:
            continue
    raise CommandError(f"Ngày không hợp lệ: {value} (dạng YYYY-MM-DD hoặc dd/mm/yyyy)")


def parse_offsets(value: str | None) -> list[int] | None:
    if value is None:
        return None
    try:
        return sorted({int(part) for part in value.split(",") if part.strip()})
    except ValueError as exc:
        raise CommandError(f"Danh sách số ngày không hợp lệ: {value} (ví dụ 7,1)") from exc
