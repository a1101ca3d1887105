from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """The privacy officer's work: the processing log, data-subject requests and retention."""

    name = "sleutelnet.privacy"
    label = "privacy"
    verbose_name = _("Privacy")
