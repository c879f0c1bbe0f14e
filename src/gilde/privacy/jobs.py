"""Privacy's jobs on the task queue: an erasure asked for on a page or through the API, and the
daily housekeeping (audit retention, expired uploads, automatic retention, old jobs)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gilde.audit.services import audit_prune
from gilde.core.jobs import JobKind, Progress, job_kind_register, jobs_prune
from gilde.core.models import Job
from gilde.imports.services import pending_uploads_expire
from gilde.privacy.erasure import person_erase
from gilde.privacy.erasure_requests import erasure_carry_out
from gilde.privacy.models import ErasureRequest, ErasureStatus
from gilde.privacy.selectors import retention_candidates_all
from gilde.relations.models import Person


def erasure(job: Job, progress: Progress) -> None:
    progress("erasing", 0, 1)
    erasure_carry_out(int(job.params.get("request", 0)))


def erasure_again(job: Job) -> None:
    try:
        ErasureRequest.objects.filter(
            pk=job.params.get("request"), status=ErasureStatus.FAILED
        ).update(status=ErasureStatus.QUEUED, started_at=None, finished_at=None, message="")
    except IntegrityError as error:  # another erasure of the person is queued now
        raise ValidationError(
            _("An erasure of this relation is already in progress; wait until it is done.")
        ) from error


def erasure_interrupted(job: Job) -> None:
    ErasureRequest.objects.filter(
        pk=job.params.get("request"), status__in=[ErasureStatus.QUEUED, ErasureStatus.RUNNING]
    ).update(status=ErasureStatus.FAILED, message="interrupted")


def housekeeping(job: Job, progress: Progress) -> None:
    """What `gilde privacy housekeeping` does, and old jobs removed; counts on the job."""
    progress("audit", 0, 4)
    counts = {"audit_entries": audit_prune()}
    progress("uploads", 1, 4)
    counts["uploads_expired"] = pending_uploads_expire()
    progress("retention", 2, 4)
    erased = 0
    if settings.GILDE_RETENTION_AUTOMATIC:
        candidates = retention_candidates_all(persons=Person.objects.all())
        for person_id in list(candidates.values_list("pk", flat=True)):
            person_erase(actor=None, person=Person(pk=person_id), reason="retention")
            erased += 1
    counts["erased"] = erased
    progress("jobs", 3, 4)
    counts["jobs_removed"] = jobs_prune()
    progress("done", 4, 4)
    Job.objects.filter(pk=job.pk).update(params={**job.params, "result": counts})


job_kind_register(
    JobKind(
        "privacy.erasure",
        gettext_lazy("Erase a relation"),
        erasure,
        before_retry=erasure_again,
        gave_up=erasure_interrupted,
        link=lambda job: reverse("privacy_erasures"),
    )
)
job_kind_register(JobKind("housekeeping", gettext_lazy("Housekeeping"), housekeeping))
