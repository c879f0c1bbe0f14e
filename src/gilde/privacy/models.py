"""What the AVG/GDPR asks Gilde to keep about each person (lawful basis, consent, whether they
were informed, retention decisions), the register of erasures and the erasures asked for."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gilde.accounts.models import Member
from gilde.core.dates import date_in_range
from gilde.relations.models import Person


class LawfulBasis(models.TextChoices):
    """AVG art. 6: the grounds on which a relation network processes personal data."""

    LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest")
    CONSENT = "consent", _("Consent")
    CONTRACT = "contract", _("Contract")


class InformedHow(models.TextChoices):
    EMAIL = "email", _("By e-mail")
    LETTER = "letter", _("By letter")
    IN_PERSON = "in_person", _("In person")
    OTHER = "other", _("Otherwise")


class RetentionDecision(models.TextChoices):
    KEEP = "keep", _("Keep (with reason)")
    EXTEND = "extend", _("Review again later")
    ERASE = "erase", _("Erase")


class PersonPrivacy(models.Model):
    """The privacy file of one person. Created when first needed: a person without one has no
    lawful basis recorded yet and has not been informed."""

    person = models.OneToOneField(
        Person, primary_key=True, on_delete=models.CASCADE, related_name="privacy"
    )
    lawful_basis = models.CharField(
        _("lawful basis"), max_length=30, choices=LawfulBasis.choices, blank=True
    )
    balancing_note = models.TextField(
        _("balancing of interests"),
        blank=True,
        help_text=_(
            "Why the organisation's interest outweighs the person's (legitimate interest)."
        ),
    )
    contract_reference = models.CharField(_("contract"), max_length=200, blank=True)
    consent_given_on = models.DateField(
        _("consent given on"), null=True, blank=True, validators=[date_in_range]
    )
    consent_how = models.CharField(_("how consent was given"), max_length=200, blank=True)
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn at"), null=True, blank=True)
    # AVG art. 14: data that did not come from the person themselves.
    informed_at = models.DateTimeField(_("informed at"), null=True, blank=True)
    informed_how = models.CharField(
        _("informed how"), max_length=20, choices=InformedHow.choices, blank=True
    )
    informed_by = models.ForeignKey(
        Member,
        verbose_name=_("informed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Retention review: not proposed for erasure again before this day.
    retention_decision = models.CharField(
        _("retention decision"), max_length=10, choices=RetentionDecision.choices, blank=True
    )
    retention_reason = models.TextField(_("reason"), blank=True)
    review_after = models.DateField(
        _("review again after"), null=True, blank=True, validators=[date_in_range]
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        Member,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("privacy file")
        verbose_name_plural = _("privacy files")

    def __str__(self) -> str:
        return f"privacy file of person {self.person_id}"

    @property
    def has_consent(self) -> bool:
        return self.consent_given_on is not None and self.consent_withdrawn_at is None


class ErasureRecord(models.Model):
    """One erasure, by person id only: what was erased is exactly what this row must not hold.
    `gilde privacy reapply-erasures` replays these after a backup from before the erasure is
    restored (they are also appended to a journal file outside the database)."""

    person_id = models.BigIntegerField(_("person number"), unique=True)
    erased_at = models.DateTimeField(_("erased at"))
    erased_by = models.ForeignKey(
        Member,
        verbose_name=_("erased by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=20, default="request")
    # Counts of what was removed or blanked (numbers only).
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    reapplied_at = models.DateTimeField(_("last re-applied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasure register")
        ordering = ["-erased_at", "-id"]

    def __str__(self) -> str:
        return f"erasure of person {self.person_id} at {self.erased_at:%Y-%m-%d}"


class ErasureStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


ACTIVE_ERASURE = (ErasureStatus.QUEUED, ErasureStatus.RUNNING)
OUTCOMES = {
    "gone": _("The relation no longer exists; nothing was erased."),
    "not_allowed": _("The person who asked may no longer erase relations; nothing was erased."),
    "interrupted": _(
        "The erasure was interrupted (the server stopped); nothing was erased. Ask for it again."
    ),
    "error": _(
        "The erasure failed (%(error)s); nothing was erased. Ask for it again; the "
        "details are in the server log."
    ),
}
# An erasure takes seconds; one still queued or running after this long was interrupted (its
# process ended and its transaction was rolled back), so it no longer blocks a new request.
ERASURE_STALE_AFTER = dt.timedelta(minutes=10)


class ErasureRequest(models.Model):
    """An erasure asked for on a page or through the API, carried out by a background job. By
    person number only, like the register: the job's outcome is a status and, on failure, a
    message that names no personal data."""

    person_id = models.BigIntegerField(_("person number"), db_index=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    requested_by = models.ForeignKey(
        Member,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=20, default="request")
    status = models.CharField(
        _("status"), max_length=10, choices=ErasureStatus.choices, default=ErasureStatus.QUEUED
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Why it failed, as a code (see OUTCOMES), so it reads in the officer's language.
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person_id"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_active_erasure_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"erasure request for person {self.person_id} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_ERASURE and not self.is_stale

    @property
    def outcome(self) -> str:
        """What a failed request says: nothing was erased, and why."""
        if self.status != ErasureStatus.FAILED and not self.is_stale:
            return ""
        code = "interrupted" if self.is_stale else self.message
        if code.startswith("error:"):
            return str(OUTCOMES["error"]) % {"error": code.removeprefix("error:")}
        return str(OUTCOMES.get(code, OUTCOMES["error"] % {"error": code}))

    @property
    def is_stale(self) -> bool:
        if self.status not in ACTIVE_ERASURE:
            return False
        return timezone.now() - (self.started_at or self.requested_at) > ERASURE_STALE_AFTER
