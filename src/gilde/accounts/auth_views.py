"""Logging in: password, then (when the member has an authenticator app) a current code; the
set-up page for the app; the lock-out page comes from django-axes."""

from __future__ import annotations

import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from gilde.accounts import twofactor
from gilde.accounts.middleware import HAS_DEVICE_SESSION_KEY
from gilde.core.web import current_member, member_required, safe_next

PENDING_SESSION_KEY = "gilde_2fa_pending"
# The code must follow the password within this time, and in at most this many tries.
PENDING_SECONDS = 300
PENDING_TRIES = 5


class GildeLoginView(LoginView):
    """The password step. A member with an authenticator app is not logged in yet: the session
    only remembers who passed the password, and the code page finishes the login."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "lockout_limit": settings.AXES_FAILURE_LIMIT,
            "sso_enabled": bool(settings.GILDE_OIDC_CLIENT_ID),
            "sso_provider": settings.GILDE_OIDC_PROVIDER_NAME,
        }

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        # A name being guessed from many places: say why, not "wrong password".
        wait = getattr(self.request, "gilde_login_wait", 0)
        return self.render_to_response(self.get_context_data(form=form, login_wait=wait))

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if twofactor.confirmed_device(user) is None:
            return super().form_valid(form)
        self.request.session[PENDING_SESSION_KEY] = {
            "user": user.pk,
            "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
            "at": time.time(),
            "tries": 0,
            "next": self.get_success_url(),
        }
        return redirect("login_verify")


def _pending_user(request: HttpRequest) -> tuple[Any, dict[str, Any]] | None:
    pending = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING_SESSION_KEY, None)
        return None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    return (user, pending) if user is not None else None


@sensitive_post_parameters("token")
@csrf_protect
@never_cache
def login_verify(request: HttpRequest) -> HttpResponse:
    """The second step: a current code from the authenticator app. Also reached by a logged-in
    session that is not yet verified (the middleware sends it here)."""
    if request.user.is_authenticated:
        user: Any = request.user
        pending: dict[str, Any] = {"next": request.GET.get("next", "")}
    else:
        found = _pending_user(request)
        if found is None:
            messages.info(request, _("Please log in again."))
            return redirect("login")
        user, pending = found
    device = twofactor.confirmed_device(user)
    if device is None:
        return redirect("login")
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        return render(request, "registration/locked_out.html", _lockout_context(), status=429)
    error = ""
    if request.method == "POST":
        if twofactor.verify(device, request.POST.get("token", "")):
            if not request.user.is_authenticated:
                request.session.pop(PENDING_SESSION_KEY, None)
                auth_login(request, user, backend=pending["backend"])
            otp_login(request, device)
            request.session[HAS_DEVICE_SESSION_KEY] = True
            return HttpResponseRedirect(
                safe_next(request, pending.get("next", ""), settings.LOGIN_REDIRECT_URL)
            )
        # A wrong code counts as a failed login (audit trail, and django-axes' lock-out).
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        error = _("That code is not right. Type the code your app shows now.")
        if not request.user.is_authenticated:
            pending["tries"] = pending.get("tries", 0) + 1
            if pending["tries"] >= PENDING_TRIES:
                request.session.pop(PENDING_SESSION_KEY, None)
                messages.error(request, _("Too many wrong codes; please log in again."))
                return redirect("login")
            request.session[PENDING_SESSION_KEY] = pending
    return render(request, "registration/login_verify.html", {"error": error})


def _lockout_context() -> dict[str, Any]:
    return {"minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer to a locked user name (AXES_LOCKOUT_CALLABLE): the login page's
    look with a plain message, status 429."""
    return render(request, "registration/locked_out.html", _lockout_context(), status=429)


@member_required
@sensitive_post_parameters("token")
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Turn the authenticator app on (scan, type one code) or off."""
    member = current_member(request)
    user = member.user
    device = twofactor.confirmed_device(user)
    required = twofactor.two_factor_required(member)
    if device is not None:
        if request.method == "POST" and request.POST.get("action") == "remove":
            if required:
                messages.error(request, _("Your role requires two-factor authentication."))
            elif twofactor.verify(device, request.POST.get("token", "")):
                twofactor.totp_remove(user=user)
                request.session[HAS_DEVICE_SESSION_KEY] = False
                messages.success(request, _("Two-factor authentication is off."))
                return redirect("two_factor_setup")
            else:
                messages.error(
                    request, _("That code is not right. Type the code your app shows now.")
                )
        return render(request, "accounts/two_factor.html", {"device": device, "required": required})
    pending = twofactor.totp_setup_device(user=user)
    error = ""
    if request.method == "POST":
        if twofactor.totp_confirm(device=pending, token=request.POST.get("token", "")):
            otp_login(request, pending)
            request.session[HAS_DEVICE_SESSION_KEY] = True
            messages.success(request, _("Two-factor authentication is on."))
            return HttpResponseRedirect(
                safe_next(request, request.GET.get("next", ""), settings.LOGIN_REDIRECT_URL)
            )
        error = _("That code is not right. Type the code your app shows now.")
    context = {
        "device": None,
        "required": required,
        "qr_svg": twofactor.qr_code_svg(pending),
        "secret": twofactor.secret_for_typing(pending),
        "error": error,
    }
    return render(request, "accounts/two_factor.html", context)
