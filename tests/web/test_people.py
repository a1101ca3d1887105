"""The coordinator's key person and newcomer pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sleutelnet.people.models import KeyPerson, KeyPersonLanguage, Newcomer
from tests import factories as f

pytestmark = pytest.mark.django_db


def management(prefix: str, total: int) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "20",
    }


def key_person_data(world, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "full_name": "Hiwet Tesfay",
        "status": "active",
        "email": "hiwet@example.org",
        "phone": "0612345678",
        "ui_language": "nl",
        "communication_language": str(f.language("ti").pk),
        "roles": [str(r.pk) for r in f.roles("translator", "connector")],
        "life_domains": [str(d.pk) for d in f.domains("health")],
        "municipalities": [str(world.municipality.pk)],
        "capacity_hours_per_month": "12",
        "vog_valid_until": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "gender": "f",
        **management("languages", 2),
        "languages-0-language": str(f.language("ti").pk),
        "languages-0-level": "5",
        "languages-1-language": str(f.language("nl").pk),
        "languages-1-level": "3",
        **management("availability", 1),
        "availability-0-weekday": "2",
        "availability-0-start_time": "09:00",
        "availability-0-end_time": "17:00",
    }
    data.update(overrides)
    return data


def test_register_key_person_with_languages_and_availability(client, world):
    client.force_login(world.coordinator)
    response = client.post("/coordinator/key-persons/new/", key_person_data(world))
    assert response.status_code == 302
    kp = KeyPerson.objects.get(full_name="Hiwet Tesfay")
    assert kp.region == world.region
    assert {(kl.language.code, kl.level) for kl in kp.languages.all()} == {("ti", 5), ("nl", 3)}
    assert [(s.weekday, s.start_time) for s in kp.availability.all()] == [(2, dt.time(9))]
    html = client.get(response["Location"]).content.decode()
    assert "Hiwet Tesfay" in html
    assert "The VOG ends on" in html  # within 60 days: a warning


def test_duplicate_language_and_bad_slot_are_errors(client, world):
    client.force_login(world.coordinator)
    data = key_person_data(
        world, **{"languages-1-language": str(f.language("ti").pk), "availability-0-end_time": "08:00"}
    )
    response = client.post("/coordinator/key-persons/new/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Each language once, please." in html
    assert "The end of a time slot must be after its start." in html
    assert 'value="Hiwet Tesfay"' in html  # input kept
    assert not KeyPerson.objects.filter(full_name="Hiwet Tesfay").exists()


def test_key_person_form_field_errors(client, world, other_world):
    client.force_login(world.coordinator)
    response = client.post(
        "/coordinator/key-persons/new/",
        key_person_data(world, full_name="", capacity_hours_per_month="lots", municipalities=[str(other_world.municipality.pk)]),
    )
    html = response.content.decode()
    for field in ("full_name", "capacity_hours_per_month", "municipalities"):
        assert f'id="id_{field}-error"' in html
    assert KeyPerson.objects.count() == 2  # the two worlds' own


def test_edit_key_person(client, world):
    client.force_login(world.coordinator)
    kp = world.key_person
    html = client.get(f"/coordinator/key-persons/{kp.uuid}/edit/").content.decode()
    assert f'value="{kp.full_name}"' in html
    response = client.post(f"/coordinator/key-persons/{kp.uuid}/edit/", key_person_data(world, full_name="Nieuwe Naam"))
    assert response.status_code == 302
    kp.refresh_from_db()
    assert kp.full_name == "Nieuwe Naam"
    assert KeyPersonLanguage.objects.filter(key_person=kp).count() == 2


def test_key_person_detail_warns_for_expired_vog(client, world):
    kp = world.key_person
    kp.vog_valid_until = timezone.localdate() - dt.timedelta(days=1)
    kp.save()
    client.force_login(world.coordinator)
    html = client.get(f"/coordinator/key-persons/{kp.uuid}/").content.decode()
    assert "The VOG expired on" in html
    assert "level 5 of 5" in html


def test_key_person_list_filters(client, world):
    f.KeyPersonFactory(region=world.region, full_name="Amal Arabisch", setup__languages={"ar": 5})
    client.force_login(world.coordinator)
    html = client.get("/coordinator/key-persons/", {"language": "ar"}).content.decode()
    assert "Amal Arabisch" in html and world.key_person.full_name not in html
    html = client.get("/coordinator/key-persons/", {"q": "amal"}).content.decode()
    assert "Amal Arabisch" in html


def newcomer_data(world, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "reference": "DTC-2025-001",
        "display_name": "Y.",
        "municipality": str(world.municipality.pk),
        "languages": [str(f.language("ti").pk)],
        "dutch_level": "a1",
        "learning_route": "b1",
        "consent_given_on": timezone.localdate().isoformat(),
        "consent_scope": "Begeleiding bij afspraken",
        "consent_method": "paper",
    }
    data.update(overrides)
    return data


def test_register_and_edit_newcomer(client, world):
    client.force_login(world.coordinator)
    response = client.post("/coordinator/newcomers/new/", newcomer_data(world))
    assert response.status_code == 302
    nc = Newcomer.objects.get(reference="DTC-2025-001")
    response = client.post(f"/coordinator/newcomers/{nc.uuid}/edit/", newcomer_data(world, display_name="Yonas"))
    assert response.status_code == 302
    nc.refresh_from_db()
    assert nc.display_name == "Yonas"
    html = client.get("/coordinator/newcomers/", {"q": "DTC"}).content.decode()
    assert "DTC-2025-001" in html and world.newcomer.reference not in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"reference": "123456789"}, "reference", "This looks like a BSN."),
        ({"consent_method": ""}, "consent_method", "Say how the consent was given."),
        ({"consent_scope": ""}, "consent_scope", "Say what the consent covers."),
        ({"display_name": ""}, "display_name", "This field is required."),
    ],
)
def test_newcomer_errors_name_the_field(client, world, overrides, field, message):
    client.force_login(world.coordinator)
    response = client.post("/coordinator/newcomers/new/", newcomer_data(world, **overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'id="id_{field}-error"' in html
    assert not Newcomer.objects.filter(display_name="Y.").exists()


def test_duplicate_newcomer_reference(client, world):
    client.force_login(world.coordinator)
    response = client.post("/coordinator/newcomers/new/", newcomer_data(world, reference=world.newcomer.reference))
    assert "Another newcomer already has this reference." in response.content.decode()
