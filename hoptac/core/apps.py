from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hoptac.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Every hoptac model gets the field rules of core/validators.py; models prepared before the hook was
        # connected are covered here (attach_field_rules is idempotent).
        from django.apps import apps

        from . import dataversion
        from .forms import empty_labels_setup
        from .validators import attach_field_rules

        empty_labels_setup()
        dataversion.connect()

        for model in apps.get_models(include_auto_created=True):
            if model.__module__.startswith("hoptac."):
                attach_field_rules(model)
