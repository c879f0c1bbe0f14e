"""Writes for contact moments and follow-ups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.accounts.models import Member
from gilde.audit.models import AuditAction
from gilde.audit.services import about_participants, audited
from gilde.contacts.models import ContactMoment, FollowUp
from gilde.core.services import fields_assign
from gilde.maintenance.services import care_follow
from gilde.permissions import require_create, require_edit
from gilde.relations.models import Organisation, Person

CONTACT_FIELDS = frozenset({"occurred_at", "kind", "summary", "notes", "signals", "organisation"})


def _check_when(moment: ContactMoment) -> None:
    """A time given without a UTC offset (an API client's "2026-03-01T10:00") is the local time
    of the organisation (TIME_ZONE), as in the forms. A few minutes' slack for clocks; a contact
    moment a day ahead is a typo, not a plan."""
    if isinstance(moment.occurred_at, dt.datetime) and timezone.is_naive(moment.occurred_at):
        moment.occurred_at = timezone.make_aware(moment.occurred_at)
    if moment.occurred_at and moment.occurred_at > timezone.now() + dt.timedelta(hours=1):
        raise ValidationError({"occurred_at": _("A contact moment cannot lie in the future.")})


@transaction.atomic
@audited(AuditAction.CREATE, about=about_participants)
def contact_moment_log(
    *,
    actor: Member,
    persons: Iterable[Person],
    members: Iterable[Member] | None = None,
    follow_up: str = "",
    follow_up_due: dt.date | None = None,
    **fields: Any,
) -> ContactMoment:
    """Record a contact moment; the actor takes part unless other colleagues are named.
    An optional follow-up is created in the same transaction, owned by the actor."""
    require_create(actor)
    people = list(persons)
    if not people:
        raise ValidationError({"persons": _("Choose at least one relation.")})
    moment = ContactMoment(created_by=actor)
    fields_assign(moment, fields, CONTACT_FIELDS)
    _check_when(moment)
    moment.full_clean()
    moment.save()
    moment.persons.set(people)
    colleagues = list(members) if members is not None else []
    moment.members.set(colleagues or [actor])
    if follow_up.strip():
        follow_up_create(
            actor=actor,
            owner=actor,
            title=follow_up,
            due_date=follow_up_due,
            person=people[0],
            contact_moment=moment,
        )
    care_follow(person_ids={p.pk for p in people})
    return moment


@transaction.atomic
@audited(AuditAction.CHANGE, target="moment", lists=("persons", "members"))
def contact_moment_update(
    *,
    actor: Member,
    moment: ContactMoment,
    persons: Iterable[Person] | None = None,
    members: Iterable[Member] | None = None,
    **fields: Any,
) -> ContactMoment:
    require_edit(actor, moment)
    before = set(moment.persons.values_list("pk", flat=True))
    fields_assign(moment, fields, CONTACT_FIELDS)
    _check_when(moment)
    moment.full_clean()
    moment.save()
    if persons is not None:
        people = list(persons)
        if not people:
            raise ValidationError({"persons": _("Choose at least one relation.")})
        moment.persons.set(people)
        # A follow-up about someone who no longer took part stays theirs, but off this moment.
        FollowUp.objects.filter(contact_moment=moment, person__isnull=False).exclude(
            person__in=people
        ).update(contact_moment=None)
    if members is not None:
        moment.members.set(list(members))
    care_follow(person_ids=before | set(moment.persons.values_list("pk", flat=True)))
    return moment


@transaction.atomic
@audited(AuditAction.DELETE, target="moment", about=about_participants)
def contact_moment_delete(*, actor: Member, moment: ContactMoment) -> None:
    require_edit(actor, moment)
    before = list(moment.persons.values_list("pk", flat=True))
    moment.delete()
    care_follow(person_ids=before)


@transaction.atomic
def follow_up_create(
    *,
    actor: Member,
    owner: Member,
    title: str,
    due_date: dt.date | None = None,
    person: Person | None = None,
    contact_moment: ContactMoment | None = None,
    organisation: Organisation | None = None,
) -> FollowUp:
    require_create(actor)
    item = FollowUp(
        owner=owner,
        title=title.strip(),
        due_date=due_date,
        person=person,
        contact_moment=contact_moment,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def follow_up_complete(*, actor: Member, follow_up: FollowUp, done: bool = True) -> FollowUp:
    """Tick a follow-up off (or reopen it); its owner or a network manager may."""
    require_edit(actor, follow_up)
    follow_up.done_at = timezone.now() if done else None
    follow_up.save(update_fields=["done_at"])
    return follow_up
