"""The requester's pages: the request form with its checks, the list, the detail, withdraw and edit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sleutelnet.deployments import services
from sleutelnet.deployments.models import Request, RequestStatus
from tests import factories as f

pytestmark = pytest.mark.django_db


def form_data(world, **overrides):  # type: ignore[no-untyped-def]
    day = timezone.localdate() + dt.timedelta(days=7)
    data = {
        "title": "Informatieavond zorgverzekering",
        "kind": "group_session",
        "description": "Uitleg over de zorgverzekering.",
        "language": str(f.language("ti").pk),
        "roles": [str(r.pk) for r in f.roles("translator", "educator")],
        "life_domains": [str(d.pk) for d in f.domains("health")],
        "municipality": str(world.municipality.pk),
        "place": "Bibliotheek, Doetinchem",
        "date": day.isoformat(),
        "start_time": "19:00",
        "end_time": "21:00",
        "chain_link": "execution",
        "key_persons_needed": "2",
        "gender_preference": "",
        "urgency": "2",
        "participants_expected": "25",
        "newcomer_reference": "",
    }
    data.update(overrides)
    return data


def test_request_form_shows_interpreter_warning_and_language_native_names(client, world):
    client.force_login(world.requester)
    html = client.get("/requests/new/").content.decode()
    assert "Key persons are not certified interpreters." in html
    assert "Tigrinya – ትግርኛ" in html
    assert 'aria-describedby="id_needs_certified_interpreter-help"' in html


def test_filing_a_request_combines_date_and_times_in_amsterdam(client, world):
    client.force_login(world.requester)
    response = client.post("/requests/new/", form_data(world))
    assert response.status_code == 302
    req = Request.objects.get()
    local = timezone.localtime(req.starts_at)
    assert (local.hour, local.minute) == (19, 0)
    assert str(local.tzinfo) == "Europe/Amsterdam"
    assert req.hours == 2
    assert req.key_persons_needed == 2
    assert {r.code for r in req.roles.all()} == {"translator", "educator"}
    assert response["Location"] == f"/requests/{req.uuid}/"


def test_interpreter_warning_is_repeated_after_filing(client, world):
    client.force_login(world.requester)
    response = client.post("/requests/new/", form_data(world, needs_certified_interpreter="on"), follow=True)
    html = response.content.decode()
    assert "Your request was sent to the coordinator." in html
    assert html.count("Key persons are not certified interpreters.") >= 1
    assert "alert--warning" in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_time": "18:00"}, "end_time", "The end time must be after the start time."),
        ({"title": ""}, "title", "This field is required."),
        ({"title": "x" * 201}, "title", "Ensure this value has at most 200 characters"),
        ({"newcomer_reference": "ONBEKEND-1"}, "newcomer_reference", "We do not know a newcomer with this reference"),
        ({"roles": []}, "roles", "Choose at least one role."),
        ({"key_persons_needed": "abc"}, "key_persons_needed", "Enter a whole number."),
        ({"date": "2020-01-01"}, "date", "The start must be in the future."),
        ({"start_time": "08:00", "end_time": "22:00"}, "end_time", "at most 12 hours"),
    ],
)
def test_request_form_errors_name_the_field_and_save_nothing(client, world, overrides, field, message):
    client.force_login(world.requester)
    response = client.post("/requests/new/", form_data(world, **overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'id="id_{field}-error"' in html
    assert f'href="#id_{field}"' in html  # the error summary links to the field
    assert Request.objects.count() == 0
    if overrides.get("title", "").startswith("x"):
        assert overrides["title"] in html  # input is kept


def test_foreign_municipality_is_refused(client, world, other_world):
    client.force_login(world.requester)
    response = client.post("/requests/new/", form_data(world, municipality=str(other_world.municipality.pk)))
    assert response.status_code == 200
    assert 'id="id_municipality-error"' in response.content.decode()
    assert Request.objects.count() == 0


def test_foreign_newcomer_reference_is_unknown(client, world, other_world):
    client.force_login(world.requester)
    response = client.post("/requests/new/", form_data(world, newcomer_reference=other_world.newcomer.reference))
    assert 'id="id_newcomer_reference-error"' in response.content.decode()
    assert Request.objects.count() == 0


def test_newcomer_without_consent_is_refused_on_the_reference_field(client, world):
    nc = f.NewcomerFactory(region=world.region, municipality=world.municipality, consent=False)
    client.force_login(world.requester)
    response = client.post("/requests/new/", form_data(world, newcomer_reference=nc.reference))
    html = response.content.decode()
    assert 'id="id_newcomer_reference-error"' in html and "consent" in html
    assert Request.objects.count() == 0


def test_known_newcomer_reference_is_linked(client, world):
    client.force_login(world.requester)
    response = client.post("/requests/new/", form_data(world, newcomer_reference=world.newcomer.reference.lower()))
    assert response.status_code == 302
    assert Request.objects.get().newcomer == world.newcomer


def test_list_and_detail_show_who_comes_without_phone(client, scene):
    w = scene.world
    w.key_person.phone = "0612345678"
    w.key_person.save()
    client.force_login(w.requester)
    html = client.get("/requests/").content.decode()
    assert scene.open_request.title in html
    html = client.get("/requests/", {"status": "filled"}).content.decode()
    assert f"/requests/{scene.open_request.uuid}/" not in html
    assert f"/requests/{scene.past_accepted.request.uuid}/" in html
    detail = client.get(f"/requests/{scene.past_accepted.request.uuid}/").content.decode()
    assert w.key_person.full_name in detail
    assert "0612345678" not in detail
    assert w.key_person.email not in detail
    # an offer that is not accepted yet is not "coming"
    detail = client.get(f"/requests/{scene.open_request.uuid}/").content.decode()
    assert w.key_person.full_name not in detail


def test_edit_while_open_and_not_after_acceptance(client, scene):
    w = scene.world
    client.force_login(w.requester)
    data = form_data(w, title="Nieuwe titel")
    response = client.post(f"/requests/{scene.open_request.uuid}/edit/", data)
    assert response.status_code == 302
    scene.open_request.refresh_from_db()
    assert scene.open_request.title == "Nieuwe titel"
    response = client.get(f"/requests/{scene.past_accepted.request.uuid}/edit/")
    assert response.status_code == 302  # filled: no edit form, back to the detail with a message


def test_withdraw_needs_a_reason(client, scene):
    w = scene.world
    client.force_login(w.requester)
    url = f"/requests/{scene.open_request.uuid}/cancel/"
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200 and 'id="id_reason-error"' in response.content.decode()
    response = client.post(url, {"reason": "Niet meer nodig."})
    assert response.status_code == 302
    scene.open_request.refresh_from_db()
    assert scene.open_request.status == RequestStatus.CANCELLED


def test_requester_of_another_organisation_in_the_region_gets_404(client, world):
    other_org = f.OrganisationFactory(region=world.region)
    other_requester = f.member("requester", world.region, other_org)
    req = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    client.force_login(other_requester)
    assert client.get(f"/requests/{req.uuid}/").status_code == 404
