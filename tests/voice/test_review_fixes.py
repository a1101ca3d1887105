"""Defects a second review found in the voice loop, each kept fixed by a test."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from sleutelnet.core import clock
from sleutelnet.core.exceptions import InvalidTransition
from sleutelnet.core.models import Membership, Role
from sleutelnet.voice import services as voice
from sleutelnet.voice.models import Signal, SignalStatus
from sleutelnet.voice.selectors import asked_of, voice_figures
from tests import factories as f
from tests.auth import api_client, login
from tests.conftest import make_world
from tests.voice.test_loops import ask, signal_data

pytestmark = pytest.mark.django_db


def test_a_token_of_one_organisation_cannot_ask_for_another(world):
    other = make_world("Twente")
    Membership.objects.create(user=world.requester, region=other.region, role=Role.REQUESTER, organisation=other.organisation)
    client = api_client(world.requester, organisation=world.organisation)
    body = {"title": "T", "question": "Q", "deadline": clock.today().isoformat(), "roles": ["translator"], "organisation": str(other.organisation.uuid)}
    answer = client.post("/api/v1/consultations", body, format="json")
    assert answer.status_code == 400 and answer.json()["invalidParams"][0]["name"] == "organisation"
    assert not other.region.consultations.exists()


def test_the_call_me_flag_is_for_the_coordinator_only(world):
    s = voice.raise_signal(actor=world.key_person_user, data=signal_data(world, distressing=True))
    voice.route_signal(actor=world.coordinator, signal=s, deadline=clock.today(), owner_user=world.policy_officer)
    seen = api_client(world.policy_officer).get(f"/api/v1/signals/{s.uuid}").json()
    assert "distressing" not in seen
    coordinator = Client(headers={"accept-language": "en"})
    login(coordinator, world.coordinator)
    html = coordinator.get(f"/coordinator/signals/{s.uuid}/").content.decode()
    assert "would like a call" in html and world.key_person.full_name in html


def test_a_merged_duplicate_follows_the_main_signal(world):
    main = voice.raise_signal(actor=world.key_person_user, data=signal_data(world))
    other = f.member("key_person", world.region)
    f.KeyPersonFactory(region=world.region, user=other)
    dup = voice.raise_signal(actor=other, data=signal_data(world, theme="Dubbel"))
    voice.route_signal(actor=world.coordinator, signal=dup, deadline=clock.today(), owner_user=world.policy_officer)
    voice.merge_signal(actor=world.coordinator, duplicate=dup, into=main)
    dup.refresh_from_db()
    assert dup.owner_user is None and dup.deadline is None
    with pytest.raises(InvalidTransition):
        voice.answer_signal(actor=world.policy_officer, signal=dup, answer="x")
    voice.start_triage(actor=world.coordinator, signal=main)
    dup.refresh_from_db()
    assert dup.status == SignalStatus.TRIAGE


def test_the_figures_count_late_and_reopened_answers_rightly(world):
    day = clock.today()
    late = voice.raise_signal(actor=world.key_person_user, data=signal_data(world, theme="Laat"))
    voice.route_signal(actor=world.coordinator, signal=late, deadline=day, owner_user=world.policy_officer)
    # answered at 00:30 Amsterdam time the day after the deadline (still the deadline's day in UTC)
    with freeze_time(timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 30)))):
        voice.answer_signal(actor=world.policy_officer, signal=late, answer="Te laat.", publish=True)
    overdue = voice.raise_signal(actor=world.key_person_user, data=signal_data(world, theme="Nooit"))
    voice.route_signal(actor=world.coordinator, signal=overdue, deadline=day, owner_user=world.policy_officer)
    voice.reopen_signal(actor=world.key_person_user, signal=late, reason="Nee.")
    with freeze_time(timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=2), dt.time(12)))):
        figures = voice_figures({world.region.id}, day - dt.timedelta(days=1), day + dt.timedelta(days=2))
    assert (figures.answered_in_time, figures.answered_with_deadline) == (0, 2)
    assert figures.published == 0  # reopened: not on "You said, we did" any more
    assert Signal.objects.get(pk=late.pk).published


def test_meeting_hours_count_in_the_advice_hours(world):
    c = ask(world, kind="meeting", meeting_at=clock.now(), meeting_place="Stadhuis", draft_text="")
    voice.record_meeting(actor=world.policy_officer, consultation=c, attendees=[world.key_person], minutes="Goed.", hours="2")
    figures = voice_figures({world.region.id}, clock.today() - dt.timedelta(days=1), clock.today())
    assert figures.advice_hours == 2.0


def test_your_advice_lists_only_what_asks_you(world):
    Membership.objects.create(user=world.key_person_user, region=world.region, role=Role.COORDINATOR)
    ask(world, key_persons=[], roles=f.roles("role_model"))  # nobody has that role
    mine = ask(world)
    assert list(asked_of(world.key_person_user)) == [mine]


def test_a_meeting_date_far_away_is_a_clear_error(world):
    officer = Client(headers={"accept-language": "en"})
    login(officer, world.policy_officer)
    form = {"kind": "meeting", "title": "T", "question": "Q", "deadline": clock.today().isoformat(), "key_persons": [str(world.key_person.uuid)],
            "meeting_at": "0001-01-01T00:00"}
    response = officer.post("/consultations/new/", form)
    assert response.status_code == 400 and "between the years 1900 and 2200" in response.content.decode()
