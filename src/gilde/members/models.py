"""A member network: the network's kind and goal, members' profiles and their ties to each other,
referrals between members, contributions, and applications to join."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gilde.accounts.models import Invitation, Member
from gilde.core.dates import date_in_range
from gilde.core.text import CleanTextMixin
from gilde.events.models import Event
from gilde.privacy.models import LawfulBasis


class NetworkKind(models.TextChoices):
    ORGANISATION = "organisation", _("An organisation and its colleagues")
    MEMBERS = "members", _("A network of independent members")


class Network(CleanTextMixin, models.Model):
    """The installation itself: one row. Its kind is chosen at first run (until then the
    installation is an organisation); its goal is what every member and applicant reads."""

    kind = models.CharField(
        _("kind of network"),
        max_length=20,
        choices=NetworkKind.choices,
        default=NetworkKind.ORGANISATION,
    )
    kind_chosen_at = models.DateTimeField(null=True, blank=True)
    name = models.CharField(_("name of the network"), max_length=200, blank=True)
    goal = models.TextField(
        _("shared goal"),
        blank=True,
        help_text=_("What the network achieves outside itself, beyond its members' own business."),
    )
    objectives = models.TextField(_("objectives"), blank=True)
    expectations = models.TextField(
        _("what members may expect of each other"),
        blank=True,
        help_text=_("For instance: come to most meetings, pass on work when you can, be open."),
    )
    how_to_join = models.TextField(
        _("how joining works"),
        blank=True,
        help_text=_("Shown on the public page, above the form to ask to join."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name or str(_("Network"))

    @property
    def is_member_network(self) -> bool:
        return self.kind == NetworkKind.MEMBERS


class Aspect(models.TextChoices):
    """What a tag on a profile says about its member."""

    PASSION = "passion", _("Passion")
    TALENT = "talent", _("Talent")
    SEEKS = "seeks", pgettext_lazy("profile", "Seeks")
    OFFERS = "offers", pgettext_lazy("profile", "Offers")


class Profile(CleanTextMixin, models.Model):
    """A member as a person: their work, and what they love, are good at, seek and offer."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="profile")
    organisation = models.CharField(_("own organisation"), max_length=200, blank=True)
    work = models.TextField(_("work"), blank=True, help_text=_("What you do, in a few lines."))
    passions = models.TextField(_("passions"), blank=True)
    talents = models.TextField(_("talents"), blank=True)
    seeks = models.TextField(
        _("what I seek"), blank=True, help_text=_("Work, contacts, knowledge or help you look for.")
    )
    offers = models.TextField(
        _("what I offer"), blank=True, help_text=_("What others in the network may ask you for.")
    )
    languages = models.CharField(
        _("languages"), max_length=200, blank=True, help_text=_("For instance: Dutch, English.")
    )
    region = models.CharField(_("region"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("member profile")
        verbose_name_plural = _("member profiles")

    def __str__(self) -> str:
        return str(self.member)


class ProfileTag(CleanTextMixin, models.Model):
    """One tag of a profile: "sailing" as a passion, "bookkeeping" as an offer."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="tags")
    aspect = models.CharField(_("aspect"), max_length=10, choices=Aspect.choices)
    label = models.CharField(_("tag"), max_length=60)
    # Lower case without surrounding spaces: what searching and matching compare.
    key = models.CharField(max_length=60, db_index=True)

    class Meta:
        verbose_name = _("profile tag")
        verbose_name_plural = _("profile tags")
        ordering = ["aspect", "key"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "aspect", "key"], name="profile_tag_once")
        ]

    def __str__(self) -> str:
        return self.label


class MemberTie(CleanTextMixin, models.Model):
    """That one member knows another: members' ties to each other, as they record them (and as
    a confirmed referral adds them)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="member_ties")
    other = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    how_met = models.CharField(_("how we met"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tie between members")
        verbose_name_plural = _("ties between members")
        constraints = [
            models.UniqueConstraint(fields=["member", "other"], name="member_tie_once"),
            models.CheckConstraint(condition=~Q(member=F("other")), name="member_tie_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.other}"


class ReferralKind(models.TextChoices):
    INTRODUCTION = "introduction", _("Introduction")
    ASSIGNMENT = "assignment", _("Assignment passed on")
    INFORMATION = "information", _("Information")
    HELP = "help", _("Help")


class ReferralStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("referral status", "To confirm")
    CONFIRMED = "confirmed", pgettext_lazy("referral status", "Confirmed")
    DECLINED = "declined", pgettext_lazy("referral status", "Not recognised")


class Referral(CleanTextMixin, models.Model):
    """A referral or favour one member gave another. The giver records it, the receiver confirms
    it (and may report what it was worth). What it was about is seen only by the two of them."""

    giver = models.ForeignKey(
        Member, verbose_name=_("given by"), on_delete=models.CASCADE, related_name="referrals_given"
    )
    receiver = models.ForeignKey(
        Member,
        verbose_name=_("given to"),
        on_delete=models.CASCADE,
        related_name="referrals_received",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReferralKind.choices)
    occurred_on = models.DateField(_("date"), validators=[date_in_range])
    description = models.TextField(_("what was it?"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.OPEN
    )
    value = models.DecimalField(
        _("value (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("What it brought you, if you want to report it."),
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(giver=F("receiver")), name="referral_not_self")
        ]
        indexes = [
            models.Index(fields=["giver", "status", "occurred_on"], name="referral_giver"),
            models.Index(fields=["receiver", "status", "occurred_on"], name="referral_receiver"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.occurred_on})"


class ContributionKind(models.TextChoices):
    HOSTING = "hosting", _("Hosting")
    SPEAKING = "speaking", _("Speaking")
    ORGANISING = "organising", _("Organising")
    OTHER = "other", _("Other contribution")


class Contribution(CleanTextMixin, models.Model):
    """Something a member did for the network: hosting a meeting, speaking, organising."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="contributions"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ContributionKind.choices)
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    occurred_on = models.DateField(_("date"), validators=[date_in_range])
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.occurred_on})"


class ApplicationKind(models.TextChoices):
    JOIN = "join", _("Become a member")
    VISIT = "visit", _("Visit a meeting once")


class ApplicationStatus(models.TextChoices):
    """applied → introductory talk → accepted (invited to log in) / rejected; a visit is
    simply welcomed."""

    APPLIED = "applied", pgettext_lazy("application status", "Applied")
    TALK = "talk", pgettext_lazy("application status", "Introductory talk")
    ACCEPTED = "accepted", pgettext_lazy("application status", "Accepted")
    REJECTED = "rejected", pgettext_lazy("application status", "Not accepted")
    WELCOMED = "welcomed", pgettext_lazy("application status", "Visit welcomed")


class Application(CleanTextMixin, models.Model):
    """Someone asking to join the network or to visit a meeting once, from the public page.
    Kept on the lawful basis of the applicant's consent; a rejected application is erased after
    GILDE_APPLICATION_RETENTION_DAYS."""

    kind = models.CharField(
        _("I would like to"),
        max_length=10,
        choices=ApplicationKind.choices,
        default=ApplicationKind.JOIN,
    )
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    work = models.TextField(_("what do you do?"), blank=True)
    motivation = models.TextField(_("why this network?"), blank=True)
    introduced_by_name = models.CharField(
        _("who told you about us?"),
        max_length=200,
        blank=True,
        help_text=_("The member who introduced you, if any."),
    )
    introduced_by = models.ForeignKey(
        Member,
        verbose_name=_("introduced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="introducees",
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.APPLIED,
    )
    lawful_basis = models.CharField(
        _("lawful basis"), max_length=30, choices=LawfulBasis.choices, default=LawfulBasis.CONSENT
    )
    consent_at = models.DateTimeField(_("consent given at"))
    talk_on = models.DateField(_("introductory talk on"), null=True, blank=True)
    talk_with = models.ForeignKey(
        Member,
        verbose_name=_("talk with"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.CharField(_("note on the decision"), max_length=300, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="application"
    )
    # A visitor who checked in at a drop-in meeting and would like to hear more.
    hear_more = models.BooleanField(_("would like to hear more"), default=False)
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "decided_at"], name="application_status")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def member(self) -> Member | None:
        """The member they became, once they accepted the invitation to log in."""
        return self.invitation.member if self.invitation_id and self.invitation else None


class CostRule(models.TextChoices):
    EQUAL = "equal", _("Equal shares for everyone who came")
    PER_TYPE = "per_type", _("Per kind of attendee (members and guests)")
    BRING_YOUR_OWN = "bring_your_own", _("Shared costs only; everyone pays their own catering")


class CostStatement(CleanTextMixin, models.Model):
    """An event's real costs divided over those who came by a stated rule, published to the
    members: each member's share, paid or open."""

    event = models.OneToOneField(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="cost_statement"
    )
    rule = models.CharField(_("rule"), max_length=20, choices=CostRule.choices)
    guest_weight = models.DecimalField(
        _("a guest's share, as a part of a member's"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Per kind of attendee: 1 is the same as a member, 0 is free."),
    )
    total = models.DecimalField(_("costs shared"), max_digits=12, decimal_places=2)
    attendees = models.PositiveIntegerField(_("attendees"), default=0)
    published_at = models.DateTimeField(auto_now=True)
    published_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("cost statement")
        verbose_name_plural = _("cost statements")

    def __str__(self) -> str:
        return str(self.event)


class CostShare(CleanTextMixin, models.Model):
    """One member's share of an event's costs (their own and their guests')."""

    statement = models.ForeignKey(CostStatement, on_delete=models.CASCADE, related_name="shares")
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="cost_shares"
    )
    amount = models.DecimalField(_("share"), max_digits=12, decimal_places=2)
    guests = models.PositiveIntegerField(_("guests"), default=0)
    reference = models.CharField(_("payment reference"), max_length=40, unique=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True, validators=[date_in_range])

    class Meta:
        verbose_name = _("cost share")
        verbose_name_plural = _("cost shares")
        ordering = ["member__user__last_name", "member__user__first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "member"], name="cost_share_once")
        ]

    def __str__(self) -> str:
        return self.reference


class MembershipFee(CleanTextMixin, models.Model):
    """A member's fee for one year: the network's income beside the shared costs."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="fees"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    reference = models.CharField(_("payment reference"), max_length=40, unique=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True, validators=[date_in_range])

    class Meta:
        verbose_name = _("membership fee")
        verbose_name_plural = _("membership fees")
        ordering = ["year", "member__user__last_name", "id"]
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="fee_once_a_year")]

    def __str__(self) -> str:
        return self.reference
