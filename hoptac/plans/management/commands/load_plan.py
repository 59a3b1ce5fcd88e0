from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from hoptac.plans.schema import PlanFileError
from hoptac.plans.services import plan_load_file


class Command(BaseCommand):
    help = "Load a plan file (YAML); loading it again updates the plan. A wrong file is refused whole."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")

    def handle(self, *args, paths, **options):
        translation.activate(settings.LANGUAGE_CODE)
        for path in paths:
            try:
                plan = plan_load_file(path=path)
            except FileNotFoundError as exc:
                raise CommandError(f"Không tìm thấy tệp {path}") from exc
            except PlanFileError as exc:
                lines = "\n".join(f"  - {p}" for p in exc.problems)
                raise CommandError(f"Tệp {path} bị từ chối, không có gì được nạp:\n{lines}") from exc
            self.stdout.write(
                f"Đã nạp kế hoạch {plan.number}: {plan.sections.count()} mục, {plan.targets.count()} chỉ tiêu, "
                f"{plan.tasks.count()} nhiệm vụ."
            )
