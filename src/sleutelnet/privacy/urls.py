"""Pages of the privacy officer."""

from django.urls import path

from sleutelnet.privacy import subject_views, views

app_name = "privacy"

urlpatterns = [
    path("privacy/log/", views.processing_log, name="log"),
    path("privacy/log/export/", views.processing_log_export, name="log_export"),
    path("privacy/audit/", views.audit_log, name="audit"),
    path("privacy/audit/export/", views.audit_log_export, name="audit_export"),
    path("privacy/subjects/", subject_views.subjects, name="subjects"),
    path("privacy/subjects/newcomers/<uuid:uuid>/", subject_views.newcomer_subject, name="newcomer_subject"),
    path("privacy/subjects/newcomers/<uuid:uuid>/export/", subject_views.newcomer_subject_export, name="newcomer_subject_export"),
    path("privacy/subjects/newcomers/<uuid:uuid>/erase/", subject_views.newcomer_subject_erase, name="newcomer_subject_erase"),
    path("privacy/subjects/key-persons/<uuid:uuid>/", subject_views.key_person_subject, name="key_person_subject"),
    path("privacy/subjects/key-persons/<uuid:uuid>/export/", subject_views.key_person_subject_export, name="key_person_subject_export"),
    path("privacy/subjects/key-persons/<uuid:uuid>/erase/", subject_views.key_person_subject_erase, name="key_person_subject_erase"),
    path("privacy/retention/", subject_views.retention, name="retention"),
]
