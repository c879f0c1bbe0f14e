"""The one e-mail automatic logging sends: "Gilde can no longer read your mailbox/calendar",
in the member's language, once per failure (see connection_mark_failing)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .mail import LOOP_HEADER
from .models import Connection

log = logging.getLogger("gilde.autolog")


def login_refused_mail(*, connection: Connection, reason: str) -> None:
    member = connection.member
    address = member.user.email
    if not address:
        log.warning(
            "Connection %s: login refused (%s); member has no address", connection.pk, reason
        )
        return
    with translation.override(member.language):
        subject = _("Gilde can no longer read your %(what)s") % {
            "what": connection.get_kind_display()
        }
        body = _(
            "Hello %(name)s,\n\nGilde tried to read your %(what)s (%(user)s) and the server "
            "refused the login: %(reason)s.\nNothing is read until you enter a new password or "
            "token, or disconnect it, on your settings page:\n%(link)s\n\nYou get this message "
            "once; Gilde tries again at every run.\n"
        ) % {
            "name": member.name,
            "what": connection.get_kind_display(),
            "user": connection.username or "-",
            "reason": reason,
            "link": settings.GILDE_BASE_URL.rstrip("/") + reverse("autolog:settings"),
        }
    mail = EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [address],
        headers={LOOP_HEADER: "1", "Auto-Submitted": "auto-generated"},
    )
    try:
        mail.send()
    except Exception:
        log.exception("Connection %s: the login-refused mail could not be sent", connection.pk)
