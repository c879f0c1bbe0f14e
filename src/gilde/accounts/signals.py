"""At login: remember when (for the absolute session limit) and whether the member has an
authenticator app (so the two-factor check costs no query per request)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from gilde.accounts import twofactor
from gilde.accounts.middleware import HAS_DEVICE_SESSION_KEY
from gilde.core.middleware import LOGIN_AT_SESSION_KEY


@receiver(user_logged_in, dispatch_uid="gilde_accounts_session_start")
def on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    request.session[LOGIN_AT_SESSION_KEY] = timezone.now().timestamp()
    request.session[HAS_DEVICE_SESSION_KEY] = twofactor.confirmed_device(user) is not None
