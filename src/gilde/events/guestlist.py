"""Building an event's guest list from the network: finding relations by filters, the list's
balance while it is built, conflicting interests, invitation fatigue and the turnout to expect.
Every read goes through the acting user's scope: a guest hidden from them counts nowhere."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gilde import visibility
from gilde.accounts.models import Member
from gilde.core.lookups import IdList
from gilde.events import turnout
from gilde.events.models import (
    ConflictPair,
    Event,
    Guest,
    GuestStatus,
    IntroductionRequest,
    SuggestionDismissal,
)
from gilde.events.permissions import require_event_manager
from gilde.events.services import guest_add
from gilde.network import conflicts as conflict_rules
from gilde.relations.models import (
    Affiliation,
    Person,
    Sector,
    StakeholderType,
    Tier,
)
from gilde.relations.selectors import PersonFilters, person_list

# Who is no longer on the list: left out of its balance and warnings.
OFF_LIST = (GuestStatus.DECLINED, GuestStatus.NO_SHOW)


class CareFilter:
    DUE = "due"
    OVERDUE = "overdue"
    NEVER = "never"
    ON_TRACK = "on_track"


@dataclass(frozen=True)
class CandidateFilters(PersonFilters):
    """The person list's filters plus the two that matter for an invitation: the relation's
    care status, and when they were last invited."""

    care: str = ""
    # "never", or a number of months: not invited within that time.
    last_invited: str = ""
    # Part of the name of an organisation the relation works at now.
    organisation_name: str = ""


def _on_list(event: Event) -> QuerySet[Guest]:
    return Guest.objects.filter(event=event, person__isnull=False)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def care_condition(status: str, today: dt.date) -> Q:
    """Relations by care status, from their tier's rhythm and the last contact anyone had with
    them (a relation's own rhythm is not looked at here: the filter finds by tier)."""
    if status == CareFilter.NEVER:
        return Q(tier__ideal_interval_days__isnull=False) & (
            Q(care__isnull=True) | Q(care__last_contact_at__isnull=True)
        )
    condition = Q(pk__in=[])
    for tier in Tier.objects.filter(ideal_interval_days__isnull=False):
        ideal = _day_start(today - dt.timedelta(days=tier.ideal_interval_days or 0))
        most = tier.max_interval_days or 2 * (tier.ideal_interval_days or 0)
        overdue = _day_start(today - dt.timedelta(days=most))
        last = "care__last_contact_at"
        if status == CareFilter.OVERDUE:
            condition |= Q(tier=tier, **{f"{last}__lt": overdue})
        elif status == CareFilter.DUE:
            condition |= Q(tier=tier, **{f"{last}__lt": ideal, f"{last}__gte": overdue})
        elif status == CareFilter.ON_TRACK:
            condition |= Q(tier=tier, **{f"{last}__gte": ideal})
    return condition


def candidates(*, user: Any, event: Event, filters: CandidateFilters) -> QuerySet[Person]:
    """Relations the user may see who are not on the list yet, found by the filters."""
    qs = person_list(user=user, filters=filters).exclude(
        Exists(_on_list(event).filter(person=OuterRef("pk")))
    )
    if filters.organisation_name:
        at = Affiliation.objects.current().filter(
            person=OuterRef("pk"), organisation__name__icontains=filters.organisation_name
        )
        qs = qs.filter(Exists(at))
    if filters.care:
        qs = qs.filter(care_condition(filters.care, timezone.localdate()))
    if filters.last_invited == "never":
        qs = qs.exclude(
            Exists(Guest.objects.filter(person=OuterRef("pk"), invited_at__isnull=False))
        )
    elif filters.last_invited.isdigit():
        since = timezone.now() - dt.timedelta(days=30 * int(filters.last_invited))
        qs = qs.exclude(Exists(Guest.objects.filter(person=OuterRef("pk"), invited_at__gte=since)))
    return qs


def guest_list(*, user: Any, event: Event) -> QuerySet[Guest]:
    """The places on the list the user may see: colleagues (hosts) first, then relations by
    name."""
    return (
        visibility.guests(user)
        .filter(event=event)
        .select_related("person__tier", "member__user", "host__user")
        .order_by(F("person__sort_name").asc(nulls_first=True), "member__user__first_name", "id")
    )


# -- balance -------------------------------------------------------------------------------------


@dataclass
class Balance:
    relations: int = 0
    hosts: int = 0
    stakeholder_types: list[tuple[str, int]] = field(default_factory=list)
    sectors: list[tuple[str, int]] = field(default_factory=list)
    new_faces: int = 0
    known_faces: int = 0
    crowded_organisations: list[tuple[int, str, int]] = field(default_factory=list)
    per_host: list[tuple[str, int]] = field(default_factory=list)
    organisation_limit: int = 3


def balance(*, user: Any, event: Event, organisation_limit: int | None = None) -> Balance:
    """The make-up of the list as it stands (everyone not declined): by stakeholder type, by
    sector, new faces against those who came to an earlier event, organisations with more than
    `organisation_limit` guests, and how many guests each host colleague receives. The places
    are read through the scope once; the figures are then counted over their ids. The limit
    is GILDE_EVENT_ORGANISATION_LIMIT unless given."""
    if organisation_limit is None:
        organisation_limit = settings.GILDE_EVENT_ORGANISATION_LIMIT
    on_list = visibility.guests(user).filter(event=event).exclude(status__in=OFF_LIST)
    places = list(
        on_list.values_list("person_id", "host__user__first_name", "host__user__last_name")
    )
    result = Balance(organisation_limit=organisation_limit)
    person_ids = IdList(sorted({p for p, _f, _l in places if p is not None}))
    result.relations = len(person_ids)
    result.hosts = sum(1 for p, _f, _l in places if p is None)
    hosts: Counter[str] = Counter(
        " ".join(part for part in (first, last) if part) or _("no host yet")
        for p, first, last in places
        if p is not None
    )
    result.per_host = hosts.most_common()
    if not person_ids:
        return result
    types = dict(StakeholderType.objects.values_list("pk", "name_nl" if _dutch() else "name_en"))
    by_type = (
        Person.stakeholder_types.through.objects.filter(person_id__id_in=person_ids)
        .values("stakeholdertype_id")
        .annotate(n=Count("person_id", distinct=True))
    )
    result.stakeholder_types = sorted(
        ((types[row["stakeholdertype_id"]], row["n"]) for row in by_type), key=lambda r: -r[1]
    )
    jobs = Affiliation.objects.current().filter(person_id__id_in=person_ids)
    sectors: dict[str, set[int]] = defaultdict(set)
    organisations: dict[tuple[int, str], set[int]] = defaultdict(set)
    for person_id, organisation_id, name, sector in jobs.values_list(
        "person_id", "organisation_id", "organisation__name", "organisation__sector"
    ):
        organisations[(organisation_id, name)].add(person_id)
        if sector:
            sectors[sector].add(person_id)
    sector_names = dict(Sector.choices)
    result.sectors = sorted(
        ((str(sector_names.get(code, code)), len(people)) for code, people in sectors.items()),
        key=lambda r: (-r[1], r[0]),
    )
    result.crowded_organisations = sorted(
        ((pk, name, len(people)) for (pk, name), people in organisations.items()
         if len(people) > organisation_limit),
        key=lambda r: (-r[2], r[1]),
    )  # fmt: skip
    came_before = Guest.objects.filter(
        person_id__id_in=person_ids, status=GuestStatus.ATTENDED,
        event__starts_at__lt=event.starts_at,
    ).values_list("person_id", flat=True)  # fmt: skip
    result.known_faces = len(set(came_before))
    result.new_faces = result.relations - result.known_faces
    return result


def _dutch() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "nl").startswith("nl")


# -- warnings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    persons: tuple[int, ...]
    message: str
    rule: str = conflict_rules.EXPLICIT


def conflicts(*, user: Any, event: Event) -> list[Conflict]:
    """Conflicting interests among the guests, by the network's one rule set
    (gilde.network.conflicts): one warning per recorded pair, and one per reason that an
    organisation link or a strategy theme gives, naming every guest it concerns."""
    ids = (
        guest_list(user=user, event=event).filter(person__isnull=False)
        .exclude(status__in=OFF_LIST).values_list("person_id", flat=True)
    )  # fmt: skip
    pairs = conflict_rules.conflicting_pairs(list(ids), user)
    if not pairs:
        return []
    shown = {p for pair in pairs for p in (pair.person_a, pair.person_b)}
    names = {p.pk: str(p) for p in Person.objects.filter(pk__in=shown)}
    unexplained = _("recorded as having conflicting interests")
    found: list[Conflict] = []
    grouped: dict[tuple[str, str], set[int]] = {}
    for pair in pairs:
        if pair.rule == conflict_rules.EXPLICIT:
            message = _("%(a)s and %(b)s have conflicting interests") % {
                "a": names[pair.person_a], "b": names[pair.person_b],
            }  # fmt: skip
            if pair.reason != unexplained:
                message = f"{message}: {pair.reason}"
            found.append(Conflict((pair.person_a, pair.person_b), message))
        else:
            grouped.setdefault((pair.rule, pair.reason), set()).update(
                (pair.person_a, pair.person_b)
            )
    for (rule, reason), people in grouped.items():
        ordered = tuple(sorted(people, key=lambda pk: (names[pk], pk)))
        listed = ", ".join(names[pk] for pk in ordered)
        found.append(Conflict(ordered, f"{reason} ({listed})", rule))
    return found


def fatigue(
    *, event: Event, person_ids: Iterable[int], invitations: int | None = None,
    declines: int | None = None, now: dt.datetime | None = None,
) -> dict[int, str]:  # fmt: skip
    """Relations asked too often: invited more than `invitations` times in the last twelve
    months, or who declined the last `declines` invitations (other events only). The limits are
    GILDE_EVENT_FATIGUE_INVITATIONS and GILDE_EVENT_FATIGUE_DECLINES unless given."""
    if invitations is None:
        invitations = settings.GILDE_EVENT_FATIGUE_INVITATIONS
    if declines is None:
        declines = settings.GILDE_EVENT_FATIGUE_DECLINES
    now = now or timezone.now()
    ids = list(person_ids)
    rows = (
        Guest.objects.filter(person_id__in=ids, invited_at__isnull=False)
        .exclude(event=event)
        .order_by("person_id", "-invited_at")
        .values_list("person_id", "invited_at", "status")
    )
    recent: Counter[int] = Counter()
    answers: dict[int, list[str]] = defaultdict(list)
    year_ago = now - dt.timedelta(days=365)
    for person_id, invited_at, status in rows:
        if invited_at is not None and invited_at >= year_ago:
            recent[person_id] += 1
        if status not in (GuestStatus.INVITED, GuestStatus.PROPOSED):
            answers[person_id].append(status)
    flagged: dict[int, str] = {}
    for person_id in ids:
        last = answers[person_id][:declines]
        if len(last) == declines and all(s == GuestStatus.DECLINED for s in last):
            flagged[person_id] = ngettext(
                "declined the last invitation", "declined the last %(n)d invitations", declines
            ) % {"n": declines}
        elif recent[person_id] > invitations:
            flagged[person_id] = _("invited %(n)d times in 12 months") % {"n": recent[person_id]}
    return flagged


# -- turnout -------------------------------------------------------------------------------------


def _outcome(status: str, held: bool) -> str | None:
    """What a past place on a list says about turnout, or None when it says nothing (never
    invited, still waiting for an answer or a seat)."""
    if status in (GuestStatus.ATTENDED, GuestStatus.NO_SHOW, GuestStatus.DECLINED):
        return str(status)
    if status == GuestStatus.NO_ANSWER or (status == GuestStatus.INVITED and held):
        return turnout.Outcome.NO_ANSWER
    if status == GuestStatus.ACCEPTED:
        return turnout.Outcome.ACCEPTED
    return None


def history(*, before: dt.datetime, person_ids: Iterable[int] | None = None) -> tuple[
    dict[int, turnout.Record], dict[int | None, turnout.Record]
]:  # fmt: skip
    """The turnout history of events that started before `before`: per relation (only those in
    `person_ids` when given) and per tier."""
    rows = Guest.objects.filter(person__isnull=False, event__starts_at__lt=before).exclude(
        status=GuestStatus.PROPOSED
    )
    per_tier = turnout.records_by(
        (row["person__tier_id"], outcome)
        for row in rows.values("person__tier_id", "status", "event__ends_at")
        if (outcome := _outcome(row["status"], row["event__ends_at"] < before)) is not None
    )
    mine = rows if person_ids is None else rows.filter(person_id__in=list(person_ids))
    per_person = turnout.records_by(
        (row["person_id"], outcome)
        for row in mine.values("person_id", "status", "event__ends_at")
        if (outcome := _outcome(row["status"], row["event__ends_at"] < before)) is not None
    )
    return per_person, per_tier  # type: ignore[return-value]


STAGES = {
    GuestStatus.PROPOSED: turnout.Stage.TO_ANSWER,
    GuestStatus.INVITED: turnout.Stage.TO_ANSWER,
    GuestStatus.NO_ANSWER: turnout.Stage.TO_ANSWER,
    GuestStatus.ACCEPTED: turnout.Stage.ACCEPTED,
    GuestStatus.ATTENDED: turnout.Stage.CERTAIN,
    GuestStatus.WAITLISTED: turnout.Stage.OUT,
    GuestStatus.DECLINED: turnout.Stage.OUT,
    GuestStatus.NO_SHOW: turnout.Stage.OUT,
}


@dataclass(frozen=True)
class Turnout:
    prediction: turnout.Prediction
    target: int | None
    history_size: int
    default_rate: float


def turnout_for(*, user: Any, event: Event, target: int | None = None) -> Turnout:
    """Expected attendance of the relations on the list (colleagues come: they are counted
    as certain), its 80% interval, and how many more to invite to reach `target` (the event's
    capacity unless given). Guests of a paid event come more often (see turnout)."""
    paid = event.paid
    places = list(
        visibility.guests(user).filter(event=event)
        .values_list("pk", "person_id", "person__tier_id", "status")
    )  # fmt: skip
    person_ids = [p for _pk, p, _t, _s in places if p is not None]
    per_person, per_tier = history(before=event.starts_at, person_ids=person_ids)
    tiers = turnout.tier_table(per_tier, paid=paid)
    everyone = turnout.Record()
    for record in per_tier.values():
        everyone.invited += record.invited
        everyone.accepted += record.accepted
        everyone.held_accepts += record.held_accepts
        everyone.attended += record.attended
    overall = turnout.tier_rates(everyone, paid=paid)
    chances = []
    for pk, person_id, tier_id, status in places:
        stage = turnout.Stage.CERTAIN if person_id is None else STAGES[GuestStatus(status)]
        if person_id is None and status in OFF_LIST:
            stage = turnout.Stage.OUT
        history_of = per_person.get(person_id or 0)
        chances.append(turnout.person_chance(pk, stage, history_of, tiers.get(tier_id, overall)))
    goal = target if target is not None else event.capacity
    prediction = turnout.predict(chances, target=goal, new_guest=overall)
    return Turnout(prediction, goal, everyone.invited, overall.attend)


# -- changes -------------------------------------------------------------------------------------


@transaction.atomic
def suggestion_accept(*, member: Member, event: Event, person: Person, reason: str) -> Guest:
    """Put a suggested relation on the list as proposed, with the suggestion's reasons."""
    return guest_add(member=member, event=event, person=person, reason=reason[:300])


@transaction.atomic
def suggestion_dismiss(*, member: Member, event: Event, person: Person) -> SuggestionDismissal:
    """Turn a suggestion down: it is not suggested again for this event."""
    require_event_manager(member, event)
    dismissal, _created = SuggestionDismissal.objects.get_or_create(
        event=event, person=person, defaults={"by": member}
    )
    return dismissal


@transaction.atomic
def conflict_pair_record(
    *, member: Member, person: Person, other: Person, reason: str = ""
) -> ConflictPair:
    """Record that two relations have conflicting interests (once per pair)."""
    if not member.can_write:
        raise PermissionDenied(_("Read-only members change nothing."))
    if person.pk == other.pk:
        raise ValidationError(_("Choose two different relations."))
    a, b = sorted((person, other), key=lambda p: p.pk)
    pair = ConflictPair.objects.filter(person_a=a, person_b=b).first()
    if pair is None:
        pair = ConflictPair(person_a=a, person_b=b, reason=reason, created_by=member)
        pair.full_clean()
        pair.save()
    return pair


@transaction.atomic
def introduction_request_record(
    *, member: Member, person: Person, note: str = ""
) -> IntroductionRequest:
    """A colleague asks to meet a relation (once while the request is open)."""
    if not member.can_write:
        raise PermissionDenied(_("Read-only members change nothing."))
    open_ = IntroductionRequest.objects.filter(member=member, person=person, met_at__isnull=True)
    request = open_.first()
    if request is None:
        request = IntroductionRequest(member=member, person=person, note=note)
        request.full_clean()
        request.save()
    return request


@transaction.atomic
def guest_host_set(*, member: Member, guest: Guest, host: Member | None) -> Guest:
    """Give a relation on the list a host colleague (or none)."""
    require_event_manager(member, guest.event)
    if guest.person_id is None:
        raise ValidationError(_("Only relations are received by a host."))
    guest.host = host
    guest.save(update_fields=["host"])
    return guest


@transaction.atomic
def introduction_request_met(
    *, member: Member, request: IntroductionRequest
) -> IntroductionRequest:
    """The meeting happened (or is no longer wanted): the relation is no longer suggested for it.
    Only the colleague who asked and network managers close a request."""
    if request.member_id != member.pk and not member.manages_network:
        raise PermissionDenied(_("Only the colleague who asked and network managers may do this."))
    request.met_at = timezone.now()
    request.save(update_fields=["met_at"])
    return request


def introduction_requests(*, user: Any) -> QuerySet[IntroductionRequest]:
    """Open introduction requests about relations the user may see, newest first."""
    return (
        IntroductionRequest.objects.filter(met_at__isnull=True, person__in=visibility.persons(user))
        .select_related("member__user", "person__tier")
        .order_by("-created_at", "-id")
    )
