"""`sleutelnet create_api_token`: issue an API token for an organisation, acting as one user."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from sleutelnet.accounts import services
from sleutelnet.accounts.models import SCOPES
from sleutelnet.core.exceptions import DomainError
from sleutelnet.core.models import Membership, Organisation, Role, User


class Command(BaseCommand):
    help = (
        "Issue an API token and print its key (shown only now; only a hash is stored). The token acts "
        "as USERNAME, only within the region of ORGANISATION, only for the given scopes. Send it as "
        "'Authorization: Bearer <key>'. Administrators can also do this at /settings/api-tokens/."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--organisation", required=True, help="Name or UUID of the organisation the token is for.")
        parser.add_argument("--name", default="command line", help="What the token is for.")
        parser.add_argument("--scopes", default=",".join(SCOPES), help=f"Comma-separated, from: {', '.join(SCOPES)}.")
        parser.add_argument("--days", type=int, default=365, help="Days the token is valid (1 to 730).")

    def handle(self, *args: Any, username: str, organisation: str, name: str, scopes: str, days: int, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None or not user.is_active:
            raise CommandError(f"No active user named {username!r}.")
        org = Organisation.objects.filter(Q(name=organisation) | Q(uuid__iexact=organisation) if _is_uuid(organisation) else Q(name=organisation)).first()
        if org is None:
            raise CommandError(f"No organisation {organisation!r}.")
        # The command runs as the platform: it acts for an administrator of the organisation's region.
        actor = next(
            (m.user for m in Membership.objects.filter(region=org.region, role=Role.ADMINISTRATOR, user__is_active=True).select_related("user")),
            None,
        )
        if actor is None:
            raise CommandError(f"The region {org.region} has no active administrator to issue the token.")
        try:
            _token, key = services.issue_api_token(
                actor=actor, organisation=org, user=user, name=name, scopes=[s.strip() for s in scopes.split(",") if s.strip()], days=days
            )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(key)


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
