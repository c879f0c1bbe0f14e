"""Long import steps run in a thread of the web process, so a request returns at once and the
page polls the batch row for progress. The state lives in the database, never in the process:
any web process can answer the poll, and a step whose process ended shows up as stale (its
transaction was rolled back, so nothing of it was saved)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.db import close_old_connections, connections
from django.utils import timezone

from .models import ImportBatch

log = logging.getLogger(__name__)
Job = Callable[[], None]
# Started threads, so tests (and a clean shutdown) can wait for them.
threads: list[threading.Thread] = []


def start(job: Job, *, name: str, background: bool) -> None:
    """Run job now, or in a thread of its own with its own database connection."""
    if not background:
        job()
        return
    thread = threading.Thread(target=_run, args=(job,), name=name, daemon=True)
    threads.append(thread)
    thread.start()


def _run(job: Job) -> None:
    close_old_connections()
    try:
        job()
    except Exception:  # the job records its own failure; this is the last resort
        log.exception("Background import step failed")
    finally:
        connections.close_all()


def wait_all(timeout: float = 60.0) -> None:
    """Wait for every started thread (tests; a management command before it exits)."""
    for thread in list(threads):
        thread.join(timeout)
        threads.remove(thread)


def progress_writer(batch_id: int, *, every: float = 0.5) -> Callable[[str, int, int], None]:
    """A callback that writes phase and progress to the batch row, at most every `every`
    seconds unless the phase changes. Inside a write transaction on SQLite other connections
    cannot write, so the row is only written outside it (the saving phase shows no figures)."""
    last_at, last_phase = 0.0, ""

    def report(phase: str, done: int, total: int) -> None:
        nonlocal last_at, last_phase
        now = time.monotonic()
        if phase == last_phase and now - last_at < every:
            return
        from django.db import connection

        if connection.in_atomic_block:
            return
        last_at, last_phase = now, phase
        ImportBatch.objects.filter(pk=batch_id).update(
            phase=phase, progress_done=done, progress_total=total, heartbeat_at=timezone.now()
        )

    return report
