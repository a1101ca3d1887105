"""The URL map: the web app at the root, the API under /api/v1, the admin under /admin."""

from django.contrib import admin
from django.urls import include, path

from sleutelnet.accounts.views import set_language
from sleutelnet.web.health import healthz

urlpatterns = [
    # Answered by web.health.HealthCheckMiddleware before the rest; the URL names it for the matrix.
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1", include("sleutelnet.api.urls")),
    path("", include("sleutelnet.web.urls")),
]
