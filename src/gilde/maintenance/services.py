"""Writes for relationship maintenance: keeping the derived figures current, and the choices
members make (own rhythm, snooze, hand-over, digest day, calendar feed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.accounts.models import Member
from gilde.audit.models import AuditAction
from gilde.audit.services import audit_record
from gilde.maintenance.care import RecomputeResult, care_refresh
from gilde.maintenance.models import RelationCare, ReminderSettings
from gilde.permissions import may_take_over, require_act_on, require_edit
from gilde.relations.models import Person

MAX_SNOOZE_DAYS = 366


def care_follow(*, person_ids: Collection[int]) -> None:
    """The one entry point of care. Every service that changes an input of a relation's status,
    tie strengths or who is reminded (contact moments and their participants, colleague ties,
    tiers, merges, imports and their undo, a colleague's hand-over) calls it in its own
    transaction, so the stored figures never wait for the nightly recompute, which only lets
    strengths fade with time. tests/maintenance/test_care_follows.py holds every service to it."""
    care_refresh(person_ids=person_ids)


def network_recompute(*, now: dt.datetime | None = None) -> RecomputeResult:
    """Rebuild every derived figure from the contact history (nightly, and after imports)."""
    return care_refresh(person_ids=None, now=now)


def _care_of(person: Person) -> RelationCare:
    care, created = RelationCare.objects.select_for_update().get_or_create(person=person)
    if created:
        care_follow(person_ids=[person.pk])
        care.refresh_from_db()
    return care


@transaction.atomic
def relation_snooze(
    *, actor: Member, person: Person, until: dt.date, reason: str = "", today: dt.date | None = None
) -> RelationCare:
    """Postpone the reminder for a relation until a day; it comes back by itself on that day."""
    today = today or timezone.localdate()
    care = _care_of(person)
    require_act_on(actor, person, care)
    if until <= today:
        raise ValidationError({"until": _("Choose a day after today.")})
    if (until - today).days > MAX_SNOOZE_DAYS:
        raise ValidationError({"until": _("Snooze for at most a year.")})
    care.snoozed_until, care.snooze_reason, care.snoozed_by = until, reason.strip()[:300], actor
    care.save(update_fields=["snoozed_until", "snooze_reason", "snoozed_by", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=person,
        detail={"maintenance": "snooze", "until": until.isoformat()},
    )
    return care


@transaction.atomic
def relation_unsnooze(*, actor: Member, person: Person) -> RelationCare:
    care = _care_of(person)
    require_act_on(actor, person, care)
    care.snoozed_until, care.snooze_reason, care.snoozed_by = None, "", None
    care.save(update_fields=["snoozed_until", "snooze_reason", "snoozed_by", "updated_at"])
    return care


@transaction.atomic
def relation_hand_over(*, actor: Member, person: Person, to: Member) -> RelationCare:
    """Make a colleague the one reminded to contact this relation."""
    care = _care_of(person)
    require_act_on(actor, person, care)
    if not to.can_write or not to.user.is_active:
        raise ValidationError({"to": _("Choose a colleague who can log contact moments.")})
    if not may_take_over(to, person):
        raise ValidationError({"to": _("Choose a colleague who may see this relation.")})
    care.handed_to, care.handed_at = to, timezone.now()
    care.snoozed_until, care.snooze_reason = None, ""
    care.save(
        update_fields=["handed_to", "handed_at", "snoozed_until", "snooze_reason", "updated_at"]
    )
    care_follow(person_ids=[person.pk])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=person,
        detail={"maintenance": "hand_over", "to_member": to.pk},
    )
    care.refresh_from_db()
    return care


@transaction.atomic
def relation_rhythm_set(
    *,
    actor: Member,
    person: Person,
    ideal_interval_days: int | None,
    max_interval_days: int | None,
    no_reminders: bool = False,
) -> RelationCare:
    """Give a relation its own contact rhythm (empty: the tier's), or switch reminders off."""
    require_edit(actor, person)
    care = _care_of(person)
    if max_interval_days is not None and ideal_interval_days is None:
        raise ValidationError({"ideal_interval_days": _("Give an ideal interval as well.")})
    care.ideal_interval_days = None if no_reminders else ideal_interval_days
    care.max_interval_days = None if no_reminders else max_interval_days
    care.no_reminders = no_reminders
    care.full_clean()
    care.save()
    care_follow(person_ids=[person.pk])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=person,
        detail={
            "maintenance": "rhythm",
            "ideal": care.ideal_interval_days,
            "max": care.max_interval_days,
            "no_reminders": no_reminders,
        },
    )
    care.refresh_from_db()
    return care


def reminder_settings_of(member: Member) -> ReminderSettings:
    """The member's settings, or the defaults (digest on Monday, no feed) without saving."""
    try:
        return member.reminder_settings
    except ReminderSettings.DoesNotExist:
        return ReminderSettings(member=member)


@transaction.atomic
def digest_weekday_set(*, actor: Member, weekday: int | None) -> ReminderSettings:
    settings, _created = ReminderSettings.objects.get_or_create(member=actor)
    settings.digest_weekday = weekday
    settings.full_clean()
    settings.save(update_fields=["digest_weekday"])
    return settings


@transaction.atomic
def calendar_feed_create(*, actor: Member) -> str:
    """A new secret feed address for the member (the old one stops working). Only its hash is
    kept, so the token is returned once to be shown."""
    settings, _created = ReminderSettings.objects.get_or_create(member=actor)
    raw = ReminderSettings.new_token()
    settings.feed_token_hash = ReminderSettings.hash_token(raw)
    settings.feed_created_at = timezone.now()
    settings.save(update_fields=["feed_token_hash", "feed_created_at"])
    audit_record(
        actor=actor, action=AuditAction.CREATE, target_type="calendarfeed", target_id=actor.pk
    )
    return raw


@transaction.atomic
def calendar_feed_revoke(*, actor: Member) -> None:
    ReminderSettings.objects.filter(member=actor).update(feed_token_hash="", feed_created_at=None)
    audit_record(
        actor=actor, action=AuditAction.DELETE, target_type="calendarfeed", target_id=actor.pk
    )


def calendar_feed_member(raw: str) -> Member | None:
    """The member a feed token belongs to, if it is current and their login is active."""
    if not raw.startswith("cal_"):
        return None
    found = (
        ReminderSettings.objects.select_related("member__user")
        .filter(feed_token_hash=ReminderSettings.hash_token(raw))
        .first()
    )
    if found is None or not found.member.user.is_active:
        return None
    return found.member
