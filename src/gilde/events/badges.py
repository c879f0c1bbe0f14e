"""Print-ready PDFs for the door: name badges (eight to an A4 sheet, 90 × 55 mm, with the
guest's check-in QR code) and the guest list (name, organisation, host, answer, a box to tick
and the QR code), drawn with ReportLab."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from gilde.core.datestyle import moment_text
from gilde.events.checkin import checkin_code
from gilde.events.models import Event, Guest

BADGE_W, BADGE_H = 90 * mm, 55 * mm
COLUMNS, ROWS = 2, 4


def _qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(data, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def _organisation(guest: Guest) -> str:
    if guest.person is None:
        return guest.member.department if guest.member else ""
    affiliations = list(guest.person.affiliations.all())  # prefetched with their organisation
    current = [a for a in affiliations if a.is_current] or affiliations
    return current[0].organisation.name if current else ""


def _name(guest: Guest) -> str:
    return guest.person.full_name if guest.person else str(guest.member)


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float) -> float:
    while size > 7 and canvas.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def badges_pdf(event: Event, guests: Iterable[Guest]) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(_("Name badges: %(event)s") % {"event": event.title})
    page_w, page_h = A4
    margin_x = (page_w - COLUMNS * BADGE_W) / 2
    margin_y = (page_h - ROWS * BADGE_H) / 2
    for index, guest in enumerate(guests):
        if index and index % (COLUMNS * ROWS) == 0:
            canvas.showPage()
        slot = index % (COLUMNS * ROWS)
        x = margin_x + (slot % COLUMNS) * BADGE_W
        y = page_h - margin_y - (slot // COLUMNS + 1) * BADGE_H
        canvas.setStrokeGray(0.8)
        canvas.rect(x, y, BADGE_W, BADGE_H)
        text_w = BADGE_W - 30 * mm
        name = _name(guest)
        size = _fit(canvas, name, "Helvetica-Bold", 16, text_w)
        canvas.setFont("Helvetica-Bold", size)
        canvas.drawString(x + 6 * mm, y + BADGE_H - 16 * mm, name)
        organisation = _organisation(guest)
        canvas.setFont("Helvetica", _fit(canvas, organisation, "Helvetica", 10, text_w))
        canvas.drawString(x + 6 * mm, y + BADGE_H - 23 * mm, organisation)
        canvas.setFont("Helvetica", 7)
        canvas.setFillGray(0.4)
        canvas.drawString(x + 6 * mm, y + 6 * mm, event.title[:60])
        canvas.setFillGray(0)
        _qr(canvas, checkin_code(guest), x + BADGE_W - 26 * mm, y + 4 * mm, 22 * mm)
    canvas.save()
    return buffer.getvalue()


def guest_list_pdf(event: Event, guests: Iterable[Guest]) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(_("Guest list: %(event)s") % {"event": event.title})
    page_w, page_h = A4
    row_h, top = 16 * mm, page_h - 20 * mm
    when = moment_text(event.starts_at)

    def header() -> float:
        canvas.setFont("Helvetica-Bold", 14)
        canvas.drawString(15 * mm, top, event.title[:80])
        canvas.setFont("Helvetica", 9)
        canvas.drawString(15 * mm, top - 6 * mm, f"{when} · {event.venue}"[:120])
        canvas.setFont("Helvetica-Bold", 9)
        y = top - 14 * mm
        for label, x in (
            (_("Arrived"), 15),
            (_("Name"), 30),
            (_("Organisation"), 95),
            (_("Host"), 145),
        ):
            canvas.drawString(x * mm, y, label)
        return y - 4 * mm

    y = header()
    for guest in guests:
        if y - row_h < 15 * mm:
            canvas.showPage()
            y = header()
        y -= row_h
        canvas.rect(16 * mm, y + 5 * mm, 5 * mm, 5 * mm)
        canvas.setFont("Helvetica", 10)
        canvas.drawString(30 * mm, y + 6 * mm, _name(guest)[:38])
        canvas.setFont("Helvetica", 8)
        if guest.companion_name:
            canvas.drawString(30 * mm, y + 2 * mm, ("+ " + guest.companion_name)[:45])
        canvas.drawString(95 * mm, y + 6 * mm, _organisation(guest)[:32])
        canvas.drawString(145 * mm, y + 6 * mm, (str(guest.host) if guest.host else "")[:22])
        _qr(canvas, checkin_code(guest), page_w - 30 * mm, y + 1 * mm, 14 * mm)
    canvas.save()
    return buffer.getvalue()
