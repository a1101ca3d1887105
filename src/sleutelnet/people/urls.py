"""Pages of the people app: key persons, newcomers and the key person's own profile."""

from django.urls import path

from sleutelnet.people import views

app_name = "people"

urlpatterns = [
    path("coordinator/key-persons/", views.key_person_list, name="key_person_list"),
    path("coordinator/key-persons/export.<str:fmt>", views.key_person_export, name="key_person_export"),
    path("coordinator/key-persons/new/", views.key_person_new, name="key_person_new"),
    path("coordinator/key-persons/<uuid:uuid>/", views.key_person_detail, name="key_person_detail"),
    path("coordinator/key-persons/<uuid:uuid>/edit/", views.key_person_edit, name="key_person_edit"),
    path("coordinator/newcomers/", views.newcomer_list, name="newcomer_list"),
    path("coordinator/newcomers/export.<str:fmt>", views.newcomer_export, name="newcomer_export"),
    path("coordinator/newcomers/new/", views.newcomer_new, name="newcomer_new"),
    path("coordinator/newcomers/<uuid:uuid>/", views.newcomer_detail, name="newcomer_detail"),
    path("coordinator/newcomers/<uuid:uuid>/edit/", views.newcomer_edit, name="newcomer_edit"),
    path("coordinator/newcomers/<uuid:uuid>/consent/", views.newcomer_consent, name="newcomer_consent"),
    path("coordinator/consents/<uuid:uuid>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("me/profile/", views.profile, name="profile"),
    path("me/availability/", views.availability, name="availability"),
]
