"""Strategy's jobs on the task queue: urgent signals mailed at once, and the quarterly report
drawn up with its PDF."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gilde.core.jobs import JobKind, Progress, job_kind_register
from gilde.core.models import Job


def signals_urgent(job: Job, progress: Progress) -> None:
    from gilde.strategy.signals import urgent_send

    sent = urgent_send(list(job.params.get("deliveries", [])))
    Job.objects.filter(pk=job.pk).update(params={**job.params, "result": {"sent": sent}})


job_kind_register(JobKind("strategy.signals_urgent", _("Mail urgent signals"), signals_urgent))
