"""The hand-over rule lives in the service, so every caller (page, API) gets the same answer."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from gilde import permissions
from gilde.maintenance import services
from gilde.maintenance.models import RelationCare
from gilde.relations.models import Tier
from tests.factories import PersonFactory, TieFactory
from tests.maintenance.factories import contact


def overdue_person(member, **kwargs):
    person = PersonFactory(tier=Tier.objects.get(code="A"), owner=member, **kwargs)
    TieFactory(person=person, member=member, strength=4)
    contact(person, member, days=90)
    return person


def test_the_service_refuses_a_colleague_who_may_not_see_the_relation(owner, colleague):
    person = overdue_person(owner, confidential=True)
    with pytest.raises(ValidationError) as refused:
        services.relation_hand_over(actor=owner, person=person, to=colleague)
    assert refused.value.message_dict == {"to": ["Kies een collega die deze relatie mag zien."]}
    assert not RelationCare.objects.filter(person=person, handed_to__isnull=False).exists()


def test_the_service_hands_over_to_a_colleague_the_relation_is_shared_with(owner, colleague):
    person = overdue_person(owner, confidential=True)
    person.confidential_members.add(colleague)
    care = services.relation_hand_over(actor=owner, person=person, to=colleague)
    assert care.handed_to == colleague


def test_the_page_offers_only_colleagues_the_service_accepts(owner, colleague, manager):
    person = overdue_person(owner, confidential=True)
    assert permissions.may_take_over(manager, person)
    assert not permissions.may_take_over(colleague, person)
