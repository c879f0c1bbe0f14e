"""Contact moments (what happened with whom) and the follow-ups that come out of them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gilde.accounts.models import Member
from gilde.core.dates import date_in_range
from gilde.core.text import CleanTextMixin
from gilde.relations.models import Organisation, Person


class ContactKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    CALL = "call", _("Call")
    EMAIL = "email", _("E-mail")
    MESSAGE = "message", _("Message")
    LUNCH = "lunch", _("Lunch")
    EVENT = "event", _("Event")
    OTHER = "other", _("Other")


class ContactMoment(CleanTextMixin, models.Model):
    """One contact: when, how, who took part, what was discussed and what the relation told us."""

    occurred_at = models.DateTimeField(
        _("date and time"), default=timezone.now, db_index=True, validators=[date_in_range]
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=ContactKind.choices, default=ContactKind.CALL
    )
    members = models.ManyToManyField(
        Member, verbose_name=_("colleagues"), related_name="contact_moments", blank=True
    )
    persons = models.ManyToManyField(
        Person, verbose_name=_("relations"), related_name="contact_moments"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_moments",
    )
    summary = models.CharField(_("summary"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    signals = models.TextField(
        _("signals"), blank=True, help_text=_("What the relation told us about the market.")
    )
    created_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact moment")
        verbose_name_plural = _("contact moments")
        ordering = ["-occurred_at", "-id"]
        # The timeline order in one index: newest first without sorting a million rows.
        indexes = [
            models.Index(fields=["occurred_at", "id"], name="contact_moment_timeline"),
            # The signals page reads only the moments that carry a signal, newest first.
            models.Index(
                fields=["occurred_at", "id"],
                condition=models.Q(signals__gt=""),
                name="contact_moment_signals",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d} {self.get_kind_display()}: {self.summary}"

    def get_absolute_url(self) -> str:
        return reverse("contact_moment_detail", args=[self.pk])


class FollowUpQuerySet(models.QuerySet["FollowUp"]):
    def open(self) -> FollowUpQuerySet:
        return self.filter(done_at__isnull=True)

    def overdue(self) -> FollowUpQuerySet:
        return self.open().filter(due_date__lt=timezone.localdate())


class FollowUp(CleanTextMixin, models.Model):
    """A task that came out of a contact moment (or stands alone), with an owner and a due date."""

    contact_moment = models.ForeignKey(
        ContactMoment, null=True, blank=True, on_delete=models.CASCADE, related_name="follow_ups"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("relation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    owner = models.ForeignKey(
        Member, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    title = models.CharField(_("action"), max_length=300)
    due_date = models.DateField(_("due date"), null=True, blank=True, validators=[date_in_range])
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = [models.F("due_date").asc(nulls_last=True), "id"]
        indexes = [
            models.Index(fields=["owner", "done_at", "due_date"], name="followup_owner_open")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        # A follow-up hanging off a moment is about someone who took part in it: otherwise a
        # visible moment would carry a follow-up naming a relation its readers may not see.
        moment = self.contact_moment
        if (
            moment is not None
            and self.person_id is not None
            and not moment.persons.filter(pk=self.person_id).exists()
        ):
            raise ValidationError(
                {"person": _("The relation of a follow-up must have taken part in its moment.")}
            )

    @property
    def is_overdue(self) -> bool:
        return (
            self.done_at is None
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )


class ContactData(models.Model):
    """One row whose token changes, by database triggers, with every write to what decides a
    member's contact counts: the contact moments, who took part in them, and which persons are
    confidential and for whom. Counts kept in a cache under the token are never stale, whatever
    wrote the rows (a service, a bulk import, an erasure, the demo build), and a token is never
    used twice (PostgreSQL: the next value of a sequence, which a rollback does not give back;
    SQLite: random), so a write that was rolled back cannot make an older count look current."""

    token = models.CharField(max_length=40, default="")

    class Meta:
        default_permissions = ()
