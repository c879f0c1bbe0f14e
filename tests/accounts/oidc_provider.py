"""A small OpenID Connect provider for the tests, on a local port: it authorises at once,
issues RS256-signed id tokens with the nonce it was given, publishes its key as JWKS and answers
the userinfo request with the claims a test sets. No outside network is involved."""

from __future__ import annotations

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "gilde-test"
CLIENT_SECRET = "provider-secret"  # noqa: S105 - a test provider's secret


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class Provider:
    def __init__(self) -> None:
        self.key = _new_key()
        # What the id token is signed with and says; a test changes these to tamper.
        self.signing_key = self.key
        self.audience = CLIENT_ID
        self.claims: dict[str, Any] = {}
        self.codes: dict[str, str] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def settings(self) -> dict[str, str]:
        return {
            "GILDE_OIDC_CLIENT_ID": CLIENT_ID,
            "GILDE_OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "GILDE_OIDC_ISSUER": self.url,
            "GILDE_OIDC_AUTHORIZATION_ENDPOINT": f"{self.url}/authorize",
            "GILDE_OIDC_TOKEN_ENDPOINT": f"{self.url}/token",
            "GILDE_OIDC_USERINFO_ENDPOINT": f"{self.url}/userinfo",
            "GILDE_OIDC_JWKS_ENDPOINT": f"{self.url}/jwks",
        }

    def start(self) -> Provider:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        payload = {
            "iss": self.url,
            "sub": "subject-1",
            "aud": self.audience,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            **self.claims,
        }
        return jwt.encode(payload, self.signing_key, algorithm="RS256", headers={"kid": "k1"})

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": "k1", "alg": "RS256", "use": "sig"}]}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def _json(self, body: dict[str, Any], status: int = 200) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/authorize":
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = query.get("nonce", "")
                    target = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.end_headers()
                elif url.path == "/jwks":
                    self._json(provider.jwks())
                elif url.path == "/userinfo":
                    self._json({"sub": "subject-1", **provider.claims})
                else:
                    self._json({"error": "not_found"}, 404)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if (
                    urlparse(self.path).path != "/token"
                    or form.get("client_secret") != CLIENT_SECRET
                    or form.get("code") not in provider.codes
                ):
                    self._json({"error": "invalid_grant"}, 400)
                    return
                nonce = provider.codes.pop(form["code"])
                self._json(
                    {
                        "access_token": secrets.token_urlsafe(16),
                        "token_type": "Bearer",
                        "id_token": provider.id_token(nonce),
                    }
                )

        return Handler
