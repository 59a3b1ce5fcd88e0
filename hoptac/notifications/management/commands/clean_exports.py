"""Remove the background exports (rows and files) older than EXPORT_KEEP_DAYS days. The task worker does it
too before each export; run it from cron where exports are rare (docs/deployment.md)."""

from django.core.management.base import BaseCommand

from hoptac.notifications.export_jobs import export_jobs_clean


class Command(BaseCommand):
    help = "Remove background exports (and their files) older than EXPORT_KEEP_DAYS days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Keep this many days instead.")

    def handle(self, *args, days=None, **options):
        removed = export_jobs_clean(days=days)
        self.stdout.write(f"{removed} export(s) removed")
