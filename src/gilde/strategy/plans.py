"""Plan and reality: which activity plan fits a relation (the most specific of its segment:
tier × theme × stakeholder type), what the relation actually got in the last year (contact
moments, invitations, favours), and where the two differ most, too little or too much.

Reads go through the visibility scope: a contact moment with a hidden participant, or a place
on an event's guest list the user may not see, does not count."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils import timezone

from gilde import visibility
from gilde.contacts.models import ContactMoment
from gilde.relations.models import Person
from gilde.strategy.models import ActivityPlan, ThemeLink

YEAR = 365


@dataclass(frozen=True)
class Segment:
    tier_id: int | None
    theme_ids: frozenset[int]
    type_ids: frozenset[int]


def plan_for(segment: Segment, plans: list[ActivityPlan]) -> ActivityPlan | None:
    """The most specific plan that fits: theme and type beat theme alone, which beats type
    alone, which beats the tier's general plan."""
    best: tuple[int, ActivityPlan] | None = None
    for plan in plans:
        if plan.tier_id != segment.tier_id:
            continue
        if plan.theme_id is not None and plan.theme_id not in segment.theme_ids:
            continue
        if (
            plan.stakeholder_type_id is not None
            and plan.stakeholder_type_id not in segment.type_ids
        ):
            continue
        rank = 2 * (plan.theme_id is not None) + (plan.stakeholder_type_id is not None)
        if best is None or rank > best[0]:
            best = (rank, plan)
    return best[1] if best else None


@dataclass
class Reality:
    person_id: int
    plan: ActivityPlan | None
    contacts: int = 0
    invitations: int = 0
    favours: int = 0

    @property
    def contacts_short(self) -> int:
        """Personal contacts the plan asks for that did not happen (0 when on plan)."""
        return max((self.plan.contacts_per_year if self.plan else 0) - self.contacts, 0)

    @property
    def invitations_over(self) -> int:
        """Invitations beyond the plan (invitation fatigue)."""
        if self.plan is None:
            return 0
        return max(self.invitations - self.plan.invitations_per_year, 0)

    @property
    def contacts_over(self) -> int:
        """Personal contacts with a relation whose plan is the newsletter only."""
        return self.contacts if self.plan is not None and self.plan.newsletter_only else 0

    @property
    def too_much(self) -> int:
        return self.invitations_over + self.contacts_over


def _since(today: dt.date) -> dt.datetime:
    start = today - dt.timedelta(days=YEAR)
    return timezone.make_aware(dt.datetime.combine(start, dt.time.min))


def _counts(user: Any, person_ids: list[int] | None, today: dt.date) -> dict[str, dict[int, int]]:
    since = _since(today)
    moments = ContactMoment.persons.through.objects.filter(
        visibility.moment_condition(user, "contactmoment_id"),
        contactmoment__occurred_at__gte=since,
    )
    guests = (
        visibility.guests(user)
        .filter(event__starts_at__gte=since, person__isnull=False, role="guest")
        .exclude(status="proposed")
    )
    favours = visibility.favours(user).filter(
        occurred_on__gte=since.date(), direction="given", person__isnull=False
    )
    if person_ids is not None:
        moments = moments.filter(person_id__in=person_ids)
        guests = guests.filter(person_id__in=person_ids)
        favours = favours.filter(person_id__in=person_ids)

    def grouped(qs: Any) -> dict[int, int]:
        return dict(
            qs.order_by().values("person_id").annotate(n=Count("id")).values_list("person_id", "n")
        )

    return {
        "contacts": grouped(moments),
        "invitations": grouped(guests),
        "favours": grouped(favours),
    }


def _segments(person_rows: Sequence[tuple[int, int | None]]) -> dict[int, Segment]:
    ids = [pk for pk, _tier in person_rows]
    themes: dict[int, set[int]] = defaultdict(set)
    types: dict[int, set[int]] = defaultdict(set)
    for chunk in (ids[i : i + 20000] for i in range(0, len(ids), 20000)):
        for pid, tid in ThemeLink.objects.filter(person_id__in=chunk).values_list(
            "person_id", "theme_id"
        ):
            themes[pid].add(tid)
        for pid, sid in Person.stakeholder_types.through.objects.filter(
            person_id__in=chunk
        ).values_list("person_id", "stakeholdertype_id"):
            types[pid].add(sid)
    return {
        pk: Segment(tier, frozenset(themes[pk]), frozenset(types[pk])) for pk, tier in person_rows
    }


def reality_of(*, user: Any, person: Person, today: dt.date | None = None) -> Reality:
    """One relation: its plan and what it got in the last year."""
    today = today or timezone.localdate()
    plans = list(ActivityPlan.objects.all())
    segment = _segments([(person.pk, person.tier_id)])[person.pk]
    counts = _counts(user, [person.pk], today)
    return Reality(
        person_id=person.pk,
        plan=plan_for(segment, plans),
        contacts=counts["contacts"].get(person.pk, 0),
        invitations=counts["invitations"].get(person.pk, 0),
        favours=counts["favours"].get(person.pk, 0),
    )


@dataclass
class Differences:
    too_little: list[tuple[Person, Reality]]
    too_much: list[tuple[Person, Reality]]
    planned: int  # relations with a plan
    on_plan: int


def differences(*, user: Any, limit: int = 50, today: dt.date | None = None) -> Differences:
    """Where plan and reality differ most, over every visible relation with a tier."""
    today = today or timezone.localdate()
    plans = list(ActivityPlan.objects.select_related("tier", "theme", "stakeholder_type"))
    if not plans:
        return Differences([], [], 0, 0)
    tiers = {p.tier_id for p in plans}
    rows = list(visibility.persons(user).filter(tier_id__in=tiers).values_list("pk", "tier_id"))
    segments = _segments(list(rows))
    counts = _counts(user, None, today)
    found: list[Reality] = []
    for pk, _tier in rows:
        plan = plan_for(segments[pk], plans)
        if plan is None:
            continue
        found.append(
            Reality(
                pk,
                plan,
                counts["contacts"].get(pk, 0),
                counts["invitations"].get(pk, 0),
                counts["favours"].get(pk, 0),
            )
        )
    little = sorted(
        (r for r in found if r.contacts_short),
        key=lambda r: (-r.contacts_short, r.plan.tier.order if r.plan else 0, r.person_id),
    )[:limit]
    much = sorted((r for r in found if r.too_much), key=lambda r: (-r.too_much, r.person_id))[
        :limit
    ]
    persons = (
        visibility.persons(user)
        .select_related("tier")
        .in_bulk([r.person_id for r in little + much])
    )
    on_plan = sum(1 for r in found if not r.contacts_short and not r.too_much)
    return Differences(
        too_little=[(persons[r.person_id], r) for r in little if r.person_id in persons],
        too_much=[(persons[r.person_id], r) for r in much if r.person_id in persons],
        planned=len(found),
        on_plan=on_plan,
    )
