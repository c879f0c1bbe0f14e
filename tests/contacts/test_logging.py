"""Logging a contact moment takes seconds and shows up at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from gilde.contacts.models import ContactMoment, FollowUp
from gilde.contacts.services import contact_moment_log, contact_moment_update, follow_up_complete
from tests.conftest import client_for
from tests.factories import FollowUpFactory, PersonFactory


def quick_log_data(**extra):
    return {
        "kind": "call",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "summary": "Gebeld over de aanbesteding",
        **extra,
    }


def test_quick_log_creates_a_moment_with_the_member_and_person(owner, owner_client):
    person = PersonFactory()
    response = owner_client.post(reverse("quick_log", args=[person.pk]), quick_log_data())
    assert response.status_code == 302
    moment = ContactMoment.objects.get()
    assert list(moment.persons.all()) == [person]
    assert list(moment.members.all()) == [owner]


def test_quick_log_with_htmx_returns_the_new_timeline(owner_client):
    person = PersonFactory()
    response = owner_client.post(
        reverse("quick_log", args=[person.pk]), quick_log_data(), HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert "Gebeld over de aanbesteding" in content and 'hx-swap-oob="true"' in content


def test_quick_log_can_add_a_follow_up(owner, owner_client):
    person = PersonFactory()
    owner_client.post(
        reverse("quick_log", args=[person.pk]),
        quick_log_data(follow_up="Offerte sturen", follow_up_due="2030-01-01"),
    )
    item = FollowUp.objects.get()
    assert item.owner == owner and item.person == person and item.contact_moment is not None


def test_quick_log_without_a_summary_is_refused(owner_client):
    person = PersonFactory()
    response = owner_client.post(reverse("quick_log", args=[person.pk]), quick_log_data(summary=""))
    assert response.status_code == 422
    assert ContactMoment.objects.count() == 0


def test_a_contact_moment_in_the_future_is_refused(owner):
    with pytest.raises(ValidationError):
        contact_moment_log(
            actor=owner,
            persons=[PersonFactory()],
            summary="x",
            occurred_at=timezone.now() + dt.timedelta(days=2),
        )
    assert ContactMoment.objects.count() == 0


def test_a_contact_moment_needs_a_relation(owner):
    with pytest.raises(ValidationError):
        contact_moment_log(actor=owner, persons=[], summary="x")


def test_read_only_members_cannot_log(reader):
    with pytest.raises(PermissionDenied):
        contact_moment_log(actor=reader, persons=[PersonFactory()], summary="x")
    response = client_for(reader).post(
        reverse("quick_log", args=[PersonFactory().pk]), quick_log_data()
    )
    assert response.status_code == 403


def test_only_the_author_or_a_manager_edits_a_moment(owner, colleague, manager):
    moment = contact_moment_log(actor=owner, persons=[PersonFactory()], summary="Eerste versie")
    with pytest.raises(PermissionDenied):
        contact_moment_update(actor=colleague, moment=moment, summary="Overschreven")
    contact_moment_update(actor=manager, moment=moment, summary="Aangevuld")
    moment.refresh_from_db()
    assert moment.summary == "Aangevuld"


def test_ticking_off_a_follow_up(owner, owner_client):
    item = FollowUpFactory(owner=owner)
    owner_client.post(reverse("follow_up_done", args=[item.pk]), {"next": "/"})
    item.refresh_from_db()
    assert item.done_at is not None


def test_ticking_off_a_follow_up_with_a_strange_next_goes_to_the_dashboard(owner, owner_client):
    item = FollowUpFactory(owner=owner)
    for target in ("abc", "https://evil.example/"):
        response = owner_client.post(reverse("follow_up_done", args=[item.pk]), {"next": target})
        assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    response = owner_client.post(reverse("follow_up_done", args=[item.pk]), {"next": "/persons/"})
    assert response["Location"] == "/persons/"


def test_a_colleague_cannot_tick_off_my_follow_up(owner, colleague):
    item = FollowUpFactory(owner=owner)
    with pytest.raises(PermissionDenied):
        follow_up_complete(actor=colleague, follow_up=item)


def test_the_contact_moment_page_and_edit_form(owner, owner_client):
    moment = contact_moment_log(
        actor=owner, persons=[PersonFactory()], summary="Koffie", signals="Groei verwacht"
    )
    page = owner_client.get(reverse("contact_moment_detail", args=[moment.pk])).content.decode()
    assert "Koffie" in page and "Groei verwacht" in page
    response = owner_client.post(
        reverse("contact_moment_edit", args=[moment.pk]),
        {
            "occurred_at": timezone.localtime(moment.occurred_at).strftime("%Y-%m-%dT%H:%M"),
            "kind": "lunch",
            "summary": "Lunch",
            "notes": "",
            "signals": "",
            "members": [owner.pk],
        },
    )
    assert response.status_code == 302
    moment.refresh_from_db()
    assert moment.kind == "lunch"


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"follow_up": "Offerte sturen", "follow_up_due": "2030-02-30"}, "follow_up_due"),
        ({"kind": "telepathy"}, "kind"),
        ({"follow_up": "x" * 301}, "follow_up"),
        ({"follow_up_due": "2030-01-01"}, "follow_up"),
    ],
)
def test_a_refused_quick_log_says_why_on_the_form_and_saves_nothing(owner_client, extra, field):
    person = PersonFactory()
    response = owner_client.post(
        reverse("quick_log", args=[person.pk]), quick_log_data(**extra), HTTP_HX_REQUEST="true"
    )
    form = response.context["quick_log"]
    assert field in form.errors
    assert str(form.errors[field][0]) in response.content.decode()
    assert not ContactMoment.objects.exists() and not FollowUp.objects.exists()


def test_a_quick_log_answers_the_care_panel_and_follow_ups_out_of_band(owner):
    """htmx swaps these into the person's page: status, strength and follow-ups follow at once."""
    from django.urls import reverse

    from gilde.relations.models import Tier
    from tests.conftest import client_for
    from tests.factories import PersonFactory, TieFactory

    person = PersonFactory(owner=owner, tier=Tier.objects.get(code="A"))
    TieFactory(member=owner, person=person)
    response = client_for(owner).post(
        reverse("quick_log", args=[person.pk]),
        {
            "kind": "call",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "summary": "Gebeld",
            "follow_up": "Offerte sturen",
        },
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert '<div id="care-area" hx-swap-oob="true">' in html
    assert "care-on_track" in html
    assert '<div id="person-follow-ups" hx-swap-oob="true">' in html
    assert "Offerte sturen" in html
