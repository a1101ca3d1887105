"""API authentication with the tokens of accounts.models.ApiToken: `Authorization: Bearer <key>`
(or `Token <key>`). A token acts as its user, but only within its organisation's region, and for
a requester only for that organisation; what it may call is limited by its scopes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from sleutelnet.accounts.models import ApiToken, hash_key
from sleutelnet.core.models import Membership, Role

#: last_used_at is written at most this often per token, not on every call.
TOUCH_EVERY = dt.timedelta(minutes=1)


class ApiTokenAuthentication(BaseAuthentication):
    keywords = (b"bearer", b"token")

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as 'Authorization: Bearer <token>'."))
        try:
            key = parts[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from None
        token = ApiToken.objects.select_related("user", "organisation").filter(key_hash=hash_key(key)).first()
        if token is None or not token.is_active or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token is not valid, has expired or was revoked."))
        user = token.user
        # Scope the user's roles to the token's organisation: every selector reads these.
        user._sleutelnet_memberships = [  # type: ignore[attr-defined]
            m
            for m in Membership.objects.filter(user=user, region_id=token.organisation.region_id).select_related("region", "organisation")
            if m.role != Role.REQUESTER or m.organisation_id == token.organisation_id
        ]
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return user, token

    def authenticate_header(self, request: Any) -> str:
        return 'Bearer realm="api"'
