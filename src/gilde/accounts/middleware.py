"""Two-factor authentication before anything else: a member with an authenticator app (or one
required to have it) whose session is not yet verified is sent to the code page (or set-up)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from gilde.accounts import twofactor
from gilde.visibility import member_of

HAS_DEVICE_SESSION_KEY = "gilde_2fa_device"
# Pages an unverified session may still reach: the code and set-up pages, logging out, switching
# the language; static files never reach Django's views in production.
OPEN_URL_NAMES = frozenset({"login_verify", "two_factor_setup", "logout", "language_set", "login"})


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        redirect = self._redirect(request)
        return redirect if redirect is not None else self.get_response(request)

    def _redirect(self, request: HttpRequest) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith("/api/"):
            return None
        if getattr(user, "is_verified", lambda: False)():
            return None
        member = member_of(user)
        has_device = request.session.get(HAS_DEVICE_SESSION_KEY)
        if has_device is None:
            # Looked up once per session; the set-up page updates it.
            has_device = twofactor.confirmed_device(user) is not None
            request.session[HAS_DEVICE_SESSION_KEY] = has_device
        if not has_device and not twofactor.two_factor_required(member):
            return None
        try:
            name = resolve(request.path_info).url_name
        except Resolver404:
            name = None
        if name in OPEN_URL_NAMES or request.path.startswith("/static/"):
            return None
        target = reverse("login_verify" if has_device else "two_factor_setup")
        return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
