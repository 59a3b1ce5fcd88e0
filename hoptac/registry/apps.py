from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "hoptac.registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from . import signals, workflow  # noqa: F401 — connects the receivers, registers the review workflow
        from .exports import register_exports

        register_exports()  # the exports that may run in the background (hoptac.core.downloads)
