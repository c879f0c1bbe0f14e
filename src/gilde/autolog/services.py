"""Writes for automatic logging: a found thread or meeting becomes an entry (in the review
inbox, or logged at once), entries are kept or discarded, settings, rules and connections are
changed. Every contact moment is made and changed through gilde.contacts.services, so care
follows through `care_follow` as for a moment logged by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde import visibility
from gilde.accounts.models import Member
from gilde.audit.models import AuditAction
from gilde.audit.services import audit_record
from gilde.contacts.models import ContactKind
from gilde.contacts.services import contact_moment_delete, contact_moment_log, contact_moment_update
from gilde.permissions import may_manage_own, may_remove_never_log, require_network_manager
from gilde.relations.models import EmailAddress, Person

from .models import (
    AuthMethod,
    AutologSettings,
    Connection,
    ConnectionKind,
    ConnectionStatus,
    Entry,
    EntryStatus,
    NeverLog,
    SeenMessage,
)
from .oauth import Tokens
from .secrets import secret_seal

MAX_START_DAYS = 365


# ---- settings and rules ---------------------------------------------------------------------


def settings_of(member: Member) -> AutologSettings:
    """The member's automatic-logging settings (the defaults until they change them)."""
    found, _created = AutologSettings.objects.get_or_create(member=member)
    return found


@transaction.atomic
def settings_update(
    *, actor: Member, review: bool, keep_body: bool, start_days: int
) -> AutologSettings:
    """Change one's own settings: review or log directly, keep bodies, how far back."""
    if not 0 <= start_days <= MAX_START_DAYS:
        raise ValidationError(
            {"start_days": _("Choose between 0 and %(max)d days.") % {"max": MAX_START_DAYS}}
        )
    mine = settings_of(actor)
    mine.review, mine.keep_body, mine.start_days = review, keep_body, start_days
    mine.full_clean()
    mine.save()
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=mine,
        detail={"fields": ["review", "keep_body", "start_days"]},
    )
    return mine


def _normalise_pattern(pattern: str) -> str:
    value = pattern.strip().lower().lstrip("@")
    if not value or any(c in value for c in ' \t\r\n,;<>"') or value.count("@") > 1:
        raise ValidationError({"pattern": _("Enter one e-mail address or one domain.")})
    if "." not in value.rpartition("@")[2]:
        raise ValidationError({"pattern": _("Enter one e-mail address or one domain.")})
    return value


@transaction.atomic
def never_log_add(*, actor: Member, pattern: str, network: bool = False) -> NeverLog:
    """Never log this address or domain again: for the actor, or (network managers) for all."""
    if network:
        require_network_manager(actor, _("Only network managers set rules for the whole network."))
    rule = NeverLog(member=None if network else actor, pattern=_normalise_pattern(pattern))
    rule.full_clean(validate_constraints=False)
    existing = NeverLog.objects.filter(member=rule.member, pattern=rule.pattern).first()
    if existing is not None:
        return existing
    rule.save()
    audit_record(actor=actor, action=AuditAction.CREATE, target=rule)
    return rule


@transaction.atomic
def never_log_remove(*, actor: Member, rule: NeverLog) -> None:
    if not may_remove_never_log(actor, rule.member_id):
        raise PermissionDenied(_("This rule is not yours to remove."))
    audit_record(actor=actor, action=AuditAction.DELETE, target=rule)
    rule.delete()


def _never_patterns(member: Member) -> set[str]:
    return set(
        NeverLog.objects.filter(member__isnull=True).values_list("pattern", flat=True)
    ) | set(NeverLog.objects.filter(member=member).values_list("pattern", flat=True))


def _colleague_addresses() -> set[str]:
    from django.contrib.auth import get_user_model

    emails = get_user_model().objects.exclude(email="").values_list("email", flat=True)
    return {e.lower() for e in emails}


# ---- recording what a run found ---------------------------------------------------------------


@dataclass
class Rules:
    """What one run needs to know once: the member's own addresses, colleagues, the rules."""

    member: Member
    own: set[str]
    colleagues: set[str]
    never: set[str]
    review: bool
    keep_body: bool
    counts: dict[str, int] = field(default_factory=dict)
    # Read once per batch by a sync (see batch_prepare): the message keys already seen and the
    # threads that have an entry, so that a new message costs no lookups of its own.
    seen_hint: set[str] | None = None
    threads_hint: set[str] | None = None

    def batch_prepare(self, keys: Collection[str], threads: Collection[str]) -> None:
        self.seen_hint = set(
            SeenMessage.objects.filter(member=self.member, key__in=list(keys)).values_list(
                "key", flat=True
            )
        )
        self.threads_hint = set(
            Entry.objects.filter(member=self.member, thread_key__in=list(threads)).values_list(
                "thread_key", flat=True
            )
        )

    def count(self, name: str) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1

    def loggable(self, address: str) -> bool:
        domain = address.rpartition("@")[2]
        parents = {domain.split(".", i)[-1] for i in range(domain.count("."))}
        return not (
            address in self.own
            or address in self.colleagues
            or address in self.never
            or domain in self.never
            or parents & self.never
        )


def rules_for(member: Member, *, extra_own: Iterable[str] = ()) -> Rules:
    """The rules a run applies for this member."""
    mine = settings_of(member)
    own = {a.lower() for a in (member.user.email, *extra_own) if a}
    own |= {
        u.lower()
        for u in Connection.objects.filter(member=member).values_list("username", flat=True)
        if "@" in u
    }
    return Rules(
        member=member,
        own=own,
        colleagues=_colleague_addresses(),
        never=_never_patterns(member),
        review=mine.review,
        keep_body=mine.keep_body,
    )


def persons_by_address(addresses: Collection[str]) -> dict[str, Person]:
    """Known relations by (lower-case) address. Confidential relations are never logged
    automatically, so they are not found here at all."""
    found: dict[str, Person] = {}
    if not addresses:
        return found
    rows = (
        EmailAddress.objects.annotate(lower=Lower("address"))
        .filter(lower__in=list(addresses), person__confidential=False)
        .select_related("person")
        .order_by("person_id")
    )
    for row in rows:
        found.setdefault(row.lower, row.person)
    return found


@dataclass(frozen=True)
class Found:
    """One message or meeting a run found, already stripped to what Gilde may keep."""

    key: str
    thread_key: str
    kind: str
    occurred_at: dt.datetime
    summary: str
    addresses: tuple[str, ...]
    note: str = ""
    # Further messages of the same thread read in the same run, recorded with it at once.
    more_keys: tuple[str, ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.key, *self.more_keys)


def found_record(
    *,
    rules: Rules,
    found: Found,
    source: str,
    connection: Connection | None = None,
    known: dict[str, Person] | None = None,
    keep_unknown: bool = False,
) -> Entry | None:
    """Turn one found message or meeting into an entry (or add it to its thread's entry).
    Idempotent: a key seen before for this member does nothing. Returns the entry, or None
    when nothing was recorded (the reason is counted in rules.counts)."""
    member = rules.member
    addresses = [a for a in found.addresses if rules.loggable(a)]
    if known is None:
        known = persons_by_address(addresses)
    persons = list({known[a].pk: known[a] for a in addresses if a in known}.values())
    unknown = [a for a in addresses if a not in known] if keep_unknown else []
    if not persons and not unknown:
        rules.count("no-relation")
        return None
    if rules.seen_hint is not None:
        seen = {k for k in found.keys if k in rules.seen_hint}
    else:
        seen = set(
            SeenMessage.objects.filter(member=member, key__in=found.keys).values_list(
                "key", flat=True
            )
        )
    new_keys = [k for k in found.keys if k not in seen]
    for _key in seen:
        rules.count("already-seen")
    if not new_keys:
        return None
    try:
        with transaction.atomic():
            entry = _entry_for(rules, found, source, connection, persons, unknown, len(new_keys))
            SeenMessage.objects.bulk_create(
                SeenMessage(member=member, key=key, entry=entry) for key in new_keys
            )
    except IntegrityError:  # the same message handled by a parallel run
        rules.count("already-seen")
        return None
    return entry


def _thread_entry(member: Member, found: Found) -> Entry | None:
    window = dt.timedelta(days=settings.GILDE_AUTOLOG_THREAD_DAYS)
    return (
        Entry.objects.filter(
            member=member,
            thread_key=found.thread_key,
            occurred_at__gte=found.occurred_at - window,
            occurred_at__lte=found.occurred_at + window,
        )
        .exclude(status=EntryStatus.DISCARDED)
        .order_by("-occurred_at")
        .first()
    )


def _entry_for(
    rules: Rules,
    found: Found,
    source: str,
    connection: Connection | None,
    persons: list[Person],
    unknown: list[str],
    messages: int = 1,
) -> Entry:
    if found.kind == ContactKind.MEETING:
        moved = (
            Entry.objects.filter(
                member=rules.member, kind=ContactKind.MEETING, thread_key=found.thread_key
            )
            .order_by("-id")
            .first()
        )
        if moved is not None:
            return _meeting_moved(rules, moved, found, persons)
    thread_known = rules.threads_hint is None or found.thread_key in rules.threads_hint
    if found.kind == ContactKind.EMAIL and thread_known:
        entry = _thread_entry(rules.member, found)
    else:
        entry = None
    if rules.threads_hint is not None:
        rules.threads_hint.add(found.thread_key)
    if messages > 1:
        rules.counts["grouped"] = rules.counts.get("grouped", 0) + messages - 1
    if entry is not None:
        rules.count("grouped")
        entry.message_count += messages
        entry.unknown_addresses = sorted(set(entry.unknown_addresses) | set(unknown))
        later = found.occurred_at > entry.occurred_at
        if later:
            entry.occurred_at = found.occurred_at
        entry.save(update_fields=["message_count", "unknown_addresses", "occurred_at"])
        entry.persons.add(*persons)
        if entry.moment is not None and persons:
            _moment_follow(rules.member, entry, later)
        return entry
    entry = Entry(
        member=rules.member,
        source=source,
        connection=connection,
        thread_key=found.thread_key,
        kind=found.kind,
        occurred_at=found.occurred_at,
        summary=found.summary or _("(no subject)"),
        note=found.note,
        unknown_addresses=sorted(set(unknown)),
        message_count=messages,
    )
    entry.full_clean(exclude=["persons", "moment"])
    entry.save()
    entry.persons.set(persons)
    if not rules.review and persons and rules.member.can_write:
        _entry_log(rules.member, entry)
        rules.count("logged")
    else:
        rules.count("to-review")
    return entry


def _meeting_moved(rules: Rules, entry: Entry, found: Found, persons: list[Person]) -> Entry:
    """A meeting read before, at another time or with other attendees (moved, or changed after
    it took place): the one entry follows, never a second one. A discarded meeting stays
    discarded."""
    rules.count("moved")
    if entry.status == EntryStatus.DISCARDED:
        return entry
    entry.occurred_at = found.occurred_at
    entry.summary = found.summary or entry.summary
    entry.save(update_fields=["occurred_at", "summary"])
    entry.persons.add(*persons)
    if entry.moment is not None:
        _moment_follow(rules.member, entry, True)
    return entry


def _moment_follow(member: Member, entry: Entry, later: bool) -> None:
    """A thread that goes on: its moment gets the new participants and the latest time."""
    moment = entry.moment
    assert moment is not None
    extra: dict[str, object] = {"occurred_at": entry.occurred_at} if later else {}
    persons = set(moment.persons.all()) | set(entry.persons.filter(confidential=False))
    contact_moment_update(actor=member, moment=moment, persons=persons, **extra)  # type: ignore[arg-type]


def _entry_log(member: Member, entry: Entry) -> None:
    moment = contact_moment_log(
        actor=member,
        persons=list(entry.persons.filter(confidential=False)),
        kind=entry.kind,
        occurred_at=entry.occurred_at,
        summary=entry.summary,
        notes=entry.note,
    )
    entry.moment, entry.status = moment, EntryStatus.LOGGED
    entry.save(update_fields=["moment", "status"])


# ---- the review inbox -----------------------------------------------------------------------


def _require_own(actor: Member, entry: Entry) -> None:
    if entry.member_id != actor.pk:
        raise PermissionDenied(_("This is a colleague's review inbox."))


@transaction.atomic
def entry_keep(*, actor: Member, entry: Entry) -> Entry:
    """Keep a found contact: it becomes a contact moment (through the contact services, so the
    relations' status and tie strengths follow at once)."""
    _require_own(actor, entry)
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != EntryStatus.PENDING:
        raise ValidationError(_("This contact was already kept or discarded."))
    visible = visibility.persons(actor.user).filter(autolog_entries=entry)
    if not visible.exists():
        raise ValidationError(
            _("None of its addresses belongs to a relation yet: add one first, or discard it.")
        )
    entry.persons.set(list(visible))
    _entry_log(actor, entry)
    return entry


@transaction.atomic
def entry_discard(*, actor: Member, entry: Entry) -> Entry:
    """Discard a found contact: nothing is logged; its summary and note are cleared, only the
    fact that it was seen stays (so the next run does not find it again)."""
    _require_own(actor, entry)
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != EntryStatus.PENDING:
        raise ValidationError(_("This contact was already kept or discarded."))
    entry.status, entry.summary, entry.note, entry.unknown_addresses = (
        EntryStatus.DISCARDED,
        "-",
        "",
        [],
    )
    entry.save(update_fields=["status", "summary", "note", "unknown_addresses"])
    entry.persons.clear()
    return entry


@transaction.atomic
def unknown_address_ignore(*, actor: Member, entry: Entry, address: str) -> Entry:
    """Ignore an unknown address of a found contact: it is never logged for this member."""
    _require_own(actor, entry)
    if address not in entry.unknown_addresses:
        raise ValidationError(_("This address is not on this contact."))
    never_log_add(actor=actor, pattern=address)
    Entry.objects.filter(pk=entry.pk).update(
        unknown_addresses=[a for a in entry.unknown_addresses if a != address]
    )
    entry.refresh_from_db()
    return entry


@transaction.atomic
def unknown_addresses_resolve(*, actor: Member, entry: Entry) -> Entry:
    """After the member added a relation for an unknown address: attach it to the entry."""
    _require_own(actor, entry)
    known = persons_by_address(entry.unknown_addresses)
    if known:
        entry.persons.add(*known.values())
        entry.unknown_addresses = [a for a in entry.unknown_addresses if a not in known]
        entry.save(update_fields=["unknown_addresses"])
    return entry


# ---- connections ----------------------------------------------------------------------------


@transaction.atomic
def connection_create(
    *,
    actor: Member,
    kind: str,
    secret: str,
    server: str = "",
    username: str = "",
    auth: str = AuthMethod.PASSWORD,
) -> Connection:
    """Connect the actor's own mailbox or calendar; the secret is stored encrypted and never
    shown again. The first run is queued at once."""
    from .jobs import connection_sync_enqueue

    if not secret.strip():
        raise ValidationError({"secret": _("Enter the password, token or address.")})
    if kind != ConnectionKind.ICS and not server.strip():
        raise ValidationError({"server": _("Enter the server's address.")})
    _check_address(kind, server.strip(), secret.strip())
    connection = Connection(
        member=actor,
        kind=kind,
        server=server.strip(),
        username=username.strip(),
        auth=auth,
        secret=secret_seal(secret.strip()),
    )
    connection.full_clean()
    connection.save()
    audit_record(actor=actor, action=AuditAction.CREATE, target=connection, detail={"kind": kind})
    connection_sync_enqueue(connection=connection, actor=actor)
    return connection


def _check_address(kind: str, server: str, secret: str) -> None:
    """A server address the run could never use is refused now, with what to enter."""
    from .imap import server_parse

    if kind == ConnectionKind.IMAP:
        try:
            server_parse(server)
        except ValueError as exc:
            raise ValidationError(
                {"server": _("Enter an address such as imaps://mail.example.nl.")}
            ) from exc
    elif kind == ConnectionKind.CALDAV and not server.startswith(("https://", "http://")):
        raise ValidationError({"server": _("Enter the calendar's https:// address.")})
    elif kind == ConnectionKind.ICS and not secret.startswith(("https://", "http://", "webcal://")):
        raise ValidationError({"secret": _("Enter the calendar's private https:// address.")})


@transaction.atomic
def connection_connect_oauth(
    *, actor: Member, provider: str, username: str, tokens: Tokens
) -> Connection:
    """The actor's mailbox at an OAuth2 provider, after their consent: the access and refresh
    tokens stored encrypted (never shown again). Signing in again for the same mailbox renews
    that connection instead of adding a second one. The first run is queued at once."""
    from .jobs import connection_sync_enqueue
    from .oauth import providers

    known = providers().get(provider)
    if known is None:
        raise ValidationError(_("This sign-in is not set up for Gilde."))
    username = username.strip()
    if username.count("@") != 1 or any(c in username for c in " \r\n\t<>,;"):
        raise ValidationError({"username": _("Enter the mailbox's e-mail address.")})
    if not tokens.access_token or not tokens.refresh_token:
        raise ValidationError(_("The sign-in gave no token; nothing was stored."))
    connection = (
        Connection.objects.select_for_update()
        .filter(member=actor, oauth_provider=provider, username__iexact=username)
        .first()
    )
    created = connection is None
    if connection is None:
        connection = Connection(
            member=actor,
            kind=ConnectionKind.IMAP,
            server=known.imap_server,
            username=username,
            auth=AuthMethod.XOAUTH2,
            oauth_provider=provider,
        )
    connection.secret = secret_seal(tokens.access_token)
    connection.refresh_secret = secret_seal(tokens.refresh_token)
    connection.token_expires_at = tokens.expires_at
    connection.status, connection.failure_mailed_at = ConnectionStatus.ACTIVE, None
    connection.full_clean()
    connection.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        target=connection,
        detail={"kind": connection.kind, "oauth": provider},
    )
    connection_sync_enqueue(connection=connection, actor=actor)
    return connection


@transaction.atomic
def connection_renew(*, actor: Member, connection: Connection, secret: str) -> Connection:
    """A new password or token for a connection whose login was refused."""
    if connection.member_id != actor.pk:
        raise PermissionDenied(_("This is a colleague's connection."))
    if not secret.strip():
        raise ValidationError({"secret": _("Enter the password, token or address.")})
    connection.secret = secret_seal(secret.strip())
    connection.status, connection.failure_mailed_at = ConnectionStatus.ACTIVE, None
    connection.save(update_fields=["secret", "status", "failure_mailed_at"])
    audit_record(
        actor=actor, action=AuditAction.CHANGE, target=connection, detail={"fields": ["secret"]}
    )
    return connection


@transaction.atomic
def connection_disconnect(
    *, actor: Member, connection: Connection, delete_moments: bool = False
) -> dict[str, int]:
    """Disconnect: the credentials are deleted with the connection; on request also the
    contact moments that came only from it (through the contact services, so care follows).
    Moments someone changed by hand stay (they are no longer only the sync's)."""
    if not may_manage_own(actor, connection.member_id):
        raise PermissionDenied(_("This is a colleague's connection."))
    counts = {"moments_deleted": 0, "entries_deleted": 0}
    entries = Entry.objects.filter(connection=connection)
    if delete_moments:
        for entry in entries.filter(moment__isnull=False).select_related("moment"):
            moment = entry.moment
            assert moment is not None
            if moment.created_by_id == connection.member_id and not _changed_by_hand(moment):
                contact_moment_delete(actor=connection.member, moment=moment)
                counts["moments_deleted"] += 1
        counts["entries_deleted"] = entries.delete()[0]
    else:
        counts["entries_deleted"] = entries.filter(status=EntryStatus.PENDING).delete()[0]
    audit_record(actor=actor, action=AuditAction.DELETE, target=connection, detail=counts)
    connection.delete()
    return counts


def _changed_by_hand(moment: object) -> bool:
    from gilde.audit.models import AuditEntry

    return (
        AuditEntry.objects.filter(
            target_type="contactmoment",
            target_id=getattr(moment, "pk", None),
            action=AuditAction.CHANGE,
        )
        .exclude(actor=getattr(moment, "created_by", None))
        .exists()
    )


def connection_mark_failing(*, connection: Connection, reason: str) -> bool:
    """A login refused: mark the connection and e-mail the member, once (until it works
    again). Returns whether a mail went out."""
    from .notify import login_refused_mail

    Connection.objects.filter(pk=connection.pk).update(status=ConnectionStatus.FAILING)
    first = Connection.objects.filter(pk=connection.pk, failure_mailed_at__isnull=True).update(
        failure_mailed_at=timezone.now()
    )
    if first:
        login_refused_mail(connection=connection, reason=reason)
    return bool(first)


def connection_mark_working(*, connection: Connection) -> None:
    if connection.status != ConnectionStatus.ACTIVE or connection.failure_mailed_at:
        Connection.objects.filter(pk=connection.pk).update(
            status=ConnectionStatus.ACTIVE, failure_mailed_at=None
        )


def source_of(moment_ids: Collection[int]) -> dict[int, str]:
    """Where automatically logged moments came from ("via e-mail", "via calendar"), by id."""
    rows = Entry.objects.filter(moment_id__in=list(moment_ids)).values_list("moment_id", "source")
    from .models import SOURCE_LABELS

    return {mid: str(SOURCE_LABELS[src]) for mid, src in rows if mid is not None}
