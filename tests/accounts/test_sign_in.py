"""Signing in: Argon2 passwords, a second step for everyone, lock-out without enumeration, session
limits per role, and OIDC against a real (local) identity provider."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

import sleutelnet.conf.settings as configured
from sleutelnet.accounts.middleware import SEEN_AT, SIGNED_IN_AT
from sleutelnet.core.models import Role
from sleutelnet.core.permissions import MATRIX, Scope
from tests import factories as f
from tests.accounts.oidc_provider import Provider
from tests.auth import password_only_login

pytestmark = pytest.mark.django_db


def totp_now(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def later(**delta: float):  # type: ignore[no-untyped-def]
    """The clock a little later (django-otp throttles wrong codes by time)."""
    import datetime as dt

    from django.utils import timezone
    from freezegun import freeze_time

    return freeze_time(timezone.now() + dt.timedelta(**delta), tick=True)


def browser() -> Client:
    return Client(headers={"accept-language": "en"})


def sign_in(client: Client, username: str, password: str = f.PASSWORD, next_url: str = "/"):  # type: ignore[no-untyped-def]
    return client.post(f"/login/?next={next_url}", {"username": username, "password": password})


# --- passwords --------------------------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = configured.PASSWORD_HASHERS  # the suite itself hashes fast
    assert configured.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    hashed = make_password("een lange zin als wachtwoord", hasher="argon2")
    assert hashed.startswith("argon2$argon2id$") and check_password("een lange zin als wachtwoord", hashed)


@pytest.mark.parametrize("password", ["kort-maar1", "password1234", "qwertyuiop12"])
def test_short_and_common_passwords_are_refused(password, settings):
    settings.AUTH_PASSWORD_VALIDATORS = configured.AUTH_PASSWORD_VALIDATORS
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["x7Kp" * 16, "een zin van honderd tekens " * 4, "839201746352918274"])
def test_long_passwords_and_no_composition_rules(password, settings):
    settings.AUTH_PASSWORD_VALIDATORS = configured.AUTH_PASSWORD_VALIDATORS
    validate_password(password)  # 64+ characters, spaces, only digits: all fine


# --- the second step -------------------------------------------------------------------------------


def test_staff_set_up_an_authenticator_app_and_then_sign_in_with_it(world):
    client = browser()
    response = sign_in(client, world.coordinator.username, next_url="/coordinator/")
    assert response.status_code == 302 and response["Location"].startswith("/login/verify/")
    # signed in with the password only: no page with data answers
    assert client.get("/coordinator/").status_code == 302
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0].startswith("/login/setup/")
    html = response.content.decode()
    assert "<svg" in html and "Key" in html
    device = TOTPDevice.objects.get(user=world.coordinator, confirmed=False)
    assert client.post("/login/setup/", {"code": "000000", "next": "/coordinator/"}).status_code == 400
    response = client.post("/login/setup/", {"code": totp_now(device), "next": "/coordinator/"})
    assert response.status_code == 200 and "Your backup codes" in response.content.decode()
    codes = re.findall(r"<code>([a-z0-9]+)</code>", response.content.decode())
    assert len(codes) == 10
    assert client.get("/coordinator/").status_code == 200

    # next time: password, then the app's code; a backup code works once
    again = browser()
    sign_in(again, world.coordinator.username)
    assert "authenticator app" in again.get("/login/verify/").content.decode()
    response = again.post("/login/verify/", {"code": "123456"})
    assert response.status_code == 400
    throttled = again.post("/login/verify/", {"code": codes[0]})  # right away after a wrong one: wait
    assert throttled.status_code == 400 and "Wait" in throttled.content.decode()
    with later(seconds=5):
        assert again.post("/login/verify/", {"code": codes[0], "next": "/coordinator/"})["Location"] == "/coordinator/"
    third = browser()
    sign_in(third, world.coordinator.username)
    assert third.post("/login/verify/", {"code": codes[0]}).status_code == 400


def test_a_key_person_signs_in_with_a_code_by_email(world):
    client = browser()
    sign_in(client, world.key_person_user.username, next_url="/me/offers/")
    mail.outbox.clear()
    response = client.get("/login/verify/?next=/me/offers/")
    assert response.status_code == 200 and "We sent a code to" in response.content.decode()
    [message] = mail.outbox
    assert message.to == [world.key_person.email]
    code = re.search(r"\b(\d{6})\b", message.body).group(1)
    assert world.key_person.email not in response.content.decode()  # only a masked address is shown
    assert client.post("/login/verify/", {"code": "000000", "next": "/me/offers/"}).status_code == 400
    with later(seconds=5):  # a wrong code makes the next try wait a moment
        response = client.post("/login/verify/", {"code": code, "next": "/me/offers/"})
    assert response.status_code == 302 and response["Location"] == "/me/offers/"
    assert client.get("/me/offers/").status_code == 200


def test_an_email_code_expires_after_ten_minutes(world, settings):
    from freezegun import freeze_time

    client = browser()
    sign_in(client, world.key_person_user.username)
    mail.outbox.clear()
    client.get("/login/verify/")
    code = re.search(r"\b(\d{6})\b", mail.outbox[0].body).group(1)
    import datetime as dt

    from django.utils import timezone

    with freeze_time(timezone.now() + dt.timedelta(minutes=11)):
        assert client.post("/login/verify/", {"code": code}).status_code == 400


def test_a_password_only_session_gets_no_page_with_data(world):
    from django.urls import reverse

    client = browser()
    password_only_login(client, world.coordinator)
    for name in ("deployments:coordinator_queue", "people:newcomer_list", "people:key_person_list", "reporting:policy_dashboard", "privacy:log"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith("/login/verify/"), name
    # every entry of the matrix that needs more than the password says so
    signing_in = {e.name for e in MATRIX.values() for m in e.methods if e.roles_for(m).get("anyone") is Scope.SIGN_IN}
    assert signing_in == {"accounts:verify", "accounts:setup"}


# --- lock-out ----------------------------------------------------------------------------------------


def _attempts(username: str, address: str, n: int) -> list[int]:
    client = Client(REMOTE_ADDR=address, headers={"accept-language": "en"})
    return [sign_in(client, username, "wrong-password-123").status_code for _ in range(n)]


def test_five_failures_lock_out_that_username_from_that_address_only(world):
    assert _attempts(world.coordinator.username, "10.0.0.1", 5) == [200] * 4 + [429]
    locked = Client(REMOTE_ADDR="10.0.0.1", headers={"accept-language": "en"})
    response = sign_in(locked, world.coordinator.username)  # even the right password
    assert response.status_code == 429 and "Signing in failed too often" in response.content.decode()
    # the same user from elsewhere is not locked out (nobody can lock another out)
    elsewhere = Client(REMOTE_ADDR="10.0.0.2")
    assert sign_in(elsewhere, world.coordinator.username)["Location"].startswith("/login/verify/")


def test_lock_out_does_not_tell_whether_an_account_exists(world):
    real = _attempts(world.coordinator.username, "10.0.1.1", 6)
    made_up = _attempts("nobody-with-this-name", "10.0.1.2", 6)
    assert real == made_up == [200] * 4 + [429, 429]
    one = Client(REMOTE_ADDR="10.0.1.1", headers={"accept-language": "en"})
    two = Client(REMOTE_ADDR="10.0.1.2", headers={"accept-language": "en"})
    strip = lambda r: re.sub(r'value="[^"]+"', "", r.content.decode())  # noqa: E731 - CSRF tokens differ
    assert strip(sign_in(one, world.coordinator.username, "x")) == strip(sign_in(two, "nobody-with-this-name", "x"))
    first_try = [Client(REMOTE_ADDR=a, headers={"accept-language": "en"}) for a in ("10.0.2.1", "10.0.2.2")]
    answers = [strip(sign_in(c, u, "wrong-password-123")) for c, u in zip(first_try, (world.coordinator.username, "nobody-else"), strict=True)]
    assert answers[0] == answers[1] and "did not match" in answers[0]


# --- sessions ----------------------------------------------------------------------------------------


def _age_session(client: Client, *, idle: float = 0, since_sign_in: float = 0) -> None:
    session = client.session
    now = time.time()
    session[SEEN_AT] = now - idle
    session[SIGNED_IN_AT] = now - since_sign_in
    session.save()


@pytest.mark.parametrize(
    ("role", "idle_minutes", "absolute_hours"),
    [(Role.COORDINATOR, 30, 12), (Role.KEY_PERSON, 30, 12), (Role.PRIVACY_OFFICER, 15, 8), (Role.ADMINISTRATOR, 15, 8)],
)
def test_sessions_end_when_idle_or_old_per_role(world, role, idle_minutes, absolute_hours):
    user = f.member(role, world.region, is_staff=role == Role.ADMINISTRATOR)
    client = browser()
    client.force_login(user)
    _age_session(client, idle=(idle_minutes - 1) * 60, since_sign_in=(absolute_hours - 1) * 3600)
    assert client.get("/").status_code in (200, 302) and "_auth_user_id" in client.session
    _age_session(client, idle=(idle_minutes + 1) * 60)
    response = client.get("/me/security/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert "_auth_user_id" not in client.session
    client.force_login(user)
    _age_session(client, idle=60, since_sign_in=absolute_hours * 3600 + 60)
    assert client.get("/me/security/")["Location"].startswith("/login/")


def test_sign_in_gives_a_new_session_key_and_sign_out_ends_it_on_the_server(world):
    client = browser()
    client.get("/login/")
    before = client.cookies.get("sessionid")
    client.force_login(world.coordinator)
    key = client.cookies["sessionid"].value
    assert before is None or before.value != key
    assert client.get("/coordinator/").status_code == 200
    client.post("/logout/")
    stolen = browser()
    stolen.cookies["sessionid"] = key
    assert stolen.get("/coordinator/").status_code == 302


def test_a_disabled_account_loses_access_at_the_next_request(world):
    client = browser()
    client.force_login(world.coordinator)
    assert client.get("/coordinator/").status_code == 200
    world.coordinator.is_active = False
    world.coordinator.save()
    assert client.get("/coordinator/").status_code == 302


# --- OIDC ------------------------------------------------------------------------------------------------


@pytest.fixture
def provider(settings):  # type: ignore[no-untyped-def]
    p = Provider().start()
    for key, value in p.settings().items():
        setattr(settings, key, value)
    yield p
    p.stop()


def _oidc_round(client: Client):  # type: ignore[no-untyped-def]
    import requests

    response = client.get("/oidc/authenticate/?next=/coordinator/")
    assert response.status_code == 302
    authorize = response["Location"]
    query = parse_qs(urlparse(authorize).query)
    assert query["client_id"] and query["nonce"] and query["state"] and query["code_challenge"]
    back = requests.get(authorize, allow_redirects=False, timeout=5).headers["Location"]  # the provider, over HTTP
    return client.get(urlparse(back).path + "?" + urlparse(back).query)


def test_oidc_with_mfa_at_the_provider_signs_in_both_steps(world, provider):
    provider.claims = {"sub": "abc", "email": world.coordinator.email.upper(), "email_verified": True}
    provider.amr = ["pwd", "mfa"]
    client = browser()
    response = _oidc_round(client)
    assert response.status_code == 302 and response["Location"] == "/coordinator/"
    assert client.get("/coordinator/").status_code == 200
    assert provider.token_requests and provider.token_requests[0]["client_secret"] == [provider.client_secret]


def test_oidc_without_mfa_still_asks_our_second_step(world, provider):
    provider.claims = {"sub": "abc", "email": world.coordinator.email, "email_verified": True}
    provider.amr = ["pwd"]
    client = browser()
    response = _oidc_round(client)
    assert response["Location"].startswith("/login/verify/")
    assert client.get("/coordinator/")["Location"].startswith("/login/verify/")


def test_oidc_never_makes_an_account(world, provider):
    from sleutelnet.core.models import User

    provider.claims = {"sub": "new", "email": "stranger@example.org", "email_verified": True}
    provider.amr = ["mfa"]
    before = User.objects.count()
    client = browser()
    response = _oidc_round(client)
    assert response.status_code == 302 and "_auth_user_id" not in client.session
    assert User.objects.count() == before


def test_oidc_is_off_without_settings(world):
    assert browser().get("/oidc/authenticate/").status_code == 404


def test_an_administrator_resets_a_lost_second_factor_and_ends_the_sessions(world):
    from sleutelnet.accounts.services import reset_second_factor
    from sleutelnet.core.exceptions import NotAllowed

    admin = f.member(Role.ADMINISTRATOR, world.region, is_staff=True)
    client = browser()
    client.force_login(world.coordinator)
    assert client.get("/coordinator/").status_code == 200
    assert TOTPDevice.objects.filter(user=world.coordinator).exists()
    reset_second_factor(actor=admin, user=world.coordinator)
    assert not TOTPDevice.objects.filter(user=world.coordinator).exists()
    assert client.get("/coordinator/").status_code == 302  # signed out everywhere
    other_admin = f.member(Role.ADMINISTRATOR, f.RegionFactory())
    with pytest.raises(NotAllowed):
        reset_second_factor(actor=other_admin, user=world.coordinator)


def test_second_factor_secrets_are_not_in_the_admin(world):
    admin = f.member(Role.ADMINISTRATOR, world.region, is_staff=True)
    client = browser()
    client.force_login(admin)
    for url in ("/admin/otp_totp/totpdevice/", "/admin/otp_static/staticdevice/", "/admin/axes/accessattempt/"):
        assert client.get(url).status_code == 404, url
