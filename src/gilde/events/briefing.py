"""The host briefing: what a host colleague needs to know before the event about the guests
they receive. Per guest a short profile (organisation, job, tier, the last contact and what was
discussed, open follow-ups, the goodwill balance, passions), the meeting goals the host is
responsible for, whom to introduce to whom and why, and what not to bring up (conflicting
interests). Everything is read through the reader's visibility scope: a manager reading a
host's briefing sees what they may see, and the mailed briefing is read as the host."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from gilde import visibility
from gilde.accounts.models import Member
from gilde.contacts.models import ContactMoment, FollowUp
from gilde.events.guestlist import conflicts
from gilde.events.hosts import Introduction, introductions_for
from gilde.events.models import Event, Guest, GuestStatus, MeetingGoal, MeetingGoalKind
from gilde.goodwill.rules import Balance
from gilde.goodwill.selectors import balance_for
from gilde.relations.models import Person

# The places a host looks after: everyone on the list who has not said no.
HOSTED_STATUSES = (
    GuestStatus.PROPOSED, GuestStatus.INVITED, GuestStatus.ACCEPTED, GuestStatus.WAITLISTED,
    GuestStatus.ATTENDED,
)  # fmt: skip


@dataclass
class GuestProfile:
    guest: Guest
    person: Person
    organisation: str
    job: str
    tier: str
    last_contact: ContactMoment | None
    follow_ups: list[FollowUp]
    goodwill: Balance
    passions: list[str]


@dataclass
class Briefing:
    event: Event
    host: Member
    profiles: list[GuestProfile]
    goals: list[MeetingGoal]
    introductions: list[Introduction]
    conflicts: list[str] = field(default_factory=list)


def hosted_guests(*, user: Any, event: Event, host: Member) -> QuerySet[Guest]:
    """The relations on the list the host receives, as the user may see them."""
    return (
        visibility.guests(user)
        .filter(event=event, host=host, person__isnull=False, status__in=HOSTED_STATUSES)
        .select_related("person__tier")
        .order_by("person__sort_name", "id")
    )


def hosts(*, user: Any, event: Event) -> list[Member]:
    """The colleagues who host relations on the list, or have a meeting goal of their own."""
    ids = set(
        visibility.guests(user)
        .filter(event=event, host__isnull=False, status__in=HOSTED_STATUSES)
        .values_list("host_id", flat=True)
    ) | set(
        visibility.meeting_goals(user)
        .filter(event=event, member__isnull=False)
        .values_list("member_id", flat=True)
    )
    return list(Member.objects.filter(pk__in=ids).select_related("user"))


def host_goals(*, user: Any, event: Event, host: Member) -> QuerySet[MeetingGoal]:
    """The meeting goals a host is responsible for: their own, and those about a relation they
    receive (an introduction of one of their guests; a theme group one of their guests is in)."""
    mine = hosted_guests(user=user, event=event, host=host).values("person_id")
    themes = Person.tags.through.objects.filter(person_id__in=mine).values("tag_id")
    return (
        visibility.meeting_goals(user)
        .filter(event=event)
        .filter(
            Q(member=host)
            | Q(person_a__in=mine)
            | Q(person_b__in=mine)
            | Q(kind=MeetingGoalKind.THEME_GROUP, theme__in=themes)
        )
        .select_related("member__user", "person_a", "person_b", "theme", "record")
        .order_by("priority", "id")
    )


def _organisation_and_job(person: Person) -> tuple[str, str]:
    current = [a for a in person.affiliations.all() if a.is_current]
    if not current:
        return "", ""
    return current[0].organisation.name, current[0].role


def _last_contacts(user: Any, person_ids: list[int]) -> dict[int, ContactMoment]:
    """Each relation's latest contact moment the user may see."""
    found: dict[int, ContactMoment] = {}
    moments = (
        visibility.contact_moments(user)
        .filter(persons__in=person_ids)
        .prefetch_related("persons")
        .order_by("-occurred_at", "-id")
    )
    wanted = set(person_ids)
    for moment in moments[: 20 * max(1, len(person_ids))]:
        for person in moment.persons.all():
            if person.pk in wanted and person.pk not in found:
                found[person.pk] = moment
        if len(found) == len(wanted):
            break
    return found


def profiles(*, user: Any, guests: list[Guest]) -> list[GuestProfile]:
    person_ids = [g.person_id for g in guests if g.person_id]
    last = _last_contacts(user, person_ids)
    open_items: dict[int, list[FollowUp]] = {}
    for item in visibility.follow_ups(user).open().filter(person_id__in=person_ids):
        open_items.setdefault(item.person_id, []).append(item)  # type: ignore[arg-type]
    people = {
        p.pk: p
        for p in Person.objects.filter(pk__in=person_ids)
        .select_related("tier")
        .prefetch_related("affiliations__organisation")
    }
    result = []
    for guest in guests:
        person = people[guest.person_id]  # type: ignore[index]
        organisation, job = _organisation_and_job(person)
        result.append(
            GuestProfile(
                guest=guest,
                person=person,
                organisation=organisation,
                job=job,
                tier=str(person.tier) if person.tier else "",
                last_contact=last.get(person.pk),
                follow_ups=open_items.get(person.pk, []),
                goodwill=balance_for(user=user, subject=person),
                passions=Person.split_list(person.passions),
            )  # fmt: skip
        )
    return result


def briefing(*, user: Any, event: Event, host: Member) -> Briefing:
    """The host's briefing as the user may see it. Whom to introduce to whom is the host's
    ordered list (`hosts.introductions_for`): introductions of their guests and the theme groups
    among them, high priority first, the easiest first within a priority."""
    guests = list(hosted_guests(user=user, event=event, host=host))
    goals = list(host_goals(user=user, event=event, host=host))
    mine = {g.person_id for g in guests}
    warnings = [c.message for c in conflicts(user=user, event=event) if mine & set(c.persons)]
    return Briefing(
        event=event, host=host, profiles=profiles(user=user, guests=guests),
        goals=[g for g in goals if g.kind != MeetingGoalKind.INTRODUCTION],
        introductions=[
            intro for intro in introductions_for(host, event, user=user)
            if intro.kind != MeetingGoalKind.COLLEAGUE  # their own meetings are goals above
        ],  # fmt: skip
        conflicts=warnings,
    )  # fmt: skip
