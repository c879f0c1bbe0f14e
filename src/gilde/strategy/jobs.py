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


def report_draw_up(job: Job, progress: Progress) -> None:
    from gilde.strategy.models import Report
    from gilde.strategy.report import report_draw_up as draw_up

    progress("computing", 0, 0)
    report = draw_up(Report.objects.select_related("created_by__user").get(pk=job.params["report"]))
    Job.objects.filter(pk=job.pk).update(params={**job.params, "result": {"report": report.pk}})


def _report_link(job: Job) -> str | None:
    from django.urls import reverse

    return (
        reverse("strategy:report", args=[job.params["report"]]) if "report" in job.params else None
    )


job_kind_register(
    JobKind(
        "strategy.report", _("Draw up the management report"), report_draw_up, link=_report_link
    )
)
