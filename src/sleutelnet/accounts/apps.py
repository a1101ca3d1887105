from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Signing in: passwords, the second factor, sessions, OIDC, and API tokens."""

    name = "sleutelnet.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from sleutelnet.accounts import checks, signals  # noqa: F401 - registers the checks and signal handlers
