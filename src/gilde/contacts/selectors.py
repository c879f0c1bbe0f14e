"""Reads for contact moments and follow-ups, scoped to the acting user."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import Count, F, Prefetch, QuerySet, Value
from django.db.models.functions import TruncDate
from django.utils import timezone

from gilde import visibility
from gilde.contacts.models import ContactMoment, FollowUp
from gilde.relations.models import Organisation, Person


def _with_participants(qs: QuerySet[ContactMoment]) -> QuerySet[ContactMoment]:
    from gilde.accounts.models import Member

    members = Prefetch("members", queryset=Member.objects.select_related("user"))
    return qs.select_related("organisation").prefetch_related(members, "persons")


def person_timeline(*, user: Any, person: Person) -> QuerySet[ContactMoment]:
    """Contact moments with this person, newest first."""
    return _with_participants(visibility.contact_moments(user).filter(persons=person))


def organisation_timeline(*, user: Any, organisation: Organisation) -> QuerySet[ContactMoment]:
    """Contact moments with the organisation or with anyone currently working there."""
    from gilde.relations.models import Affiliation

    # Two indexed lookups joined in Python: as one query with OR and DISTINCT, both databases
    # scan the whole history (seconds at a million contact moments) to count the timeline.
    people = Affiliation.objects.current().filter(organisation=organisation).values("person_id")
    ids = set(ContactMoment.objects.filter(organisation=organisation).values_list("pk", flat=True))
    ids.update(
        ContactMoment.persons.through.objects.filter(person_id__in=people).values_list(
            "contactmoment_id", flat=True
        )
    )
    return _with_participants(visibility.contact_moments(user).filter(pk__id_in=sorted(ids)))


def recent_contact_moments(*, user: Any, member_id: int | None = None) -> QuerySet[ContactMoment]:
    qs = visibility.contact_moments(user)
    if member_id is not None:
        # The member's own moments (one or two thousand) come from the link table's index and
        # the newest are picked from those. Ordered by the indexed column itself, PostgreSQL
        # walks the whole timeline backwards looking for theirs instead (ten times slower);
        # SQLite starts from the link table either way.
        theirs = ContactMoment.members.through.objects.filter(member_id=member_id)
        qs = qs.filter(pk__in=theirs.values("contactmoment_id"))
        if connection.vendor == "postgresql":
            qs = qs.order_by((F("occurred_at") + Value(dt.timedelta(0))).desc(), "-id")
    return _with_participants(qs)


def contact_moment_get(*, user: Any, pk: int) -> ContactMoment:
    return _with_participants(visibility.contact_moments(user)).get(pk=pk)


def open_follow_ups(*, user: Any, owner_id: int | None = None) -> QuerySet[FollowUp]:
    qs = visibility.follow_ups(user).open()
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    return qs.select_related("person", "owner__user")


def person_follow_ups(*, user: Any, person: Person) -> QuerySet[FollowUp]:
    return visibility.follow_ups(user).filter(person=person).select_related("owner__user")


def contacts_per_week(
    *, user: Any, starts: list[dt.date], member_id: int | None = None, person: Person | None = None
) -> tuple[int, ...]:
    """How many contact moments the user may see fell in each week beginning on `starts`
    (Mondays, oldest first), for everyone, one colleague or one relation."""
    if not starts:
        return ()
    qs = visibility.contact_moments(user).filter(
        occurred_at__gte=timezone.make_aware(dt.datetime.combine(starts[0], dt.time.min))
    )
    if member_id is not None:
        qs = qs.filter(members=member_id)
    if person is not None:
        qs = qs.filter(persons=person)
    # Counted per local day in the database; the days are folded into weeks here, the same way
    # on SQLite and PostgreSQL.
    per_day = (
        qs.order_by()
        .annotate(day=TruncDate("occurred_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("id", distinct=True))
        .values_list("day", "n")
    )
    index = {start: i for i, start in enumerate(starts)}
    counts = [0] * len(starts)
    for day, n in per_day:
        i = index.get(day - dt.timedelta(days=day.weekday()))
        if i is not None:
            counts[i] += n
    return tuple(counts)
