"""LMTP delivery (RFC 2033): `gilde mail-in --lmtp HOST:PORT` listens for the mail server
(Postfix's lmtp: transport, Dovecot's or Exim's LMTP delivery) and hands every delivered
message to the same code as the pipe (mailin.mail_in_receive).

The answer is per recipient, as LMTP asks: 250 for a logged message and for one dropped with
a reason (unknown sender, bounce, auto-reply, loop: the mail server must neither retry nor
bounce it), 451 when the database is unavailable (the mail server delivers again later, the
Message-ID keeps the message single), 552 for a message above GILDE_MAIL_IN_MAX_BYTES. The
database work runs on one worker thread, one message at a time."""

from __future__ import annotations

import asyncio
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from django.conf import settings
from django.db import DatabaseError, close_old_connections

from .mailin import mail_in_receive

log = logging.getLogger("gilde.autolog")

LOGGED = {"logged", "to-review", "already-seen"}
# aiosmtpd answers a message over the size limit (or with a line over 998 characters) once;
# LMTP wants one answer for every accepted recipient.
_ONCE_PER_MESSAGE = (b"552 ", b"500 Line too long")


def address_parse(value: str) -> tuple[str, int]:
    """HOST:PORT, [IPv6]:PORT or :PORT (localhost); raises ValueError with the reason."""
    match = re.fullmatch(r"(?:\[(?P<v6>[0-9a-fA-F:.]+)\]|(?P<host>[^:\[\]]*)):(?P<port>\d+)", value)
    if not match:
        raise ValueError("expected HOST:PORT, for example 127.0.0.1:2424")
    port = int(match.group("port"))
    if not 0 < port < 65536:
        raise ValueError("the port must be between 1 and 65535")
    return match.group("v6") or match.group("host") or "127.0.0.1", port


def replies_for(raw: bytes, recipients: list[str]) -> list[str]:
    """Handle one delivered message; one reply line per recipient. Runs on the worker thread."""
    close_old_connections()
    try:
        outcome = mail_in_receive(raw)
    except DatabaseError as exc:
        log.warning("Mail-in (LMTP): database unavailable (%s)", type(exc).__name__)
        reply = "451 4.3.0 Gilde's database is unavailable, try again later"
    except Exception:  # a 500 of our own: the mail server keeps the message and retries
        log.exception("Mail-in (LMTP): message not handled")
        reply = "451 4.3.0 Gilde could not handle the message, try again later"
    else:
        if outcome.result == "too-big":
            reply = "552 5.3.4 Message too big for Gilde"
        elif outcome.result in LOGGED:
            reply = f"250 2.0.0 {outcome.result}"
        else:
            reply = f"250 2.0.0 dropped ({outcome.result})"
    finally:
        close_old_connections()
    return [f"{reply} <{recipient}>" for recipient in recipients]


class MailInHandler:
    def __init__(self) -> None:
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gilde-lmtp")

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        raw = bytes(envelope.original_content or b"")
        loop = asyncio.get_running_loop()
        replies = await loop.run_in_executor(
            self.executor, replies_for, raw, list(envelope.rcpt_tos)
        )
        return "\r\n".join(replies)


class _LMTP(LMTP):
    async def push(self, status: Any) -> None:
        data = status.encode() if isinstance(status, str) else bytes(status)
        recipients = len(self.envelope.rcpt_tos) if self.envelope is not None else 0
        if recipients > 1 and data.startswith(_ONCE_PER_MESSAGE):
            for _ in range(recipients - 1):
                await super().push(data)
        await super().push(data)


class LmtpController(Controller):
    """The LMTP server on its own thread: start(), stop()."""

    def __init__(self, host: str, port: int) -> None:
        self.mail_handler = MailInHandler()
        super().__init__(
            self.mail_handler,
            hostname=host,
            port=port,
            server_hostname="gilde",
            data_size_limit=settings.GILDE_MAIL_IN_MAX_BYTES,
            enable_SMTPUTF8=True,
            decode_data=False,
            ident="Gilde mail-in",
        )

    def factory(self) -> LMTP:
        return _LMTP(self.handler, **self.SMTP_kwargs)

    def stop(self, no_assert: bool = False) -> None:
        super().stop(no_assert=no_assert)
        self.mail_handler.executor.shutdown(wait=True)
