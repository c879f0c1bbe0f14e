"""Transparent cost sharing: the division rules, the statement with each share paid or open,
the payment references, and the year's statement with its exports."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from gilde.events.models import CostItem, EventStatus, Guest, GuestStatus
from gilde.members import costs
from gilde.members.costsharing import (
    BRING_YOUR_OWN,
    EQUAL,
    PER_TYPE,
    Attendee,
    payment_reference,
    shares,
)
from gilde.members.models import CostShare, MembershipFee
from tests.conftest import client_for
from tests.factories import EventFactory, PersonFactory


def test_equal_shares_add_up_to_the_cent():
    people = [Attendee(str(i), i, True) for i in (1, 2, 3)]
    assert shares(total_cents=10000, attendees=people, rule=EQUAL) == {1: 3334, 2: 3333, 3: 3333}


def test_a_guest_is_paid_for_by_the_member_who_brought_them():
    people = [Attendee("a", 1, True), Attendee("b", 2, True), Attendee("g", 1, False)]
    assert shares(total_cents=9000, attendees=people, rule=EQUAL) == {1: 6000, 2: 3000}


def test_per_type_a_guest_may_come_free():
    people = [Attendee("a", 1, True), Attendee("b", 2, True), Attendee("g", 1, False)]
    found = shares(total_cents=9000, attendees=people, rule=PER_TYPE, guest_weight=0)
    assert found == {1: 4500, 2: 4500}


@given(
    total=st.integers(min_value=0, max_value=10**9),
    members=st.integers(min_value=1, max_value=40),
    guests=st.lists(st.integers(min_value=0, max_value=40), max_size=20),
    weight=st.floats(min_value=0, max_value=3),
)
def test_shares_always_add_up_to_the_total(total, members, guests, weight):
    people = [Attendee(str(i), i, True) for i in range(members)]
    people += [Attendee(f"g{i}", g if g < members else None, False) for i, g in enumerate(guests)]
    for rule in (EQUAL, PER_TYPE):
        found = shares(total_cents=total, attendees=people, rule=rule, guest_weight=weight)
        assert sum(found.values()) == total
        assert all(v >= 0 for v in found.values())


def test_a_payment_reference_carries_a_check_digit():
    reference = payment_reference(12, 345)
    assert reference.startswith("GLD-12-345-")
    assert payment_reference(12, 354) != reference


@pytest.fixture
def held_event(owner, colleague, manager):
    start = timezone.now() - dt.timedelta(days=3)
    event = EventFactory(
        starts_at=start, ends_at=start + dt.timedelta(hours=2), status=EventStatus.HELD
    )
    CostItem.objects.create(
        event=event, category="venue", description="Zaal", planned=200, actual=Decimal("150.00")
    )
    CostItem.objects.create(event=event, category="catering", description="Koffie", planned=90)
    for member in (owner, colleague, manager):
        Guest.objects.create(event=event, member=member, status=GuestStatus.ATTENDED)
    Guest.objects.create(
        event=event, person=PersonFactory(), host=owner, status=GuestStatus.ATTENDED
    )
    return event


def test_publishing_divides_the_real_costs_over_those_who_came(held_event, owner, manager):
    statement = costs.cost_statement_publish(actor=manager, event=held_event, rule="equal")
    assert statement.total == Decimal("240.00") and statement.attendees == 4
    mine = statement.shares.get(member=owner)
    assert (mine.amount, mine.guests) == (Decimal("120.00"), 1)
    assert sum(s.amount for s in statement.shares.all()) == Decimal("240.00")


def test_bring_your_own_leaves_catering_out(held_event, manager):
    statement = costs.cost_statement_publish(actor=manager, event=held_event, rule="bring_your_own")
    assert statement.total == Decimal("150.00")
    assert statement.rule == BRING_YOUR_OWN


def test_a_member_cannot_publish(held_event, owner):
    with pytest.raises(PermissionDenied):
        costs.cost_statement_publish(actor=owner, event=held_event, rule="equal")


def test_once_a_share_is_paid_the_statement_stands(held_event, manager, owner):
    statement = costs.cost_statement_publish(actor=manager, event=held_event, rule="equal")
    costs.cost_share_mark(
        actor=manager, share=statement.shares.get(member=owner), paid_on=timezone.localdate()
    )
    with pytest.raises(ValidationError):
        costs.cost_statement_publish(actor=manager, event=held_event, rule="per_type")
    assert CostShare.objects.get(member=owner).amount == Decimal("120.00")


def test_an_event_nobody_came_to_cannot_be_shared(manager):
    event = EventFactory()
    with pytest.raises(ValidationError):
        costs.cost_statement_publish(actor=manager, event=event, rule="equal")


def test_every_member_sees_every_share_and_its_status(held_event, manager, colleague, network):
    client_for(manager).post(
        reverse("members:cost_publish", args=[held_event.pk]),
        {"rule": "equal", "guest_weight": "1"},
    )
    share = CostShare.objects.get(member=colleague)
    client_for(manager).post(reverse("members:cost_share_paid", args=[share.pk]))
    page = client_for(colleague).get(reverse("members:cost_statement", args=[held_event.pk]))
    html = page.content.decode()
    assert "€&nbsp;120,00" in html or "€&nbsp;120.00" in html
    assert share.reference in html and "betaald" in html


def test_the_year_statement_exports_for_the_bookkeeping(held_event, manager, owner):
    costs.cost_statement_publish(actor=manager, event=held_event, rule="equal")
    costs.membership_fees_set(actor=manager, year=held_event.starts_at.year, amount=Decimal("95"))
    fee = MembershipFee.objects.get(member=owner)
    costs.membership_fee_mark(actor=manager, fee=fee, paid_on=timezone.localdate())
    year = held_event.starts_at.year
    statement = costs.year_statement(manager.user, year)
    assert statement.costs == Decimal("240.00")
    assert statement.fees == Decimal("285.00") and statement.fees_paid == Decimal("95.00")
    assert statement.shares == Decimal("240.00")
    client = client_for(manager)
    csv_text = client.get(reverse("members:year_export"), {"year": year}).content.decode()
    assert fee.reference in csv_text and ";" in csv_text
    xlsx = client.get(reverse("members:year_export"), {"year": year, "format": "xlsx"}).content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    references = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert fee.reference in references


def test_a_name_is_never_a_formula_in_the_export(held_event, manager, owner):
    owner.user.first_name = "=HYPERLINK(1)"
    owner.user.save()
    costs.membership_fees_set(actor=manager, year=2026, amount=Decimal("10"))
    text = costs.year_csv(costs.year_statement(manager.user, 2026))
    assert "'=HYPERLINK" in text


def test_my_costs_show_my_own_shares(held_event, manager, owner, network):
    costs.cost_statement_publish(actor=manager, event=held_event, rule="equal")
    page = client_for(owner).get(reverse("members:my_costs")).content.decode()
    assert CostShare.objects.get(member=owner).reference in page
    assert CostShare.objects.get(member=manager).reference not in page
