"""Jobs on the task queue: queued when the caller commits, run once however often delivered,
failed with a reason, taken up again when their worker died, retried by a network manager,
queued by the schedule once per slot, and shown on the jobs page to managers only."""

from __future__ import annotations

import datetime as dt
import socket
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from gilde.audit.models import AuditEntry
from gilde.core import jobs
from gilde.core.jobs import (
    JobFailed,
    JobKind,
    job_enqueue,
    job_kind_register,
    job_retry,
    job_run,
    jobs_prune,
    jobs_recover,
)
from gilde.core.models import Job, JobStatus
from gilde.core.schedules import schedules_enqueue, schedules_next
from gilde.settings import envclock, tasks_config
from tests.conftest import client_for
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

ran: list[int] = []
gave_up: list[int] = []


def _count(job: Job, progress: jobs.Progress) -> None:
    progress("counting", 1, 2)
    ran.append(job.pk)


def _broken(job: Job, progress: jobs.Progress) -> None:
    raise RuntimeError("Femke de Vries, 06-12345678")  # personal data: never on the page


def _refused(job: Job, progress: jobs.Progress) -> None:
    raise JobFailed("The import no longer exists.")


job_kind_register(
    JobKind("test.count", "Count", _count, gave_up=lambda job: gave_up.append(job.pk))
)
job_kind_register(JobKind("test.broken", "Broken", _broken))
job_kind_register(JobKind("test.refused", "Refused", _refused))


@pytest.fixture(autouse=True)
def _clean():
    ran.clear()
    gave_up.clear()


def _queued(kind: str = "test.count", **fields) -> Job:
    return Job.objects.create(kind=kind, **fields)


def _running(worker: str, *, attempts: int = 1, beat: dt.datetime | None = None) -> Job:
    return _queued(
        status=JobStatus.RUNNING,
        worker=worker,
        attempts=attempts,
        heartbeat_at=beat or timezone.now(),
        started_at=timezone.now(),
    )


def _dead_pid() -> int:
    """A process id no process has now (past the kernel's largest)."""
    with open("/proc/sys/kernel/pid_max") as pid_max:
        return int(pid_max.read()) + 10


# ---- enqueue and run ----------------------------------------------------------------------------


def test_a_job_goes_on_the_queue_only_when_the_callers_transaction_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = job_enqueue(kind="test.count", params={"n": 1})
        assert Job.objects.get(pk=job.pk).task_id == ""  # not yet: the caller has not committed
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.task_id != ""


def test_a_job_of_a_transaction_that_rolls_back_is_never_queued(
    django_capture_on_commit_callbacks,
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        job_enqueue(kind="test.count")
        raise RuntimeError("the caller failed")
    assert callbacks == [] and not Job.objects.exists()


def test_an_unknown_kind_is_refused_when_it_is_queued():
    with pytest.raises(JobFailed):
        job_enqueue(kind="no.such.job")
    assert not Job.objects.exists()


def test_a_job_runs_once_however_often_the_queue_delivers_it():
    job = _queued()
    assert job_run(job.pk) == "done"
    assert job_run(job.pk) == "skipped"
    job.refresh_from_db()
    assert ran == [job.pk] and job.status == JobStatus.DONE and job.attempts == 1
    assert job.finished_at is not None and job.worker == jobs.worker_name()


def test_a_job_that_runs_elsewhere_is_not_run_a_second_time():
    job = _running(worker=f"{socket.gethostname()}:1")  # pid 1 is always alive
    assert job_run(job.pk) == "skipped" and ran == []


def test_a_failed_job_says_why_without_the_personal_data_of_the_error():
    job = _queued("test.broken")
    assert job_run(job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "RuntimeError" in job.error
    assert "Femke" not in job.error and "0612" not in job.error


def test_a_job_that_cannot_be_done_says_so_in_its_own_words():
    job = _queued("test.refused")
    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == "The import no longer exists."


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_job_reports_its_progress_on_its_row_outside_a_transaction():
    job = _queued()
    reporter = jobs._Reporter(job.pk)
    reporter("counting", 5, 20)
    job.refresh_from_db()
    assert (job.phase, job.progress_done, job.progress_total) == ("counting", 5, 20)
    assert job.progress_percent == 25
    with transaction.atomic():  # inside one, SQLite lets no one else write: kept for the heartbeat
        reporter("saving", 7, 20)
        assert Job.objects.get(pk=job.pk).phase == "counting"
    assert reporter.fields()["phase"] == "saving" and reporter.fields()["progress_done"] == 7


# ---- recovery ---------------------------------------------------------------------------------


def test_a_job_whose_worker_process_died_is_queued_again_and_then_runs_once():
    job = _running(worker=f"{socket.gethostname()}:{_dead_pid()}")
    assert jobs_recover()["requeued"] == 1
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.worker == "" and job.attempts == 1
    assert jobs_recover()["requeued"] == 0  # a second worker's clock finds nothing to do
    assert job_run(job.pk) == "done"
    job.refresh_from_db()
    assert job.attempts == 2 and ran == [job.pk]


def test_a_job_whose_worker_died_on_its_last_try_fails_with_the_reason(settings):
    job = _running(worker=f"{socket.gethostname()}:{_dead_pid()}", attempts=3)
    assert jobs_recover()["failed"] == 1
    job.refresh_from_db()
    # Written in the organisation's language (GILDE_LANGUAGE): the worker serves no one user.
    assert job.status == JobStatus.FAILED
    assert "worker stopped" in job.error or "worker stopte" in job.error
    assert gave_up == [job.pk]


def test_a_job_of_a_live_worker_is_left_alone_however_quiet_it_is():
    long_ago = timezone.now() - dt.timedelta(hours=2)
    job = _running(worker=f"{socket.gethostname()}:1", beat=long_ago)
    assert jobs_recover()["requeued"] == 0
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING


def test_a_job_on_another_machine_is_taken_up_once_its_heartbeat_is_older_than_the_lease(
    settings,
):
    settings.GILDE_TASKS_LEASE_SECONDS = 120
    fresh = _running(worker="other-host:42", beat=timezone.now() - dt.timedelta(seconds=60))
    quiet = _running(worker="other-host:43", beat=timezone.now() - dt.timedelta(seconds=180))
    assert jobs_recover()["requeued"] == 1
    assert Job.objects.get(pk=fresh.pk).status == JobStatus.RUNNING
    assert Job.objects.get(pk=quiet.pk).status == JobStatus.QUEUED


def test_a_queued_job_the_queue_never_got_is_delivered_by_the_clock():
    job = _queued()
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    assert jobs_recover()["delivered"] == 1
    assert Job.objects.get(pk=job.pk).task_id != ""


def test_the_queue_being_unreachable_leaves_the_job_queued_for_later(caplog):
    job = _queued()
    with mock.patch("gilde.core.tasks.run_job") as run_job:
        run_job.enqueue.side_effect = ConnectionError("down")
        jobs.job_dispatch(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.task_id == ""
    assert "delivered later" in caplog.text


# ---- retry ------------------------------------------------------------------------------------


def test_a_network_manager_retries_a_failed_job_and_the_retry_is_audited():
    manager = MemberFactory(role="network_manager")
    job = _queued("test.count", status=JobStatus.FAILED, attempts=3, error="RuntimeError")
    job_retry(actor=manager, job=job)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.attempts == 0 and job.error == ""
    entry = AuditEntry.objects.get(target_type="job", target_id=job.pk)
    assert entry.actor == manager and entry.detail == {"retry": True, "kind": "test.count"}
    assert job_run(job.pk) == "done"


def test_only_a_failed_job_can_be_retried():
    manager = MemberFactory(role="network_manager")
    with pytest.raises(ValidationError):
        job_retry(actor=manager, job=_queued(status=JobStatus.DONE))
    assert not AuditEntry.objects.exists()


def test_a_networker_cannot_retry_a_job():
    job = _queued(status=JobStatus.FAILED)
    with pytest.raises(PermissionDenied):
        job_retry(actor=MemberFactory(role="networker"), job=job)
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED


# ---- schedule ---------------------------------------------------------------------------------


def _at(hour: int, minute: int, day: int = 3) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=timezone.get_current_timezone())


def test_the_schedule_queues_each_job_once_per_day_however_many_workers_look(settings):
    settings.GILDE_SCHEDULE_DIGEST, settings.GILDE_SCHEDULE_RECOMPUTE = "07:00", "02:30"
    settings.GILDE_SCHEDULE_HOUSEKEEPING = ""
    assert [j.kind for j in schedules_enqueue(now=_at(2, 0))] == []
    assert [j.kind for j in schedules_enqueue(now=_at(3, 0))] == ["network.recompute"]
    assert [j.kind for j in schedules_enqueue(now=_at(7, 1))] == ["digest.send"]
    assert schedules_enqueue(now=_at(7, 2)) == []  # a second worker, a minute later
    assert Job.objects.filter(slot="2026-12-03").count() == 2
    next_day = schedules_enqueue(now=_at(8, 0, day=4))
    assert sorted(j.kind for j in next_day) == ["digest.send", "network.recompute"]
    assert not Job.objects.filter(kind="housekeeping").exists()


def test_two_workers_writing_the_same_slot_at_once_make_one_job(settings):
    settings.GILDE_SCHEDULE_DIGEST = "07:00"
    settings.GILDE_SCHEDULE_RECOMPUTE = settings.GILDE_SCHEDULE_HOUSEKEEPING = ""
    job_enqueue(kind="digest.send", slot="2026-12-03")  # the other worker, between look and write
    with mock.patch("gilde.core.schedules.Job.objects.filter") as looked:
        looked.return_value.exists.return_value = False
        assert schedules_enqueue(now=_at(7, 1)) == []
    assert Job.objects.filter(kind="digest.send").count() == 1


def test_the_schedule_says_when_each_job_runs_next(settings):
    settings.GILDE_SCHEDULE_DIGEST, settings.GILDE_SCHEDULE_RECOMPUTE = "07:00", "02:30"
    settings.GILDE_SCHEDULE_HOUSEKEEPING = ""
    upcoming = dict(schedules_next(now=_at(6, 0)))
    assert upcoming["digest.send"] == _at(7, 0)
    assert upcoming["network.recompute"] == _at(2, 30, day=4)


def test_schedule_times_and_the_backend_are_checked_at_start_up(monkeypatch):
    monkeypatch.setenv("GILDE_SCHEDULE_DIGEST", "7 uur")
    with pytest.raises(ImproperlyConfigured):
        envclock("GILDE_SCHEDULE_DIGEST", "07:00")
    monkeypatch.setenv("GILDE_SCHEDULE_DIGEST", "")
    assert envclock("GILDE_SCHEDULE_DIGEST", "07:00") == ""
    with pytest.raises(ImproperlyConfigured):
        tasks_config("rabbitmq://localhost")
    assert tasks_config("database")["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert tasks_config("redis://127.0.0.1:6379/0")["default"]["BACKEND"] == (
        "django_tasks_rq.RQBackend"
    )


def test_the_scheduled_jobs_do_their_work(mailoutbox):
    for kind in ("digest.send", "network.recompute", "housekeeping"):
        job = job_enqueue(kind=kind)
        assert job_run(job.pk) == "done", Job.objects.get(pk=job.pk).error
        assert "result" in Job.objects.get(pk=job.pk).params


def test_housekeeping_removes_finished_jobs_past_their_keeping_time(settings):
    settings.GILDE_TASKS_KEEP_DAYS = 30
    old = timezone.now() - dt.timedelta(days=31)
    _queued(status=JobStatus.DONE, finished_at=old)
    _queued(status=JobStatus.FAILED, finished_at=old)
    recent = _queued(status=JobStatus.DONE, finished_at=timezone.now())
    waiting = _queued()
    assert jobs_prune() == 2
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}


# ---- the jobs page ----------------------------------------------------------------------------


def test_a_network_manager_sees_running_queued_and_failed_jobs_with_their_progress():
    manager = MemberFactory(role="network_manager")
    _queued(
        status=JobStatus.RUNNING, worker="h:1", phase="saving", progress_done=3, progress_total=4
    )
    _queued(
        "test.broken",
        status=JobStatus.FAILED,
        error="RuntimeError (the details are in the server log)",
        finished_at=timezone.now(),
    )
    page = client_for(manager).get(reverse("job_list"), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200
    assert "3 / 4" in text and "RuntimeError" in text and "Broken" in text
    assert reverse("job_list") in text  # the menu links to it, and the lists poll it
    assert 'hx-trigger="every 2s"' in text


def test_the_jobs_page_polls_only_its_lists_and_stops_when_nothing_runs():
    manager = MemberFactory(role="network_manager")
    client = client_for(manager)
    partial = client.get(reverse("job_list"), HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<div id="jobs"') and "<html" not in partial
    assert "hx-trigger" not in partial


def test_the_jobs_page_asks_whether_the_worker_runs_when_jobs_wait_too_long():
    manager = MemberFactory(role="network_manager")
    job = _queued()
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    text = client_for(manager).get(reverse("job_list")).content.decode()
    assert "gilde worker" in text


def test_networkers_do_not_see_the_jobs_page_nor_the_menu_entry():
    networker = MemberFactory(role="networker")
    client = client_for(networker)
    assert client.get(reverse("job_list")).status_code == 404
    job = _queued(status=JobStatus.FAILED)
    assert client.post(reverse("job_retry", args=[job.pk])).status_code == 404
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED
    assert reverse("job_list") not in client.get(reverse("dashboard")).content.decode()


def test_a_manager_retries_a_failed_job_from_the_page():
    manager = MemberFactory(role="network_manager")
    job = _queued(status=JobStatus.FAILED, error="RuntimeError")
    client = client_for(manager)
    response = client.post(reverse("job_retry", args=[job.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("job_list")
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    again = client.post(reverse("job_retry", args=[job.pk]), follow=True)
    assert again.status_code == 200 and Job.objects.get(pk=job.pk).status == JobStatus.QUEUED


def test_the_jobs_page_reads_in_dutch():
    manager = MemberFactory(role="network_manager")
    _queued("import.commit", status=JobStatus.FAILED, params={"batch": 1})
    text = client_for(manager).get(reverse("job_list"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Achtergrondtaken" in text and "Mislukt" in text and "Opnieuw proberen" in text
    assert "Een import uitvoeren" in text


# ---- the worker -------------------------------------------------------------------------------


def test_a_worker_runs_the_waiting_jobs_from_the_queue_and_stops_when_told_burst(
    settings,
    django_capture_on_commit_callbacks,
):
    if "Dummy" in settings.TASKS["default"]["BACKEND"]:
        settings.TASKS = tasks_config("database")
    with django_capture_on_commit_callbacks(execute=True):
        first, second = job_enqueue(kind="test.count"), job_enqueue(kind="test.count")
    # The worker closes its connection between tasks; the test's transaction must stay open.
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("worker", burst=True, no_schedule=True, verbosity=0)
    assert sorted(ran) == sorted([first.pk, second.pk])
    assert set(Job.objects.values_list("status", flat=True)) == {JobStatus.DONE}


def test_the_jobs_page_reads_the_same_few_queries_however_many_jobs(django_assert_max_num_queries):
    manager = MemberFactory(role="network_manager")
    for _n in range(15):
        _queued(status=JobStatus.DONE, finished_at=timezone.now(), created_by=manager)
        _queued(status=JobStatus.FAILED, finished_at=timezone.now(), created_by=manager)
        _queued(created_by=manager)
    client = client_for(manager)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("job_list")).status_code == 200
