"""Import batches: every imported person records the batch it came from (provenance)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gilde.accounts.models import Member


class BatchStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Previewed")
    RUNNING = "running", _("Running")
    COMMITTED = "committed", _("Committed")
    FAILED = "failed", _("Failed")
    UNDONE = "undone", _("Undone")


class ImportBatch(models.Model):
    """One file brought into Gilde: previewed, then committed whole or not at all."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        Member, verbose_name=_("imported by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="import_batches",
    )  # fmt: skip
    file_name = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=20)
    status = models.CharField(
        _("status"), max_length=20, choices=BatchStatus.choices, default=BatchStatus.PREVIEWED
    )

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d})"
