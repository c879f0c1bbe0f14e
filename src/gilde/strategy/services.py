"""Writes for the network strategy: goals, themes, the relations linked to them, activity plans,
occasions and signal subscriptions. Goals, themes and plans are the network manager's; linking a
relation to a theme is open to every colleague who may add records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.accounts.models import Member
from gilde.audit.models import AuditAction
from gilde.audit.services import audit_record
from gilde.core.services import fields_assign
from gilde.permissions import require_create, require_edit, require_strategist
from gilde.relations.models import Organisation, Person
from gilde.strategy.models import (
    ActivityPlan,
    Goal,
    Occasion,
    SignalSubscription,
    Theme,
    ThemeLink,
)

GOAL_FIELDS = frozenset({"title", "values", "description", "order"})
THEME_FIELDS = frozenset({"goal", "name", "we_want", "we_offer", "owner", "starts_on", "ends_on"})
PLAN_FIELDS = frozenset(
    {
        "tier",
        "theme",
        "stakeholder_type",
        "activities",
        "contacts_per_year",
        "invitations_per_year",
        "newsletter_only",
    }
)


def _save(obj: Any, *, actor: Member, created: bool) -> Any:
    obj.full_clean()
    obj.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        target=obj,
        detail={"strategy": type(obj).__name__.lower()},
    )
    return obj


@transaction.atomic
def goal_save(*, actor: Member, goal: Goal | None = None, **fields: Any) -> Goal:
    """Create a goal, or change the one given."""
    require_strategist(actor)
    created = goal is None
    goal = goal or Goal(created_by=actor)
    fields_assign(goal, fields, GOAL_FIELDS)
    return _save(goal, actor=actor, created=created)


@transaction.atomic
def goal_delete(*, actor: Member, goal: Goal) -> None:
    """Remove a goal with its themes and their links."""
    require_strategist(actor)
    audit_record(actor=actor, action=AuditAction.DELETE, target=goal)
    goal.delete()


@transaction.atomic
def theme_save(*, actor: Member, theme: Theme | None = None, **fields: Any) -> Theme:
    """Create a theme under a goal, or change the one given."""
    require_strategist(actor)
    created = theme is None
    theme = theme or Theme()
    fields_assign(theme, fields, THEME_FIELDS)
    return _save(theme, actor=actor, created=created)


@transaction.atomic
def theme_delete(*, actor: Member, theme: Theme) -> None:
    require_strategist(actor)
    audit_record(actor=actor, action=AuditAction.DELETE, target=theme)
    theme.delete()


@transaction.atomic
def theme_link_set(
    *,
    actor: Member,
    theme: Theme,
    role: str,
    importance: int = 2,
    note: str = "",
    person: Person | None = None,
    organisation: Organisation | None = None,
) -> ThemeLink:
    """Link a person or organisation to a theme in a role, or change the role and importance of
    the link that is already there."""
    require_create(actor)
    if (person is None) == (organisation is None):
        raise ValidationError(_("Link either a person or an organisation."))
    link = ThemeLink.objects.filter(theme=theme, person=person, organisation=organisation).first()
    created = link is None
    link = link or ThemeLink(
        theme=theme, person=person, organisation=organisation, created_by=actor
    )
    link.role, link.importance, link.note = role, importance, note.strip()
    return _save(link, actor=actor, created=created)


@transaction.atomic
def theme_link_remove(*, actor: Member, link: ThemeLink) -> None:
    """Unlink a relation from a theme: whoever linked it, or a network manager."""
    require_edit(actor, link)
    audit_record(actor=actor, action=AuditAction.DELETE, target=link)
    link.delete()


@transaction.atomic
def activity_plan_save(
    *, actor: Member, plan: ActivityPlan | None = None, **fields: Any
) -> ActivityPlan:
    """Create the plan of a segment (tier × theme × stakeholder type), or change one."""
    require_strategist(actor)
    created = plan is None
    plan = plan or ActivityPlan()
    fields_assign(plan, fields, PLAN_FIELDS)
    return _save(plan, actor=actor, created=created)


@transaction.atomic
def activity_plan_delete(*, actor: Member, plan: ActivityPlan) -> None:
    require_strategist(actor)
    audit_record(actor=actor, action=AuditAction.DELETE, target=plan)
    plan.delete()


def _occasion_owner(person: Person) -> Member | None:
    """Who acts on an occasion: the colleague the relation's rhythm reminds (handed to, best
    placed), else its owner."""
    from gilde.maintenance.models import RelationCare

    care = RelationCare.objects.filter(person=person).first()
    if care is not None:
        for member_id in (care.handed_to_id, care.contact_member_id, care.top_member_id):
            if member_id:
                return Member.objects.filter(pk=member_id, user__is_active=True).first()
    return person.owner


def occasion_title(kind: str, person: Person) -> str:
    titles = {
        "jubilee": _("Congratulate %(name)s on the jubilee"),
        "farewell": _("Send %(name)s a message on the farewell"),
        "new_job": _("Congratulate %(name)s on the new job"),
        "birth": _("Congratulate %(name)s on the birth"),
        "death": _("Send %(name)s a message of condolence"),
    }
    return titles[kind] % {"name": person.full_name}


@transaction.atomic
def occasion_record(
    *,
    actor: Member | None,
    person: Person,
    kind: str,
    occurred_on: dt.date | None = None,
    note: str = "",
    detected: bool = False,
) -> Occasion:
    """Note an occasion in a relation's life; the colleague who looks after the relation gets a
    follow-up to send a message (due within a week)."""
    from gilde.contacts.models import FollowUp

    if actor is not None and not detected:
        require_create(actor)
    occasion = Occasion(
        person=person,
        kind=kind,
        occurred_on=occurred_on or timezone.localdate(),
        note=note.strip(),
        detected=detected,
        created_by=actor,
    )
    occasion.full_clean()
    owner = _occasion_owner(person)
    if owner is not None:
        follow_up = FollowUp(
            owner=owner,
            person=person,
            title=occasion_title(kind, person)[:300],
            due_date=timezone.localdate() + dt.timedelta(days=7),
        )
        follow_up.full_clean()
        follow_up.save()
        occasion.follow_up = follow_up
    occasion.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=occasion,
        detail={"strategy": "occasion", "kind": kind, "detected": detected},
    )
    return occasion


@transaction.atomic
def signal_subscription_create(
    *, actor: Member, department: str = "", **subject: Any
) -> SignalSubscription:
    """Subscribe oneself, or (a network manager) a department, to the signals on one theme,
    sector, tag or organisation."""
    given = {k: v for k, v in subject.items() if v}
    if len(given) != 1 or not set(given) <= {"theme", "sector", "tag", "organisation"}:
        raise ValidationError(_("Choose one theme, sector, tag or organisation."))
    department = department.strip()
    if department:
        require_strategist(actor)
        if not Member.objects.filter(department=department).exists():
            raise ValidationError({"department": _("No colleague works in this department.")})
    subscriber: dict[str, Any] = {"department": department} if department else {"member": actor}
    found = SignalSubscription.objects.filter(**subscriber, **given).first()
    if found is not None:
        return found
    subscription = SignalSubscription(**subscriber, **given)
    subscription.full_clean()
    subscription.save()
    return subscription


@transaction.atomic
def signal_subscription_delete(*, actor: Member, subscription: SignalSubscription) -> None:
    """End a subscription: one's own, or a department's (a network manager)."""
    if subscription.member_id is None:
        require_strategist(actor)
    elif subscription.member_id != actor.pk:
        raise PermissionDenied(_("You may only change your own subscriptions."))
    subscription.delete()
