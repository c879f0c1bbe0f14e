"""The activity plan per segment, plan against reality per relation, the largest differences,
and occasions (noted by hand, or a new job found on an edit or an import) that leave a
follow-up for the colleague who looks after the relation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gilde.contacts.models import FollowUp
from gilde.relations.models import Tier
from gilde.relations.services import affiliation_save
from gilde.strategy import plans, services
from gilde.strategy.models import ActivityPlan, Occasion
from gilde.strategy.occasions import new_jobs_on_import
from tests.factories import (
    AffiliationFactory,
    ContactMomentFactory,
    EventFactory,
    GuestFactory,
    OrganisationFactory,
    PersonFactory,
    TieFactory,
)
from tests.strategy.factories import ThemeFactory, ThemeLinkFactory


@pytest.fixture
def tiers(db):
    return {t.code: t for t in Tier.objects.all()}


def test_the_most_specific_plan_fits_a_relation(manager, tiers):
    theme = ThemeFactory()
    general = services.activity_plan_save(
        actor=manager, tier=tiers["A"], activities="Bezoek", contacts_per_year=4
    )
    specific = services.activity_plan_save(
        actor=manager,
        tier=tiers["A"],
        theme=theme,
        activities="Bezoek en diner",
        contacts_per_year=6,
    )
    on_theme = PersonFactory(tier=tiers["A"])
    ThemeLinkFactory(theme=theme, person=on_theme)
    other = PersonFactory(tier=tiers["A"])
    assert plans.reality_of(user=manager.user, person=on_theme).plan == specific
    assert plans.reality_of(user=manager.user, person=other).plan == general


def test_a_segment_has_one_plan(manager, tiers):
    services.activity_plan_save(actor=manager, tier=tiers["D"], activities="Nieuwsbrief")
    with pytest.raises(Exception):  # noqa: B017  (the unique segment, from full_clean)
        services.activity_plan_save(actor=manager, tier=tiers["D"], activities="Nog een")
    assert ActivityPlan.objects.count() == 1


def test_the_differences_list_too_little_and_too_much(manager, manager_client, tiers):
    services.activity_plan_save(
        actor=manager,
        tier=tiers["A"],
        activities="Bezoek per kwartaal",
        contacts_per_year=4,
        invitations_per_year=1,
    )
    services.activity_plan_save(
        actor=manager, tier=tiers["D"], activities="Nieuwsbrief", newsletter_only=True
    )
    forgotten = PersonFactory(tier=tiers["A"], family_name="Vergeten")
    tired = PersonFactory(tier=tiers["A"], family_name="Overvraagd")
    for _ in range(4):
        ContactMomentFactory(persons=[tired])
    for _ in range(3):
        GuestFactory(event=EventFactory(), person=tired, status="invited")
    chatty = PersonFactory(tier=tiers["D"], family_name="Druk")
    ContactMomentFactory(persons=[chatty])
    found = plans.differences(user=manager.user)
    assert [p for p, _r in found.too_little] == [forgotten]
    assert {p for p, _r in found.too_much} == {tired, chatty}
    page = manager_client.get(reverse("strategy:differences")).content.decode()
    assert "Vergeten" in page and "Overvraagd" in page


def test_the_person_page_shows_plan_and_reality(manager, owner_client, tiers):
    services.activity_plan_save(
        actor=manager, tier=tiers["B"], activities="Twee keer bellen", contacts_per_year=2
    )
    person = PersonFactory(tier=tiers["B"])
    ContactMomentFactory(persons=[person])
    page = owner_client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "Twee keer bellen" in page and "1 van de 2 contactmomenten" in page


def test_a_plan_page_lets_a_manager_plan_and_others_read(manager_client, owner_client, tiers):
    response = manager_client.post(
        reverse("strategy:plan_new"),
        {
            "tier": tiers["A"].pk,
            "activities": "Persoonlijk bezoek",
            "contacts_per_year": 4,
            "invitations_per_year": 2,
        },
    )
    assert response.status_code == 302
    assert "Persoonlijk bezoek" in owner_client.get(reverse("strategy:plans")).content.decode()
    assert owner_client.post(reverse("strategy:plan_new"), {}).status_code == 403


def test_an_occasion_gives_the_best_placed_colleague_a_follow_up(owner, colleague, owner_client):
    person = PersonFactory(owner=owner, given_name="Anna", tussenvoegsel="", family_name="Bakker")
    TieFactory(person=person, member=colleague, strength=5)
    from gilde.maintenance.services import network_recompute

    network_recompute()
    response = owner_client.post(
        reverse("strategy:occasion_add", args=[person.pk]),
        {"kind": "jubilee", "note": "25 jaar"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "Jubileum" in response.content.decode()
    follow_up = FollowUp.objects.get(person=person)
    assert follow_up.owner == colleague
    assert follow_up.title == "Feliciteer Anna Bakker met het jubileum"


def test_a_job_at_another_organisation_is_a_new_job(owner):
    person = PersonFactory(owner=owner)
    AffiliationFactory(person=person, organisation=OrganisationFactory(name="Oud BV"))
    assert not Occasion.objects.exists()
    affiliation_save(
        actor=owner,
        person=person,
        organisation=OrganisationFactory(name="Nieuw BV"),
        role="Directeur",
    )
    occasion = Occasion.objects.get()
    assert (occasion.kind, occasion.detected, occasion.note) == ("new_job", True, "Nieuw BV")
    assert occasion.follow_up.owner == owner


def test_an_import_naming_another_organisation_notes_a_new_job(owner):
    person = PersonFactory(owner=owner)
    AffiliationFactory(person=person, organisation=OrganisationFactory(name="Gemeente Delft"))
    assert new_jobs_on_import([(person.pk, "gemeente delft")]) == 0
    assert new_jobs_on_import([(person.pk, "Provincie Zuid-Holland")]) == 1
    assert new_jobs_on_import([(person.pk, "Provincie Zuid-Holland")]) == 0  # noted once


def test_what_a_relation_got_counts_no_moment_with_someone_hidden_from_the_reader(
    owner, colleague, manager
):
    """A moment shared with a confidential relation the reader may not see is not counted for
    them (its existence would leak through the count); those who may see it count it."""
    person = PersonFactory()
    secret = PersonFactory(confidential=True, owner=owner)
    ContactMomentFactory(persons=[person])
    ContactMomentFactory(persons=[person, secret])
    assert plans.reality_of(user=colleague.user, person=person).contacts == 1
    assert plans.reality_of(user=owner.user, person=person).contacts == 2
    assert plans.reality_of(user=manager.user, person=person).contacts == 2
