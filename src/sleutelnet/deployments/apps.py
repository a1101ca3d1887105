from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeploymentsConfig(AppConfig):
    name = "sleutelnet.deployments"
    label = "deployments"
    verbose_name = _("Requests and assignments")
