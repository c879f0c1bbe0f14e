"""The person list narrows by tier, stakeholder type, tag, sector and who knows them."""

from __future__ import annotations

import pytest

from gilde.relations.models import StakeholderType, Tier
from gilde.relations.selectors import PersonFilters, person_list
from gilde.relations.services import person_create
from tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory, TieFactory


def names(user, **filters) -> set[str]:
    return {p.family_name for p in person_list(user=user, filters=PersonFilters(**filters))}


@pytest.fixture
def people(owner, colleague):
    key = person_create(
        actor=owner,
        family_name="Sleutel",
        tier=Tier.objects.get(code="A"),
        tags=["bestuur"],
        stakeholder_types=[StakeholderType.objects.get(code="government")],
    )
    regular = person_create(
        actor=owner, family_name="Gewoon", tier=Tier.objects.get(code="B"), tags=["alumni"]
    )
    AffiliationFactory(person=regular, organisation=OrganisationFactory(sector="energy"))
    TieFactory(person=key, member=colleague)
    return key, regular


def test_filter_by_tier(owner, people):
    assert names(owner.user, tier="A") == {"Sleutel"}


def test_filter_by_tier_and_tag_together(owner, people):
    assert names(owner.user, tier="A", tag="bestuur") == {"Sleutel"}
    assert names(owner.user, tier="A", tag="alumni") == set()


def test_filter_by_stakeholder_type(owner, people):
    assert names(owner.user, stakeholder_type="government") == {"Sleutel"}


def test_filter_by_sector_of_the_current_organisation(owner, people):
    assert names(owner.user, sector="energy") == {"Gewoon"}


def test_filter_known_by_a_member(owner, colleague, people):
    assert names(owner.user, known_by=colleague.pk) == {"Sleutel"}


def test_a_former_job_does_not_count_for_the_sector_filter(owner):
    person = PersonFactory(family_name="Oud")
    AffiliationFactory(
        person=person, organisation=OrganisationFactory(sector="finance"), end_date="2021-01-01"
    )
    assert names(owner.user, sector="finance") == set()
