from django.conf import settings
from django.core.management.base import BaseCommand

from hoptac.areas.services import admin_units_load


class Command(BaseCommand):
    help = "Load the administrative map before and after 1/7/2025 (and the old→new mapping) from vietnamadminunits."

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            action="append",
            dest="provinces",
            help="Province code on the current map (repeatable). Default: HOPTAC_PROVINCE_CODES.",
        )

    def handle(self, *args, provinces=None, **options):
        result = admin_units_load(province_codes=provinces or settings.HOPTAC_PROVINCE_CODES)
        self.stdout.write(
            f"Đã nạp {result.provinces} tỉnh, {result.districts} huyện, {result.communes} xã/phường, "
            f"{result.successions} liên kết xã cũ → xã mới."
        )
