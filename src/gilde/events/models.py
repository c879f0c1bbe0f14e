"""Networking events: the event and its programme, its costs, and its guest list with each
guest's way from proposed to attended. An event is directed: the right guests, hosts beside
them, time to meet, and results measured afterwards."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gilde.accounts.models import Member
from gilde.contacts.models import ContactMoment
from gilde.core.dates import date_in_range
from gilde.core.text import CleanTextMixin
from gilde.relations.models import Language, Person, Tag


class EventKind(models.TextChoices):
    NETWORK_MEETING = "network_meeting", _("Network meeting")
    DINNER = "dinner", _("Dinner")
    RECEPTION = "reception", _("Reception")
    SEMINAR = "seminar", _("Seminar")
    OPEN_COFFEE = "open_coffee", _("Open Coffee / drop-in")
    SECTOR_MEETING = "sector_meeting", _("Sector meeting")
    HERRING_PARTY = "herring_party", _("Herring party")
    OTHER = "other", _("Other")


class EventStatus(models.TextChoices):
    """The event's life: drafted, published (invitations may go out), closed (no more answers),
    held, evaluated (results measured)."""

    DRAFT = "draft", pgettext_lazy("event status", "Draft")
    PUBLISHED = "published", pgettext_lazy("event status", "Published")
    CLOSED = "closed", pgettext_lazy("event status", "Closed")
    HELD = "held", pgettext_lazy("event status", "Held")
    EVALUATED = "evaluated", pgettext_lazy("event status", "Evaluated")


class EventVisibility(models.TextChoices):
    ORGANISATION = "organisation", _("Everyone in the organisation")
    ORGANISERS = "organisers", _("Organisers only")


class Event(CleanTextMixin, models.Model):
    kind = models.CharField(
        _("kind"), max_length=20, choices=EventKind.choices, default=EventKind.NETWORK_MEETING
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"), validators=[date_in_range])
    ends_at = models.DateTimeField(_("ends"), validators=[date_in_range])
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("The most guests who can attend; empty for no limit."),
    )
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.DUTCH
    )
    organisers = models.ManyToManyField(
        Member, verbose_name=_("organisers"), related_name="organised_events", blank=True
    )
    themes = models.ManyToManyField(
        Tag, verbose_name=_("themes"), related_name="events", blank=True
    )
    objective = models.CharField(
        _("objective"),
        max_length=300,
        blank=True,
        help_text=_("What the event is for, in one sentence."),
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Shown to invited guests.")
    )
    visibility = models.CharField(
        _("visible to"),
        max_length=20,
        choices=EventVisibility.choices,
        default=EventVisibility.ORGANISATION,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    rsvp_deadline = models.DateTimeField(
        _("answer before"), null=True, blank=True, validators=[date_in_range]
    )
    paid = models.BooleanField(
        _("paid event"),
        default=False,
        help_text=_("Guests pay to attend: fewer of those who accept stay away."),
    )
    budget = models.DecimalField(
        _("budget"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    created_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("An event ends after it starts.")})
        if self.rsvp_deadline and self.starts_at and self.rsvp_deadline > self.starts_at:
            raise ValidationError({"rsvp_deadline": _("Answers are due before the event starts.")})

    @property
    def duration(self) -> dt.timedelta:
        return self.ends_at - self.starts_at

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()


class ProgrammeItemKind(models.TextChoices):
    SPEAKER = "speaker", _("Speaker")
    NETWORKING = "networking", _("Networking")
    MEAL = "meal", _("Meal")
    BREAK = "break", _("Break")
    OTHER = "other", _("Other")


# Time in which guests meet each other: networking itself, and a shared meal or break.
MEETING_KINDS = frozenset(
    {ProgrammeItemKind.NETWORKING, ProgrammeItemKind.MEAL, ProgrammeItemKind.BREAK}
)


class ProgrammeItem(CleanTextMixin, models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="programme")
    starts_at = models.DateTimeField(_("starts"), validators=[date_in_range])
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1)]
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=ProgrammeItemKind.choices,
        default=ProgrammeItemKind.NETWORKING,
    )
    title = models.CharField(_("title"), max_length=200)
    speaker = models.CharField(_("speaker"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    @property
    def is_meeting_time(self) -> bool:
        return self.kind in MEETING_KINDS


class CostCategory(models.TextChoices):
    VENUE = "venue", _("Venue")
    CATERING = "catering", _("Catering")
    SPEAKER = "speaker", _("Speaker")
    MATERIAL = "material", _("Material")
    PROMOTION = "promotion", _("Promotion")
    OTHER = "other", _("Other")


class CostItem(CleanTextMixin, models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="costs")
    category = models.CharField(
        _("category"), max_length=20, choices=CostCategory.choices, default=CostCategory.OTHER
    )
    description = models.CharField(_("description"), max_length=200)
    planned = models.DecimalField(
        _("planned"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    actual = models.DecimalField(
        _("actual"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("cost item")
        verbose_name_plural = _("cost items")
        ordering = ["category", "id"]

    def __str__(self) -> str:
        return self.description


class GuestStatus(models.TextChoices):
    """A guest's way: proposed → invited → accepted / declined / no answer (or waiting for a
    seat) → attended / no-show."""

    PROPOSED = "proposed", pgettext_lazy("guest status", "Proposed")
    INVITED = "invited", pgettext_lazy("guest status", "Invited")
    ACCEPTED = "accepted", pgettext_lazy("guest status", "Accepted")
    WAITLISTED = "waitlisted", pgettext_lazy("guest status", "On the waiting list")
    DECLINED = "declined", pgettext_lazy("guest status", "Declined")
    NO_ANSWER = "no_answer", pgettext_lazy("guest status", "No answer")
    ATTENDED = "attended", pgettext_lazy("guest status", "Attended")
    NO_SHOW = "no_show", pgettext_lazy("guest status", "No-show")


# Who takes a seat: counted against the capacity.
SEATED_STATUSES = frozenset({GuestStatus.ACCEPTED, GuestStatus.ATTENDED})


class GuestRole(models.TextChoices):
    GUEST = "guest", _("Guest")
    HOST = "host", _("Host")


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class Guest(CleanTextMixin, models.Model):
    """One place on an event's guest list: a relation (person) or a colleague (member), never
    both. Colleagues on the list are organisers or hosts; a relation may have a host colleague
    assigned to receive them."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="guests")
    person = models.ForeignKey(
        Person,
        verbose_name=_("relation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="event_guests",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("colleague"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="event_guests",
    )
    role = models.CharField(
        _("role"), max_length=10, choices=GuestRole.choices, default=GuestRole.GUEST
    )
    host = models.ForeignKey(
        Member,
        verbose_name=_("host colleague"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_guests",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=GuestStatus.choices, default=GuestStatus.PROPOSED
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    # Why the guest is on the list (the suggestion's reason, or "added by hand").
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # The secret in the guest's personal RSVP link (signed on top; see the invitations module).
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    companion_name = models.CharField(_("companion"), max_length=200, blank=True)
    dietary_wishes = models.CharField(_("dietary wishes"), max_length=300, blank=True)
    wish_to_meet = models.TextField(_("whom would you like to meet?"), blank=True)
    checked_in_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bounced_at = models.DateTimeField(null=True, blank=True)
    bounce_reason = models.CharField(max_length=300, blank=True)
    # The contact moment that records this guest's attendance (see services.attendance_record).
    contact_moment = models.ForeignKey(
        ContactMoment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("guest")
        verbose_name_plural = _("guests")
        ordering = ["event", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(member__isnull=True))
                | (Q(person__isnull=True) & Q(member__isnull=False)),
                name="guest_person_or_member",
            ),
            models.UniqueConstraint(fields=["event", "person"], name="guest_person_once"),
            models.UniqueConstraint(fields=["event", "member"], name="guest_member_once"),
        ]
        indexes = [
            models.Index(fields=["event", "status"], name="guest_event_status"),
            models.Index(fields=["person", "status"], name="guest_person_status"),
        ]

    def __str__(self) -> str:
        return str(self.person or self.member)

    @property
    def is_colleague(self) -> bool:
        return self.member_id is not None


class GuestStatusChange(models.Model):
    """Every change of a guest's status, with its time: the history turnout is predicted from."""

    guest = models.ForeignKey(Guest, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=12, choices=GuestStatus.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["guest", "at"], name="guest_change_at")]


class ConflictPair(CleanTextMixin, models.Model):
    """Two relations who should not meet at an event (a dispute, a lawsuit, a personal matter):
    the guest list warns before both are invited. Kept once per pair, lowest id first."""

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conflicting interests")
        verbose_name_plural = _("conflicting interests")
        constraints = [
            models.CheckConstraint(
                condition=Q(person_a__lt=models.F("person_b")), name="conflict_pair_ordered"
            ),
            models.UniqueConstraint(fields=["person_a", "person_b"], name="conflict_pair_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_a} ↔ {self.person_b}"


class IntroductionRequest(CleanTextMixin, models.Model):
    """A colleague asks to meet a relation: the guest lists of coming events suggest inviting
    them, and part of an event's purpose is to make the meeting happen."""

    member = models.ForeignKey(
        Member,
        verbose_name=_("colleague"),
        on_delete=models.CASCADE,
        related_name="introduction_requests",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("relation"),
        on_delete=models.CASCADE,
        related_name="introduction_requests",
    )
    note = models.CharField(_("why"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    met_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("introduction request")
        verbose_name_plural = _("introduction requests")
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "person"],
                condition=Q(met_at__isnull=True),
                name="introduction_request_open_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.person}"


class SuggestionDismissal(models.Model):
    """A guest-list suggestion the event's manager turned down: not suggested again for that
    event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="dismissals")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="suggestion_dismissed_once")
        ]


class InvitationTemplate(CleanTextMixin, models.Model):
    """The event's invitation text in Dutch and English, with merge fields such as
    {{ first_name }} (see events.mail). Empty parts fall back to Gilde's standard text."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="invitation")
    subject_nl = models.CharField(_("subject (Dutch)"), max_length=200, blank=True)
    body_nl = models.TextField(_("text (Dutch)"), blank=True)
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation text")
        verbose_name_plural = _("invitation texts")

    def __str__(self) -> str:
        return f"invitation text of event {self.event_id}"


class EventMailKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    REMINDER = "reminder", _("Reminder")
    DAY_BEFORE = "day_before", _("The day before")
    MOVED_UP = "moved_up", _("Seat freed from the waiting list")


class EventMailStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    BOUNCED = "bounced", _("Bounced")
    FAILED = "failed", _("Not sent")
    # Its worker stopped while handing it to the mail server: perhaps it arrived. It is not
    # sent again by itself (never twice); the invitations page offers to send it again.
    UNCERTAIN = "uncertain", _("Perhaps sent")


class EventMail(models.Model):
    """One e-mail to one guest: the outbox row a worker claims before it sends and marks sent
    after, so a worker that dies and starts again does not send it a second time. A kind is
    sent once per guest and slot (a reminder's slot is its number)."""

    guest = models.ForeignKey(Guest, on_delete=models.CASCADE, related_name="mails")
    kind = models.CharField(max_length=12, choices=EventMailKind.choices)
    slot = models.CharField(max_length=20, blank=True, default="")
    status = models.CharField(
        max_length=10, choices=EventMailStatus.choices, default=EventMailStatus.QUEUED
    )
    address = models.CharField(max_length=254, blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The job whose worker claimed it: a row left "sending" by a job that stopped is sent again.
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["guest", "kind", "slot"], name="event_mail_once")
        ]
        indexes = [models.Index(fields=["status", "id"], name="event_mail_status")]

    def __str__(self) -> str:
        return f"{self.kind} to guest {self.guest_id}"


class MeetingGoalKind(models.TextChoices):
    COLLEAGUE = "colleague", _("A colleague meets a relation")
    INTRODUCTION = "introduction", _("Two relations introduced to each other")
    THEME_GROUP = "theme_group", _("A group around a theme")


class MeetingGoalPriority(models.IntegerChoices):
    HIGH = 1, _("High")
    NORMAL = 2, _("Normal")
    LOW = 3, _("Low")


class MeetingGoalSource(models.TextChoices):
    HAND = "hand", _("Added by hand")
    INTRODUCTION_REQUEST = "request", _("Introduction request")
    RSVP = "rsvp", _("The guest's own wish")
    SUGGESTION = "suggestion", _("Suggested by Gilde")


class MeetingGoalOutcome(models.TextChoices):
    OPEN = "open", _("Not yet known")
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")


class MeetingGoal(CleanTextMixin, models.Model):
    """Who the organisation wants to meet whom at an event: a colleague and a relation, two
    relations to introduce to each other, or a group around a theme. Pair values for the
    seating engine, the hosts' briefings and the results afterwards all start here.

    A colleague goal has ``member`` and ``person_a``; an introduction has ``person_a`` and
    ``person_b``; a theme group has ``theme`` (its people are the guests who carry it)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meeting_goals")
    kind = models.CharField(_("kind"), max_length=12, choices=MeetingGoalKind.choices)
    member = models.ForeignKey(
        Member,
        verbose_name=_("colleague"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meeting_goals",
    )
    person_a = models.ForeignKey(
        Person,
        verbose_name=_("relation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meeting_goals_a",
    )
    person_b = models.ForeignKey(
        Person,
        verbose_name=_("second relation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meeting_goals_b",
    )
    theme = models.ForeignKey(
        Tag,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=MeetingGoalPriority.choices, default=MeetingGoalPriority.NORMAL
    )
    source = models.CharField(
        _("source"),
        max_length=12,
        choices=MeetingGoalSource.choices,
        default=MeetingGoalSource.HAND,
    )
    reason = models.CharField(_("why"), max_length=300, blank=True)
    asked_by = models.ForeignKey(
        Member,
        verbose_name=_("asked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    introduction_request = models.ForeignKey(
        IntroductionRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What came of it: logged by a host during or after the event.
    outcome = models.CharField(
        _("outcome"),
        max_length=8,
        choices=MeetingGoalOutcome.choices,
        default=MeetingGoalOutcome.OPEN,
    )
    outcome_note = models.CharField(_("note"), max_length=300, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    outcome_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("meeting goal")
        verbose_name_plural = _("meeting goals")
        ordering = ["event", "priority", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="colleague", member__isnull=False, person_a__isnull=False)
                    | Q(kind="introduction", person_a__isnull=False, person_b__isnull=False)
                    | Q(kind="theme_group", theme__isnull=False)
                ),
                name="meeting_goal_complete",
            ),
        ]
        indexes = [models.Index(fields=["event", "outcome"], name="meeting_goal_outcome")]

    def __str__(self) -> str:
        if self.kind == MeetingGoalKind.COLLEAGUE:
            return f"{self.member} ↔ {self.person_a}"
        if self.kind == MeetingGoalKind.INTRODUCTION:
            return f"{self.person_a} ↔ {self.person_b}"
        return f"# {self.theme}"


# ---- results: who met whom, the guests' survey, the mails before and after -----------------


class MeetingRecord(models.Model):
    """What logging a meeting goal made: the contact moment of the meeting, the tie between
    two relations it created and the follow-up that came out of it. Kept so that a host who
    corrects "met" to "not met" takes back exactly what the first answer made, and so that the
    event report counts the new ties and follow-ups the event produced."""

    goal = models.OneToOneField(MeetingGoal, on_delete=models.CASCADE, related_name="record")
    contact_moment = models.ForeignKey(
        ContactMoment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Only a tie this meeting created (an existing one is left as it was).
    tie = models.ForeignKey(
        "relations.Tie", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    follow_up = models.ForeignKey(
        "contacts.FollowUp", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"record of meeting goal {self.goal_id}"


class MetHoped(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class SurveyAnswer(CleanTextMixin, models.Model):
    """A guest's answers to the short survey the day after the event, through their signed
    link: one per guest, changed until the survey closes."""

    guest = models.OneToOneField(Guest, on_delete=models.CASCADE, related_name="survey")
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    met_hoped = models.CharField(
        _("did you meet the people you hoped to meet?"), max_length=8, choices=MetHoped.choices
    )
    met_who = models.TextField(_("whom did you meet who matters to you?"), blank=True)
    nps = models.PositiveSmallIntegerField(
        _("how likely are you to recommend this event?"),
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    comment = models.TextField(_("anything else?"), blank=True)
    answered_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5, nps__lte=10), name="survey_in_range"
            )
        ]

    def __str__(self) -> str:
        return f"survey of guest {self.guest_id}"


class ResultsMailKind(models.TextChoices):
    BRIEFING = "briefing", _("Host briefing")
    SURVEY = "survey", _("Survey")


class ResultsMail(models.Model):
    """One mail around the results: a host's briefing the day before (to a colleague) or the
    survey the day after (to a guest who came). Written before it is sent and claimed while
    sending, like the invitations' outbox, so a job run twice sends it once."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="results_mails")
    kind = models.CharField(max_length=10, choices=ResultsMailKind.choices)
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    guest = models.ForeignKey(
        Guest, null=True, blank=True, on_delete=models.CASCADE, related_name="results_mails"
    )
    status = models.CharField(
        max_length=10, choices=EventMailStatus.choices, default=EventMailStatus.QUEUED
    )
    address = models.CharField(max_length=254, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="briefing", member__isnull=False, guest__isnull=True)
                | Q(kind="survey", guest__isnull=False, member__isnull=True),
                name="results_mail_recipient",
            ),
            models.UniqueConstraint(
                fields=["event", "kind", "member"],
                condition=Q(member__isnull=False),
                name="results_mail_member_once",
            ),
            models.UniqueConstraint(
                fields=["event", "kind", "guest"],
                condition=Q(guest__isnull=False),
                name="results_mail_guest_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} mail of event {self.event_id}"


# ---- seating: tables, rounds, hosts at the table, and the plans made for them ------------------


class SeatingSetup(models.Model):
    """How an event is seated: the number of rounds (courses or sessions), how many hosts one
    table may have, and how long "make a plan" may search."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="seating_setup")
    rounds = models.PositiveSmallIntegerField(
        _("rounds"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
        help_text=_("Courses or sessions: guests may change tables between rounds."),
    )
    hosts_per_table = models.PositiveSmallIntegerField(
        _("hosts per table at most"),
        null=True,
        blank=True,
        default=1,
        validators=[MaxValueValidator(20)],
        help_text=_("Empty: no limit."),
    )
    time_limit = models.PositiveSmallIntegerField(
        _("search time (seconds)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(300)],
    )

    class Meta:
        verbose_name = _("seating setup")
        verbose_name_plural = _("seating setups")

    def __str__(self) -> str:
        return f"{self.event}: {self.rounds}"


class TableShape(models.TextChoices):
    ROUND = "round", pgettext_lazy("table shape", "Round")
    LONG = "long", pgettext_lazy("table shape", "Long")


class SeatingTable(CleanTextMixin, models.Model):
    """One table of an event: its number, an optional name (a theme, a wine) and its seats."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="seating_tables")
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    name = models.CharField(_("name"), max_length=60, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("seats"), default=8, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    shape = models.CharField(
        _("shape"), max_length=8, choices=TableShape.choices, default=TableShape.ROUND
    )

    class Meta:
        verbose_name = _("table")
        verbose_name_plural = _("tables")
        ordering = ["event", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="seating_table_number_once")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        number = _("Table %(n)d") % {"n": self.number}
        return f"{number} · {self.name}" if self.name else number


class HostSeatRequest(models.Model):
    """A guest who asked to sit with their host colleague: the plan keeps them at one table."""

    guest = models.OneToOneField(Guest, on_delete=models.CASCADE, related_name="host_seat")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(self.guest)


class SeatingPlanStatus(models.TextChoices):
    MAKING = "making", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class SeatingPlan(models.Model):
    """One version of an event's seating plan. `seats` holds the rounds in the seating engine's
    plan format (tables and guests by engine id, see events/pairvalues.py), so that the engine's
    own checker confirms it; the score and violations are the checker's. The newest ready
    version is the event's plan; older ones are its history."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="seating_plans")
    status = models.CharField(
        max_length=8, choices=SeatingPlanStatus.choices, default=SeatingPlanStatus.MAKING
    )
    how = models.CharField(max_length=12, default="engine")  # engine, hand, replan
    seats = models.JSONField(default=list, blank=True)
    # Engine guest ids kept at their table when the engine runs again (placed by hand).
    locked = models.JSONField(default=list, blank=True)
    objective = models.FloatField(null=True, blank=True)
    feasible = models.BooleanField(default=False)
    violations = models.JSONField(default=list, blank=True)
    moved = models.PositiveIntegerField(null=True, blank=True)
    # A re-plan: the plan whose seats it kept where possible (the engine's saved seats), and what
    # the guests it moved took from the objective (the move penalty in all).
    kept_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    move_cost = models.FloatField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    message = models.CharField(max_length=300, blank=True)
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    cards_printed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("seating plan")
        verbose_name_plural = _("seating plans")
        ordering = ["event", "-created_at", "-id"]
        indexes = [models.Index(fields=["event", "status"], name="seating_plan_event_status")]

    def __str__(self) -> str:
        return f"{self.event} ({self.created_at:%Y-%m-%d %H:%M})"
