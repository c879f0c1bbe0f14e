"""Imports and erasures as jobs: a failed commit retried from the jobs page lands, a batch
discarded while its job waited leaves the job nothing to do, a job given up after its worker
died says so on the batch and on the erasure register."""

from __future__ import annotations

import socket
from unittest import mock

import pytest
from django.utils import timezone

from gilde.core.jobs import job_retry, job_run, jobs_recover
from gilde.core.models import Job, JobStatus
from gilde.imports import services as import_services
from gilde.imports.models import BatchStatus
from gilde.imports.services import batch_commit, batch_discard, batch_upload
from gilde.privacy.erasure_requests import erasure_request
from gilde.privacy.models import ErasureRequest, ErasureStatus
from gilde.relations.models import Person
from tests.factories import MemberFactory, PersonFactory
from tests.imports.factories import DUTCH
from tests.jobs import run_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return MemberFactory(role="network_manager")


def _queued_commit(manager):  # type: ignore[no-untyped-def]
    batch = batch_upload(actor=manager, content=DUTCH, file_name="r.csv")
    batch = batch_commit(actor=manager, batch=batch, background_flag=True)
    assert batch.status == BatchStatus.RUNNING
    return batch, Job.objects.get(kind="import.commit")


def test_a_commit_that_failed_is_retried_from_the_jobs_page_and_lands(manager):
    batch, job = _queued_commit(manager)
    with mock.patch.object(import_services, "commit_batch", side_effect=RuntimeError("disk full")):
        assert job_run(job.pk) == "failed"
    batch.refresh_from_db()
    job.refresh_from_db()
    assert batch.status == BatchStatus.FAILED and "disk full" in batch.error_message
    assert job.status == JobStatus.FAILED and "RuntimeError" in job.error
    assert Person.objects.count() == 0
    job_retry(actor=manager, job=job)
    assert run_jobs() == 1
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED and Person.objects.count() == 3
    assert Job.objects.get(pk=job.pk).status == JobStatus.DONE


def test_a_commit_run_twice_lands_once(manager):
    batch, job = _queued_commit(manager)
    assert job_run(job.pk) == "done"
    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)  # delivered a second time
    assert job_run(job.pk) == "done"
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED and Person.objects.count() == 3


def test_a_batch_discarded_while_its_reading_waited_leaves_the_job_nothing_to_do(manager, settings):
    settings.GILDE_IMPORT_INLINE_BYTES = 10
    batch = batch_upload(actor=manager, content=DUTCH, file_name="r.csv")
    assert batch.status == BatchStatus.ANALYSING
    batch_discard(actor=manager, batch=batch)
    job = Job.objects.get(kind="import.analyse")
    assert job_run(job.pk) == "done"


def test_a_commit_given_up_after_its_worker_died_says_so_on_the_batch(manager):
    batch, job = _queued_commit(manager)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        attempts=job.max_attempts,
        heartbeat_at=timezone.now(),
        worker=f"{socket.gethostname()}:{2**22 + 10}",
    )
    assert jobs_recover()["failed"] == 1
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED and batch.error_code == "interrupted"
    assert Person.objects.count() == 0


def test_an_erasure_given_up_says_so_on_the_register_and_can_be_retried(manager):
    person = PersonFactory(owner=manager)
    request = erasure_request(actor=manager, person=person)
    job = Job.objects.get(kind="privacy.erasure")
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        attempts=job.max_attempts,
        heartbeat_at=timezone.now(),
        worker=f"{socket.gethostname()}:{2**22 + 10}",
    )
    jobs_recover()
    request.refresh_from_db()
    assert request.status == ErasureStatus.FAILED and request.message == "interrupted"
    job_retry(actor=manager, job=Job.objects.get(pk=job.pk))
    assert ErasureRequest.objects.get(pk=request.pk).status == ErasureStatus.QUEUED
    run_jobs()
    assert ErasureRequest.objects.get(pk=request.pk).status == ErasureStatus.DONE


def test_the_progress_says_when_a_step_waits_for_the_worker(manager):
    from django.urls import reverse

    from tests.conftest import client_for

    batch, job = _queued_commit(manager)
    client = client_for(manager)
    words = ("Waiting for the background worker", "Wachten tot de achtergrondverwerking")
    waiting = client.get(reverse("import_progress", args=[batch.pk])).content.decode()
    assert any(w in waiting for w in words)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    running = client.get(reverse("import_progress", args=[batch.pk])).content.decode()
    assert not any(w in running for w in words)
