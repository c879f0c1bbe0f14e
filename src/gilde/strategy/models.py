"""The network strategy: the organisation's goals (and the values behind them), the themes it
works on, which relations matter for each theme and in what role, the activities each segment
of relations gets, occasions worth a message, colleagues' signal subscriptions and the quarterly
report for the board."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gilde.accounts.models import Member
from gilde.core.dates import date_in_range
from gilde.core.text import CleanTextMixin
from gilde.relations.models import Organisation, Person, Sector, StakeholderType, Tag, Tier


class Goal(CleanTextMixin, models.Model):
    """A strategic goal: what the organisation wants to achieve, and the values behind it."""

    title = models.CharField(_("goal"), max_length=200)
    values = models.TextField(
        _("values"), blank=True, help_text=_("The values this goal comes from.")
    )
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("strategic goal")
        verbose_name_plural = _("strategic goals")
        ordering = ["order", "title", "id"]

    def __str__(self) -> str:
        return self.title


class Theme(CleanTextMixin, models.Model):
    """A theme under a goal: what we want from relations on it, what we offer them, who in the
    organisation owns it, and for which period."""

    goal = models.ForeignKey(
        Goal, verbose_name=_("strategic goal"), on_delete=models.CASCADE, related_name="themes"
    )
    name = models.CharField(_("theme"), max_length=200)
    we_want = models.TextField(_("what we want from relations"), blank=True)
    we_offer = models.TextField(_("what we offer them"), blank=True)
    owner = models.ForeignKey(
        Member,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="strategy_themes",
    )
    starts_on = models.DateField(_("from"), null=True, blank=True, validators=[date_in_range])
    ends_on = models.DateField(_("until"), null=True, blank=True, validators=[date_in_range])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["goal__order", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="theme_period_in_order",
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("strategy:theme", args=[self.pk])


class ThemeRole(models.TextChoices):
    PARTNER = "partner", _("Partner")
    DECISION_MAKER = "decision_maker", _("Decision maker")
    INFLUENCER = "influencer", _("Influencer")
    EXPERT = "expert", _("Expert")
    CRITIC = "critic", _("Critic or opponent")
    INFORMANT = "informant", _("Supplier of information")


class Importance(models.IntegerChoices):
    LOW = 1, pgettext_lazy("importance", "Low")
    MEDIUM = 2, pgettext_lazy("importance", "Medium")
    HIGH = 3, pgettext_lazy("importance", "High")


class ThemeLink(CleanTextMixin, models.Model):
    """A person or an organisation that matters for a theme, in a role, with an importance."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="links")
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="theme_links",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="theme_links",
    )
    role = models.CharField(_("role"), max_length=20, choices=ThemeRole.choices)
    importance = models.PositiveSmallIntegerField(
        _("importance"),
        choices=Importance.choices,
        default=Importance.MEDIUM,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("theme relation")
        verbose_name_plural = _("theme relations")
        ordering = ["-importance", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(organisation__isnull=True))
                | (Q(person__isnull=True) & Q(organisation__isnull=False)),
                name="theme_link_one_relation",
                violation_error_message=_("Link either a person or an organisation."),
            ),
            models.UniqueConstraint(
                fields=["theme", "person"],
                condition=Q(person__isnull=False),
                name="theme_link_person_unique",
                violation_error_message=_("This relation is already linked to the theme."),
            ),
            models.UniqueConstraint(
                fields=["theme", "organisation"],
                condition=Q(organisation__isnull=False),
                name="theme_link_organisation_unique",
                violation_error_message=_("This organisation is already linked to the theme."),
            ),
        ]
        indexes = [models.Index(fields=["person", "theme"], name="theme_link_person")]

    def __str__(self) -> str:
        return f"{self.theme_id}: {self.person_id or self.organisation_id} ({self.role})"


class ActivityPlan(CleanTextMixin, models.Model):
    """What a segment of relations gets: tier × theme × stakeholder type (an empty part means
    "any"). The most specific plan that fits a relation is its plan."""

    tier = models.ForeignKey(
        Tier, verbose_name=_("tier"), on_delete=models.CASCADE, related_name="+"
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="plans",
    )
    stakeholder_type = models.ForeignKey(
        StakeholderType,
        verbose_name=_("stakeholder type"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    activities = models.TextField(
        _("activities"), help_text=_("E.g. a personal visit per quarter and the annual dinner.")
    )
    contacts_per_year = models.PositiveSmallIntegerField(
        _("personal contacts per year"), default=0, validators=[MaxValueValidator(365)]
    )
    invitations_per_year = models.PositiveSmallIntegerField(
        _("invitations per year"), default=0, validators=[MaxValueValidator(100)]
    )
    newsletter_only = models.BooleanField(_("newsletter only"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity plan")
        verbose_name_plural = _("activity plans")
        ordering = ["tier__order", "theme__name", "stakeholder_type__order", "id"]

    def __str__(self) -> str:
        return f"{self.tier_id}/{self.theme_id}/{self.stakeholder_type_id}"

    def clean(self) -> None:
        # One plan per segment; "any theme" and "any type" are empty columns, which a unique
        # constraint would let repeat (and SQLite cannot constrain otherwise).
        segment = {
            "tier_id": self.tier_id,
            "theme_id": self.theme_id,
            "stakeholder_type_id": self.stakeholder_type_id,
        }
        same = ActivityPlan.objects.filter(**segment).exclude(pk=self.pk)
        if same.exists():
            raise ValidationError(_("This segment already has a plan."))


class OccasionKind(models.TextChoices):
    JUBILEE = "jubilee", _("Jubilee")
    FAREWELL = "farewell", _("Farewell")
    NEW_JOB = "new_job", _("New job")
    BIRTH = "birth", _("Birth")
    DEATH = "death", _("Death")


class Occasion(CleanTextMixin, models.Model):
    """Something in a relation's life worth a message; it leaves a follow-up for the colleague
    who looks after the relation."""

    person = models.ForeignKey(
        Person, verbose_name=_("relation"), on_delete=models.CASCADE, related_name="occasions"
    )
    kind = models.CharField(_("occasion"), max_length=10, choices=OccasionKind.choices)
    occurred_on = models.DateField(_("date"), validators=[date_in_range])
    note = models.CharField(_("note"), max_length=300, blank=True)
    detected = models.BooleanField(_("found by Gilde"), default=False)
    follow_up = models.ForeignKey(
        "contacts.FollowUp", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("occasion")
        verbose_name_plural = _("occasions")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.person_id} {self.occurred_on}"


class SignalSubscription(CleanTextMixin, models.Model):
    """A colleague, or a whole department, wants the signals about a theme, a sector, a tag or
    an organisation."""

    member = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="signal_subscriptions",
    )
    department = models.CharField(_("department"), max_length=200, blank=True)
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    tag = models.ForeignKey(
        Tag,
        verbose_name=_("tag"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signal subscription")
        verbose_name_plural = _("signal subscriptions")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(theme__isnull=False, sector="", tag__isnull=True, organisation__isnull=True)
                    | Q(theme__isnull=True, tag__isnull=True, organisation__isnull=True)
                    & ~Q(sector="")
                    | Q(theme__isnull=True, sector="", tag__isnull=False, organisation__isnull=True)
                    | Q(theme__isnull=True, sector="", tag__isnull=True, organisation__isnull=False)
                ),
                name="signal_subscription_one_subject",
                violation_error_message=_("Choose one theme, sector, tag or organisation."),
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=False, department="")
                | (Q(member__isnull=True) & ~Q(department="")),
                name="signal_subscription_one_subscriber",
                violation_error_message=_("A subscription is for a colleague or a department."),
            ),
        ]

    def __str__(self) -> str:
        return f"subscription {self.pk} of {self.member_id}"


class SignalDelivery(models.Model):
    """A signal (a contact moment with market information) that reached a subscriber: at once
    when urgent, otherwise in their next digest."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    moment = models.ForeignKey(
        "contacts.ContactMoment", on_delete=models.CASCADE, related_name="signal_deliveries"
    )
    urgent = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "moment"], name="signal_delivery_once")
        ]
        indexes = [models.Index(fields=["member", "sent_at"], name="signal_delivery_waiting")]


class Report(models.Model):
    """The quarterly report for the board: its figures as computed on the day, and the PDF."""

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    figures = models.JSONField(default=dict, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("management report")
        verbose_name_plural = _("management reports")
        ordering = ["-year", "-quarter", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter}"

    @property
    def label(self) -> str:
        return f"Q{self.quarter} {self.year}"

    @property
    def ready(self) -> bool:
        return bool(self.figures)
