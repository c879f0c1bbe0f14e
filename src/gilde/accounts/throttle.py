"""Lock-out that cannot be turned against a colleague.

django-axes locks a user name *from one client address* after GILDE_LOGIN_FAILURE_LIMIT failed
logins, so typing a colleague's name five times locks out only the one typing. Guessing one
name's password from many addresses is slowed instead of locked: once the name has
GILDE_LOGIN_NAME_SLOW_LIMIT failures within the lock-out period, from all addresses together, a
password is checked for it at most once per GILDE_LOGIN_NAME_SLOW_SECONDS. The colleague can still
log in, only not in a burst; a guesser gets a few attempts a minute instead of thousands."""

from __future__ import annotations

import math
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from gilde.accounts.models import LoginNameCheck


def name_failures(username: str) -> int:
    """Failed logins for this name within the lock-out period, from every address together."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return int(total or 0)


def name_wait_seconds(username: str) -> int:
    """Seconds before a password may be checked for this name again (0: now), and when it may,
    the check is taken: the next one waits its turn."""
    if name_failures(username) < settings.GILDE_LOGIN_NAME_SLOW_LIMIT:
        return 0
    now = timezone.now()
    interval = settings.GILDE_LOGIN_NAME_SLOW_SECONDS
    with transaction.atomic():
        check, created = LoginNameCheck.objects.select_for_update().get_or_create(
            username=username, defaults={"checked_at": now}
        )
        if created:
            return 0
        waited = (now - check.checked_at).total_seconds()
        if waited < interval:
            return math.ceil(interval - waited)
        check.checked_at = now
        check.save(update_fields=["checked_at"])
        return 0


class NameThrottleBackend:
    """Refuses a password check for a name that must wait (see the module); it never logs anyone
    in itself, and has no get_user, so no session is ever tied to it. The wait is left on the
    request for the login page's message."""

    def authenticate(self, request: Any, username: str | None = None, **kwargs: Any) -> None:
        if request is None or not username:
            return None
        wait = name_wait_seconds(username)
        if wait:
            request.gilde_login_wait = wait
            raise PermissionDenied
        return None
