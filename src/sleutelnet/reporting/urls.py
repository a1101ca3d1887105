"""Pages of the reporting app."""

from django.urls import path

from sleutelnet.reporting import views

app_name = "reporting"

urlpatterns = [
    path("policy/reach/", views.reach, name="reach"),
    path("coordinator/reach/", views.reach, name="coordinator_reach"),
]
