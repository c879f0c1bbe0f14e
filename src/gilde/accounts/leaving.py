"""A colleague leaves: what leaves with them, and the one step that hands it to successors.

Five groups, each handed to a successor of the manager's choosing (the same one or one per
group): relations known only by them (the successor becomes the one reminded to contact them),
the relations and organisations they own (ownership), their open follow-ups, the other
relations they are reminded of, and the confidential relations shared with or owned by them
(the successor is named on them). Their ties stay as history and nothing of theirs is deleted;
then they are deactivated, all in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gilde import visibility
from gilde.accounts.models import Member
from gilde.accounts.team import member_deactivate, require_may_deactivate
from gilde.audit.models import AuditAction
from gilde.audit.services import audit_record
from gilde.contacts.models import FollowUp
from gilde.maintenance import selectors as maintenance_selectors
from gilde.maintenance.models import RelationCare
from gilde.maintenance.services import care_follow
from gilde.relations.models import Organisation, Person

GROUPS = {
    "known_only": gettext_lazy("Relations known only by them"),
    "owned": gettext_lazy("Relations and organisations they own"),
    "follow_ups": gettext_lazy("Open follow-ups"),
    "reminders": gettext_lazy("Other relations they are reminded of"),
    "confidential": gettext_lazy("Confidential relations shared with or owned by them"),
}


@dataclass
class LeavingSummary:
    """What leaves with a colleague, as the acting manager may see it."""

    member: Member
    known_only: QuerySet[Person]
    known_only_by_tier: list[tuple[str, int]]
    owned: QuerySet[Person]
    owned_organisations: QuerySet[Organisation]
    follow_ups: QuerySet[FollowUp]
    reminders: QuerySet[Person]
    due: list[maintenance_selectors.DueItem]
    confidential: QuerySet[Person]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not any(self.counts.values())


def _known_only(user: Any, member: Member) -> QuerySet[Person]:
    others = Member.objects.filter(user__is_active=True).exclude(pk=member.pk)
    return (
        visibility.persons(user)
        .filter(ties__member=member)
        .exclude(ties__member__in=others)
        .distinct()
    )


def _reminded(member: Member) -> Q:
    """Relations this member is the one reminded of (handed to them, their tie is the
    strongest, or they own a relation with no contact history yet)."""
    return (
        Q(care__contact_member=member)
        | Q(care__handed_to=member)
        | Q(owner=member, care__isnull=True)
    )


def leaving_summary(
    *, actor: Member, member: Member, today: dt.date | None = None
) -> LeavingSummary:
    """Everything that would leave with `member`, read through the actor's visibility scope."""
    require_may_deactivate(actor, member)
    user = actor.user
    known_only = (
        _known_only(user, member).select_related("tier").order_by("tier__order", "sort_name")
    )
    by_tier = [
        (code or "–", n)
        for code, n in _known_only(user, member)
        .order_by()
        .values_list("tier__code")
        .annotate(n=Count("pk", distinct=True))
        .order_by("tier__code")
    ]
    owned = visibility.persons(user).filter(owner=member).select_related("tier")
    owned_organisations = visibility.organisations(user).filter(owner=member)
    follow_ups = visibility.follow_ups(user).open().filter(owner=member).select_related("person")
    reminders = (
        visibility.persons(user)
        .filter(_reminded(member))
        .exclude(pk__in=_known_only(user, member).values("pk"))
        .distinct()
        .select_related("tier")
    )
    # The due ones among the reminders group (those known only by them are listed above).
    known_ids = set(known_only.values_list("pk", flat=True))
    due = [
        item
        for item in maintenance_selectors.due_for_member(user=user, member=member, today=today)
        if item.person.pk not in known_ids
    ]
    confidential = (
        visibility.persons(user)
        .filter(Q(confidential_members=member) | Q(owner=member), confidential=True)
        .distinct()
        .select_related("tier")
    )
    summary = LeavingSummary(
        member=member,
        known_only=known_only,
        known_only_by_tier=by_tier,
        owned=owned,
        owned_organisations=owned_organisations,
        follow_ups=follow_ups,
        reminders=reminders,
        due=due,
        confidential=confidential,
    )
    summary.counts = {
        "known_only": len(known_ids),
        "owned": owned.count() + owned_organisations.count(),
        "follow_ups": follow_ups.count(),
        "reminders": reminders.count(),
        "confidential": confidential.count(),
    }
    return summary


def successor_candidates(*, member: Member) -> QuerySet[Member]:
    """Colleagues who can take over: active, allowed to write, not the one leaving."""
    return (
        Member.objects.filter(user__is_active=True)
        .exclude(role="read_only")
        .exclude(pk=member.pk)
        .select_related("user")
    )


def _require_successor(member: Member, successor: Member | None, group: str) -> Member:
    if successor is None:
        raise ValidationError({group: _("Choose who takes this over.")})
    if not successor_candidates(member=member).filter(pk=successor.pk).exists():
        raise ValidationError(
            {group: _("Choose an active colleague, other than the one leaving, who can write.")}
        )
    return successor


def _require_sees(successor: Member, person_ids: set[int], group: str) -> None:
    if not person_ids:
        return
    seen = visibility.persons(successor.user).filter(pk__in=person_ids).count()
    if seen < len(person_ids):
        raise ValidationError(
            {
                group: _(
                    "%(name)s may not see %(count)s of these confidential relations; hand the "
                    "confidential relations to them as well, or choose someone else."
                )
                % {"name": successor.name, "count": len(person_ids) - seen}
            }
        )


def _hand_reminders(person_ids: set[int], successor: Member, now: dt.datetime) -> None:
    RelationCare.objects.bulk_create(
        [RelationCare(person_id=pk) for pk in person_ids], ignore_conflicts=True
    )
    RelationCare.objects.filter(person_id__in=person_ids).update(
        handed_to=successor, handed_at=now, snoozed_until=None, snooze_reason=""
    )


def _hand_follow_ups(follow_up_ids: set[int], heir: Member) -> None:
    about = set(
        FollowUp.objects.filter(pk__in=follow_up_ids, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    _require_sees(heir, about, "follow_ups")
    visible = visibility.follow_ups(heir.user).filter(pk__in=follow_up_ids).count()
    if visible < len(follow_up_ids):
        raise ValidationError(
            {"follow_ups": _("Some follow-ups concern relations the successor may not see.")}
        )
    FollowUp.objects.filter(pk__in=follow_up_ids).update(owner=heir)


@transaction.atomic
def member_leave(
    *, actor: Member, member: Member, successors: dict[str, Member | None]
) -> dict[str, int]:
    """Hand everything of a leaving colleague to the successors (one per group; only groups
    with something in them need one), refresh the care figures of the relations concerned and
    deactivate the colleague. Returns how much each group held."""
    member = Member.objects.select_for_update().select_related("user").get(pk=member.pk)
    summary = leaving_summary(actor=actor, member=member)
    chosen = {
        group: _require_successor(member, successors.get(group), group)
        for group, count in summary.counts.items()
        if count
    }
    # Read every group before anything moves: handing over ownership changes who is reminded.
    ids = {
        "known_only": set(summary.known_only.values_list("pk", flat=True)),
        "owned": set(summary.owned.values_list("pk", flat=True)),
        "organisations": set(summary.owned_organisations.values_list("pk", flat=True)),
        "follow_ups": set(summary.follow_ups.values_list("pk", flat=True)),
        "reminders": set(summary.reminders.values_list("pk", flat=True)),
        "confidential": set(summary.confidential.values_list("pk", flat=True)),
    }
    now = timezone.now()
    # First who may see what (confidential sharing, ownership), then what depends on seeing.
    if ids["confidential"]:
        heir = chosen["confidential"]
        for person in Person.objects.filter(pk__in=ids["confidential"]).exclude(owner=heir):
            person.confidential_members.add(heir)
    if ids["owned"] or ids["organisations"]:
        # A new version, so a form opened before the hand-over cannot put the old owner back.
        moved = {"owner": chosen["owned"], "version": F("version") + 1}
        Person.objects.filter(pk__in=ids["owned"]).update(**moved)
        Organisation.objects.filter(pk__in=ids["organisations"]).update(**moved)
    visibility.forget()
    if ids["follow_ups"]:
        _hand_follow_ups(ids["follow_ups"], chosen["follow_ups"])
    for group in ("known_only", "reminders"):
        if ids[group]:
            _require_sees(chosen[group], ids[group], group)
            _hand_reminders(ids[group], chosen[group], now)
    touched = ids["known_only"] | ids["owned"] | ids["reminders"] | ids["confidential"]
    if touched:
        care_follow(person_ids=touched)
    visibility.forget()
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=member,
        detail={
            "leaving": summary.counts,
            "successors": {group: heir.pk for group, heir in chosen.items()},
        },
    )
    member_deactivate(actor=actor, member=member)
    return summary.counts
