"""Optional single sign-on with OpenID Connect (Microsoft Entra ID, Google Workspace, Keycloak),
through mozilla-django-oidc. Off unless GILDE_OIDC_CLIENT_ID is set.

A login is matched to an ACTIVE member by the provider's VERIFIED e-mail address
(`email_verified`), and never creates anyone: an address no active colleague has is refused, so
SSO can neither add a login nor make an administrator. Colleagues are invited first (the team
page); afterwards they may log in either way."""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from gilde.accounts.backends import MemberBackend

logger = logging.getLogger(__name__)

# mozilla-django-oidc's settings, read from Gilde's own (GILDE_OIDC_…) when asked for.
_FROM_GILDE = {
    "OIDC_RP_CLIENT_ID": "GILDE_OIDC_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET": "GILDE_OIDC_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "GILDE_OIDC_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT": "GILDE_OIDC_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT": "GILDE_OIDC_USERINFO_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT": "GILDE_OIDC_JWKS_ENDPOINT",
    "OIDC_RP_SCOPES": "GILDE_OIDC_SCOPES",
    "OIDC_RP_SIGN_ALGO": "GILDE_OIDC_SIGN_ALGO",
    "OIDC_TIMEOUT": "GILDE_OIDC_TIMEOUT_SECONDS",
}
_FIXED: dict[str, Any] = {
    "OIDC_CREATE_USER": False,
    "OIDC_USE_NONCE": True,
    "OIDC_USE_PKCE": True,
    "OIDC_AUTHENTICATION_CALLBACK_URL": "accounts:oidc_callback",
    "OIDC_RP_IDP_SIGN_KEY": None,
}


def sso_enabled() -> bool:
    return bool(settings.GILDE_OIDC_CLIENT_ID)


def oidc_setting(attr: str, *args: Any) -> Any:
    if attr in _FROM_GILDE:
        return getattr(settings, _FROM_GILDE[attr])
    if attr in _FIXED:
        return _FIXED[attr]
    if attr == "LOGIN_REDIRECT_URL_FAILURE":
        return reverse("login") + "?sso=failed"
    return import_from_settings(attr, *args)


class MemberOIDCBackend(OIDCAuthenticationBackend):
    get_settings = staticmethod(oidc_setting)

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if not sso_enabled() or request is None or "code" not in request.GET:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, SuspiciousOperation, ValueError) as exc:
            # An unreachable provider, a bad or tampered token: the login fails, it does not crash.
            logger.warning("Single sign-on failed: %s", exc)
            return None

    def get_payload_data(self, token: Any, key: Any) -> dict[str, Any]:
        """The id token's claims, checked for signature, expiry, audience (this client) and
        issuer: the library checks only the signature."""
        try:
            payload: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[settings.GILDE_OIDC_SIGN_ALGO],
                audience=settings.GILDE_OIDC_CLIENT_ID,
                issuer=settings.GILDE_OIDC_ISSUER,
                options={"require": ["exp", "iat", "aud", "iss"]},
            )
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"id token refused: {exc}") from exc
        return payload

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        # Some providers send the flag as the string "true".
        verified = claims.get("email_verified")
        return bool(claims.get("email")) and (verified is True or verified == "true")

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[Any]:
        """Only an active member with this e-mail address; two with the same address match
        nobody (the library then refuses)."""
        email = str(claims.get("email", "")).strip()
        if not email:
            return get_user_model().objects.none()
        return get_user_model().objects.filter(
            email__iexact=email, is_active=True, member__isnull=False
        )

    def create_user(self, claims: dict[str, Any]) -> None:
        # Never reached (OIDC_CREATE_USER is off); stated so no later setting can change it.
        raise SuspiciousOperation("single sign-on does not create logins")

    def get_user(self, user_id: Any) -> Any:
        return MemberBackend().get_user(user_id)


class _OnlyWhenEnabled:
    """Gilde's settings for the library's views, and a 404 while single sign-on is off."""

    get_settings = staticmethod(oidc_setting)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not sso_enabled():
            raise Http404
        response: HttpResponse = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        return response


class SSOStartView(_OnlyWhenEnabled, OIDCAuthenticationRequestView):
    """Sends the browser to the provider."""


class SSOCallbackView(_OnlyWhenEnabled, OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back."""
