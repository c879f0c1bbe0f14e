"""A real worker process, killed (SIGKILL) in the middle of committing a 20,000-row import, and
started again: the import lands once, whole, with the right counts. On the queue backend of
GILDE_TASKS_BACKEND (Redis under `make test-redis`), the database one otherwise."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection

from gilde.audit.models import AuditEntry
from gilde.core.models import Job, JobStatus
from gilde.imports.models import BatchStatus, ImportBatch
from gilde.imports.services import batch_commit, batch_upload
from gilde.relations.models import EmailAddress, Person
from gilde.settings import tasks_config
from tests.factories import MemberFactory
from tests.imports.factories import csv_file

pytestmark = [
    pytest.mark.slow,
    # The worker is another process: it sees only what this test commits.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ROWS = 20_000
REPO = Path(__file__).resolve().parents[2]


def _backend() -> str:
    return os.environ.get("GILDE_TASKS_BACKEND") or "database"


def _worker() -> subprocess.Popen[bytes]:
    """`gilde worker` on this test's database, with the schedule off (recovery stays on)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "GILDE_TASKS_BACKEND": _backend(),
        "GILDE_TEST_DATABASE_NAME": str(connection.settings_dict["NAME"]),
        "GILDE_SCHEDULE_DIGEST": "",
        "GILDE_SCHEDULE_RECOMPUTE": "",
        "GILDE_SCHEDULE_HOUSEKEEPING": "",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "gilde", "worker", "--verbosity", "0"], env=env, cwd=REPO
    )


def _wait_for(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _writing_persons() -> bool:
    """Is another connection inside a transaction that writes (the commit's)?"""
    if connection.vendor == "sqlite":
        probe = sqlite3.connect(
            str(connection.settings_dict["NAME"]), timeout=0, isolation_level=None
        )
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:  # "database is locked": a writer holds it
            return True
        finally:
            probe.close()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE c.relname = %s AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid() "
            "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            [Person._meta.db_table],
        )
        return bool(cursor.fetchone()[0])


def _in_the_commits_transaction() -> bool:
    job = Job.objects.filter(kind="import.commit").first()
    if job is None or job.status != JobStatus.RUNNING:
        return False
    # Three looks in a row, so a short write (a heartbeat) is not taken for the commit.
    for _look in range(3):
        if not _writing_persons():
            return False
        time.sleep(0.1)
    return True


def test_a_killed_worker_leaves_nothing_and_the_next_one_lands_the_import_once(settings):
    settings.TASKS = tasks_config(_backend())
    manager = MemberFactory(role="network_manager")
    rows = [f"Piet{i};;Jansen{i};piet{i}@example.nl;;Bedrijf {i % 50};;Delft" for i in range(ROWS)]
    batch = batch_upload(
        actor=manager, content=csv_file(*rows), file_name="groot.csv", background_flag=False
    )
    assert batch.status == BatchStatus.PREVIEWED and batch.new_count == ROWS
    batch = batch_commit(actor=manager, batch=batch, background_flag=True)
    job = Job.objects.get(kind="import.commit")
    assert batch.status == BatchStatus.RUNNING and job.task_id  # on the queue, not yet run

    first = _worker()
    try:
        _wait_for(_in_the_commits_transaction, timeout=240, what="the commit to be writing")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(30)
    # Killed mid-transaction: nothing of the batch is in the registry; the job is held by
    # a process that no longer exists.
    assert Person.objects.count() == 0
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.attempts == 1
    assert ImportBatch.objects.get(pk=batch.pk).status == BatchStatus.RUNNING

    second = _worker()
    try:
        _wait_for(
            lambda: (
                ImportBatch.objects.get(pk=batch.pk).status
                in (BatchStatus.COMMITTED, BatchStatus.FAILED)
            ),
            timeout=300,
            what="the import to land",
        )
        _wait_for(
            lambda: Job.objects.get(pk=job.pk).status == JobStatus.DONE,
            timeout=30,
            what="the job to be marked done",
        )
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(60)
    batch.refresh_from_db()
    job.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED, batch.error_message
    assert batch.created_persons == ROWS and Person.objects.count() == ROWS
    assert EmailAddress.objects.values("address").distinct().count() == ROWS
    assert job.attempts == 2 and job.error == ""
    assert AuditEntry.objects.filter(action="import", target_id=batch.pk).count() == 1
