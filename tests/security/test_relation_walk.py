"""Every model relation that hangs off a person, an organisation or a contact moment is walked
from the objects a colleague may see: a confidential person C, visible to networker N1 only, gets
a record on each such relation (tied, where the relation allows, to a visible person P, the
visible organisation O or a visible moment M), and networker N2 then reads every page and API
answer about P, O and M, every list and every search. None may show C's name, contact details,
anything written about C, or the ids of C and C's records.

A new relation on Person, Organisation or ContactMoment fails the first test until it is listed
here: either with the record the walk makes on it, or with the reason it cannot lead to C."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gilde.contacts.models import ContactMoment
from gilde.relations.models import Organisation, Person
from tests.factories import (
    AffiliationFactory,
    ContactMomentFactory,
    EventFactory,
    FollowUpFactory,
    GuestFactory,
    MemberFactory,
    NoteFactory,
    OrganisationFactory,
    PersonFactory,
    TieFactory,
)
from tests.security.test_access_matrix import PAGES

# Ids no other record of the test has: found in an answer, they can only be C's.
C_ID = 987_654_321
RECORD_ID = 987_654_330

# The relations of the three models: "record" when the walk puts one of C's records on it,
# otherwise why it cannot lead to C.
RELATIONS: dict[str, str] = {
    "Person.search_tokens": "record",
    "Person.emails": "record",
    "Person.phones": "record",
    "Person.addresses": "record",
    "Person.affiliations": "record",
    "Person.ties": "record",
    "Person.ties_as_other": "record",
    "Person.introductions": "record",
    "Person.notes": "record",
    "Person.contact_moments": "record",
    "Person.follow_ups": "record",
    "Person.care": "record",
    "Person.tie_strengths": "record",
    "Person.tier_suggestions": "record",
    "Person.favours": "record",
    "Person.privacy": "record",
    "Person.tags": "record",
    "Person.owner": "a colleague, not a relation",
    "Person.tier": "a shared list",
    "Person.import_batch": "record",
    "Person.stakeholder_types": "a shared list",
    "Person.confidential_members": "colleagues, not relations",
    "Person.event_guests": "record",
    "Person.introduction_requests": "record",
    "Person.meeting_goals_a": "record",
    "Person.meeting_goals_b": "record",
    "Person.theme_links": "record",
    "Person.occasions": "record",
    "Organisation.theme_links": "organisations are never confidential",
    "ContactMoment.signal_deliveries": "record",
    # Automatic logging never records a confidential person (tests/autolog), and each review
    # inbox is only its own member's.
    "Person.autolog_entries": "never a confidential person; one member's own review inbox",
    "Organisation.children": "organisations are never confidential",
    "Organisation.links_out": "organisations are never confidential",
    "Organisation.links_in": "organisations are never confidential",
    "Organisation.affiliations": "record",
    "Organisation.notes": "notes about the organisation itself",
    "Organisation.contact_moments": "record",
    "Organisation.favours": "record",
    "Organisation.owner": "a colleague, not a relation",
    "Organisation.tier": "a shared list",
    "Organisation.parent": "organisations are never confidential",
    "Organisation.stakeholder_types": "a shared list",
    "Organisation.tags": "record",
    "ContactMoment.follow_ups": "record",
    "ContactMoment.organisation": "organisations are never confidential",
    "ContactMoment.created_by": "a colleague, not a relation",
    "ContactMoment.members": "colleagues, not relations",
    "ContactMoment.autolog": "where the moment came from (via e-mail, via agenda): no person",
    "ContactMoment.persons": "record",
}

# What only C's records contain.
MARKERS = (
    "Cornelis",
    "Zwartkruis",
    "zwartkruis",
    str(C_ID),
    str(RECORD_ID)[:6],
    "+31699887766",
    "6 99887766",
)


def _relations() -> set[str]:
    return {
        f"{model.__name__}.{field.name}"
        for model in (Person, Organisation, ContactMoment)
        for field in model._meta.get_fields()
        if field.is_relation
    }


def test_every_relation_is_walked_or_explained() -> None:
    missing = _relations() - set(RELATIONS)
    assert not missing, f"relations the walk does not know (add them to RELATIONS): {missing}"


def _ids() -> Any:
    number = RECORD_ID
    while True:
        yield number
        number += 1


def _world(db: Any) -> dict[str, Any]:
    from gilde.goodwill.models import Favour
    from gilde.imports.models import DuplicatePair, ImportBatch
    from gilde.maintenance.models import SuggestionReason, TierReview, TierSuggestion
    from gilde.maintenance.services import care_follow
    from gilde.privacy.models import PersonPrivacy
    from gilde.relations.models import EmailAddress, PhoneNumber, PostalAddress, Tag, Tier

    ids = _ids()
    n1 = MemberFactory(user__username="n1")
    n2 = MemberFactory(user__username="n2")
    organisation = OrganisationFactory(name="Deltawerk B.V.")
    p = PersonFactory(given_name="Pieter", family_name="Zichtbaar", owner=n1)
    visible_moment = ContactMomentFactory(
        persons=[p], members=[n1], created_by=n1, organisation=organisation
    )
    # The visible records first: the database numbers them before the ids kept for C's.
    p_tie = TieFactory(person=p, member=n1)  # P's own tie; C will be named as its introducer
    Favour.objects.create(
        member=n1,
        organisation=organisation,
        direction="given",
        kind="introduction",
        occurred_on=timezone.localdate() - dt.timedelta(days=1),
        created_by=n1,
    )
    batch = ImportBatch.objects.create(
        pk=next(ids), created_by=n1, owner=n1, file_name="zwartkruis.csv", format="csv"
    )
    c = PersonFactory(
        pk=C_ID, given_name="Cornelis", family_name="Zwartkruis", owner=n1, import_batch=batch
    )
    c.confidential = True
    c.save()
    EmailAddress.objects.create(pk=next(ids), person=c, address="c@zwartkruis.example")
    PhoneNumber.objects.create(pk=next(ids), person=c, number="+31699887766")
    PostalAddress.objects.create(pk=next(ids), person=c, street="Zwartkruisstraat 1", city="Ede")
    tag = Tag.objects.create(pk=next(ids), name="tag-zwartkruis")
    c.tags.add(tag)
    organisation.tags.add(Tag.objects.create(pk=next(ids), name="gedeeld"))
    AffiliationFactory(pk=next(ids), person=c, organisation=organisation, role="rol-zwartkruis")
    p_tie.introduced_by = c
    p_tie.save()
    TieFactory(pk=next(ids), person=c, member=n1, how_met_note="band-zwartkruis")
    TieFactory(pk=next(ids), person=p, member=None, other_person=c, how_met_note="zwartkruis")
    NoteFactory(pk=next(ids), person=c, author=n1, text="notitie-zwartkruis")
    hidden_moment = ContactMomentFactory(
        pk=next(ids),
        persons=[p, c],
        members=[n1],
        created_by=n1,
        organisation=organisation,
        summary="moment-zwartkruis",
        signals="signaal-zwartkruis",
        occurred_at=timezone.now() - dt.timedelta(hours=1),
    )
    FollowUpFactory(
        pk=next(ids), person=c, owner=n1, contact_moment=visible_moment, title="actie-zwartkruis"
    )
    FollowUpFactory(
        pk=next(ids), person=c, owner=n1, contact_moment=hidden_moment, title="actie2-zwartkruis"
    )
    Favour.objects.create(
        pk=next(ids),
        member=n1,
        person=c,
        direction="given",
        kind="introduction",
        occurred_on=timezone.localdate() - dt.timedelta(days=1),
        created_by=n1,
        note="gunst-zwartkruis",
    )
    review = TierReview.objects.create(started_by=n1)
    TierSuggestion.objects.create(
        pk=next(ids),
        review=review,
        person=c,
        from_tier=c.tier,
        to_tier=Tier.objects.get(code="A"),
        reason=SuggestionReason.NEVER_CONTACTED,
    )
    PersonPrivacy.objects.get_or_create(person=c)
    DuplicatePair.objects.create(pk=next(ids), person_a=p, person_b=c, score=90, kind="probable")
    event = _event_world(ids, n1, n2, p, c)
    theme = _strategy_world(ids, n1, c, organisation, hidden_moment)
    care_follow(person_ids=[p.pk, c.pk])
    return {
        "n1": n1,
        "n2": n2,
        "p": p,
        "o": organisation,
        "m": visible_moment,
        "e": event,
        "t": theme,
    }


def _strategy_world(ids: Any, n1: Any, c: Person, organisation: Any, hidden_moment: Any) -> Any:
    """C linked to a strategy theme the organisation is also linked to, an occasion noted for
    C, and the signal of the hidden moment delivered to N1, who subscribed to the theme."""
    from gilde.strategy.models import Goal, Occasion, SignalDelivery, Theme, ThemeLink

    goal = Goal.objects.create(title="Energietransitie")
    theme = Theme.objects.create(goal=goal, name="Waterstof in de regio", owner=n1)
    ThemeLink.objects.create(theme=theme, organisation=organisation, role="partner")
    ThemeLink.objects.create(
        pk=next(ids), theme=theme, person=c, role="influencer", note="thema-zwartkruis"
    )
    Occasion.objects.create(
        pk=next(ids),
        person=c,
        kind="jubilee",
        occurred_on=timezone.localdate(),
        note="jubileum-zwartkruis",
        created_by=n1,
    )
    SignalDelivery.objects.create(pk=next(ids), member=n1, moment=hidden_moment)
    return theme


def _event_world(ids: Any, n1: Any, n2: Any, p: Person, c: Person) -> Any:
    """An organisation-wide event that N1 and N2 organise together: P and C on its guest list
    (C invited, with a wish and a host), N1's introduction request for C, meeting goals between
    P and C and between N1 and C, and a conflict pair P and C."""
    from gilde.events.models import ConflictPair, IntroductionRequest, MeetingGoal

    event = EventFactory(title="Netwerkdiner", organisers=[n1, n2], status="published")
    GuestFactory(event=event, person=p, status="invited")
    GuestFactory(
        pk=next(ids),
        event=event,
        person=c,
        status="invited",
        host=n1,
        reason="gast-zwartkruis",
        wish_to_meet="wens-zwartkruis",
    )
    IntroductionRequest.objects.create(pk=next(ids), member=n1, person=c, note="intro-zwartkruis")
    MeetingGoal.objects.create(
        pk=next(ids),
        event=event,
        kind="introduction",
        person_a=p,
        person_b=c,
        reason="doel-zwartkruis",
        asked_by=n1,
    )
    MeetingGoal.objects.create(
        pk=next(ids),
        event=event,
        kind="colleague",
        member=n1,
        person_a=c,
        reason="doel2-zwartkruis",
        asked_by=n1,
    )
    ConflictPair.objects.create(pk=next(ids), person_a=p, person_b=c, reason="ruzie-zwartkruis")
    return event


def _found(text: str, url: str = "") -> list[str]:
    """The markers in an answer, leaving out what the colleague typed into the URL (a search
    box shows its own search)."""
    for typed in re.findall(r"[?&][a-z_]+=([^&]+)", url):
        text = text.replace(typed, "")
    return [marker for marker in MARKERS if marker in text]


def _page_urls(world: dict[str, Any]) -> list[str]:
    """Every page about P, O or M, and every page without an object, with the lookups a
    colleague might try."""
    objects = {
        None: {},
        "person": {"pk": world["p"].pk},
        "organisation": {"pk": world["o"].pk},
        "moment": {"pk": world["m"].pk},
        "member": {"pk": world["n1"].pk},
        "event": {"pk": world["e"].pk},
        "theme": {"pk": world["t"].pk},
    }
    urls = []
    for name, (obj, kind) in PAGES.items():
        if obj in objects and kind not in {"nothing", "feed", "staff"} and name != "logout":
            urls.append(reverse(name, kwargs=objects[obj]))
    for query in (
        "?q=Zwartkruis",
        "?q=zwartkruis&box=person-box&field=person",
        "?tag=tag-zwartkruis",
    ):
        urls += [reverse(n) + query for n in ("person_list", "person_search", "signal_list")]
    urls += [
        reverse("organisation_search") + "?q=Deltawerk",
        reverse("person_export") + "?format=csv",
    ]
    event = {"pk": world["e"].pk}
    urls += [
        reverse(name, kwargs=event) + "?q=Zwartkruis"
        for name in ("events:guest_candidates", "events:checkin_search")
    ]
    return urls


def _api_urls(world: dict[str, Any]) -> list[str]:
    from gilde.api import api

    values = {
        "person_id": world["p"].pk,
        "organisation_id": world["o"].pk,
        "moment_id": world["m"].pk,
        "member_id": world["n1"].pk,
        "event_id": world["e"].pk,
    }
    urls = []
    for path, operations in api.get_openapi_schema(codes=False)["paths"].items():
        if "get" not in operations:
            continue
        names = re.findall(r"\{([^}]+)\}", path)
        if any(name not in values for name in names):
            continue
        url = re.sub(r"\{([^}]+)\}", lambda m: str(values[m.group(1)]), path)
        urls.append(url)
        query = [p["name"] for p in operations["get"].get("parameters", []) if p["in"] == "query"]
        for name in ("person_id", "organisation_id", "q", "tag"):
            if name in query:
                value = {"q": "Zwartkruis", "tag": "tag-zwartkruis"}.get(name, values.get(name))
                urls.append(f"{url}?{name}={value}&limit=500")
    return urls


@pytest.mark.django_db
def test_no_page_or_api_answer_leads_a_colleague_to_the_hidden_person() -> None:
    from gilde.accounts.services import api_token_create

    world = _world(None)
    client = Client()
    client.force_login(world["n2"].user)
    leaks = []
    for url in _page_urls(world):
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = client.get(url, **headers)
            assert response.status_code < 500, url
            if found := _found(response.content.decode(errors="replace"), url):
                leaks.append(f"{url} {headers}: {found}")
    token = api_token_create(member=world["n2"], name="walk")[1]
    for url in _api_urls(world):
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code < 500, url
        if found := _found(response.content.decode(errors="replace"), url):
            leaks.append(f"{url}: {found}")
    assert not leaks, "\n".join(leaks)


@pytest.mark.django_db
def test_the_walk_sees_what_the_colleague_who_may_see_it_sees() -> None:
    """The markers are real: N1, who may see C, finds them on the same pages."""
    world = _world(None)
    client = Client()
    client.force_login(world["n1"].user)
    seen = set()
    for url in _page_urls(world):
        seen |= set(_found(client.get(url).content.decode(errors="replace")))
    assert {"Zwartkruis", str(C_ID)} <= seen
    guests = client.get(reverse("events:guests", kwargs={"pk": world["e"].pk}))
    assert "Zwartkruis" in guests.content.decode()
