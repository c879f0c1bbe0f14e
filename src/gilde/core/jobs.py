"""Jobs on the durable task queue: enqueue, run, report progress, recover, retry.

A job is a row (gilde.core.models.Job) written in the caller's transaction; only once that
commits is "run job N" put on the queue (django-tasks: the database backend by default, RQ on
Redis for larger installs), so a job never runs on data its caller rolled back. The row is the
truth: the task claims it with one conditional UPDATE (queued -> running), so however often a
task is delivered, one worker runs the job at a time. A worker that dies leaves the row
running; the worker clock (jobs_recover) sees that the process is gone, or on another machine
that it stopped reporting for GILDE_TASKS_LEASE_SECONDS, and queues the job again, up to
GILDE_TASKS_MAX_ATTEMPTS tries, then marks it failed with the reason. Each job's work runs in
its own transaction(s), so an interrupted try left nothing behind."""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection, connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from gilde.accounts.models import Member
from gilde.audit.services import audit_record
from gilde.permissions import can_manage_jobs

from .models import Job, JobStatus

log = logging.getLogger(__name__)
# How often a running job's worker writes its heartbeat (and, where the database allows, the
# progress it has in memory).
HEARTBEAT_SECONDS = 5.0
# A queued job no worker has been told about after this long is put on the queue again.
UNDELIVERED_SECONDS = 30
# The modules that register job kinds; read on first use, so apps need no start-up hook.
KIND_MODULES = (
    "gilde.imports.jobs",
    "gilde.privacy.jobs",
    "gilde.maintenance.jobs",
    "gilde.events.invitations",
    "gilde.network.jobs",
    "gilde.strategy.jobs",
    "gilde.autolog.jobs",
    "gilde.events.results_mail",
    "gilde.events.seating_plan",
)

Progress = Callable[[str, int, int], None]


class JobFailed(Exception):
    """A job that cannot be done; its message (no personal data) is what the jobs page shows."""


@dataclass(frozen=True)
class JobKind:
    """What a kind of job does. `run` does the work and raises on failure; `before_retry`
    puts the job's own record back to where a new try can start; `gave_up` records on it
    that the job was interrupted for good; `link` is the page about what the job works on."""

    name: str
    label: str | Promise
    run: Callable[[Job, Progress], None]
    before_retry: Callable[[Job], None] | None = None
    gave_up: Callable[[Job], None] | None = None
    link: Callable[[Job], str | None] | None = None


_kinds: dict[str, JobKind] = {}


def job_kind_register(kind: JobKind) -> JobKind:
    _kinds[kind.name] = kind
    return kind


def job_kinds() -> dict[str, JobKind]:
    for module in KIND_MODULES:
        importlib.import_module(module)
    return _kinds


def job_kind(name: str) -> JobKind:
    kinds = job_kinds()
    if name not in kinds:
        raise JobFailed(_("Unknown kind of job: %(kind)s.") % {"kind": name})
    return kinds[name]


def worker_name() -> str:
    """This process, as written on the jobs it runs: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


# ---- enqueue --------------------------------------------------------------------------------


def job_enqueue(
    *,
    kind: str,
    params: dict[str, Any] | None = None,
    actor: Member | None = None,
    slot: str = "",
) -> Job:
    """Write the job in the caller's transaction; it goes on the queue when that commits."""
    job_kind(kind)  # an unknown kind fails here, in the caller, not later in a worker
    job = Job(
        kind=kind,
        params=params or {},
        created_by=actor,
        slot=slot,
        max_attempts=max(1, settings.GILDE_TASKS_MAX_ATTEMPTS),
    )
    # The schedule's one-job-per-slot is left to the database (IntegrityError), so that two
    # workers writing the same slot at once cannot both pass a check first.
    job.full_clean(exclude=["created_by"], validate_constraints=False)
    job.save()
    transaction.on_commit(lambda: job_dispatch(job.pk))
    return job


def job_dispatch(job_id: int) -> None:
    """Tell the queue to run the job. When the queue cannot be reached the job stays queued
    and the worker clock delivers it later (see jobs_recover)."""
    from .tasks import run_job

    try:
        result = run_job.enqueue(job_id)
    except Exception:
        log.exception("Job %s could not be put on the queue; it will be delivered later", job_id)
        return
    Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(task_id=str(result.id)[:64])


# ---- run ------------------------------------------------------------------------------------


class _Reporter:
    """A job's progress: kept in memory, written at most every half second when the database
    lets it (on SQLite nothing but the job's own transaction can write while it is open) and
    always with the heartbeat."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.phase, self.done, self.total = "", 0, 0
        self._written_at = 0.0
        self._lock = threading.Lock()

    def __call__(self, phase: str, done: int, total: int) -> None:
        with self._lock:
            changed = phase != self.phase
            self.phase, self.done, self.total = phase[:40], done, total
        now = timezone.now().timestamp()
        if connection.in_atomic_block or (not changed and now - self._written_at < 0.5):
            return
        self._written_at = now
        Job.objects.filter(pk=self.job_id).update(**self.fields())

    def fields(self) -> dict[str, Any]:
        with self._lock:
            return {
                "phase": self.phase,
                "progress_done": self.done,
                "progress_total": self.total,
                "heartbeat_at": timezone.now(),
            }


@contextmanager
def _heartbeat(reporter: _Reporter, worker: str) -> Iterator[None]:
    """Write the job's heartbeat from a thread of its own (its own connection) while it runs."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(HEARTBEAT_SECONDS):
                # On SQLite this fails while the job's own transaction writes: next beat.
                with suppress(OperationalError):
                    Job.objects.filter(
                        pk=reporter.job_id, status=JobStatus.RUNNING, worker=worker
                    ).update(**reporter.fields())
        finally:
            connections.close_all()

    thread = threading.Thread(target=beat, name=f"job-{reporter.job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(HEARTBEAT_SECONDS * 2)


def job_run(job_id: int) -> str:
    """Claim the job and do it; what the queue's task runs. Returns what happened."""
    worker, now = worker_name(), timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        heartbeat_at=now,
        finished_at=None,
        worker=worker,
        error="",
        phase="",
        progress_done=0,
        progress_total=0,
    )
    if not claimed:
        return "skipped"  # done, running elsewhere, or gone: a second delivery does nothing
    job = Job.objects.get(pk=job_id)
    reporter = _Reporter(job_id)
    mine = Job.objects.filter(pk=job_id, status=JobStatus.RUNNING, worker=worker)
    try:
        kind = job_kind(job.kind)
        with _heartbeat(reporter, worker):
            kind.run(job, reporter)
    except Exception as exc:
        log.exception("Job %s (%s) failed", job_id, job.kind)
        mine.update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            error=_reason(exc),
            heartbeat_at=timezone.now(),
        )
        return "failed"
    mine.update(
        status=JobStatus.DONE, finished_at=timezone.now(), heartbeat_at=timezone.now(), phase=""
    )
    return "done"


def _reason(exc: Exception) -> str:
    """What the jobs page says about a failure: a JobFailed's own words; of anything else the
    kind of error only (its text may hold personal data: it goes to the server log)."""
    if isinstance(exc, JobFailed):
        return str(exc)[:2000]
    return _("%(error)s (the details are in the server log)") % {"error": type(exc).__name__}


def jobs_run_pending(*, limit: int = 1000) -> int:
    """Run every queued job here and now, oldest first (tests, and `gilde worker --burst`
    when the queue lost its messages). Returns how many ran."""
    ran = 0
    for job_id in (
        Job.objects.filter(status=JobStatus.QUEUED)
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    ):
        if job_run(job_id) != "skipped":
            ran += 1
    return ran


# ---- recover --------------------------------------------------------------------------------


def _process_alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[-1].split()[0] not in {"Z", "X"}
    except FileNotFoundError:
        return False
    except OSError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def worker_gone(job: Job, *, now: dt.datetime | None = None) -> bool:
    """Has the worker running this job stopped? On this machine: its process is gone. On
    another: it has not written a heartbeat for GILDE_TASKS_LEASE_SECONDS."""
    host, _sep, pid = job.worker.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        return not _process_alive(int(pid))
    last = job.heartbeat_at or job.started_at or job.created_at
    lease = dt.timedelta(seconds=settings.GILDE_TASKS_LEASE_SECONDS)
    return (now or timezone.now()) - last > lease


def jobs_recover(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Queue again the jobs whose worker died (or mark them failed after the last try), and
    deliver the queued jobs the queue never got. Run by every worker's clock; two workers
    doing it at once recover each job once (conditional updates)."""
    now = now or timezone.now()
    counts = {"requeued": 0, "failed": 0, "delivered": 0}
    for job in Job.objects.filter(status=JobStatus.RUNNING):
        if not worker_gone(job, now=now):
            continue
        this_try = Job.objects.filter(
            pk=job.pk, status=JobStatus.RUNNING, worker=job.worker, attempts=job.attempts
        )
        _forget_task(job.task_id)
        if job.attempts < job.max_attempts:
            if this_try.update(status=JobStatus.QUEUED, worker="", task_id="", heartbeat_at=now):
                log.warning("Job %s (%s): its worker stopped; trying again", job.pk, job.kind)
                counts["requeued"] += 1
                job_dispatch(job.pk)
            continue
        reason = _("The worker stopped during the job, %(count)d times; it was not tried again.")
        if this_try.update(
            status=JobStatus.FAILED, finished_at=now, error=reason % {"count": job.attempts}
        ):
            counts["failed"] += 1
            _gave_up(job)
    quiet_since = now - dt.timedelta(seconds=UNDELIVERED_SECONDS)
    lost = Job.objects.filter(status=JobStatus.QUEUED, created_at__lt=quiet_since).filter(
        Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=quiet_since)
    )
    for job in lost:
        if not job.task_id or _task_lost(job.task_id):
            counts["delivered"] += 1
            job_dispatch(job.pk)
    return counts


def _gave_up(job: Job) -> None:
    try:
        kind = job_kind(job.kind)
        if kind.gave_up is not None:
            kind.gave_up(job)
    except Exception:
        log.exception("Job %s: recording the interruption failed", job.pk)


def _task_lost(task_id: str) -> bool:
    """Does the queue no longer hold this task as waiting (lost, or finished without running
    the job)? A queue that cannot say is taken at its word."""
    from django_tasks import TaskResultStatus, default_task_backend
    from django_tasks.exceptions import TaskResultDoesNotExist

    if not default_task_backend.supports_get_result:
        return False
    try:
        result = default_task_backend.get_result(task_id)
    except TaskResultDoesNotExist:
        return True
    except Exception:
        return False
    return result.status != TaskResultStatus.READY


def _database_queue() -> bool:
    return "django_tasks_db" in str(settings.TASKS["default"]["BACKEND"])


def _forget_task(task_id: str) -> None:
    """The database queue's row of a task whose worker died stays "running": mark it failed,
    so that its tables say what happened."""
    if not task_id or not _database_queue():
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
        status="FAILED",
        finished_at=timezone.now(),
        exception_class_path="gilde.core.jobs.WorkerStopped",
        traceback="The worker stopped while it ran this task; the job was recovered.",
    )


# ---- the jobs page --------------------------------------------------------------------------


def job_retry(*, actor: Member, job: Job) -> Job:
    """Queue a failed job again (network managers); audited."""
    if not can_manage_jobs(actor):
        raise PermissionDenied(_("Only network managers can retry jobs."))
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.status != JobStatus.FAILED:
            raise ValidationError(_("Only a failed job can be tried again."))
        kind = job_kind(locked.kind)
        if kind.before_retry is not None:
            kind.before_retry(locked)
        locked.status, locked.attempts, locked.error = JobStatus.QUEUED, 0, ""
        locked.worker, locked.task_id, locked.finished_at = "", "", None
        locked.phase, locked.progress_done, locked.progress_total = "", 0, 0
        locked.heartbeat_at = timezone.now()
        locked.save()
        audit_record(
            actor=actor, action="change", target=locked, detail={"retry": True, "kind": locked.kind}
        )
        transaction.on_commit(lambda: job_dispatch(locked.pk))
    return locked


def jobs_prune(*, now: dt.datetime | None = None) -> int:
    """Remove finished jobs older than GILDE_TASKS_KEEP_DAYS, and the queue's own rows of
    them. Returns how many jobs were removed."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.GILDE_TASKS_KEEP_DAYS)
    old = Job.objects.filter(status__in=[JobStatus.DONE, JobStatus.FAILED], finished_at__lt=cutoff)
    removed, _detail = old.delete()
    if _database_queue():
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(
            status__in=["SUCCESSFUL", "FAILED"], finished_at__lt=cutoff
        ).delete()
    return removed


@dataclass(frozen=True)
class JobRow:
    job: Job
    label: str
    link: str | None


@dataclass(frozen=True)
class JobsOverview:
    active: list[JobRow]
    failed: list[JobRow]
    done: list[JobRow]
    schedule: list[tuple[str, dt.datetime]]
    # The oldest job still waiting, when it has waited long enough to ask whether a worker runs.
    waiting_since: dt.datetime | None


def _row(job: Job) -> JobRow:
    kind = job_kinds().get(job.kind)
    if kind is None:
        return JobRow(job, job.kind, None)
    try:
        link = kind.link(job) if kind.link is not None else None
    except Exception:  # a link to something since removed
        link = None
    return JobRow(job, str(kind.label), link)


def jobs_overview(*, now: dt.datetime | None = None, done_limit: int = 20) -> JobsOverview:
    """What the jobs page shows: running and queued jobs, failed ones (that can be retried),
    the last ones done, and when the schedule runs next. Jobs hold no personal data: kind,
    who asked, counts and reasons only."""
    from .schedules import schedules_next

    now = now or timezone.now()
    jobs = Job.objects.select_related("created_by__user")
    # Running before queued ("running" > "queued"), oldest first.
    active = [
        _row(j)
        for j in jobs.filter(status__in=[JobStatus.RUNNING, JobStatus.QUEUED]).order_by(
            "-status", "created_at"
        )
    ]
    failed = [_row(j) for j in jobs.filter(status=JobStatus.FAILED).order_by("-finished_at")[:50]]
    done = [
        _row(j) for j in jobs.filter(status=JobStatus.DONE).order_by("-finished_at")[:done_limit]
    ]
    oldest = (
        Job.objects.filter(status=JobStatus.QUEUED)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    running = any(r.job.status == JobStatus.RUNNING for r in active)
    waiting = oldest if oldest and not running and now - oldest > dt.timedelta(minutes=1) else None
    labels = {name: str(kind.label) for name, kind in job_kinds().items()}
    schedule = [(labels.get(kind, kind), when) for kind, when in schedules_next(now=now)]
    return JobsOverview(active, failed, done, schedule, waiting)
