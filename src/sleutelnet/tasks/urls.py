"""Pages of background tasks."""

from django.urls import path

from sleutelnet.tasks import views

app_name = "tasks"

urlpatterns = [
    path("tasks/", views.task_list, name="list"),
    path("tasks/<uuid:uuid>/", views.task_detail, name="detail"),
    path("tasks/<uuid:uuid>/download/", views.task_download, name="download"),
]
