"""Suggestions for an event's guest list, each with its reasons: key relations due for contact,
relations of the event's themes, relations a colleague asked to meet, relations not invited for
a long time, and new relations to welcome. Relations already on the list, dismissed for this
event or hidden from the user are never suggested.

Each source is one bounded query answered from an index (at most `PER_SOURCE` rows), so the
whole set costs the same on a network of 3,000 or 100,000 relations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, Max, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gilde import visibility
from gilde.core.datestyle import day_short_text
from gilde.events.models import Event, Guest, IntroductionRequest, SuggestionDismissal
from gilde.relations.models import Affiliation, Person, Tier

PER_SOURCE = 40
SHOWN = 40
NEW_RELATION_DAYS = 90
LONG_AGO_DAYS = 365
KEY_TIERS = ("A", "B")


class Source:
    CARE = "care"
    THEME = "theme"
    INTRODUCTION = "introduction"
    LONG_AGO = "long_ago"
    NEW = "new"


# How much each reason weighs in the order of the suggestions (per tier where it matters).
WEIGHTS = {
    Source.INTRODUCTION: 3.0,
    Source.CARE: 2.0,
    Source.THEME: 2.0,
    Source.NEW: 1.5,
    Source.LONG_AGO: 1.0,
}
TIER_BONUS = {"A": 1.0, "B": 0.5, "C": 0.2}


@dataclass
class Suggestion:
    person: Person
    score: float = 0.0
    sources: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)

    def add(self, source: str, reason: str) -> None:
        if source not in self.sources:
            self.sources.append(source)
            self.reasons.append(reason)
            self.score += WEIGHTS[source]


def _pool(user: Any, event: Event) -> QuerySet[Person]:
    """Relations the user sees who are not on the list and were not dismissed for it."""
    return (
        visibility.persons(user)
        .exclude(Exists(Guest.objects.filter(event=event, person=OuterRef("pk"))))
        .exclude(Exists(SuggestionDismissal.objects.filter(event=event, person=OuterRef("pk"))))
    )


def _days_since(moment: dt.datetime, today: dt.date) -> int:
    return (today - timezone.localdate(moment)).days


def _care(pool: QuerySet[Person], today: dt.date) -> list[tuple[int, str]]:
    """Key relations past their tier's ideal interval, longest without contact first."""
    found = []
    for tier in Tier.objects.filter(code__in=KEY_TIERS, ideal_interval_days__isnull=False):
        cut = timezone.make_aware(
            dt.datetime.combine(
                today - dt.timedelta(days=tier.ideal_interval_days or 0), dt.time.min
            )
        )
        due = pool.filter(tier=tier, care__tier=tier, care__last_contact_at__lt=cut)
        rows = due.order_by("care__last_contact_at").values_list("pk", "care__last_contact_at")
        for pk, last in rows[:PER_SOURCE]:
            assert last is not None  # noqa: S101 - filtered on it
            days = _days_since(last, today)
            found.append(
                (
                    pk,
                    _("%(tier)s relation, no contact for %(days)d days")
                    % {"tier": tier.code, "days": days},
                )
            )
    return found


def _themes(pool: QuerySet[Person], event: Event) -> list[tuple[int, str]]:
    """Relations tagged with one of the event's themes, or working at an organisation that is;
    key relations first."""
    themes = dict(event.themes.values_list("pk", "name"))
    if not themes:
        return []
    tagged = Person.tags.through.objects.filter(tag_id__in=list(themes))
    at_tagged = Affiliation.objects.current().filter(organisation__tags__in=list(themes))
    themed = pool.filter(
        Exists(tagged.filter(person_id=OuterRef("pk")))
        | Exists(at_tagged.filter(person_id=OuterRef("pk")))
    )
    # Tier by tier, each read in name order from the (tier, name) index and tested row by row:
    # key relations first, and the reading stops as soon as enough are found.
    ids: list[int] = []
    for tier in Tier.objects.order_by("order", "code"):
        if len(ids) >= PER_SOURCE:
            break
        rows = themed.filter(tier=tier).order_by("sort_name")
        ids += rows.values_list("pk", flat=True)[: PER_SOURCE - len(ids)]
    names: dict[int, list[str]] = {}
    for person_id, tag_id in tagged.filter(person_id__in=ids).values_list("person_id", "tag_id"):
        names.setdefault(person_id, []).append(themes[tag_id])
    for person_id, tag_id in at_tagged.filter(person_id__in=ids).values_list(
        "person_id", "organisation__tags"
    ):
        if tag_id in themes and themes[tag_id] not in names.get(person_id, []):
            names.setdefault(person_id, []).append(themes[tag_id])
    return [
        (pk, _("theme: %(themes)s") % {"themes": ", ".join(sorted(names.get(pk, [])))})
        for pk in ids
    ]


def _introductions(pool: QuerySet[Person]) -> list[tuple[int, str]]:
    """Relations a colleague asked to meet (open requests, the newest first)."""
    requests = list(
        IntroductionRequest.objects.filter(met_at__isnull=True)
        .select_related("member__user")
        .order_by("-created_at")[: PER_SOURCE * 5]
    )
    allowed = set(pool.filter(pk__in=[r.person_id for r in requests]).values_list("pk", flat=True))
    return [
        (r.person_id, _("%(name)s asked to meet them") % {"name": r.member.name})
        for r in requests
        if r.person_id in allowed
    ][:PER_SOURCE]


def _long_ago(pool: QuerySet[Person], today: dt.date) -> list[tuple[int, str]]:
    """Key relations who were invited before, but not for over a year."""
    cut = timezone.now() - dt.timedelta(days=LONG_AGO_DAYS)
    invited = (
        Guest.objects.filter(invited_at__isnull=False)
        .values("person_id")
        .annotate(last=Max("invited_at"))
    )
    lasts = {row["person_id"]: row["last"] for row in invited}
    stale = [pk for pk, at in lasts.items() if at < cut]
    keep = set(pool.filter(pk__in=stale, tier__code__in=KEY_TIERS).values_list("pk", flat=True))
    last = sorted(
        ({"person_id": pk, "last": lasts[pk]} for pk in keep),
        key=lambda r: (r["last"], r["person_id"]),
    )[:PER_SOURCE]
    found = []
    for row in last:
        months = max(12, _days_since(row["last"], today) // 30)
        found.append(
            (
                row["person_id"],
                ngettext("last invited %(n)d month ago", "last invited %(n)d months ago", months)
                % {"n": months},
            )
        )
    return found


def _new(pool: QuerySet[Person], today: dt.date) -> list[tuple[int, str]]:
    """Relations added in the last three months (not de-intensified), never invited yet."""
    since = timezone.now() - dt.timedelta(days=NEW_RELATION_DAYS)
    # Ids grow with time: reading them from the newest down stops early, with no index on dates.
    recent = (
        Person.objects.filter(created_at__gte=since)
        .order_by("-pk")
        .values_list("pk", flat=True)[: PER_SOURCE * 5]
    )
    rows = (
        pool.filter(pk__in=list(recent))
        .exclude(tier__code="D")
        .exclude(Exists(Guest.objects.filter(person=OuterRef("pk"), invited_at__isnull=False)))
        .order_by("-created_at")
        .values_list("pk", "created_at")[:PER_SOURCE]
    )
    return [
        (pk, _("new relation since %(day)s") % {"day": day_short_text(created)})
        for pk, created in rows
    ]


def suggestions_for(
    *, user: Any, event: Event, today: dt.date | None = None, limit: int = SHOWN
) -> list[Suggestion]:
    """The best suggestions for the event's list, each with every reason that applies."""
    today = today or timezone.localdate()
    pool = _pool(user, event)
    sources = (
        (Source.INTRODUCTION, _introductions(pool)),
        (Source.CARE, _care(pool, today)),
        (Source.THEME, _themes(pool, event)),
        (Source.NEW, _new(pool, today)),
        (Source.LONG_AGO, _long_ago(pool, today)),
    )
    ids = {pk for _source, rows in sources for pk, _reason in rows}
    people = Person.objects.select_related("tier").defer("search_text").in_bulk(list(ids))
    found: dict[int, Suggestion] = {}
    for source, rows in sources:
        for pk, reason in rows:
            if pk in people:
                found.setdefault(pk, Suggestion(people[pk])).add(source, reason)
    for suggestion in found.values():
        tier = suggestion.person.tier
        suggestion.score += TIER_BONUS.get(tier.code, 0.0) if tier else 0.0
    ranked = sorted(found.values(), key=lambda s: (-s.score, s.person.sort_name, s.person.pk))
    return ranked[:limit]
