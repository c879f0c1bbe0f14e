"""The tier review's figures per relation, read in a few grouped queries whatever the network's
size, handed to the ranking engine (gilde.strategy.ranking); and what earlier reviews decided,
so a proposal that was accepted or rejected does not return without new evidence.

The review is the network manager's, who sees every relation: these reads are organisation-wide
on purpose and are only ever shown to network managers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import numpy as np
from django.db.models import Count, Max
from django.utils import timezone

from gilde.contacts.models import ContactMoment
from gilde.goodwill.models import Favour
from gilde.maintenance.models import SuggestionState, TierSuggestion, TieStrength
from gilde.relations.models import Affiliation, Person, Tier
from gilde.strategy.models import ThemeLink
from gilde.strategy.ranking import Inputs, Proposal, rank

NEW_RELATION_DAYS = 182  # a relation registered in the last half year has no history to rank by


def _grouped(qs: Any, key: str = "person_id") -> dict[int, int]:
    return dict(qs.order_by().values(key).annotate(n=Count("id")).values_list(key, "n"))


def _theme_importance() -> dict[int, int]:
    """The highest importance per person: their own links, and those of the organisation they
    work at now."""
    found = dict(
        ThemeLink.objects.filter(person__isnull=False)
        .order_by()
        .values("person_id")
        .annotate(top=Max("importance"))
        .values_list("person_id", "top")
    )
    by_org = dict(
        ThemeLink.objects.filter(organisation__isnull=False)
        .order_by()
        .values("organisation_id")
        .annotate(top=Max("importance"))
        .values_list("organisation_id", "top")
    )
    if by_org:
        for pid, oid in (
            Affiliation.objects.current()
            .filter(organisation_id__in=list(by_org))
            .values_list("person_id", "organisation_id")
        ):
            found[pid] = max(found.get(pid, 0), by_org[oid])
    return found


def inputs(now: dt.datetime) -> tuple[Inputs, list[Tier]]:
    """The figures of every relation with a tier registered over half a year ago."""
    tiers = list(Tier.objects.all())
    index = {t.pk: i for i, t in enumerate(tiers)}
    rows = list(
        Person.objects.filter(
            tier__isnull=False, created_at__lt=now - dt.timedelta(days=NEW_RELATION_DAYS)
        )
        .order_by("pk")
        .values_list("pk", "tier_id")
    )
    half, year = now - dt.timedelta(days=182), now - dt.timedelta(days=365)
    links = ContactMoment.persons.through.objects
    recent = _grouped(links.filter(contactmoment__occurred_at__gte=half))
    before = _grouped(
        links.filter(contactmoment__occurred_at__gte=year, contactmoment__occurred_at__lt=half)
    )
    signals = _grouped(
        links.filter(contactmoment__occurred_at__gte=year, contactmoment__signals__gt="")
    )
    favours = _grouped(
        Favour.objects.filter(
            person__isnull=False, occurred_on__gte=(now - dt.timedelta(days=730)).date()
        )
    )
    # Through the relation's side of the guest lists: the strategy reads no event module.
    events = dict(
        Person.objects.filter(
            tier__isnull=False,
            event_guests__status="attended",
            event_guests__event__starts_at__gte=year,
        )
        .order_by()
        .values("pk")
        .annotate(n=Count("event_guests"))
        .values_list("pk", "n")
    )
    strength = dict(
        TieStrength.objects.order_by()
        .values("person_id")
        .annotate(top=Max("score"))
        .values_list("person_id", "top")
    )
    themes = _theme_importance()
    ids = [pk for pk, _t in rows]

    def column(source: dict[int, int]) -> Any:
        return np.fromiter((source.get(pk, 0) for pk in ids), dtype=np.int64, count=len(ids))

    found = Inputs(
        person_ids=np.array(ids, dtype=np.int64),
        tier=np.fromiter((index[t] for _pk, t in rows), dtype=np.int64, count=len(rows)),
        theme_importance=column(themes),
        strength=column(strength),
        contacts_recent=column(recent),
        contacts_before=column(before),
        favours=column(favours),
        signals=column(signals),
        events=column(events),
    )
    return found, tiers


def _evidence(person_ids: Iterable[int]) -> dict[int, dt.datetime]:
    """The latest new fact per relation: a contact moment, a favour, an event attended or a
    theme link; a decided proposal returns only after such a fact."""
    ids = list(person_ids)
    found: dict[int, dt.datetime] = {}

    def merge(rows: Iterable[tuple[int, Any]]) -> None:
        for pid, when in rows:
            if when is None:
                continue
            if isinstance(when, dt.date) and not isinstance(when, dt.datetime):
                when = timezone.make_aware(dt.datetime.combine(when, dt.time.max))
            if pid not in found or when > found[pid]:
                found[pid] = when

    for chunk in (ids[i : i + 5000] for i in range(0, len(ids), 5000)):
        merge(
            ContactMoment.persons.through.objects.filter(person_id__in=chunk)
            .order_by()
            .values("person_id")
            .annotate(m=Max("contactmoment__created_at"))  # type: ignore[misc]
            .values_list("person_id", "m")
        )
        merge(
            Favour.objects.filter(person_id__in=chunk)
            .order_by()
            .values("person_id")
            .annotate(m=Max("created_at"))
            .values_list("person_id", "m")
        )
        merge(
            ThemeLink.objects.filter(person_id__in=chunk)
            .order_by()
            .values("person_id")
            .annotate(m=Max("created_at"))
            .values_list("person_id", "m")
        )
    return found


def decided_without_news(pairs: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """Of (person id, tier id) proposals, those decided in an earlier review (accepted or
    rejected, to the same tier) with nothing new about the relation since: they stay out."""
    wanted = set(pairs)
    decided: dict[tuple[int, int], dt.datetime] = {}
    for pid, to_tier, when in TierSuggestion.objects.filter(
        state__in=[SuggestionState.ACCEPTED, SuggestionState.REJECTED], decided_at__isnull=False
    ).values_list("person_id", "to_tier_id", "decided_at"):
        if when is not None and (pid, to_tier) in wanted:
            decided[(pid, to_tier)] = max(when, decided.get((pid, to_tier), when))
    if not decided:
        return set()
    evidence = _evidence({pid for pid, _t in decided})
    return {
        key for key, when in decided.items() if not (key[0] in evidence and evidence[key[0]] > when)
    }


def proposals(now: dt.datetime | None = None) -> tuple[list[Proposal], list[Tier]]:
    """Every relation's ranked proposal, earlier decisions respected."""
    now = now or timezone.now()
    found, tiers = inputs(now)
    total = sum(t.guideline_percent for t in tiers) or 1
    shares = tuple(t.guideline_percent / total for t in tiers)
    return rank(found, shares), tiers
