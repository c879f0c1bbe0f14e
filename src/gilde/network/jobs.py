"""The network graph's rebuild on the task queue (queued when a request finds it stale)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gilde.core.jobs import JobKind, Progress, job_kind_register
from gilde.core.models import Job

from .loader import network_graph_build


def graph_build(job: Job, progress: Progress) -> None:
    progress("reading", 0, 0)
    stored = network_graph_build()
    Job.objects.filter(pk=job.pk).update(
        params={
            **job.params,
            "result": {"nodes": len(stored.data.kinds), "edges": len(stored.data.sources)},
        }
    )


job_kind_register(JobKind("network.graph", _("Rebuild the network graph"), graph_build))
