from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    """The voice of newcomers: signals from the community and consultations, both answered."""

    name = "sleutelnet.voice"
    label = "voice"
    verbose_name = _("Signals and consultations")
