"""A held dinner with hosts, meeting goals and guests who came, for the results tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from gilde.accounts.models import Member
from gilde.events.models import (
    ConflictPair,
    Event,
    Guest,
    GuestRole,
    GuestStatus,
    MeetingGoal,
    MeetingGoalKind,
    MeetingGoalPriority,
)
from gilde.relations.models import Person
from tests.factories import AffiliationFactory, EventFactory, PersonFactory


@dataclass
class Dinner:
    event: Event
    host: Member
    ann: Person
    bob: Person
    cas: Person
    places: dict[str, Guest]
    colleague_goal: MeetingGoal
    introduction: MeetingGoal
    low_goal: MeetingGoal


def dinner(organiser: Member, host: Member, *, days: float = -1) -> Dinner:
    """A dinner `days` from now, organised by `organiser`; `host` receives Ann and Bob."""
    start = timezone.now() + dt.timedelta(days=days)
    event = EventFactory(
        title="Diner energietransitie",
        kind="dinner",
        organisers=[organiser],
        created_by=organiser,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        status="held" if days < 0 else "published",
    )
    ann = PersonFactory(
        given_name="Ann", tussenvoegsel="", family_name="Aalders", passions="zeilen, jazz"
    )
    bob = PersonFactory(given_name="Bob", tussenvoegsel="", family_name="Bakker")
    cas = PersonFactory(given_name="Cas", tussenvoegsel="", family_name="Claes")
    AffiliationFactory(person=ann, role="Directeur", organisation__name="Windkracht B.V.")
    status = GuestStatus.ATTENDED if days < 0 else GuestStatus.ACCEPTED
    places = {
        "host": Guest.objects.create(event=event, member=host, role=GuestRole.HOST, status=status),
        "ann": Guest.objects.create(event=event, person=ann, host=host, status=status),
        "bob": Guest.objects.create(event=event, person=bob, host=host, status=status),
        "cas": Guest.objects.create(
            event=event,
            person=cas,
            status=GuestStatus.NO_SHOW if days < 0 else GuestStatus.DECLINED,
        ),
    }
    colleague_goal = MeetingGoal.objects.create(
        event=event,
        kind=MeetingGoalKind.COLLEAGUE,
        member=host,
        person_a=ann,
        priority=MeetingGoalPriority.HIGH,
        reason="Nieuwe aanbesteding",
    )
    introduction = MeetingGoal.objects.create(
        event=event,
        kind=MeetingGoalKind.INTRODUCTION,
        person_a=ann,
        person_b=bob,
        priority=MeetingGoalPriority.HIGH,
        reason="Beiden bezig met waterstof",
    )
    low_goal = MeetingGoal.objects.create(
        event=event,
        kind=MeetingGoalKind.COLLEAGUE,
        member=host,
        person_a=bob,
        priority=MeetingGoalPriority.LOW,
    )
    first, second = sorted([bob, cas], key=lambda p: p.pk)
    ConflictPair.objects.create(person_a=first, person_b=second, reason="Rechtszaak over de haven")
    places["cas"].status = GuestStatus.ACCEPTED if days >= 0 else GuestStatus.NO_SHOW
    places["cas"].save()
    return Dinner(event, host, ann, bob, cas, places, colleague_goal, introduction, low_goal)
