"""Reviewing importance: suggestions drawn from the data, decided one by one or in bulk."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from gilde.goodwill.models import Favour
from gilde.maintenance import review
from gilde.maintenance.models import SuggestionReason, SuggestionState
from gilde.maintenance.selectors import review_is_due, tier_distribution
from gilde.relations.models import Tier
from tests.conftest import client_for
from tests.factories import PersonFactory
from tests.maintenance.factories import contact


def tier(code):
    return Tier.objects.get(code=code)


def test_a_c_relation_with_favours_and_frequent_contact_is_suggested_for_b(owner, manager):
    person = PersonFactory(tier=tier("C"))
    for days in range(10, 200, 30):
        contact(person, owner, days=days)
    for days in (20, 60):
        Favour.objects.create(
            member=owner,
            person=person,
            direction="received",
            kind="information",
            occurred_on=timezone.localdate() - dt.timedelta(days=days),
        )
    found = review.tier_review_start(actor=manager).suggestions.get()
    assert (found.person, found.to_tier.code, found.reason) == (
        person,
        "B",
        SuggestionReason.FAVOURS_AND_CONTACT,
    )


def test_an_a_relation_not_contacted_in_two_years_is_suggested_for_review(owner, manager):
    person = PersonFactory(tier=tier("A"))
    contact(person, owner, days=800)
    found = review.tier_review_start(actor=manager).suggestions.get()
    assert (found.person, found.to_tier.code) == (person, "B")


def test_a_d_relation_that_keeps_in_touch_is_suggested_for_c(owner, manager):
    person = PersonFactory(tier=tier("D"))
    for days in (5, 40, 90):
        contact(person, owner, days=days)
    assert review.tier_review_start(actor=manager).suggestions.get().to_tier.code == "C"


def test_accepting_a_suggestion_changes_the_tier(owner, manager):
    person = PersonFactory(tier=tier("A"))
    contact(person, owner, days=800)
    current = review.tier_review_start(actor=manager)
    review.tier_suggestions_decide(
        actor=manager, review=current, suggestion_ids=[current.suggestions.get().pk], accept=True
    )
    person.refresh_from_db()
    assert person.tier.code == "B"
    assert current.suggestions.get().state == SuggestionState.ACCEPTED


def test_rejecting_in_bulk_from_the_page_leaves_the_tiers(owner, manager):
    people = [PersonFactory(tier=tier("A")) for _ in range(3)]
    for person in people:
        contact(person, owner, days=800)
    client = client_for(manager)
    client.post(reverse("maintenance_tier_review_action"), {"action": "start"})
    client.post(reverse("maintenance_tier_review_action"), {"action": "reject", "all": "1"})
    assert {p.tier.code for p in people} == {"A"}
    assert review.open_review().suggestions.filter(state="rejected").count() == 3


def test_completing_a_review_keeps_its_date_and_the_next_is_due_in_a_quarter(manager):
    assert review_is_due()
    current = review.tier_review_start(actor=manager)
    review.tier_review_complete(actor=manager, review=current)
    today = timezone.localdate()
    assert not review_is_due(today)
    assert review_is_due(today + dt.timedelta(days=92))


def test_only_network_managers_review_tiers(owner, owner_client):
    with pytest.raises(PermissionDenied):
        review.tier_review_start(actor=owner)
    assert owner_client.get(reverse("maintenance_tier_review")).status_code == 403


def test_a_networker_may_not_decide_on_a_suggestion(owner, owner_client, manager):
    person = PersonFactory(tier=tier("A"))
    contact(person, owner, days=800)
    current = review.tier_review_start(actor=manager)
    suggestion = current.suggestions.get()
    response = owner_client.post(
        reverse("maintenance_tier_review_action"), {"action": "accept", "suggestion": suggestion.pk}
    )
    assert response.status_code == 403
    suggestion.refresh_from_db()
    person.refresh_from_db()
    assert suggestion.state == SuggestionState.OPEN and person.tier.code == "A"


def test_a_networker_may_not_start_a_review(owner_client):
    response = owner_client.post(reverse("maintenance_tier_review_action"), {"action": "start"})
    assert response.status_code == 403
    assert review.open_review() is None


def test_the_distribution_is_shown_next_to_the_guideline(manager):
    for code in "AABD":
        PersonFactory(tier=tier(code))
    rows = {r["tier"].code: r for r in tier_distribution(user=manager.user) if r["tier"]}
    assert rows["A"]["count"] == 2 and rows["A"]["percent"] == 50.0
    assert rows["A"]["guideline"] == tier("A").guideline_percent


def test_the_review_page_shows_suggestions_with_reasons(
    owner, manager, django_assert_max_num_queries
):
    for _ in range(5):
        contact(PersonFactory(tier=tier("A")), owner, days=800)
    client = client_for(manager)
    client.post(reverse("maintenance_tier_review_action"), {"action": "start"})
    with django_assert_max_num_queries(16):
        page = client.get(reverse("maintenance_tier_review")).content.decode()
    assert "geen contact sinds" in page


def test_an_accepted_tier_change_counts_in_the_organisations_due_list_at_once(owner, manager):
    from gilde.maintenance.selectors import due_for_organisation

    person = PersonFactory(tier=tier("C"))
    for days in range(100, 220, 20):
        contact(person, owner, days=days)
    for days in (80, 90):
        Favour.objects.create(
            member=owner,
            person=person,
            direction="given",
            kind="gift",
            occurred_on=timezone.localdate() - dt.timedelta(days=days),
        )
    current = review.tier_review_start(actor=manager)
    assert list(due_for_organisation(user=manager.user)) == []
    review.tier_suggestions_decide(
        actor=manager, review=current, suggestion_ids=[current.suggestions.get().pk], accept=True
    )
    assert list(due_for_organisation(user=manager.user)) == [person]
