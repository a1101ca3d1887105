"""Pages of the reporting app."""

from django.urls import path

from sleutelnet.reporting import views

app_name = "reporting"

urlpatterns = [
    path("coordinator/today/", views.coordinator_today, name="coordinator_today"),
    path("coordinator/figures/", views.coordinator_dashboard, name="coordinator_dashboard"),
    path("coordinator/figures/report/", views.coordinator_report, name="coordinator_report"),
    path("coordinator/figures/<slug:table>.<str:fmt>", views.coordinator_export, name="coordinator_export"),
    path("policy/figures/", views.policy_dashboard, name="policy_dashboard"),
    path("policy/figures/report/", views.policy_report, name="policy_report"),
    path("policy/figures/<slug:table>.<str:fmt>", views.policy_export, name="policy_export"),
]
