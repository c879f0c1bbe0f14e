"""The duplicate review queue: a scan of the whole registry with the interchange engine's
blocking finder, and the "not a duplicate" decisions it must remember."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.accounts.models import Member
from gilde.core.jobs import job_enqueue
from gilde.interchange.duplicates import find_duplicates
from gilde.permissions import can_merge

from .models import DuplicatePair, DuplicateScan, PairStatus
from .preview import registry_candidates
from .selectors import person_scope


def duplicate_scan(*, actor: Member, background_flag: bool = False) -> DuplicateScan:
    """Scan every person the actor can see; open pairs are replaced by what the scan finds,
    dismissed pairs are never proposed again."""
    if not can_merge(actor):
        raise PermissionDenied(_("Only network managers can look for duplicates."))
    with transaction.atomic():
        scan = DuplicateScan.objects.create(started_by=actor)
        if background_flag:
            job_enqueue(kind="duplicates.scan", params={"scan": scan.pk}, actor=actor)
    if not background_flag:
        duplicates_find(scan.pk, actor)
    scan.refresh_from_db()
    return scan


def duplicates_find(scan_id: int, actor: Member) -> None:
    """The scan itself: replace the open pairs by what it finds, in one transaction."""
    candidates = registry_candidates(person_scope(actor))
    decided = {
        frozenset(pair)
        for pair in DuplicatePair.objects.exclude(status=PairStatus.OPEN).values_list(
            "person_a_id", "person_b_id"
        )
    }
    result = find_duplicates(candidates, not_duplicates=decided)
    rows = []
    for pair in result.pairs:
        a, b = sorted((int(pair.a), int(pair.b)))  # type: ignore[call-overload]
        rows.append(
            DuplicatePair(
                person_a_id=a,
                person_b_id=b,
                score=pair.score,
                kind=pair.kind,
                reasons=[{"code": r.code, "text": r.text} for r in pair.reasons],
            )
        )
    with transaction.atomic():
        DuplicatePair.objects.filter(status=PairStatus.OPEN).delete()
        DuplicatePair.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        DuplicateScan.objects.filter(pk=scan_id).update(
            finished_at=timezone.now(),
            persons=len(candidates),
            compared=result.compared,
            pairs_found=len(rows),
        )


def pair_dismiss(*, actor: Member, pair: DuplicatePair) -> DuplicatePair:
    """Remember that these two are different persons."""
    if not can_merge(actor):
        raise PermissionDenied(_("Only network managers can review duplicates."))
    pair.status, pair.decided_by, pair.decided_at = PairStatus.DISMISSED, actor, timezone.now()
    pair.save(update_fields=["status", "decided_by", "decided_at"])
    return pair
