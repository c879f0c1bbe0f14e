"""The event report: what an event achieved, measured. Who came against who was invited and
against the turnout predicted beforehand; the share of meeting goals realised (the target is
80% of the high-priority ones); the ties, follow-ups, favours and signals that came of it; what
the guests said in the survey; what it cost per guest who came and per goal realised; how much
of the programme was time to meet. And the same figures side by side for the organisation's
events, to see the trend.

What is traced to an event: the ties and follow-ups its logged meetings made; follow-ups about
a relation who came, created from the event's start until 14 days after it (and whether they
were done within those 14 days); favours and signals with a relation who came in the 90 days
after it. Every figure is read through the reader's visibility scope: a confidential guest
hidden from them changes no number they see."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from gilde import visibility
from gilde.events import turnout
from gilde.events.guestlist import history
from gilde.events.models import (
    SEATED_STATUSES,
    CostItem,
    Event,
    EventStatus,
    GuestStatus,
    MeetingGoal,
    MeetingGoalOutcome,
    MeetingGoalPriority,
    MeetingRecord,
    MetHoped,
    ProgrammeItem,
    ProgrammeItemKind,
)
from gilde.events.selectors import INVITED_STATUSES, Costs, TimeToMeet, costs, time_to_meet
from gilde.goodwill.models import FavourDirection

FOLLOW_UP_DAYS = 14
TRACE_DAYS = 90
# The share of high-priority goals an event should realise.
HIGH_PRIORITY_TARGET = 80
ACCEPTED_ONCE = (GuestStatus.ACCEPTED, GuestStatus.ATTENDED, GuestStatus.NO_SHOW)
# Before the event, where each place stood: what the prediction would have known.
_STAGE_BEFORE = {
    GuestStatus.INVITED: turnout.Stage.TO_ANSWER,
    GuestStatus.NO_ANSWER: turnout.Stage.TO_ANSWER,
    GuestStatus.ACCEPTED: turnout.Stage.ACCEPTED,
    GuestStatus.ATTENDED: turnout.Stage.ACCEPTED,
    GuestStatus.NO_SHOW: turnout.Stage.ACCEPTED,
}


@dataclass
class GoalShare:
    total: int = 0
    met: int = 0
    not_met: int = 0

    @property
    def open(self) -> int:
        return self.total - self.met - self.not_met

    @property
    def share(self) -> int | None:
        return round(100 * self.met / self.total) if self.total else None


@dataclass
class Survey:
    answers: int = 0
    rating: float | None = None
    met_hoped: dict[str, int] = field(default_factory=dict)
    nps_counts: list[int] = field(default_factory=lambda: [0] * 11)
    met_who: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def met_hoped_rows(self) -> list[tuple[str, int]]:
        """Each answer to "did you meet…" with how many gave it (also those none gave)."""
        return [(str(label), self.met_hoped.get(value, 0)) for value, label in MetHoped.choices]

    @property
    def nps(self) -> int | None:
        """Net Promoter Score: % who answer 9-10 minus % who answer 0-6."""
        if not self.answers:
            return None
        promoters = sum(self.nps_counts[9:])
        detractors = sum(self.nps_counts[:7])
        return round(100 * (promoters - detractors) / self.answers)


@dataclass
class Report:
    event: Event
    invited: int
    accepted: int
    attended: int
    no_shows: int
    declined: int
    predicted: float | None
    predicted_low: int | None
    predicted_high: int | None
    goals: GoalShare
    high: GoalShare
    by_priority: dict[int, GoalShare]
    new_ties: int
    follow_ups: int
    follow_ups_done: int
    favours_given: int
    favours_received: int
    signals: int
    survey: Survey
    costs: Costs
    time: TimeToMeet
    minutes_by_kind: dict[str, int]
    goals_list: list[MeetingGoal] = field(default_factory=list)

    @property
    def turnout(self) -> int | None:
        return round(100 * self.attended / self.invited) if self.invited else None

    @property
    def no_show_share(self) -> int | None:
        return round(100 * self.no_shows / self.accepted) if self.accepted else None

    @property
    def high_target_met(self) -> bool | None:
        share = self.high.share
        return None if share is None else share >= HIGH_PRIORITY_TARGET

    @property
    def cost_per_goal(self) -> Decimal | None:
        if not self.goals.met:
            return None
        return (self.costs.expected / self.goals.met).quantize(Decimal("0.01"))

    @property
    def held(self) -> bool:
        return self.attended > 0


def _prediction(user: Any, event: Event, places: Sequence[tuple[int, int, Any, str]]) -> (
    turnout.Prediction | None
):  # fmt: skip
    """The attendance the list's answers predicted before the event, from the history before it."""
    chances = []
    per_person, per_tier = history(before=event.starts_at, person_ids=[p for _, p, _, _ in places])
    tiers = turnout.tier_table(per_tier)
    everyone = turnout.Record()
    for record in per_tier.values():
        everyone.invited += record.invited
        everyone.accepted += record.accepted
        everyone.held_accepts += record.held_accepts
        everyone.attended += record.attended
    overall = turnout.tier_rates(everyone)
    for pk, person_id, tier_id, status in places:
        stage = _STAGE_BEFORE.get(GuestStatus(status), turnout.Stage.OUT)
        if status == GuestStatus.PROPOSED:
            continue
        chances.append(turnout.person_chance(pk, stage, per_person.get(person_id),
                                             tiers.get(tier_id, overall)))  # fmt: skip
    return turnout.predict(chances) if chances else None


def _goal_shares(goals: list[MeetingGoal]) -> tuple[GoalShare, dict[int, GoalShare]]:
    total = GoalShare()
    per: dict[int, GoalShare] = {p: GoalShare() for p in MeetingGoalPriority.values}
    for goal in goals:
        for share in (total, per[goal.priority]):
            share.total += 1
            share.met += goal.outcome == MeetingGoalOutcome.MET
            share.not_met += goal.outcome == MeetingGoalOutcome.NOT_MET
    return total, per


def _survey(user: Any, event: Event) -> Survey:
    result = Survey()
    answers = list(visibility.survey_answers(user).filter(guest__event=event).order_by("id"))
    result.answers = len(answers)
    if not answers:
        return result
    result.rating = round(sum(a.rating for a in answers) / len(answers), 1)
    result.met_hoped = dict(Counter(a.met_hoped for a in answers))
    for answer in answers:
        result.nps_counts[answer.nps] += 1
        if answer.met_who:
            result.met_who.append(answer.met_who)
        if answer.comment:
            result.comments.append(answer.comment)
    return result


def _after(event: Event, days: int) -> dt.datetime:
    return event.ends_at + dt.timedelta(days=days)


def event_report(*, user: Any, event: Event) -> Report:
    """Every figure of the report for one event, as the user may see it."""
    places = list(
        visibility.guests(user).filter(event=event, person__isnull=False)
        .values_list("pk", "person_id", "person__tier_id", "status")
    )  # fmt: skip
    per_status = Counter(status for _, _, _, status in places)
    attended_ids = [p for _, p, _, s in places if s == GuestStatus.ATTENDED]
    prediction = _prediction(user, event, places)
    goals = list(
        visibility.meeting_goals(user).filter(event=event)
        .select_related("member__user", "person_a", "person_b", "theme")
    )  # fmt: skip
    total, per = _goal_shares(goals)
    records = MeetingRecord.objects.filter(goal__in=[g.pk for g in goals])
    new_ties = (
        visibility.ties(user)
        .filter(pk__in=records.filter(tie__isnull=False).values("tie_id"))
        .count()
    )
    window = (event.starts_at, _after(event, FOLLOW_UP_DAYS))
    follow_ups = visibility.follow_ups(user).filter(
        Q(pk__in=records.filter(follow_up__isnull=False).values("follow_up_id"))
        | Q(person_id__in=attended_ids, created_at__range=window)
    )
    done = follow_ups.filter(done_at__isnull=False, done_at__lte=window[1]).count()
    start_day = event.starts_at.date()
    favours = dict(
        visibility.favours(user).filter(
            person_id__in=attended_ids, occurred_on__gte=start_day,
            occurred_on__lte=start_day + dt.timedelta(days=TRACE_DAYS),
        ).values_list("direction").annotate(n=Count("pk")).values_list("direction", "n")
        .order_by()
    )  # fmt: skip
    signals = visibility.contact_moments(user).filter(
        persons__in=attended_ids, signals__gt="",
        occurred_at__gte=event.starts_at, occurred_at__lte=_after(event, TRACE_DAYS),
    ).distinct().count()  # fmt: skip
    items = list(event.programme.all())
    minutes: Counter[str] = Counter()
    for item in items:
        minutes[item.kind] += item.duration_minutes
    return Report(
        event=event,
        invited=sum(n for s, n in per_status.items() if s in INVITED_STATUSES),
        accepted=sum(per_status[s] for s in ACCEPTED_ONCE),
        attended=per_status[GuestStatus.ATTENDED],
        no_shows=per_status[GuestStatus.NO_SHOW],
        declined=per_status[GuestStatus.DECLINED],
        predicted=prediction.expected if prediction else None,
        predicted_low=prediction.low if prediction else None,
        predicted_high=prediction.high if prediction else None,
        goals=total, high=per[MeetingGoalPriority.HIGH], by_priority=per,
        new_ties=new_ties,
        follow_ups=follow_ups.count(), follow_ups_done=done,
        favours_given=favours.get(FavourDirection.GIVEN, 0),
        favours_received=favours.get(FavourDirection.RECEIVED, 0),
        signals=signals,
        survey=_survey(user, event),
        costs=costs(user, event),
        time=time_to_meet(event, items),
        minutes_by_kind={k: minutes[k] for k in ProgrammeItemKind.values if minutes[k]},
        goals_list=sorted(goals, key=lambda g: (g.priority, g.pk)),
    )  # fmt: skip


# The events compared on the trend page: the organisation's latest held events.
TREND_EVENTS = 12


@dataclass
class TrendRow:
    """One event's figures on the trend page: the report's, counted for all events at once."""

    event: Event
    invited: int = 0
    attended: int = 0
    goals: GoalShare = field(default_factory=GoalShare)
    high: GoalShare = field(default_factory=GoalShare)
    new_ties: int = 0
    survey: Survey = field(default_factory=Survey)
    costs: Costs = field(default_factory=Costs)
    time: TimeToMeet | None = None

    @property
    def turnout(self) -> int | None:
        return round(100 * self.attended / self.invited) if self.invited else None

    @property
    def high_target_met(self) -> bool | None:
        share = self.high.share
        return None if share is None else share >= HIGH_PRIORITY_TARGET


def trend(*, user: Any, limit: int = TREND_EVENTS) -> list[TrendRow]:
    """The figures of the latest events that have taken place, oldest first: the same
    definitions as `event_report`, in one grouped query per kind of figure whatever the number
    of events."""
    from django.utils import timezone

    events = list(
        visibility.events(user).filter(starts_at__lt=timezone.now())
        .exclude(status=EventStatus.DRAFT).order_by("-starts_at", "-id")[:limit]
    )  # fmt: skip
    rows = {e.pk: TrendRow(event=e, costs=Costs(budget=e.budget)) for e in reversed(events)}
    ids = list(rows)
    per_status: dict[int, Counter[str]] = {pk: Counter() for pk in ids}
    for event_id, status, n in (
        visibility.guests(user).filter(event_id__in=ids, person__isnull=False)
        .values_list("event_id", "status").annotate(n=Count("pk")).order_by()
    ):  # fmt: skip
        per_status[event_id][status] = n
    goals = visibility.meeting_goals(user).filter(event_id__in=ids)
    for event_id, priority, outcome, n in (
        goals.values_list("event_id", "priority", "outcome").annotate(n=Count("pk")).order_by()
    ):
        row = rows[event_id]
        for share in (
            (row.goals, row.high) if priority == MeetingGoalPriority.HIGH else (row.goals,)
        ):
            share.total += n
            share.met += n if outcome == MeetingGoalOutcome.MET else 0
            share.not_met += n if outcome == MeetingGoalOutcome.NOT_MET else 0
    for event_id, n in (
        MeetingRecord.objects.filter(goal__in=goals.values("pk"), tie__in=visibility.ties(user))
        .values_list("goal__event_id").annotate(n=Count("tie_id", distinct=True)).order_by()
    ):  # fmt: skip
        rows[event_id].new_ties = n
    for event_id, rating, nps in (
        visibility.survey_answers(user).filter(guest__event_id__in=ids)
        .values_list("guest__event_id", "rating", "nps")
    ):  # fmt: skip
        survey = rows[event_id].survey
        survey.answers += 1
        survey.nps_counts[nps] += 1
        survey.rating = (survey.rating or 0) + rating  # summed here, averaged below
    for event_id, planned, actual in CostItem.objects.filter(event_id__in=ids).values_list(
        "event_id", "planned", "actual"
    ):
        found = rows[event_id].costs
        found.planned += planned
        found.actual += actual or Decimal(0)
        found.expected += planned if actual is None else actual
    programme: dict[int, list[ProgrammeItem]] = {pk: [] for pk in ids}
    for item in ProgrammeItem.objects.filter(event_id__in=ids):
        programme[item.event_id].append(item)
    for pk, row in rows.items():
        counts = per_status[pk]
        row.invited = sum(n for status, n in counts.items() if status in INVITED_STATUSES)
        row.attended = counts[GuestStatus.ATTENDED]
        row.costs.invited = row.invited
        row.costs.attending = row.attended or sum(counts[st] for st in SEATED_STATUSES)
        if row.survey.answers:
            row.survey.rating = round((row.survey.rating or 0) / row.survey.answers, 1)
        row.time = time_to_meet(row.event, programme[pk])
    return list(rows.values())


def met_hoped_labels() -> dict[str, str]:
    return {value: str(label) for value, label in MetHoped.choices}
