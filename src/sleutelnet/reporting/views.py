"""The dashboards: coordinator (today and this week), management (all figures of the region or
a municipality), policy officer (aggregates with small counts hidden), the printable quarterly
report, and a CSV/XLSX download of every table."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from sleutelnet.core import clock
from sleutelnet.core.exports import FORMATS, table_response
from sleutelnet.core.models import Role
from sleutelnet.core.selectors import municipalities_for, region_ids
from sleutelnet.reporting import selectors
from sleutelnet.reporting.dashboard import Dashboard, build, export_value
from sleutelnet.reporting.forms import PeriodForm
from sleutelnet.reporting.periods import Period
from sleutelnet.voice.selectors import voice_figures

#: Which roles each audience reads the figures in, and whether small counts are hidden on the page.
AUDIENCES: dict[str, tuple[tuple[str, ...], bool]] = {
    "coordinator": ((Role.COORDINATOR,), False),
    "policy": ((Role.POLICY_OFFICER,), True),
}


def _dashboard(request: HttpRequest, audience: str, *, suppress: bool | None = None, charts: bool = True) -> tuple[PeriodForm, Dashboard | None, dict[str, Any]]:
    roles, hide = AUDIENCES[audience]
    user = request.user
    regions = sorted(region_ids(user, *roles))  # type: ignore[arg-type]
    municipalities = municipalities_for(user).filter(region_id__in=regions).order_by("name")  # type: ignore[arg-type]
    data = request.GET if "kind" in request.GET else None
    form = PeriodForm(data, initial=PeriodForm.initial_for(clock.today()), municipalities=municipalities)
    if data is None:
        form = PeriodForm(PeriodForm.initial_for(clock.today()), municipalities=municipalities)
    if not form.is_valid():
        return form, None, {}
    period = form.period()
    municipality = form.cleaned_data.get("municipality")
    scope = selectors.Scope(regions=regions, municipality_id=municipality.pk if municipality else None)
    fig = selectors.figures(scope, period)
    voice = voice_figures(set(regions), period.start, period.last_day, municipality.pk if municipality else None)
    hide = hide if suppress is None else suppress
    threshold = fig.threshold if hide else None
    board = build(fig, threshold=threshold, voice=voice, charts=charts)
    board.state = selectors.key_person_state(regions, clock.today(), threshold=threshold)
    query = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    if municipality:
        query["municipality"] = municipality.pk
    context = {
        "query": urlencode(query),
        "previous_query": urlencode(query | _period_query(period.previous())),
        "next_query": urlencode(query | _period_query(period.following())),
        "municipality": municipality,
        "suppressed": hide,
    }
    return form, board, context


def _period_query(p: Period) -> dict[str, Any]:
    return {"kind": p.kind, "year": p.start.year, "number": p.number}


def _page(request: HttpRequest, audience: str, template: str) -> HttpResponse:
    form, board, extra = _dashboard(request, audience)
    return render(
        request,
        template,
        {
            "form": form,
            "board": board,
            "audience": audience,
            "page_url": reverse(f"reporting:{audience}_dashboard"),
            "report_url": reverse(f"reporting:{audience}_report"),
            "export_base": f"reporting:{audience}_export",
            "printed_on": clock.today(),
            **extra,
        },
    )


def coordinator_dashboard(request: HttpRequest) -> HttpResponse:
    """Management figures of the coordinator's region, or one municipality, in full."""
    return _page(request, "coordinator", "reporting/dashboard.html")


def policy_dashboard(request: HttpRequest) -> HttpResponse:
    """The same figures for policy officers: aggregates only, small counts hidden."""
    return _page(request, "policy", "reporting/dashboard.html")


def coordinator_report(request: HttpRequest) -> HttpResponse:
    """The printable quarterly report for the council (coordinator's copy, counts hidden as in print)."""
    return _page_report(request, "coordinator")


def policy_report(request: HttpRequest) -> HttpResponse:
    return _page_report(request, "policy")


def _page_report(request: HttpRequest, audience: str) -> HttpResponse:
    # A report leaves the building: small counts are always hidden, whoever prints it.
    form, board, extra = _dashboard(request, audience, suppress=True)
    return render(
        request,
        "reporting/report.html",
        {"form": form, "board": board, "audience": audience, "printed_on": clock.today(), **extra},
    )


def export(request: HttpRequest, audience: str, table: str, fmt: str) -> HttpResponse:
    """One table as CSV or XLSX, with small counts hidden (an export can go anywhere)."""
    if fmt not in FORMATS:
        raise Http404
    form, board, _extra = _dashboard(request, audience, suppress=True, charts=False)
    if board is None:
        raise Http404
    t = board.table(table)
    if t is None:
        raise Http404
    period = board.figures.current.period
    rows = [[export_value(v) for v in row] for row in t.body()]
    header = t.header()
    if t.note:
        rows.append([_("Note: %(note)s") % {"note": t.note}])
    th = board.threshold or 5
    rows.append(
        [_("<%(t)s: a count from 1 to %(m)s, hidden. x: hidden so that such a count cannot be worked out.") % {"t": th, "m": th - 1}]
    )
    return table_response(fmt, header, rows, filename=f"sleutelnet-{t.key}-{period.slug}")


def coordinator_export(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    return export(request, "coordinator", table, fmt)


def policy_export(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    return export(request, "policy", table, fmt)


def coordinator_today(request: HttpRequest) -> HttpResponse:
    """Operational: what needs the coordinator today and this week."""
    today = clock.today()
    regions = sorted(region_ids(request.user, Role.COORDINATOR))  # type: ignore[arg-type]
    week_end = today + dt.timedelta(days=7 - today.weekday())
    ops = selectors.operations(regions, today, week_end)
    return render(request, "reporting/today.html", {"ops": ops, "today": today, "week_end": week_end - dt.timedelta(days=1)})
