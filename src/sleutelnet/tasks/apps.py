from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "sleutelnet.tasks"
    label = "tasks"
    verbose_name = _("Background tasks")

    def ready(self) -> None:
        # Every app declares its background tasks in a `jobs` module (sleutelnet.tasks.registry).
        autodiscover_modules("jobs")
        # ...and the lists a user can download (core.list_exports).
        autodiscover_modules("lists")
