"""The tier review that ranks: a score from theme importance, tie strength and trend, contact
history, goodwill, signals and event attendance; moves in every direction with reasons; earlier
decisions remembered until there is news."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone

from gilde.goodwill.models import Favour
from gilde.maintenance import review
from gilde.maintenance.models import SuggestionReason
from gilde.maintenance.services import network_recompute
from gilde.relations.models import Person, Tier
from gilde.strategy.ranking import Inputs, rank
from tests.factories import ContactMomentFactory, PersonFactory, TieFactory
from tests.strategy.factories import ThemeLinkFactory

SHARES = (0.10, 0.35, 0.15, 0.40)


def inputs(n, **columns):
    zeros = np.zeros(n, dtype=np.int64)
    values = {
        name: np.asarray(columns.get(name, zeros), dtype=np.int64)
        for name in (
            "tier",
            "theme_importance",
            "strength",
            "contacts_recent",
            "contacts_before",
            "favours",
            "signals",
            "events",
        )
    }
    return Inputs(person_ids=np.arange(1, n + 1, dtype=np.int64), **values)


def test_a_relation_that_matters_on_every_count_is_proposed_for_a():
    found = rank(
        inputs(
            1,
            tier=[1],
            theme_importance=[3],
            strength=[80],
            contacts_recent=[8],
            contacts_before=[2],
            favours=[4],
            signals=[3],
            events=[2],
        ),
        SHARES,
    )
    assert [(p.from_tier, p.to_tier) for p in found] == [(1, 0)]
    assert found[0].reasons[0][0] == "theme"


def test_a_relation_without_anything_is_proposed_for_d_with_what_is_missing():
    found = rank(inputs(1, tier=[2]), SHARES)
    assert [(p.from_tier, p.to_tier) for p in found] == [(2, 3)]
    assert found[0].reasons[0] == ("theme", 0.0)


def test_a_large_network_is_ranked_against_the_guideline():
    n = 200
    rng = np.random.default_rng(7)
    found = rank(
        inputs(
            n,
            tier=[1] * n,
            theme_importance=rng.integers(0, 4, n),
            strength=rng.integers(0, 100, n),
            contacts_recent=rng.integers(0, 8, n),
        ),
        SHARES,
    )
    to = [p.to_tier for p in found]
    assert 0 in to and 3 in to  # up to A and down to D from one tier
    assert to.count(0) <= 0.10 * n and to.count(3) <= 0.40 * n


def test_a_score_on_the_edge_does_not_move():
    # strength 60 of 100 and neutral trend: 12 + 5 = 17 points, within the margin of C's edge 15
    assert rank(inputs(1, tier=[2], strength=[60]), SHARES) == []


def _old(person):
    Person.objects.filter(pk=person.pk).update(created_at=timezone.now() - dt.timedelta(days=400))


@pytest.fixture
def key_candidate(owner):
    person = PersonFactory(tier=Tier.objects.get(code="B"), family_name="Kandidaat")
    _old(person)
    ThemeLinkFactory(person=person, importance=3)
    TieFactory(person=person, member=owner, strength=5)
    for days in (5, 20, 40, 70, 100, 150):
        ContactMomentFactory(
            persons=[person],
            members=[owner],
            kind="meeting",
            signals="Markt",
            occurred_at=timezone.now() - dt.timedelta(days=days),
        )
    for days in (10, 30, 60, 90):
        Favour.objects.create(
            member=owner,
            person=person,
            direction="given",
            kind="help",
            occurred_on=timezone.localdate() - dt.timedelta(days=days),
        )
    network_recompute()
    return person


def test_the_review_proposes_a_with_reasons_on_its_page(key_candidate, manager, manager_client):
    found = review.tier_review_start(actor=manager).suggestions.get(person=key_candidate)
    assert (found.to_tier.code, found.reason) == ("A", SuggestionReason.RANKING)
    page = manager_client.get(reverse("maintenance_tier_review")).content.decode()
    assert "weegt het zwaarst" in page and "thema-belang 25/25" in page
    assert "chart-tier-mix-colleagues-data" in page


def test_a_rejected_proposal_returns_only_with_news(key_candidate, manager, owner):
    current = review.tier_review_start(actor=manager)
    review.tier_suggestions_decide(
        actor=manager, review=current, accept=False, suggestion_ids=[current.suggestions.get().pk]
    )
    review.tier_review_complete(actor=manager, review=current)
    assert not review.tier_review_start(actor=manager).suggestions.exists()
    ContactMomentFactory(persons=[key_candidate], members=[owner], kind="lunch")
    assert review.tier_review_start(actor=manager).suggestions.get().to_tier.code == "A"


def test_a_forgotten_relation_is_proposed_for_d(manager):
    person = PersonFactory(tier=Tier.objects.get(code="C"))
    _old(person)
    found = review.tier_review_start(actor=manager).suggestions.get()
    assert (found.person, found.to_tier.code) == (person, "D")


def test_new_relations_are_not_ranked_yet(manager):
    PersonFactory(tier=Tier.objects.get(code="C"))
    assert not review.tier_review_start(actor=manager).suggestions.exists()


def test_a_large_network_is_reviewed_on_the_worker(manager, manager_client, monkeypatch):
    from tests.jobs import run_jobs

    monkeypatch.setattr(review, "INLINE_PERSONS", 0)
    person = PersonFactory(tier=Tier.objects.get(code="C"))
    _old(person)
    response = manager_client.post(reverse("maintenance_tier_review_action"), {"action": "start"})
    assert response.status_code == 302 and review.open_review() is None
    assert run_jobs() == 1
    assert review.open_review().suggestions.get().person == person
