"""Erasure asked for on a page or through the API: queued as a background job, because scanning
every free-text column of a large registry takes seconds. The person stays as they are until
the job's one transaction commits; until then a second request for them is refused. The command
line (`gilde privacy ...`) erases at once with `gilde.privacy.erasure.person_erase`."""

from __future__ import annotations

import logging
from contextlib import suppress

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.accounts.models import Member
from gilde.core.jobs import JobFailed, job_enqueue
from gilde.permissions import require_privacy_officer
from gilde.privacy.erasure import person_erase
from gilde.privacy.models import ACTIVE_ERASURE, ErasureRequest, ErasureStatus
from gilde.relations.models import Person

log = logging.getLogger(__name__)


def pending_erasure(person_id: int) -> ErasureRequest | None:
    """The erasure of this person that is queued or running, if there is one."""
    for request in ErasureRequest.objects.filter(person_id=person_id, status__in=ACTIVE_ERASURE):
        if request.is_active:
            return request
    return None


def _close_interrupted(person_id: int) -> None:
    """A request whose process ended never finished: its transaction was rolled back."""
    for request in ErasureRequest.objects.filter(person_id=person_id, status__in=ACTIVE_ERASURE):
        if request.is_stale:
            ErasureRequest.objects.filter(pk=request.pk, status=request.status).update(
                status=ErasureStatus.FAILED,
                finished_at=timezone.now(),
                message="interrupted",
            )


def erasure_request(
    *, actor: Member, person: Person, reason: str = "request", background_flag: bool = True
) -> ErasureRequest:
    """Queue the erasure of person (privacy officers only); refused while one is pending."""
    require_privacy_officer(actor)
    _close_interrupted(person.pk)
    if pending_erasure(person.pk) is not None:
        raise ValidationError(
            _("An erasure of this relation is already in progress; wait until it is done.")
        )
    try:
        with transaction.atomic():
            request = ErasureRequest.objects.create(
                person_id=person.pk, requested_by=actor, reason=reason
            )
            if background_flag:
                job_enqueue(kind="privacy.erasure", params={"request": request.pk}, actor=actor)
    except IntegrityError as error:  # a second request in the same instant
        raise ValidationError(
            _("An erasure of this relation is already in progress; wait until it is done.")
        ) from error
    if not background_flag:
        with suppress(JobFailed):  # recorded on the request
            erasure_carry_out(request.pk)
    request.refresh_from_db()
    return request


def erasure_carry_out(request_id: int) -> None:
    """Erase the person of a queued request in one transaction. A request still marked running
    is one whose earlier try was interrupted (rolled back): the job queue runs one try at a
    time, so it is taken up again. A failure is recorded on the request and raised as
    JobFailed naming the kind of failure only."""
    started = ErasureRequest.objects.filter(
        pk=request_id, status__in=[ErasureStatus.QUEUED, ErasureStatus.RUNNING]
    )
    if not started.update(status=ErasureStatus.RUNNING, started_at=timezone.now()):
        return  # done, failed or gone
    request = ErasureRequest.objects.select_related("requested_by__user").get(pk=request_id)
    try:
        with transaction.atomic():
            person = Person.objects.get(pk=request.person_id)
            person_erase(actor=request.requested_by, person=person, reason=request.reason)
            ErasureRequest.objects.filter(pk=request_id).update(
                status=ErasureStatus.DONE, finished_at=timezone.now(), message=""
            )
    except Exception as exc:
        # Rolled back: the person is as they were. The message names the kind of failure
        # only; the details (which may hold personal data) go to the server log.
        log.exception("Erasure request %s failed", request_id)
        code = _failure(exc)
        ErasureRequest.objects.filter(pk=request_id).update(
            status=ErasureStatus.FAILED, finished_at=timezone.now(), message=code
        )
        raise JobFailed(
            _("The erasure failed (%(code)s); nothing was erased.") % {"code": code}
        ) from exc


def _failure(exc: Exception) -> str:
    """A code for ErasureRequest.outcome: the kind of failure, never the details."""
    if isinstance(exc, Person.DoesNotExist):
        return "gone"
    if isinstance(exc, PermissionDenied):
        return "not_allowed"
    return f"error:{type(exc).__name__}"
