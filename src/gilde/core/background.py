"""Long work runs in a thread of the web process, so a request returns at once and the page
polls a database row for progress. The state lives in the database, never in the process: any
web process can answer the poll, and work whose process ended shows up as stale through the
row's heartbeat (its transaction was rolled back, so nothing of it was saved). Each app keeps
its own row and its own progress writer; this module only runs the jobs."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.db import close_old_connections, connections

log = logging.getLogger(__name__)
Job = Callable[[], None]
# Started threads, so tests (and a clean shutdown) can wait for them.
threads: list[threading.Thread] = []


def start(job: Job, *, name: str, background: bool) -> None:
    """Run job now, or in a thread of its own with its own database connection."""
    if not background:
        job()
        return
    thread = threading.Thread(target=_run, args=(job, name), name=name, daemon=True)
    threads.append(thread)
    thread.start()


def _run(job: Job, name: str) -> None:
    close_old_connections()
    try:
        job()
    except Exception:  # the job records its own failure; this is the last resort
        log.exception("Background job %s failed", name)
    finally:
        connections.close_all()


def wait_all(timeout: float = 60.0) -> None:
    """Wait for every started thread (tests; a management command before it exits)."""
    for thread in list(threads):
        thread.join(timeout)
        threads.remove(thread)
