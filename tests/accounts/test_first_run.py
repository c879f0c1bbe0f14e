"""A fresh install: `gilde createsuperuser` leaves an administrator who is also a member, a
superuser made any other way becomes one at the first login, and the dashboard of an empty Gilde
says what to do first."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from gilde.accounts.models import Member, Role
from gilde.accounts.services import administrator_member_ensure
from gilde.audit.models import AuditEntry
from tests.conftest import client_for
from tests.factories import MemberFactory, PersonFactory, UserFactory

PASSWORD = "correct horse battery staple"


def _createsuperuser_noinput(monkeypatch: pytest.MonkeyPatch, username: str = "beheerder") -> str:
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", username)
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", f"{username}@example.nl")
    out = StringIO()
    call_command("createsuperuser", "--noinput", stdout=out)
    return out.getvalue()


def _log_in(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


@pytest.mark.django_db
def test_createsuperuser_noinput_makes_an_administrator_member(monkeypatch):
    output = _createsuperuser_noinput(monkeypatch)

    member = Member.objects.select_related("user").get(user__username="beheerder")
    assert member.role == Role.ADMINISTRATOR
    assert member.user.is_superuser and member.user.is_staff
    assert member.user.email == "beheerder@example.nl"
    assert "administrator member" in output


@pytest.mark.django_db
def test_createsuperuser_leaves_other_superusers_alone(monkeypatch):
    other = get_user_model().objects.create_superuser("oud", "oud@example.nl", PASSWORD)

    _createsuperuser_noinput(monkeypatch)

    assert not Member.objects.filter(user=other).exists()


@pytest.mark.django_db
def test_createsuperuser_with_a_taken_name_changes_nothing(monkeypatch):
    _createsuperuser_noinput(monkeypatch)

    with pytest.raises(Exception, match="already taken"):
        _createsuperuser_noinput(monkeypatch)

    assert Member.objects.count() == 1


@pytest.mark.django_db
def test_the_administrator_lands_on_the_dashboard_with_first_steps(monkeypatch):
    _createsuperuser_noinput(monkeypatch)
    client = _log_in("beheerder")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("dashboard"))

    assert response.status_code == 200
    titles = [step.title for step in response.context["first_steps"]]
    assert titles == [
        "Choose the kind of network",
        "Invite your colleagues",
        "Import your relations",
        "Set the contact rhythm per tier",
    ]
    content = response.content.decode()
    assert "First steps" in content
    assert reverse("accounts:invite") in content
    assert reverse("import_list") in content
    assert reverse("admin:relations_tier_changelist") in content
    assert "A every 30 days, at most 60" in content


@pytest.mark.django_db
def test_the_first_steps_speak_dutch_by_default(monkeypatch):
    _createsuperuser_noinput(monkeypatch)

    content = _log_in("beheerder").get(reverse("dashboard")).content.decode()

    assert "Eerste stappen" in content
    assert "Relaties importeren" in content


@pytest.mark.django_db
def test_the_first_steps_go_once_there_are_relations(monkeypatch):
    _createsuperuser_noinput(monkeypatch)
    PersonFactory()

    response = _log_in("beheerder").get(reverse("dashboard"))

    assert response.context["first_steps"] == []
    assert "Eerste stappen" not in response.content.decode()


@pytest.mark.django_db
def test_a_networker_is_only_asked_to_import(owner):
    response = client_for(owner).get(reverse("dashboard"))

    assert [step.url for step in response.context["first_steps"]] == [reverse("import_list")]


@pytest.mark.django_db
def test_a_reader_sees_no_first_steps(reader):
    response = client_for(reader).get(reverse("dashboard"))

    assert response.status_code == 200
    assert response.context["first_steps"] == []


@pytest.mark.django_db
def test_a_superuser_made_by_django_becomes_the_administrator_at_first_login():
    get_user_model().objects.create_superuser("beheerder", "b@example.nl", PASSWORD)

    response = _log_in("beheerder").get(reverse("dashboard"))

    assert response.status_code == 200
    member = Member.objects.get(user__username="beheerder")
    assert member.role == Role.ADMINISTRATOR
    entry = AuditEntry.objects.get(target_type="member", target_id=member.pk)
    assert (entry.action, entry.actor_id) == ("create", member.pk)


@pytest.mark.django_db
def test_a_login_without_a_member_that_is_no_superuser_still_sees_nothing(outsider):
    response = client_for(outsider).get(reverse("dashboard"))

    assert response.status_code == 404
    assert not Member.objects.filter(user=outsider).exists()


@pytest.mark.django_db
def test_ensuring_the_member_twice_keeps_the_first():
    user = get_user_model().objects.create_superuser("beheerder", "b@example.nl", PASSWORD)

    first = administrator_member_ensure(user=user)
    second = administrator_member_ensure(user=user)

    assert first.pk == second.pk
    assert AuditEntry.objects.filter(target_type="member").count() == 1


@pytest.mark.django_db
def test_a_superuser_with_a_member_keeps_their_role():
    member = MemberFactory(role=Role.NETWORK_MANAGER, user__is_superuser=True)

    assert administrator_member_ensure(user=member.user).role == Role.NETWORK_MANAGER


@pytest.mark.django_db
def test_an_ordinary_login_is_not_made_an_administrator():
    user = UserFactory()

    with pytest.raises(PermissionDenied):
        administrator_member_ensure(user=user)

    assert not Member.objects.exists()
