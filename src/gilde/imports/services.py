"""Import use cases: upload and preview, correct the mapping, commit, undo. The pages, the API
and the `gilde import` command all call these. `actor` None is the operator at the command line."""

from __future__ import annotations

import datetime as dt
import logging
from contextlib import suppress
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gilde.accounts.models import Member
from gilde.audit.services import audit_record
from gilde.core.jobs import Progress, job_enqueue
from gilde.interchange import FORMATS, ImportFileError, LimitExceeded, NoNameColumn, detect_format
from gilde.permissions import require_batch, require_import

from .background import progress_writer
from .commit import commit_batch
from .models import BatchStatus, ImportBatch, ImportFile
from .preview import Preview, preview_build
from .records import pack
from .selectors import organisation_scope, person_scope
from .undo import UndoRefused, refusal_text, undo_apply, undo_check

FORMAT_CHOICES = ("auto", *FORMATS)
log = logging.getLogger(__name__)


def _owner_for(actor: Member | None, shared: bool) -> Member | None:
    """Networkers own what they import; managers choose between themselves and nobody."""
    if actor is None:
        return None
    return None if shared and actor.manages_network else actor


def _check_size(content: bytes, file_name: str) -> None:
    if len(content) > settings.GILDE_IMPORT_MAX_BYTES:
        raise LimitExceeded(
            f"The file is larger than {settings.GILDE_IMPORT_MAX_BYTES:,} bytes.",
            filename=file_name,
            code="file_too_large",
            params={"limit": settings.GILDE_IMPORT_MAX_BYTES},
        )
    if not content:
        raise ImportFileError("The file is empty.", filename=file_name, code="empty_file")


def _runs_in_background(content: bytes, background_flag: bool | None) -> bool:
    if background_flag is not None:
        return background_flag
    return len(content) > settings.GILDE_IMPORT_INLINE_BYTES


def _store_preview(batch: ImportBatch, preview: Preview, content: bytes) -> None:
    counts = preview.counts
    batch.format = preview.format
    batch.columns = preview.columns
    batch.mapping = preview.mapping
    batch.new_count, batch.matched_count = counts["new"], counts["matched"]
    batch.duplicate_count, batch.rejected_count = counts["duplicates"], counts["rejected"]
    batch.warning_count = counts["warnings"]
    batch.preview = preview.summary()
    batch.status = BatchStatus.PREVIEWED
    batch.phase, batch.error_code, batch.error_message = "", "", ""
    batch.error_line, batch.error_params = None, {}
    batch.heartbeat_at = timezone.now()
    batch.progress_done = batch.progress_total = len(preview.records)
    with transaction.atomic():
        batch.save()
        ImportFile.objects.update_or_create(
            batch=batch,
            defaults={"content": content, "records": pack(preview.records, preview.decisions)},
        )


def _store_error(batch: ImportBatch, error: ImportFileError) -> None:
    needs_mapping = isinstance(error, NoNameColumn) and error.params.get("columns")
    batch.status = BatchStatus.UPLOADED if needs_mapping else BatchStatus.FAILED
    if needs_mapping:
        batch.columns = list(error.params["columns"])
        batch.mapping = batch.mapping or {}
    batch.error_code, batch.error_message = error.code, str(error)[:2000]
    batch.error_line, batch.error_params = error.line, _jsonable(error.params)
    batch.phase = ""
    batch.save()


def _jsonable(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v if isinstance(v, int | str | list) else str(v) for k, v in params.items()}


def _analyse(
    batch_id: int,
    content: bytes,
    mapping: dict[str, str] | None,
    job_progress: Progress | None = None,
) -> None:
    batch = ImportBatch.objects.select_related("created_by__user").get(pk=batch_id)
    try:
        preview = preview_build(
            content=content,
            filename=batch.file_name,
            format=batch.format,
            mapping=mapping,
            scope=person_scope(batch.created_by),
            progress=progress_writer(batch_id, also=job_progress),
        )
    except ImportFileError as error:
        _store_error(batch, error)
        return
    except Exception as exc:
        _store_error(
            batch,
            ImportFileError(
                f"The file could not be read ({type(exc).__name__}).",
                filename=batch.file_name,
                code="internal_error",
            ),
        )
        raise
    _store_preview(batch, preview, content)


def batch_upload(
    *,
    actor: Member | None,
    content: bytes,
    file_name: str,
    format: str = "auto",
    shared: bool = False,
    background_flag: bool | None = None,
) -> ImportBatch:
    """Read a file into a previewed batch. A small file is read at once and an unreadable one
    raises ImportFileError with nothing stored; a large one is read in the background (the
    batch shows progress, and the error if there is one). A table without a recognisable name
    column waits for the user's column mapping."""
    require_import(actor)
    if format not in FORMAT_CHOICES:
        raise ValidationError({"format": _("Unknown format.")})
    file_name = (file_name or "upload").replace("\\", "/").rsplit("/", 1)[-1][:255] or "upload"
    _check_size(content, file_name)
    detected = detect_format(content, filename=file_name) if format == "auto" else format
    batch = ImportBatch(
        created_by=actor,
        file_name=file_name,
        format=detected,
        requested_format=format,
        owner=_owner_for(actor, shared),
        file_size=len(content),
    )
    if _runs_in_background(content, background_flag):
        batch.status, batch.phase, batch.heartbeat_at = (
            BatchStatus.ANALYSING,
            "reading",
            timezone.now(),
        )
        with transaction.atomic():
            batch.save()
            ImportFile.objects.create(batch=batch, content=content)
            job_enqueue(
                kind="import.analyse", params={"batch": batch.pk, "mapping": None}, actor=actor
            )
        return batch
    try:
        preview = preview_build(
            content=content,
            filename=file_name,
            format=detected,
            mapping=None,
            scope=person_scope(actor),
        )
    except NoNameColumn as error:
        if not error.params.get("columns"):
            raise
        with transaction.atomic():
            batch.save()
            ImportFile.objects.create(batch=batch, content=content)
            _store_error(batch, error)
        return batch
    batch.save()
    _store_preview(batch, preview, content)
    return batch


def batch_remap(
    *,
    actor: Member | None,
    batch: ImportBatch,
    mapping: dict[str, str],
    background_flag: bool | None = None,
) -> ImportBatch:
    """Read the file again with the user's column mapping; the preview is replaced."""
    require_batch(actor, batch)
    if batch.status not in (BatchStatus.UPLOADED, BatchStatus.PREVIEWED, BatchStatus.FAILED):
        raise ValidationError(_("This import can no longer be changed."))
    upload = ImportFile.objects.filter(batch=batch).first()
    if upload is None:
        raise ValidationError(_("The file of this import is no longer kept; upload it again."))
    content = bytes(upload.content)
    mapping = {c: f for c, f in mapping.items() if c in batch.columns}
    if _runs_in_background(content, background_flag):
        with transaction.atomic():
            ImportBatch.objects.filter(pk=batch.pk).update(
                status=BatchStatus.ANALYSING, phase="reading", heartbeat_at=timezone.now()
            )
            job_enqueue(
                kind="import.analyse", params={"batch": batch.pk, "mapping": mapping}, actor=actor
            )
    else:
        _analyse(batch.pk, content, mapping)
    batch.refresh_from_db()
    return batch


def _commit(batch_id: int, job_progress: Progress | None = None) -> None:
    """Commit the running batch; a failure is recorded on the batch and raised again."""
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    try:
        commit_batch(
            batch_id,
            organisations=organisation_scope(batch.created_by),
            progress=progress_writer(batch_id, also=job_progress),
        )
    except Exception as exc:
        # The transaction was rolled back: nothing of the batch is in the registry.
        log.exception("Import %s failed", batch_id)
        ImportBatch.objects.filter(pk=batch_id, status=BatchStatus.RUNNING).update(
            status=BatchStatus.FAILED,
            phase="",
            error_code="commit_failed",
            error_message=f"{type(exc).__name__}: {exc}"[:2000],
            error_line=None,
        )
        raise


def batch_commit(
    *, actor: Member | None, batch: ImportBatch, background_flag: bool | None = None
) -> ImportBatch:
    """Land the previewed batch in the registry, all of it or (on any failure) nothing."""
    require_batch(actor, batch)
    stored = ImportFile.objects.filter(batch=batch).values_list("records", flat=True).first()
    has_rows = bool(stored)
    ready = [BatchStatus.PREVIEWED, BatchStatus.FAILED]
    if batch.is_stale and batch.status == BatchStatus.RUNNING:
        ready.append(BatchStatus.RUNNING)
    run_later = (
        background_flag
        if background_flag is not None
        else batch.file_size > settings.GILDE_IMPORT_INLINE_BYTES
    )
    with transaction.atomic():
        started = has_rows and ImportBatch.objects.filter(pk=batch.pk, status__in=ready).update(
            status=BatchStatus.RUNNING,
            phase="preparing",
            progress_done=0,
            heartbeat_at=timezone.now(),
            error_code="",
            error_message="",
        )
        if not started:
            raise ValidationError(_("This import is not ready to be committed."))
        if run_later:
            job_enqueue(kind="import.commit", params={"batch": batch.pk}, actor=actor)
    if not run_later:
        # A failure is recorded on the batch (its page says why), the traceback in the log.
        with suppress(Exception):
            _commit(batch.pk)
    batch.refresh_from_db()
    return batch


def _undo_now(actor: Member | None, batch_id: int) -> ImportBatch:
    """Check and undo in one transaction; a refusal raises ValidationError and changes nothing."""
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch_id)
        reason, params = undo_check(locked)
        if reason:
            raise UndoRefused(reason, params)
        removed = undo_apply(locked)
        locked.status, locked.undone_at, locked.phase = BatchStatus.UNDONE, timezone.now(), ""
        locked.error_code, locked.error_message, locked.error_params = "", "", {}
        locked.save(
            update_fields=[
                "status",
                "undone_at",
                "phase",
                "error_code",
                "error_message",
                "error_params",
            ]
        )
        audit_record(
            actor=actor, action="delete", target=locked, detail={"undo_import": True, **removed}
        )
    return locked


def undo_back_to_committed(batch_id: int, **error: Any) -> None:
    """An undo that did not land leaves the batch committed, with the reason on its page."""
    ImportBatch.objects.filter(pk=batch_id, status=BatchStatus.UNDOING).update(
        status=BatchStatus.COMMITTED,
        phase="",
        heartbeat_at=timezone.now(),
        error_line=None,
        **error,
    )


def undo_in_background(batch_id: int, actor: Member | None) -> None:
    """The background undo: a refusal or a failure rolls everything back and leaves the batch
    committed, with the reason on its page; a failure is raised again (the job failed)."""
    if not ImportBatch.objects.filter(pk=batch_id, status=BatchStatus.UNDOING).exists():
        return  # an earlier run that looked interrupted finished after all
    try:
        _undo_now(actor, batch_id)
    except UndoRefused as refusal:
        with translation.override("en"):
            message = refusal_text(refusal.reason, refusal.details)
        undo_back_to_committed(
            batch_id,
            error_code="undo_refused",
            error_message=message,
            error_params={"reason": refusal.reason, "params": refusal.details},
        )
    except Exception as exc:
        log.exception("Undo of import %s failed", batch_id)
        undo_back_to_committed(
            batch_id,
            error_code="undo_failed",
            error_params={},
            error_message=f"{type(exc).__name__}: {exc}"[:2000],
        )
        raise


def batch_undo(
    *, actor: Member | None, batch: ImportBatch, background_flag: bool | None = None
) -> ImportBatch:
    """Remove everything a committed batch made, if nothing else has touched it since: all of it
    in one transaction or nothing. A batch of more persons than GILDE_IMPORT_UNDO_INLINE_PERSONS
    is undone in the background: it shows as being undone until the undo lands or is refused."""
    require_batch(actor, batch)
    if batch.is_busy:
        raise ValidationError(_("This import is busy; wait until it is done."))
    run_later = (
        background_flag
        if background_flag is not None
        else batch.created_persons > settings.GILDE_IMPORT_UNDO_INLINE_PERSONS
    )
    if not run_later:
        return _undo_now(actor, batch.pk)
    # An undo that looked interrupted rolled back, so the batch is still committed.
    quiet_since = timezone.now() - dt.timedelta(seconds=settings.GILDE_IMPORT_STALE_SECONDS)
    with transaction.atomic():
        started = ImportBatch.objects.filter(
            Q(status=BatchStatus.COMMITTED)
            | Q(status=BatchStatus.UNDOING, heartbeat_at__lt=quiet_since),
            pk=batch.pk,
        ).update(
            status=BatchStatus.UNDOING,
            phase="undoing",
            progress_done=0,
            progress_total=batch.created_persons,
            heartbeat_at=timezone.now(),
            error_code="",
            error_message="",
            error_params={},
        )
        if not started:
            raise ValidationError(_("Only a committed import can be undone."))
        job_enqueue(kind="import.undo", params={"batch": batch.pk}, actor=actor)
    batch.refresh_from_db()
    return batch


def batch_discard(*, actor: Member | None, batch: ImportBatch) -> None:
    """Drop a batch that was never committed, with its stored file."""
    require_batch(actor, batch)
    if batch.status in (
        BatchStatus.COMMITTED,
        BatchStatus.RUNNING,
        BatchStatus.UNDOING,
        BatchStatus.UNDONE,
    ):
        raise ValidationError(_("Only an import that was not committed can be discarded."))
    batch.delete()


# Batches whose stored file waits for a user's next step (a busy one only while it reports).
PENDING_STATUSES = (
    BatchStatus.UPLOADED,
    BatchStatus.ANALYSING,
    BatchStatus.PREVIEWED,
    BatchStatus.RUNNING,
    BatchStatus.FAILED,
)


def pending_uploads_expire(*, dry_run: bool = False, now: dt.datetime | None = None) -> int:
    """Remove the stored file, parsed rows and preview samples of every upload not committed
    within GILDE_IMPORT_PENDING_DAYS (data minimisation); the batch stays, marked expired, with
    its counts. Returns how many batches expired (or would, with dry_run)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.GILDE_IMPORT_PENDING_DAYS)
    quiet_since = now - dt.timedelta(seconds=settings.GILDE_IMPORT_STALE_SECONDS)
    expirable = ImportBatch.objects.filter(
        Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=quiet_since),
        created_at__lt=cutoff,
        status__in=PENDING_STATUSES,
    )
    if dry_run:
        return expirable.count()
    with transaction.atomic():
        ids = list(expirable.select_for_update().values_list("pk", flat=True))
        count = ImportBatch.objects.filter(pk__in=ids, status__in=PENDING_STATUSES).update(
            status=BatchStatus.EXPIRED,
            phase="",
            preview={},
            error_code="",
            error_message="",
            error_line=None,
            error_params={},
        )
        ImportFile.objects.filter(batch_id__in=ids).delete()
        if count:
            audit_record(
                actor=None,
                action="delete",
                target_type="importbatch",
                detail={"expired_uploads": count, "days": settings.GILDE_IMPORT_PENDING_DAYS},
            )
    return count
