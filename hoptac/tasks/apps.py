from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "hoptac.tasks"
    label = "plan_tasks"
    verbose_name = _("Tasks and reporting calendar")

    def ready(self) -> None:
        from . import signals, workflow  # noqa: F401 — connects the receivers, registers the review workflow
