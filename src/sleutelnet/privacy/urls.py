"""Pages of the privacy officer."""

from django.urls import path

from sleutelnet.privacy import views

app_name = "privacy"

urlpatterns = [
    path("privacy/log/", views.processing_log, name="log"),
    path("privacy/log/export/", views.processing_log_export, name="log_export"),
    path("privacy/audit/", views.audit_log, name="audit"),
    path("privacy/audit/export/", views.audit_log_export, name="audit_export"),
]
