"""Free text: BSNs are refused everywhere; contact details and special categories make forms warn."""

from __future__ import annotations

import pytest
from django.test import Client

from sleutelnet.core import sensitive
from sleutelnet.deployments.models import ActivityReport
from tests import factories as f
from tests.auth import api_client, login
from tests.web.conftest import accepted_in_past

VALID_BSN = "111222333"  # passes the 11-test: 9+8+7+12+10+8+9+6-3 = 66


@pytest.mark.parametrize("text", [VALID_BSN, "Haar BSN is 1112.22.333.", "bsn 111 222 333"])
def test_bsn_like_numbers_are_found(text):
    assert sensitive.bsn_like(text)


@pytest.mark.parametrize("text", ["123456789", "1112223334", "Op 12-03-2026 om 10:00", "postcode 7001 AB", "0612345678"])
def test_other_numbers_are_not_bsns(text):
    assert not sensitive.bsn_like(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Bel haar op 06-12345678", "phone"),
        ("nummer +31 6 1234 5678", "phone"),
        ("0031 (0)6 12345678", "phone"),
        ("010 123 4567", "phone"),
        ("mail naar amal@example.org", "email"),
        ("Begeleiden naar de GGZ", "health"),
        ("Ze is zwanger", "health"),
        ("She has depression", "health"),
        ("Bijeenkomst in de moskee", "religion"),
        ("Christelijke gemeente", "religion"),
        ("Voor Eritrese moeders", "ethnicity"),
        ("Koerdische jongeren", "ethnicity"),
    ],
)
def test_findings(text, kind):
    assert kind in {f.kind for f in sensitive.find(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Ouderavond op de basisschool, in het Tigrinya en Arabisch",
        "Uitleg over het rapport en de schoolgids",
        "Afspraak om 10:30 bij het gemeentehuis, kamer 2.14",
        "Gesprek met de GGD over vaccinaties voor kinderen",
        "Turks sprekende ouders",
    ],
)
def test_ordinary_notes_pass(text):
    assert sensitive.find(text) == []


@pytest.fixture
def report_page(world):  # type: ignore[no-untyped-def]
    a = accepted_in_past(world, days_ago=1)
    client = Client(headers={"accept-language": "en"})
    login(client, world.key_person_user)
    return a, client, f"/me/assignments/{a.uuid}/report/"


def report_post(a, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "date": a.request.starts_at.date().isoformat(),
        "hours": "2",
        "roles_used": [str(r.pk) for r in f.roles("translator")],
        "participants": "4",
        "participants_little_dutch": "2",
        "participants_first_contact": "1",
        "outcome_code": "done",
        "follow_up_code": "none",
        "outcome": "",
        "follow_up": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_report_warns_keeps_the_text_and_saves_only_after_confirming(world, report_page):
    a, client, url = report_page
    note = "Moeder is zwanger, bel haar op 06-12345678"
    response = client.post(url, report_post(a, outcome=note))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This looks like a phone number." in html and "something about health" in html
    assert note in html  # nothing the key person typed is lost
    assert 'name="confirm_sensitive"' in html
    assert not ActivityReport.objects.filter(assignment=a).exists()
    response = client.post(url, report_post(a, outcome=note, confirm_sensitive="on"))
    assert response.status_code == 302
    assert ActivityReport.objects.get(assignment=a).outcome == note


@pytest.mark.django_db
def test_a_bsn_is_refused_even_when_confirmed(world, report_page):
    a, client, url = report_page
    response = client.post(url, report_post(a, follow_up=f"BSN {VALID_BSN}", confirm_sensitive="on"))
    assert response.status_code == 200
    assert "Sleutelnet never stores a BSN" in response.content.decode()
    assert not ActivityReport.objects.filter(assignment=a).exists()


@pytest.mark.django_db
def test_the_api_refuses_a_bsn_naming_the_field(world):
    body = {
        "title": "Afspraak",
        "kind": "accompaniment",
        "language": "ti",
        "roles": ["translator"],
        "municipality": world.municipality.cbs_code,
        "place": "Gemeentehuis",
        "startsAt": world.request_data().starts_at.isoformat(),
        "endsAt": world.request_data().ends_at.isoformat(),
        "chainLink": "intake",
        "description": f"Meneer met BSN {VALID_BSN} helpen",
    }
    response = api_client(world.requester).post("/api/v1/requests", body, format="json")
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["description"]
    assert response.json()["invalidParams"][0]["code"] == "bsn"


@pytest.mark.parametrize(
    "text", ["/settings/api-tokens/34ad04c1-4c20-4e97-a2e1-28f872907314/revoke/", "sha 9a872907314c", "v111222333"]
)
def test_digit_runs_inside_identifiers_are_not_bsns(text):
    assert not sensitive.bsn_like(text)
