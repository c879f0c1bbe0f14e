"""Who should meet whom at an event: meeting goals added by hand, taken over from colleagues'
introduction requests and from the guests' own RSVP answers, and suggested by Gilde with its
reasons. Goals only name people on the event's list; the reader sees the goals whose people they
may see."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from gilde import visibility
from gilde.accounts.models import Member
from gilde.events.guestlist import OFF_LIST
from gilde.events.models import (
    Event,
    Guest,
    IntroductionRequest,
    MeetingGoal,
    MeetingGoalKind,
    MeetingGoalPriority,
    MeetingGoalSource,
)
from gilde.events.permissions import require_event_manager
from gilde.network.conflicts import conflicting_pairs
from gilde.relations.models import Affiliation, Person, Tag, Tie
from gilde.relations.selectors import search_persons

SUGGESTIONS_SHOWN = 20
# Words that separate names in a guest's free-text answer ("Jan de Vries en Els Bakker").
WISH_SEPARATORS = re.compile(r"[,;\n/]+|\s+(?:en|and|&|of|or)\s+", re.IGNORECASE)


# ---- reading -----------------------------------------------------------------------------------


def meeting_goals(*, user: Any, event: Event) -> QuerySet[MeetingGoal]:
    """The event's goals whose relations the user may see, highest priority first."""
    hidden = visibility.hidden_persons(user).values("pk")
    return (
        MeetingGoal.objects.filter(event=event)
        .exclude(person_a__in=hidden)
        .exclude(person_b__in=hidden)
        .select_related("member__user", "person_a", "person_b", "theme", "asked_by__user")
        .order_by("priority", "id")
    )


def _on_list(event: Event) -> QuerySet[Guest]:
    return Guest.objects.filter(event=event).exclude(status__in=OFF_LIST)


def _require_on_list(event: Event, *, persons: list[Person], member: Member | None) -> None:
    listed = set(
        _on_list(event)
        .filter(Q(person__in=persons) | Q(member=member) if member else Q(person__in=persons))
        .values_list("person_id", "member_id")
    )
    person_ids = {p for p, _m in listed if p}
    for person in persons:
        if person.pk not in person_ids:
            raise ValidationError(
                _("%(name)s is not on the guest list of this event.") % {"name": person}
            )
    if member is not None and not any(m == member.pk for _p, m in listed):
        raise ValidationError(
            _("%(name)s is not on the guest list of this event: add them as host first.")
            % {"name": member}
        )


def _same_goal(goal: MeetingGoal) -> QuerySet[MeetingGoal]:
    others = MeetingGoal.objects.filter(event_id=goal.event_id, kind=goal.kind)
    if goal.kind == MeetingGoalKind.COLLEAGUE:
        return others.filter(member=goal.member, person_a=goal.person_a)
    if goal.kind == MeetingGoalKind.INTRODUCTION:
        return others.filter(
            Q(person_a_id=goal.person_a_id, person_b_id=goal.person_b_id)
            | Q(person_a_id=goal.person_b_id, person_b_id=goal.person_a_id)
        )
    return others.filter(theme_id=goal.theme_id)


# ---- writing -----------------------------------------------------------------------------------


@transaction.atomic
def meeting_goal_add(
    *, member: Member, event: Event, kind: str, colleague: Member | None = None,
    person_a: Person | None = None, person_b: Person | None = None, theme: Tag | None = None,
    priority: int = MeetingGoalPriority.NORMAL, reason: str = "",
    source: str = MeetingGoalSource.HAND, asked_by: Member | None = None,
    introduction_request: IntroductionRequest | None = None,
) -> MeetingGoal:  # fmt: skip
    """Record that the organisation wants these people to meet at the event. Everyone named
    must be on the guest list; the same goal is kept once."""
    require_event_manager(member, event)
    goal = MeetingGoal(
        event=event, kind=kind, priority=priority, reason=reason[:300], source=source,
        asked_by=asked_by or member, introduction_request=introduction_request,
    )  # fmt: skip
    if kind == MeetingGoalKind.COLLEAGUE:
        if colleague is None or person_a is None:
            raise ValidationError(_("Choose a colleague and a relation."))
        goal.member, goal.person_a = colleague, person_a
        _require_on_list(event, persons=[person_a], member=colleague)
    elif kind == MeetingGoalKind.INTRODUCTION:
        if person_a is None or person_b is None:
            raise ValidationError(_("Choose two relations."))
        if person_a.pk == person_b.pk:
            raise ValidationError(_("Choose two different relations."))
        goal.person_a, goal.person_b = person_a, person_b
        _require_on_list(event, persons=[person_a, person_b], member=None)
    elif kind == MeetingGoalKind.THEME_GROUP:
        if theme is None:
            raise ValidationError(_("Choose a theme."))
        goal.theme = theme
    else:
        raise ValidationError(_("Choose what kind of meeting this is."))
    if _same_goal(goal).exists():
        raise ValidationError(_("This meeting goal is already on the list."))
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def meeting_goal_priority_set(*, member: Member, goal: MeetingGoal, priority: int) -> MeetingGoal:
    """Change how much a goal counts (high, normal, low)."""
    require_event_manager(member, goal.event)
    if priority not in MeetingGoalPriority.values:
        raise ValidationError(_("Choose high, normal or low."))
    goal.priority = priority
    goal.save(update_fields=["priority"])
    return goal


@transaction.atomic
def meeting_goal_delete(*, member: Member, goal: MeetingGoal) -> None:
    """Drop a goal from the event."""
    require_event_manager(member, goal.event)
    goal.delete()


@transaction.atomic
def meeting_goals_from_requests(*, member: Member, event: Event) -> list[MeetingGoal]:
    """Turn the open introduction requests about relations on the list into goals: the colleague
    who asked meets the relation (when the colleague is on the list too)."""
    require_event_manager(member, event)
    listed = _on_list(event)
    persons = listed.filter(person__isnull=False).values("person_id")
    colleagues = set(listed.filter(member__isnull=False).values_list("member_id", flat=True))
    requests = IntroductionRequest.objects.filter(
        met_at__isnull=True, person__in=persons, member_id__in=colleagues
    ).select_related("member__user", "person")
    existing = set(
        MeetingGoal.objects.filter(event=event, kind=MeetingGoalKind.COLLEAGUE).values_list(
            "member_id", "person_a_id"
        )
    )
    made = []
    for wish in requests.order_by("created_at", "id"):
        if (wish.member_id, wish.person_id) in existing:
            continue
        goal = MeetingGoal(
            event=event, kind=MeetingGoalKind.COLLEAGUE, member=wish.member,
            person_a=wish.person, priority=MeetingGoalPriority.HIGH,
            source=MeetingGoalSource.INTRODUCTION_REQUEST, asked_by=wish.member,
            introduction_request=wish,
            reason=(wish.note or _("%(name)s asked to meet them") % {"name": wish.member})[:300],
        )  # fmt: skip
        goal.full_clean()
        goal.save()
        existing.add((wish.member_id, wish.person_id))
        made.append(goal)
    return made


@dataclass
class WishMatch:
    """What the guests' own answers gave: the goals made, and the names that matched no one on
    the list (or more than one)."""

    goals: list[MeetingGoal] = field(default_factory=list)
    unmatched: list[tuple[Guest, str]] = field(default_factory=list)


def _wish_parts(text: str) -> list[str]:
    parts = [p.strip(" .?!\"'") for p in WISH_SEPARATORS.split(text)]
    return [p for p in parts if len(p) >= 3][:10]


@transaction.atomic
def meeting_goals_from_rsvp(*, member: Member, user: Any, event: Event) -> WishMatch:
    """Read each guest's answer to "whom would you like to meet?" and match every name in it
    to one person on the list (through the person search) or one colleague on the list; a match
    becomes a goal with the guest's own words as its reason."""
    require_event_manager(member, event)
    listed = _on_list(event).select_related("person", "member__user")
    on_list = visibility.persons(user).filter(pk__in=listed.values("person_id"))
    colleagues = [g.member for g in listed if g.member is not None]
    result = WishMatch()
    wishes = (
        visibility.guests(user).filter(event=event, person__isnull=False).exclude(wish_to_meet="")
    )
    for guest in wishes.exclude(status__in=OFF_LIST).select_related("person"):
        assert guest.person is not None  # noqa: S101 - filtered above
        for part in _wish_parts(guest.wish_to_meet):
            goal = _goal_for_wish(member, event, guest, part, on_list, colleagues)
            if goal is None:
                result.unmatched.append((guest, part))
            elif goal.pk is not None:
                result.goals.append(goal)
    return result


def _goal_for_wish(
    member: Member, event: Event, guest: Guest, part: str, on_list: QuerySet[Person],
    colleagues: list[Member],
) -> MeetingGoal | None:  # fmt: skip
    """The goal one name in a wish stands for: None when it matches no one (or several); an
    unsaved goal when it is already on the list."""
    folded = part.casefold()
    named = [m for m in colleagues if m.name.casefold() == folded]
    found = list(search_persons(on_list, part).exclude(pk=guest.person_id or 0)[:2])
    reason = _("Asked for in the RSVP: “%(text)s”") % {"text": part}
    if len(named) == 1 and not found:
        goal = MeetingGoal(event=event, kind=MeetingGoalKind.COLLEAGUE, member=named[0],
                           person_a=guest.person)  # fmt: skip
    elif len(found) == 1 and not named:
        goal = MeetingGoal(event=event, kind=MeetingGoalKind.INTRODUCTION,
                           person_a=guest.person, person_b=found[0])  # fmt: skip
    else:
        return None
    if _same_goal(goal).exists():
        return goal
    goal.source, goal.reason, goal.asked_by = MeetingGoalSource.RSVP, reason[:300], member
    goal.full_clean()
    goal.save()
    return goal


# ---- suggestions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalSuggestion:
    """A meeting Gilde proposes, with the reasons it found. `key` names it in a form."""

    kind: str
    reasons: tuple[str, ...]
    score: float
    person_a: Person | None = None
    person_b: Person | None = None
    colleague: Member | None = None
    theme: Tag | None = None

    @property
    def key(self) -> str:
        if self.kind == MeetingGoalKind.THEME_GROUP:
            return f"t{self.theme.pk if self.theme else 0}"
        if self.kind == MeetingGoalKind.COLLEAGUE:
            return f"c{self.colleague.pk if self.colleague else 0}-{self.person_a.pk if self.person_a else 0}"
        return f"i{self.person_a.pk if self.person_a else 0}-{self.person_b.pk if self.person_b else 0}"


def _words(text: str) -> set[str]:
    return {w.casefold() for w in Person.split_list(text)}


@dataclass
class _Guests:
    """The relations and colleagues on the list, with what their introductions are made of."""

    persons: dict[int, Person]
    colleagues: dict[int, Member]
    tags: dict[int, set[int]]
    organisations: dict[int, set[int]]


def _guests(user: Any, event: Event) -> _Guests:
    listed = visibility.guests(user).filter(event=event).exclude(status__in=OFF_LIST)
    persons = {
        p.pk: p
        for p in visibility.persons(user)
        .filter(pk__in=listed.values("person_id"))
        .select_related("tier")
    }
    colleagues = {
        g.member.pk: g.member
        for g in listed.filter(member__isnull=False).select_related("member__user")
        if g.member is not None
    }
    tags: dict[int, set[int]] = defaultdict(set)
    for person_id, tag_id in Person.tags.through.objects.filter(
        person_id__in=list(persons)
    ).values_list("person_id", "tag_id"):
        tags[person_id].add(tag_id)
    organisations: dict[int, set[int]] = defaultdict(set)
    rows = Affiliation.objects.current().filter(person_id__in=list(persons))
    for person_id, org_id in rows.values_list("person_id", "organisation_id"):
        organisations[person_id].add(org_id)
    return _Guests(persons, colleagues, tags, organisations)


def _kept_apart(ids: list[int], user: Any) -> set[tuple[int, int]]:
    """Pairs of guests with conflicting interests, by the network's one rule set."""
    return {(pair.person_a, pair.person_b) for pair in conflicting_pairs(ids, user)}


def meeting_goal_suggestions(*, user: Any, event: Event) -> list[GoalSuggestion]:
    """Meetings worth making, each with its reasons: relations on the list who share passions,
    interests or the event's themes but do not know each other yet; key relations whose tie with
    the colleagues present is weak; and the event's themes that several guests carry. Pairs with
    conflicting interests and goals already made are left out."""
    guests = _guests(user, event)
    existing = MeetingGoal.objects.filter(event=event)
    made = {
        (g.kind, g.member_id or g.person_a_id, g.person_b_id or g.person_a_id, g.theme_id)
        for g in existing
    }
    found = _introduction_suggestions(event, guests, made, user)
    found += _colleague_suggestions(guests, made)
    found += _theme_suggestions(event, guests, made)
    found.sort(key=lambda s: -s.score)
    return found[:SUGGESTIONS_SHOWN]


def _introduction_suggestions(
    event: Event, guests: _Guests, made: set[tuple[Any, ...]], user: Any
) -> list[GoalSuggestion]:
    ids = sorted(guests.persons)
    themes = set(event.themes.values_list("pk", flat=True))
    theme_names = dict(Tag.objects.filter(pk__in=themes).values_list("pk", "name"))
    passions = {pk: _words(p.passions) | _words(p.interests) for pk, p in guests.persons.items()}
    # Who shares something: an inverted index, so a long list costs its shared words, not n².
    sharing: dict[str, set[int]] = defaultdict(set)
    for pk in ids:
        for word in passions[pk]:
            sharing[f"p:{word}"].add(pk)
        for tag in guests.tags[pk] & themes:
            sharing[f"t:{tag}"].add(pk)
    reasons: dict[tuple[int, int], list[str]] = defaultdict(list)
    scores: dict[tuple[int, int], float] = defaultdict(float)
    for key, people in sharing.items():
        if len(people) > 40:  # a passion half the room shares says little about a pair
            continue
        for a, b in combinations(sorted(people), 2):
            if key.startswith("p:"):
                reasons[(a, b)].append(_("both: %(passion)s") % {"passion": key[2:]})
                scores[(a, b)] += 1.0
            else:
                name = theme_names.get(int(key[2:]), "")
                reasons[(a, b)].append(_("theme of the event: %(theme)s") % {"theme": name})
                scores[(a, b)] += 2.0
    if not scores:
        return []
    apart = _kept_apart(ids, user)
    known = set(
        Tie.objects.filter(person_id__in=ids, other_person_id__in=ids).values_list(
            "person_id", "other_person_id"
        )
    )
    out = []
    for (a, b), score in scores.items():
        if (a, b) in apart or (a, b) in known or (b, a) in known:
            continue
        if guests.organisations[a] & guests.organisations[b]:
            continue  # colleagues of one organisation meet at the office
        if (MeetingGoalKind.INTRODUCTION, a, b, None) in made or (
            MeetingGoalKind.INTRODUCTION,
            b,
            a,
            None,
        ) in made:
            continue
        why = [*reasons[(a, b)], _("they do not know each other yet")]
        out.append(GoalSuggestion(
            kind=MeetingGoalKind.INTRODUCTION, person_a=guests.persons[a],
            person_b=guests.persons[b], reasons=tuple(why), score=score,
        ))  # fmt: skip
    return out


def _colleague_suggestions(guests: _Guests, made: set[tuple[Any, ...]]) -> list[GoalSuggestion]:
    key_ids = [pk for pk, p in guests.persons.items() if p.tier is not None and p.tier.code == "A"]
    if not key_ids or not guests.colleagues:
        return []
    ties: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for person_id, member_id, strength in Tie.objects.filter(
        person_id__in=key_ids, member_id__in=list(guests.colleagues)
    ).values_list("person_id", "member_id", "strength"):
        ties[person_id].append((strength, member_id))
    out = []
    for pk in key_ids:
        best = max(ties[pk], default=None)
        if best is not None and best[0] >= 3:
            continue  # someone present already knows them well
        colleague = guests.colleagues[best[1]] if best else next(iter(guests.colleagues.values()))
        if (MeetingGoalKind.COLLEAGUE, colleague.pk, pk, None) in made:
            continue
        why = (
            _("key relation; the tie with %(name)s is weak (%(n)d of 5)")
            % {"name": colleague, "n": best[0]}
            if best
            else _("key relation; no colleague present knows them yet")
        )
        out.append(GoalSuggestion(
            kind=MeetingGoalKind.COLLEAGUE, colleague=colleague, person_a=guests.persons[pk],
            reasons=(why,), score=2.5,
        ))  # fmt: skip
    return out


def _theme_suggestions(
    event: Event, guests: _Guests, made: set[tuple[Any, ...]]
) -> list[GoalSuggestion]:
    out = []
    for theme in event.themes.all():
        if any(key[0] == MeetingGoalKind.THEME_GROUP and key[3] == theme.pk for key in made):
            continue
        carriers = [pk for pk, tags in guests.tags.items() if theme.pk in tags]
        if len(carriers) < 3:
            continue
        why = _("%(n)d guests work on %(theme)s") % {"n": len(carriers), "theme": theme}
        out.append(GoalSuggestion(kind=MeetingGoalKind.THEME_GROUP, theme=theme, reasons=(why,),
                                  score=1.5 + len(carriers) / 10))  # fmt: skip
    return out


def meeting_goal_suggestion_accept(
    *, member: Member, user: Any, event: Event, key: str
) -> MeetingGoal:
    """Make a suggested goal, found again by its key (so the reasons are Gilde's, not the
    form's)."""
    for suggestion in meeting_goal_suggestions(user=user, event=event):
        if suggestion.key == key:
            return meeting_goal_add(
                member=member, event=event, kind=suggestion.kind, colleague=suggestion.colleague,
                person_a=suggestion.person_a, person_b=suggestion.person_b,
                theme=suggestion.theme, source=MeetingGoalSource.SUGGESTION,
                reason="; ".join(suggestion.reasons),
            )  # fmt: skip
    raise ValidationError(_("This suggestion is no longer open."))
