"""The network graph's rebuild on the task queue (queued when a request finds it stale)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gilde.core.jobs import JobKind, Progress, job_kind_register
from gilde.core.models import Job

from .loader import communities_for, communities_whole, network_graph_build


def graph_build(job: Job, progress: Progress) -> None:
    progress("reading", 0, 0)
    stored = network_graph_build()
    # The whole network's communities at once, so the network manager's page need not wait.
    communities_whole()
    Job.objects.filter(pk=job.pk).update(
        params={
            **job.params,
            "result": {"nodes": len(stored.data.kinds), "edges": len(stored.data.sources)},
        }
    )


def communities_build(job: Job, progress: Progress) -> None:
    """Communities of one member's visible graph (or the whole network, without a member)."""
    from gilde.accounts.models import Member

    progress("communities", 0, 0)
    member = Member.objects.filter(pk=job.params.get("member")).select_related("user").first()
    if member is not None:
        communities_for(member.user, wait=True)
    else:
        communities_whole()


job_kind_register(JobKind("network.graph", _("Rebuild the network graph"), graph_build))
job_kind_register(
    JobKind("network.communities", _("Find the communities of the network"), communities_build)
)
