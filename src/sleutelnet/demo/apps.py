from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "sleutelnet.demo"
    label = "demo"
    verbose_name = "Demo"
