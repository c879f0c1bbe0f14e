"""Reads for relationship maintenance, always scoped to the acting user through
`gilde.visibility`: a relation's status and tie strengths, due lists, going cold, follow-ups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gilde import visibility
from gilde.accounts.models import Member
from gilde.contacts.models import FollowUp
from gilde.maintenance import explain
from gilde.maintenance.care import _last_contacts
from gilde.maintenance.models import RelationCare, TierReview, TieStrength
from gilde.maintenance.rhythm import NO_RHYTHM, CareStatus, Rhythm, Status, care_status
from gilde.relations.models import Person, Tie, Tier

REVIEW_EVERY_DAYS = 91
STATUS_RANK = {Status.OVERDUE: 0, Status.DUE: 1, Status.NEVER: 2}


def rhythm_of(person: Person, care: RelationCare | None) -> Rhythm:
    """The person's own rhythm if one was set, otherwise their tier's."""
    if care is not None:
        if care.no_reminders:
            return NO_RHYTHM
        if care.ideal_interval_days is not None:
            return Rhythm(care.ideal_interval_days, care.max_interval_days)
    tier = person.tier
    if tier is None:
        return NO_RHYTHM
    return Rhythm(tier.ideal_interval_days, tier.max_interval_days)


def _care(person: Person) -> RelationCare | None:
    try:
        return person.care
    except RelationCare.DoesNotExist:
        return None


def last_contact_of(
    person: Person, live: dict[int, dt.datetime] | None = None
) -> dt.datetime | None:
    """From the care row; for a relation without one yet (added since the last recompute,
    or loaded in bulk) straight from the contact history."""
    care = _care(person)
    if care is not None:
        return care.last_contact_at
    if live is None:
        live = _last_contacts([person.pk])
    return live.get(person.pk)


def status_of(
    person: Person, today: dt.date | None = None, live: dict[int, dt.datetime] | None = None
) -> CareStatus:
    care = _care(person)
    last = last_contact_of(person, live)
    return care_status(
        today=today or timezone.localdate(),
        last_contact=timezone.localdate(last) if last else None,
        rhythm=rhythm_of(person, care),
    )


def list_care(persons: Iterable[Person], today: dt.date | None = None) -> None:
    """Give each person of a list page `care_status` and `last_contact`, as their own page shows
    them: from the care rows (read with the persons, `select_related("care")`), and for the few
    without one yet from the contact history in one query."""
    persons = list(persons)
    missing = [p.pk for p in persons if _care(p) is None]
    live = _last_contacts(missing) if missing else {}
    day = today or timezone.localdate()
    for person in persons:
        person.last_contact = last_contact_of(person, live)  # type: ignore[attr-defined]
        person.care_status = status_of(person, day, live)  # type: ignore[attr-defined]


@dataclass
class TieView:
    tie: Tie
    facts: TieStrength
    explanation: str


@dataclass
class PersonCare:
    person: Person
    care: RelationCare | None
    rhythm: Rhythm
    status: CareStatus
    contact_member: Member | None
    ties: list[TieView] = field(default_factory=list)

    @property
    def own_rhythm(self) -> bool:
        return self.care is not None and self.care.has_override

    @property
    def snoozed_until(self) -> dt.date | None:
        if self.care and self.care.snoozed_until and self.care.snoozed_until > timezone.localdate():
            return self.care.snoozed_until
        return None


CARE_RELATED = ("tier", "care__contact_member__user", "owner__user")


def person_care(
    *,
    user: Any,
    person_id: int | None = None,
    person: Person | None = None,
    now: dt.datetime | None = None,
    ties: Iterable[Tie] | None = None,
) -> PersonCare:
    """Status and tie strengths of one relation, as stored (every change to its history has
    care follow at once, gilde.maintenance.services.care_follow; only the fading with time waits
    for the nightly recompute, a fraction of a point a day). Give `person_id`, or a `person` already read through the user's scope (with CARE_RELATED
    selected, as the person page reads it) so it is not read twice; likewise `ties`, the
    person's ties the page already read through the scope (with member__user)."""
    now = now or timezone.now()
    if person is None:
        assert person_id is not None  # noqa: S101 - one of the two is required
        person = visibility.persons(user).select_related(*CARE_RELATED).get(pk=person_id)
    care = _care(person)
    facts = {row.tie_id: row for row in TieStrength.objects.filter(person=person)}
    if ties is None:
        ties = visibility.ties(user).filter(person=person).select_related("member__user")
    ties = [tie for tie in ties if tie.member_id is not None and tie.person_id == person.pk]
    views = [
        TieView(
            tie,
            facts[tie.pk],
            explain.explanation(facts[tie.pk], declared=tie.strength, since=tie.since, now=now),
        )
        for tie in ties
        if tie.pk in facts
    ]
    views.sort(key=lambda v: (-v.facts.score, -v.tie.strength))
    contact_member = care.contact_member if care and care.contact_member_id else person.owner
    return PersonCare(
        person=person,
        care=care,
        rhythm=rhythm_of(person, care),
        status=status_of(person, timezone.localdate(now)),
        contact_member=contact_member,
        ties=views,
    )


@dataclass
class DueItem:
    person: Person
    status: CareStatus
    days_past_due: int
    last_contact_at: dt.datetime | None = None

    @classmethod
    def of(
        cls, person: Person, today: dt.date, live: dict[int, dt.datetime] | None = None
    ) -> DueItem:
        status = status_of(person, today, live)
        return cls(person, status, status.days_past_due(today), last_contact_of(person, live))


def _sort_key(item: DueItem) -> tuple[int, int, int, str]:
    tier_order = item.person.tier.order if item.person.tier else 99
    return (
        tier_order,
        STATUS_RANK.get(item.status.status, 3),
        -item.days_past_due,
        item.person.sort_name,
    )


def _assigned_persons(*, user: Any, member: Member) -> QuerySet[Person]:
    """Relations this member is best placed to contact: handed to them, their tie is the
    strongest, or (for relations without contact history yet) they own them."""
    assigned = list(
        RelationCare.objects.filter(contact_member=member).values_list("person_id", flat=True)
    )
    owned_new = list(
        Person.objects.filter(owner=member, care__isnull=True).values_list("pk", flat=True)
    )
    # Relations without a rhythm (tier D, no tier) are never due: left out before loading.
    with_rhythm = Q(tier__ideal_interval_days__isnull=False) | Q(
        care__ideal_interval_days__isnull=False
    )
    return (
        visibility.persons(user)
        .filter(with_rhythm, pk__id_in=assigned + owned_new)
        .select_related("tier", "care")
        .only(
            "pk",
            "given_name",
            "initials",
            "tussenvoegsel",
            "family_name",
            "title",
            "sort_name",
            "birthday",
            "tier",
            "care",
            "owner_id",
        )
    )


def due_for_member(
    *, user: Any, member: Member, today: dt.date | None = None, include_snoozed: bool = False
) -> list[DueItem]:
    """The due, overdue and never contacted relations this member is best placed to contact,
    most urgent first: by tier, then overdue before due, then how long past due."""
    today = today or timezone.localdate()
    persons = list(_assigned_persons(user=user, member=member))
    live = _last_contacts([p.pk for p in persons if _care(p) is None])
    items = []
    for person in persons:
        care = _care(person)
        if not include_snoozed and care and care.snoozed_until and care.snoozed_until > today:
            continue
        item = DueItem.of(person, today, live)
        if item.status.needs_contact:
            items.append(item)
    items.sort(key=_sort_key)
    return items


def upcoming_for_member(
    *, user: Any, member: Member, today: dt.date | None = None, days: int = 30
) -> list[DueItem]:
    """Relations of this member that are on track now but become due within `days`."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=days)
    persons = list(_assigned_persons(user=user, member=member))
    live = _last_contacts([p.pk for p in persons if _care(p) is None])
    items = []
    for person in persons:
        item = DueItem.of(person, today, live)
        status = item.status
        if status.status == Status.ON_TRACK and status.due_on and status.due_on <= horizon:
            items.append(item)
    items.sort(key=lambda i: (i.status.due_on, i.person.sort_name))
    return items


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class Segments:
    """Several ordered querysets read as one list, for the paginator: per tier, each answered in
    index order from (tier, last contact) without sorting thousands of rows."""

    def __init__(self, parts: list[QuerySet[Person]]) -> None:
        self.parts = parts
        self._counts: list[int] | None = None

    def counts(self) -> list[int]:
        if self._counts is None:
            self._counts = [part.count() for part in self.parts]
        return self._counts

    def count(self) -> int:
        return sum(self.counts())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[Person]:
        start, stop = key.start or 0, key.stop if key.stop is not None else self.count()
        found: list[Person] = []
        offset = 0
        for part, n in zip(self.parts, self.counts(), strict=True):
            if stop > offset and start < offset + n:
                found += list(part[max(start - offset, 0) : min(stop - offset, n)])
            offset += n
        return found

    def __iter__(self) -> Any:
        return iter(self[0 : self.count()])


def _past_interval(
    *, user: Any, today: dt.date, maximum: bool, tier_codes: list[str] | None = None
) -> Segments:
    """Relations whose last contact is longer ago than their tier's ideal (or maximum) interval,
    tier by tier, longest ago first; then those past their own rhythm. Never contacted relations
    are not included. The tier comes from the care row (one index on tier and last contact
    answers each part); rows whose tier changed since their last refresh wait for it."""
    tiers = list(Tier.objects.filter(ideal_interval_days__isnull=False).order_by("order", "code"))
    if tier_codes is not None:
        tiers = [t for t in tiers if t.code in tier_codes]
    scope = visibility.persons(user)
    parts = []
    for tier in tiers:
        rhythm = Rhythm(tier.ideal_interval_days, tier.max_interval_days)
        interval = rhythm.max_or_default if maximum else rhythm.ideal_days
        assert interval is not None
        cut = _start_of_day(today - dt.timedelta(days=interval - 1))
        part = scope.filter(
            care__tier=tier,
            care__last_contact_at__lt=cut,
            tier=tier,
            care__ideal_interval_days__isnull=True,
            care__no_reminders=False,
        )
        parts.append(part)
    own = "care__override_overdue_on__lte" if maximum else "care__override_due_on__lte"
    parts.append(scope.filter(**{own: today}, tier__in=tiers))
    return Segments(
        [
            _listed(part.exclude(care__snoozed_until__gt=today) if not maximum else part).order_by(
                "care__last_contact_at", "pk"
            )
            for part in parts
        ]
    )


def _listed(qs: QuerySet[Person]) -> QuerySet[Person]:
    # The long free-text columns stay on disk: lists show names only.
    return qs.select_related("tier", "care__contact_member__user").defer(
        "search_text", "passions", "talents", "interests", "photo", "source"
    )


def due_for_organisation(*, user: Any, today: dt.date | None = None) -> Segments:
    """Every relation past its ideal interval and not snoozed, most important and longest first."""
    return _past_interval(user=user, today=today or timezone.localdate(), maximum=False)


def going_cold(*, user: Any, today: dt.date | None = None) -> Segments:
    """Key relations (A and B) past their maximum interval, across the organisation."""
    return _past_interval(
        user=user, today=today or timezone.localdate(), maximum=True, tier_codes=["A", "B"]
    )


def not_contacted_for_a_year(*, user: Any, today: dt.date | None = None) -> QuerySet[Person]:
    """Relations nobody contacted for more than a year (all tiers), longest ago first."""
    today = today or timezone.localdate()
    cut = _start_of_day(today - dt.timedelta(days=365))
    return _listed(visibility.persons(user).filter(care__last_contact_at__lt=cut)).order_by(
        "care__last_contact_at", "pk"
    )


def who_knows(*, person_ids: list[int], per_person: int = 3) -> dict[int, list[TieStrength]]:
    """The strongest member ties of persons already taken from the user's scope."""
    rows = (
        TieStrength.objects.filter(person_id__in=person_ids)
        .select_related("member__user")
        .order_by("person_id", "-score")
    )
    found: dict[int, list[TieStrength]] = {}
    for row in rows:
        bucket = found.setdefault(row.person_id, [])
        if len(bucket) < per_person:
            bucket.append(row)
    return found


def follow_ups_of(*, user: Any, member: Member) -> QuerySet[FollowUp]:
    return (
        visibility.follow_ups(user)
        .open()
        .filter(owner=member)
        .select_related("person", "owner__user")
    )


def overdue_follow_ups(*, user: Any, today: dt.date | None = None) -> QuerySet[FollowUp]:
    today = today or timezone.localdate()
    return (
        visibility.follow_ups(user)
        .open()
        .filter(due_date__lt=today)
        .select_related("person", "owner__user")
        .order_by("due_date", "id")
    )


def follow_up_counts(*, user: Any, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Per member: open and overdue follow-ups, most overdue first."""
    today = today or timezone.localdate()
    rows = (
        visibility.follow_ups(user)
        .open()
        .values(
            "owner_id", "owner__user__first_name", "owner__user__last_name", "owner__user__username"
        )
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today)))
        .order_by("-overdue", "-open")
    )
    return [dict(row) for row in rows]


def tier_distribution(*, user: Any) -> list[dict[str, Any]]:
    """Count and share per tier next to the guideline share."""
    counts: dict[int | None, int] = dict(
        visibility.persons(user)
        .order_by()
        .values("tier_id")
        .annotate(n=Count("id"))
        .values_list("tier_id", "n")
    )
    total = sum(counts.values()) or 1
    rows = []
    for tier in Tier.objects.all():
        n = counts.get(tier.pk, 0)
        rows.append(
            {
                "tier": tier,
                "count": n,
                "percent": round(100 * n / total, 1),
                "guideline": tier.guideline_percent,
                "delta": round(100 * n / total - tier.guideline_percent, 1),
            }
        )
    if counts.get(None):
        rows.append(
            {
                "tier": None,
                "count": counts[None],
                "percent": round(100 * counts[None] / total, 1),
                "guideline": 0,
                "delta": round(100 * counts[None] / total, 1),
            }
        )
    return rows


def last_review() -> TierReview | None:
    return TierReview.objects.filter(completed_at__isnull=False).first()


def review_is_due(today: dt.date | None = None) -> bool:
    """A new tier review is suggested every quarter."""
    today = today or timezone.localdate()
    last = last_review()
    return (
        last is None
        or last.completed_at is None
        or (today - timezone.localdate(last.completed_at)).days >= REVIEW_EVERY_DAYS
    )


# Days since the last contact, in the steps the rhythms use (a month, a quarter, half a year, a
# year): (upper bound in days or None for "longer", label key).
SINCE_BUCKETS: tuple[int | None, ...] = (30, 90, 180, 365, None)


def days_since_contact_by_tier(
    *, user: Any, today: dt.date | None = None
) -> dict[str, tuple[int, ...]]:
    """Per tier code, how many visible relations were last contacted within each step of
    SINCE_BUCKETS, followed by how many were never contacted: one query, counted in the
    database."""
    today = today or timezone.localdate()
    start = _start_of_day(today)
    buckets: dict[str, Any] = {}
    lower: dt.datetime | None = None
    for i, days in enumerate(SINCE_BUCKETS):
        bound = start - dt.timedelta(days=days) if days is not None else None
        condition = Q(care__last_contact_at__isnull=False)
        if bound is not None:
            condition &= Q(care__last_contact_at__gte=bound)
        if lower is not None:
            condition &= Q(care__last_contact_at__lt=lower)
        buckets[f"b{i}"] = Count("pk", filter=condition)
        lower = bound
    buckets["never"] = Count("pk", filter=Q(care__last_contact_at__isnull=True))
    rows = (
        visibility.persons(user)
        .filter(tier__isnull=False)
        .order_by()
        .values("tier__code")
        .annotate(**buckets)
    )
    keys = [f"b{i}" for i in range(len(SINCE_BUCKETS))] + ["never"]
    found: dict[str, tuple[int, ...]] = {}
    for row in rows:
        values: dict[str, Any] = dict(row)
        found[values["tier__code"]] = tuple(values[k] for k in keys)
    return found
