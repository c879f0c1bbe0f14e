"""The one task on the queue: run job N (see gilde.core.jobs). Every kind of job goes through
it, so the queue's backend (database or Redis) never needs to know Gilde's jobs."""

from __future__ import annotations

from django_tasks import task

from .jobs import job_run


@task()
def run_job(job_id: int) -> str:
    return job_run(job_id)
