"""Reads for the privacy pages, through the visibility scope of the acting member."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from gilde import visibility
from gilde.contacts.models import ContactMoment
from gilde.permissions import require_privacy_officer
from gilde.privacy.models import ErasureRecord, ErasureRequest
from gilde.privacy.services import add_months
from gilde.relations.models import Person


def indirect_source_condition() -> Q:
    """Persons whose data did not come from themselves (AVG art. 14): imported in a batch, or
    with a source naming an import format ("linkedin:connections.csv")."""
    condition = Q(import_batch__isnull=False)
    for source in settings.GILDE_PRIVACY_INDIRECT_SOURCES:
        condition |= Q(source__iexact=source) | Q(source__istartswith=f"{source}:")
    return condition


def is_indirect(person: Person) -> bool:
    if person.import_batch_id is not None:
        return True
    prefix = person.source.split(":", 1)[0].lower()
    return prefix in {s.lower() for s in settings.GILDE_PRIVACY_INDIRECT_SOURCES}


def _not_erased() -> Q:
    return Q(privacy__isnull=True) | Q(privacy__erased_at__isnull=True)


def persons_to_inform(*, user: Any) -> QuerySet[Person]:
    """Persons from an indirect source who have not been told yet, oldest first."""
    require_privacy_officer(visibility.member_of(user))
    return (
        visibility.persons(user)
        .filter(indirect_source_condition())
        .filter(Q(privacy__isnull=True) | Q(privacy__informed_at__isnull=True))
        .filter(_not_erased())
        .select_related("import_batch")
        .order_by("created_at", "id")
    )


def retention_cutoff(today: dt.date | None = None) -> dt.datetime:
    day = add_months(today or timezone.localdate(), -settings.GILDE_RETENTION_MONTHS)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def retention_candidates(*, user: Any, today: dt.date | None = None) -> QuerySet[Person]:
    """Persons proposed for erasure: no contact moment within the retention period (and on
    file for longer than that), or whose consent was withdrawn; not erased, and not kept or
    postponed until after today."""
    member = visibility.member_of(user)
    if member is not None:
        require_privacy_officer(member)
    return retention_candidates_all(
        persons=visibility.persons(user) if member else Person.objects.all(), today=today
    )


def retention_candidates_all(
    *, persons: QuerySet[Person], today: dt.date | None = None
) -> QuerySet[Person]:
    day = today or timezone.localdate()
    cutoff = retention_cutoff(day)
    through = ContactMoment.persons.through
    recent = through.objects.filter(
        person_id=OuterRef("pk"), contactmoment__occurred_at__gte=cutoff
    )
    stale = Q(created_at__lt=cutoff) & ~Exists(recent)
    withdrawn = Q(privacy__consent_withdrawn_at__isnull=False)
    not_postponed = (
        Q(privacy__isnull=True)
        | Q(privacy__review_after__isnull=True)
        | Q(privacy__review_after__lte=day)
    )
    return (
        persons.filter(stale | withdrawn)
        .filter(_not_erased())
        .filter(not_postponed)
        .select_related("tier", "privacy")
        .order_by("sort_name", "id")
    )


def last_contacts(person_ids: list[int]) -> dict[int, dt.datetime]:
    """The last contact moment of each person, for one page of a list."""
    through = ContactMoment.persons.through
    rows = (
        through.objects.filter(person_id__in=person_ids)
        .values("person_id")
        .annotate(last=Max("contactmoment__occurred_at"))
    )
    return {row["person_id"]: row["last"] for row in rows}


def erasure_register(*, user: Any) -> QuerySet[ErasureRecord]:
    require_privacy_officer(visibility.member_of(user))
    return ErasureRecord.objects.select_related("erased_by__user").order_by("-erased_at", "-id")


def erasure_requests(*, user: Any) -> QuerySet[ErasureRequest]:
    """Erasures asked for, newest first, with their state (queued, running, done, failed)."""
    require_privacy_officer(visibility.member_of(user))
    return ErasureRequest.objects.select_related("requested_by__user").order_by(
        "-requested_at", "-id"
    )
