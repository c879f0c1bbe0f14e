"""Occasions Gilde finds by itself: a relation with a new job, seen when an affiliation at
another organisation is recorded (on an edit) or when an import names another organisation for
a relation it matched. Each one becomes an occasion with a follow-up (services.occasion_record)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from gilde.names import fold
from gilde.relations.models import Affiliation, Person
from gilde.strategy.models import Occasion, OccasionKind

RECENT_DAYS = 30  # the same new job is not noted twice within a month


def _noted_recently(person_id: int, today: dt.date) -> bool:
    return Occasion.objects.filter(
        person_id=person_id,
        kind=OccasionKind.NEW_JOB,
        occurred_on__gte=today - dt.timedelta(days=RECENT_DAYS),
    ).exists()


def new_job_on_affiliation(affiliation: Affiliation, *, organisation_changed: bool) -> None:
    """An affiliation was recorded: a new job when the person worked elsewhere before (another
    organisation among their affiliations), or when the organisation of a job was changed."""
    from gilde.strategy.services import occasion_record

    today = timezone.localdate()
    elsewhere = (
        Affiliation.objects.filter(person_id=affiliation.person_id)
        .exclude(pk=affiliation.pk)
        .exclude(organisation_id=affiliation.organisation_id)
        .exists()
    )
    if not (elsewhere or organisation_changed) or _noted_recently(affiliation.person_id, today):
        return
    occasion_record(
        actor=None,
        person=affiliation.person,
        kind=OccasionKind.NEW_JOB,
        occurred_on=affiliation.start_date or today,
        note=affiliation.organisation.name[:300],
        detected=True,
    )


def new_jobs_on_import(matched: Iterable[tuple[int, str]]) -> int:
    """Matched import rows (person id, organisation name): where the row names an organisation
    the person has no current job at, note a new job. Returns how many were noted."""
    from gilde.strategy.services import occasion_record

    rows = [(pid, name) for pid, name in matched if name]
    if not rows:
        return 0
    current: dict[int, set[str]] = {}
    for pid, name in (
        Affiliation.objects.current()
        .filter(person_id__in={pid for pid, _ in rows})
        .values_list("person_id", "organisation__name")
    ):
        current.setdefault(pid, set()).add(fold(name))
    today = timezone.localdate()
    persons = Person.objects.in_bulk({pid for pid, _ in rows})
    noted = 0
    for pid, name in rows:
        if pid not in current or fold(name) in current[pid] or _noted_recently(pid, today):
            continue  # no job known yet, the same one, or already noted
        occasion_record(
            actor=None,
            person=persons[pid],
            kind=OccasionKind.NEW_JOB,
            occurred_on=today,
            note=name[:300],
            detected=True,
        )
        noted += 1
    return noted
