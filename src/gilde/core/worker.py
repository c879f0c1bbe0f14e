"""The worker: takes jobs off the queue and runs them, and keeps the clock (recovery of jobs
whose worker died, the schedule). `gilde worker` runs it; `gilde serve` and `gilde demo`
start it beside the web server (worker_start)."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any

from django.conf import settings
from django.db import OperationalError, close_old_connections, connections

from .jobs import jobs_recover, worker_name
from .schedules import schedules_enqueue

log = logging.getLogger(__name__)
# How often the clock recovers jobs and looks at the schedule.
CLOCK_SECONDS = 15.0
# Set on a worker started beside the web server: the process id of that server.
PARENT_ENV = "GILDE_WORKER_PARENT"


def uses_redis() -> bool:
    return "django_tasks_rq" in str(settings.TASKS["default"]["BACKEND"])


def clock_tick() -> None:
    """One look at the clock: recover interrupted jobs, queue what the schedule says is due."""
    close_old_connections()
    try:
        jobs_recover()
        schedules_enqueue()
    except OperationalError as error:  # SQLite, while a job's transaction holds the lock
        log.info("Worker clock skipped a tick: %s", error)
    finally:
        close_old_connections()


def _orphaned() -> bool:
    """Started by `gilde serve` or `gilde demo`, whose process is gone (killed outright)?"""
    parent = os.environ.get(PARENT_ENV, "")
    return parent.isdigit() and os.getppid() != int(parent)


def _clock(stop: threading.Event, interval: float) -> None:
    last = time.monotonic()
    try:
        while not stop.wait(2.0):
            if _orphaned():
                log.warning("The web server that started this worker is gone; stopping")
                os.kill(os.getpid(), signal.SIGTERM)
                return
            if time.monotonic() - last >= interval:
                clock_tick()
                last = time.monotonic()
    finally:
        connections.close_all()


def worker_run(*, burst: bool = False, schedule: bool = True, interval: float = 1.0) -> None:
    """Run one worker in this process until it is stopped (or, with burst, the queue is
    empty). The clock runs first, so a restarted worker takes up interrupted jobs at once."""
    if schedule:
        clock_tick()
    stop = threading.Event()
    if schedule and not burst:
        threading.Thread(
            target=_clock, args=(stop, CLOCK_SECONDS), name="worker-clock", daemon=True
        ).start()
    try:
        if uses_redis():
            _run_rq(burst=burst)
        else:
            _run_database(burst=burst, interval=interval)
    finally:
        stop.set()


def _run_database(*, burst: bool, interval: float) -> None:
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["default"],
        interval=interval,
        batch=burst,
        backend_name="default",
        startup_delay=not burst,
        max_tasks=None,
        worker_id=worker_name()[:64],
        excluded_queue_names=[],
    )
    worker.configure_signals()
    worker.run()


def _run_rq(*, burst: bool) -> None:
    import django_rq

    # SimpleWorker runs each job in this process (no fork per job), so the process the job
    # row names is the one doing the work.
    worker = django_rq.get_worker(
        "default",
        job_class="django_tasks_rq.Job",
        worker_class="rq.worker.SimpleWorker",
        name=worker_name().replace(":", "-"),
    )
    worker.work(burst=burst, with_scheduler=False, logging_level="WARNING")


class WorkerProcesses:
    """Worker processes started beside the web server, started again when one stops."""

    def __init__(self, count: int, *, env: dict[str, str] | None = None) -> None:
        self.count = count
        self.env = env
        self.processes: list[subprocess.Popen[bytes]] = []
        self._stop = threading.Event()
        self._watch: threading.Thread | None = None

    def command(self) -> list[str]:
        return [sys.executable, "-m", "gilde", "worker", "--processes", "1"]

    def _spawn(self) -> subprocess.Popen[bytes]:
        env = {**os.environ, **(self.env or {}), PARENT_ENV: str(os.getpid())}
        # A session of its own: Ctrl+C in the terminal stops the web server, which then stops
        # its workers (each finishing its job), instead of both at once racing the restarts.
        return subprocess.Popen(self.command(), env=env, start_new_session=True)  # noqa: S603

    def start(self) -> WorkerProcesses:
        self.processes = [self._spawn() for _ in range(self.count)]
        self._watch = threading.Thread(target=self._keep_running, name="worker-watch", daemon=True)
        self._watch.start()
        return self

    def _keep_running(self) -> None:
        while not self._stop.wait(2.0):
            for index, process in enumerate(self.processes):
                if process.poll() is not None and not self._stop.is_set():
                    log.warning(
                        "Worker process %s stopped (%s); starting it again",
                        process.pid,
                        process.returncode,
                    )
                    self.processes[index] = self._spawn()

    def stop(self, timeout: float = 30.0) -> None:
        """Ask each worker to finish its job and stop; kill what does not in time."""
        self._stop.set()
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.processes:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def worker_start(count: int = 1, **kwargs: Any) -> WorkerProcesses:
    return WorkerProcesses(count, **kwargs).start()
