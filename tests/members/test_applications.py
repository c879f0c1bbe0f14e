"""Growth by attraction: the public page, the application pipeline with the introducer, the
privacy of applicants, and the return rate of visitors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gilde.accounts.models import Invitation
from gilde.events.models import EventStatus, Guest, GuestStatus
from gilde.members import selectors
from gilde.members.models import Application, ApplicationStatus
from gilde.members.services import application_advance, application_submit, applications_prune
from tests.conftest import client_for
from tests.factories import EventFactory, PersonFactory

FORM = {
    "kind": "join",
    "first_name": "Fleur",
    "last_name": "de Wit",
    "email": "fleur@example.nl",
    "organisation": "Studio Wit",
    "work": "Fotografie",
    "motivation": "Meer opdrachten in de regio",
    "introduced_by_name": "",
    "consent": "1",
}


def test_the_public_page_shows_the_goal_and_the_next_meetings_without_login(client, network):
    EventFactory(title="Open Coffee december", status=EventStatus.PUBLISHED)
    EventFactory(title="Concept", status=EventStatus.DRAFT)
    page = client.get(reverse("members:join"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Meer werk in de regio houden." in html and "Open Coffee december" in html
    assert "Concept" not in html


def test_an_organisation_has_no_public_page(client, db):
    assert client.get(reverse("members:join")).status_code == 404


def test_applying_on_the_public_page(client, network, owner):
    response = client.post(reverse("members:join"), {**FORM, "introduced_by_name": owner.name})
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.introduced_by == owner
    assert application.lawful_basis == "consent" and application.consent_at


def test_without_consent_nothing_is_kept(client, network):
    page = client.post(reverse("members:join"), {**FORM, "consent": ""})
    assert page.status_code == 200
    assert not Application.objects.exists()


def test_a_bad_address_is_refused_with_a_message(client, network):
    page = client.post(reverse("members:join"), {**FORM, "email": "geen-adres"})
    assert page.status_code == 200 and not Application.objects.exists()


@pytest.fixture
def application(network):
    return application_submit(consent=True, **{k: v for k, v in FORM.items() if k != "consent"})


def test_the_pipeline_runs_from_talk_to_an_invitation_to_log_in(application, manager, owner):
    application_advance(actor=manager, application=application, status="talk", introduced_by=owner)
    application_advance(actor=manager, application=application, status="accepted", note="Welkom")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert application.introduced_by == owner
    assert Invitation.objects.get().email == "fleur@example.nl"


def test_a_step_cannot_be_skipped(application, manager):
    with pytest.raises(ValidationError):
        application_advance(actor=manager, application=application, status="accepted")
    assert Application.objects.get().status == ApplicationStatus.APPLIED
    assert not Invitation.objects.exists()


def test_a_member_cannot_decide(application, owner):
    page = client_for(owner).post(
        reverse("members:application_step", args=[application.pk]), {"status": "talk"}
    )
    assert page.status_code == 403
    assert Application.objects.get().status == ApplicationStatus.APPLIED


def test_the_coordinator_moves_an_application_on_the_page(application, manager):
    client = client_for(manager)
    client.post(
        reverse("members:application_step", args=[application.pk]),
        {"status": "talk", "talk_on": "2026-12-10"},
    )
    assert Application.objects.get().talk_on == dt.date(2026, 12, 10)
    assert "Fleur" in client.get(reverse("members:applications")).content.decode()


def test_a_rejected_application_is_erased_after_the_retention_period(
    application, manager, settings
):
    settings.GILDE_APPLICATION_RETENTION_DAYS = 180
    application_advance(actor=manager, application=application, status="rejected")
    assert applications_prune() == 0
    assert applications_prune(now=timezone.now() + dt.timedelta(days=181)) == 1
    assert not Application.objects.exists()


def test_an_accepted_application_is_kept(application, manager):
    application_advance(actor=manager, application=application, status="talk")
    application_advance(actor=manager, application=application, status="accepted")
    assert applications_prune(now=timezone.now() + dt.timedelta(days=999)) == 0


def test_the_return_rate_counts_visitors_who_came_back(manager, network):
    start = timezone.now() - dt.timedelta(days=40)
    first = EventFactory(
        starts_at=start, ends_at=start + dt.timedelta(hours=2), status=EventStatus.HELD
    )
    later = EventFactory(
        starts_at=start + dt.timedelta(days=14),
        ends_at=start + dt.timedelta(days=14, hours=2),
        status=EventStatus.HELD,
    )
    back, once = PersonFactory(), PersonFactory()
    for person in (back, once):
        Guest.objects.create(event=first, person=person, status=GuestStatus.ATTENDED, host=manager)
    Guest.objects.create(event=later, person=back, status=GuestStatus.ATTENDED)
    rate = selectors.return_rate(manager.user)
    assert (rate.visitors, rate.returned) == (2, 1)


def test_applying_sends_no_mail_until_accepted(application, manager):
    application_advance(actor=manager, application=application, status="talk")
    assert len(mail.outbox) == 0


def test_the_nightly_housekeeping_erases_old_rejected_applications(application, manager):
    from django.core.management import call_command

    application_advance(actor=manager, application=application, status="rejected")
    Application.objects.update(decided_at=timezone.now() - dt.timedelta(days=400))
    call_command("privacy", "housekeeping", "--dry-run")
    assert Application.objects.exists()
    call_command("privacy", "housekeeping")
    assert not Application.objects.exists()
