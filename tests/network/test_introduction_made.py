"""When an asked introduction happens, Gilde records who introduced whom: the colleague's new
tie to the target with "introduced by" the relation asked, the follow-up ticked off, the events'
meeting request closed, and the graph marked stale so that it is read again."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from gilde.accounts.models import Member
from gilde.events.models import IntroductionRequest
from gilde.network import introductions, selectors
from gilde.network.loader import CHANGED_KEY, network_graph_build
from gilde.network.models import IntroductionAsk
from gilde.relations.models import Tie
from tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory, TieFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def path(owner: Member) -> dict[str, Any]:
    """Jeroen knows Anna well; Anna knows Carla, who works at Rijnbouw."""
    anna, carla = PersonFactory(given_name="Anna"), PersonFactory(given_name="Carla")
    org = OrganisationFactory(name="Rijnbouw")
    TieFactory(member=owner, person=anna, strength=5)
    TieFactory(member=None, other_person=anna, person=carla, strength=4)
    AffiliationFactory(person=carla, organisation=org)
    return {"anna": anna, "carla": carla, "org": org}


def test_asking_records_the_introducer_and_feeds_the_events_meeting_goals(
    path: dict[str, Any], owner: Member
) -> None:
    follow_up = introductions.introduction_ask(actor=owner, person=path["carla"])
    ask = IntroductionAsk.objects.get()
    assert ask.follow_up == follow_up and ask.colleague == owner
    assert ask.introducer == path["anna"] and ask.person == path["carla"]
    assert IntroductionRequest.objects.filter(member=owner, person=path["carla"]).exists()


def test_the_introduction_happening_makes_the_tie_introduced_by_the_relation_asked(
    path: dict[str, Any], owner: Member
) -> None:
    introductions.introduction_ask(actor=owner, person=path["carla"])
    ask = IntroductionAsk.objects.get()
    tie = introductions.introduction_made(actor=owner, ask=ask)
    assert tie == Tie.objects.get(member=owner, person=path["carla"])
    assert tie.introduced_by == path["anna"] and tie.how_met == "introduction"
    ask.refresh_from_db()
    assert ask.made_at is not None and ask.tie == tie
    assert ask.follow_up.done_at is not None
    assert not IntroductionRequest.objects.filter(met_at__isnull=True).exists()
    with pytest.raises(ValidationError):
        introductions.introduction_made(actor=owner, ask=ask)


def test_for_an_organisation_the_person_met_there_is_named(
    path: dict[str, Any], owner: Member
) -> None:
    introductions.introduction_ask(actor=owner, organisation=path["org"])
    ask = IntroductionAsk.objects.get()
    with pytest.raises(ValidationError):
        introductions.introduction_made(actor=owner, ask=ask)
    with pytest.raises(ValidationError):
        introductions.introduction_made(actor=owner, ask=ask, person=path["anna"])
    tie = introductions.introduction_made(actor=owner, ask=ask, person=path["carla"])
    assert tie.person == path["carla"] and tie.introduced_by == path["anna"]


def test_another_colleague_may_not_record_it(
    path: dict[str, Any], owner: Member, colleague: Member
) -> None:
    introductions.introduction_ask(actor=owner, person=path["carla"])
    with pytest.raises(PermissionDenied):
        introductions.introduction_made(actor=colleague, ask=IntroductionAsk.objects.get())
    assert not Tie.objects.filter(member=owner, person=path["carla"]).exists()


def test_a_change_marks_the_graph_stale_and_the_next_request_queues_a_rebuild(
    path: dict[str, Any], owner: Member, settings: Any
) -> None:
    from django.core.cache import cache

    from gilde.core.models import Job

    network_graph_build()
    cache.delete(CHANGED_KEY)
    settings.GILDE_NETWORK_GRAPH_REFRESH = 0
    selectors.reach(owner.user)
    assert not Job.objects.filter(kind="network.graph").exists()
    TieFactory(member=owner, person=path["carla"])
    assert cache.get(CHANGED_KEY) is not None
    first = selectors.reach(owner.user).first_persons  # answered from the stored graph
    assert Job.objects.filter(kind="network.graph").count() == 1
    selectors.reach(owner.user)
    assert Job.objects.filter(kind="network.graph").count() == 1  # queued once
    network_graph_build()
    assert selectors.reach(owner.user).first_persons == first + 1


def test_the_person_page_panel_records_the_introduction(
    path: dict[str, Any], owner: Member, owner_client: Client
) -> None:
    asked = owner_client.post(f"/network/paths/person/{path['carla'].pk}/ask/", {"path": 1})
    assert asked.status_code == 200
    assert "introductions-asked-person" in asked.content.decode()
    ask = IntroductionAsk.objects.get()
    made = owner_client.post(f"/network/introductions/{ask.pk}/made/")
    assert made.status_code == 200
    assert "werd voorgesteld aan" in made.content.decode() or "Anna" in made.content.decode()
    assert Tie.objects.filter(member=owner, person=path["carla"]).exists()
