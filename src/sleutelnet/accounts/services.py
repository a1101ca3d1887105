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
    t = ApiToken.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=token.pk)
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
    for model in (TOTPDevice, StaticDevice, EmailDevice):
        model.objects.filter(user=user).delete()
    # End the user's sessions too (OWASP ASVS 7.4.5): a thief with the phone is signed in nowhere.
    for session in Session.objects.all():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
