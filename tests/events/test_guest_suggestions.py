"""Suggestions for a guest list: every source with its reason, several reasons on one
relation, accepting and dismissing, and nothing hidden or already listed suggested."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from gilde.accounts.models import Member
from gilde.events import guestlist
from gilde.events.models import Guest, GuestStatus, IntroductionRequest, SuggestionDismissal
from gilde.events.suggestions import Source, suggestions_for
from gilde.relations.models import Person, Tag, Tier
from tests.conftest import client_for
from tests.events.guests import event_at, place
from tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory
from tests.maintenance.factories import contact

pytestmark = pytest.mark.django_db


def _old(person: Person, days: int = 400) -> Person:
    """A relation in the network for a long time (not a new one to welcome)."""
    Person.objects.filter(pk=person.pk).update(created_at=timezone.now() - dt.timedelta(days=days))
    person.refresh_from_db()
    return person


def _reasons(member: Member, event) -> dict[int, list[str]]:
    with translation.override("en"):
        return {s.person.pk: s.reasons for s in suggestions_for(user=member.user, event=event)}


def test_a_key_relation_due_for_contact_is_suggested_with_the_days(owner: Member) -> None:
    event = event_at(owner, days=20)
    person = _old(PersonFactory(tier=Tier.objects.get(code="A")))
    contact(person, owner, days=74)
    assert _reasons(owner, event)[person.pk] == ["A relation, no contact for 74 days"]


def test_a_key_relation_on_track_is_not_suggested_for_care(owner: Member) -> None:
    event = event_at(owner, days=20)
    person = _old(PersonFactory(tier=Tier.objects.get(code="A")))
    contact(person, owner, days=5)
    assert person.pk not in _reasons(owner, event)


def test_relations_of_the_events_themes_are_suggested(owner: Member) -> None:
    event = event_at(owner, days=20)
    theme = Tag.objects.create(name="waterstof")
    event.themes.add(theme)
    tagged = _old(PersonFactory())
    tagged.tags.add(theme)
    at_tagged_org = _old(PersonFactory())
    org = OrganisationFactory()
    org.tags.add(theme)
    AffiliationFactory(person=at_tagged_org, organisation=org)
    _old(PersonFactory())  # no theme
    reasons = _reasons(owner, event)
    assert reasons[tagged.pk] == ["theme: waterstof"]
    assert reasons[at_tagged_org.pk] == ["theme: waterstof"]
    assert len(reasons) == 2


def test_a_colleagues_introduction_request_is_suggested(owner: Member, colleague: Member) -> None:
    event = event_at(owner, days=20)
    person = _old(PersonFactory())
    guestlist.introduction_request_record(member=colleague, person=person, note="waterstof")
    guestlist.introduction_request_record(member=colleague, person=person)  # once while open
    assert IntroductionRequest.objects.count() == 1
    assert _reasons(owner, event)[person.pk] == [f"{colleague.name} asked to meet them"]


def test_new_relations_are_suggested_to_welcome(owner: Member) -> None:
    event = event_at(owner, days=20)
    new = PersonFactory()
    (reason,) = _reasons(owner, event)[new.pk]
    assert reason.startswith("new relation since ")


def test_key_relations_not_invited_for_a_long_time_are_suggested(owner: Member) -> None:
    event = event_at(owner, days=20)
    person = _old(PersonFactory(tier=Tier.objects.get(code="B")), days=900)
    place(event_at(owner, days=-420, title="Oud diner"), person, GuestStatus.ATTENDED)
    assert _reasons(owner, event)[person.pk] == ["last invited 14 months ago"]


def test_every_reason_that_applies_is_given_and_weighs(owner: Member, colleague: Member) -> None:
    event = event_at(owner, days=20)
    theme = Tag.objects.create(name="haven")
    event.themes.add(theme)
    both = _old(PersonFactory(tier=Tier.objects.get(code="A")))
    both.tags.add(theme)
    contact(both, owner, days=90)
    guestlist.introduction_request_record(member=colleague, person=both)
    only_theme = _old(PersonFactory(tier=Tier.objects.get(code="A")))
    only_theme.tags.add(theme)
    with translation.override("en"):
        found = suggestions_for(user=owner.user, event=event)
    assert [s.person for s in found] == [both, only_theme]
    assert set(found[0].sources) == {Source.INTRODUCTION, Source.CARE, Source.THEME}
    assert "A relation, no contact for 90 days" in found[0].reason


def test_listed_dismissed_and_hidden_relations_are_not_suggested(
    owner: Member, colleague: Member, manager: Member
) -> None:
    event = event_at(colleague, days=20)
    listed, dismissed = PersonFactory(), PersonFactory()
    secret = PersonFactory(confidential=True, owner=manager)
    place(event, listed)
    client = client_for(colleague)
    answer = client.post(
        reverse("events:guest_dismiss", args=[event.pk]),
        {"person": dismissed.pk},
        HTTP_HX_REQUEST="true",
    )
    assert answer.status_code == 200 and answer.content == b""
    assert SuggestionDismissal.objects.filter(event=event, person=dismissed).exists()
    seen = _reasons(colleague, event)
    assert listed.pk not in seen and dismissed.pk not in seen and secret.pk not in seen
    assert secret.pk in _reasons(manager, event)


def test_the_suggestions_panel_offers_accept_and_dismiss(owner: Member, reader: Member) -> None:
    event = event_at(owner, days=20)
    person = PersonFactory(given_name="Ilse", tussenvoegsel="", family_name="Mulder")
    url = reverse("events:guest_suggestions", args=[event.pk])
    text = client_for(owner).get(url).content.decode()
    assert "Ilse Mulder" in text and "/guests/add/" in text and "/guests/dismiss/" in text
    text = client_for(reader).get(url).content.decode()
    assert "Ilse Mulder" in text and "/guests/add/" not in text
    client_for(owner).post(
        reverse("events:guest_add", args=[event.pk]),
        {"person": person.pk, "reason": "nieuwe relatie"},
    )
    assert Guest.objects.get(event=event, person=person).reason == "nieuwe relatie"
    assert "Ilse Mulder" not in client_for(owner).get(url).content.decode()


def test_a_reader_cannot_dismiss(owner: Member, reader: Member) -> None:
    event = event_at(owner, days=20)
    person = PersonFactory()
    answer = client_for(reader).post(
        reverse("events:guest_dismiss", args=[event.pk]), {"person": person.pk}
    )
    assert answer.status_code == 403
    assert not SuggestionDismissal.objects.exists()


def test_a_colleague_asks_to_meet_a_relation_and_closes_the_request(
    owner: Member, colleague: Member
) -> None:
    person = PersonFactory(given_name="Kees", tussenvoegsel="", family_name="Bakker")
    client = client_for(colleague)
    url = reverse("events:introductions")
    answer = client.post(url, {"person": person.pk, "note": "samenwerking waterstof"})
    assert answer.status_code == 302
    wish = IntroductionRequest.objects.get(person=person, member=colleague)
    assert "Kees Bakker" in client.get(url).content.decode()
    # someone else cannot close it: to them it is not there
    assert (
        client_for(owner).post(reverse("events:introduction_met", args=[wish.pk])).status_code
        == 404
    )
    client.post(reverse("events:introduction_met", args=[wish.pk]))
    wish.refresh_from_db()
    assert wish.met_at is not None
    event = event_at(owner, days=20)
    assert Source.INTRODUCTION not in {
        source for s in suggestions_for(user=owner.user, event=event) for source in s.sources
    }


def test_an_introduction_request_for_a_hidden_relation_is_refused(
    colleague: Member, manager: Member
) -> None:
    secret = PersonFactory(confidential=True, owner=manager)
    answer = client_for(colleague).post(reverse("events:introductions"), {"person": secret.pk})
    assert answer.status_code == 422
    assert not IntroductionRequest.objects.exists()
