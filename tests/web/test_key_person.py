"""The key person's pages: offers (yes/no in place), agenda, the report form and the profile."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sleutelnet.deployments import services
from sleutelnet.deployments.models import ActivityReport, AssignmentStatus
from sleutelnet.people.models import WeeklyAvailability
from tests import factories as f
from tests.web.conftest import accepted_in_past

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_offers_show_newcomer_first_name_only(client, world):
    req = services.file_request(
        actor=world.requester, organisation=world.organisation, data=world.request_data(newcomer=world.newcomer)
    )
    services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])
    client.force_login(world.key_person_user)
    html = client.get("/me/offers/").content.decode()
    assert req.title in html
    assert world.newcomer.display_name in html
    assert world.newcomer.reference not in html
    assert "Yes, I will come" in html and "No, I cannot" in html


def test_accept_by_post(client, scene):
    client.force_login(scene.world.key_person_user)
    response = client.post(f"/me/offers/{scene.offered.uuid}/accept/")
    assert response.status_code == 302
    scene.offered.refresh_from_db()
    assert scene.offered.status == AssignmentStatus.ACCEPTED


def test_accept_in_place_with_htmx(client, scene):
    client.force_login(scene.world.key_person_user)
    response = client.post(f"/me/offers/{scene.offered.uuid}/accept/", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert f'id="offer-{scene.offered.uuid}"' in html
    assert "You said yes" in html
    # a second answer is refused with a clear message in the card
    response = client.post(f"/me/offers/{scene.offered.uuid}/accept/", **HTMX)
    assert "Only an open offer can be accepted." in response.content.decode()


def test_decline_needs_a_reason(client, scene):
    client.force_login(scene.world.key_person_user)
    url = f"/me/offers/{scene.offered.uuid}/decline/"
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    response = client.post(url, {"reason": ""}, **HTMX)
    assert "This field is required." in response.content.decode() and "<html" not in response.content.decode()
    scene.offered.refresh_from_db()
    assert scene.offered.status == AssignmentStatus.OFFERED
    response = client.post(url, {"reason": "Ik werk die dag."}, **HTMX)
    assert "You said no" in response.content.decode()
    scene.offered.refresh_from_db()
    assert scene.offered.status == AssignmentStatus.DECLINED
    assert scene.offered.decline_reason == "Ik werk die dag."


def test_agenda_shows_file_report_and_review_comment(client, scene):
    w = scene.world
    services.return_report(actor=w.coordinator, assignment=scene.reported, comment="Graag uren aanpassen.")
    client.force_login(w.key_person_user)
    html = client.get("/me/agenda/").content.decode()
    assert "File report" in html
    assert f"/me/assignments/{scene.past_accepted.uuid}/report/" in html
    assert f"/me/assignments/{scene.reported.uuid}/report/" in html
    assert "Graag uren aanpassen." in html


def test_report_form_defaults_to_planned_date(client, scene):
    client.force_login(scene.world.key_person_user)
    html = client.get(f"/me/assignments/{scene.past_accepted.uuid}/report/").content.decode()
    planned = timezone.localdate(scene.past_accepted.request.starts_at)
    assert f'value="{planned.isoformat()}"' in html


def valid_report(world, a, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "date": timezone.localdate(a.request.starts_at).isoformat(),
        "hours": "2.5",
        "roles_used": [str(r.pk) for r in f.roles("translator")],
        "participants": "12",
        "participants_little_dutch": "8",
        "participants_first_contact": "3",
        "languages_used": [str(f.language("ti").pk)],
        "outcome": "Ouders weten nu hoe het werkt.",
        "follow_up": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"hours": ""}, "hours", "This field is required."),
        ({"hours": "abc"}, "hours", "Give the hours as a number, e.g. 2.5."),
        ({"hours": "30"}, "hours", "Ensure this value is less than or equal to 24."),
        ({"participants": "3", "participants_little_dutch": "8"}, "participants_little_dutch", "cannot be more than the number of participants"),
        ({"outcome": "x" * 5000}, "outcome", "Ensure this value has at most 2000 characters"),
        ({"roles_used": []}, "roles_used", "Choose at least one role you used."),
        ({"participants": "-1"}, "participants", "greater than or equal to 0"),
        ({"date": "2001-01-01"}, "date", "long before the planned date"),
    ],
)
def test_report_with_bad_input_rerenders_with_field_error(client, scene, overrides, field, message):
    w = scene.world
    a = scene.past_accepted
    client.force_login(w.key_person_user)
    response = client.post(f"/me/assignments/{a.uuid}/report/", valid_report(w, a, **overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'id="id_{field}-error"' in html
    assert not ActivityReport.objects.filter(assignment=a).exists()
    a.refresh_from_db()
    assert a.status == AssignmentStatus.ACCEPTED
    assert "Ouders weten nu hoe het werkt." in html or field == "outcome"  # input kept


def test_report_is_filed(client, scene):
    from django.test import Client

    w = scene.world
    a = scene.past_accepted
    dutch = Client(headers={"accept-language": "nl"})
    dutch.force_login(w.key_person_user)
    response = dutch.post(f"/me/assignments/{a.uuid}/report/", valid_report(w, a, hours="1,5"))  # Dutch decimal comma
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == AssignmentStatus.REPORTED
    assert str(a.report.hours) == "1.5"
    # a second visit sends the key person back to the agenda
    response = dutch.get(f"/me/assignments/{a.uuid}/report/")
    assert response.status_code == 302


def test_report_before_the_start_is_not_offered(client, world):
    req = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    [a] = services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])
    services.accept(actor=world.key_person_user, assignment=a)
    client.force_login(world.key_person_user)
    assert client.get(f"/me/assignments/{a.uuid}/report/").status_code == 302


def test_report_of_another_key_person_is_404(client, world):
    a = accepted_in_past(world)
    other_user = f.member("key_person", world.region)
    f.KeyPersonFactory(region=world.region, user=other_user)
    client.force_login(other_user)
    assert client.get(f"/me/assignments/{a.uuid}/report/").status_code == 404
    assert client.post(f"/me/offers/{a.uuid}/accept/").status_code == 404


def test_profile_update(client, world):
    client.force_login(world.key_person_user)
    html = client.get("/me/profile/").content.decode()
    assert 'name="availability-TOTAL_FORMS"' in html
    data = {
        "phone": "06 1111 2222",
        "email": "nieuw@example.org",
        "ui_language": "en",
        "availability-TOTAL_FORMS": "2",
        "availability-INITIAL_FORMS": "0",
        "availability-MIN_NUM_FORMS": "0",
        "availability-MAX_NUM_FORMS": "21",
        "availability-0-weekday": "1",
        "availability-0-start_time": "09:00",
        "availability-0-end_time": "12:00",
        "availability-1-weekday": "",
        "availability-1-start_time": "",
        "availability-1-end_time": "",
    }
    response = client.post("/me/profile/", data)
    assert response.status_code == 302
    world.key_person.refresh_from_db()
    assert world.key_person.phone == "06 1111 2222"
    assert world.key_person.ui_language == "en"
    slots = list(WeeklyAvailability.objects.filter(key_person=world.key_person))
    assert [(s.weekday, s.start_time, s.end_time) for s in slots] == [(1, dt.time(9), dt.time(12))]

    data["availability-0-end_time"] = "08:00"
    data["phone"] = "06 9999"
    response = client.post("/me/profile/", data)
    assert response.status_code == 200
    assert "The end of a time slot must be after its start." in response.content.decode()
    assert "06 9999" in response.content.decode()
    world.key_person.refresh_from_db()
    assert world.key_person.phone == "06 1111 2222"


def test_key_person_can_step_back_before_the_start_with_a_reason(client, scene):
    a = scene.offered
    services.accept(actor=scene.world.key_person_user, assignment=a)
    client.force_login(scene.world.key_person_user)
    html = client.get("/me/agenda/").content.decode()
    assert "I cannot come after all" in html
    url = f"/me/assignments/{a.uuid}/withdraw/"
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    a.refresh_from_db()
    assert a.status == AssignmentStatus.ACCEPTED
    response = client.post(url, {"reason": "Mijn kind is ziek."})
    assert response.status_code == 302
    a.refresh_from_db()
    a.request.refresh_from_db()
    assert a.status == AssignmentStatus.CANCELLED and a.cancel_reason == "Mijn kind is ziek."
    assert a.request.status == "open"  # the coordinator can look for someone else


def test_key_person_cannot_step_back_after_the_start(client, world):
    a = accepted_in_past(world)
    client.force_login(world.key_person_user)
    response = client.post(f"/me/assignments/{a.uuid}/withdraw/", {"reason": "Te laat"})
    assert response.status_code == 400
    assert "already started" in response.content.decode()
    a.refresh_from_db()
    assert a.status == AssignmentStatus.ACCEPTED
