"""Middleware: the interface language, security headers, request size and session lifetime.

The interface language is the member's choice (cookie, then their profile), else Gilde's default.
The browser's Accept-Language is deliberately not used: the organisation's language (Dutch by
default) is what colleagues share, and each member can switch with one click."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse, QueryDict
from django.shortcuts import resolve_url
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gilde.visibility import member_of, request_memo


class QueryNulMiddleware:
    """A NUL character in the query string (a search, a filter) is read as U+FFFD: it matches
    nothing on any database, where PostgreSQL would refuse the query outright."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get(
            "QUERY_STRING", ""
        ):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(
                    key.replace("\x00", "\ufffd"), [v.replace("\x00", "\ufffd") for v in values]
                )
            cleaned._mutable = False
            request.GET = cleaned  # type: ignore[assignment]
        return self.get_response(request)


class VisibilityMemoMiddleware:
    """Within one request the visibility scope reads the relations hidden from the acting member
    once (gilde.visibility.request_memo)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_memo():
            return self.get_response(request)


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in self.languages:
            member = member_of(getattr(request, "user", None))
            language = member.language if member else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


# Scripts and styles come from Gilde's own static files only: no inline script, no eval (htmx
# is configured without it), nothing from other sites. Images may be data: URIs (Pico's icons).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """The Content-Security-Policy and Permissions-Policy on every answer (Django's own
    SecurityMiddleware sets the rest: HSTS, nosniff, referrer and opener policy)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class RequestSizeMiddleware:
    """Refuse a request body over GILDE_REQUEST_MAX_BYTES before anything reads it (Django limits
    form fields in memory, but streams any size of file upload to disk)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.limit = settings.GILDE_REQUEST_MAX_BYTES

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.limit:
            return HttpResponse(
                _("The upload is too large."), status=413, content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)


class ApiErrorsAsJsonMiddleware:
    """An API client reads every answer as JSON: a refusal made before the API's own error
    handlers run (a body too large, a method the path does not take, a malformed request) is
    given to it as {"detail": …} with the same status instead of an HTML page."""

    API_PREFIX = "/api/"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path.startswith(self.API_PREFIX)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            detail = response.reason_phrase or "Error"
            json_response = JsonResponse({"detail": detail}, status=response.status_code)
            if response.has_header("Allow"):
                json_response["Allow"] = response["Allow"]
            return json_response
        return response


LOGIN_AT_SESSION_KEY = "gilde_login_at"


SEEN_AT_SESSION_KEY = "gilde_seen_at"


class SessionLifetimeMiddleware:
    """End a session GILDE_SESSION_MAX_SECONDS after login, however active it was. The idle
    limit is the session's age (SESSION_COOKIE_AGE), renewed by saving the session: at most once
    per GILDE_SESSION_RENEW_SECONDS rather than on every request, so reading a page does not
    cost a database write. A session then ends between the idle limit minus that interval and
    the idle limit after the last request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.max_age = settings.GILDE_SESSION_MAX_SECONDS
        self.renew_after = settings.GILDE_SESSION_RENEW_SECONDS

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now().timestamp()
            started = request.session.get(LOGIN_AT_SESSION_KEY)
            if now - float(request.session.get(SEEN_AT_SESSION_KEY, 0)) >= self.renew_after:
                request.session[SEEN_AT_SESSION_KEY] = now  # saved, with a new expiry
            if started is None:
                request.session[LOGIN_AT_SESSION_KEY] = now
            elif now - float(started) > self.max_age:
                logout(request)
                query = urlencode({"next": request.path, "expired": "1"})
                target = f"{resolve_url(settings.LOGIN_URL)}?{query}"
                if request.headers.get("HX-Request"):
                    return HttpResponse(status=204, headers={"HX-Redirect": target})
                return HttpResponseRedirect(target)
        return self.get_response(request)
