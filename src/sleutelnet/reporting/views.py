"""Reach figures for policy officers (and coordinators): aggregates only, never a person."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from sleutelnet.core.models import Role
from sleutelnet.core.selectors import municipalities_for, region_ids
from sleutelnet.reporting.forms import ReachForm
from sleutelnet.reporting.selectors import reach as reach_selector


def reach(request: HttpRequest) -> HttpResponse:
    """Reports, hours and people reached per municipality in a period, with totals and hours per role."""
    user = request.user
    municipalities = municipalities_for(user).filter(  # type: ignore[arg-type]
        region_id__in=region_ids(user, Role.POLICY_OFFICER, Role.COORDINATOR)  # type: ignore[arg-type]
    )
    data = request.GET if "start" in request.GET or "end" in request.GET else None
    form = ReachForm(data, initial=ReachForm.defaults(), municipalities=municipalities)
    figures = None
    if data is None:
        d = ReachForm.defaults()
        figures = reach_selector(user, start=d["start"], end=d["end"])  # type: ignore[arg-type]
    elif form.is_valid():
        figures = reach_selector(
            user,  # type: ignore[arg-type]
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            municipality=form.cleaned_data.get("municipality"),
        )
    hours_by_role = [(_(label), hours) for label, hours in figures.hours_by_role] if figures else []
    return render(request, "reporting/reach.html", {"form": form, "figures": figures, "hours_by_role": hours_by_role})
