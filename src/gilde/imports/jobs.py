"""The import's jobs on the task queue: read (analyse) a large file, commit a batch, undo one,
scan the registry for duplicates. Each checks the batch's state first, so a job run again
after its worker died (its transaction rolled back) starts over cleanly, and one whose work
was already done does nothing."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gilde.core.jobs import JobFailed, JobKind, Progress, job_kind_register
from gilde.core.models import Job

from . import services
from .duplicates import duplicates_find
from .models import BatchStatus, DuplicateScan, ImportBatch, ImportFile


def _batch(job: Job) -> ImportBatch | None:
    """The job's batch; None when it was discarded while the job waited (nothing to do)."""
    return ImportBatch.objects.filter(pk=job.params.get("batch")).first()


def _batch_link(job: Job) -> str | None:
    return reverse("import_detail", args=[job.params["batch"]]) if "batch" in job.params else None


def _interrupted(job: Job) -> None:
    """The last try's worker died: the batch says so (nothing of the step was saved)."""
    ImportBatch.objects.filter(
        pk=job.params.get("batch"), status__in=[BatchStatus.ANALYSING, BatchStatus.RUNNING]
    ).update(
        status=BatchStatus.FAILED,
        phase="",
        error_code="interrupted",
        error_line=None,
        error_message="The work was interrupted (the worker stopped); nothing was saved.",
    )


# ---- read a large file ----------------------------------------------------------------------


def analyse(job: Job, progress: Progress) -> None:
    batch = _batch(job)
    if batch is None or batch.status != BatchStatus.ANALYSING:
        return  # read already (an earlier try finished after all) or discarded
    upload = ImportFile.objects.filter(batch=batch).first()
    if upload is None:
        raise JobFailed(_("The file of this import is no longer kept."))
    services._analyse(batch.pk, bytes(upload.content), job.params.get("mapping"), progress)


def analyse_again(job: Job) -> None:
    ImportBatch.objects.filter(pk=job.params.get("batch"), status=BatchStatus.FAILED).update(
        status=BatchStatus.ANALYSING,
        phase="reading",
        heartbeat_at=timezone.now(),
        error_code="",
        error_message="",
    )


# ---- commit ---------------------------------------------------------------------------------


def commit(job: Job, progress: Progress) -> None:
    batch = _batch(job)
    if batch is None or batch.status == BatchStatus.COMMITTED:
        return  # discarded, or an earlier try landed after all
    if batch.status != BatchStatus.RUNNING:
        raise JobFailed(_("The import is no longer waiting to be committed."))
    services._commit(batch.pk, progress)


def commit_again(job: Job) -> None:
    ImportBatch.objects.filter(pk=job.params.get("batch"), status=BatchStatus.FAILED).update(
        status=BatchStatus.RUNNING,
        phase="preparing",
        progress_done=0,
        heartbeat_at=timezone.now(),
        error_code="",
        error_message="",
    )


# ---- undo -----------------------------------------------------------------------------------


def undo(job: Job, progress: Progress) -> None:
    batch = _batch(job)
    if batch is None:
        return
    progress("undoing", 0, batch.created_persons)
    services.undo_in_background(batch.pk, job.created_by)


def undo_again(job: Job) -> None:
    ImportBatch.objects.filter(pk=job.params.get("batch"), status=BatchStatus.COMMITTED).update(
        status=BatchStatus.UNDOING,
        phase="undoing",
        progress_done=0,
        heartbeat_at=timezone.now(),
        error_code="",
        error_message="",
        error_params={},
    )


def undo_interrupted(job: Job) -> None:
    services.undo_back_to_committed(
        job.params.get("batch", 0),
        error_code="undo_failed",
        error_params={},
        error_message="The undo was interrupted (the worker stopped); nothing was changed.",
    )


# ---- duplicates -----------------------------------------------------------------------------


def scan(job: Job, progress: Progress) -> None:
    found = DuplicateScan.objects.filter(pk=job.params.get("scan")).first()
    if found is None or found.finished_at is not None:
        return
    if job.created_by is None:
        raise JobFailed(_("The colleague who started the scan no longer exists."))
    progress("scanning", 0, 0)
    duplicates_find(found.pk, job.created_by)


job_kind_register(
    JobKind(
        "import.analyse",
        _("Read an import file"),
        analyse,
        before_retry=analyse_again,
        gave_up=_interrupted,
        link=_batch_link,
    )
)
job_kind_register(
    JobKind(
        "import.commit",
        _("Commit an import"),
        commit,
        before_retry=commit_again,
        gave_up=_interrupted,
        link=_batch_link,
    )
)
job_kind_register(
    JobKind(
        "import.undo",
        _("Undo an import"),
        undo,
        before_retry=undo_again,
        gave_up=undo_interrupted,
        link=_batch_link,
    )
)
job_kind_register(
    JobKind(
        "duplicates.scan",
        _("Look for duplicates"),
        scan,
        link=lambda job: reverse("duplicate_list"),
    )
)
