from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "sleutelnet.care"
    label = "care"
    verbose_name = _("Care for key persons")
