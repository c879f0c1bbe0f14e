"""What the network intelligence keeps: the introductions asked along a warm path, so that when
one happens Gilde records who introduced whom."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gilde.accounts.models import Member
from gilde.contacts.models import FollowUp
from gilde.relations.models import Organisation, Person, Tie


class IntroductionAsk(models.Model):
    """A colleague is to ask `introducer` (the first relation on a warm path) for an
    introduction to a person or organisation; the follow-up is the colleague's reminder."""

    follow_up = models.OneToOneField(
        FollowUp, on_delete=models.CASCADE, related_name="introduction_ask"
    )
    colleague = models.ForeignKey(
        Member, verbose_name=_("colleague"), on_delete=models.CASCADE, related_name="+"
    )
    introducer = models.ForeignKey(
        Person,
        verbose_name=_("introduced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    made_at = models.DateTimeField(_("introduced on"), null=True, blank=True)
    tie = models.ForeignKey(Tie, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("introduction asked")
        verbose_name_plural = _("introductions asked")
        ordering = ["-asked_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(organisation__isnull=False),
                name="introduction_ask_has_target",
            )
        ]

    def __str__(self) -> str:
        return str(self.person or self.organisation)
