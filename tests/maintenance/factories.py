"""Helpers for maintenance tests: contact history placed at a chosen moment in time."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gilde.accounts.models import Member
from gilde.contacts.models import ContactMoment
from gilde.maintenance.services import care_follow
from gilde.relations.models import Person
from tests.factories import ContactMomentFactory


def days_ago(days: float, now: dt.datetime | None = None) -> dt.datetime:
    """`days` ago at the same local time of day: whole days are calendar days, also across a
    change of summer time (in December, 74 days of 24 hours before 23:30 is 00:30 in September's
    summer time, a calendar day later)."""
    local = timezone.localtime(now or timezone.now()).replace(tzinfo=None)
    return timezone.make_aware(local - dt.timedelta(days=days))


def contact(
    person: Person | list[Person],
    member: Member | list[Member],
    *,
    days: float,
    kind: str = "call",
    refresh: bool = True,
) -> ContactMoment:
    """A contact moment `days` ago, with the derived figures brought up to date as the
    contact-moment services do."""
    persons = person if isinstance(person, list) else [person]
    members = member if isinstance(member, list) else [member]
    moment = ContactMomentFactory(
        occurred_at=days_ago(days), kind=kind, persons=persons, members=members
    )
    if refresh:
        care_follow(person_ids=[p.pk for p in persons])
    return moment
