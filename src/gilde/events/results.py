"""Who met whom: a host logs, during or right after the event, which meeting goals were met.
"Met" writes the meeting into the contact history through the one care entry point (a contact
moment with the colleague and relation, or the two relations introduced, with the host), a
person-to-person tie for a new introduction ("met at an event"), and an optional follow-up;
"not met" records only the outcome. Changing an answer takes back what the earlier one made.

Results flow back: a meeting raises the strength of the colleague's tie and resets the
relation's care (through care_follow, as any contact moment does), and high-priority goals that
were not met become suggestions for the organisation's next event (`goals_to_carry_over`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde import visibility
from gilde.accounts.models import Member
from gilde.audit.models import AuditAction
from gilde.audit.services import audit_record
from gilde.contacts.models import ContactKind, FollowUp
from gilde.contacts.services import contact_moment_log
from gilde.events.briefing import hosted_guests
from gilde.events.models import (
    Event,
    GuestStatus,
    MeetingGoal,
    MeetingGoalKind,
    MeetingGoalOutcome,
    MeetingGoalPriority,
    MeetingRecord,
)
from gilde.events.permissions import can_manage_event
from gilde.maintenance.services import care_follow
from gilde.permissions import require_create
from gilde.relations.models import Person, Tie, TieOrigin

# A tie first made at an event: the two have met once.
NEW_TIE_STRENGTH = 2


def _participants(goal: MeetingGoal, host: Member) -> tuple[list[Person], list[Member]]:
    """Who took part in the meeting: the relations of the goal (a theme group's attending
    guests with the theme who are the host's), and the colleague of a colleague goal or the
    host who made the introduction."""
    if goal.kind == MeetingGoalKind.COLLEAGUE:
        return [goal.person_a], [goal.member]  # type: ignore[list-item]
    if goal.kind == MeetingGoalKind.INTRODUCTION:
        return [goal.person_a, goal.person_b], [host]  # type: ignore[list-item]
    people = [
        g.person
        for g in goal.event.guests.filter(
            person__tags=goal.theme, host=host, status=GuestStatus.ATTENDED
        ).select_related("person")
    ]
    return [p for p in people if p is not None], [host]


def _undo(record: MeetingRecord) -> set[int]:
    """Take back what an earlier "met" made; returns the relations whose care it touched."""
    touched: set[int] = set()
    if record.contact_moment is not None:
        touched |= set(record.contact_moment.persons.values_list("pk", flat=True))
        record.contact_moment.delete()  # its follow-up goes with it
    if record.follow_up_id:
        FollowUp.objects.filter(pk=record.follow_up_id).delete()
    if record.tie is not None:
        record.tie.delete()
    record.contact_moment = record.tie = record.follow_up = None
    return touched


def _tie_for(goal: MeetingGoal, event: Event) -> Tie | None:
    """A new tie between two relations introduced to each other; None when they knew each other."""
    a, b = sorted([goal.person_a, goal.person_b], key=lambda p: p.pk)  # type: ignore[union-attr]
    if Tie.objects.filter(person=a, other_person=b).exists():
        return None
    tie = Tie(person=a, other_person=b, strength=NEW_TIE_STRENGTH, how_met=TieOrigin.EVENT,
              how_met_note=event.title[:300],
              since=timezone.localtime(event.starts_at).date())  # fmt: skip
    tie.full_clean()
    tie.save()
    return tie


@transaction.atomic
def meeting_log(
    *, member: Member, goal: MeetingGoal, host: Member, met: bool, note: str = "",
    follow_up: str = "", follow_up_due: dt.date | None = None,
) -> MeetingGoal:  # fmt: skip
    """Record whether a meeting goal was met, as the host (or an organiser for them)."""
    event = goal.event
    require_create(member)
    if not may_log_for(user=member.user, member=member, goal=goal, host=host):
        raise PermissionDenied(_("Only the goal's host and the event's organisers may do this."))
    if event.starts_at > timezone.now():
        raise ValidationError(_("Meetings can be logged once the event has started."))
    goal = (
        MeetingGoal.objects.select_for_update(of=("self",))
        .select_related("event", "member", "person_a", "person_b", "theme")
        .get(pk=goal.pk)
    )
    record, _created = MeetingRecord.objects.select_for_update().get_or_create(goal=goal)
    touched = _undo(record)
    note = " ".join(note.split())[:300]
    if met:
        people, colleagues = _participants(goal, host)
        if not people:
            raise ValidationError(_("None of your guests in this group was there."))
        summary = (_("Met at %(event)s") % {"event": event.title})[:300]
        moment = contact_moment_log(
            actor=member, persons=people, members=colleagues, kind=ContactKind.EVENT,
            summary=summary, notes=note, occurred_at=min(timezone.now(), event.ends_at),
            follow_up=follow_up, follow_up_due=follow_up_due,
        )  # fmt: skip
        record.contact_moment = moment
        record.follow_up = moment.follow_ups.first()
        if goal.kind == MeetingGoalKind.INTRODUCTION:
            record.tie = _tie_for(goal, event)
    elif follow_up.strip():
        raise ValidationError(_("A follow-up comes out of a meeting: mark the goal as met."))
    record.by, record.at = member, timezone.now()
    record.save()
    goal.outcome = MeetingGoalOutcome.MET if met else MeetingGoalOutcome.NOT_MET
    goal.outcome_note, goal.outcome_at, goal.outcome_by = note, timezone.now(), member
    goal.save(update_fields=["outcome", "outcome_note", "outcome_at", "outcome_by"])
    if touched:
        care_follow(person_ids=touched)
    audit_record(actor=member, action=AuditAction.CHANGE, target=event,
                 detail={"meeting_goal": goal.pk, "outcome": goal.outcome})  # fmt: skip
    return goal


@transaction.atomic
def meeting_reset(*, member: Member, goal: MeetingGoal, host: Member) -> MeetingGoal:
    """Back to "not yet known", taking back what logging it made."""
    if not may_log_for(user=member.user, member=member, goal=goal, host=host):
        raise PermissionDenied(_("Only the goal's host and the event's organisers may do this."))
    record = MeetingRecord.objects.select_for_update().filter(goal=goal).first()
    touched = _undo(record) if record else set()
    if record:
        record.delete()
    goal.outcome, goal.outcome_note, goal.outcome_at, goal.outcome_by = (
        MeetingGoalOutcome.OPEN, "", None, None,
    )  # fmt: skip
    goal.save(update_fields=["outcome", "outcome_note", "outcome_at", "outcome_by"])
    if touched:
        care_follow(person_ids=touched)
    return goal


def host_of_goal(*, user: Any, goal: MeetingGoal, member: Member) -> bool:
    """Is this member responsible for the goal as a host (their own, or about their guest)?"""
    if goal.member_id == member.pk:
        return True
    mine = hosted_guests(user=user, event=goal.event, host=member).values_list(
        "person_id", flat=True
    )
    ids = set(mine)
    if goal.kind == MeetingGoalKind.THEME_GROUP:
        return Person.tags.through.objects.filter(
            person_id__in=ids, tag_id=goal.theme_id or 0
        ).exists()
    return bool({goal.person_a_id, goal.person_b_id} & ids)


def may_log_for(*, user: Any, member: Member, goal: MeetingGoal, host: Member) -> bool:
    return can_manage_event(member, goal.event) or (
        member.pk == host.pk and host_of_goal(user=user, goal=goal, member=host)
    )


# ---- results flow back ------------------------------------------------------------------------


@dataclass(frozen=True)
class CarryOver:
    """A high-priority goal not met at an earlier event, offered for the next one."""

    goal: MeetingGoal
    reason: str


def goals_to_carry_over(*, user: Any, event: Event, limit: int = 50) -> list[CarryOver]:
    """High-priority goals of the organisation's earlier events that were not met (and have
    not been met since at a later event), most recent first: suggestions for `event`'s meeting
    goals. A pair already among `event`'s goals is left out."""
    earlier = (
        visibility.meeting_goals(user)
        .filter(event__starts_at__lt=event.starts_at, priority=MeetingGoalPriority.HIGH)
        .exclude(event=event)
        .select_related("event", "member__user", "person_a", "person_b", "theme")
        .order_by("-event__starts_at", "id")
    )
    met = {_pair(g) for g in earlier.filter(outcome=MeetingGoalOutcome.MET)}
    present = {_pair(g) for g in visibility.meeting_goals(user).filter(event=event)}
    found: list[CarryOver] = []
    seen: set[tuple[Any, ...]] = set()
    for goal in earlier.filter(outcome=MeetingGoalOutcome.NOT_MET):
        pair = _pair(goal)
        if pair in met or pair in present or pair in seen:
            continue
        seen.add(pair)
        reason = _("Not met at %(event)s") % {"event": goal.event.title}
        found.append(CarryOver(goal, reason))
        if len(found) >= limit:
            break
    return found


def _pair(goal: MeetingGoal) -> tuple[Any, ...]:
    if goal.kind == MeetingGoalKind.INTRODUCTION:
        return (goal.kind, *sorted([goal.person_a_id or 0, goal.person_b_id or 0]))
    return (goal.kind, goal.member_id, goal.person_a_id, goal.theme_id)
