"""OAuth2 sign-in for mailboxes at Microsoft 365 and Google Workspace, against a real OAuth2
server started by the test (tests/autolog/oauth_server.py) and Dovecot that accepts only
XOAUTH2 and checks each access token with that server (its oauth2 passdb, RFC 7662
introspection): the consent flow with PKCE and a state bound to the session, the tokens
stored encrypted, the access token refreshed before a run when it expires or once when the
server refuses it, and then the login-refused path."""

from __future__ import annotations

import datetime as dt
import imaplib
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.utils import timezone

from gilde.autolog.models import Connection, ConnectionStatus, Entry, SyncRun
from gilde.autolog.secrets import secret_open, secret_seal
from gilde.autolog.sync import connection_sync
from gilde.relations.models import EmailAddress
from tests.autolog.messages import outlook
from tests.autolog.oauth_server import OAuthServer, oauth_server  # noqa: F401 - the fixture
from tests.autolog.servers import (
    DOVECOT_OAUTH_CONF,
    DOVECOT_OAUTH_EXT,
    dovecot_required,
    dovecot_start,
)
from tests.conftest import client_for
from tests.factories import MemberFactory, PersonFactory

pytestmark = pytest.mark.django_db

ADDRESS = "jeroen@ons-bureau.nl"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def _consent(url: str) -> str:
    """What the member's browser does at the provider: open the authorize address and follow
    the provider's redirect back to Gilde (returned, not followed)."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(url, timeout=10)
    except urllib.error.HTTPError as exc:
        assert exc.code == 302, exc.code
        return str(exc.headers["Location"])
    raise AssertionError("the provider did not send the member back")


@pytest.fixture
def member():
    # English pages, so the messages read as asserted (the Dutch ones are in the catalogue).
    member = MemberFactory(user__username="jeroen", user__email=ADDRESS)
    member.language = "en"
    member.save(update_fields=["language"])
    return member


def _start(client, username: str = ADDRESS):  # type: ignore[no-untyped-def]
    response = client.post(
        "/me/mail-and-calendar/oauth/start/", {"provider": "microsoft", "username": username}
    )
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def _back(client, location: str):  # type: ignore[no-untyped-def]
    parts = urlsplit(location)
    return client.get(parts.path + "?" + parts.query)


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in get_messages(response.wsgi_request)]


# ---- the consent flow ---------------------------------------------------------------------------


def test_consent_stores_the_tokens_encrypted_and_connects_the_mailbox(member, oauth_server):  # noqa: F811
    client = client_for(member)
    authorize = _start(client)
    query = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith(oauth_server.base + "/authorize?")
    assert query["code_challenge_method"] == ["S256"] and query["login_hint"] == [ADDRESS]
    assert query["redirect_uri"] == ["http://testserver/me/mail-and-calendar/oauth/return/"]
    response = _back(client, _consent(authorize))
    assert response.status_code == 302 and response["Location"] == "/me/mail-and-calendar/"
    assert any("Connected through Microsoft 365" in m for m in _messages(response))
    connection = Connection.objects.get(member=member)
    assert connection.kind == "imap" and connection.auth == "xoauth2"
    assert connection.oauth_provider == "microsoft" and connection.username == ADDRESS
    assert connection.server == "imaps://outlook.office365.com"
    # Encrypted at rest: neither token appears as such.
    assert "toegang-" not in connection.secret and "vernieuw-" not in connection.refresh_secret
    assert secret_open(connection.secret).startswith("toegang-")
    assert secret_open(connection.refresh_secret).startswith("vernieuw-")
    assert connection.token_expires_at > timezone.now() + dt.timedelta(minutes=50)
    # The token request proved the PKCE verifier and used the same redirect address.
    (exchange,) = oauth_server.hits("/token", "authorization_code")
    assert exchange["redirect_uri"] == query["redirect_uri"][0]
    assert exchange["code_verifier"]
    # The settings page shows it, never a token.
    page = client.get("/me/mail-and-calendar/").content.decode()
    assert ADDRESS in page and "toegang-" not in page and "vernieuw-" not in page


def test_signing_in_again_renews_the_same_connection(member, oauth_server):  # noqa: F811
    client = client_for(member)
    _back(client, _consent(_start(client)))
    first = Connection.objects.get(member=member)
    Connection.objects.filter(pk=first.pk).update(status=ConnectionStatus.FAILING)
    _back(client, _consent(_start(client, ADDRESS.upper())))
    again = Connection.objects.get(member=member)
    assert again.pk == first.pk and again.status == ConnectionStatus.ACTIVE
    assert secret_open(again.secret) != secret_open(first.secret)


def test_a_tampered_state_stores_nothing(member, oauth_server):  # noqa: F811
    client = client_for(member)
    back = _consent(_start(client))
    response = _back(client, back.replace("state=", "state=x"))
    assert response.status_code == 302
    assert any("could not be checked" in m for m in _messages(response))
    assert not Connection.objects.exists()
    assert not oauth_server.hits("/token")  # the code was never even exchanged
    # The real answer afterwards does not work either: the sign-in was used up.
    assert _back(client, back).status_code == 302 and not Connection.objects.exists()


def test_a_state_from_another_session_stores_nothing(member, oauth_server):  # noqa: F811
    back = _consent(_start(client_for(member)))
    other = client_for(member)  # the same member, another browser: no sign-in started there
    response = _back(other, back)
    assert any("could not be checked" in m for m in _messages(response))
    assert not Connection.objects.exists()


def test_an_expired_sign_in_stores_nothing(member, oauth_server, monkeypatch):  # noqa: F811
    from gilde.autolog import views

    client = client_for(member)
    back = _consent(_start(client))
    monkeypatch.setattr(views, "OAUTH_VALID_SECONDS", -1)
    assert any("could not be checked" in m for m in _messages(_back(client, back)))
    assert not Connection.objects.exists()


def test_denied_consent_stores_nothing(member, oauth_server):  # noqa: F811
    oauth_server.deny = True
    client = client_for(member)
    response = _back(client, _consent(_start(client)))
    assert any("did not give consent at Microsoft 365" in m for m in _messages(response))
    assert not Connection.objects.exists() and not oauth_server.hits("/token")


@pytest.mark.parametrize("status", [400, 500])
def test_a_token_endpoint_error_stores_nothing(member, oauth_server, status):  # noqa: F811
    oauth_server.token_error = status
    client = client_for(member)
    response = _back(client, _consent(_start(client)))
    assert response.status_code == 302
    assert any("gave no token" in m and "Nothing was stored" in m for m in _messages(response))
    assert not Connection.objects.exists()


def test_an_unreachable_token_endpoint_stores_nothing(member, oauth_server, settings):  # noqa: F811
    client = client_for(member)
    back = _consent(_start(client))
    settings.GILDE_OAUTH2_PROVIDERS["microsoft"]["token_url"] = "http://127.0.0.1:9/token"
    response = _back(client, back)
    assert any("gave no token" in m for m in _messages(response))
    assert not Connection.objects.exists()


def test_the_sign_in_is_offered_only_when_set_up(member, settings):
    settings.GILDE_OAUTH2_PROVIDERS = {"microsoft": {"client_id": "", "authorize_url": "x"}}
    client = client_for(member)
    assert b"oauth/start" not in client.get("/me/mail-and-calendar/").content
    response = client.post(
        "/me/mail-and-calendar/oauth/start/", {"provider": "microsoft", "username": ADDRESS}
    )
    assert response.status_code == 422 and not Connection.objects.exists()


def test_a_bad_address_is_refused_with_a_message(member, oauth_server):  # noqa: F811
    client = client_for(member)
    response = client.post(
        "/me/mail-and-calendar/oauth/start/", {"provider": "microsoft", "username": "geen adres"}
    )
    assert response.status_code == 422 and "oauth" not in response.get("Location", "")
    assert not oauth_server.requests


# ---- runs: refresh, and the login-refused path, against Dovecot with XOAUTH2 ---------------------


@pytest.fixture
def imap_oauth(oauth_server: OAuthServer) -> Iterator[int]:  # noqa: F811
    """Dovecot accepting only XOAUTH2/OAUTHBEARER, asking the test's OAuth2 server whether a
    token is valid and whose it is; returns its port."""
    dovecot_required()
    root = Path(tempfile.mkdtemp(prefix="gilde-dovecot-oauth-"))
    (root / "oauth2.conf.ext").write_text(
        DOVECOT_OAUTH_EXT.format(introspect=f"{oauth_server.base}/introspect")
    )
    (root / "oauth2.conf.ext").chmod(0o644)
    process, port = dovecot_start(root, DOVECOT_OAUTH_CONF)
    try:
        yield port
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def connected(member, oauth_server, imap_oauth):  # noqa: F811
    """The member's mailbox connected through the consent flow, pointed at the Dovecot server,
    with one message from a relation in it."""
    client = client_for(member)
    _back(client, _consent(_start(client)))
    connection = Connection.objects.get(member=member)
    connection.server = f"imap://127.0.0.1:{imap_oauth}"
    connection.save(update_fields=["server"])
    anna = PersonFactory()
    EmailAddress.objects.create(person=anna, address="anna@rijnbouw.nl")
    imap = imaplib.IMAP4("127.0.0.1", imap_oauth)
    token = secret_open(connection.secret)
    imap.authenticate(
        "XOAUTH2", lambda _: f"user={ADDRESS}\x01auth=Bearer {token}\x01\x01".encode()
    )
    when = timezone.now() - dt.timedelta(days=1)
    message = outlook(sender="anna@rijnbouw.nl", to=[ADDRESS], subject="Offerte", when=when)
    imap.append("INBOX", None, None, message.as_bytes())
    imap.logout()
    oauth_server.requests.clear()
    return connection


def test_a_valid_token_is_used_as_is(connected, oauth_server):  # noqa: F811
    run = connection_sync(connected)
    assert run.outcome == "done", run.counts
    assert Entry.objects.get(member=connected.member).summary == "Offerte"
    assert not oauth_server.hits("/token")
    # Dovecot checked exactly the stored token for exactly this user (the XOAUTH2 string
    # "user=<address>^Aauth=Bearer <token>^A^A").
    (check,) = oauth_server.hits("/introspect")
    assert check["token"] == secret_open(connected.secret)


def test_an_expired_token_is_refreshed_before_the_run_and_the_new_one_used(connected, oauth_server):  # noqa: F811
    old_access = secret_open(connected.secret)
    old_refresh = secret_open(connected.refresh_secret)
    Connection.objects.filter(pk=connected.pk).update(token_expires_at=timezone.now())
    connected.refresh_from_db()
    run = connection_sync(connected)
    assert run.outcome == "done" and run.counts["token-refreshed"] == 1, run.counts
    (refresh,) = oauth_server.hits("/token", "refresh_token")
    assert refresh["refresh_token"] == old_refresh
    connected.refresh_from_db()
    new_access = secret_open(connected.secret)
    assert new_access != old_access and new_access in oauth_server.access
    assert secret_open(connected.refresh_secret) != old_refresh  # the rotated one is kept
    assert connected.token_expires_at > timezone.now() + dt.timedelta(minutes=50)
    assert [h["token"] for h in oauth_server.hits("/introspect")] == [new_access]
    assert Entry.objects.filter(member=connected.member).count() == 1


def test_a_token_the_server_refuses_is_refreshed_once(connected, oauth_server):  # noqa: F811
    oauth_server.access.pop(secret_open(connected.secret))  # revoked before it expired
    run = connection_sync(connected)
    assert run.outcome == "done" and run.counts["token-refreshed"] == 1, run.counts
    assert len(oauth_server.hits("/token", "refresh_token")) == 1
    assert len(oauth_server.hits("/introspect")) == 2  # the refused one, then the new one
    connected.refresh_from_db()
    assert connected.status == ConnectionStatus.ACTIVE


def test_a_revoked_refresh_token_marks_the_connection_and_mails_once(connected, oauth_server):  # noqa: F811
    oauth_server.access.clear()
    oauth_server.refresh.clear()
    run = connection_sync(connected)
    assert run.outcome == "login-refused", run.counts
    assert len(oauth_server.hits("/token", "refresh_token")) == 1  # once, not in a loop
    connected.refresh_from_db()
    assert connected.status == ConnectionStatus.FAILING
    assert len(mail.outbox) == 1
    assert connection_sync(connected).outcome == "login-refused"
    assert len(mail.outbox) == 1  # once
    page = client_for(connected.member).get("/me/mail-and-calendar/").content.decode()
    assert "Sign in again below" in page or "Meld u hieronder opnieuw aan" in page


def test_an_unreachable_token_endpoint_fails_the_run_but_keeps_the_connection(
    connected,
    oauth_server,  # noqa: F811
    settings,
):
    Connection.objects.filter(pk=connected.pk).update(token_expires_at=timezone.now())
    connected.refresh_from_db()
    settings.GILDE_OAUTH2_PROVIDERS["microsoft"]["token_url"] = "http://127.0.0.1:9/token"
    run = connection_sync(connected)
    assert run.outcome == "failed" and run.counts == {"error:TokenError": 1}
    connected.refresh_from_db()
    assert connected.status == ConnectionStatus.ACTIVE and not mail.outbox
    assert SyncRun.objects.filter(connection=connected).count() == 1


def test_the_refresh_token_is_never_stored_readable(member, oauth_server):  # noqa: F811
    client = client_for(member)
    _back(client, _consent(_start(client)))
    row = Connection.objects.values("secret", "refresh_secret").get()
    assert all(v and not v.startswith(("toegang", "vernieuw")) for v in row.values())
    assert secret_seal("x") != secret_seal("x")  # Fernet: a fresh IV every time
