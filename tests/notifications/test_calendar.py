"""Calendar feeds: the iCalendar writer, the private feed and the per-assignment .ics."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.db import connection

from sleutelnet.deployments import services
from sleutelnet.notifications.calendar import CalendarEvent, escape_text, fold, render_calendar
from sleutelnet.notifications.models import CalendarFeed
from sleutelnet.notifications.services import create_or_renew_calendar_feed, revoke_calendar_feed
from tests.web.conftest import accepted_in_past

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():  # type: ignore[no-untyped-def]
    """A browser that asks for English, so the tests read the source strings."""
    from django.test import Client

    return Client(headers={"accept-language": "en"})


def _events(body: bytes) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(body)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def _accepted(world, **overrides):  # type: ignore[no-untyped-def]
    req = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data(**overrides))
    [a] = services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])
    services.accept(actor=world.key_person_user, assignment=a)
    a.refresh_from_db()
    return a


def _offered(world, **overrides):  # type: ignore[no-untyped-def]
    req = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data(**overrides))
    [a] = services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])
    return a


# --- the writer -----------------------------------------------------------------------------


def test_escape_and_fold():
    assert escape_text("a\\b,c;d\ne") == "a\\\\b\\,c\\;d\\ne"
    line = "SUMMARY:" + "é" * 100
    folded = fold(line)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_tricky_text_round_trips_through_icalendar():
    start = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    titles = ["Ouders, school; en\nnieuwe regel \\ klaar", "x" * 150 + "ë" * 50]
    events = [
        CalendarEvent(uid=f"{i}@sleutelnet", start=start, end=start + dt.timedelta(hours=1), summary=t, location=t)
        for i, t in enumerate(titles)
    ]
    body = render_calendar(events, stamp=start)
    assert all(len(line.encode("utf-8")) <= 75 for line in body.split("\r\n"))
    parsed = _events(body.encode("utf-8"))
    for i, title in enumerate(titles):
        assert str(parsed[f"{i}@sleutelnet"]["SUMMARY"]) == title
        assert str(parsed[f"{i}@sleutelnet"]["LOCATION"]) == title


# --- the feed -------------------------------------------------------------------------------


def _feed(client, world):  # type: ignore[no-untyped-def]
    path = create_or_renew_calendar_feed(actor=world.key_person_user)
    return path, client.get(path)


def test_feed_holds_confirmed_assignments_only(client, world):
    world.newcomer.display_name = "Amina"
    world.newcomer.save()
    accepted = _accepted(world, newcomer=world.newcomer, title="Gesprek, huisarts; intake")
    offered = _offered(world, starts_at=accepted.request.starts_at + dt.timedelta(days=2),
                       ends_at=accepted.request.starts_at + dt.timedelta(days=2, hours=1))
    declined = _offered(world, starts_at=accepted.request.starts_at + dt.timedelta(days=3),
                        ends_at=accepted.request.starts_at + dt.timedelta(days=3, hours=1))
    services.decline(actor=world.key_person_user, assignment=declined, reason="Ik kan niet.")
    past = accepted_in_past(world, days_ago=5)
    too_old = accepted_in_past(world, days_ago=40)

    _, response = _feed(client, world)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Robots-Tag"] == "noindex"
    events = _events(response.content)
    assert set(events) == {f"{accepted.uuid}@sleutelnet", f"{past.uuid}@sleutelnet"}
    assert f"{offered.uuid}@sleutelnet" not in events and f"{too_old.uuid}@sleutelnet" not in events

    event = events[f"{accepted.uuid}@sleutelnet"]
    assert str(event["SUMMARY"]) == "Gesprek, huisarts; intake"
    assert event.decoded("DTSTART") == accepted.request.starts_at
    assert event.decoded("DTEND") == accepted.request.ends_at
    assert event.decoded("DTSTART").utcoffset() == dt.timedelta(0)
    raw = response.content.decode()
    assert f"DTSTART:{accepted.request.starts_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}" in raw
    assert "Amina" in str(event["DESCRIPTION"])
    assert "/me/agenda/" in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED"
    # nothing that points at the newcomer beyond the first name, and no contact details
    unfolded = raw.replace("\r\n ", "")
    assert world.newcomer.reference not in unfolded
    for person in (world.requester, world.key_person_user, world.coordinator):
        assert person.email not in unfolded
    assert world.key_person.email not in unfolded
    phone = getattr(world.key_person, "phone", "")
    assert not phone or phone not in unfolded


def test_cancelled_assignment_shows_as_cancelled(client, world):
    a = _accepted(world)
    services.cancel_request(actor=world.requester, request=a.request, reason="Gaat niet door.")
    _, response = _feed(client, world)
    event = _events(response.content)[f"{a.uuid}@sleutelnet"]
    assert str(event["STATUS"]) == "CANCELLED"


def test_renewed_and_revoked_tokens_give_404(client, world):
    _accepted(world)
    old_path, response = _feed(client, world)
    assert response.status_code == 200
    new_path = create_or_renew_calendar_feed(actor=world.key_person_user)
    assert client.get(old_path).status_code == 404
    assert client.get(new_path).status_code == 200
    revoke_calendar_feed(actor=world.key_person_user)
    assert client.get(new_path).status_code == 404
    assert client.get("/calendar/nonsense-but-long-enough-token.ics").status_code == 404
    assert client.get("/calendar/x.ics").status_code == 404


def test_only_the_hash_is_stored(world):
    path = create_or_renew_calendar_feed(actor=world.key_person_user)
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    assert len(token) >= 40
    feed = CalendarFeed.objects.get(key_person=world.key_person)
    assert feed.token_hash != token and len(feed.token_hash) == 64
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM notifications_calendarfeed")
        rows = cursor.fetchall()
    assert token not in repr(rows)


def test_feed_buttons_on_agenda(client, world):
    a = _accepted(world)
    client.force_login(world.key_person_user)
    html = client.get("/me/agenda/").content.decode()
    assert "Add to your phone's calendar" in html
    assert f"/me/assignments/{a.uuid}/calendar.ics" in html
    response = client.post("/me/calendar/")
    assert response.status_code == 200
    html = response.content.decode()
    feed = CalendarFeed.objects.get(key_person=world.key_person)
    assert "webcal://" in html and "/calendar/" in html
    assert client.get("/me/agenda/").content.decode().count("webcal://") == 0
    response = client.post("/me/calendar/stop/")
    assert response.status_code == 302
    feed.refresh_from_db()
    assert feed.revoked_at is not None


def test_other_users_cannot_make_a_feed(client, world):
    client.force_login(world.requester)
    assert client.post("/me/calendar/").status_code == 403
    assert client.get("/me/calendar/").status_code in (403, 405)


# --- one assignment -------------------------------------------------------------------------


def test_assignment_ics(client, world, other_world):
    a = _accepted(world, title="Taalcafé")
    url = f"/me/assignments/{a.uuid}/calendar.ics"
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(world.key_person_user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    [event] = _events(response.content).values()
    assert str(event["UID"]) == f"{a.uuid}@sleutelnet"
    assert str(event["SUMMARY"]) == "Taalcafé"
    assert event.decoded("DTSTART") == a.request.starts_at
    # someone else's assignment, and an offer not yet accepted, are not found
    other = _accepted(other_world)
    assert client.get(f"/me/assignments/{other.uuid}/calendar.ics").status_code == 404
    offered = _offered(world, starts_at=a.request.starts_at + dt.timedelta(days=1),
                       ends_at=a.request.starts_at + dt.timedelta(days=1, hours=1))
    assert client.get(f"/me/assignments/{offered.uuid}/calendar.ics").status_code == 404
