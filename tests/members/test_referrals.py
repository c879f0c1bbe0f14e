"""Referrals between members: recorded by the giver, confirmed by the receiver; the flow and
each member's own balance."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gilde.members import selectors
from gilde.members.models import MemberTie, Referral, ReferralStatus
from gilde.members.services import referral_answer, referral_record
from tests.conftest import client_for


@pytest.fixture
def referral(owner, colleague):
    return referral_record(
        actor=owner, receiver=colleague, kind="assignment", description="Klus bij De Vries B.V."
    )


def test_a_recorded_referral_waits_for_the_receiver(referral, owner, colleague):
    assert referral.status == ReferralStatus.OPEN
    assert selectors.balance_of(colleague.user).to_confirm == 1
    assert selectors.balance_of(owner.user).awaiting == 1
    assert selectors.balance_of(owner.user).given == 0


def test_the_receiver_confirms_with_a_value_and_the_balances_follow(referral, owner, colleague):
    referral_answer(actor=colleague, referral=referral, confirmed=True, value=Decimal("1500"))
    mine, theirs = selectors.balance_of(owner.user), selectors.balance_of(colleague.user)
    assert (mine.given, mine.value_given) == (1, Decimal("1500"))
    assert (theirs.received, theirs.value_received) == (1, Decimal("1500"))
    assert MemberTie.objects.filter(member=colleague, other=owner).exists()


def test_only_the_receiver_may_confirm(referral, owner, manager):
    for someone in (owner, manager):
        with pytest.raises(PermissionDenied):
            referral_answer(actor=someone, referral=referral, confirmed=True)
    assert Referral.objects.get().status == ReferralStatus.OPEN


def test_a_referral_is_answered_once(referral, colleague):
    referral_answer(actor=colleague, referral=referral, confirmed=False)
    with pytest.raises(ValidationError):
        referral_answer(actor=colleague, referral=referral, confirmed=True)
    assert Referral.objects.get().status == ReferralStatus.DECLINED


def test_a_member_cannot_refer_to_themselves(owner):
    with pytest.raises(ValidationError):
        referral_record(actor=owner, receiver=owner, kind="help")
    assert not Referral.objects.exists()


def test_a_read_only_member_records_no_referral(reader, owner):
    with pytest.raises(PermissionDenied):
        referral_record(actor=reader, receiver=owner, kind="help")


def test_the_flow_counts_who_gives_to_whom_without_details(referral, owner, colleague, manager):
    referral_answer(actor=colleague, referral=referral, confirmed=True, value=Decimal("900"))
    flow = selectors.flow(manager.user)
    row = {r.member.pk: r for r in flow.rows}
    assert (row[owner.pk].given, row[colleague.pk].received) == (1, 1)
    assert row[owner.pk].reciprocity == 1 and row[colleague.pk].reciprocity == -1
    page = client_for(manager).get(reverse("members:flow")).content.decode()
    assert "De Vries" not in page and "900" not in page


def test_what_a_referral_was_about_is_seen_only_by_the_two(referral, owner, colleague, manager):
    assert "De Vries" in client_for(colleague).get(reverse("members:referrals")).content.decode()
    assert "De Vries" in client_for(owner).get(reverse("members:referrals")).content.decode()
    assert "De Vries" not in client_for(manager).get(reverse("members:referrals")).content.decode()
    assert (
        client_for(manager)
        .post(reverse("members:referral_confirm", args=[referral.pk]))
        .status_code
        == 404
    )


def test_confirming_on_the_page(referral, colleague):
    client = client_for(colleague)
    response = client.post(
        reverse("members:referral_confirm", args=[referral.pk]), {"value": "250.00"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CONFIRMED and referral.value == Decimal("250.00")


def test_a_negative_value_is_refused_on_the_page(referral, colleague):
    client_for(colleague).post(
        reverse("members:referral_confirm", args=[referral.pk]), {"value": "-5"}
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.OPEN


def test_recording_on_the_page(owner_client, colleague):
    response = owner_client.post(
        reverse("members:referrals"),
        {
            "receiver": colleague.pk,
            "kind": "introduction",
            "occurred_on": "2026-11-02",
            "description": "Voorgesteld aan de wethouder",
        },
    )
    assert response.status_code == 302
    assert Referral.objects.get().receiver == colleague


def test_a_referral_in_the_future_is_refused_on_the_page(owner_client, colleague):
    page = owner_client.post(
        reverse("members:referrals"),
        {
            "receiver": colleague.pk,
            "kind": "help",
            "occurred_on": "2099-01-01",
        },
    )
    assert page.status_code == 200
    assert not Referral.objects.exists()
