"""Demo events: two years of past networking events with a believable turnout history, and one
upcoming event whose guest list is being built, so every event page has something to show.

Turnout follows people, not only tiers: each relation has an inclination to accept and to show
up, drawn around their tier's (key relations come more often), and the regulars of the
organisation's events are invited again and again. That is what makes a relation's own record
worth more than their tier's rate, and what the turnout benchmark measures. Read from the rows
already stored, with a random stream of its own, so the step gives the same result in a build
or afterwards on a network built before it existed."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from gilde.accounts.models import Member
from gilde.events.models import (
    ConflictPair,
    CostItem,
    Event,
    EventKind,
    EventStatus,
    Guest,
    GuestRole,
    GuestStatus,
    GuestStatusChange,
    IntroductionRequest,
    MeetingGoal,
    MeetingGoalKind,
    MeetingGoalPriority,
    MeetingGoalSource,
    ProgrammeItem,
    SurveyAnswer,
)
from gilde.relations.models import OrganisationLink, Person, Tag

# Mean inclination per tier to accept an invitation, and to come once accepted.
ACCEPT_MEAN = {"A": 0.62, "B": 0.5, "C": 0.38, "D": 0.25}
SHOW_MEAN = {"A": 0.85, "B": 0.78, "C": 0.72, "D": 0.65}
# How strongly people differ within a tier (a beta distribution's weight: lower, more spread).
SPREAD = 2.5
TIER_INVITE_WEIGHT = {"A": 6.0, "B": 3.0, "C": 1.0, "D": 0.3}

PAST = (
    (EventKind.NETWORK_MEETING, "Netwerkbijeenkomst {season}", 1.0),
    (EventKind.RECEPTION, "Nieuwjaarsreceptie {year}", 1.3),
    (EventKind.DINNER, "Relatiediner {season}", 0.4),
    (EventKind.SEMINAR, "Kennissessie {theme}", 0.8),
    (EventKind.SECTOR_MEETING, "Sectortafel {theme}", 0.6),
    (EventKind.OPEN_COFFEE, "Open Coffee {season}", 0.5),
    (EventKind.HERRING_PARTY, "Haringparty {year}", 1.2),
)
SEASONS = ("voorjaar", "zomer", "najaar", "winter")


@dataclass(frozen=True)
class Scale:
    past_events: int
    list_size: int
    pool: int


SCALES = {"small": Scale(8, 30, 90), "medium": Scale(18, 70, 320), "large": Scale(30, 160, 1200)}


def _scale(persons: int) -> Scale:
    if persons >= 50_000:
        return SCALES["large"]
    return SCALES["medium"] if persons >= 1_000 else SCALES["small"]


# Favours with one relation in the whole history, at most: the referrals after events are left out
# for a relation that has as many already.
FAVOURS_AT_MOST = 5


def _beta(rng: random.Random, mean: float) -> float:
    return rng.betavariate(mean * SPREAD, (1 - mean) * SPREAD)


class EventsBuilder:
    def __init__(self, seed: int, now: dt.datetime, report: Callable[[str], None]) -> None:
        self.rng = random.Random(f"events-{seed}")
        self.now = now
        self.report = report
        self.tiers = dict(
            Person.objects.filter(tier__isnull=False).order_by("pk").values_list("pk", "tier__code")
        )
        self.members = list(Member.objects.exclude(role="read_only").order_by("pk"))
        self.tags = list(Tag.objects.order_by("pk"))
        self.scale = _scale(len(self.tiers))
        self.inclination: dict[int, tuple[float, float]] = {}

    def _person_inclination(self, pid: int) -> tuple[float, float]:
        if pid not in self.inclination:
            tier = self.tiers[pid]
            self.inclination[pid] = (
                _beta(self.rng, ACCEPT_MEAN[tier]),
                _beta(self.rng, SHOW_MEAN[tier]),
            )
        return self.inclination[pid]

    def arrivals(self) -> None:
        """The relations did not all join today: added over the three years of history, a few of
        them in the last weeks (the new relations an event welcomes)."""
        Person.objects.update(created_at=self.now - dt.timedelta(days=3 * 365))
        ids = sorted(self.tiers)
        recent = self.rng.sample(ids, k=max(1, len(ids) // 150))
        for pid in recent:
            days = self.rng.randint(3, 80)
            Person.objects.filter(pk=pid).update(created_at=self.now - dt.timedelta(days=days))

    def pool(self) -> list[int]:
        """The relations the organisation invites to its events (not everyone, and key relations
        far more often), in a fixed order."""
        ids = sorted(
            pid for pid, tier in self.tiers.items() if tier != "D" or self.rng.random() < 0.05
        )
        weights = [TIER_INVITE_WEIGHT[self.tiers[pid]] for pid in ids]
        chosen: set[int] = set()
        while len(chosen) < min(self.scale.pool, len(ids)):
            chosen.update(self.rng.choices(ids, weights, k=self.scale.pool - len(chosen)))
        return sorted(chosen)

    def _event(self, index: int, starts: dt.datetime, status: str) -> Event:
        kind, title, _share = PAST[index % len(PAST)]
        theme = self.tags[index % len(self.tags)] if self.tags else None
        name = title.format(
            season=SEASONS[(starts.month % 12) // 3],
            year=starts.year,
            theme=theme.name if theme else "netwerk",
        )
        hours = 4 if kind == EventKind.DINNER else 3
        event = Event.objects.create(
            kind=kind,
            title=name,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=hours),
            venue=self.rng.choice(("De Fabriek", "Hotel de Wereld", "Loods 5", "Het Pakhuis")),
            address="Havenstraat 12, Utrecht",
            capacity=self.scale.list_size // 2 + 10,
            objective="Relaties verbinden rond de thema's van dit jaar.",
            status=status,
            rsvp_deadline=starts - dt.timedelta(days=5),
            created_by=self.members[0] if self.members else None,
        )
        if theme:
            event.themes.add(theme)
        organisers = self.rng.sample(self.members, k=min(2, len(self.members)))
        event.organisers.set(organisers)
        self._programme(event)
        CostItem.objects.create(
            event=event,
            category="venue",
            description="Zaalhuur",
            planned=1500,
            actual=1500 if status != EventStatus.PUBLISHED else None,
        )
        CostItem.objects.create(
            event=event,
            category="catering",
            description="Hapjes en drankjes",
            planned=25 * self.scale.list_size // 2,
        )
        return event

    def _programme(self, event: Event) -> None:
        start = event.starts_at
        items = (
            (30, "networking", "Ontvangst"),
            (30, "speaker", "Welkomstwoord en spreker"),
            (90, "networking", "Netwerken"),
            (30, "break", "Afsluitende borrel"),
        )
        for minutes, kind, title in items:
            ProgrammeItem.objects.create(
                event=event, starts_at=start, duration_minutes=minutes, kind=kind, title=title
            )
            start += dt.timedelta(minutes=minutes)

    def _hosts(self, event: Event, status: str) -> list[Member]:
        hosts = list(event.organisers.order_by("pk"))
        for member in hosts:
            Guest.objects.create(
                event=event, member=member, role=GuestRole.HOST, status=status, reason="Organisator"
            )
        return hosts

    def past(self, pool: list[int]) -> int:
        """Past events over two years, every guest's way to the end with its times."""
        count = 0
        for index in range(self.scale.past_events):
            days_ago = 20 + (index + 1) * 700 // self.scale.past_events
            starts = (self.now - dt.timedelta(days=days_ago)).replace(hour=16, minute=0, second=0)
            event = self._event(index, starts, EventStatus.HELD)
            hosts = self._hosts(event, GuestStatus.ATTENDED)
            size = int(self.scale.list_size * self.rng.uniform(0.7, 1.2))
            invited = self.rng.sample(pool, k=min(size, len(pool)))
            count += self._guests(event, invited, hosts)
        return count

    def _guests(self, event: Event, invited: list[int], hosts: list[Member]) -> int:
        guests: list[tuple[Guest, list[tuple[str, dt.datetime]]]] = []
        changes: list[GuestStatusChange] = []
        proposed_at = event.starts_at - dt.timedelta(days=30)
        invited_at = event.starts_at - dt.timedelta(days=21)
        for pid in invited:
            accept, show = self._person_inclination(pid)
            path: list[tuple[str, dt.datetime]] = [
                (GuestStatus.PROPOSED, proposed_at),
                (GuestStatus.INVITED, invited_at),
            ]
            answered = invited_at + dt.timedelta(hours=self.rng.uniform(2, 400))
            if self.rng.random() < accept:
                path.append((GuestStatus.ACCEPTED, answered))
                came = self.rng.random() < show
                path.append(
                    (GuestStatus.ATTENDED if came else GuestStatus.NO_SHOW, event.starts_at)
                )
            elif self.rng.random() < 0.6:
                path.append((GuestStatus.DECLINED, answered))
            else:
                path.append((GuestStatus.NO_ANSWER, event.starts_at - dt.timedelta(days=5)))
            status, at = path[-1]
            guest = Guest(
                event=event,
                person_id=pid,
                status=status,
                status_changed_at=at,
                invited_at=invited_at,
                responded_at=answered if len(path) > 2 else None,
                host=self.rng.choice(hosts) if hosts and self.rng.random() < 0.5 else None,
                reason="Vaste gast",
                checked_in_at=event.starts_at if status == GuestStatus.ATTENDED else None,
            )
            guests.append((guest, path))
        Guest.objects.bulk_create([g for g, _path in guests])
        for guest, path in guests:
            changes.extend(GuestStatusChange(guest=guest, status=s, at=at) for s, at in path)
        GuestStatusChange.objects.bulk_create(changes)
        return len(guests)

    def upcoming(self, pool: list[int]) -> Event:
        """One event in three weeks: published, its list half built (some invited, a few answers)."""
        starts = (self.now + dt.timedelta(days=21)).replace(hour=16, minute=0, second=0)
        event = self._event(0, starts, EventStatus.PUBLISHED)
        event.themes.add(*self.tags[:2])
        hosts = self._hosts(event, GuestStatus.ACCEPTED)
        chosen = self.rng.sample(pool, k=min(self.scale.list_size // 2, len(pool)))
        guests = []
        for i, pid in enumerate(chosen):
            status = (
                GuestStatus.ACCEPTED,
                GuestStatus.INVITED,
                GuestStatus.DECLINED,
                GuestStatus.PROPOSED,
            )[i % 4]
            invited_at = None if status == GuestStatus.PROPOSED else self.now - dt.timedelta(days=3)
            guests.append(
                Guest(
                    event=event,
                    person_id=pid,
                    status=status,
                    invited_at=invited_at,
                    host=hosts[i % len(hosts)] if hosts and i % 3 == 0 else None,
                    reason="Vaste gast",
                    status_changed_at=self.now,
                )
            )
        Guest.objects.bulk_create(guests)
        changes = [GuestStatusChange(guest=g, status=g.status, at=self.now) for g in guests]
        GuestStatusChange.objects.bulk_create(changes)
        return event

    def dinner_with_results(self, pool: list[int]) -> Event:
        """A relation dinner twelve days ago, measured: hosts with their guests, meeting goals
        logged as met or not by the hosts on the night (through the same service as the phone
        screen, so they are contact moments, new ties and follow-ups), survey answers, and a few
        favours and signals since."""
        starts = (self.now - dt.timedelta(days=12)).replace(hour=18, minute=30, second=0)
        event = self._event(2, starts, EventStatus.EVALUATED)
        event.title = f"Relatiediner {starts.year}: waterstof en warmte"
        event.save(update_fields=["title"])
        hosts = self._hosts(event, GuestStatus.ATTENDED)
        hosts += [m for m in self.members[2:4] if m not in hosts]
        for member in hosts[len(event.organisers.all()) :]:
            Guest.objects.create(
                event=event,
                member=member,
                role=GuestRole.HOST,
                status=GuestStatus.ATTENDED,
                reason="Gastheer",
            )
        invited = self.rng.sample(pool, k=min(24, len(pool)))
        self._guests(event, invited, hosts)
        came = list(
            event.guests.filter(person__isnull=False, status=GuestStatus.ATTENDED).order_by("pk")
        )
        for index, guest in enumerate(came):
            guest.host = hosts[index % len(hosts)]
            guest.save(update_fields=["host"])
        self._goals(event, came, hosts)
        self._seating(event, hosts)
        self._survey(came)
        self._after(event, came)
        return event

    def _goals(self, event: Event, came: list[Guest], hosts: list[Member]) -> None:
        from gilde.events import results

        goals: list[tuple[MeetingGoal, Member]] = []
        for index, guest in enumerate(came[: 2 * len(hosts)]):
            host = guest.host or hosts[0]
            priority = MeetingGoalPriority.HIGH if index % 2 == 0 else MeetingGoalPriority.NORMAL
            goals.append(
                (
                    MeetingGoal.objects.create(
                        event=event,
                        kind=MeetingGoalKind.COLLEAGUE,
                        member=host,
                        person_a=guest.person,
                        priority=priority,
                        reason="Kennismaken met de nieuwe directie",
                        source=MeetingGoalSource.HAND,
                        asked_by=host,
                    ),
                    host,
                )
            )
        rest = came[2 * len(hosts) :]
        for first, second in zip(rest[0::2], rest[1::2], strict=False):
            goals.append(
                (
                    MeetingGoal.objects.create(
                        event=event,
                        kind=MeetingGoalKind.INTRODUCTION,
                        person_a=first.person,
                        person_b=second.person,
                        priority=MeetingGoalPriority.HIGH,
                        reason="Beiden werken aan warmtenetten",
                        source=MeetingGoalSource.SUGGESTION,
                    ),
                    first.host or hosts[0],
                )
            )
        for goal, host in goals:
            chance = 0.85 if goal.priority == MeetingGoalPriority.HIGH else 0.6
            met = self.rng.random() < chance
            results.meeting_log(
                member=host,
                goal=goal,
                host=host,
                met=met,
                note="Goed gesprek over samenwerking" if met else "Kwam er niet van",
                follow_up="Afspraak maken voor een vervolg"
                if met and self.rng.random() < 0.5
                else "",
            )

    def _seating(self, event: Event, hosts: list[Member]) -> None:
        """The table plan the dinner was seated by: tables of eight (a host at each, at most),
        the plan made by the engine two days before (a fixed number of steps, so the same plan
        every build) and kept as checked by its checker."""
        from gilde.events.models import SeatingPlan, SeatingTable, TableShape
        from gilde.events.pairvalues import seating_instance
        from gilde.events.seating_plan import seating_plan_make_now

        seated = len(seating_instance(event).guests)
        count = max(len(hosts), -(-seated // 8))
        capacity = -(-seated // count) + 1
        SeatingTable.objects.bulk_create(
            SeatingTable(event=event, number=n, capacity=capacity, shape=TableShape.ROUND)
            for n in range(1, count + 1)
        )
        plan = seating_plan_make_now(
            event=event, time_limit=5.0, made_by=hosts[0], max_iterations=20_000
        )
        made = event.starts_at - dt.timedelta(days=2)
        SeatingPlan.objects.filter(pk=plan.pk).update(created_at=made, cards_printed_at=made)

    def _survey(self, came: list[Guest]) -> None:
        for guest in came:
            if self.rng.random() > 0.6:
                continue
            pleased = self.rng.random()
            SurveyAnswer.objects.create(
                guest=guest,
                rating=4 if pleased < 0.6 else (5 if pleased < 0.85 else 3),
                met_hoped="yes" if pleased < 0.65 else ("partly" if pleased < 0.9 else "no"),
                nps=min(10, int(6 + pleased * 5)) if pleased < 0.9 else 5,
                met_who="De directeur van het warmtebedrijf" if pleased < 0.3 else "",
            )

    def _after(self, event: Event, came: list[Guest]) -> None:
        """What came of it in the days since: favours and market signals."""
        from gilde.contacts.models import ContactMoment
        from gilde.goodwill.models import Favour

        day = timezone.localdate(event.starts_at)
        for guest in came[:3]:
            if Favour.objects.filter(person=guest.person).count() >= FAVOURS_AT_MOST:
                continue  # a relation has a few favours, not a ledger
            Favour.objects.create(
                member=guest.host or self.members[0],
                person=guest.person,
                direction="received",
                kind="referral",
                occurred_on=day + dt.timedelta(days=5),
                note="Doorverwezen naar een collega",
            )
        call_day = day + dt.timedelta(days=4)
        while call_day.weekday() >= 5:  # a call back on a working day, in working hours
            call_day += dt.timedelta(days=1)
        called_at = timezone.make_aware(dt.datetime.combine(call_day, dt.time(10, 30)))
        for guest in came[3:5]:
            moment = ContactMoment.objects.create(
                occurred_at=called_at,
                kind="call",
                summary="Nagebeld na het diner",
                signals="Plant een nieuwe vestiging in Utrecht",
                created_by=guest.host,
            )
            moment.persons.set([guest.person])  # type: ignore[list-item]
            if guest.host:
                moment.members.set([guest.host])

    def wishes_and_conflicts(self, pool: list[int]) -> None:
        """A few colleagues asked to meet relations; two relations have a declared conflict; two
        organisations are in dispute."""
        outside = [pid for pid in self.tiers if pid not in set(pool) and self.tiers[pid] in "AB"]
        for member, pid in zip(
            self.members[:4], self.rng.sample(outside, k=min(4, len(outside))), strict=False
        ):
            IntroductionRequest.objects.create(
                member=member,
                person_id=pid,
                note="Graag kennismaken",
                created_at=self.now - dt.timedelta(days=10),
            )
        if len(pool) >= 2:
            a, b = sorted(self.rng.sample(pool, k=2))
            ConflictPair.objects.get_or_create(
                person_a_id=a,
                person_b_id=b,
                defaults={"reason": "Lopend geschil over een aanbesteding"},
            )
        links = OrganisationLink.objects.filter(kind="competitor").order_by("pk")[:1]
        for link in links:
            OrganisationLink.objects.get_or_create(
                source_id=link.target_id,
                target_id=link.source_id,
                kind="dispute",
                defaults={"note": "Juridisch geschil"},
            )


@transaction.atomic
def build_events(
    *, seed: int = 1, now: dt.datetime | None = None, report: Callable[[str], None] | None = None
) -> dict[str, int]:
    """Add the demo events to the network in the database (once: nothing when events exist)."""
    report = report or (lambda message: None)
    if Event.objects.exists():
        return {"events": 0, "guests": 0}
    builder = EventsBuilder(seed, now or timezone.now().replace(microsecond=0), report)
    if not builder.tiers or not builder.members:
        return {"events": 0, "guests": 0}
    builder.arrivals()
    pool = builder.pool()
    guests = builder.past(pool)
    builder.upcoming(pool)
    builder.dinner_with_results(pool)
    builder.wishes_and_conflicts(pool)
    events = Event.objects.count()
    report(f"{events} events with {guests} past invitations")
    return {"events": events, "guests": guests}
