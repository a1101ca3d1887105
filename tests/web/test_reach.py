"""The reach page: aggregates per municipality and per role, for policy officers and coordinators."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sleutelnet.deployments import services
from tests.web.conftest import accepted_in_past, report_data

pytestmark = pytest.mark.django_db


def approved(world, days_ago, **report):  # type: ignore[no-untyped-def]
    a = accepted_in_past(world, days_ago)
    services.submit_report(actor=world.key_person_user, assignment=a, data=report_data(a, **report))
    services.approve_report(actor=world.coordinator, assignment=a)
    return a


def test_reach_table_with_totals_and_hours_by_role(client, world):
    approved(world, 2, participants=10, participants_little_dutch=6)
    approved(world, 4, participants=5, participants_little_dutch=1)
    client.force_login(world.policy_officer)
    html = client.get("/policy/reach/").content.decode()
    assert world.municipality.name in html
    assert "<tfoot>" in html
    assert ">15<" in html  # participants total
    assert ">7<" in html  # of whom little Dutch
    assert "Translator" in html  # role labels through gettext
    assert world.key_person.full_name not in html  # aggregates only


def test_reach_period_and_validation(client, world):
    approved(world, 2)
    client.force_login(world.coordinator)
    today = timezone.localdate()
    response = client.get(
        "/coordinator/reach/", {"start": (today - dt.timedelta(days=1)).isoformat(), "end": today.isoformat()}
    )
    assert "No approved reports in this period." in response.content.decode()
    response = client.get("/policy/reach/", {"start": today.isoformat(), "end": (today - dt.timedelta(days=3)).isoformat()})
    assert response.status_code == 200
    assert 'id="id_end-error"' in response.content.decode()
    response = client.get("/policy/reach/", {"start": "abc", "end": today.isoformat()})
    assert 'id="id_start-error"' in response.content.decode()


def test_reach_municipality_of_other_region_is_refused(client, world, other_world):
    client.force_login(world.policy_officer)
    today = timezone.localdate()
    response = client.get(
        "/policy/reach/", {"start": today.isoformat(), "end": today.isoformat(), "municipality": other_world.municipality.pk}
    )
    assert 'id="id_municipality-error"' in response.content.decode()
