"""Talking IMAP (imaplib from the standard library): open a mailbox by URL with a password or an
OAuth2 access token (XOAUTH2, as Microsoft 365 and Google Workspace ask), list its folders and
fetch only the metadata headers of messages by UID. No Django here."""

from __future__ import annotations

import contextlib
import imaplib
import re
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from .mail import METADATA_HEADERS

BATCH = 500
_FETCH_UID = re.compile(rb"UID (\d+)")


class LoginRefused(Exception):  # noqa: N818
    """The server refused the password or token (wrong, changed or revoked)."""


@dataclass(frozen=True)
class Server:
    secure: bool
    host: str
    port: int
    folder: str = ""


def server_parse(value: str) -> Server:
    """imaps://host[:993][/folder] or imap://host[:143][/folder]; a bare host means imaps."""
    if "://" not in value:
        value = "imaps://" + value
    parts = urlsplit(value)
    if parts.scheme not in {"imap", "imaps"} or not parts.hostname:
        raise ValueError("not an imap:// or imaps:// address")
    secure = parts.scheme == "imaps"
    return Server(
        secure=secure,
        host=parts.hostname,
        port=parts.port or (993 if secure else 143),
        folder=unquote(parts.path.lstrip("/")),
    )


def credentials_from_url(value: str) -> tuple[str, str]:
    parts = urlsplit(value)
    return unquote(parts.username or ""), unquote(parts.password or "")


def imap_open(
    server: Server, *, username: str, secret: str, xoauth2: bool = False, timeout: float = 30
) -> imaplib.IMAP4:
    """A logged-in connection. Plain imap:// upgrades with STARTTLS when the server offers it."""
    client: imaplib.IMAP4
    if server.secure:
        client = imaplib.IMAP4_SSL(
            server.host, server.port, timeout=timeout, ssl_context=ssl.create_default_context()
        )
    else:
        client = imaplib.IMAP4(server.host, server.port, timeout=timeout)
        if "STARTTLS" in client.capabilities:
            try:
                client.starttls(ssl.create_default_context())
            except Exception:  # a certificate refused: the socket is open, close it
                _close(client)
                raise
    try:
        if xoauth2:
            token = f"user={username}\x01auth=Bearer {secret}\x01\x01".encode()
            client.authenticate("XOAUTH2", lambda _challenge: token)
        else:
            client.login(username, secret)
    except imaplib.IMAP4.error as exc:
        _close(client)
        raise LoginRefused(str(exc)[:200]) from exc
    return client


def _close(client: imaplib.IMAP4) -> None:
    with contextlib.suppress(Exception):  # a connection that is already gone
        client.logout()


def imap_close(client: imaplib.IMAP4) -> None:
    _close(client)


def sent_folders(client: imaplib.IMAP4) -> list[str]:
    """Folders marked as sent mail (RFC 6154 \\Sent), or one named like it."""
    status, lines = client.list()
    if status != "OK":
        return []
    found, named = [], []
    for line in lines:
        if not isinstance(line, bytes):
            continue
        match = re.match(rb'\((?P<flags>[^)]*)\) (?P<sep>"[^"]*"|NIL) (?P<name>.+)$', line)
        if not match:
            continue
        name = match.group("name").decode("utf-8", "replace").strip().strip('"')
        if b"\\Sent" in match.group("flags"):
            found.append(name)
        elif name.rsplit("/", 1)[-1].rsplit(".", 1)[-1].lower() in {
            "sent",
            "sent items",
            "sent messages",
            "verzonden items",
            "verzonden",
        }:
            named.append(name)
    return found or named[:1]


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def folder_select(client: imaplib.IMAP4, folder: str, *, readonly: bool = True) -> int:
    """Select the folder (read-only unless told); returns its UIDVALIDITY."""
    status, _data = client.select(_quote(folder), readonly=readonly)
    if status != "OK":
        raise imaplib.IMAP4.error(f"cannot select folder ({status})")
    _status, data = client.response("UIDVALIDITY")
    value = data[0] if data and data[0] else b"0"
    return int(value)


def uids_after(client: imaplib.IMAP4, last_uid: int, *, since: str | None = None) -> list[int]:
    """UIDs above last_uid (and, on a first run, of messages since the date "04-Dec-2026")."""
    criteria = f"UID {last_uid + 1}:*"
    if since:
        criteria += f" SINCE {since}"
    status, data = client.uid("SEARCH", criteria)
    if status != "OK" or not data or not data[0]:
        return []
    # "UID n:*" always matches the last message, even when its UID is below n.
    return sorted(u for u in map(int, data[0].split()) if u > last_uid)


def headers_fetch(client: imaplib.IMAP4, uids: list[int]) -> Iterator[tuple[int, bytes]]:
    """(uid, metadata headers) per message, in batches; the body is never fetched."""
    fields = " ".join(METADATA_HEADERS).upper()
    for start in range(0, len(uids), BATCH):
        chunk = uids[start : start + BATCH]
        status, data = client.uid(
            "FETCH", ",".join(map(str, chunk)), f"(UID BODY.PEEK[HEADER.FIELDS ({fields})])"
        )
        if status != "OK":
            raise imaplib.IMAP4.error("fetch refused")
        for item in data:
            if isinstance(item, tuple) and len(item) >= 2:
                match = _FETCH_UID.search(item[0])
                if match and isinstance(item[1], bytes):
                    yield int(match.group(1)), item[1]


def messages_fetch(client: imaplib.IMAP4, uids: list[int]) -> Iterator[tuple[int, bytes]]:
    """(uid, whole message) per message: for Gilde's own mail-in mailbox only."""
    for uid in uids:
        status, data = client.uid("FETCH", str(uid), "(UID BODY.PEEK[])")
        if status != "OK":
            continue
        for item in data:
            if isinstance(item, tuple) and len(item) >= 2 and isinstance(item[1], bytes):
                yield uid, item[1]


def mark_seen(client: imaplib.IMAP4, uids: list[int]) -> None:
    if uids:
        client.uid("STORE", ",".join(map(str, uids)), "+FLAGS", "(\\Seen)")
