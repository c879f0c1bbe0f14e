"""Every network answer is computed on the asking member's visible graph: a confidential person
hidden from them, with all their ties and jobs, changes no count, path or score they see."""

from __future__ import annotations

from typing import Any

import pytest

from gilde.accounts.models import Member
from gilde.network import report, selectors
from gilde.network.introductions import warm_paths
from gilde.network.loader import forget_stored, network_graph_build
from gilde.relations.models import Organisation, Person
from tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory, TieFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(owner: Member, colleague: Member) -> dict[str, Any]:
    """Jeroen knows Anna and Bram; Sanne knows Bram; Anna knows Carla, who works at Rijnbouw;
    Bram knows Dirk."""
    anna, bram, carla, dirk = (
        PersonFactory(given_name=n) for n in ("Anna", "Bram", "Carla", "Dirk")
    )
    org = OrganisationFactory(name="Rijnbouw", sector="construction")
    TieFactory(member=owner, person=anna, strength=5)
    TieFactory(member=owner, person=bram, strength=2)
    TieFactory(member=colleague, person=bram, strength=4)
    TieFactory(member=None, other_person=anna, person=carla, strength=4)
    TieFactory(member=None, other_person=bram, person=dirk, strength=3)
    AffiliationFactory(person=carla, organisation=org)
    return {"anna": anna, "bram": bram, "carla": carla, "dirk": dirk, "org": org}


def _everything_seen(user: Any, n: dict[str, Any], members: list[Member]) -> dict[str, Any]:
    def reach(**kwargs: Any) -> dict[str, Any]:
        return {**report.reach_data(selectors.reach(user, **kwargs)), "graph_built_at": None}

    seen: dict[str, Any] = {"org": reach(), "department": reach(department="")}
    for m in members:
        seen[f"reach {m.pk}"] = reach(member=m)
        seen[f"loss {m.pk}"] = selectors.loss_without(user, member=m)
    for key in ("anna", "bram", "carla", "dirk"):
        paths = warm_paths(user, person=n[key])
        seen[f"paths {key}"] = [(p.route, round(p.score, 9)) for p in paths]
        seen[f"loss {key}"] = selectors.loss_without(user, person=n[key])
    seen["paths org"] = [
        (p.route, round(p.score, 9)) for p in warm_paths(user, organisation=n["org"])
    ]
    seen["brokers"] = report.brokers_data(selectors.brokers(user))
    seen["risk"] = [(r.person.pk, r.colleague.pk) for r in selectors.concentration(user)]
    return seen


def test_a_hidden_person_with_ties_changes_nothing_the_member_sees(
    network: dict[str, Any], owner: Member, colleague: Member, manager: Member
) -> None:
    before = _everything_seen(colleague.user, network, [owner, colleague])

    secret = PersonFactory(given_name="Geheim", confidential=True, owner=manager)
    TieFactory(member=owner, person=secret, strength=5)
    TieFactory(member=colleague, person=secret, strength=5)
    TieFactory(member=None, other_person=secret, person=network["dirk"], strength=5)
    TieFactory(member=None, other_person=network["carla"], person=secret, strength=5)
    AffiliationFactory(person=secret, organisation=network["org"])
    forget_stored()

    assert _everything_seen(colleague.user, network, [owner, colleague]) == before
    # The network manager, who may see them, does see a difference.
    assert selectors.reach(manager.user).first_persons == before["org"]["first_persons"] + 1


def test_a_hidden_person_is_not_a_target(
    network: dict[str, Any], colleague: Member, manager: Member
) -> None:
    secret = PersonFactory(confidential=True, owner=manager)
    TieFactory(member=colleague, person=secret)
    network_graph_build()
    with pytest.raises(Person.DoesNotExist):
        warm_paths(colleague.user, person=secret)


def test_the_stored_graph_answers_until_it_is_rebuilt(
    network: dict[str, Any], owner: Member
) -> None:
    first = selectors.reach(owner.user)
    TieFactory(member=owner, person=network["dirk"])
    assert selectors.reach(owner.user).first_persons == first.first_persons
    network_graph_build()
    assert selectors.reach(owner.user).first_persons == first.first_persons + 1
    assert Organisation.objects.count() == 1
