"""Events to invite to: a published event with relations on its list, each with an address."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gilde.accounts.models import Member
from gilde.events import services
from gilde.events.models import Event, EventStatus, Guest
from gilde.relations.models import EmailAddress, Person
from gilde.relations.services import person_reindex
from tests.factories import PersonFactory


def published_event(
    member: Member, *, capacity: int | None = None, days: int = 14, **fields: object
) -> Event:
    start = (timezone.now() + dt.timedelta(days=days)).replace(microsecond=0)
    values = {
        "title": "Netwerkborrel Haven",
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=3),
        "venue": "Loods 6",
        "address": "Havenstraat 6, Amsterdam",
        "capacity": capacity,
        "status": EventStatus.PUBLISHED,
    } | fields
    return services.event_create(member=member, **values)


def relation(
    family_name: str, *, email: str | None = "", language: str = "nl", given_name: str = "Anna"
) -> Person:
    person = PersonFactory(given_name=given_name, family_name=family_name, language=language)
    if email is not None:
        EmailAddress.objects.create(
            person=person, address=email or f"{family_name.lower()}@example.org"
        )
        person_reindex(person=person)
    return person


def guests_on(member: Member, event: Event, count: int, *, prefix: str = "Gast") -> list[Guest]:
    return [
        services.guest_add(member=member, event=event, person=relation(f"{prefix}{i}"))
        for i in range(count)
    ]
