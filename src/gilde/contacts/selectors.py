"""Reads for contact moments and follow-ups, scoped to the acting user."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf, TruncMonth
from django.utils import timezone

from gilde import visibility
from gilde.contacts.models import ContactMoment, FollowUp
from gilde.relations.models import Affiliation, Organisation, Person


def _with_participants(qs: QuerySet[ContactMoment]) -> QuerySet[ContactMoment]:
    from gilde.accounts.models import Member

    members = Prefetch("members", queryset=Member.objects.select_related("user"))
    # "autolog": where an automatically logged moment came from ("via e-mail"), in the same query.
    return qs.select_related("organisation", "autolog").prefetch_related(members, "persons")


def person_timeline(*, user: Any, person: Person) -> QuerySet[ContactMoment]:
    """Contact moments with this person, newest first."""
    return _with_participants(visibility.contact_moments(user).filter(persons=person))


def organisation_timeline(*, user: Any, organisation: Organisation) -> QuerySet[ContactMoment]:
    """Contact moments with the organisation or with anyone currently working there."""
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
    bounds = [_day_start(day) for day in starts] + [_day_start(starts[-1] + dt.timedelta(days=7))]
    if person is None:
        # The whole organisation (one count per week, each a range on the occurred_at index;
        # cheaper than grouping hundreds of thousands of rows by a local day, which SQLite
        # would do in a Python function per row) or one colleague.
        return tuple(visibility.contact_moment_counts(user, bounds, member_id=member_id))
    qs = visibility.contact_moments(user).order_by().filter(persons=person)
    if member_id is not None:
        qs = qs.filter(members=member_id)
    # One colleague or relation: few moments, read and folded into weeks here.
    times = qs.filter(occurred_at__gte=bounds[0], occurred_at__lt=bounds[-1]).values_list(
        "occurred_at", flat=True
    )
    counts = [0] * len(starts)
    for at in times:
        counts[bisect.bisect_right(bounds, at) - 1] += 1
    return tuple(counts)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# ---- signals -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignalFilters:
    """What the signals list can be narrowed by; empty values mean "no filter"."""

    q: str = ""
    sector: str = ""
    stakeholder_type: str = ""
    tag: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def _involved(filters: SignalFilters) -> tuple[QuerySet[Any], QuerySet[Any]] | None:
    """The ids of the persons and of the organisations that the sector, stakeholder type and
    tag filters point at, as subqueries (None when none of these filters is set). A person
    counts for a sector through a current job. The person side is answered from the link
    tables' indexes, never by scanning every person."""
    if not (filters.sector or filters.stakeholder_type or filters.tag):
        return None
    people: QuerySet[Any] | None = None
    orgs = Organisation.objects.all()

    def narrow(ids: QuerySet[Any]) -> QuerySet[Any]:
        return ids if people is None else ids.filter(person_id__in=people)

    if filters.sector:
        orgs = orgs.filter(sector=filters.sector)
        people = narrow(
            Affiliation.objects.current()
            .filter(organisation__sector=filters.sector)
            .values("person_id")
        )
    if filters.stakeholder_type:
        orgs = orgs.filter(stakeholder_types__code=filters.stakeholder_type)
        people = narrow(
            Person.stakeholder_types.through.objects.filter(
                stakeholdertype__code=filters.stakeholder_type
            ).values("person_id")
        )
    if filters.tag:
        orgs = orgs.filter(tags__name=filters.tag)
        people = narrow(
            Person.tags.through.objects.filter(tag__name=filters.tag).values("person_id")
        )
    assert people is not None
    return people, orgs.values("pk")


def signal_list(*, user: Any, filters: SignalFilters) -> QuerySet[ContactMoment]:
    """Contact moments in which a relation told us something about the market, newest first,
    searched in the signal text and narrowed by the sector, stakeholder type and tag of the
    persons or organisation involved, and by period."""
    qs = visibility.contact_moments(user).filter(signals__gt="")  # non-empty
    for word in filters.q.split()[:8]:
        qs = qs.filter(signals__icontains=word)
    if filters.since:
        qs = qs.filter(occurred_at__gte=_day_start(filters.since))
    if filters.until:
        qs = qs.filter(occurred_at__lt=_day_start(filters.until + dt.timedelta(days=1)))
    involved = _involved(filters)
    if involved is not None:
        people, orgs = involved
        # An IN list rather than a correlated EXISTS: the database builds the set of moment ids
        # once from the link table's person index instead of probing it per timeline row.
        with_person = ContactMoment.persons.through.objects.filter(person_id__in=people).values(
            "contactmoment_id"
        )
        qs = qs.filter(Q(pk__in=with_person) | Q(organisation_id__in=orgs))
    return qs.select_related("organisation").prefetch_related(
        Prefetch("persons", queryset=visibility.persons(user)),
        Prefetch("members", queryset=visibility.members(user).select_related("user")),
    )


def signals_per_sector_month(*, user: Any, starts: list[dt.date]) -> dict[str, tuple[int, ...]]:
    """Signals per sector per month beginning on `starts`: the sector of the moment's
    organisation, or else of the current job of a relation who took part ("" when neither has
    one). Only the contact moments the user may see are counted."""
    if not starts:
        return {}
    job_sector = (
        Affiliation.objects.current()
        .filter(person__contact_moments=OuterRef("pk"))
        .exclude(organisation__sector="")
        .order_by("pk")
        .values("organisation__sector")[:1]
    )
    rows = (
        visibility.contact_moments(user)
        .filter(signals__gt="", occurred_at__gte=_day_start(starts[0]))
        .order_by()
        .annotate(
            month=TruncMonth("occurred_at", tzinfo=timezone.get_current_timezone()),
            sector=Coalesce(
                NullIf("organisation__sector", Value("")), Subquery(job_sector), Value("")
            ),
        )
        .values("month", "sector")
        .annotate(n=Count("id"))
        .values_list("month", "sector", "n")
    )
    index = {(d.year, d.month): i for i, d in enumerate(starts)}
    found: dict[str, list[int]] = {}
    for month, sector, n in rows:
        i = index.get((month.year, month.month))
        if i is not None:
            found.setdefault(sector or "", [0] * len(starts))[i] += n
    return {sector: tuple(values) for sector, values in found.items()}
