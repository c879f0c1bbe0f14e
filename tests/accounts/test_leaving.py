"""A colleague leaves: the page shows what leaves with them, and one step hands each group to a
successor (or one per group), keeps their ties as history, deletes nothing and deactivates them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gilde.accounts import leaving
from gilde.accounts.models import Member, Role
from gilde.audit.models import AuditEntry
from gilde.contacts.models import FollowUp
from gilde.maintenance import selectors as maintenance_selectors
from gilde.maintenance.models import RelationCare
from gilde.relations.models import Organisation, Person, Tie, Tier
from tests.conftest import client_for
from tests.factories import (
    FollowUpFactory,
    MemberFactory,
    NoteFactory,
    OrganisationFactory,
    PersonFactory,
    TieFactory,
)
from tests.maintenance.factories import contact


@dataclass
class World:
    leaver: Member
    known_only: Person
    shared: Person
    owned: Person
    organisation: Organisation
    confidential: Person
    follow_up: FollowUp
    done_follow_up: FollowUp


@pytest.fixture
def leaver(db) -> Member:  # type: ignore[no-untyped-def]
    return MemberFactory(user__username="vertrekker", user__first_name="Pieter")


@pytest.fixture
def world(leaver, colleague, manager) -> World:  # type: ignore[no-untyped-def]
    known_only = PersonFactory(given_name="Alleen", tier=Tier.objects.get(code="A"))
    TieFactory(person=known_only, member=leaver, strength=4)
    shared = PersonFactory(given_name="Gedeeld", tier=Tier.objects.get(code="B"))
    TieFactory(person=shared, member=leaver, strength=5)
    TieFactory(person=shared, member=colleague, strength=1)
    contact(shared, leaver, days=400)
    owned = PersonFactory(given_name="Eigen", owner=leaver, tier=Tier.objects.get(code="C"))
    organisation = OrganisationFactory(owner=leaver)
    confidential = PersonFactory(given_name="Geheim", confidential=True, owner=manager)
    confidential.confidential_members.add(leaver)
    follow_up = FollowUpFactory(owner=leaver, person=shared, title="Offerte nasturen")
    done = FollowUpFactory(owner=leaver, person=shared, title="Gebeld")
    FollowUp.objects.filter(pk=done.pk).update(done_at="2026-01-01T10:00:00Z")
    return World(leaver, known_only, shared, owned, organisation, confidential, follow_up, done)


def _everything_to(member: Member) -> dict[str, Member | None]:
    return dict.fromkeys(leaving.GROUPS, member)


def test_the_page_shows_what_leaves_with_them_by_group_and_tier(manager, world):
    response = client_for(manager).get(reverse("accounts:member_leave", args=[world.leaver.pk]))
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary.counts == {
        "known_only": 1,
        "owned": 2,
        "follow_ups": 1,
        "reminders": 2,
        "confidential": 1,
    }
    assert summary.known_only_by_tier == [("A", 1)]
    assert list(summary.known_only) == [world.known_only]
    # The shared relation they are closest to, and their own relation without contact yet.
    assert set(summary.reminders) == {world.shared, world.owned}
    assert world.known_only not in [item.person for item in summary.due]
    page = response.content.decode()
    for person in (world.known_only, world.owned, world.shared, world.confidential):
        assert person.full_name in page
    assert "Offerte nasturen" in page and "Gebeld" not in page


def test_one_step_hands_everything_to_one_successor_and_deactivates(manager, colleague, world):
    response = client_for(manager).post(
        reverse("accounts:member_leave", args=[world.leaver.pk]),
        dict.fromkeys(leaving.GROUPS, colleague.pk),
    )
    assert response.status_code == 302
    world.leaver.user.refresh_from_db()
    assert not world.leaver.user.is_active
    assert Person.objects.get(pk=world.owned.pk).owner == colleague
    assert Organisation.objects.get(pk=world.organisation.pk).owner == colleague
    assert FollowUp.objects.get(pk=world.follow_up.pk).owner == colleague
    assert FollowUp.objects.get(pk=world.done_follow_up.pk).owner == world.leaver
    for person in (world.known_only, world.shared):
        assert RelationCare.objects.get(person=person).contact_member == colleague
    assert set(world.confidential.confidential_members.all()) == {world.leaver, colleague}


def test_the_ties_stay_as_history_and_nothing_is_deleted(manager, colleague, world):
    note = NoteFactory(person=world.shared, author=world.leaver, is_private=True)
    ties = set(Tie.objects.filter(member=world.leaver).values_list("pk", flat=True))
    leaving.member_leave(actor=manager, member=world.leaver, successors=_everything_to(colleague))
    assert set(Tie.objects.filter(member=world.leaver).values_list("pk", flat=True)) == ties
    assert Member.objects.filter(pk=world.leaver.pk).exists()
    assert note.__class__.objects.filter(pk=note.pk, is_private=True).exists()


def test_each_group_can_go_to_its_own_successor(manager, colleague, owner, world):
    successors = _everything_to(colleague) | {"owned": owner, "follow_ups": owner}
    leaving.member_leave(actor=manager, member=world.leaver, successors=successors)
    assert Person.objects.get(pk=world.owned.pk).owner == owner
    assert FollowUp.objects.get(pk=world.follow_up.pk).owner == owner
    assert RelationCare.objects.get(person=world.known_only).contact_member == colleague


def test_the_successor_finds_the_relations_in_their_to_contact_list(manager, colleague, world):
    leaving.member_leave(actor=manager, member=world.leaver, successors=_everything_to(colleague))
    due = maintenance_selectors.due_for_member(user=colleague.user, member=colleague)
    assert world.known_only in [item.person for item in due]


def test_the_hand_over_is_audited_with_counts_and_successors(manager, colleague, world):
    leaving.member_leave(actor=manager, member=world.leaver, successors=_everything_to(colleague))
    entry = AuditEntry.objects.filter(target_type="member", target_id=world.leaver.pk).first()
    details = [
        e.detail for e in AuditEntry.objects.filter(target_type="member", target_id=world.leaver.pk)
    ]
    assert entry is not None
    assert any(d.get("leaving", {}).get("known_only") == 1 for d in details)
    assert any(d.get("active") is False for d in details)


def test_a_successor_who_may_not_see_the_confidential_relations_is_refused_and_nothing_moves(
    manager, colleague, owner, world
):
    # The confidential relation's follow-up would go to someone who may not see it.
    FollowUpFactory(owner=world.leaver, person=world.confidential)
    successors = _everything_to(colleague) | {"follow_ups": owner}
    with pytest.raises(ValidationError) as refused:
        leaving.member_leave(actor=manager, member=world.leaver, successors=successors)
    assert "follow_ups" in refused.value.message_dict
    world.leaver.user.refresh_from_db()
    assert world.leaver.user.is_active
    assert Person.objects.get(pk=world.owned.pk).owner == world.leaver
    assert list(world.confidential.confidential_members.all()) == [world.leaver]


def test_every_group_with_something_in_it_needs_a_successor(manager, colleague, world):
    successors = _everything_to(colleague) | {"reminders": None}
    with pytest.raises(ValidationError) as refused:
        leaving.member_leave(actor=manager, member=world.leaver, successors=successors)
    assert list(refused.value.message_dict) == ["reminders"]


def test_a_successor_must_be_active_and_allowed_to_write(manager, colleague, reader, world):
    for successor in (reader, world.leaver):
        with pytest.raises(ValidationError):
            leaving.member_leave(
                actor=manager, member=world.leaver, successors=_everything_to(successor)
            )
    world.leaver.user.refresh_from_db()
    assert world.leaver.user.is_active


def test_a_colleague_with_nothing_is_simply_deactivated(manager, colleague):
    response = client_for(manager).post(reverse("accounts:member_leave", args=[colleague.pk]))
    assert response.status_code == 302
    colleague.user.refresh_from_db()
    assert not colleague.user.is_active


def test_the_page_form_asks_again_when_a_successor_is_missing(manager, colleague, world):
    response = client_for(manager).post(
        reverse("accounts:member_leave", args=[world.leaver.pk]), {"owned": colleague.pk}
    )
    assert response.status_code == 200 and "known_only" in response.context["form"].errors
    world.leaver.user.refresh_from_db()
    assert world.leaver.user.is_active


def test_only_managers_let_a_colleague_leave(colleague, reader, outsider, world):
    url = reverse("accounts:member_leave", args=[world.leaver.pk])
    for who, status in ((colleague, 403), (reader, 403), (outsider, 404)):
        assert client_for(who).get(url).status_code == status
        assert (
            client_for(who).post(url, dict.fromkeys(leaving.GROUPS, colleague.pk)).status_code
            == status
        )
    with pytest.raises(PermissionDenied):
        leaving.member_leave(
            actor=colleague, member=world.leaver, successors=_everything_to(colleague)
        )
    world.leaver.user.refresh_from_db()
    assert world.leaver.user.is_active


def test_a_manager_cannot_let_themselves_leave(manager, colleague):
    response = client_for(manager).get(reverse("accounts:member_leave", args=[manager.pk]))
    assert response.status_code == 302
    with pytest.raises(ValidationError):
        leaving.member_leave(actor=manager, member=manager, successors=_everything_to(colleague))


def test_a_network_manager_cannot_let_an_administrator_leave(manager, colleague):
    admin = MemberFactory(role=Role.ADMINISTRATOR)
    MemberFactory(role=Role.ADMINISTRATOR)
    assert (
        client_for(manager).get(reverse("accounts:member_leave", args=[admin.pk])).status_code
        == 403
    )
