"""Pages of the voice loop."""

from django.urls import path

from sleutelnet.voice import views

app_name = "voice"

urlpatterns = [
    path("signals/new/", views.signal_new, name="signal_new"),
    path("me/signals/", views.my_signals, name="my_signals"),
    path("me/signals/<uuid:uuid>/", views.my_signal, name="my_signal"),
    path("me/you-said-we-did/", views.you_said_we_did, name="you_said_we_did"),
    path("me/consultations/", views.my_consultations, name="my_consultations"),
    path("me/consultations/<uuid:uuid>/", views.my_consultation, name="my_consultation"),
    path("coordinator/signals/", views.triage, name="triage"),
    path("coordinator/signals/<uuid:uuid>/", views.triage_signal, name="triage_signal"),
    path("signals/", views.owned, name="owned"),
    path("signals/<uuid:uuid>/", views.owned_signal, name="owned_signal"),
    path("consultations/", views.consultations, name="consultations"),
    path("consultations/new/", views.consultation_new, name="consultation_new"),
    path("consultations/<uuid:uuid>/", views.consultation, name="consultation"),
    path("voice/figures/", views.figures, name="figures"),
]
