"""The start page sends each user to the page of their main role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sleutelnet.core.selectors import primary_role


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"role": primary_role(request.user)})
