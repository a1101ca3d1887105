"""The URL map: the web app at the root, the API under /api/v1, the admin under /admin."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1", include("sleutelnet.api.urls")),
    path("", include("sleutelnet.web.urls")),
]
