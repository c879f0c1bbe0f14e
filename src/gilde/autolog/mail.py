"""Reading an e-mail message's metadata: who, when, what about, which thread, and whether it is
a message a person wrote at all (not a bounce, an auto-reply or Gilde's own mail coming back).

Plain Python on the standard library's e-mail package (policy.default): bytes in, a frozen
MessageMeta out, or a Skipped with the reason. No Django here, so the parsing is tested and
benchmarked on its own. The body is only read when asked for (the member chose to keep it)
and for a forwarded message's original participants; nothing else of it is looked at."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime

# The headers a mailbox sync fetches: nothing else of a message ever leaves the server.
METADATA_HEADERS = (
    "From",
    "Sender",
    "To",
    "Cc",
    "Date",
    "Subject",
    "Message-ID",
    "In-Reply-To",
    "References",
    "Auto-Submitted",
    "Precedence",
    "X-Autoreply",
    "X-Autorespond",
    "X-Auto-Response-Suppress",
    "List-Id",
    "Return-Path",
    "Content-Type",
    "X-Gilde-Loop",
)
LOOP_HEADER = "X-Gilde-Loop"
_REPLY_PREFIX = re.compile(
    r"^\s*((re|fw|fwd|aw|wg|antw|doorst|tr|sv|vs|rv)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE
)
_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# The header block of an inline forward, in the shapes Outlook, Gmail and Apple Mail write it
# (and their Dutch versions): "From: Name <a@b.nl>", "Van: …", "Aan: …", "CC: …".
_FORWARD_LINE = re.compile(
    r"^\s*[>*]*\s*(from|van|to|aan|cc|from\s*:\s*)\s*:\s*(?P<value>.+)$",
    re.IGNORECASE | re.MULTILINE,
)
_BOUNCE_SENDERS = ("mailer-daemon@", "postmaster@")
MAX_HEADER_CHARS = 20_000
MAX_ADDRESSES = 500


class Skipped(Exception):  # noqa: N818 - reads as "skipped: reason" at the caller
    """A message that is not turned into a contact moment, with the reason (a short code: no
    content of the message, as it goes into logs and the audit's counts)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class MessageMeta:
    """What Gilde keeps of a message: addresses lower-cased, the time in UTC."""

    message_key: str  # sha256 of the Message-ID (or of the headers when it has none)
    thread_key: str  # sha256 of the thread's first Message-ID
    sender: str
    recipients: tuple[str, ...]
    occurred_at: dt.datetime
    subject: str
    forwarded: tuple[str, ...] = ()
    body: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def participants(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for address in (self.sender, *self.recipients, *self.forwarded):
            seen.setdefault(address, None)
        return tuple(seen)


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def _ids(value: str) -> list[str]:
    return re.findall(r"<[^<>\s]+>", value or "")


Headers = dict[str, list[str]]


def _raw_headers(message: Message) -> Headers:
    """Every header as its raw text (unfolded), by lower-case name. Reading the raw values once
    instead of asking the message for each parsed header makes a mailbox of 10,000 messages
    several times faster; only the subject needs decoding (see _subject)."""
    headers: Headers = {}
    for name, value in message.raw_items():
        text = str(value)
        if len(text) > MAX_HEADER_CHARS:
            raise Skipped(f"header-too-long:{name.lower()}")
        headers.setdefault(name.lower(), []).append(_UNFOLD.sub(" ", text).strip())
    return headers


_UNFOLD = re.compile(r"\r?\n[ \t]*")


def _header(headers: Headers, name: str) -> str:
    values = headers.get(name.lower())
    return values[0] if values else ""


def _subject(message: Message, headers: Headers) -> str:
    """The subject with its encoded words decoded (policy.default does that); a subject the
    parser chokes on stays as it came."""
    if "subject" not in headers:
        return ""
    try:
        if isinstance(message, EmailMessage):
            return str(message.get("Subject") or "")
        return str(make_header(decode_header(_header(headers, "Subject"))))
    except Exception:
        return _header(headers, "Subject")


def _addresses(headers: Headers, *names: str) -> list[str]:
    values: list[str] = []
    for name in names:
        values.extend(headers.get(name.lower(), []))
    found: list[str] = []
    for _name, address in getaddresses(values):
        address = address.strip().lower()
        if "@" in address and _plausible(address):
            found.append(address)
    if len(found) > MAX_ADDRESSES:
        raise Skipped("too-many-addresses")
    return found


_ADDR_SPEC = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")


def _plausible(address: str) -> bool:
    """One plain address and nothing else: a line break, a quote or a second "@" in it is an
    injection attempt (or a broken header), never a relation's address."""
    return len(address) <= 254 and _ADDR_SPEC.fullmatch(address) is not None


def _when(headers: Headers, fallback: dt.datetime) -> dt.datetime:
    value = _header(headers, "Date")
    if not value:
        return fallback
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return fallback
    if moment is None:
        return fallback
    if moment.tzinfo is None:  # "-0000": the time is UTC, its zone unknown
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def clean_subject(subject: str) -> str:
    """The subject without Re:/Fwd:/Antw:/Doorst: and on one line, as the moment's summary."""
    one_line = " ".join(subject.split())
    return _REPLY_PREFIX.sub("", one_line).strip()[:300]


def automatic_reason(message: Headers) -> str | None:
    """Why the message was not written by a person for this conversation: a bounce, an
    auto-reply, a mailing list or bulk mail, or Gilde's own mail coming back; or None."""
    if _header(message, LOOP_HEADER):
        return "loop"
    sender = _header(message, "From").lower()
    return_path = _header(message, "Return-Path").strip()
    content_type = _header(message, "Content-Type").lower()
    if return_path == "<>" or any(s in sender for s in _BOUNCE_SENDERS):
        return "bounce"
    if "multipart/report" in content_type and "delivery-status" in content_type:
        return "bounce"
    auto = _header(message, "Auto-Submitted").strip().lower()
    if auto and auto != "no":
        return "auto-reply"
    if _header(message, "X-Autoreply") or _header(message, "X-Autorespond"):
        return "auto-reply"
    if _header(message, "X-Auto-Response-Suppress").strip().lower() in {"all", "oof"} and (
        "automatic reply" in _header(message, "Subject").lower()
        or "automatisch antwoord" in _header(message, "Subject").lower()
    ):
        return "auto-reply"
    if _header(message, "Precedence").strip().lower() in {"bulk", "junk", "list", "auto_reply"}:
        return "bulk"
    if _header(message, "List-Id"):
        return "bulk"
    return None


def _text_body(message: EmailMessage) -> str:
    try:
        part = message.get_body(preferencelist=("plain",))
        if part is None:
            return ""
        content = part.get_content()
    except Exception as exc:  # an unknown charset or broken transfer encoding
        raise Skipped("unreadable-body") from exc
    return content if isinstance(content, str) else ""


def _forwarded(message: EmailMessage, body: str) -> list[str]:
    """The participants of a forwarded message: from an attached original (message/rfc822) or
    from the header block an inline forward quotes."""
    found: list[str] = []
    for part in message.walk():
        if part.get_content_type() == "message/rfc822":
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else None
            if isinstance(inner, Message):
                found += _addresses(_raw_headers(inner), "From", "To", "Cc")
    for line in _FORWARD_LINE.finditer(body[:20_000]):
        found += [a.lower() for a in _ADDRESS.findall(line.group("value"))]
    return [a for a in found if _plausible(a)]


def message_parse(
    raw: bytes,
    *,
    received_at: dt.datetime,
    max_bytes: int | None = None,
    with_body: bool = False,
    headers_only: bool = False,
) -> MessageMeta:
    """The metadata of one RFC 5322 message, or Skipped with the reason. With headers_only
    (a mailbox sync, which fetched only the metadata headers) no body is looked at."""
    if max_bytes is not None and len(raw) > max_bytes:
        raise Skipped("too-large")
    # A mailbox sync parses only the metadata headers of thousands of messages: with compat32
    # the parser leaves them as text (policy.default builds a structured object of every header
    # it touches, Content-Type included, three times the work) and the subject is decoded on
    # its own. A whole message sent to Gilde is parsed with policy.default.
    chosen = policy.compat32 if headers_only else policy.default
    try:
        message = BytesParser(policy=chosen).parsebytes(raw, headersonly=headers_only)
    except Exception as exc:
        raise Skipped("unparsable") from exc
    if not message.keys():
        raise Skipped("no-headers")
    headers = _raw_headers(message)
    reason = automatic_reason(headers)
    if reason:
        raise Skipped(reason)
    senders = _addresses(headers, "From")
    if len(senders) != 1:
        raise Skipped("no-sender" if not senders else "several-senders")
    recipients = _addresses(headers, "To", "Cc")
    subject = _subject(message, headers)
    message_id = (_ids(_header(headers, "Message-ID")) or [""])[0]
    if not message_id:  # no Message-ID: the same headers delivered twice are the same message
        message_id = _header(headers, "Date") + senders[0] + _header(headers, "Subject")
    references = _ids(_header(headers, "References")) or _ids(_header(headers, "In-Reply-To"))
    thread_root = references[0] if references else message_id
    body, forwarded = "", []
    if not headers_only:
        assert isinstance(message, EmailMessage)  # policy.default makes EmailMessages
        body = _text_body(message)
        forwarded = _forwarded(message, body)
    return MessageMeta(
        message_key=_hash(message_id),
        thread_key=_hash(thread_root),
        sender=senders[0],
        recipients=tuple(recipients),
        occurred_at=_when(headers, received_at),
        subject=clean_subject(subject),
        forwarded=tuple(forwarded),
        body=body.strip() if with_body else "",
    )
