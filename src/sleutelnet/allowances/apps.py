from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllowancesConfig(AppConfig):
    """Volunteer allowances: what a region pays per hour and the yearly tax-free limits."""

    name = "sleutelnet.allowances"
    label = "allowances"
    verbose_name = _("Allowances")
