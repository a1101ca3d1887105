"""Web pages. Each app's pages are included here (see docs/architecture.md)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from sleutelnet.accounts.views import LoginView
from sleutelnet.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("translations/", views.translations, name="translations"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("sleutelnet.deployments.urls")),
    path("", include("sleutelnet.people.urls")),
    path("", include("sleutelnet.reporting.urls")),
    path("", include("sleutelnet.notifications.urls")),
    path("", include("sleutelnet.privacy.urls")),
    path("", include("sleutelnet.accounts.urls")),
    path("", include("sleutelnet.voice.urls")),
    path("", include("sleutelnet.allowances.urls")),
    path("", include("sleutelnet.care.urls")),
    path("", include("sleutelnet.tasks.urls")),
    path("", include("sleutelnet.imports.urls")),
]
