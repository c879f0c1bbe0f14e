"""Inviting a colleague: a manager invites, the mail goes out in the invitee's language with a
signed single-use link that expires, the colleague sets a password and is logged in; expired,
used, withdrawn and tampered links get a clear page."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from gilde.accounts import invitations
from gilde.accounts.models import Invitation, Member, Role
from gilde.audit.models import AuditEntry
from tests.conftest import client_for
from tests.factories import MemberFactory

NEW_PASSWORD = "zeilen op de Loosdrechtse plassen"


def _invite(client: Client, **fields: str):  # type: ignore[no-untyped-def]
    data = {
        "first_name": "Lotte",
        "last_name": "de Boer",
        "email": "Lotte.de.Boer@example.nl",
        "role": Role.NETWORKER,
        "department": "Advies",
        "job_title": "Adviseur",
        "language": "en",
    }
    return client.post(reverse("accounts:invite"), {**data, **fields})


def _link_in(message: mail.EmailMessage) -> str:
    found = re.search(r"https?://\S+/join/\S+/", str(message.body))
    assert found, message.body
    return found.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


@pytest.fixture
def invited(manager, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client_for(manager))
    assert response.status_code == 302
    return Invitation.objects.get()


def test_a_manager_invites_and_the_mail_goes_out_in_the_invitees_language(invited):
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lotte.de.boer@example.nl"]
    assert message.subject == "You are invited to Gilde"
    assert "choose your password" in message.body
    assert invited.sent_at is None or invited.sent_at <= timezone.now()
    invited.refresh_from_db()
    assert invited.sent_at is not None
    assert AuditEntry.objects.filter(target_type="invitation", action="create").exists()


def test_a_dutch_invitation_is_written_in_dutch(manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client_for(manager), language="nl", email="jan@example.nl")
    assert mail.outbox[0].subject == "U bent uitgenodigd voor Gilde"


def test_the_colleague_sets_a_password_and_is_logged_in_as_a_member(invited):
    client = Client()
    link = _link_in(mail.outbox[0])
    assert client.get(link).status_code == 200
    response = client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("dashboard")
    member = Member.objects.get(user__username="lotte.de.boer@example.nl")
    assert (member.role, member.department, member.job_title, member.language) == (
        Role.NETWORKER,
        "Advies",
        "Adviseur",
        "en",
    )
    assert client.get(reverse("dashboard")).status_code == 200
    again = Client().post(
        reverse("login"), {"username": "lotte.de.boer@example.nl", "password": NEW_PASSWORD}
    )
    assert again.status_code == 302 and again.url == reverse("dashboard")


def test_a_weak_password_is_refused_by_djangos_validators_and_nothing_is_created(invited):
    link = _link_in(mail.outbox[0])
    response = Client().post(link, {"password1": "kort", "password2": "kort"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not Member.objects.filter(user__email="lotte.de.boer@example.nl").exists()


def test_a_used_link_gets_a_clear_page(invited):
    link = _link_in(mail.outbox[0])
    Client().post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    again = Client().get(link)
    assert again.status_code == 410 and "al gebruikt" in again.content.decode()
    assert Member.objects.filter(user__email="lotte.de.boer@example.nl").count() == 1


def test_an_expired_link_gets_a_clear_page(invited):
    link = _link_in(mail.outbox[0])
    later = timezone.now() + dt.timedelta(days=7, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = Client().get(link)
        posted = Client().post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 410 and "verlopen" in response.content.decode()
    assert posted.status_code == 410
    assert not Member.objects.filter(user__email="lotte.de.boer@example.nl").exists()


@override_settings(GILDE_INVITATION_DAYS=2)
def test_the_expiry_follows_the_setting(manager):
    invitation = invitations.invitation_create(
        actor=manager, email="a@example.nl", first_name="A", role=Role.NETWORKER
    )
    assert dt.timedelta(days=2) - (invitation.expires_at - timezone.now()) < dt.timedelta(minutes=1)


def test_a_tampered_link_gets_a_clear_page(invited):
    link = _link_in(mail.outbox[0])
    response = Client().get(link[:-3] + "x/")
    assert response.status_code == 404 and "<article" in response.content.decode()
    forged = reverse("accounts:invitation_accept", args=["eyJpIjoxLCJrIjoiYWJjIn0:forged"])
    assert Client().get(forged).status_code == 404


def test_sending_again_makes_the_old_link_stop_working(
    manager, invited, django_capture_on_commit_callbacks
):
    old = _link_in(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(manager).post(
            reverse("accounts:invitation_resend", args=[invited.pk])
        )
    assert response.status_code == 302 and len(mail.outbox) == 2
    new = _link_in(mail.outbox[1])
    assert new != old
    assert Client().get(old).status_code == 410
    assert Client().get(new).status_code == 200


def test_a_withdrawn_invitation_no_longer_works(manager, invited):
    link = _link_in(mail.outbox[0])
    client_for(manager).post(reverse("accounts:invitation_withdraw", args=[invited.pk]))
    response = Client().get(link)
    assert response.status_code == 410 and "ingetrokken" in response.content.decode()
    assert AuditEntry.objects.filter(target_type="invitation", action="delete").exists()


def test_an_address_with_a_login_or_an_open_invitation_cannot_be_invited(
    manager, colleague, invited
):
    colleague.user.email = "sanne@example.nl"
    colleague.user.save()
    for email in ("SANNE@example.nl", "lotte.de.boer@example.nl"):
        with pytest.raises(ValidationError):
            invitations.invitation_create(
                actor=manager, email=email, first_name="X", role=Role.NETWORKER
            )
    assert Invitation.objects.count() == 1


def test_a_network_manager_cannot_invite_an_administrator(manager):
    with pytest.raises(PermissionDenied):
        invitations.invitation_create(
            actor=manager, email="baas@example.nl", first_name="B", role=Role.ADMINISTRATOR
        )
    response = _invite(client_for(manager), role=Role.ADMINISTRATOR)
    assert response.status_code == 200 and "role" in response.context["form"].errors
    assert not Invitation.objects.exists()


def test_an_administrator_invites_an_administrator(db, django_capture_on_commit_callbacks):
    admin = MemberFactory(role=Role.ADMINISTRATOR)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitations.invitation_create(
            actor=admin, email="baas@example.nl", first_name="B", role=Role.ADMINISTRATOR
        )
    member = invitations.invitation_accept(
        token=invitations.invitation_token(invitation), password=NEW_PASSWORD
    )
    assert member.role == Role.ADMINISTRATOR and member.user.is_staff


def test_networkers_readers_and_outsiders_cannot_invite(colleague, reader, outsider):
    for who, status in ((colleague, 403), (reader, 403), (outsider, 404)):
        assert _invite(client_for(who)).status_code == status
    for member in (colleague, reader):
        with pytest.raises(PermissionDenied):
            invitations.invitation_create(
                actor=member, email="x@example.nl", first_name="X", role=Role.NETWORKER
            )
    assert not Invitation.objects.exists()


def test_networkers_cannot_resend_or_withdraw(colleague, invited):
    client = client_for(colleague)
    assert client.post(reverse("accounts:invitation_resend", args=[invited.pk])).status_code == 403
    assert (
        client.post(reverse("accounts:invitation_withdraw", args=[invited.pk])).status_code == 403
    )
    invited.refresh_from_db()
    assert invited.is_open


def test_a_refusing_mail_server_leaves_the_invitation_unsent_to_send_again(manager):
    invitation = invitations.invitation_create(
        actor=manager, email="a@example.nl", first_name="A", role=Role.NETWORKER
    )
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("down")):
        assert invitations.invitation_mail_send(invitation_id=invitation.pk) is False
    invitation.refresh_from_db()
    assert invitation.sent_at is None
    assert invitations.invitation_mail_send(invitation_id=invitation.pk) is True


def test_open_invitations_show_on_the_team_page(manager, invited):
    page = client_for(manager).get(reverse("accounts:team")).content.decode()
    assert "lotte.de.boer@example.nl" in page


def test_an_address_that_cannot_be_a_user_name_is_refused_when_inviting(manager):
    long_address = "a" * 140 + "@example.nl"
    for email in (long_address, "o'brien@example.nl"):
        with pytest.raises(ValidationError) as refused:
            invitations.invitation_create(
                actor=manager, email=email, first_name="X", role=Role.NETWORKER
            )
        assert "email" in refused.value.message_dict
    assert not Invitation.objects.exists()


def test_the_password_page_speaks_the_invitations_language(invited):
    page = Client().get(_link_in(mail.outbox[0])).content.decode()
    assert "Set password and log in" in page and 'lang="en"' in page


def test_accepting_after_someone_took_the_address_says_so_and_creates_nothing(invited):
    MemberFactory(user__username="lotte", user__email="lotte.de.boer@example.nl")
    link = _link_in(mail.outbox[0])
    response = Client().post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Member.objects.filter(user__email="lotte.de.boer@example.nl").count() == 1
    invited.refresh_from_db()
    assert invited.is_open


def test_a_name_with_control_characters_is_refused_when_inviting(manager):
    with pytest.raises(ValidationError) as refused:
        invitations.invitation_create(
            actor=manager, email="x@example.nl", first_name="Lotte\x00", role=Role.NETWORKER
        )
    assert "first_name" in refused.value.message_dict
    assert not Invitation.objects.exists()
