"""The guest-list API: suggestions with reasons, balance, warnings and turnout, as the guest-list
page shows them, through the caller's visibility."""

from __future__ import annotations

import pytest

from gilde.accounts.models import Member
from gilde.events.models import ConflictPair, GuestStatus
from gilde.relations.models import Tag, Tier
from tests.events.guests import event_at, place
from tests.events.test_api import api
from tests.factories import AffiliationFactory, MemberFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _theme_event(owner: Member):  # type: ignore[no-untyped-def]
    event = event_at(owner, days=20, capacity=10)
    theme = Tag.objects.create(name="waterstof")
    event.themes.add(theme)
    return event, theme


def test_suggestions_come_with_their_reasons(owner: Member) -> None:
    event, theme = _theme_event(owner)
    wanted = PersonFactory(
        given_name="Anouk", family_name="Waterman", tier=Tier.objects.get(code="A")
    )
    wanted.tags.add(theme)
    on_list = PersonFactory()
    on_list.tags.add(theme)
    place(event, on_list)
    answer = api(owner)("get", f"/events/{event.pk}/suggestions?limit=5")
    assert answer.status_code == 200
    rows = {row["person_id"]: row for row in answer.json()}
    assert on_list.pk not in rows
    assert "theme" in rows[wanted.pk]["sources"]
    assert any("waterstof" in reason for reason in rows[wanted.pk]["reasons"])
    assert rows[wanted.pk]["tier"] == "A"
    assert api(owner)("get", f"/events/{event.pk}/suggestions?limit=0").status_code == 422


def test_balance_warnings_and_turnout(owner: Member) -> None:
    event, _theme = _theme_event(owner)
    organisation = OrganisationFactory(name="Havenbedrijf", sector="logistics")
    people = [PersonFactory() for _ in range(5)]
    for person in people:
        AffiliationFactory(person=person, organisation=organisation)
        place(event, person, GuestStatus.ACCEPTED)
    ConflictPair.objects.create(person_a=people[0], person_b=people[1], reason="rechtszaak")
    call = api(owner)
    balance = call("get", f"/events/{event.pk}/balance").json()
    assert balance["relations"] == 5 and balance["new_faces"] == 5
    assert balance["crowded_organisations"] == [
        {"organisation_id": organisation.pk, "name": "Havenbedrijf", "count": 5}
    ]
    warnings = call("get", f"/events/{event.pk}/warnings").json()
    assert {frozenset(c["person_ids"]) for c in warnings["conflicts"]} >= {
        frozenset({people[0].pk, people[1].pk})
    }
    turnout = call("get", f"/events/{event.pk}/turnout?target=10").json()
    assert turnout["expected"] == pytest.approx(5 * 0.72, abs=0.05)
    assert turnout["target"] == 10 and turnout["more_to_invite"] > 0
    assert len(turnout["guests"]) == 5 and turnout["paid"] is False


def test_a_hidden_guest_changes_no_figure_for_another_colleague(owner: Member) -> None:
    event, theme = _theme_event(owner)
    colleague = MemberFactory()
    event.organisers.add(colleague)
    visible = PersonFactory()
    place(event, visible, GuestStatus.ACCEPTED)
    call = api(colleague)
    paths = ("balance", "turnout", "warnings", "suggestions")
    before = {path: call("get", f"/events/{event.pk}/{path}").json() for path in paths}
    hidden = PersonFactory(owner=owner, confidential=True)
    hidden.tags.add(theme)
    place(event, hidden, GuestStatus.ACCEPTED)
    ConflictPair.objects.create(person_a=visible, person_b=hidden)
    after = {path: call("get", f"/events/{event.pk}/{path}").json() for path in paths}
    assert after == before
    assert api(owner)("get", f"/events/{event.pk}/balance").json()["relations"] == 2


def test_an_event_for_organisers_only_does_not_exist_for_others(owner: Member) -> None:
    event = event_at(owner, days=20, visibility="organisers")
    for path in ("suggestions", "balance", "turnout", "warnings"):
        assert api(MemberFactory())("get", f"/events/{event.pk}/{path}").status_code == 404
