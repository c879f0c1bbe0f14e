"""`gilde demo --kind network`: the member network part of the demo, on a few members."""

from __future__ import annotations

from gilde.accounts.models import Role
from gilde.demo.members import build_member_network
from gilde.members import selectors
from gilde.members.models import CostStatement, Network, Profile, Referral
from gilde.members.network import is_member_network
from tests.factories import MemberFactory, PersonFactory


def test_the_demo_builds_a_year_of_a_member_network(db):
    manager = MemberFactory(role=Role.NETWORK_MANAGER)
    members = [manager] + [MemberFactory() for _ in range(9)]
    PersonFactory.create_batch(6)
    counts = build_member_network(seed=3)
    assert is_member_network() and Network.objects.get().goal
    assert Profile.objects.count() == len(members)
    assert counts["events"] >= 30 and CostStatement.objects.count() >= 20
    assert Referral.objects.count() == 260
    rows = selectors.commitment(manager.user)
    assert all(c.year.held for c in rows)


def test_the_demo_plans_the_next_open_coffees(db):
    from django.utils import timezone

    from gilde.events.models import Event, EventStatus

    MemberFactory(role=Role.NETWORK_MANAGER)
    MemberFactory.create_batch(9)
    PersonFactory.create_batch(6)
    build_member_network(seed=3)
    coming = Event.objects.filter(kind="open_coffee", starts_at__gt=timezone.now())
    assert coming.count() == 3
    assert set(coming.values_list("status", flat=True)) == {EventStatus.PUBLISHED}
