"""Automatic logging on the task queue: every GILDE_AUTOLOG_EVERY_MINUTES the worker's
schedule queues one job that polls Gilde's mail-in mailbox and runs every working connection;
connecting (or "read now") queues a job for that one connection."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gilde.accounts.models import Member
from gilde.core.jobs import JobKind, Progress, job_enqueue, job_kind_register
from gilde.core.models import Job

from .models import Connection, ConnectionStatus


def connection_sync_enqueue(*, connection: Connection, actor: Member | None = None) -> Job:
    return job_enqueue(kind="autolog.connection", params={"connection": connection.pk}, actor=actor)


def _one(job: Job, progress: Progress) -> None:
    from .sync import connection_sync

    connection = Connection.objects.filter(pk=job.params.get("connection")).first()
    if connection is None:
        return  # disconnected in the meantime
    run = connection_sync(connection, progress=progress)
    Job.objects.filter(pk=job.pk).update(params={**job.params, "result": run.counts})


def _all(job: Job, progress: Progress) -> None:
    from .mailin import mail_in_poll
    from .sync import connection_sync

    totals: dict[str, int] = {}
    for name, count in mail_in_poll().items():
        totals[f"mail-in:{name}"] = count
    # A connection whose login was refused waits for its member's new password or token.
    connections = list(
        Connection.objects.filter(status=ConnectionStatus.ACTIVE, member__user__is_active=True)
    )
    for done, connection in enumerate(connections):
        progress("connections", done, len(connections))
        run = connection_sync(connection)
        totals[run.outcome] = totals.get(run.outcome, 0) + 1
    Job.objects.filter(pk=job.pk).update(params={**job.params, "result": totals})


job_kind_register(JobKind("autolog.connection", _("Read a mailbox or calendar"), _one))
job_kind_register(JobKind("autolog.sync", _("Read mail and calendars"), _all))
