"""Maintenance's jobs on the task queue, run on the worker's schedule: the digest e-mails due
today and the nightly recompute of tie strengths and relation statuses."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gilde.core.jobs import JobKind, Progress, job_kind_register
from gilde.core.models import Job

from . import digest
from .services import network_recompute


def digests_send(job: Job, progress: Progress) -> None:
    """Every digest due today; a member who got theirs today is not sent a second one, so a
    try run again after its worker died sends only what the first did not."""
    today = timezone.localdate()
    members = digest.members_due_for_digest(today=today)
    sent = 0
    for done, member in enumerate(members):
        progress("sending", done, len(members))
        if digest.digest_send(member=member, today=today):
            sent += 1
    Job.objects.filter(pk=job.pk).update(
        params={**job.params, "result": {"sent": sent, "members": len(members)}}
    )


def recompute(job: Job, progress: Progress) -> None:
    progress("recomputing", 0, 0)
    result = network_recompute()
    Job.objects.filter(pk=job.pk).update(
        params={**job.params, "result": {"ties": result.ties, "persons": result.persons}}
    )


def tier_review(job: Job, progress: Progress) -> None:
    """The tier review of a large network, drawn up on the worker."""
    from gilde.accounts.models import Member

    from .review import tier_review_start

    progress("ranking", 0, 0)
    found = tier_review_start(actor=Member.objects.get(pk=job.params["actor"]))
    Job.objects.filter(pk=job.pk).update(
        params={
            **job.params,
            "result": {"review": found.pk, "suggestions": found.suggestions.count()},
        }
    )


job_kind_register(JobKind("tier_review.start", _("Draw up the tier review"), tier_review))
job_kind_register(JobKind("digest.send", _("Send the digest e-mails"), digests_send))
job_kind_register(JobKind("network.recompute", _("Recompute the network"), recompute))
