"""Signing in: password, then the second factor; managing it; and the administrators' API tokens."""

from __future__ import annotations

import io
import time
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from sleutelnet.accounts import services
from sleutelnet.accounts.forms import ApiTokenForm, CodeForm, PasswordAgainForm, scope_label
from sleutelnet.accounts.middleware import LONG_SESSION, PIN_CHECKED_AT, SEEN_AT, SIGNED_IN_AT
from sleutelnet.accounts.models import ApiToken
from sleutelnet.core.exceptions import DomainError, NotAllowed
from sleutelnet.core.models import Organisation, Role, User
from sleutelnet.core.selectors import region_ids
from sleutelnet.web.forms import attach_domain_error


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


class LoginView(auth_views.LoginView):
    """Step 1: username and password. Step 2, the second factor, follows on `accounts:verify`."""

    template_name = "web/login.html"
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        return reverse("accounts:verify") + "?" + urlencode({"next": self.get_redirect_url() or reverse("home")})

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"oidc_enabled": settings.OIDC_ENABLED}


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """django-axes: too many failures. The same answer whether or not the account exists."""
    return render(request, "accounts/locked_out.html", {"minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}, status=429)


def verify(request: HttpRequest) -> HttpResponse:
    """Step 2: a code from the authenticator app, from the e-mail, or a backup code."""
    user = request.user
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(_next(request))
    has_app = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    by_email = not has_app and not services.needs_authenticator_app(user)  # type: ignore[arg-type]
    device = services.email_device(user) if by_email else None  # type: ignore[arg-type]
    from sleutelnet.accounts.models import DemoDevice
    from sleutelnet.demo.data import DEMO_SECOND_FACTOR

    has_demo = DemoDevice.objects.filter(user=user, confirmed=True).exists()
    if not has_app and not by_email and not has_demo:
        return redirect(reverse("accounts:setup") + "?" + urlencode({"next": _next(request)}))
    sent = ""
    if device is not None and (request.method == "GET" or "resend" in request.POST):
        sent = str(device.generate_challenge())  # at most one e-mail a minute (cool-down)
    form = CodeForm(request.POST if request.method == "POST" and "resend" not in request.POST else None)
    if form.is_bound and form.is_valid():
        matched = match_token(user, form.cleaned_data["code"])
        if matched is not None:
            otp_login(request, matched)
            return redirect(_next(request))
        wait = _throttled_seconds(user)
        if wait:
            form.add_error("code", _("Too many wrong codes in a row. Wait %(s)d seconds and try again.") % {"s": wait})
        else:
            form.add_error("code", _("This code is not right or has expired. Try again, or ask for a new code."))
    context = {
        "form": form,
        "by_email": by_email,
        "email": _masked(device.email) if device is not None else "",
        "no_email": by_email and device is None,
        "sent": sent,
        "next": _next(request),
        "demo": has_demo and not settings.PRODUCTION,
        "demo_code": DEMO_SECOND_FACTOR,
    }
    return render(request, "accounts/verify.html", context, status=400 if form.errors else 200)


def _throttled_seconds(user: Any) -> int:
    """Seconds until the user's devices accept a code again after wrong ones (django-otp throttling)."""
    from django.utils import timezone
    from django_otp import devices_for_user

    waits = []
    for device in devices_for_user(user):
        allowed, info = device.verify_is_allowed() if hasattr(device, "verify_is_allowed") else (True, None)
        if not allowed and info and info.get("locked_until"):
            waits.append((info["locked_until"] - timezone.now()).total_seconds())
    return max(1, int(max(waits)) + 1) if waits else 0


def _masked(address: str) -> str:
    name, _sep, domain = address.partition("@")
    return f"{name[:2]}…@{domain}" if domain else "…"


def setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code, then type its first code."""
    user = request.user
    if user.is_verified() and request.method == "GET" and "renew" not in request.GET:  # type: ignore[attr-defined]
        return redirect("accounts:security")
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists() and not user.is_verified():  # type: ignore[attr-defined]
        return redirect(reverse("accounts:verify") + "?" + urlencode({"next": _next(request)}))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or services.start_totp(user=user)  # type: ignore[arg-type]
    form = CodeForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            codes = services.confirm_totp(user=user, device=device, code=form.cleaned_data["code"])  # type: ignore[arg-type]
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            otp_login(request, device)
            return render(request, "accounts/backup_codes.html", {"codes": codes, "next": _next(request)})
    context = {"form": form, "qr": _qr_svg(device.config_url), "secret": _secret(device), "next": _next(request)}
    return render(request, "accounts/setup.html", context, status=400 if form.errors else 200)


def _secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _qr_svg(url: str) -> str:
    """The QR code as inline SVG markup (no image request, no script)."""
    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=4, xmldecl=False, svgns=True, title="QR")
    return out.getvalue().decode()


def security(request: HttpRequest) -> HttpResponse:
    """The user's second factor: which there are, new backup codes, a new authenticator app."""
    user = request.user
    form = PasswordAgainForm(request.POST or None, user=user, request=request)  # type: ignore[arg-type]
    if form.is_bound and form.is_valid():
        if "backup" in request.POST:
            codes = services.new_backup_codes(user=user)  # type: ignore[arg-type]
            return render(request, "accounts/backup_codes.html", {"codes": codes, "next": reverse("accounts:security")})
        if "app" in request.POST:
            services.start_totp(user=user)  # type: ignore[arg-type]
            return redirect(reverse("accounts:setup") + "?renew=1")
    from django_otp import devices_for_user

    devices = [d for d in devices_for_user(user) if d.__class__.__name__ != "DemoDevice"]  # type: ignore[arg-type]
    return render(request, "accounts/security.html", {"form": form, "devices": devices}, status=400 if form.errors else 200)


# --- API tokens (administrators) -------------------------------------------------------------------


def _admin_regions(request: HttpRequest) -> set[int]:
    return region_ids(request.user, Role.ADMINISTRATOR)  # type: ignore[arg-type]


def api_tokens(request: HttpRequest) -> HttpResponse:
    """The tokens of the administrator's regions; issue a new one (its key is shown once)."""
    regions = _admin_regions(request)
    organisations = Organisation.objects.filter(region_id__in=regions).order_by("name")
    users = User.objects.filter(memberships__region_id__in=regions, is_active=True).distinct().order_by("username")
    form = ApiTokenForm(request.POST or None, organisations=organisations, users=users)
    key = ""
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        try:
            _token, key = services.issue_api_token(
                actor=request.user, organisation=d["organisation"], user=d["user"], name=d["name"], scopes=d["scopes"], days=d["days"]  # type: ignore[arg-type]
            )
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            form = ApiTokenForm(organisations=organisations, users=users)
    tokens = ApiToken.objects.filter(organisation__region_id__in=regions).select_related("organisation", "user")
    rows = [(t, [scope_label(s) for s in t.scopes if ":" in s]) for t in tokens]
    response = render(request, "accounts/api_tokens.html", {"form": form, "rows": rows, "key": key}, status=400 if form.errors else 200)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def api_token_revoke(request: HttpRequest, uuid: UUID) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.filter(organisation__region_id__in=_admin_regions(request)), uuid=uuid)
    services.revoke_api_token(actor=request.user, token=token)  # type: ignore[arg-type]
    messages.success(request, _("The token %(name)s was revoked: it no longer works.") % {"name": token.name})
    return redirect("accounts:api_tokens")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also stores the choice on the signed-in user's account."""
    from django.views.i18n import set_language as django_set_language

    from sleutelnet.accounts.languages import allowed_languages

    language = request.POST.get("language", "")
    if language not in allowed_languages(request.user):
        messages.error(request, _("Choose a language from the list."))
        return redirect("home")
    if request.user.is_authenticated:
        services.set_interface_language(actor=request.user, language=language)  # type: ignore[arg-type]
    return django_set_language(request)


# --- the portal's sign-in: a one-time link by e-mail and a PIN -------------------------------

def link_request(request: HttpRequest) -> HttpResponse:
    """Ask for a sign-in link. The answer is the same whether or not the address is known."""
    from sleutelnet.accounts.forms import LinkRequestForm

    form = LinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_sign_in_link(
            address=form.cleaned_data["email"],
            link_for=lambda token: request.build_absolute_uri(reverse("accounts:link_use", kwargs={"token": token})),
        )
        return render(request, "accounts/link_sent.html", {"minutes": services.LINK_MINUTES})
    return render(request, "accounts/link_request.html", {"form": form}, status=400 if form.errors else 200)


def link_use(request: HttpRequest, token: str) -> HttpResponse:
    """Open a sign-in link: type the PIN (or choose one the first time), then a long session on this phone.

    Opening the page does not use the link up (mail scanners open links); sending the PIN does.
    """
    from sleutelnet.accounts.forms import NewPinForm, PinForm

    link = services.usable_link(token)
    if link is None:
        if request.method == "POST":
            return render(request, "accounts/link_expired.html", status=410)
        raise Http404
    first_time = services.pin_device(link.user) is None
    form = (NewPinForm if first_time else PinForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, device = services.sign_in_with_link(token=token, **form.cleaned_data)
        except (DomainError, NotAllowed) as exc:
            if getattr(exc, "field", None) in form.fields:
                attach_domain_error(form, exc)  # type: ignore[arg-type]
            else:
                form.add_error(None, str(getattr(exc, "message", exc)))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            now = time.time()
            request.session[SIGNED_IN_AT] = request.session[SEEN_AT] = request.session[PIN_CHECKED_AT] = now
            request.session[LONG_SESSION] = True
            request.session.set_expiry(settings.PHONE_SESSION_DAYS * 24 * 3600)
            return redirect("home")
    return render(
        request, "accounts/link_use.html", {"form": form, "first_time": first_time}, status=400 if form.errors else 200
    )


def recheck(request: HttpRequest) -> HttpResponse:
    """Type the PIN again before another person's contact details show (long phone sessions only)."""
    from sleutelnet.accounts.forms import PinForm

    form = PinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _device, refusal = services.recheck_pin(user=request.user, pin=form.cleaned_data["pin"])  # type: ignore[arg-type]
        except NotAllowed as exc:
            refusal = exc
        if refusal is None:
            request.session[PIN_CHECKED_AT] = time.time()
            return redirect(_next(request))
        form.add_error("pin" if isinstance(refusal, DomainError) else None, str(getattr(refusal, "message", refusal)))
    return render(request, "accounts/recheck.html", {"form": form, "next": _next(request)}, status=400 if form.errors else 200)
