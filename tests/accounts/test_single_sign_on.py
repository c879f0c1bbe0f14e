"""Single sign-on with OpenID Connect against a local provider the tests start: a login is
matched to an ACTIVE member by VERIFIED e-mail and never creates anyone (so never an
administrator); bad tokens and unknown addresses are refused; off unless configured."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse

from gilde.accounts import team
from gilde.audit.models import AuditEntry
from tests.accounts.oidc_provider import Provider


@pytest.fixture
def provider() -> Iterator[Provider]:
    provider = Provider().start()
    with override_settings(**provider.settings()):
        yield provider
    provider.stop()


@pytest.fixture
def sanne(colleague):  # type: ignore[no-untyped-def]
    colleague.user.email = "Sanne@Example.nl"
    colleague.user.save()
    return colleague


def _sign_in(provider: Provider, **claims: Any) -> tuple[Client, Any]:
    provider.claims = claims
    client = Client()
    start = client.get(reverse("accounts:oidc_start"))
    assert start.status_code == 302 and start.url.startswith(provider.url)
    authorised = requests.get(start.url, allow_redirects=False, timeout=5)
    callback = authorised.headers["Location"].removeprefix("http://testserver")
    return client, client.get(callback)


def test_an_active_member_with_a_verified_address_is_logged_in(provider, sanne):
    client, response = _sign_in(provider, email="sanne@example.nl", email_verified=True)
    assert response.status_code == 302 and response.url == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200
    assert int(client.session["_auth_user_id"]) == sanne.user.pk
    assert AuditEntry.objects.filter(action="login", actor=sanne).exists()


def test_an_unverified_address_is_refused(provider, sanne):
    client, response = _sign_in(provider, email="sanne@example.nl", email_verified=False)
    assert response.url == reverse("login") + "?sso=failed"
    assert "_auth_user_id" not in client.session


def test_an_unknown_address_is_refused_and_no_login_is_created(provider, sanne):
    users = get_user_model().objects.count()
    client, response = _sign_in(
        provider, email="baas@example.nl", email_verified=True, groups=["administrators"]
    )
    assert response.url == reverse("login") + "?sso=failed"
    assert get_user_model().objects.count() == users
    page = client.get(response.url).content.decode()
    assert "Eenmalige aanmelding heeft u niet ingelogd" in page


def test_a_deactivated_member_is_refused(provider, sanne, manager):
    team.member_deactivate(actor=manager, member=sanne)
    client, response = _sign_in(provider, email="sanne@example.nl", email_verified=True)
    assert response.url == reverse("login") + "?sso=failed"
    assert "_auth_user_id" not in client.session


def test_a_token_signed_with_another_key_is_refused(provider, sanne):
    from tests.accounts.oidc_provider import _new_key

    provider.signing_key = _new_key()
    client, response = _sign_in(provider, email="sanne@example.nl", email_verified=True)
    assert response.url == reverse("login") + "?sso=failed"
    assert "_auth_user_id" not in client.session


def test_a_token_for_another_application_is_refused(provider, sanne):
    provider.audience = "another-app"
    client, response = _sign_in(provider, email="sanne@example.nl", email_verified=True)
    assert response.url == reverse("login") + "?sso=failed"
    assert "_auth_user_id" not in client.session


def test_the_login_page_offers_single_sign_on_only_when_configured(provider, db):
    assert 'id="sso-login"' in Client().get(reverse("login")).content.decode()
    with override_settings(GILDE_OIDC_CLIENT_ID=""):
        assert 'id="sso-login"' not in Client().get(reverse("login")).content.decode()
        assert Client().get(reverse("accounts:oidc_start")).status_code == 404
        assert Client().get(reverse("accounts:oidc_callback")).status_code == 404


def test_password_login_keeps_working_beside_single_sign_on(provider, sanne):
    response = Client().post(
        reverse("login"), {"username": "collega", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302 and response.url == reverse("dashboard")


def test_a_verified_flag_sent_as_text_counts_and_any_other_text_does_not(provider, sanne):
    client, response = _sign_in(provider, email="sanne@example.nl", email_verified="false")
    assert "_auth_user_id" not in client.session
    client, response = _sign_in(provider, email="sanne@example.nl", email_verified="true")
    assert int(client.session["_auth_user_id"]) == sanne.user.pk
