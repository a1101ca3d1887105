"""The start page sends each user to the page of their main role; the manifest; translation status."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _

from sleutelnet.core.models import Role
from sleutelnet.core.selectors import primary_role
from sleutelnet.web import translations as translation_status

START_PAGES = {
    Role.COORDINATOR: "deployments:coordinator_queue",
    Role.POLICY_OFFICER: "reporting:policy_dashboard",
    Role.REQUESTER: "deployments:request_list",
    Role.KEY_PERSON: "deployments:portal",
    Role.PRIVACY_OFFICER: "privacy:log",
}


def home(request: HttpRequest) -> HttpResponse:
    """Redirect to the start page of the user's main role; others get a plain welcome."""
    role = primary_role(request.user)  # type: ignore[arg-type]
    if role in START_PAGES:
        return redirect(START_PAGES[role])  # type: ignore[index]
    if request.user.is_staff:  # administrators work in the admin
        return redirect("admin:index")
    return render(request, "web/home.html", {"role": role})


def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest, so a key person can put the portal on the phone's home screen."""
    body = {
        "name": "Sleutelnet",
        "short_name": "Sleutelnet",
        "description": _("Offers, agenda and reports for key persons"),
        "lang": get_language(),
        "dir": "rtl" if get_language_bidi() else "ltr",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#154273",
        "icons": [
            {"src": static("web/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("web/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("web/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
            {"src": static("web/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/manifest+json")


def translations(request: HttpRequest) -> HttpResponse:
    """How far each language is, and how much of it a native speaker still has to check."""
    rows = translation_status.all_statuses()
    names = dict(settings.LANGUAGES)
    return render(
        request,
        "web/translations.html",
        {"rows": [(row, names.get(row.code, row.code)) for row in rows], "portal_languages": settings.PORTAL_LANGUAGES},
    )
