"""State changes of accounts: the second factor and API tokens. Each checks who may do it."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sleutelnet.accounts.models import SCOPES, ApiToken, hash_key
from sleutelnet.core.exceptions import DomainError, NotAllowed
from sleutelnet.core.models import Membership, Organisation, Role, User
from sleutelnet.core.selectors import has_role, roles_of

#: Roles that sign in with an authenticator app (TOTP). Key persons only get a code by e-mail.
STAFF_ROLES = {Role.COORDINATOR, Role.REQUESTER, Role.POLICY_OFFICER, Role.PRIVACY_OFFICER, Role.ADMINISTRATOR}

BACKUP_CODES = 10
MAX_TOKEN_DAYS = 730


def needs_authenticator_app(user: User) -> bool:
    """Staff use TOTP; a user who is only a key person may use a code by e-mail instead."""
    return bool(roles_of(user) & STAFF_ROLES) or not roles_of(user)


def email_for_codes(user: User) -> str:
    kp = getattr(user, "key_person", None)
    return (kp.email if kp is not None and kp.email else "") or user.email


@transaction.atomic
def start_totp(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator-app device (an earlier unconfirmed one is replaced)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)


@transaction.atomic
def confirm_totp(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the app with its first code; returns fresh backup codes (shown once)."""
    if device.user_id != user.id or device.confirmed:
        raise NotAllowed(_("This is not your authenticator app."))
    if not device.verify_token((code or "").strip()):
        raise DomainError(_("This code is not right. Check the time on your phone and try the newest code."), field="code")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()  # one app at a time
    return new_backup_codes(user=user)


@transaction.atomic
def new_backup_codes(*, user: User) -> list[str]:
    """Replace the backup codes (each works once), for when the phone is lost."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name="backup", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def email_device(user: User) -> EmailDevice | None:
    """The e-mail device of a key person (made on first use), or None without an address."""
    address = email_for_codes(user)
    if not address:
        return None
    device, _created = EmailDevice.objects.get_or_create(user=user, name="e-mail", defaults={"confirmed": True, "email": address})
    if device.email != address:
        device.email = address
        device.save(update_fields=["email"])
    return device


@transaction.atomic
def issue_api_token(
    *, actor: User, organisation: Organisation, user: User, name: str, scopes: Sequence[str], days: int
) -> tuple[ApiToken, str]:
    """An administrator issues a token for an organisation; returns it and its key (shown once)."""
    if not has_role(actor, Role.ADMINISTRATOR, organisation.region_id):
        raise NotAllowed(_("Only an administrator of this region can issue API tokens."))
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise DomainError(_("Give the token a name of at most 100 characters."), field="name")
    if not Membership.objects.filter(user=user, region_id=organisation.region_id).exists() or not user.is_active:
        raise DomainError(_("Choose an active account with a role in this organisation's region."), field="user")
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise DomainError(_("Choose at least one scope from the list."), field="scopes")
    if not 1 <= int(days) <= MAX_TOKEN_DAYS:
        raise DomainError(_("A token is valid for 1 to %(max)d days.") % {"max": MAX_TOKEN_DAYS}, field="days")
    key = "sn_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name,
        organisation=organisation,
        user=user,
        key_hash=hash_key(key),
        prefix=key[:10],
        scopes=sorted(set(scopes)),
        expires_at=timezone.now() + dt.timedelta(days=int(days)),
        created_by=actor,
    )
    return token, key


@transaction.atomic
def revoke_api_token(*, actor: User, token: ApiToken) -> ApiToken:
    """Stop a token at once."""
    t = ApiToken.objects.select_for_update(no_key=True, of=("self",)).select_related("organisation").get(pk=token.pk)
    if not has_role(actor, Role.ADMINISTRATOR, t.organisation.region_id):
        raise NotAllowed(_("Only an administrator of this region can revoke API tokens."))
    if t.revoked_at is None:
        t.revoked_at = timezone.now()
        t.save(update_fields=["revoked_at", "updated_at"])
    return t


@transaction.atomic
def reset_second_factor(*, actor: User, user: User) -> None:
    """An administrator of the user's region removes their second-factor devices (a lost phone);
    the user sets up a new one at the next sign-in, after the password."""
    from django.contrib.sessions.models import Session

    from sleutelnet.core.selectors import region_ids

    if not region_ids(actor, Role.ADMINISTRATOR) & {m.region_id for m in Membership.objects.filter(user=user)}:
        raise NotAllowed(_("Only an administrator of the user's region can reset the second factor."))
    from sleutelnet.accounts.models import PinDevice

    for model in (TOTPDevice, StaticDevice, EmailDevice, PinDevice):
        model.objects.filter(user=user).delete()
    # End the user's sessions too (OWASP ASVS 7.4.5): a thief with the phone is signed in nowhere.
    for session in Session.objects.all():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()


@transaction.atomic
def set_interface_language(*, actor: User, language: str) -> User:
    """Store the interface language a user picked (for a key person also for their e-mails)."""
    from sleutelnet.accounts.languages import allowed_languages
    from sleutelnet.people.models import KeyPerson

    if language not in allowed_languages(actor):
        raise DomainError(_("Choose a language from the list."), field="language")
    User.objects.filter(pk=actor.pk).update(preferred_language=language)
    actor.preferred_language = language
    KeyPerson.objects.filter(user_id=actor.pk).update(ui_language=language)
    return actor


# --- the portal's sign-in: a one-time link by e-mail and a PIN -------------------------------

LINK_MINUTES = 15
LINKS_PER_HOUR = 5
PIN_ATTEMPTS = 5
PIN_LENGTH = (5, 8)


def may_use_link_sign_in(user: User) -> bool:
    """Only users who are nothing but a key person sign in this way; staff keep the app."""
    return user.is_active and not needs_authenticator_app(user) and bool(email_for_codes(user))


def _user_for_address(address: str) -> User | None:
    from django.db.models import Q

    address = (address or "").strip()
    if not address or "@" not in address:
        return None
    users = User.objects.filter(Q(email__iexact=address) | Q(key_person__email__iexact=address), is_active=True).distinct()[:2]
    found = list(users)
    return found[0] if len(found) == 1 and may_use_link_sign_in(found[0]) else None


@transaction.atomic
def request_sign_in_link(*, address: str, link_for: object) -> bool:
    """Send a one-time sign-in link to a key person's address.

    The caller answers the same whether or not the address is known (no account enumeration);
    the return value is for tests and logs only. At most LINKS_PER_HOUR links per hour are sent.
    The e-mail goes out directly, not through the outbox, so the link never rests in the database.
    `link_for(token)` builds the absolute URL of the link page.
    """
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    from sleutelnet.accounts.models import SignInLink

    user = _user_for_address(address)
    if user is None:
        return False
    now = timezone.now()
    if SignInLink.objects.filter(user=user, created_at__gt=now - dt.timedelta(hours=1)).count() >= LINKS_PER_HOUR:
        return False
    token = secrets.token_urlsafe(32)
    SignInLink.objects.create(
        user=user, token_hash=hash_key(token), created_at=now, expires_at=now + dt.timedelta(minutes=LINK_MINUTES)
    )
    kp = getattr(user, "key_person", None)
    language = (kp.ui_language if kp is not None else "") or user.preferred_language or "nl"
    with translation.override(language):
        body = render_to_string("accounts/sign_in_link.txt", {"link": link_for(token), "minutes": LINK_MINUTES})
        subject = _("Your sign-in link for Sleutelnet")
    send_mail(subject, body, None, [email_for_codes(user)])
    return True


def usable_link(token: str):  # type: ignore[no-untyped-def]
    """The link for this token if it can still be used (unused, not expired), else None."""
    from sleutelnet.accounts.models import SignInLink

    link = SignInLink.objects.select_related("user").filter(token_hash=hash_key(token or "")).first()
    return link if link is not None and link.is_usable() and may_use_link_sign_in(link.user) else None


def pin_device(user: User):  # type: ignore[no-untyped-def]
    from sleutelnet.accounts.models import PinDevice

    return PinDevice.objects.filter(user=user, confirmed=True).first()


def _check_pin_shape(pin: str, field: str) -> str:
    pin = (pin or "").strip()
    low, high = PIN_LENGTH
    if not pin.isdigit() or not low <= len(pin) <= high:
        raise DomainError(_("A PIN has 5 to 8 digits."), field=field)
    if len(set(pin)) == 1 or pin in "0123456789" or pin in "9876543210":
        raise DomainError(_("This PIN is too easy to guess. Choose another one."), field=field)
    return pin


def _verify_pin(device, pin: str) -> Exception | None:  # type: ignore[no-untyped-def]
    """None when the PIN is right, else the refusal to raise once the counted failure is saved.

    Five wrong PINs in a row lock it until the coordinator resets it (an administrator's "reset
    second factor"); a new e-mail link does not unlock it, so the mailbox alone is never enough.
    """
    from django.contrib.auth.hashers import check_password

    locked = NotAllowed(_("Your PIN is locked after too many wrong tries. Ask your coordinator to reset it."))
    if device.locked_at is not None:
        return locked
    if check_password(pin or "", device.pin_hash):
        if device.failures:
            device.failures = 0
            device.save(update_fields=["failures"])
        return None
    device.failures += 1
    if device.failures >= PIN_ATTEMPTS:
        device.locked_at = timezone.now()
    device.save(update_fields=["failures", "locked_at"])
    if device.locked_at is not None:
        return locked
    return DomainError(_("This PIN is not right. You can try %(n)d more times.") % {"n": PIN_ATTEMPTS - device.failures}, field="pin")


def sign_in_with_link(*, token: str, pin: str = "", new_pin: str = "", new_pin_again: str = ""):  # type: ignore[no-untyped-def]
    """Use a sign-in link: with the PIN, or the first time by choosing one. Returns (user, device).

    The link is used up only on success, so a mistyped PIN does not cost a new e-mail. A wrong
    PIN is counted and saved before the refusal is raised, so failures add up to the lock.
    """
    from django.contrib.auth.hashers import make_password

    from sleutelnet.accounts.models import PinDevice, SignInLink

    with transaction.atomic():
        link = SignInLink.objects.select_for_update().select_related("user").filter(token_hash=hash_key(token or "")).first()
        if link is None or not link.is_usable() or not may_use_link_sign_in(link.user):
            raise DomainError(_("This link no longer works. Ask for a new link."))
        user = link.user
        device = PinDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            chosen = _check_pin_shape(new_pin, "new_pin")
            if chosen != (new_pin_again or "").strip():
                raise DomainError(_("The two PINs are not the same."), field="new_pin_again")
            device = PinDevice.objects.create(user=user, name="PIN", confirmed=True, pin_hash=make_password(chosen))
            refusal = None
        else:
            refusal = _verify_pin(device, pin)
        if refusal is None:
            link.used_at = timezone.now()
            link.save(update_fields=["used_at"])
    if refusal is not None:
        raise refusal
    return user, device


@transaction.atomic
def recheck_pin(*, user: User, pin: str):  # type: ignore[no-untyped-def]
    """Ask the PIN again before another person's contact details show in a long phone session."""
    from sleutelnet.accounts.models import PinDevice

    device = PinDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        raise NotAllowed(_("You have no PIN yet. Sign in with a link by e-mail to choose one."))
    return device, _verify_pin(device, pin)
