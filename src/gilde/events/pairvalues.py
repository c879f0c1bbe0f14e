"""From Gilde's data to the seating engine: who sits (accepted relations, their companions and the
host colleagues), what each pair at one table is worth and why, who must sit apart, who sits
together, and the tables. Everything is read in a fixed number of bulk queries, whatever the
number of guests.

Guests are `g<place id>` and companions `c<place id>` in the engine's instance; tables are
`t<table id>`. The weights are settings (docs/events.md, "Pair values")."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from gilde import visibility
from gilde.events.guestlist import OFF_LIST
from gilde.events.models import (
    SEATED_STATUSES,
    Event,
    Guest,
    HostSeatRequest,
    MeetingGoal,
    MeetingGoalKind,
    MeetingGoalPriority,
    SeatingTable,
)
from gilde.network.conflicts import APART, conflicting_pairs
from gilde.relations.models import Affiliation, Person, Tie

# Above this many guests sharing one passion or theme, sharing it says little about a pair (and
# would list every pair of a crowd).
CROWD = 60
# A theme group's value is given among at most this many of its guests.
THEME_GROUP_LIMIT = 120
STRONG_TIE = 4
PRIORITY_FACTOR = {
    MeetingGoalPriority.HIGH: 1.5,
    MeetingGoalPriority.NORMAL: 1.0,
    MeetingGoalPriority.LOW: 0.5,
}


@dataclass
class SeatedGuest:
    """One seat in the instance: a place on the list, or the companion a guest brings."""

    gid: str
    name: str
    place_id: int
    host: bool = False
    organisation: str = ""
    companion_of: str = ""
    host_name: str = ""


@dataclass
class GoalPairs:
    """A meeting goal as the guests it joins: met when `needed` of `gids` share a table."""

    goal_id: int
    label: str
    priority: int
    gids: list[str]
    needed: int = 2


@dataclass
class SeatingInstance:
    """The engine's instance (`data`) with what the page and the printables need besides:
    reasons per pair, the guests' names, the goals as guest ids, and the tables."""

    data: dict[str, Any]
    guests: dict[str, SeatedGuest]
    reasons: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    goals: list[GoalPairs] = field(default_factory=list)
    tables: dict[str, SeatingTable] = field(default_factory=dict)


def pair_key(a: str, b: str) -> str:
    return f"{a}|{b}" if a < b else f"{b}|{a}"


class _Pairs:
    """Pair values with their reasons, added up as they are found."""

    def __init__(self) -> None:
        self.value: dict[tuple[str, str], float] = defaultdict(float)
        self.why: dict[tuple[str, str], list[tuple[str, float]]] = defaultdict(list)

    def add(self, a: str, b: str, value: float, reason: str) -> None:
        if a == b or not value:
            return
        key = (a, b) if a < b else (b, a)
        self.value[key] += value
        self.why[key].append((reason, value))


def _places(event: Event, user: Any) -> QuerySet[Guest]:
    """Who takes a seat: relations who accepted (or came) and the colleagues on the list."""
    scope = visibility.guests(user) if user is not None else Guest.objects.all()
    relations = scope.filter(event=event, person__isnull=False, status__in=SEATED_STATUSES)
    colleagues = scope.filter(event=event, member__isnull=False).exclude(status__in=OFF_LIST)
    return (relations | colleagues).select_related("person", "member__user", "host__user")


def seating_instance(
    event: Event,
    *,
    user: Any = None,
    rounds: int = 1,
    hosts_per_table: int | None = 1,
    locked: list[tuple[str, int, str]] | None = None,
    saved: list[tuple[str, int, str]] | None = None,
) -> SeatingInstance:
    """Build the engine instance for an event from the database. With `user`, only the guests
    that user may see take part (a confidential guest changes nothing for another member).
    `locked` keeps guests at a table: (guest id, round from 1, table id). `saved` are the seats
    of a plan made before (same form): moving a guest away from one costs
    GILDE_SEATING_MOVE_PENALTY (guests and tables no longer there are left out)."""
    places = list(
        _places(event, user)
        .only(
            "id",
            "person_id",
            "member_id",
            "host_id",
            "companion_name",
            "status",
            "person__given_name",
            "person__initials",
            "person__tussenvoegsel",
            "person__family_name",
            "member__department",
            "member__user__username",
            "member__user__first_name",
            "member__user__last_name",
            "host__user__username",
            "host__user__first_name",
            "host__user__last_name",
        )
        .order_by("id")
    )
    tables = {f"t{t.pk}": t for t in SeatingTable.objects.filter(event=event)}
    guests: dict[str, SeatedGuest] = {}
    by_person: dict[int, str] = {}
    by_member: dict[int, str] = {}
    for place in places:
        gid = f"g{place.pk}"
        if place.person is not None:
            guests[gid] = SeatedGuest(
                gid,
                place.person.full_name,
                place.pk,
                host_name=place.host.name if place.host else "",
            )
            by_person[place.person.pk] = gid
        elif place.member is not None:
            guests[gid] = SeatedGuest(
                gid, place.member.name, place.pk, host=True, organisation=place.member.department
            )
            by_member[place.member.pk] = gid
    seated = _places(event, user).filter(person__isnull=False).values("person_id")
    facts = _PersonFacts(list(by_person), seated, event)
    for person_id, gid in by_person.items():
        guests[gid].organisation = facts.organisation_name.get(person_id, "")
    groups = _groups(places, guests, by_member)
    pairs = _Pairs()
    goals = _goal_pairs(event, pairs, guests, by_person, by_member, facts)
    _host_pairs(places, pairs, by_member)
    _shared_pairs(pairs, by_person, facts)
    apart = _conflicts(pairs, by_person, facts, user)
    _tie_adjustment(pairs, by_person, by_member, seated)
    seats = sum(t.capacity for t in tables.values())
    if tables and len(guests) > seats:
        raise ValidationError(
            _("%(n)d guests (companions included) but only %(seats)d seats at the tables.")
            % {"n": len(guests), "seats": seats}
        )
    data: dict[str, Any] = {
        "guests": [_guest_json(g, groups, facts, by_person) for g in guests.values()],
        "tables": [
            {"id": tid, "name": t.label, "capacity": t.capacity} for tid, t in tables.items()
        ],
        "rounds": rounds,
        "pairs": [
            {"a": a, "b": b, "value": round(v, 3)}
            for (a, b), v in sorted(pairs.value.items())
            if round(v, 3) != 0
        ],
        "apart": sorted([a, b] for a, b in apart),
        "hosts": {"min_per_table": 0}
        | ({"max_per_table": hosts_per_table} if hosts_per_table is not None else {}),
        "diversity": [{"attribute": "sector", "weight": settings.GILDE_SEATING_SECTOR_SPREAD}]
        if settings.GILDE_SEATING_SECTOR_SPREAD
        else [],
        "locked": [
            {"guest": gid, "round": r, "table": tid}
            for gid, r, tid in sorted(set(locked or ()))
            if gid in guests and tid in tables and 1 <= r <= rounds
        ],
    }
    if saved is not None:
        data["saved"] = [
            {"guest": gid, "round": r, "table": tid}
            for gid, r, tid in sorted(set(saved))
            if gid in guests and tid in tables and 1 <= r <= rounds
        ]
        data["move_penalty"] = settings.GILDE_SEATING_MOVE_PENALTY
    reasons = {f"{a}|{b}": why for (a, b), why in pairs.why.items()}
    return SeatingInstance(data, guests, reasons, goals, tables)


def _guest_json(
    guest: SeatedGuest, groups: dict[str, str], facts: _PersonFacts, by_person: dict[int, str]
) -> dict[str, Any]:
    out: dict[str, Any] = {"id": guest.gid, "name": guest.name}
    if guest.host:
        out["host"] = True
    if guest.gid in groups:
        out["group"] = groups[guest.gid]
    return out | {"attributes": {"sector": facts.sector_of_gid.get(guest.gid, "")}}


class _PersonFacts:
    """What introductions are made of, for every relation on the list at once."""

    def __init__(self, person_ids: list[int], seated: QuerySet[Any], event: Event) -> None:
        # `seated` is the same people as a subquery: the database gets one short query instead
        # of thousands of ids in every IN list.
        self.ids = person_ids
        self.seated = seated
        persons = Person.objects.filter(pk__in=seated).only("pk", "passions", "interests")
        self.passions = {
            p.pk: {w.casefold() for w in Person.split_list(f"{p.passions},{p.interests}")}
            for p in persons
        }
        themes = dict(event.themes.values_list("pk", "name"))
        self.theme_names = themes
        self.tags: dict[int, set[int]] = defaultdict(set)
        for person_id, tag_id in Person.tags.through.objects.filter(
            person_id__in=seated
        ).values_list("person_id", "tag_id"):
            self.tags[person_id].add(tag_id)
        self.organisations: dict[int, set[int]] = defaultdict(set)
        self.organisation_name: dict[int, str] = {}
        self.sector: dict[int, str] = {}
        rows = Affiliation.objects.current().filter(person_id__in=seated)
        for person_id, org_id, name, sector in rows.order_by("id").values_list(
            "person_id", "organisation_id", "organisation__name", "organisation__sector"
        ):
            self.organisations[person_id].add(org_id)
            self.organisation_name.setdefault(person_id, name)
            if sector:
                self.sector.setdefault(person_id, sector)
        self.sector_of_gid: dict[str, str] = {}


def _groups(
    places: list[Guest], guests: dict[str, SeatedGuest], by_member: dict[int, str]
) -> dict[str, str]:
    """Who sits together: a guest and their companion, and a guest who asked to sit with their
    host, with that host (joined with union-find, so chains make one group)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    def join(a: str, b: str) -> None:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        parent[find(a)] = find(b)

    wanted = set(
        HostSeatRequest.objects.filter(guest__in=[p.pk for p in places]).values_list(
            "guest_id", flat=True
        )
    )
    for place in places:
        gid = f"g{place.pk}"
        if place.companion_name and place.person_id is not None:
            cid = f"c{place.pk}"
            guests[cid] = SeatedGuest(
                cid,
                place.companion_name,
                place.pk,
                companion_of=gid,
                organisation=_("companion of %(name)s") % {"name": guests[gid].name},
            )
            join(cid, gid)
        if place.pk in wanted and place.host_id in by_member:
            join(gid, by_member[place.host_id or 0])
    return {x: f"group-{find(x)}" for x in parent}


def _goal_pairs(
    event: Event,
    pairs: _Pairs,
    guests: dict[str, SeatedGuest],
    by_person: dict[int, str],
    by_member: dict[int, str],
    facts: _PersonFacts,
) -> list[GoalPairs]:
    """Each goal's pair value (or a theme group's, between its guests), named by the seated
    guests; goals about someone who does not take a seat (or is hidden) are left out."""
    value = settings.GILDE_SEATING_GOAL_VALUE
    found = []
    kinds = dict(MeetingGoalKind.choices)
    rows = (
        MeetingGoal.objects.filter(event=event)
        .order_by("priority", "id")
        .values_list(
            "pk",
            "kind",
            "member_id",
            "person_a_id",
            "person_b_id",
            "theme_id",
            "theme__name",
            "priority",
            "reason",
        )
    )
    for pk, kind, member_id, a_id, b_id, theme_id, theme, level, why in rows:
        factor = PRIORITY_FACTOR.get(MeetingGoalPriority(level), 1.0)
        priority = MeetingGoalPriority(level).label
        if kind == MeetingGoalKind.THEME_GROUP:
            carriers = [by_person[p] for p in facts.ids if theme_id in facts.tags[p]]
            carriers = carriers[:THEME_GROUP_LIMIT]
            reason = _("theme group %(theme)s (%(priority)s)") % {
                "theme": theme,
                "priority": priority,
            }
            for a, b in combinations(carriers, 2):
                pairs.add(a, b, settings.GILDE_SEATING_THEME_GROUP * factor, reason)
            if len(carriers) >= 2:
                found.append(
                    GoalPairs(pk, f"# {theme}", level, carriers, needed=min(3, len(carriers)))
                )
            continue
        colleague = kind == MeetingGoalKind.COLLEAGUE
        first = by_member.get(member_id or 0) if colleague else by_person.get(a_id or 0)
        second = by_person.get((a_id if colleague else b_id) or 0)
        if first is None or second is None:
            continue  # one of them does not take a seat (yet), or is hidden from the reader
        reason = _("meeting goal (%(priority)s): %(why)s") % {
            "priority": priority,
            "why": why or kinds.get(kind, ""),
        }
        pairs.add(first, second, value * factor, reason)
        label = f"{guests[first].name} ↔ {guests[second].name}"
        found.append(GoalPairs(pk, label, level, [first, second]))
    return found


def _host_pairs(places: list[Guest], pairs: _Pairs, by_member: dict[int, str]) -> None:
    reason = _("their host")
    for place in places:
        if place.person_id is not None and place.host_id in by_member:
            pairs.add(
                f"g{place.pk}",
                by_member[place.host_id or 0],
                settings.GILDE_SEATING_HOST_GUEST,
                reason,
            )


def _shared_pairs(pairs: _Pairs, by_person: dict[int, str], facts: _PersonFacts) -> None:
    """Shared passions and interests (at most three count) and shared themes of the event."""
    sharing: dict[tuple[str, Any], list[int]] = defaultdict(list)
    for pk in facts.ids:
        for word in facts.passions.get(pk, ()):
            sharing[("p", word)].append(pk)
        for tag in facts.tags[pk] & set(facts.theme_names):
            sharing[("t", tag)].append(pk)
        facts.sector_of_gid[by_person[pk]] = facts.sector.get(pk, "")
    counted: dict[tuple[str, str], int] = defaultdict(int)
    for (what, key), people in sorted(sharing.items(), key=lambda kv: str(kv[0])):
        if len(people) < 2 or len(people) > CROWD:
            continue
        if what == "t":
            reason = _("both work on %(theme)s") % {"theme": facts.theme_names[key]}
        else:
            reason = _("both: %(passion)s") % {"passion": key}
        for a, b in combinations(people, 2):
            ga, gb = by_person[a], by_person[b]
            if what == "t":
                pairs.add(ga, gb, settings.GILDE_SEATING_SHARED_THEME, reason)
                continue
            pair = (ga, gb) if ga < gb else (gb, ga)
            if counted[pair] < 3:
                counted[pair] += 1
                pairs.add(ga, gb, settings.GILDE_SEATING_SHARED_PASSION, reason)


def _conflicts(
    pairs: _Pairs, by_person: dict[int, str], facts: _PersonFacts, user: Any
) -> set[tuple[str, str]]:
    """Conflicting interests by the network's one rule set: pairs of its `APART` rules sit at
    different tables; plain competitors only weigh against one table."""
    apart: set[tuple[str, str]] = set()
    for pair in conflicting_pairs(facts.ids, user):
        ga, gb = sorted((by_person[pair.person_a], by_person[pair.person_b]))
        if pair.rule in APART:
            apart.add((ga, gb))
        else:
            pairs.add(ga, gb, -settings.GILDE_SEATING_COMPETITORS, pair.reason)
    return apart


def _tie_adjustment(
    pairs: _Pairs, by_person: dict[int, str], by_member: dict[int, str], seated: QuerySet[Any]
) -> None:
    """A dinner is for new links: a good pair who do not know each other yet is worth more, one
    with a strong tie already less."""
    gid_person = {gid: pk for pk, gid in by_person.items()}
    gid_member = {gid: pk for pk, gid in by_member.items()}
    strength: dict[tuple[str, str], int] = {}
    ties = Tie.objects.filter(person_id__in=seated)
    for person_id, other_id, member_id, s in ties.values_list(
        "person_id", "other_person_id", "member_id", "strength"
    ).iterator(chunk_size=5000):
        other = by_person.get(other_id) if other_id else by_member.get(member_id)
        if other is None:
            continue
        key = tuple(sorted((by_person[person_id], other)))
        strength[(key[0], key[1])] = max(s, strength.get((key[0], key[1]), 0))
    first_meeting = _("a first meeting")
    well: dict[int, str] = {}
    for key, value in list(pairs.value.items()):
        if value <= 0:
            continue
        known = strength.get(key)
        people = all(g in gid_person or g in gid_member for g in key)
        if known is None and people:
            pairs.add(*key, settings.GILDE_SEATING_FIRST_MEETING, first_meeting)
        elif known is not None and known >= STRONG_TIE and all(g in gid_person for g in key):
            if known not in well:
                well[known] = _("already know each other well (%(n)d of 5)") % {"n": known}
            pairs.add(*key, -settings.GILDE_SEATING_STRONG_TIE, well[known])
