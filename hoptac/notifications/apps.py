from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "hoptac.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (tells people of every review step: core.review.step_taken)
