"""One run of a member's connection: read what is new in their mailbox (metadata headers by
UID, per folder, from where the last run stopped) or calendar (meetings that ended since the
last run), and record what involves known relations. The position is saved after every batch,
so a run stopped halfway resumes where it was; the message keys keep a second read single."""

from __future__ import annotations

import datetime as dt
import logging
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.utils import timezone

from gilde.contacts.models import ContactKind
from gilde.relations.models import Person

from . import imap, oauth
from .calendar import Meeting, meetings_parse
from .mail import Skipped, message_parse
from .models import AuthMethod, Connection, ConnectionKind, SyncRun
from .secrets import SecretUnreadable, secret_open, secret_seal
from .services import (
    Found,
    Rules,
    connection_mark_failing,
    connection_mark_working,
    found_record,
    persons_by_address,
    rules_for,
    settings_of,
)

log = logging.getLogger("gilde.autolog")
Progress = Callable[[str, int, int], None]
# Meetings changed shortly after they ended (a late attendee added) are read once more.
CALENDAR_OVERLAP = dt.timedelta(days=1)


def _quiet(phase: str, done: int, total: int) -> None:
    return None


def connection_sync(connection: Connection, *, progress: Progress = _quiet) -> SyncRun:
    """Run one connection now; every run is audited with counts only. A refused login marks
    the connection and mails the member once; any other failure is recorded and the next run
    tries again."""
    run = SyncRun.objects.create(
        member=connection.member,
        connection=connection,
        source=connection.source,
        started_at=timezone.now(),
    )
    rules = rules_for(connection.member)
    outcome = "done"
    try:
        secret = secret_open(connection.secret)
        if connection.kind == ConnectionKind.IMAP:
            secret, refreshed = _access_token(connection, secret, rules)
            try:
                _sync_mailbox(connection, secret, rules, progress)
            except imap.LoginRefused:
                if not connection.oauth_provider or refreshed:
                    raise
                # The server refused a token that had not expired yet (revoked, or its clock
                # differs): refresh once, then the login-refused path.
                secret, _refreshed = _access_token(connection, secret, rules, force=True)
                _sync_mailbox(connection, secret, rules, progress)
        else:
            _sync_calendar(connection, secret, rules, progress)
    except (imap.LoginRefused, _CalendarRefused, SecretUnreadable) as exc:
        outcome = "login-refused"
        reason = "the key changed" if isinstance(exc, SecretUnreadable) else str(exc)[:200]
        connection_mark_failing(connection=connection, reason=reason)
    except Exception as exc:
        outcome = "failed"
        rules.count(f"error:{type(exc).__name__}")
        log.warning("Connection %s: run failed (%s)", connection.pk, type(exc).__name__)
    else:
        connection_mark_working(connection=connection)
        Connection.objects.filter(pk=connection.pk).update(last_sync_at=timezone.now())
    SyncRun.objects.filter(pk=run.pk).update(
        outcome=outcome, finished_at=timezone.now(), counts=rules.counts
    )
    run.refresh_from_db()
    return run


# An access token this close to its end is renewed before the run rather than during it.
TOKEN_MARGIN = dt.timedelta(minutes=2)


def _access_token(
    connection: Connection, secret: str, rules: Rules, *, force: bool = False
) -> tuple[str, bool]:
    """(the access token to sign in with, whether it was refreshed now). For an OAuth2
    connection whose token expires (or was refused: force) a new one is asked for with the
    refresh token and stored encrypted. A token endpoint that refuses the refresh token
    (revoked, expired) is a refused login; one that cannot be reached fails the run only."""
    if not connection.oauth_provider:
        return secret, False
    now = timezone.now()
    expires = connection.token_expires_at
    if not force and expires is not None and expires > now + TOKEN_MARGIN:
        return secret, False
    provider = oauth.providers().get(connection.oauth_provider)
    if provider is None:
        raise imap.LoginRefused("the OAuth2 sign-in is no longer set up")
    try:
        tokens = oauth.token_refresh(
            provider, refresh_token=secret_open(connection.refresh_secret), now=now
        )
    except oauth.TokenError as exc:
        if exc.refused:
            raise imap.LoginRefused(f"token refresh refused ({exc.reason})") from exc
        raise
    connection.secret = secret_seal(tokens.access_token)
    if tokens.refresh_token:  # some providers hand out a new refresh token with every refresh
        connection.refresh_secret = secret_seal(tokens.refresh_token)
    connection.token_expires_at = tokens.expires_at
    Connection.objects.filter(pk=connection.pk).update(
        secret=connection.secret,
        refresh_secret=connection.refresh_secret,
        token_expires_at=connection.token_expires_at,
    )
    rules.count("token-refreshed")
    return tokens.access_token, True


def _start(connection: Connection) -> dt.datetime:
    days = settings_of(connection.member).start_days
    return max(connection.created_at, timezone.now()) - dt.timedelta(days=days)


# ---- mailbox --------------------------------------------------------------------------------


def _sync_mailbox(connection: Connection, secret: str, rules: Rules, progress: Progress) -> None:
    server = imap.server_parse(connection.server)
    client = imap.imap_open(
        server,
        username=connection.username,
        secret=secret,
        xoauth2=connection.auth == AuthMethod.XOAUTH2,
        timeout=settings.GILDE_AUTOLOG_TIMEOUT_SECONDS,
    )
    try:
        folders = [server.folder or "INBOX"]
        folders += [f for f in imap.sent_folders(client) if f not in folders]
        for folder in folders:
            _sync_folder(client, connection, folder, rules, progress)
    finally:
        imap.imap_close(client)


def _sync_folder(
    client: object, connection: Connection, folder: str, rules: Rules, progress: Progress
) -> None:
    import imaplib

    assert isinstance(client, imaplib.IMAP4)
    validity = imap.folder_select(client, folder)
    state = dict(connection.state.get("folders", {}).get(folder, {}))
    if state.get("validity") != validity:  # new, or the server renumbered the folder
        state = {"validity": validity, "last_uid": 0}
    last = int(state["last_uid"])
    since = None if last else _start(connection).strftime("%d-%b-%Y")
    uids = imap.uids_after(client, last, since=since)
    total = len(uids)
    for start in range(0, total, imap.BATCH):
        chunk = uids[start : start + imap.BATCH]
        _record_batch(list(imap.headers_fetch(client, chunk)), connection, rules)
        state["last_uid"] = max(chunk)
        _save_folder_state(connection, folder, state)
        progress(folder[:40], start + len(chunk), total)
    _save_folder_state(connection, folder, state)


def _save_folder_state(connection: Connection, folder: str, state: dict[str, int]) -> None:
    folders = dict(connection.state.get("folders", {}))
    folders[folder] = state
    connection.state = {**connection.state, "folders": folders}
    Connection.objects.filter(pk=connection.pk).update(state=connection.state)


def _record_batch(messages: list[tuple[int, bytes]], connection: Connection, rules: Rules) -> None:
    now = timezone.now()
    found: list[Found] = []
    for _uid, raw in messages:
        try:
            meta = message_parse(raw, received_at=now, headers_only=True)
        except Skipped as skipped:
            rules.count(f"skipped:{skipped.reason}")
            continue
        except Exception:
            rules.count("skipped:unparsable")
            continue
        rules.count("read")
        addresses = tuple(a for a in meta.participants if rules.loggable(a))
        if not addresses:
            rules.count("no-relation")
            continue
        found.append(
            Found(
                key=meta.message_key,
                thread_key=meta.thread_key,
                kind=ContactKind.EMAIL,
                occurred_at=min(meta.occurred_at, now),
                summary=meta.subject,
                addresses=addresses,
            )
        )
    known = persons_by_address({a for f in found for a in f.addresses})
    with_relations = []
    for item in found:
        if any(a in known for a in item.addresses):
            with_relations.append(item)
        else:
            rules.count("no-relation")
    merged = threads_merge(with_relations)
    rules.batch_prepare({k for f in merged for k in f.keys}, {f.thread_key for f in merged})
    for item in merged:
        _record_one(item, connection, rules, known)
    rules.seen_hint = rules.threads_hint = None


def threads_merge(found: list[Found]) -> list[Found]:
    """The messages of one thread read in one batch as one Found (its first subject, its
    latest time, every address and message key), so a thread costs one write, not one per
    message; messages further apart than GILDE_AUTOLOG_THREAD_DAYS stay apart."""
    window = dt.timedelta(days=settings.GILDE_AUTOLOG_THREAD_DAYS)
    merged: list[Found] = []
    open_threads: dict[str, int] = {}
    for item in sorted(found, key=lambda f: f.occurred_at):
        index = open_threads.get(item.thread_key)
        if index is not None and item.occurred_at - merged[index].occurred_at <= window:
            head = merged[index]
            merged[index] = replace(
                head,
                occurred_at=item.occurred_at,
                more_keys=(*head.more_keys, item.key),
                addresses=tuple(dict.fromkeys((*head.addresses, *item.addresses))),
            )
            continue
        open_threads[item.thread_key] = len(merged)
        merged.append(item)
    return merged


def _record_one(
    item: Found, connection: Connection, rules: Rules, known: dict[str, Person]
) -> None:
    try:
        found_record(
            rules=rules, found=item, source=connection.source, connection=connection, known=known
        )
    except Exception as exc:  # one message the services refuse never stops the run
        rules.count(f"skipped:{type(exc).__name__}")


# ---- calendar -------------------------------------------------------------------------------


class _CalendarRefused(Exception):
    pass


def _sync_calendar(connection: Connection, secret: str, rules: Rules, progress: Progress) -> None:
    now = timezone.now()
    until_text = connection.state.get("until")
    last = dt.datetime.fromisoformat(until_text) if until_text else None
    if connection.kind == ConnectionKind.ICS:
        since = last - CALENDAR_OVERLAP if last else _start(connection)
        rules.count("fetched")
        meetings = meetings_parse(_ics_fetch(secret), since=since, until=now)
        state: dict[str, object] = {}
    else:
        meetings, state = _caldav_meetings(connection, secret, rules, last, now)
    progress("calendar", 0, len(meetings))
    found = [_meeting_found(m, rules) for m in meetings if not m.cancelled]
    usable = [f for f in found if f is not None]
    known = persons_by_address({a for f in usable for a in f.addresses})
    for item in usable:
        rules.count("read")
        if any(a in known for a in item.addresses):
            _record_one(item, connection, rules, known)
        else:
            rules.count("no-relation")
    # Saved only after every meeting was recorded: a run that fails halfway reads the same
    # changes again next time (the keys keep them single).
    connection.state = {**connection.state, **state, "until": now.isoformat()}
    Connection.objects.filter(pk=connection.pk).update(state=connection.state)


def _meeting_found(meeting: Meeting, rules: Rules) -> Found | None:
    addresses = tuple(a for a in meeting.participants if rules.loggable(a))
    if not addresses:
        rules.count("no-relation")
        return None
    return Found(
        key=meeting.key,
        thread_key=meeting.identity or meeting.key,
        kind=ContactKind.MEETING,
        occurred_at=meeting.start,
        summary=meeting.title,
        addresses=addresses,
    )


def _ics_fetch(url: str) -> bytes:
    if not url.startswith(("https://", "http://", "webcal://")):
        raise ValueError("not an http(s) address")
    url = "https://" + url[len("webcal://") :] if url.startswith("webcal://") else url
    request = urllib.request.Request(url, headers={"User-Agent": "Gilde"})  # noqa: S310
    try:
        with urllib.request.urlopen(  # noqa: S310 - the scheme is checked above
            request, timeout=settings.GILDE_AUTOLOG_TIMEOUT_SECONDS
        ) as response:
            data: bytes = response.read(50 * 1024 * 1024)
    except urllib.error.HTTPError as exc:
        if exc.code in {401, 403, 404, 410}:
            raise _CalendarRefused(f"HTTP {exc.code}") from exc
        raise
    return data


def _caldav_meetings(
    connection: Connection,
    secret: str,
    rules: Rules,
    last: dt.datetime | None,
    now: dt.datetime,
) -> tuple[list[Meeting], dict[str, object]]:
    """The meetings to record and the new sync tokens, per calendar of the account.

    With a sync token from the last run (RFC 6578 sync-collection) only two things are read:
    the meetings that ended since the last run (a time-range query: time passing is no change
    on the server) and the events that changed since the token (a meeting moved, an attendee
    added after it took place). Without one — the first run, a server without sync-collection
    — the time window is read, with a day's overlap. A token the server refuses (expired)
    reads the whole window from the start date once and takes a new token."""
    # A password is sent with the first request when the server took Basic sign-in before:
    # asking first costs a refused request every run, and servers slow refusals down on
    # purpose (Radicale by about a second). When the server no longer takes it, ask again.
    basic = connection.state.get("http_auth") == "basic"
    try:
        return _caldav_read(connection, secret, rules, last, now, basic=basic)
    except _CalendarRefused:
        if not basic:
            raise
        log.info("calendar %s: Basic sign-in refused, asking the server how", connection.pk)
        return _caldav_read(connection, secret, rules, last, now, basic=False)


def _caldav_read(
    connection: Connection,
    secret: str,
    rules: Rules,
    last: dt.datetime | None,
    now: dt.datetime,
    *,
    basic: bool,
) -> tuple[list[Meeting], dict[str, object]]:
    import caldav
    from caldav.lib import error as caldav_error

    headers = {}
    username: str | None = connection.username
    password: str | None = secret
    if connection.auth == AuthMethod.XOAUTH2:
        headers = {"Authorization": f"Bearer {secret}"}
        username = password = None
    dav_client = caldav.DAVClient
    client = dav_client(  # type: ignore[operator]
        url=connection.server,
        username=username,
        password=password,
        auth_type="basic" if basic and password is not None else None,
        headers=headers,
        timeout=settings.GILDE_AUTOLOG_TIMEOUT_SECONDS,
    )
    start = _start(connection)
    old_tokens = connection.state.get("sync_tokens", {})
    tokens: dict[str, str] = {}
    meetings: list[Meeting] = []
    try:
        for calendar in _calendars_of(client, connection.server):
            url = str(calendar.url)
            token = old_tokens.get(url) if last is not None else None
            since, changed, tokens[url] = _calendar_changes(calendar, token, start, last, rules)
            if changed:
                # Changed events that ended before the window: the window reads the others.
                for data in changed:
                    meetings += _parse_counted(data, rules, since=start, until=since)
            for event in calendar.search(start=since, end=now, event=True, expand=True):
                rules.count("fetched")
                meetings += _parse_counted(event.data, rules, since=since, until=now)
    except caldav_error.AuthorizationError as exc:
        raise _CalendarRefused("login refused") from exc
    seen: dict[str, Meeting] = {}
    for meeting in meetings:
        seen.setdefault(meeting.key, meeting)
    state: dict[str, object] = {"sync_tokens": {u: t for u, t in tokens.items() if t}}
    state["http_auth"] = "basic" if _signed_in_basic(client) else ""
    return list(seen.values()), state


def _signed_in_basic(client: Any) -> bool:
    """Whether the client got in with Basic sign-in (its HTTP library's HTTPBasicAuth)."""
    return type(getattr(client, "auth", None)).__name__ == "HTTPBasicAuth"


def _calendars_of(client: Any, address: str) -> list[Any]:
    """The calendar at the address the member gave; when it is the server's or the account's
    address rather than one calendar's, every calendar of the account."""
    calendars = list(client.principal().calendars())
    wanted = address.rstrip("/")
    chosen = [c for c in calendars if str(c.url).rstrip("/") == wanted]
    return chosen or calendars


def _calendar_changes(
    calendar: object, token: str | None, start: dt.datetime, last: dt.datetime | None, rules: Rules
) -> tuple[dt.datetime, list[str], str]:
    """(start of the time window to read, the data of the events changed since the token,
    the new token or "" when the server has none)."""
    from caldav.lib import error as caldav_error

    sync = getattr(calendar, "get_objects_by_sync_token", None)
    if token and sync is not None:
        try:
            changes = sync(sync_token=token, load_objects=True, disable_fallback=True)
        except caldav_error.DAVError as exc:
            if getattr(exc, "status", None) == 401:
                raise
            rules.count("sync-token-refused")  # expired or unknown: the whole window once
        else:
            deleted = set(getattr(changes, "deleted_urls", ()) or ())
            changed = []
            for item in changes:
                if item.url.canonical() in deleted or not item.data:
                    rules.count("deleted")
                    continue
                rules.count("fetched")
                changed.append(item.data)
            assert last is not None
            return last, changed, str(changes.sync_token or "")
        return start, [], _new_token(calendar)
    # No token: the first run, or a server without sync-collection.
    new = _new_token(calendar) if sync is not None else ""
    return (last - CALENDAR_OVERLAP if last else start), [], new


def _new_token(calendar: object) -> str:
    """A token for the calendar as it is now (hrefs and ETags only, no event data); "" when
    the server does not do sync-collection."""
    from caldav.lib import error as caldav_error

    try:
        listing = calendar.get_objects_by_sync_token(load_objects=False, disable_fallback=True)  # type: ignore[attr-defined]
    except caldav_error.DAVError as exc:
        if getattr(exc, "status", None) == 401:
            raise
        return ""
    return str(listing.sync_token or "")


def _parse_counted(
    data: str | bytes, rules: Rules, *, since: dt.datetime, until: dt.datetime
) -> list[Meeting]:
    try:
        return meetings_parse(data, since=since, until=until)
    except Exception:  # one event the parser refuses never stops the run
        rules.count("skipped:unparsable")
        return []
