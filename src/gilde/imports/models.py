"""Import batches (every imported person records the batch it came from, for provenance), the
uploaded file while it is previewed, and the review queue of probable duplicate persons."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gilde.accounts.models import Member
from gilde.relations.models import Person


class BatchStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Waiting for the column mapping")
    ANALYSING = "analysing", _("Being read")
    PREVIEWED = "previewed", _("Previewed")
    RUNNING = "running", _("Being imported")
    COMMITTED = "committed", _("Committed")
    FAILED = "failed", _("Failed")
    UNDOING = "undoing", _("Being undone")
    UNDONE = "undone", _("Undone")
    EXPIRED = "expired", _("Expired (not committed in time)")


BUSY_STATUSES = (BatchStatus.ANALYSING, BatchStatus.RUNNING, BatchStatus.UNDOING)


class ImportBatch(models.Model):
    """One file brought into Gilde: previewed, then committed whole or not at all."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        Member,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_batches",
    )
    file_name = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=20)
    status = models.CharField(
        _("status"), max_length=20, choices=BatchStatus.choices, default=BatchStatus.PREVIEWED
    )
    # What the user asked for ("auto" or a format) and who will own the imported persons.
    requested_format = models.CharField(_("requested format"), max_length=20, default="auto")
    owner = models.ForeignKey(
        Member,
        verbose_name=_("owner of the imported relations"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    columns = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    # The preview: counts, and samples of rejected rows, warnings and matches (capped).
    new_count = models.PositiveIntegerField(_("new"), default=0)
    matched_count = models.PositiveIntegerField(_("matched to existing"), default=0)
    duplicate_count = models.PositiveIntegerField(_("probable duplicates"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    warning_count = models.PositiveIntegerField(_("warnings"), default=0)
    preview = models.JSONField(default=dict, blank=True)
    # Progress of the step running in the background.
    phase = models.CharField(max_length=20, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    error_code = models.CharField(max_length=40, blank=True)
    error_message = models.TextField(blank=True)
    error_line = models.PositiveIntegerField(null=True, blank=True)
    error_params = models.JSONField(default=dict, blank=True)
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    created_persons = models.PositiveIntegerField(_("persons created"), default=0)
    # What the commit made besides persons, so that undo can check and remove exactly that.
    undo_record = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("import_detail", args=[self.pk])

    @property
    def total_rows(self) -> int:
        return self.new_count + self.matched_count + self.duplicate_count + self.rejected_count

    @property
    def is_busy(self) -> bool:
        return self.status in BUSY_STATUSES and not self.is_stale

    @property
    def is_stale(self) -> bool:
        """A background step that stopped reporting (the process ended): its transaction was
        rolled back, so nothing of it was saved."""
        if self.status not in BUSY_STATUSES:
            return False
        last = self.heartbeat_at or self.created_at
        limit = dt.timedelta(seconds=settings.GILDE_IMPORT_STALE_SECONDS)
        return timezone.now() - last > limit

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def waits_for_worker(self) -> bool:
        """A busy step whose job no worker has taken up yet (all busy, or none running)."""
        from gilde.core.models import Job, JobStatus

        return (
            self.is_busy
            and Job.objects.filter(
                kind__startswith="import.", params__batch=self.pk, status=JobStatus.QUEUED
            ).exists()
        )


class ImportFile(models.Model):
    """The uploaded file and its parsed rows, kept in the database (the web processes share
    nothing else) until the batch is committed or abandoned, then removed."""

    batch = models.OneToOneField(
        ImportBatch, primary_key=True, on_delete=models.CASCADE, related_name="upload"
    )
    content = models.BinaryField()
    # zlib-compressed JSON: the parsed records and the decision for each (new, match...).
    records = models.BinaryField(default=b"")


class PairStatus(models.TextChoices):
    OPEN = "open", _("To review")
    DISMISSED = "dismissed", _("Not a duplicate")
    MERGED = "merged", _("Merged")


class DuplicatePair(models.Model):
    """Two persons that are probably one, with the duplicate finder's score and reasons.
    A dismissed pair is remembered so later scans do not propose it again."""

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    kind = models.CharField(_("kind"), max_length=10)
    reasons = models.JSONField(default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PairStatus.choices, default=PairStatus.OPEN
    )
    found_at = models.DateTimeField(auto_now_add=True)
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("probable duplicate")
        verbose_name_plural = _("probable duplicates")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="duplicate_pair_unique"),
            models.CheckConstraint(
                condition=Q(person_a__lt=models.F("person_b")), name="duplicate_pair_ordered"
            ),
        ]
        indexes = [models.Index(fields=["status", "score"], name="duplicate_pair_queue")]

    def __str__(self) -> str:
        return f"{self.person_a_id} ~ {self.person_b_id} ({self.score})"


class DuplicateScan(models.Model):
    """One scan of the whole registry for duplicates (it runs in the background)."""

    started_at = models.DateTimeField(auto_now_add=True)
    started_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    persons = models.PositiveIntegerField(default=0)
    compared = models.PositiveIntegerField(default=0)
    pairs_found = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
