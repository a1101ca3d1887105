"""Signing in, the second factor, and API tokens."""

from django.urls import path

from sleutelnet.accounts import oidc, views

app_name = "accounts"

urlpatterns = [
    path("login/verify/", views.verify, name="verify"),
    path("login/setup/", views.setup, name="setup"),
    path("login/link/", views.link_request, name="link_request"),
    path("login/link/<str:token>/", views.link_use, name="link_use"),
    path("login/pin/", views.recheck, name="recheck"),
    path("me/security/", views.security, name="security"),
    path("settings/api-tokens/", views.api_tokens, name="api_tokens"),
    path("settings/api-tokens/<uuid:uuid>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("oidc/authenticate/", oidc.AuthenticateView.as_view(), name="oidc_authenticate"),
    path("oidc/callback/", oidc.CallbackView.as_view(), name="oidc_callback"),
]
