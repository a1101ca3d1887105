from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "sleutelnet.web"
    label = "web"
    verbose_name = "Web"
