"""Progress of a long import step, written to the batch row so that the page can poll it. The
steps themselves run as jobs on the task queue (gilde.imports.jobs)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.utils import timezone

from .models import ImportBatch


def progress_writer(
    batch_id: int, *, every: float = 0.5, also: Callable[[str, int, int], None] | None = None
) -> Callable[[str, int, int], None]:
    """A callback that writes phase and progress to the batch row, at most every `every`
    seconds unless the phase changes, and passes them on to `also` (the job's progress).
    Inside a write transaction on SQLite other connections cannot write, so the row is only
    written outside it (the saving phase shows no figures there)."""
    last_at, last_phase = 0.0, ""

    def report(phase: str, done: int, total: int) -> None:
        nonlocal last_at, last_phase
        if also is not None:
            also(phase, done, total)
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
