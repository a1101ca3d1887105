"""Signing in through the municipality's identity provider (OpenID Connect, by settings).

Accounts are not made here: the provider's user must already have a Sleutelnet account with
the same e-mail address (roles come from memberships, given by an administrator). When the
provider says it used more than one factor (the `amr` or `acr` claim, OWASP ASVS 6.8.4), the
session counts as verified; otherwise the user still passes Sleutelnet's own second factor.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from sleutelnet.core.models import User

MFA_SESSION_KEY = "sn_oidc_mfa"


def used_mfa(payload: dict[str, Any]) -> bool:
    """Whether the ID token says the provider used more than one factor."""
    amr = payload.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if set(amr) & set(settings.OIDC_MFA_AMR):
        return True
    return bool(settings.OIDC_MFA_ACR) and payload.get("acr") in settings.OIDC_MFA_ACR


class SleutelnetOIDCBackend(OIDCAuthenticationBackend):
    """Finds the existing, active account by e-mail address; never creates one."""

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload = super().verify_token(token, **kwargs)
        self.request.session[MFA_SESSION_KEY] = used_mfa(payload)
        return payload

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        email = (claims.get("email") or "").strip()
        if not email or claims.get("email_verified") is False:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims: dict[str, Any]) -> User | None:
        return None  # an administrator makes accounts and gives the roles

    def get_user(self, user_id: Any) -> User | None:
        """The session's user, as long as the account is active (a disabled account is out at once)."""
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def authenticate(self, request: HttpRequest, **kwargs: Any) -> User | None:  # type: ignore[override]
        if not settings.OIDC_ENABLED or "nonce" not in kwargs:
            return None  # a password sign-in, not ours
        return super().authenticate(request, **kwargs)


class _Enabled:
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.OIDC_ENABLED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class AuthenticateView(_Enabled, OIDCAuthenticationRequestView):
    """Sends the browser to the identity provider."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if not settings.OIDC_ENABLED:  # its settings are only read when OIDC is on
            super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
            return
        super().__init__(*args, **kwargs)


class CallbackView(_Enabled, OIDCAuthenticationCallbackView):
    """Comes back from the identity provider; marks the session verified when it used MFA."""

    def login_success(self) -> HttpResponse:
        from django_otp import login as otp_login

        from sleutelnet.accounts.models import IdentityProviderDevice

        mfa = bool(self.request.session.pop(MFA_SESSION_KEY, False))
        response = super().login_success()
        if mfa:
            device, _created = IdentityProviderDevice.objects.get_or_create(
                user=self.user, defaults={"name": "identity provider", "confirmed": True}
            )
            otp_login(self.request, device)
            return response
        from urllib.parse import urlencode

        from django.shortcuts import redirect
        from django.urls import reverse

        # No multi-factor sign-in at the provider: our own second factor first.
        return redirect(reverse("accounts:verify") + "?" + urlencode({"next": self.success_url}))
