"""Logins, failed logins and logouts, from Django's authentication signals: the one place every
way of logging in (the login page, the admin, a future single sign-on) passes through."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from gilde import visibility
from gilde.audit.context import request_ip
from gilde.audit.models import AuditAction
from gilde.audit.services import audit_record


def _ip(request: HttpRequest | None) -> str | None:
    return request_ip(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="gilde_audit_login")
def on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(
        actor=visibility.member_of(user),
        action=AuditAction.LOGIN,
        username=user.get_username(),
        ip_address=_ip(request),
    )


@receiver(user_login_failed, dispatch_uid="gilde_audit_login_failed")
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Only the login name as typed; Django has already masked the password in `credentials`.
    username = str(credentials.get("username") or "")
    audit_record(
        actor=None, action=AuditAction.LOGIN_FAILED, username=username, ip_address=_ip(request)
    )


@receiver(user_logged_out, dispatch_uid="gilde_audit_logout")
def on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    audit_record(
        actor=visibility.member_of(user),
        action=AuditAction.LOGOUT,
        username=user.get_username(),
        ip_address=_ip(request),
    )
