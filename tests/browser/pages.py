"""A small network with something on every main page, and the list of those pages, for the
accessibility, page-weight and phone journeys."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from gilde.maintenance.services import network_recompute
from gilde.relations.models import Tier


def small_network(manager: Any) -> dict[str, Any]:
    """Relations in each status, contact moments with signals, a favour, a follow-up."""
    from tests.factories import (
        AffiliationFactory,
        ContactMomentFactory,
        FollowUpFactory,
        OrganisationFactory,
        PersonFactory,
        TieFactory,
    )
    from tests.goodwill.factories import FavourFactory

    organisation = OrganisationFactory(name="Rijnbouw", sector="construction")
    tiers = {t.code: t for t in Tier.objects.all()}
    persons = []
    for i, (code, days) in enumerate([("A", 5), ("A", 70), ("B", 100), ("B", 400), ("C", 10)]):
        person = PersonFactory(given_name=f"Anna{i}", family_name=f"Bakker{i}", tier=tiers[code])
        AffiliationFactory(person=person, organisation=organisation)
        TieFactory(member=manager, person=person, strength=3)
        ContactMomentFactory(
            persons=[person],
            members=[manager],
            created_by=manager,
            occurred_at=timezone.now() - dt.timedelta(days=days),
            signals="Vraag naar warmtenetten" if i % 2 else "",
        )
        persons.append(person)
    PersonFactory(given_name="Nooit", family_name="Gesproken", tier=tiers["A"])
    FavourFactory(member=manager, person=persons[0])
    FollowUpFactory(owner=manager, person=persons[1], title="Offerte sturen")
    network_recompute()
    return {"person": persons[0], "organisation": organisation, "due": persons[1]}


def main_pages(network: dict[str, Any], manager: Any) -> list[str]:
    return [
        "/",
        "/persons/",
        f"/persons/{network['person'].pk}/",
        "/persons/new/",
        "/organisations/",
        f"/organisations/{network['organisation'].pk}/",
        "/members/",
        f"/members/{manager.pk}/",
        "/due/",
        "/follow-ups/",
        "/going-cold/",
        "/tier-review/",
        "/signals/",
        "/goodwill/",
        "/imports/",
        "/duplicates/",
        "/privacy/",
        "/audit/",
        "/team/",
        "/events/",
        "/account/tokens/",
        "/account/two-factor/",
        "/jobs/",
        "/reminders/",
    ]
