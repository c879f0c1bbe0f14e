"""Favours given and received: goodwill is built before it is asked for."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gilde.accounts.models import Member
from gilde.core.dates import date_in_range
from gilde.core.text import CleanTextMixin
from gilde.relations.models import Organisation, Person


class FavourDirection(models.TextChoices):
    GIVEN = "given", _("Given by us")
    RECEIVED = "received", _("Received by us")


class FavourKind(models.TextChoices):
    INTRODUCTION = "introduction", _("Introduction")
    REFERRAL = "referral", _("Referral")
    INFORMATION = "information", _("Information")
    INVITATION = "invitation", _("Invitation")
    GIFT = "gift", _("Gift")
    HELP = "help", _("Help")


class Favour(CleanTextMixin, models.Model):
    """A favour between a member of ours and a relation (a person or an organisation)."""

    member = models.ForeignKey(
        Member, verbose_name=_("colleague"), on_delete=models.CASCADE, related_name="favours"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="favours",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="favours",
    )
    direction = models.CharField(_("direction"), max_length=10, choices=FavourDirection.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=FavourKind.choices)
    occurred_on = models.DateField(_("date"), validators=[date_in_range])
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("favour")
        verbose_name_plural = _("favours")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organisation__isnull=False),
                name="favour_has_relation",
            )
        ]
        # Covering: a relation's favours by date, and the balance of every relation at once,
        # come from the index without reading the table.
        indexes = [
            models.Index(
                fields=["person", "occurred_on", "direction", "kind"], name="favour_person_cover"
            ),
            models.Index(
                fields=["organisation", "occurred_on", "direction", "kind"], name="favour_org_cover"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_direction_display()}, {self.occurred_on})"
