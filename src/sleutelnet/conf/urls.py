"""The URL map: the web app at the root, the API under /api/v1, the admin under /admin."""

from django.contrib import admin
from django.urls import include, path

from sleutelnet.accounts.views import set_language

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1", include("sleutelnet.api.urls")),
    path("", include("sleutelnet.web.urls")),
]
