"""Reading the audit trail: network managers and administrators only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde import visibility
from gilde.accounts.models import Member
from gilde.audit.models import AuditEntry

# The kinds of row entries point at, offered as suggestions in the search form.
TARGET_TYPES = (
    "person",
    "organisation",
    "affiliation",
    "tie",
    "note",
    "contactmoment",
    "favour",
    "importbatch",
)


def require_audit_reader(member: Member | None) -> Member:
    """The trail shows what everyone did: only those who manage the network may read it."""
    if member is None or not member.manages_network:
        raise PermissionDenied(_("Only network managers may read the audit trail."))
    return member


@dataclass(frozen=True)
class AuditFilters:
    """What the trail can be narrowed by; empty values mean "no filter". Dates are inclusive
    days in the local time zone."""

    actor: int | None = None
    username: str = ""
    action: str = ""
    target_type: str = ""
    target_id: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_entries(*, user: Any, filters: AuditFilters | None = None) -> QuerySet[AuditEntry]:
    """Entries matching the filters, newest first. Raises PermissionDenied for members who
    may not read the trail; a login without a member gets nothing."""
    member = visibility.member_of(user)
    if member is None:
        return AuditEntry.objects.none()
    require_audit_reader(member)
    f = filters or AuditFilters()
    qs = AuditEntry.objects.select_related("actor__user")
    if f.actor is not None:
        qs = qs.filter(actor_id=f.actor)
    if f.username:
        qs = qs.filter(username__iexact=f.username)
    if f.action:
        qs = qs.filter(action=f.action)
    if f.target_type:
        qs = qs.filter(target_type=f.target_type)
    if f.target_id is not None:
        qs = qs.filter(target_id=f.target_id)
    if f.since is not None:
        qs = qs.filter(at__gte=_day_start(f.since))
    if f.until is not None:
        qs = qs.filter(at__lt=_day_start(f.until + dt.timedelta(days=1)))
    return qs.order_by("-at", "-id")


def audit_entries_about_person(
    *, person_id: int, related: dict[str, list[int]]
) -> QuerySet[AuditEntry]:
    """Entries about one person: the person row itself and the rows that belong to them
    (`related` maps target types to ids), for the access request."""
    from django.db.models import Q

    condition = Q(target_type="person", target_id=person_id) | Q(detail__person=person_id)
    for kind, ids in related.items():
        if ids:
            condition |= Q(target_type=kind, target_id__in=ids)
    return AuditEntry.objects.filter(condition).order_by("at", "id")
