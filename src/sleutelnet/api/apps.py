from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sleutelnet.api"
    label = "api"
    verbose_name = "API"
