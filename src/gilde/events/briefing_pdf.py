"""The host briefing as a PDF to print or read on the way (ReportLab, like the badges)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from gilde.events.briefing import Briefing, GuestProfile
from gilde.events.hosts import Introduction
from gilde.events.models import MeetingGoal


def _day(value: object) -> str:
    return formats.date_format(timezone.localtime(value), "DATE_FORMAT")  # type: ignore[arg-type]


def _goal_line(goal: MeetingGoal) -> str:
    line = f"{goal} ({goal.get_priority_display()})"
    if goal.reason:
        line += f": {goal.reason}"
    return escape(line)


def _introduction_line(intro: Introduction) -> str:
    line = f"{intro.label} ({intro.priority_label})"
    if intro.reason:
        line += f": {intro.reason}"
    return escape(line)


def _profile(profile: GuestProfile) -> list[str]:
    lines = []
    work = ", ".join(part for part in (profile.job, profile.organisation) if part)
    heading = escape(profile.person.full_name)
    if work:
        heading += f" · {escape(work)}"
    if profile.tier:
        heading += f" · {escape(profile.tier)}"
    lines.append(f"<b>{heading}</b>")
    if profile.last_contact:
        moment = profile.last_contact
        lines.append(
            escape(_("Last contact: %(day)s, %(summary)s")
                   % {"day": _day(moment.occurred_at), "summary": moment.summary})
        )  # fmt: skip
    else:
        lines.append(escape(_("No contact recorded yet.")))
    for item in profile.follow_ups:
        lines.append(escape(_("Open follow-up: %(title)s") % {"title": item.title}))
    balance = profile.goodwill
    if balance.given_count or balance.received_count:
        lines.append(
            escape(_("Goodwill: %(given)d given, %(received)d received")
                   % {"given": balance.given_count, "received": balance.received_count})
        )  # fmt: skip
    if profile.passions:
        lines.append(escape(_("Passions: %(list)s") % {"list": ", ".join(profile.passions)}))
    if profile.guest.wish_to_meet:
        lines.append(
            escape(_("Would like to meet: %(wish)s") % {"wish": profile.guest.wish_to_meet})
        )
    return lines


def briefing_pdf(brief: Briefing) -> bytes:
    buffer = io.BytesIO()
    title = _("Host briefing: %(event)s") % {"event": brief.event.title}
    document = SimpleDocTemplate(buffer, pagesize=A4, title=title, leftMargin=18 * mm,
                                 rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm)  # fmt: skip
    styles = getSampleStyleSheet()
    story: list[object] = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(
            escape(
                f"{brief.host.name} · {_day(brief.event.starts_at)}"
                f"{' · ' + brief.event.venue if brief.event.venue else ''}"
            ),
            styles["Normal"],
        ),  # fmt: skip
        Spacer(1, 6 * mm),
    ]

    def section(heading: str, lines: list[str]) -> None:
        story.append(Paragraph(escape(heading), styles["Heading2"]))
        for line in lines or [escape(_("Nothing."))]:
            story.append(Paragraph(line, styles["Normal"]))
        story.append(Spacer(1, 3 * mm))

    story.append(Paragraph(escape(_("Your guests")), styles["Heading2"]))
    if not brief.profiles:
        story.append(Paragraph(escape(_("No guests assigned to you.")), styles["Normal"]))
    for profile in brief.profiles:
        for line in _profile(profile):
            story.append(Paragraph(line, styles["Normal"]))
        story.append(Spacer(1, 3 * mm))
    section(_("Meeting goals"), [_goal_line(g) for g in brief.goals])
    section(_("Whom to introduce to whom"), [_introduction_line(i) for i in brief.introductions])
    section(_("Do not bring up"), [escape(text) for text in brief.conflicts])
    document.build(story)
    return buffer.getvalue()
