"""When a user signs in: the session's clock starts (for the absolute limit)."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from sleutelnet.accounts.middleware import SEEN_AT, SIGNED_IN_AT


@receiver(user_logged_in, dispatch_uid="sleutelnet-session-clock")
def start_session_clock(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SIGNED_IN_AT] = now
        request.session[SEEN_AT] = now
