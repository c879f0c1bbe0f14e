"""Logging in: strong passwords, lock-out after repeated failures, optional two-factor codes,
sessions that end, and logout that ends them."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gilde.accounts.models import Role
from gilde.core.middleware import LOGIN_AT_SESSION_KEY, SEEN_AT_SESSION_KEY
from tests.factories import MemberFactory

PASSWORD = "correct horse battery staple"


def _login(client: Client, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(reverse("login"), {"username": username, "password": password})


def _code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def _device(member, confirmed: bool = True) -> TOTPDevice:  # type: ignore[no-untyped-def]
    return TOTPDevice.objects.create(user=member.user, name="authenticator", confirmed=confirmed)


@pytest.mark.parametrize("password", ["kort1234", "password1234", "123456789012345"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    validate_password("zeilen op de Loosdrechtse plassen")


def test_a_good_password_logs_in(owner):
    response = _login(Client(), "eigenaar")
    assert response.status_code == 302 and response.url == reverse("dashboard")


def test_five_failures_lock_the_account_with_a_clear_message(owner):
    client = Client()
    for _ in range(4):
        assert _login(client, "eigenaar", "fout wachtwoord").status_code == 200
    locked = _login(client, "eigenaar", "fout wachtwoord")
    assert locked.status_code == 429
    assert "locked" in locked.content.decode() or "geblokkeerd" in locked.content.decode()
    # Even the right password does not get in during the cool-off.
    assert _login(Client(), "eigenaar").status_code == 429


def test_the_lock_lifts_after_fifteen_minutes(owner):
    client = Client()
    for _ in range(5):
        _login(client, "eigenaar", "fout wachtwoord")
    # Time travel: the failures happened sixteen minutes ago.
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert _login(Client(), "eigenaar").status_code == 302


def test_the_lock_out_message_is_dutch_by_default(owner):
    for _ in range(5):
        response = _login(Client(), "eigenaar", "fout")
    assert "geblokkeerd" in response.content.decode()


def test_the_api_token_is_not_subject_to_the_lock(owner):
    from gilde.accounts.services import api_token_create

    raw = api_token_create(member=owner, name="t")[1]
    for _ in range(6):
        _login(Client(), "eigenaar", "fout")
    response = Client().get("/api/v1/persons", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200


def test_with_an_app_the_password_alone_does_not_log_in(owner):
    device = _device(owner)
    client = Client()
    response = _login(client, "eigenaar")
    assert response.url == reverse("login_verify")
    assert client.get(reverse("dashboard")).status_code == 302  # not logged in yet
    assert client.post(reverse("login_verify"), {"token": _code(device)}).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_wrong_code_is_refused(owner):
    _device(owner)
    client = Client()
    _login(client, "eigenaar")
    response = client.post(reverse("login_verify"), {"token": "000000"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302


def test_the_code_step_expires(owner):
    device = _device(owner)
    client = Client()
    _login(client, "eigenaar")
    later = timezone.now().timestamp() + 600
    with mock.patch("gilde.accounts.auth_views.time.time", return_value=later):
        response = client.post(reverse("login_verify"), {"token": _code(device)})
    assert response.url == reverse("login")


def test_setting_up_the_app_shows_a_qr_code_and_turns_it_on(owner):
    from tests.conftest import client_for

    client = client_for(owner)
    page = client.get(reverse("two_factor_setup")).content.decode()
    assert "<svg" in page and "<path" in page
    device = TOTPDevice.objects.get(user=owner.user)
    assert not device.confirmed
    assert client.post(reverse("two_factor_setup"), {"token": _code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("dashboard")).status_code == 200  # this session is verified


@override_settings(GILDE_REQUIRE_2FA_FOR_MANAGERS=True)
def test_a_manager_without_an_app_is_sent_to_set_it_up_when_required(manager):
    from tests.conftest import client_for

    response = client_for(manager).get(reverse("person_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor_setup"))


@override_settings(GILDE_REQUIRE_2FA_FOR_MANAGERS=True)
def test_a_networker_is_not_required(owner):
    from tests.conftest import client_for

    assert client_for(owner).get(reverse("person_list")).status_code == 200


@override_settings(GILDE_REQUIRE_2FA_FOR_MANAGERS=True)
def test_a_required_manager_cannot_turn_it_off(manager):
    device = _device(manager)
    client = Client()
    _login(client, "beheer")
    client.post(reverse("login_verify"), {"token": _code(device)})
    client.post(reverse("two_factor_setup"), {"action": "remove", "token": _code(device, 1)})
    assert TOTPDevice.objects.filter(user=manager.user).exists()


def test_sessions_end_after_twelve_hours_however_active(owner):
    client = Client()
    _login(client, "eigenaar")
    # Time travel: the login was twelve hours ago, and the session was used all that time.
    session = client.session
    session[LOGIN_AT_SESSION_KEY] -= 12 * 3600 + 60
    session.save()
    response = client.get(reverse("person_list"))
    assert response.status_code == 302 and "expired=1" in response.url
    assert client.get(reverse("person_list")).status_code == 302


def test_sessions_last_thirty_minutes_idle(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.GILDE_SESSION_RENEW_SECONDS == 60


def _expiry(client: Client, set_to: dt.datetime | None = None) -> dt.datetime:
    from django.contrib.sessions.models import Session

    rows = Session.objects.filter(session_key=client.cookies["sessionid"].value)
    if set_to is not None:
        rows.update(expire_date=set_to)
    return rows.get().expire_date


def test_an_active_session_is_renewed_at_most_once_a_minute(owner):
    client = Client()
    _login(client, "eigenaar")
    client.get(reverse("person_list"))
    # Ten minutes left: a request within the minute after the last renewal does not write.
    soon = _expiry(client, set_to=timezone.now() + dt.timedelta(minutes=10))
    client.get(reverse("person_list"))
    assert _expiry(client) == soon
    # Once the last renewal is more than a minute old, the next request renews the full 30.
    session = client.session
    session[SEEN_AT_SESSION_KEY] -= 61
    session.save()
    _expiry(client, set_to=soon)
    client.get(reverse("person_list"))
    assert _expiry(client) > timezone.now() + dt.timedelta(minutes=29)


def test_an_idle_session_ends(owner):
    from django.contrib.sessions.models import Session

    client = Client()
    _login(client, "eigenaar")
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(reverse("person_list"))
    assert response.status_code == 302 and "login" in response.url


def test_logout_invalidates_the_session(owner):
    client = Client()
    _login(client, "eigenaar")
    old_key = client.cookies["sessionid"].value
    assert client.post(reverse("logout")).status_code == 302
    stale = Client()
    stale.cookies["sessionid"] = old_key
    assert stale.get(reverse("person_list")).status_code == 302


def test_logout_by_get_is_refused(owner):
    client = Client()
    _login(client, "eigenaar")
    assert client.get(reverse("logout")).status_code == 405


def test_demo_style_logins_without_an_app_work_for_every_role(db):
    for role in Role.values:
        member = MemberFactory(user__username=f"demo-{role}", role=role)
        assert _login(Client(), member.user.username).status_code == 302


def test_wrong_codes_count_towards_the_lock(owner):
    _device(owner)
    for _ in range(5):
        client = Client()
        _login(client, "eigenaar")
        client.post(reverse("login_verify"), {"token": "000000"})
    assert _login(Client(), "eigenaar").status_code == 429


def _login_from(address: str, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return Client(REMOTE_ADDR=address).post(
        reverse("login"), {"username": username, "password": password}
    )


def test_typing_a_colleagues_name_five_times_locks_out_only_the_one_typing(owner):
    for _ in range(5):
        _login_from("10.0.0.66", "eigenaar", "fout wachtwoord")
    assert _login_from("10.0.0.66", "eigenaar").status_code == 429
    assert _login_from("10.0.0.7", "eigenaar").status_code == 302


@override_settings(GILDE_LOGIN_NAME_SLOW_LIMIT=20, GILDE_LOGIN_NAME_SLOW_SECONDS=30)
def test_a_name_guessed_from_many_places_is_slowed_not_locked(owner):
    from gilde.accounts.models import LoginNameCheck

    for n in range(20):
        _login_from(f"10.0.1.{n}", "eigenaar", "fout wachtwoord")
    # The next check is allowed (and fails); the one right after it must wait its turn.
    assert _login_from("10.0.2.1", "eigenaar", "nog fout").status_code == 200
    waiting = _login_from("10.0.2.2", "eigenaar")
    assert waiting.status_code == 200 and "_auth_user_id" not in waiting.client.session
    assert "30" in waiting.content.decode()
    # Half a minute later the colleague gets in with the right password.
    LoginNameCheck.objects.update(checked_at=timezone.now() - dt.timedelta(seconds=31))
    assert _login_from("10.0.2.2", "eigenaar").status_code == 302


@override_settings(GILDE_LOGIN_NAME_SLOW_LIMIT=20)
def test_a_few_failures_from_many_places_do_not_slow_a_name(owner):
    for n in range(19):
        _login_from(f"10.0.1.{n}", "eigenaar", "fout wachtwoord")
    assert _login_from("10.0.2.1", "eigenaar").status_code == 302
    assert _login_from("10.0.2.2", "eigenaar").status_code == 302
