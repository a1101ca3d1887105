from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sleutelnet.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from sleutelnet.core import processing

        processing.connect()
