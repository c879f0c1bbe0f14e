"""A small real OAuth2 authorization server for the tests, on a free port of this machine
(http.server in a thread): /authorize (consent given at once, or refused), /token (the
authorization_code grant with PKCE S256 checked, and the refresh_token grant) and /introspect
(RFC 7662, which Dovecot's oauth2 passdb asks whether an access token is valid and whose it is).
It records every request, so a test can count what Gilde asked for."""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

CLIENT_ID = "gilde-test-client"
CLIENT_SECRET = "gilde-test-geheim"


@dataclass
class OAuthServer:
    port: int
    deny: bool = False  # the member refuses consent
    token_error: int = 0  # the token endpoint answers with this HTTP status
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    access: dict[str, str] = field(default_factory=dict)  # valid access token -> user
    refresh: dict[str, str] = field(default_factory=dict)  # valid refresh token -> user
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    counter: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def hits(self, path: str, grant: str | None = None) -> list[dict[str, str]]:
        return [
            form
            for p, form in self.requests
            if p == path and (grant is None or form.get("grant_type") == grant)
        ]

    def issue(self, user: str) -> dict[str, Any]:
        n = next(self.counter)
        access, refresh = f"toegang-{n}", f"vernieuw-{n}"
        self.access[access] = user
        self.refresh[refresh] = user
        return {
            "access_token": access,
            "refresh_token": refresh,
            "token_type": "Bearer",
            "expires_in": 3600,
        }


def _handler(server: OAuthServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            return None

        def _send(self, status: int, body: dict[str, Any] | None = None, **headers: str) -> None:
            data = json.dumps(body or {}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            server.requests.append((parts.path, query))
            if parts.path != "/authorize":
                return self._send(404)
            redirect = query.get("redirect_uri", "")
            if (
                query.get("client_id") != CLIENT_ID
                or query.get("response_type") != "code"
                or query.get("code_challenge_method") != "S256"
                or not redirect
            ):
                return self._send(400, {"error": "invalid_request"})
            if server.deny:
                answer = {"error": "access_denied", "state": query.get("state", "")}
            else:
                code = f"code-{next(server.counter)}"
                server.codes[code] = {
                    "challenge": query["code_challenge"],
                    "redirect_uri": redirect,
                    "user": query.get("login_hint", ""),
                }
                answer = {"code": code, "state": query.get("state", "")}
            return self._send(302, Location=f"{redirect}?{urlencode(answer)}")

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            path = urlsplit(self.path).path
            server.requests.append((path, form))
            if path == "/introspect":
                user = server.access.get(form.get("token", ""))
                return self._send(200, {"active": user is not None, "username": user or ""})
            if path != "/token":
                return self._send(404)
            if server.token_error:
                return self._send(server.token_error, {"error": "temporarily_unavailable"})
            if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
                return self._send(401, {"error": "invalid_client"})
            if form.get("grant_type") == "authorization_code":
                grant = server.codes.pop(form.get("code", ""), None)
                verifier = form.get("code_verifier", "").encode()
                challenge = (
                    base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
                ).decode()
                if (
                    grant is None
                    or grant["challenge"] != challenge
                    or grant["redirect_uri"] != form.get("redirect_uri")
                ):
                    return self._send(400, {"error": "invalid_grant"})
                return self._send(200, server.issue(grant["user"]))
            if form.get("grant_type") == "refresh_token":
                user = server.refresh.pop(form.get("refresh_token", ""), None)
                if user is None:
                    return self._send(400, {"error": "invalid_grant"})
                return self._send(200, server.issue(user))
            return self._send(400, {"error": "unsupported_grant_type"})

    return Handler


@pytest.fixture
def oauth_server(settings: Any) -> Iterator[OAuthServer]:
    """The server, and Gilde's "microsoft" provider pointed at it."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    state = OAuthServer(port=int(httpd.server_address[1]))
    httpd.RequestHandlerClass = _handler(state)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    settings.GILDE_OAUTH2_PROVIDERS = {
        "microsoft": {
            "label": "Microsoft 365",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "authorize_url": f"{state.base}/authorize",
            "token_url": f"{state.base}/token",
            "scopes": "https://outlook.office.com/IMAP.AccessAsUser.All offline_access",
            "imap_server": "imaps://outlook.office365.com",
            "extra": {},
        }
    }
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
