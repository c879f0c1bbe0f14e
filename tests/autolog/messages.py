"""Real MIME messages in the shapes Outlook, Gmail and Apple Mail write, built with the standard
library's e-mail package, for the mail-in and mailbox tests and the benchmark."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid


def outlook(
    *,
    sender: str,
    to: list[str],
    cc: list[str] = (),
    subject: str = "Overleg",
    when: dt.datetime,
    body: str = "Beste Anna,\n\nDank voor het gesprek.\n",
    message_id: str | None = None,
    reply_to: str | None = None,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"Jeroen Collega <{sender}>"
    message["To"] = ", ".join(to)
    if cc:
        message["CC"] = ", ".join(cc)
    message["Subject"] = subject
    message["Date"] = format_datetime(when)
    message["Message-ID"] = message_id or make_msgid(domain="EXCH01.gemeente.example.nl")
    message["Thread-Topic"] = subject
    message["Thread-Index"] = "AdrK3h5pQ2xFzV0gSu2Wbq6Y3q0nQw=="
    message["X-MS-Has-Attach"] = ""
    message["X-MS-TNEF-Correlator"] = ""
    message["Content-Language"] = "nl-NL"
    if reply_to:
        message["In-Reply-To"] = reply_to
        message["References"] = reply_to
    message.set_content(body)
    message.add_alternative(f"<html><body><p>{body}</p></body></html>", subtype="html")
    return message


def gmail(
    *,
    sender: str,
    to: list[str],
    cc: list[str] = (),
    subject: str = "Lunch",
    when: dt.datetime,
    body: str = "Hoi,\n\nTot donderdag!\n",
    references: list[str] = (),
) -> EmailMessage:
    message = EmailMessage()
    message["MIME-Version"] = "1.0"
    message["Date"] = format_datetime(when)
    message["Message-ID"] = make_msgid(domain="mail.gmail.com")
    if references:
        message["References"] = " ".join(references)
        message["In-Reply-To"] = references[-1]
    message["Subject"] = subject
    message["From"] = f'"Jeroen" <{sender}>'
    message["To"] = ", ".join(to)
    if cc:
        message["Cc"] = ", ".join(cc)
    message.set_content(body)
    message.add_alternative(f'<div dir="ltr">{body}</div>', subtype="html")
    return message


def apple_mail(
    *,
    sender: str,
    to: list[str],
    subject: str = "Fwd: Voorstel",
    when: dt.datetime,
    forwarded_from: str = "",
    body: str = "Ter info.\n",
) -> EmailMessage:
    message = EmailMessage()
    message["Content-Type"] = "text/plain"
    message["Mime-Version"] = "1.0 (Mac OS X Mail 16.0 \\(3774.600.62\\))"
    message["Subject"] = subject
    message["From"] = f"Jeroen <{sender}>"
    message["To"] = ", ".join(to)
    message["Date"] = format_datetime(when)
    message["Message-Id"] = make_msgid(domain="mac.example.nl")
    message["X-Mailer"] = "Apple Mail (2.3774.600.62)"
    text = body
    if forwarded_from:
        text += (
            "\n\n> Begin forwarded message:\n>\n"
            f"> From: Anna de Vries <{forwarded_from}>\n"
            "> Subject: Voorstel\n> Date: 1 December 2026 at 10:00:00 CET\n"
            f"> To: Jeroen <{sender}>\n>\n> Hierbij ons voorstel.\n"
        )
    message.set_content(text)
    return message
