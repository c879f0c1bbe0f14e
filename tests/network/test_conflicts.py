"""Conflicting interests: explicit conflict pairs, organisations in dispute, competitors of a
client and other competitors, for a set of persons (the guest list and seating) and as a report."""

from __future__ import annotations

from django.test import Client

from gilde.accounts.models import Member
from gilde.events.models import ConflictPair
from gilde.network.conflicts import (
    COMPETITOR_OF_CLIENT,
    COMPETITORS,
    DISPUTE,
    EXPLICIT,
    conflicting_pairs,
    conflicts_report,
)
from gilde.relations.models import Organisation, OrganisationLink, Person, StakeholderType
from tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory


def _at(org: Organisation, name: str, **kwargs: object) -> Person:
    person = PersonFactory(given_name=name, **kwargs)
    AffiliationFactory(person=person, organisation=org)
    return person


def _world() -> dict[str, Person]:
    client = OrganisationFactory(name="Klantbedrijf")
    client.stakeholder_types.add(StakeholderType.objects.get(code="client"))
    rival = OrganisationFactory(name="Concurrent")
    other_a, other_b = OrganisationFactory(name="Alfa"), OrganisationFactory(name="Beta")
    court_a, court_b = OrganisationFactory(name="Eiser"), OrganisationFactory(name="Gedaagde")
    OrganisationLink.objects.create(source=rival, target=client, kind="competitor")
    OrganisationLink.objects.create(source=other_a, target=other_b, kind="competitor")
    OrganisationLink.objects.create(source=court_a, target=court_b, kind="dispute")
    OrganisationLink.objects.create(source=court_a, target=client, kind="partner")
    people = {
        "klant": _at(client, "Klara"), "rival": _at(rival, "Rik"), "alfa": _at(other_a, "Ada"),
        "beta": _at(other_b, "Bea"), "eiser": _at(court_a, "Eva"), "gedaagde": _at(court_b, "Gijs"),
    }  # fmt: skip
    ConflictPair.objects.create(
        person_a=min(people["alfa"], people["klant"], key=lambda p: p.pk),
        person_b=max(people["alfa"], people["klant"], key=lambda p: p.pk),
        reason="Rechtszaak over een erfenis",
    )
    return people


def test_each_rule_finds_its_pair_and_the_strongest_comes_first(owner: Member) -> None:
    p = _world()
    found = conflicting_pairs([x.pk for x in p.values()], owner.user)
    rules = {(f.person_a, f.person_b): f.rule for f in found}

    def key(a: str, b: str) -> tuple[int, int]:
        return (min(p[a].pk, p[b].pk), max(p[a].pk, p[b].pk))

    assert rules == {
        key("alfa", "klant"): EXPLICIT,
        key("eiser", "gedaagde"): DISPUTE,
        key("rival", "klant"): COMPETITOR_OF_CLIENT,
        key("alfa", "beta"): COMPETITORS,
    }
    assert [f.rule for f in found] == [EXPLICIT, DISPUTE, COMPETITOR_OF_CLIENT, COMPETITORS]
    assert found[0].reason == "Rechtszaak over een erfenis"
    assert "Concurrent" in found[2].reason and "Klantbedrijf" in found[2].reason


def test_only_the_persons_asked_about_are_paired(owner: Member) -> None:
    p = _world()
    assert conflicting_pairs([p["eiser"].pk, p["klant"].pk, p["beta"].pk], owner) == []


def test_a_hidden_person_is_never_part_of_a_pair(
    owner: Member, colleague: Member, manager: Member
) -> None:
    p = _world()
    secret = _at(p["gedaagde"].affiliations.get().organisation, "Geheim", confidential=True,
                 owner=manager)  # fmt: skip
    ids = [x.pk for x in p.values()] + [secret.pk]
    seen = conflicting_pairs(ids, colleague.user)
    assert all(secret.pk not in (f.person_a, f.person_b) for f in seen)
    assert seen == conflicting_pairs([x.pk for x in p.values()], colleague.user)
    before = conflicts_report(colleague.user)
    assert secret not in [x for row in before.organisations for x in row.target_persons]
    assert any(secret.pk in (f.person_a, f.person_b) for f in conflicting_pairs(ids, manager))


def test_the_report_page_lists_pairs_and_organisations(owner: Member, owner_client: Client) -> None:
    _world()
    text = owner_client.get("/network/conflicts/").content.decode()
    assert "Rechtszaak over een erfenis" in text
    assert "Eiser" in text and "Gijs" in text
    assert text.index("conflict-dispute") < text.index("conflict-competitor_of_client")


def test_a_critic_and_a_partner_of_one_theme_have_opposite_roles(owner: Member) -> None:
    from gilde.network.conflicts import OPPOSITE_ROLES
    from tests.strategy.factories import ThemeFactory, ThemeLinkFactory

    theme = ThemeFactory(name="Windparken op zee")
    critic = PersonFactory(given_name="Kees")
    ThemeLinkFactory(theme=theme, person=critic, role="critic")
    works_at_partner = _at(OrganisationFactory(name="Zeewind"), "Petra")
    ThemeLinkFactory(theme=theme, organisation=works_at_partner.affiliations.get().organisation)
    expert = PersonFactory(given_name="Els")
    ThemeLinkFactory(theme=theme, person=expert, role="expert")
    elsewhere = PersonFactory(given_name="Olaf")
    ThemeLinkFactory(person=elsewhere, role="partner")  # a partner of another theme
    found = conflicting_pairs([critic.pk, works_at_partner.pk, expert.pk, elsewhere.pk], owner)
    assert [(f.person_a, f.person_b, f.rule) for f in found] == [
        (min(critic.pk, works_at_partner.pk), max(critic.pk, works_at_partner.pk), OPPOSITE_ROLES)
    ]
    assert "Windparken op zee" in found[0].reason
