"""A job: one piece of long or deferred work on the task queue, as network managers see it.

The queue itself (django-tasks, on the database or on Redis) only carries "run job N"; this row
is the job's durable state: what to do, who asked, whether it waits, runs, is done or failed
and why, its progress, and which worker holds it. The same row on every backend, so the jobs
page, recovery after a crash and retrying read one table."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gilde.accounts.models import Member


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    kind = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    created_by = models.ForeignKey(
        Member,
        verbose_name=_("asked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A scheduled run's slot (e.g. "2026-12-03"): one job per kind and slot, however many
    # workers look at the clock.
    slot = models.CharField(max_length=40, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # "host:pid" of the worker process running it; the queue backend's id of the current try.
    worker = models.CharField(max_length=120, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    phase = models.CharField(max_length=40, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    # Why it failed, in words for the network manager (never personal data).
    error = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "slot"],
                condition=~models.Q(slot=""),
                name="one_job_per_schedule_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"job {self.pk} {self.kind} ({self.status})"

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))
