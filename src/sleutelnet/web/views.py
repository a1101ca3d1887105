"""The start page sends each user to the page of their main role."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from sleutelnet.core.models import Role
from sleutelnet.core.selectors import primary_role

START_PAGES = {
    Role.COORDINATOR: "deployments:coordinator_queue",
    Role.POLICY_OFFICER: "reporting:reach",
    Role.REQUESTER: "deployments:request_list",
    Role.KEY_PERSON: "deployments:offers",
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
