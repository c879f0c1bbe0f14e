"""Reads for the member network: the directory, "who can help me with X?", referral balances
and the network's flow, commitment, applications and the return rate of introducees. Every read
takes the acting user and goes through gilde.visibility."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from gilde import visibility
from gilde.accounts.models import Member
from gilde.events.models import Event, EventStatus, EventVisibility, GuestStatus
from gilde.members.commitment import Activity, Judgement, commitment_judge
from gilde.members.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    Aspect,
    Contribution,
    MemberTie,
    Profile,
    ProfileTag,
    Referral,
    ReferralStatus,
)
from gilde.permissions import is_coordinator

TEXT_FIELDS = (
    "organisation",
    "work",
    "passions",
    "talents",
    "seeks",
    "offers",
    "languages",
    "region",
)


def _active_members(user: Any) -> QuerySet[Member]:
    return (
        visibility.members(user)
        .filter(user__is_active=True)
        .select_related("user", "profile")
        .prefetch_related(Prefetch("profile__tags", queryset=ProfileTag.objects.order_by("key")))
    )


def directory(user: Any, *, query: str = "", aspect: str = "", tag: str = "") -> list[Member]:
    """The members, found by any word of their name or profile (organisation, work, passions,
    talents, seeks, offers, languages, region, tags); `tag` narrows to one tag, of `aspect` if
    named."""
    members = _active_members(user)
    for word in query.split():
        condition = (
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(job_title__icontains=word)
            | Q(profile__tags__key__icontains=word.lower())
        )
        for name in TEXT_FIELDS:
            condition |= Q(**{f"profile__{name}__icontains": word})
        members = members.filter(pk__in=Member.objects.filter(condition).values("pk"))
    if tag:
        tags = ProfileTag.objects.filter(key=tag.strip().lower())
        if aspect in Aspect.values:
            tags = tags.filter(aspect=aspect)
        members = members.filter(profile__in=tags.values("profile"))
    return list(members.order_by("user__last_name", "user__first_name", "pk"))


@dataclass(frozen=True)
class Match:
    member: Member
    score: int
    because: list[str]


# How much a word found in each place counts towards "can help with".
_TAG_WEIGHT = {Aspect.OFFERS: 4, Aspect.TALENT: 3, Aspect.PASSION: 1}
_TEXT_WEIGHT = {"offers": 2, "talents": 2, "work": 1, "organisation": 1}


def helpers_for(user: Any, *, need: str, limit: int = 20) -> list[Match]:
    """ "Who here can help me with X?": members whose offers, talents and work match the words of
    X, best first, with the words that matched; the asking member is left out."""
    words = [w.lower() for w in need.split() if len(w) >= 2][:10]
    me = visibility.member_of(user)
    if not words:
        return []
    matches = []
    candidates = _active_members(user)
    if me is not None:
        candidates = candidates.exclude(pk=me.pk)
    for member in candidates:
        score, because = _score(member, words)
        if score:
            matches.append(Match(member, score, because))
    matches.sort(key=lambda m: (-m.score, m.member.name.lower()))
    return matches[:limit]


def _score(member: Member, words: list[str]) -> tuple[int, list[str]]:
    profile = getattr(member, "profile", None)
    if profile is None:
        return 0, []
    score, because = 0, []
    for tag in profile.tags.all():
        weight = _TAG_WEIGHT.get(Aspect(tag.aspect), 0)
        if weight and any(word in tag.key for word in words):
            score += weight
            because.append(tag.label)
    for name, weight in _TEXT_WEIGHT.items():
        text = getattr(profile, name, "").lower()
        if any(word in text for word in words):
            score += weight
    return score, because


def matches_for_my_seeks(user: Any) -> list[tuple[str, list[Match]]]:
    """For each thing the member seeks (their "seeks" tags), who offers it."""
    me = visibility.member_of(user)
    if me is None:
        return []
    seeks = ProfileTag.objects.filter(profile__member=me, aspect=Aspect.SEEKS).order_by("key")
    return [(tag.label, helpers_for(user, need=tag.key, limit=5)) for tag in seeks]


def profile_of(user: Any, member: Member) -> Profile | None:
    return (
        Profile.objects.filter(member__in=visibility.members(user), member=member)
        .prefetch_related("tags")
        .first()
    )


def ties_of(user: Any, member: Member) -> QuerySet[MemberTie]:
    """The members this member knows, as recorded."""
    return MemberTie.objects.filter(
        member=member, member__in=visibility.members(user), other__user__is_active=True
    ).select_related("other__user")


# ---- referrals ----------------------------------------------------------------------------------


@dataclass
class Balance:
    given: int = 0
    received: int = 0
    to_confirm: int = 0
    awaiting: int = 0
    value_received: Decimal = Decimal("0")
    value_given: Decimal = Decimal("0")


def my_referrals(user: Any) -> QuerySet[Referral]:
    return visibility.referrals(user).select_related("giver__user", "receiver__user")


def balance_of(user: Any) -> Balance:
    """The acting member's own give and take with other members."""
    me = visibility.member_of(user)
    balance = Balance()
    if me is None:
        return balance
    rows = (
        visibility.referrals(user)
        .values("giver_id", "status")
        .annotate(n=Count("pk"), value=Sum("value"))
    )
    for row in rows:
        gave = row["giver_id"] == me.pk
        if row["status"] == ReferralStatus.CONFIRMED:
            if gave:
                balance.given += row["n"]
                balance.value_given += row["value"] or 0
            else:
                balance.received += row["n"]
                balance.value_received += row["value"] or 0
        elif row["status"] == ReferralStatus.OPEN:
            if gave:
                balance.awaiting += row["n"]
            else:
                balance.to_confirm += row["n"]
    return balance


@dataclass
class FlowRow:
    member: Member
    given: int = 0
    received: int = 0
    gave_to: int = 0  # how many different members
    received_from: int = 0

    @property
    def reciprocity(self) -> int:
        """Given minus received: above zero gives more than they get."""
        return self.given - self.received


@dataclass
class Flow:
    rows: list[FlowRow]
    pairs: list[tuple[Member, Member, int]]
    total: int
    by_kind: dict[str, int] = field(default_factory=dict)


def flow(user: Any, *, since: dt.date | None = None) -> Flow:
    """Who gives to whom (confirmed referrals since a date), per member and per pair, without
    what they were about or worth."""
    referrals = visibility.referral_flow(user).filter(status=ReferralStatus.CONFIRMED)
    if since:
        referrals = referrals.filter(occurred_on__gte=since)
    pair_counts: Counter[tuple[int, int]] = Counter()
    by_kind: Counter[str] = Counter()
    for row in referrals:
        pair_counts[(row["giver_id"], row["receiver_id"])] += 1
        by_kind[row["kind"]] += 1
    members = {m.pk: m for m in visibility.members(user).select_related("user")}
    rows = {pk: FlowRow(member) for pk, member in members.items() if member.user.is_active}
    for (giver, receiver), n in pair_counts.items():
        if giver in rows:
            rows[giver].given += n
            rows[giver].gave_to += 1
        if receiver in rows:
            rows[receiver].received += n
            rows[receiver].received_from += 1
    pairs = [
        (members[g], members[r], n)
        for (g, r), n in pair_counts.most_common(10)
        if g in members and r in members
    ]
    ordered = sorted(rows.values(), key=lambda r: (-(r.given + r.received), r.member.name))
    return Flow(ordered, pairs, sum(pair_counts.values()), dict(by_kind))


# ---- commitment ----------------------------------------------------------------------------------


def meetings_held(user: Any, since: dt.datetime, until: dt.datetime) -> QuerySet[Event]:
    """The network's meetings (open to everyone) that took place in the period."""
    return (
        visibility.events(user)
        .filter(
            visibility=EventVisibility.ORGANISATION,
            ends_at__gte=since,
            ends_at__lt=until,
            starts_at__lt=timezone.now(),
        )
        .exclude(status=EventStatus.DRAFT)
    )


@dataclass(frozen=True)
class Commitment:
    member: Member
    recent: Activity
    before: Activity
    judgement: Judgement

    @property
    def year(self) -> Activity:
        r, b = self.recent, self.before
        return Activity(
            r.held + b.held,
            r.attended + b.attended,
            r.referrals_given + b.referrals_given,
            r.referrals_received + b.referrals_received,
            r.introducees + b.introducees,
            r.contributions + b.contributions,
        )


RECENT_DAYS = 91
YEAR_DAYS = 365


def commitment(
    user: Any, *, members: list[Member] | None = None, now: dt.datetime | None = None
) -> list[Commitment]:
    """Per member, the last quarter against the three before it: meetings attended of those
    held, referrals given and received, introducees brought, contributions."""
    now = now or timezone.now()
    split, start = now - dt.timedelta(days=RECENT_DAYS), now - dt.timedelta(days=YEAR_DAYS)
    if members is None:
        members = list(visibility.members(user).filter(user__is_active=True).select_related("user"))
    ids = [m.pk for m in members]
    periods = {"recent": (split, now), "before": (start, split)}
    figures: dict[str, dict[int, dict[str, int]]] = {p: defaultdict(Counter) for p in periods}
    for period, (since, until) in periods.items():
        # Dated records (referrals, contributions) count today in the recent period.
        since_day = timezone.localdate(since)
        until_day = timezone.localdate(until) + dt.timedelta(days=1 if period == "recent" else 0)
        held = meetings_held(user, since, until)
        count = held.count()
        got = figures[period]
        for pk in ids:
            got[pk]["held"] = count
        attended = (
            visibility.guests(user)
            .filter(event__in=held, member_id__in=ids)
            .filter(Q(status=GuestStatus.ATTENDED) | Q(checked_in_at__isnull=False))
            .values("member_id")
            .annotate(n=Count("event_id", distinct=True))
        )
        for row in attended:
            got[row["member_id"]]["attended"] = row["n"]
        brought = (
            visibility.guests(user)
            .filter(event__in=held, host_id__in=ids, person__isnull=False)
            .filter(Q(status=GuestStatus.ATTENDED) | Q(checked_in_at__isnull=False))
            .values_list("host_id", flat=True)
        )
        for host in brought:
            if host is not None:
                got[host]["introducees"] += 1
        referrals = visibility.referral_flow(user).filter(
            status=ReferralStatus.CONFIRMED,
            occurred_on__gte=since_day,
            occurred_on__lt=until_day,
        )
        for row in referrals:
            got[row["giver_id"]]["referrals_given"] += 1
            got[row["receiver_id"]]["referrals_received"] += 1
        introduced = Application.objects.filter(
            introduced_by_id__in=ids, created_at__gte=since, created_at__lt=until
        ).values_list("introduced_by_id", flat=True)
        for introducer in introduced:
            if introducer is not None:
                got[introducer]["introducees"] += 1
        for row in (
            Contribution.objects.filter(
                member_id__in=ids, occurred_on__gte=since_day, occurred_on__lt=until_day
            )
            .values("member_id")
            .annotate(n=Count("pk"))
        ):
            got[row["member_id"]]["contributions"] += row["n"]
    result = []
    for member in members:
        recent = Activity(**figures["recent"][member.pk])
        before = Activity(**figures["before"][member.pk])
        result.append(Commitment(member, recent, before, commitment_judge(recent, before)))
    return result


# ---- applications and introducees -------------------------------------------------------------


def applications(user: Any, *, status: str = "") -> QuerySet[Application]:
    """Applications, for the coordinator only (anyone else gets none)."""
    member = visibility.member_of(user)
    if not is_coordinator(member):
        return Application.objects.none()
    found = Application.objects.select_related("introduced_by__user", "event", "invitation")
    return found.filter(status=status) if status in ApplicationStatus.values else found


@dataclass(frozen=True)
class ReturnRate:
    visitors: int
    returned: int
    became_member: int

    @property
    def rate(self) -> float | None:
        return (self.returned + self.became_member) / self.visitors if self.visitors else None


def return_rate(user: Any, *, now: dt.datetime | None = None) -> ReturnRate:
    """Of the introducees and visitors whose first meeting is past: how many came back to a
    later meeting, and how many became a member."""
    now = now or timezone.now()
    held = visibility.events(user).filter(ends_at__lt=now).exclude(status=EventStatus.DRAFT)
    came = (
        visibility.guests(user)
        .filter(event__in=held, person__isnull=False)
        .filter(Q(status=GuestStatus.ATTENDED) | Q(checked_in_at__isnull=False))
        .values_list("person_id", "event__starts_at")
    )
    visits: dict[int, list[dt.datetime]] = defaultdict(list)
    for person_id, starts_at in came:
        visits[person_id].append(starts_at)
    returned = sum(1 for dates in visits.values() if len(dates) > 1)
    visitors = len(visits)
    visit_applications = applications(user).filter(
        kind=ApplicationKind.VISIT, status=ApplicationStatus.WELCOMED
    )
    emails = set(visit_applications.values_list("email", flat=True))
    became = (
        applications(user)
        .filter(kind=ApplicationKind.JOIN, status=ApplicationStatus.ACCEPTED, email__in=emails)
        .count()
    )
    return ReturnRate(visitors + len(emails), returned, became)


def next_meetings(*, limit: int = 5) -> QuerySet[Event]:
    """The network's coming meetings for the public page: only what an invitation would say."""
    return (
        Event.objects.filter(
            visibility=EventVisibility.ORGANISATION,
            status=EventStatus.PUBLISHED,
            starts_at__gte=timezone.now(),
        )
        .order_by("starts_at")
        .only("pk", "title", "starts_at", "ends_at", "venue", "kind")[:limit]
    )
