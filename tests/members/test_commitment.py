"""Commitment per member and the coordinator's overview that flags a drop."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from gilde.events.models import EventStatus, Guest, GuestStatus
from gilde.members import selectors
from gilde.members.commitment import Activity, commitment_judge
from gilde.members.models import Application
from gilde.members.services import contribution_record, referral_answer, referral_record
from tests.conftest import client_for
from tests.factories import EventFactory, PersonFactory


def _meeting(days_ago: int, *present):
    start = timezone.now() - dt.timedelta(days=days_ago)
    event = EventFactory(
        starts_at=start, ends_at=start + dt.timedelta(hours=2), status=EventStatus.HELD
    )
    for member in present:
        Guest.objects.create(event=event, member=member, status=GuestStatus.ATTENDED)
    return event


def test_a_drop_in_attendance_is_flagged():
    assert commitment_judge(Activity(held=3, attended=0), Activity(held=9, attended=8)).dropping


def test_a_steady_member_is_not_flagged():
    judged = commitment_judge(Activity(held=3, attended=3), Activity(held=9, attended=8))
    assert not judged.dropping


def test_too_few_meetings_say_nothing():
    assert not commitment_judge(Activity(held=1, attended=0), Activity(held=9, attended=9)).dropping


def test_a_member_who_went_quiet_is_flagged():
    judged = commitment_judge(Activity(held=2, attended=0), Activity(held=0, referrals_given=3))
    assert judged.dropping and judged.reason == "silent"


def test_commitment_counts_meetings_referrals_introducees_and_contributions(
    owner, colleague, manager
):
    for days in (200, 150, 120):
        _meeting(days, owner, colleague)
    for days in (60, 30, 10):
        _meeting(days, colleague)
    _meeting(-5, owner)  # not held yet
    referral = referral_record(actor=owner, receiver=colleague, kind="help")
    referral_answer(actor=colleague, referral=referral, confirmed=True)
    contribution_record(actor=manager, member=owner, kind="hosting")
    Application.objects.create(
        first_name="Nieuw",
        last_name="Lid",
        email="n@example.nl",
        introduced_by=owner,
        consent_at=timezone.now(),
    )
    brought = _meeting(150)
    Guest.objects.create(
        event=brought, person=PersonFactory(), host=owner, status=GuestStatus.ATTENDED
    )
    rows = {c.member.pk: c for c in selectors.commitment(manager.user)}
    mine = rows[owner.pk]
    assert (mine.before.held, mine.before.attended, mine.before.introducees) == (4, 3, 1)
    assert (mine.recent.held, mine.recent.attended) == (3, 0)
    assert (mine.recent.referrals_given, mine.recent.contributions, mine.recent.introducees) == (
        1,
        1,
        1,
    )
    assert mine.judgement.dropping  # came to none of the last three
    assert not rows[colleague.pk].judgement.dropping


def test_the_overview_is_for_the_coordinator_only(owner, manager, network):
    _meeting(200, owner)
    assert client_for(owner).get(reverse("members:commitment_overview")).status_code == 403
    page = client_for(manager).get(reverse("members:commitment_overview"))
    assert page.status_code == 200


def test_the_overview_reads_a_fixed_number_of_queries(
    owner, colleague, manager, network, django_assert_max_num_queries
):
    for days in (200, 60, 10):
        _meeting(days, owner, colleague, manager)
    client = client_for(manager)
    client.get(reverse("members:commitment_overview"))
    with django_assert_max_num_queries(25):
        client.get(reverse("members:commitment_overview"))


def test_each_member_sees_their_own_commitment(owner, network):
    _meeting(20, owner)
    page = client_for(owner).get(reverse("members:commitment"))
    assert page.status_code == 200
    assert "1 / 1" in page.content.decode()
