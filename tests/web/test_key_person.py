"""The key person's pages: offers (yes/no in place), agenda, the report form and the profile."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from sleutelnet.deployments import services
from sleutelnet.deployments.models import ActivityReport, AssignmentStatus
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
    prefix = f"decline-{scene.offered.uuid}-"
    response = client.post(url, {prefix + "code": ""})
    assert response.status_code == 400
    assert "Choose a reason." in response.content.decode()
    # "something else" needs own words
    response = client.post(url, {prefix + "code": "other", prefix + "reason": ""}, **HTMX)
    html = response.content.decode()
    assert "Say in a few words why you cannot come." in html and "<html" not in html
    scene.offered.refresh_from_db()
    assert scene.offered.status == AssignmentStatus.OFFERED
    # a reason from the list is one tap
    response = client.post(url, {prefix + "code": "too_far"}, **HTMX)
    assert "You said no" in response.content.decode()
    scene.offered.refresh_from_db()
    assert scene.offered.status == AssignmentStatus.DECLINED
    assert (scene.offered.decline_code, scene.offered.decline_reason) == ("too_far", "")


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
        "outcome_code": "done",
        "follow_up_code": "none",
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
    assert 'name="roles"' in html and 'name="municipalities"' in html
    data = {
        "phone": "06 1111 2222",
        "email": "nieuw@example.org",
        "ui_language": "en",
        "roles": [str(r.pk) for r in f.roles("translator", "connector")],
        "life_domains": [],
        "municipalities": [str(world.municipality.pk)],
        "languages": [str(f.language("ti").pk), str(f.language("ar").pk)],
    }
    response = client.post("/me/profile/", data)
    assert response.status_code == 302
    world.key_person.refresh_from_db()
    kp = world.key_person
    assert kp.phone == "06 1111 2222"
    assert kp.ui_language == "en"
    assert sorted(kp.roles.values_list("code", flat=True)) == ["connector", "translator"]
    assert sorted(kp.languages.values_list("language__code", flat=True)) == ["ar", "ti"]

    data["roles"] = []
    data["phone"] = "06 9999"
    response = client.post("/me/profile/", data)
    assert response.status_code == 400
    assert "Choose at least one role." in response.content.decode()
    assert "06 9999" in response.content.decode()
    world.key_person.refresh_from_db()
    assert world.key_person.phone == "06 1111 2222"


def test_weekly_times_days_off_and_a_break(client, world):
    kp = world.key_person
    client.force_login(world.key_person_user)
    assert 'name="availability-TOTAL_FORMS"' in client.get("/me/availability/").content.decode()
    slots = {
        "action": "slots",
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
    assert client.post("/me/availability/", slots).status_code == 302
    assert [(s.weekday, s.start_time, s.end_time) for s in kp.availability.all()] == [(1, dt.time(9), dt.time(12))]
    slots["availability-0-end_time"] = "08:00"
    response = client.post("/me/availability/", slots)
    assert response.status_code == 400 and "The end of a time slot must be after its start." in response.content.decode()
    assert kp.availability.count() == 1  # nothing lost

    today = timezone.localdate()
    bad = {"action": "day_off", "dayoff-starts_on": str(today + dt.timedelta(days=5)), "dayoff-ends_on": str(today)}
    response = client.post("/me/availability/", bad)
    assert response.status_code == 400 and "The last day must be on or after the first day." in response.content.decode()
    good = {"action": "day_off", "dayoff-starts_on": str(today), "dayoff-ends_on": str(today + dt.timedelta(days=5)), "dayoff-reason": "vakantie"}
    assert client.post("/me/availability/", good).status_code == 302
    day_off = kp.unavailable.get()
    assert (day_off.starts_on, day_off.reason) == (today, "vakantie")
    assert client.post("/me/availability/", {"action": "remove_day_off", "day_off": str(day_off.id)}).status_code == 302
    assert not kp.unavailable.exists()
    response = client.post("/me/availability/", {"action": "remove_day_off", "day_off": "nonsense"})
    assert response.status_code == 400

    assert client.post("/me/availability/", {"action": "pause", "pause-until": str(today + dt.timedelta(days=3))}).status_code == 302
    kp.refresh_from_db()
    assert (kp.status, kp.paused_by_self) == ("paused", True)
    from sleutelnet.people.services import end_expired_pauses

    assert end_expired_pauses(today=today + dt.timedelta(days=3)) == 0  # the last day of the break still counts
    assert end_expired_pauses(today=today + dt.timedelta(days=4)) == 1
    kp.refresh_from_db()
    assert kp.status == "active"
    client.post("/me/availability/", {"action": "pause", "pause-until": ""})
    assert client.post("/me/availability/", {"action": "resume"}).status_code == 302
    kp.refresh_from_db()
    assert kp.status == "active"
    # a pause the coordinator set cannot be ended by the key person
    type(kp).objects.filter(pk=kp.pk).update(status="paused", paused_by_self=False)
    response = client.post("/me/availability/", {"action": "resume"})
    assert response.status_code == 400 and "Your coordinator paused you." in response.content.decode()

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


def _reason_fields(html: str, name: str) -> list[tuple[str, str, str]]:
    """(label for, textarea id, described-by) of every `name` textarea on the page."""
    labels = re.findall(rf'<label class="form-label" for="(id_[0-9a-f]{{12}}_{name})">', html)
    areas = re.findall(rf'<textarea name="{name}"[^>]*aria-describedby="([^"]+)"[^>]*id="([^"]+)"', html)
    return [(label, area_id, described) for label, (described, area_id) in zip(labels, areas, strict=True)]


def test_agenda_reason_fields_have_ids_of_their_own_card(client, scene):
    """The reason fields are rendered once for all cards (web.forms.card_blank); each card must
    still get its own ids, and a card that comes back with an error keeps its own form."""
    w = scene.world
    services.accept(actor=w.key_person_user, assignment=scene.offered)
    start = scene.offered.request.starts_at + dt.timedelta(days=1)
    second = services.file_request(
        actor=w.requester, organisation=w.organisation, data=w.request_data(starts_at=start, ends_at=start + dt.timedelta(hours=2))
    )
    [other] = services.offer(actor=w.coordinator, request=second, key_persons=[w.key_person])
    services.accept(actor=w.key_person_user, assignment=other)
    client.force_login(w.key_person_user)
    html = client.get("/me/agenda/").content.decode()
    fields = _reason_fields(html, "reason")
    expected = {f"id_{a.uuid.hex[:12]}_reason" for a in (scene.offered, other)}
    assert {label for label, _, _ in fields} == expected
    for label, area_id, described in fields:
        assert label == area_id and described == f"{area_id}-help" and f'id="{described}"' in html
    assert "offer0000placeholder" not in html

    response = client.post(f"/me/assignments/{other.uuid}/withdraw/", {"reason": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_{other.uuid.hex[:12]}_reason-error"' in html
    assert {label for label, _, _ in _reason_fields(html, "reason")} == expected
    assert "offer0000placeholder" not in html


def _offers_on_days(world, days):  # type: ignore[no-untyped-def]
    """One offer to the world's key person per day from now, filed in the order given."""
    out = {}
    for day in days:
        data = world.request_data(title=f"Verzoek over {day} dagen")
        data.starts_at += dt.timedelta(days=day)
        data.ends_at += dt.timedelta(days=day)
        req = services.file_request(actor=world.requester, organisation=world.organisation, data=data)
        out[day] = services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])[0]
    return out


def test_the_start_page_shows_the_three_soonest_offers_and_links_to_all(client, world):
    offers = _offers_on_days(world, [9, 3, 7, 5, 4])  # filed out of order
    client.force_login(world.key_person_user)
    html = client.get("/me/").content.decode()
    shown = re.findall(r'id="offer-([0-9a-f-]{36})"', html)
    assert shown == [str(offers[d].uuid) for d in (3, 4, 5)]  # the soonest first
    assert "New offers (5)" in html
    assert re.search(r'<a class="link" href="/me/offers/">All offers \(5\)</a>', html)
    offers_page = client.get("/me/offers/").content.decode()
    assert sorted(re.findall(r'id="offer-([0-9a-f-]{36})"', offers_page)) == sorted(str(a.uuid) for a in offers.values())


def test_the_start_page_with_three_offers_shows_them_all_without_the_link(client, world):
    offers = _offers_on_days(world, [2, 3, 4])
    client.force_login(world.key_person_user)
    html = client.get("/me/").content.decode()
    assert re.findall(r'id="offer-([0-9a-f-]{36})"', html) == [str(offers[d].uuid) for d in (2, 3, 4)]
    assert "New offers (3)" in html and "All offers" not in html
