"""The portal's sign-in: a one-time link by e-mail (15 minutes, once) and a PIN chosen once; then a
long session on the own phone, with the PIN asked again before another person's contact details."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from sleutelnet.accounts import services
from sleutelnet.accounts.middleware import PIN_CHECKED_AT, SEEN_AT
from sleutelnet.accounts.models import PinDevice, SignInLink
from sleutelnet.core.models import Role
from sleutelnet.deployments import services as deployments
from sleutelnet.people import services as people_services
from sleutelnet.people.models import ConsentPurpose
from tests import factories as f
from tests.people.test_consent import request_about, support, without_consent

pytestmark = pytest.mark.django_db


def phone() -> Client:
    return Client(headers={"accept-language": "en"})


def ask_link(client: Client, address: str) -> str | None:
    """Ask for a link; the link from the e-mail, if one was sent."""
    before = len(mail.outbox)
    response = client.post("/login/link/", {"email": address})
    assert response.status_code == 200
    assert "If we know this address, we sent a link to it." in response.content.decode()
    if len(mail.outbox) == before:
        return None
    message = mail.outbox[-1]
    assert message.to == [address]
    return re.search(r"https?://\S+/login/link/\S+/", message.body).group(0)  # type: ignore[union-attr]


def path_of(link: str) -> str:
    from urllib.parse import urlparse

    return urlparse(link).path


def first_sign_in(client: Client, world, pin: str = "48213"):  # type: ignore[no-untyped-def]
    link = ask_link(client, world.key_person.email)
    assert link is not None
    response = client.post(path_of(link), {"new_pin": pin, "new_pin_again": pin})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def test_a_key_person_signs_in_with_a_link_and_a_pin_chosen_once(world):
    client = phone()
    link = ask_link(client, world.key_person.email)
    assert link is not None
    url = path_of(link)
    # opening the link (or a mail scanner doing so) does not use it up
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    html = client.get(url).content.decode()
    assert "Choose a PIN" in html
    for pins, message in [
        (("12345", "12345"), "too easy to guess"),
        (("1234", "1234"), "5 to 8 digits"),
        (("abcde", "abcde"), "5 to 8 digits"),
        (("48213", "48214"), "The two PINs are not the same."),
    ]:
        response = client.post(url, {"new_pin": pins[0], "new_pin_again": pins[1]})
        assert response.status_code == 400 and message in response.content.decode(), message
    assert not PinDevice.objects.filter(user=world.key_person_user).exists()
    response = client.post(url, {"new_pin": "48213", "new_pin_again": "48213"})
    assert response.status_code == 302
    assert client.get("/me/").status_code == 200  # signed in and verified
    # the link works once
    assert client.get(url).status_code == 404
    assert phone().post(url, {"pin": "48213"}).status_code == 410
    # the next time: a new link and the PIN
    other_phone = phone()
    link = ask_link(other_phone, world.key_person.email)
    html = other_phone.get(path_of(link)).content.decode()
    assert "Type your PIN" in html and "Choose a PIN" not in html
    assert other_phone.post(path_of(link), {"pin": "48213"}).status_code == 302
    assert other_phone.get("/me/").status_code == 200
    # only hashes are stored
    assert all(len(row.token_hash) == 64 for row in SignInLink.objects.all())
    assert PinDevice.objects.get(user=world.key_person_user).pin_hash != "48213"


def test_the_answer_is_the_same_for_unknown_and_staff_addresses_and_links_are_rationed(world):
    client = phone()
    assert ask_link(client, "nobody@example.org") is None
    world.coordinator.email = "coordinator@example.org"
    world.coordinator.save()
    assert ask_link(client, "coordinator@example.org") is None  # staff use their authenticator app
    response = client.post("/login/link/", {"email": "not an address"})
    assert response.status_code == 400 and "Enter a valid email address." in response.content.decode()
    sent = [ask_link(client, world.key_person.email) for _ in range(services.LINKS_PER_HOUR + 1)]
    assert sent[-1] is None and all(sent[:-1])


def test_a_link_expires_after_15_minutes(world):
    from freezegun import freeze_time

    client = phone()
    link = ask_link(client, world.key_person.email)
    with freeze_time(timezone.now() + dt.timedelta(minutes=services.LINK_MINUTES, seconds=5)):
        assert client.get(path_of(link)).status_code == 404
        assert client.post(path_of(link), {"new_pin": "48213", "new_pin_again": "48213"}).status_code == 410
    assert client.get("/me/").status_code == 302  # not signed in


def test_five_wrong_pins_lock_it_until_the_administrator_resets_it(world):
    first_sign_in(phone(), world)
    client = phone()
    link = path_of(ask_link(client, world.key_person.email))
    for left in (4, 3, 2, 1):
        response = client.post(link, {"pin": "99999"})
        assert response.status_code == 400
        assert f"You can try {left} more times." in response.content.decode()
    response = client.post(link, {"pin": "99999"})
    assert "Your PIN is locked" in response.content.decode()
    # locked: the right PIN does not help, nor does a new link
    assert "Your PIN is locked" in client.post(link, {"pin": "48213"}).content.decode()
    fresh = path_of(ask_link(client, world.key_person.email))
    assert "Your PIN is locked" in client.post(fresh, {"pin": "48213"}).content.decode()
    assert client.get("/me/").status_code == 302
    # the administrator resets the second factor: the key person chooses a new PIN
    admin = f.member(Role.ADMINISTRATOR, world.region, is_staff=True)
    services.reset_second_factor(actor=admin, user=world.key_person_user)
    assert "Choose a PIN" in client.get(fresh).content.decode()
    assert client.post(fresh, {"new_pin": "60718", "new_pin_again": "60718"}).status_code == 302


def test_the_phone_session_is_long_and_a_password_session_is_not(world):
    client = phone()
    first_sign_in(client, world)
    session = client.session
    session[SEEN_AT] = time.time() - 3 * 24 * 3600  # three days without opening the portal
    session.save()
    assert client.get("/me/").status_code == 200

    from tests.auth import login

    desk = phone()
    login(desk, world.key_person_user)
    session = desk.session
    session[SEEN_AT] = time.time() - 31 * 60
    session.save()
    assert desk.get("/me/").status_code == 302  # 30 minutes idle ends a password session


def test_contact_details_need_the_pin_again_in_a_long_session(world):
    nc = without_consent(world)
    people_services.record_consent(actor=world.coordinator, newcomer=nc, data=support())
    req = request_about(world, nc)
    people_services.record_consent(
        actor=world.coordinator, newcomer=nc, data=support(purpose=ConsentPurpose.SHARE_CONTACT, request=req, scope="Telefoon")
    )
    [a] = deployments.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])
    deployments.accept(actor=world.key_person_user, assignment=a)
    client = phone()
    first_sign_in(client, world)
    assert "0612345678" in client.get("/me/agenda/").content.decode()  # the PIN was just typed
    session = client.session
    session[PIN_CHECKED_AT] = time.time() - 16 * 60
    session.save()
    html = client.get("/me/agenda/").content.decode()
    assert "0612345678" not in html and "Hiwet" in html and "Show contact details" in html
    response = client.post("/login/pin/?next=/me/agenda/", {"pin": "11111", "next": "/me/agenda/"})
    assert response.status_code == 400 and "This PIN is not right." in response.content.decode()
    response = client.post("/login/pin/", {"pin": "48213", "next": "/me/agenda/"})
    assert response.status_code == 302 and response["Location"] == "/me/agenda/"
    assert "0612345678" in client.get("/me/agenda/").content.decode()
