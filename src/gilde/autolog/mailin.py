"""Log by e-mail: a message a member sends, forwards, CCs or BCCs to Gilde's address becomes a
contact moment. It arrives on standard input (`gilde mail-in`, a pipe target of the mail
server), over LMTP (`gilde mail-in --lmtp HOST:PORT`, gilde.autolog.lmtp) or from the mailbox in GILDE_MAIL_IN, polled by the worker.

Sending to Gilde is the member's own act, so it is logged at once (no review), with the
relations from the message's other addresses; addresses no relation has are listed on the
member's review page to add or ignore. Unknown senders, loops, bounces and auto-replies are
dropped with a log line; a message delivered twice (same Message-ID) is logged once."""

from __future__ import annotations

import datetime as dt
import imaplib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError
from django.utils import timezone

from gilde.accounts.models import Member
from gilde.contacts.models import ContactKind

from . import imap
from .mail import MessageMeta, Skipped, message_parse
from .models import Connection, Source, SyncRun
from .services import Found, found_record, rules_for

log = logging.getLogger("gilde.autolog")


@dataclass(frozen=True)
class Outcome:
    """What became of one message: "logged", "to-review", "already-seen" or a drop reason."""

    result: str
    entry_id: int | None = None

    @property
    def dropped(self) -> bool:
        return self.entry_id is None and self.result != "already-seen"


def _member_by_address(address: str) -> Member | None:
    user = (
        get_user_model()
        .objects.filter(email__iexact=address, is_active=True)
        .select_related("member")
        .order_by("pk")
        .first()
    )
    if user is None:
        connection = (
            Connection.objects.filter(username__iexact=address, member__user__is_active=True)
            .select_related("member__user")
            .first()
        )
        return connection.member if connection else None
    try:
        member: Member = user.member
    except Member.DoesNotExist:
        return None
    return member


def _gilde_addresses() -> set[str]:
    own = {settings.GILDE_MAIL_IN_ADDRESS.lower()} if settings.GILDE_MAIL_IN_ADDRESS else set()
    if settings.GILDE_MAIL_IN:
        user, _password = imap.credentials_from_url(settings.GILDE_MAIL_IN)
        if "@" in user:
            own.add(user.lower())
    return own


def mail_in_receive(raw: bytes, *, received_at: dt.datetime | None = None) -> Outcome:
    """Handle one message sent to Gilde's address; never raises for a bad message."""
    now = received_at or timezone.now()
    try:
        meta = message_parse(
            raw, received_at=now, max_bytes=settings.GILDE_MAIL_IN_MAX_BYTES, with_body=True
        )
    except Skipped as skipped:
        log.info("Mail-in: message dropped (%s)", skipped.reason)
        return Outcome(skipped.reason)
    except Exception:  # a message the parser never saw the like of: skip it, say so
        log.exception("Mail-in: message dropped (parser error)")
        return Outcome("unparsable")
    gilde = _gilde_addresses()
    if meta.sender in gilde:
        log.info("Mail-in: message dropped (loop)")
        return Outcome("loop")
    member = _member_by_address(meta.sender)
    if member is None:
        log.info("Mail-in: message dropped (unknown-sender)")
        return Outcome("unknown-sender")
    if not member.can_write:
        log.info("Mail-in: message dropped (read-only member %s)", member.pk)
        return Outcome("read-only")
    return _record(member, meta, gilde)


def _record(member: Member, meta: MessageMeta, gilde: set[str]) -> Outcome:
    rules = rules_for(member, extra_own=gilde)
    rules.review = False  # sending it to Gilde is the member's own choice to log it
    found = Found(
        key=meta.message_key,
        thread_key=meta.message_key,
        kind=ContactKind.EMAIL,
        occurred_at=min(meta.occurred_at, timezone.now()),
        summary=meta.subject,
        addresses=tuple(a for a in meta.participants if a not in gilde),
        note=meta.body if rules.keep_body else "",
    )
    try:
        entry = found_record(rules=rules, found=found, source=Source.MAIL_IN, keep_unknown=True)
    except DatabaseError:
        raise  # not the message's fault: the caller answers "try again later"
    except Exception as exc:  # a moment the contact services refuse (a date out of range...)
        log.info("Mail-in: message of member %s dropped (%s)", member.pk, type(exc).__name__)
        return Outcome("refused")
    result = (
        next(iter(rules.counts), "no-relation")
        if entry is None
        else ("logged" if entry.moment_id else "to-review")
    )
    if entry is None:
        log.info("Mail-in: message of member %s not logged (%s)", member.pk, result)
    return Outcome(result, entry.pk if entry else None)


class MailboxError(Exception):
    """The GILDE_MAIL_IN mailbox could not be read. The message names the host and the reason,
    never the password; `outcome` and `error` are what the run records."""

    def __init__(self, message: str, *, error: str, outcome: str = "failed") -> None:
        super().__init__(message)
        self.error = error
        self.outcome = outcome


def mail_in_poll() -> dict[str, int]:
    """What the worker runs: mail_in_read, with a mailbox that cannot be read logged (its run
    records why) instead of raised, so the members' connections still run after it."""
    try:
        return mail_in_read()
    except MailboxError as exc:
        log.error("Mail-in: %s", exc)
        return {exc.outcome: 1}


def mail_in_read() -> dict[str, int]:
    """Read the unseen messages of the GILDE_MAIL_IN mailbox, handle each, mark them seen.
    A run interrupted halfway leaves the rest unseen; Message-IDs keep the done ones single.
    Every run ends recorded, as done or failed; a mailbox that cannot be read raises
    MailboxError."""
    counts: dict[str, int] = {}
    if not settings.GILDE_MAIL_IN:
        return counts
    run = SyncRun.objects.create(source=Source.MAIL_IN, started_at=timezone.now())
    try:
        _mailbox_read(settings.GILDE_MAIL_IN, counts)
    except MailboxError as exc:
        _run_close(run, outcome=exc.outcome, counts={**counts, f"error:{exc.error}": 1})
        raise
    except Exception as exc:  # the database, or a bug: the run does not stay "running"
        _run_close(run, outcome="failed", counts={**counts, f"error:{type(exc).__name__}": 1})
        raise
    _run_close(run, outcome="done", counts=counts)
    return counts


def _mailbox_read(address: str, counts: dict[str, int]) -> None:
    try:
        server = imap.server_parse(address)
    except ValueError:
        # Not the parser's words: for an address without "@" they quote the password as a port.
        raise MailboxError(
            "GILDE_MAIL_IN is not a mailbox address (imaps://user:password@host[:port][/folder]).",
            error="ValueError",
        ) from None
    where = f"{server.host}:{server.port}"
    user, password = imap.credentials_from_url(address)
    try:
        client = imap.imap_open(
            server, username=user, secret=password, timeout=settings.GILDE_AUTOLOG_TIMEOUT_SECONDS
        )
    except imap.LoginRefused as exc:
        raise MailboxError(
            f"The mailbox at {where} refused the login: check the user name and password "
            "in GILDE_MAIL_IN.",
            error="LoginRefused",
            outcome="login-refused",
        ) from exc
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxError(
            f"Cannot open the mailbox at {where}: {_reason(exc)}.", error=type(exc).__name__
        ) from exc
    try:
        imap.folder_select(client, server.folder or "INBOX", readonly=False)
        status, data = client.uid("SEARCH", "UNSEEN")
        uids = [int(u) for u in data[0].split()] if status == "OK" and data and data[0] else []
        for uid, raw in imap.messages_fetch(client, uids):
            outcome = mail_in_receive(raw)
            counts[outcome.result] = counts.get(outcome.result, 0) + 1
            imap.mark_seen(client, [uid])
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxError(
            f"Reading the mailbox at {where} broke off: {_reason(exc)}.", error=type(exc).__name__
        ) from exc
    finally:
        imap.imap_close(client)


def _reason(exc: Exception) -> str:
    """The error in words ("Connection refused", "Name or service not known", the server's
    reply), without the address it was given."""
    if isinstance(exc, OSError) and exc.strerror:
        return str(exc.strerror)
    return str(exc).rstrip(".") or type(exc).__name__


def _run_close(run: SyncRun, *, outcome: str, counts: dict[str, int]) -> None:
    SyncRun.objects.filter(pk=run.pk).update(
        outcome=outcome, finished_at=timezone.now(), counts=counts
    )
