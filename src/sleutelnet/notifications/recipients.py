"""Who a mail goes to: (address, interface language) pairs for `notifications.services.queue_mail`.

One place for the rules every service uses: inactive coordinators get nothing, a key person's
own address comes before their account's, and each mail is written in the receiver's language.
"""

from __future__ import annotations

from sleutelnet.core.models import Membership, Role, User
from sleutelnet.people.models import KeyPerson

Recipient = tuple[str, str]


def coordinators(region_id: int) -> list[Recipient]:
    """The active coordinators of a region."""
    return [
        (m.user.email, m.user.preferred_language)
        for m in Membership.objects.filter(region_id=region_id, role=Role.COORDINATOR).select_related("user")
        if m.user.is_active
    ]


def key_person(kp: KeyPerson) -> list[Recipient]:
    """A key person: the address on their record, otherwise their account's, in their portal language."""
    return [(kp.email or (kp.user.email if kp.user_id else ""), kp.ui_language)]  # type: ignore[union-attr]


def user(u: User) -> list[Recipient]:
    """One account, when it is active."""
    return [(u.email, u.preferred_language)] if u.is_active else []
