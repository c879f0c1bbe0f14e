"""Where the current request came from, for audit entries written deep inside services.

The services take the acting member, not the request; the audit middleware puts the client's
address here so every entry of one request carries it without threading it through each call."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_client_ip: ContextVar[str | None] = ContextVar("gilde_audit_client_ip", default=None)


def client_ip() -> str | None:
    """The address of the request being served, or None outside a request (commands, tests)."""
    return _client_ip.get()


def request_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: a forwarded-for header is whatever the client wants it to be unless a
    # proxy we trust sets it, and a wrong address in an audit trail is worse than none.
    address = request.META.get("REMOTE_ADDR") or None
    return address[:45] if address else None


class AuditContextMiddleware:
    """Makes the client's address available to `audit_record` for the length of the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _client_ip.set(request_ip(request))
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)
