"""The demo as a member network (`gilde demo --kind network`): an entrepreneurs' circle of 60
members with profiles, a year of fortnightly meetings and a monthly Open Coffee with attendance
and shared costs, referrals between members, contributions, fees and applications."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

from gilde.accounts.models import Member
from gilde.events.models import CostItem, Event, EventKind, EventStatus, Guest, GuestStatus
from gilde.members.costs import cost_statement_publish, membership_fees_set
from gilde.members.models import (
    Application,
    ApplicationStatus,
    Contribution,
    CostShare,
    MembershipFee,
    MemberTie,
    Network,
    NetworkKind,
    Profile,
    ProfileTag,
    Referral,
    ReferralStatus,
)
from gilde.members.network import kind_remember
from gilde.relations.models import Person

GOAL = (
    "Meer werk en meer talent in de regio Utrecht houden: samen maken we van de stad de beste "
    "plek om als zelfstandige te ondernemen."
)
OBJECTIVES = (
    "Elk jaar 200 doorverwijzingen tussen leden.\nTien nieuwe leden per jaar, via introducés.\n"
    "Twee keer per jaar een open bijeenkomst voor startende ondernemers."
)
EXPECTATIONS = (
    "Je komt naar minstens twee van de drie bijeenkomsten.\nJe gunt elkaar werk en zegt het eerlijk "
    "als een tip niets opleverde.\nWat in de kring gedeeld wordt, blijft in de kring."
)
PASSIONS = [
    "zeilen",
    "jazz",
    "wielrennen",
    "koken",
    "fotografie",
    "schaken",
    "tuinieren",
    "hardlopen",
    "klassieke muziek",
    "bergwandelen",
    "lezen",
    "golf",
    "duiken",
]
TALENTS = [
    "onderhandelen",
    "presenteren",
    "netwerken",
    "schrijven",
    "analyseren",
    "coachen",
    "verbinden",
    "organiseren",
    "luisteren",
]
OFFERS = [
    "boekhouding",
    "belastingaangifte",
    "websites",
    "fotografie",
    "juridisch advies",
    "arbeidsrecht",
    "vertalingen",
    "marketing",
    "subsidies",
    "interieurontwerp",
    "it-beheer",
    "verzekeringen",
    "coaching",
    "drukwerk",
    "catering",
    "video",
]
REGIONS = ["Utrecht", "Amersfoort", "Zeist", "Nieuwegein", "Houten", "De Bilt"]
ORGS = ["Bureau", "Studio", "Atelier", "Advies", "Groep", "Werkplaats"]


def build_member_network(
    *, seed: int = 1, now: dt.datetime | None = None, report: Callable[[str], None] | None = None
) -> dict[str, int]:
    """Turn the demo installation into a member network and fill a year of its life."""
    rng = random.Random(seed)
    now = now or timezone.now().replace(microsecond=0)
    report = report or (lambda message: None)
    Network.objects.update_or_create(
        pk=1,
        defaults={
            "kind": NetworkKind.MEMBERS,
            "kind_chosen_at": now,
            "name": "Ondernemerskring Utrecht",
            "goal": GOAL,
            "objectives": OBJECTIVES,
            "expectations": EXPECTATIONS,
            "how_to_join": "Kom eerst een keer kijken op een Open Coffee of een kringbijeenkomst.",
        },
    )
    kind_remember(NetworkKind.MEMBERS)
    members = list(Member.objects.select_related("user").order_by("pk"))
    coordinator = next(m for m in members if m.manages_network)
    _profiles(rng, members)
    report(f"{len(members)} member profiles")
    events = _meetings(rng, members, coordinator, now)
    report(f"{len(events)} meetings with attendance and shared costs")
    _coming_coffees(coordinator, now)
    referrals = _referrals(rng, members, now)
    report(f"{referrals} referrals between members")
    _applications(rng, members, coordinator, now)
    membership_fees_set(actor=coordinator, year=now.year, amount=Decimal("240"))
    paid = [f.pk for f in MembershipFee.objects.order_by("pk") if rng.random() < 0.8]
    MembershipFee.objects.filter(pk__in=paid).update(paid_on=now.date().replace(month=1, day=31))
    report("applications and membership fees")
    return {"members": len(members), "events": len(events), "referrals": referrals}


def _profiles(rng: random.Random, members: list[Member]) -> None:
    profiles, tags = [], []
    for member in members:
        offers = rng.sample(OFFERS, 2)
        profile = Profile(
            member=member,
            organisation=f"{rng.choice(ORGS)} {member.user.last_name}",
            work=f"Zelfstandig in {offers[0]} en {offers[1]}.",
            region=rng.choice(REGIONS),
            languages=rng.choice(["Nederlands, Engels", "Nederlands", "Nederlands, Duits"]),
        )
        profiles.append(profile)
    Profile.objects.bulk_create(profiles)
    for profile in Profile.objects.order_by("pk"):
        picks = {
            "passion": rng.sample(PASSIONS, 2),
            "talent": rng.sample(TALENTS, 2),
            "offers": rng.sample(OFFERS, 2),
            "seeks": rng.sample(OFFERS, 1),
        }
        for aspect, labels in picks.items():
            tags += [ProfileTag(profile=profile, aspect=aspect, label=x, key=x) for x in labels]
    ProfileTag.objects.bulk_create(tags)
    ties = set()
    for member in members:
        for other in rng.sample(members, 6):
            if other.pk != member.pk:
                ties.add((member.pk, other.pk))
    MemberTie.objects.bulk_create(
        [MemberTie(member_id=a, other_id=b, how_met="Kringbijeenkomst") for a, b in ties]
    )


def _coming_coffees(coordinator: Member, now: dt.datetime) -> None:
    """The next three monthly Open Coffees, planned and published (their door links and QR codes
    are on the drop-in page)."""
    first = (now + dt.timedelta(days=7)).replace(hour=8, minute=30, second=0, microsecond=0)
    for i in range(3):
        when = first + dt.timedelta(days=28 * i)
        Event.objects.create(
            kind=EventKind.OPEN_COFFEE,
            title="Open Coffee",
            starts_at=when,
            ends_at=when + dt.timedelta(hours=1),
            venue="Café De Rode Draad",
            status=EventStatus.PUBLISHED,
            created_by=coordinator,
        )


def _meetings(
    rng: random.Random, members: list[Member], coordinator: Member, now: dt.datetime
) -> list[Event]:
    """A kring meeting every other Thursday and an Open Coffee each month, for the past year;
    some members come less in the last quarter (the commitment overview flags them)."""
    keen = {m.pk: rng.uniform(0.55, 0.95) for m in members}
    fading = {m.pk for m in rng.sample(members, 5)}
    visitors = list(Person.objects.order_by("pk").values_list("pk", flat=True)[:80])
    events, start = [], (now - dt.timedelta(days=364)).replace(hour=17, minute=30, second=0)
    schedule = [(start + dt.timedelta(days=14 * i), EventKind.NETWORK_MEETING) for i in range(26)]
    schedule += [
        (start + dt.timedelta(days=30 * i + 5, hours=-9), EventKind.OPEN_COFFEE) for i in range(12)
    ]
    for when, kind in sorted(schedule):
        if when >= now:
            continue
        coffee = kind == EventKind.OPEN_COFFEE
        event = Event.objects.create(
            kind=kind,
            title="Open Coffee" if coffee else "Kringbijeenkomst",
            starts_at=when,
            ends_at=when + dt.timedelta(hours=1 if coffee else 3),
            venue="Café De Rode Draad" if coffee else "Het Zuiderhuis",
            status=EventStatus.HELD,
            created_by=coordinator,
        )
        events.append(event)
        recent = when > now - dt.timedelta(days=91)
        guests = []
        for member in members:
            chance = keen[member.pk] * (0.15 if recent and member.pk in fading else 1)
            if rng.random() < chance:
                guests.append(
                    Guest(
                        event=event, member=member, status=GuestStatus.ATTENDED, checked_in_at=when
                    )
                )
        for person in rng.sample(visitors, 2 if not coffee else 4):
            guests.append(
                Guest(
                    event=event,
                    person_id=person,
                    status=GuestStatus.ATTENDED,
                    host=rng.choice(members),
                    checked_in_at=when,
                )
            )
        Guest.objects.bulk_create(guests)
        if not coffee:
            CostItem.objects.create(
                event=event,
                category="venue",
                description="Zaalhuur",
                planned=350,
                actual=Decimal("350"),
            )
            CostItem.objects.create(
                event=event,
                category="catering",
                description="Borrel",
                planned=400,
                actual=Decimal(rng.randint(300, 480)),
            )
            cost_statement_publish(
                actor=coordinator, event=event, rule=rng.choice(["equal", "per_type"])
            )
            if when < now - dt.timedelta(days=30):
                CostShare.objects.filter(statement__event=event).update(
                    paid_on=(when + dt.timedelta(days=10)).date()
                )
        host = rng.choice(members)
        Contribution.objects.create(
            member=host,
            kind="hosting" if coffee else "speaking",
            event=event,
            occurred_on=when.date(),
        )
    return events


def _referrals(rng: random.Random, members: list[Member], now: dt.datetime) -> int:
    kinds = ["introduction", "assignment", "information", "help"]
    rows = []
    for _ in range(260):
        giver, receiver = rng.sample(members, 2)
        day = (now - dt.timedelta(days=rng.randint(0, 360))).date()
        status = rng.choices(
            [ReferralStatus.CONFIRMED, ReferralStatus.OPEN, ReferralStatus.DECLINED], [85, 10, 5]
        )[0]
        value = (
            Decimal(rng.choice([250, 500, 1200, 3000, 8000]))
            if status == ReferralStatus.CONFIRMED and rng.random() < 0.4
            else None
        )
        rows.append(
            Referral(
                giver=giver,
                receiver=receiver,
                kind=rng.choice(kinds),
                occurred_on=day,
                status=status,
                value=value,
                description="Tip doorgegeven na de kringbijeenkomst",
            )
        )
    Referral.objects.bulk_create(rows)
    return len(rows)


def _applications(
    rng: random.Random, members: list[Member], coordinator: Member, now: dt.datetime
) -> None:
    names = [
        ("Fleur", "de Wit"),
        ("Bram", "Jansen"),
        ("Noor", "van Dijk"),
        ("Sem", "Bakker"),
        ("Lotte", "Visser"),
        ("Daan", "Smit"),
        ("Iris", "Meijer"),
        ("Ruben", "de Boer"),
        ("Eva", "Mulder"),
        ("Thijs", "de Groot"),
        ("Sanne", "Bos"),
        ("Lars", "Vos"),
    ]
    statuses = [
        ApplicationStatus.APPLIED,
        ApplicationStatus.APPLIED,
        ApplicationStatus.TALK,
        ApplicationStatus.TALK,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WELCOMED,
    ]
    for i, (first, last) in enumerate(names):
        status = statuses[i % len(statuses)]
        Application.objects.create(
            kind="visit" if status == ApplicationStatus.WELCOMED else "join",
            first_name=first,
            last_name=last,
            email=f"{first.lower()}@voorbeeld.nl",
            organisation=f"{rng.choice(ORGS)} {last}",
            motivation="Meer opdrachten in de regio.",
            introduced_by=rng.choice(members) if i % 2 else None,
            status=status,
            consent_at=now - dt.timedelta(days=5 * i),
            talk_on=(now - dt.timedelta(days=i)).date()
            if status != ApplicationStatus.APPLIED
            else None,
            decided_at=now - dt.timedelta(days=i)
            if status in (ApplicationStatus.REJECTED, ApplicationStatus.WELCOMED)
            else None,
            decided_by=coordinator if status != ApplicationStatus.APPLIED else None,
        )
