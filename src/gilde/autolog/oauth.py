"""OAuth2 for mailboxes at Microsoft 365 and Google Workspace: the consent flow (authorization
code with PKCE, RFC 7636), the token exchange and the refresh (refresh_token grant). Each
provider is configured by settings (GILDE_OAUTH2_PROVIDERS, built from environment variables
in settings.py); a provider without a client id is not offered. Standard library HTTP only;
no Django models here."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings


class TokenError(Exception):
    """The token endpoint said no (a code or refresh token it does not accept: `refused`) or
    could not be used (unreachable, a server error, an answer without a token)."""

    def __init__(self, reason: str, *, refused: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.refused = refused


@dataclass(frozen=True)
class Provider:
    name: str
    label: str
    authorize_url: str
    token_url: str
    client_id: str
    client_secret: str
    scopes: str
    imap_server: str
    extra: dict[str, str]


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str  # "" when the provider kept the one it gave before
    expires_at: dt.datetime


def providers() -> dict[str, Provider]:
    """The configured providers (those with a client id), by name."""
    found = {}
    for name, values in getattr(settings, "GILDE_OAUTH2_PROVIDERS", {}).items():
        if values.get("client_id"):
            found[name] = Provider(
                name=name,
                label=str(values.get("label") or name),
                authorize_url=values["authorize_url"],
                token_url=values["token_url"],
                client_id=values["client_id"],
                client_secret=values.get("client_secret", ""),
                scopes=values.get("scopes", ""),
                imap_server=values.get("imap_server", ""),
                extra=dict(values.get("extra", {})),
            )
    return found


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge)."""
    verifier = secrets.token_urlsafe(64)[:96]
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorize_url(
    provider: Provider, *, redirect_uri: str, state: str, challenge: str, login_hint: str
) -> str:
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri,
        "scope": provider.scopes,
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **provider.extra,
    }
    if login_hint:
        params["login_hint"] = login_hint
    separator = "&" if "?" in provider.authorize_url else "?"
    return provider.authorize_url + separator + urllib.parse.urlencode(params)


def _token_request(provider: Provider, form: dict[str, str], now: dt.datetime) -> Tokens:
    if not provider.token_url.startswith(("https://", "http://")):
        raise TokenError("token-url-not-http")
    body = urllib.parse.urlencode(
        {**form, "client_id": provider.client_id}
        | ({"client_secret": provider.client_secret} if provider.client_secret else {})
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        provider.token_url,
        data=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
            "User-Agent": "Gilde",
        },
    )
    try:
        with urllib.request.urlopen(  # noqa: S310
            request, timeout=settings.GILDE_AUTOLOG_TIMEOUT_SECONDS
        ) as response:
            data: Any = json.loads(response.read(1024 * 1024) or b"{}")
    except urllib.error.HTTPError as exc:
        code = _error_code(exc)
        # RFC 6749 5.2: invalid_grant (the code or refresh token is expired or revoked) and
        # invalid_client (the app's secret) will not get better by trying again.
        refused = exc.code in {400, 401} and code in {"invalid_grant", "invalid_client", ""}
        raise TokenError(f"HTTP {exc.code} {code}".strip(), refused=refused) from exc
    except (OSError, ValueError) as exc:
        raise TokenError(type(exc).__name__) from exc
    if not isinstance(data, dict) or not isinstance(data.get("access_token"), str):
        raise TokenError("no-access-token")
    try:
        seconds = int(data.get("expires_in") or 3600)
    except (TypeError, ValueError):
        seconds = 3600
    refresh = data.get("refresh_token")
    return Tokens(
        access_token=data["access_token"],
        refresh_token=refresh if isinstance(refresh, str) else "",
        expires_at=now + dt.timedelta(seconds=max(0, seconds)),
    )


def _error_code(exc: urllib.error.HTTPError) -> str:
    try:
        data = json.loads(exc.read(64 * 1024) or b"{}")
    except (OSError, ValueError):
        return ""
    code = data.get("error") if isinstance(data, dict) else None
    return code if isinstance(code, str) and code.replace("_", "").isalnum() else ""


def code_exchange(
    provider: Provider, *, code: str, verifier: str, redirect_uri: str, now: dt.datetime
) -> Tokens:
    """The tokens for the code the member's consent gave (authorization_code grant)."""
    tokens = _token_request(
        provider,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        },
        now,
    )
    if not tokens.refresh_token:
        raise TokenError("no-refresh-token")
    return tokens


def token_refresh(provider: Provider, *, refresh_token: str, now: dt.datetime) -> Tokens:
    """A new access token (refresh_token grant); the refresh token may be replaced too."""
    return _token_request(
        provider,
        {"grant_type": "refresh_token", "refresh_token": refresh_token, "scope": provider.scopes},
        now,
    )
