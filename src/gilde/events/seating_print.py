"""Print-ready PDFs of a seating plan, drawn with ReportLab: the table plan (every table with its
guests, per round), place cards (folded A6 tent cards, two to an A4 sheet), a table list per host
(where each of their guests sits) and the door list (every guest with their table numbers)."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Callable

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from gilde.events.models import Event, SeatingPlan
from gilde.events.pairvalues import SeatingInstance

PAGE_W, PAGE_H = A4


def _rounds(inst: SeatingInstance, plan: SeatingPlan) -> list[dict[str, list[str]]]:
    """Per round, table id → guest ids the reader may see, tables in their order."""
    out = []
    for rnd in plan.seats:
        out.append(
            {
                tid: [g for g in rnd["tables"].get(tid, []) if g in inst.guests]
                for tid in inst.tables
            }
        )
    return out


def _table_of(rounds: list[dict[str, list[str]]]) -> dict[str, list[str]]:
    """Guest id → table id per round."""
    found: dict[str, list[str]] = defaultdict(list)
    for rnd in rounds:
        for tid, gids in rnd.items():
            for gid in gids:
                found[gid].append(tid)
    return found


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float) -> float:
    while size > 7 and canvas.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _document(title: str, draw: Callable[[Canvas], None]) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(title)
    draw(canvas)
    canvas.save()
    return buffer.getvalue()


def _heading(canvas: Canvas, event: Event, title: str) -> float:
    when = formats.date_format(timezone.localtime(event.starts_at), "DATETIME_FORMAT")
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(15 * mm, PAGE_H - 20 * mm, f"{title} · {event.title}"[:90])
    canvas.setFont("Helvetica", 9)
    canvas.drawString(15 * mm, PAGE_H - 26 * mm, f"{when} · {event.venue}"[:120])
    return PAGE_H - 36 * mm


def table_plan_pdf(event: Event, inst: SeatingInstance, plan: SeatingPlan) -> bytes:
    """Every table with its guests, hosts marked, one section per round, two columns."""

    def draw(canvas: Canvas) -> None:
        for r, rnd in enumerate(_rounds(inst, plan)):
            title = _("Table plan")
            if len(plan.seats) > 1:
                title += " · " + _("round %(n)d") % {"n": r + 1}
            top = _heading(canvas, event, title)
            column, y = 0, top
            for tid, gids in rnd.items():
                need = (len(gids) + 2) * 5 * mm
                if y - need < 15 * mm:
                    column, y = column + 1, top
                    if column == 2:
                        canvas.showPage()
                        top = _heading(canvas, event, title)
                        column, y = 0, top
                x = (15 + column * 95) * mm
                canvas.setFont("Helvetica-Bold", 10)
                canvas.drawString(x, y, inst.tables[tid].label[:40])
                y -= 5 * mm
                for gid in gids:
                    guest = inst.guests[gid]
                    canvas.setFont("Helvetica-Bold" if guest.host else "Helvetica", 9)
                    line = guest.name + (f" ({_('host')})" if guest.host else "")
                    canvas.drawString(x + 3 * mm, y, line[:48])
                    y -= 5 * mm
                y -= 4 * mm
            canvas.showPage()

    return _document(_("Table plan: %(event)s") % {"event": event.title}, draw)


def place_cards_pdf(event: Event, inst: SeatingInstance, plan: SeatingPlan) -> bytes:
    """Tent cards: fold along the middle; the name on both sides, the table on the front."""
    where = _table_of(_rounds(inst, plan))
    card_h = PAGE_H / 2

    def draw(canvas: Canvas) -> None:
        for index, (gid, guest) in enumerate(
            sorted(inst.guests.items(), key=lambda kv: kv[1].name)
        ):
            if index and index % 2 == 0:
                canvas.showPage()
            bottom = card_h * (1 - index % 2)
            canvas.setStrokeGray(0.8)
            canvas.setDash(2, 3)
            canvas.line(10 * mm, bottom + card_h / 2, PAGE_W - 10 * mm, bottom + card_h / 2)
            canvas.setDash()
            size = _fit(canvas, guest.name, "Helvetica-Bold", 30, PAGE_W - 30 * mm)
            canvas.setFont("Helvetica-Bold", size)
            canvas.drawCentredString(PAGE_W / 2, bottom + card_h / 4, guest.name)
            canvas.setFont("Helvetica", 12)
            tables = ", ".join(inst.tables[t].label for t in where.get(gid, []))
            canvas.drawCentredString(
                PAGE_W / 2, bottom + card_h / 4 - 12 * mm, guest.organisation[:60]
            )
            canvas.drawCentredString(PAGE_W / 2, bottom + card_h / 4 - 20 * mm, tables[:80])
            # The back, upside down, so the name reads from both sides of the folded card.
            canvas.saveState()
            canvas.translate(PAGE_W / 2, bottom + 3 * card_h / 4)
            canvas.rotate(180)
            canvas.setFont("Helvetica-Bold", size)
            canvas.drawCentredString(0, 0, guest.name)
            canvas.restoreState()

    return _document(_("Place cards: %(event)s") % {"event": event.title}, draw)


def host_lists_pdf(event: Event, inst: SeatingInstance, plan: SeatingPlan) -> bytes:
    """Per host, a page with their guests and the table each sits at in every round."""
    where = _table_of(_rounds(inst, plan))
    by_host: dict[str, list[str]] = defaultdict(list)
    for gid, guest in inst.guests.items():
        if guest.host_name:
            by_host[guest.host_name].append(gid)

    def draw(canvas: Canvas) -> None:
        for host in sorted(by_host) or [""]:
            y = _heading(canvas, event, _("Guests of %(host)s") % {"host": host or "—"})
            for gid in sorted(by_host.get(host, []), key=lambda g: inst.guests[g].name):
                if y < 20 * mm:
                    canvas.showPage()
                    y = _heading(canvas, event, host)
                guest = inst.guests[gid]
                canvas.setFont("Helvetica-Bold", 10)
                canvas.drawString(15 * mm, y, guest.name[:45])
                canvas.setFont("Helvetica", 9)
                canvas.drawString(100 * mm, y, guest.organisation[:30])
                tables = ", ".join(inst.tables[t].label for t in where.get(gid, []))
                canvas.drawString(150 * mm, y, tables[:30])
                y -= 7 * mm
            canvas.showPage()

    return _document(_("Table lists per host: %(event)s") % {"event": event.title}, draw)


def door_list_pdf(event: Event, inst: SeatingInstance, plan: SeatingPlan) -> bytes:
    """Every guest by name with their table numbers, for the door."""
    where = _table_of(_rounds(inst, plan))
    numbers = {tid: str(t.number) for tid, t in inst.tables.items()}

    def draw(canvas: Canvas) -> None:
        y = _heading(canvas, event, _("Door list"))
        for gid, guest in sorted(inst.guests.items(), key=lambda kv: kv[1].name):
            if y < 15 * mm:
                canvas.showPage()
                y = _heading(canvas, event, _("Door list"))
            canvas.setFont("Helvetica", 10)
            canvas.drawString(15 * mm, y, guest.name[:45])
            canvas.setFont("Helvetica", 8)
            canvas.drawString(100 * mm, y, guest.organisation[:35])
            canvas.setFont("Helvetica-Bold", 12)
            tables = " / ".join(numbers[t] for t in where.get(gid, []))
            canvas.drawRightString(PAGE_W - 15 * mm, y, tables or "—")
            y -= 6.5 * mm
        canvas.showPage()

    return _document(_("Door list: %(event)s") % {"event": event.title}, draw)
