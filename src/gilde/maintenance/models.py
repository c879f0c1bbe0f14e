"""Relationship maintenance: per relation the last contact, rhythm override, snooze and hand-over;
per tie the strength derived from contact history; digest and calendar preferences; tier reviews.

`RelationCare` and `TieStrength` hold derived figures that the services keep current whenever a
contact moment changes, and that `gilde recompute` rebuilds for the whole network."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gilde.accounts.models import Member
from gilde.core.dates import date_in_range
from gilde.relations.models import Person, Tie, Tier


class RelationCare(models.Model):
    """How a relation is looked after: when anyone last had contact, who is best placed to
    contact them next, and the choices people made (own rhythm, snooze, hand-over)."""

    person = models.OneToOneField(
        Person, primary_key=True, on_delete=models.CASCADE, related_name="care"
    )
    # Derived from the contact history. `tier` is the person's tier as of the last refresh: the
    # organisation-wide lists find overdue relations through an index on (tier, last contact).
    tier = models.ForeignKey(
        Tier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    top_member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_member = models.ForeignKey(
        Member,
        verbose_name=_("best placed colleague"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="care_assignments",
    )
    # The person's own rhythm, overriding the tier's; empty = the tier's rhythm.
    ideal_interval_days = models.PositiveSmallIntegerField(
        _("ideal interval (days)"), null=True, blank=True
    )
    max_interval_days = models.PositiveSmallIntegerField(
        _("maximum interval (days)"), null=True, blank=True
    )
    no_reminders = models.BooleanField(_("no reminders for this relation"), default=False)
    # Kept with the override so overdue overrides are found by an index, not by date arithmetic.
    override_due_on = models.DateField(null=True, blank=True, editable=False)
    override_overdue_on = models.DateField(null=True, blank=True, editable=False)
    snoozed_until = models.DateField(
        _("snoozed until"), null=True, blank=True, validators=[date_in_range]
    )
    snooze_reason = models.CharField(_("reason"), max_length=300, blank=True)
    snoozed_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handed_to = models.ForeignKey(
        Member,
        verbose_name=_("handed over to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("relation care")
        verbose_name_plural = _("relation care")
        indexes = [
            models.Index(fields=["last_contact_at"], name="care_last_contact"),
            models.Index(fields=["tier", "last_contact_at"], name="care_tier_last_contact"),
            models.Index(fields=["override_overdue_on"], name="care_override_overdue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ideal_interval_days__isnull=True)
                | Q(max_interval_days__isnull=True)
                | Q(max_interval_days__gte=models.F("ideal_interval_days")),
                name="care_rhythm_in_order",
                violation_error_message=_(
                    "The maximum interval cannot be shorter than the ideal interval."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"care of person {self.person_id}"

    @property
    def has_override(self) -> bool:
        return self.no_reminders or self.ideal_interval_days is not None


class TieStrength(models.Model):
    """The strength of a member's tie with a person, 0–100, and the facts it was derived from."""

    tie = models.OneToOneField(
        Tie, primary_key=True, on_delete=models.CASCADE, related_name="derived"
    )
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="tie_strengths")
    score = models.PositiveSmallIntegerField(_("strength"))
    contacts_year = models.PositiveIntegerField(default=0)
    meetings_year = models.PositiveIntegerField(default=0)
    calls_year = models.PositiveIntegerField(default=0)
    contacts_total = models.PositiveIntegerField(default=0)
    last_contact_at = models.DateTimeField(null=True, blank=True)
    last_kind = models.CharField(max_length=10, blank=True)
    first_contact_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("tie strength")
        verbose_name_plural = _("tie strengths")
        indexes = [
            models.Index(fields=["member", "score"], name="tie_strength_member"),
            # "Does a colleague know this person well?" and "their best tie" per person (the
            # strategy's heatmap and coverage) answered from the index alone.
            models.Index(fields=["person", "score"], name="tie_strength_person_score"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}–{self.person_id}: {self.score}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class ReminderSettings(models.Model):
    """A member's choices for the weekly digest and the calendar feed. Without a row a member
    gets the digest on Monday and has no feed."""

    member = models.OneToOneField(
        Member, primary_key=True, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    digest_weekday = models.PositiveSmallIntegerField(
        _("digest day"),
        choices=Weekday.choices,
        null=True,
        blank=True,
        default=Weekday.MONDAY,
        help_text=_("Empty: no digest."),
    )
    digest_last_sent_on = models.DateField(null=True, blank=True, editable=False)
    feed_token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    feed_created_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    def __str__(self) -> str:
        return f"reminders of member {self.member_id}"

    @staticmethod
    def hash_token(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def new_token() -> str:
        return "cal_" + secrets.token_urlsafe(32)


class TierReview(models.Model):
    """One review of the relations' tiers by a network manager."""

    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    started_by = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("tier review")
        verbose_name_plural = _("tier reviews")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"tier review {self.started_at:%Y-%m-%d}"


class SuggestionReason(models.TextChoices):
    FAVOURS_AND_CONTACT = "favours_and_contact", _("recent favours and frequent contact")
    NO_CONTACT_TWO_YEARS = "no_contact_two_years", _("not contacted in two years")
    NEVER_CONTACTED = "never_contacted", _("never contacted")
    KEEPS_IN_TOUCH = "keeps_in_touch", _("keeps being in touch with us")
    RANKING = "ranking", _("weighed against the other relations")


class SuggestionState(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class TierSuggestion(models.Model):
    """A suggested change of a relation's tier, with the reason drawn from the data."""

    review = models.ForeignKey(TierReview, on_delete=models.CASCADE, related_name="suggestions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="tier_suggestions")
    from_tier = models.ForeignKey(Tier, null=True, on_delete=models.SET_NULL, related_name="+")
    to_tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=30, choices=SuggestionReason.choices)
    facts = models.JSONField(default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=SuggestionState.choices, default=SuggestionState.OPEN
    )
    decided_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tier suggestion")
        verbose_name_plural = _("tier suggestions")
        ordering = ["id"]
        indexes = [models.Index(fields=["review", "state"], name="tier_suggestion_state")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.from_tier_id} → {self.to_tier_id}"
