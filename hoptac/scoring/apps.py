from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "hoptac.scoring"
    verbose_name = _("Evaluation and rating")

    def ready(self) -> None:
        from . import workflow  # noqa: F401 — registers the ratings' review workflow
