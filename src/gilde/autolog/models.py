"""Contact moments that log themselves: a member's settings and connections (mailbox,
calendar), the rules of what is never logged, what each sync found (an entry: one thread or
one meeting, waiting in the review inbox or logged as a contact moment), the messages already
seen (by a hash, for idempotency) and an audit of every run (counts only)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gilde.accounts.models import Member
from gilde.contacts.models import ContactMoment
from gilde.core.text import CleanTextMixin
from gilde.relations.models import Person


class Source(models.TextChoices):
    MAIL_IN = "mail_in", _("sent to Gilde")
    MAILBOX = "mailbox", _("mailbox")
    CALENDAR = "calendar", pgettext_lazy("source", "calendar")


# What a moment's page and timeline say about where it came from.
SOURCE_LABELS: dict[str, object] = {
    Source.MAIL_IN: _("via e-mail"),
    Source.MAILBOX: _("via e-mail"),
    Source.CALENDAR: _("via calendar"),
}


class AutologSettings(models.Model):
    """A member's choices: review before logging or log directly, keep the text of messages
    sent to Gilde, and how far back a new connection starts."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="autolog_settings")
    review = models.BooleanField(
        _("review before logging"),
        default=True,
        help_text=_("Found contacts wait in your review inbox until you keep them."),
    )
    keep_body = models.BooleanField(
        _("keep the text of messages I send to Gilde as the note"), default=False
    )
    start_days = models.PositiveSmallIntegerField(
        _("start this many days back"),
        default=30,
        help_text=_("How far back a new mailbox or calendar is read (at most 365 days)."),
    )

    class Meta:
        verbose_name = _("automatic logging settings")
        verbose_name_plural = _("automatic logging settings")

    def __str__(self) -> str:
        return f"autolog settings {self.member_id}"


class NeverLog(CleanTextMixin, models.Model):
    """An address or a whole domain that is never logged automatically: for one member (their
    private contacts) or, without a member, for the whole network (set by network managers)."""

    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.CASCADE, related_name="autolog_never"
    )
    pattern = models.CharField(_("address or domain"), max_length=254)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("never logged")
        verbose_name_plural = _("never logged")
        ordering = ["pattern"]
        constraints = [
            models.UniqueConstraint(fields=["member", "pattern"], name="autolog_never_unique")
        ]

    def __str__(self) -> str:
        return self.pattern


class ConnectionKind(models.TextChoices):
    IMAP = "imap", _("Mailbox (IMAP)")
    CALDAV = "caldav", _("Calendar (CalDAV)")
    ICS = "ics", _("Calendar (private ICS address)")


class AuthMethod(models.TextChoices):
    PASSWORD = "password", _("Password")
    XOAUTH2 = "xoauth2", _("OAuth2 access token (Microsoft 365, Google Workspace)")


class ConnectionStatus(models.TextChoices):
    ACTIVE = "active", _("Working")
    FAILING = "failing", _("Login refused")


class Connection(CleanTextMixin, models.Model):
    """A member's mailbox or calendar. The password, token or private ICS address is stored
    encrypted (gilde.autolog.secrets) and never shown again; `state` holds where the last
    run stopped (per folder UIDVALIDITY and last UID, or the calendar's last end time)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="autolog_connections")
    kind = models.CharField(_("kind"), max_length=10, choices=ConnectionKind.choices)
    server = models.CharField(_("server"), max_length=500, blank=True)
    username = models.CharField(_("user name"), max_length=254, blank=True)
    auth = models.CharField(
        _("sign in with"), max_length=10, choices=AuthMethod.choices, default=AuthMethod.PASSWORD
    )
    secret = models.TextField(editable=False)
    # Signed in through OAuth2 (gilde.autolog.oauth): the provider, its refresh token
    # (encrypted like `secret`, which then holds the access token) and when that expires.
    oauth_provider = models.CharField(max_length=20, blank=True, editable=False)
    refresh_secret = models.TextField(blank=True, editable=False)
    token_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ConnectionStatus.choices,
        default=ConnectionStatus.ACTIVE,
    )
    failure_mailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_sync_at = models.DateTimeField(_("last read"), null=True, blank=True, editable=False)
    state = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("connection")
        verbose_name_plural = _("connections")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.username}".strip()

    @property
    def source(self) -> str:
        return Source.MAILBOX if self.kind == ConnectionKind.IMAP else Source.CALENDAR


class EntryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    LOGGED = "logged", _("Logged")
    DISCARDED = "discarded", _("Discarded")


class Entry(CleanTextMixin, models.Model):
    """One thread of e-mail or one meeting with known relations, as found: waiting in the
    member's review inbox, logged (then `moment` is the contact moment) or discarded."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="autolog_entries")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    connection = models.ForeignKey(
        Connection, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )
    thread_key = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.PENDING
    )
    kind = models.CharField(_("kind"), max_length=10)
    occurred_at = models.DateTimeField(_("date and time"))
    summary = models.CharField(_("summary"), max_length=300)
    note = models.TextField(_("notes"), blank=True)
    persons = models.ManyToManyField(Person, related_name="autolog_entries", blank=True)
    # Addresses of the message that no relation has: listed for the member to add or ignore.
    unknown_addresses = models.JSONField(default=list, blank=True)
    message_count = models.PositiveIntegerField(default=1)
    moment = models.OneToOneField(
        ContactMoment, null=True, blank=True, on_delete=models.SET_NULL, related_name="autolog"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("automatically found contact")
        verbose_name_plural = _("automatically found contacts")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["member", "thread_key"], name="autolog_entry_thread"),
            models.Index(fields=["member", "status"], name="autolog_entry_status"),
        ]

    def __str__(self) -> str:
        return self.summary

    @property
    def source_label(self) -> str:
        return str(SOURCE_LABELS.get(self.source, ""))


class SeenMessage(models.Model):
    """A message or meeting already handled for a member, by a hash of its Message-ID (or the
    meeting's UID and start): delivered or read twice, it is logged once."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    entry = models.ForeignKey(
        Entry, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "key"], name="autolog_seen_unique")
        ]

    def __str__(self) -> str:
        return self.key


class SyncRun(models.Model):
    """The audit of one run: which connection, when, how it ended and counts, never content."""

    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    connection = models.ForeignKey(
        Connection, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs"
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, default="running")
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("sync run")
        verbose_name_plural = _("sync runs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"run {self.pk} {self.source} {self.outcome}"
