"""Pages of invitations, the public RSVP page, check-in at the door and the printables."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gilde import visibility
from gilde.core.jobs import Job
from gilde.core.ratelimit import over_limit
from gilde.core.web import current_member, member_required
from gilde.events import badges, checkin, invitations, rsvp
from gilde.events import mail as mails
from gilde.events.models import (
    Event,
    EventMail,
    EventMailStatus,
    Guest,
    GuestStatus,
    InvitationTemplate,
)
from gilde.permissions import can_manage_event
from gilde.privacy.models import LawfulBasis


def _event(request: HttpRequest, pk: int, *, manage: bool = True) -> Event:
    event = visibility.events(request.user).filter(pk=pk).first()
    if event is None:
        raise Http404
    if manage:
        _require_manager(request, event)
    return event


def _require_manager(request: HttpRequest, event: Event) -> None:
    if not can_manage_event(current_member(request), event):
        raise PermissionDenied(_("Only the event's organisers and network managers may do this."))


def _event_guest(request: HttpRequest, pk: int, guest_pk: int) -> tuple[Event, Guest]:
    """The event and a guest on it; a guest hidden from the user does not exist for them
    (404 before any question of permission)."""
    event = _event(request, pk, manage=False)
    guest = _guest(request, event, guest_pk)
    _require_manager(request, event)
    return event, guest


def _guest(request: HttpRequest, event: Event, guest_pk: int) -> Guest:
    guest = (
        visibility.guests(request.user)
        .filter(event=event, pk=guest_pk)
        .select_related("event", "person", "member__user", "checked_in_by__user")
        .first()
    )
    if guest is None:
        raise Http404
    return guest


# ---- invitations ----------------------------------------------------------------------------


def _mail_counts(event: Event) -> dict[str, int]:
    rows = (
        EventMail.objects.filter(guest__event=event)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return dict(rows)


def _progress_context(request: HttpRequest, event: Event, *, oob: bool = True) -> dict[str, Any]:
    """The progress block; as an answer to htmx (oob), also the send block and the guest table
    that the sending changes, swapped in beside it."""
    counts = _mail_counts(event)
    waiting = counts.get(EventMailStatus.QUEUED, 0) + counts.get(EventMailStatus.SENDING, 0)
    job = (
        Job.objects.filter(kind=invitations.MAIL_JOB, params__event=event.pk)
        .order_by("-id")
        .first()
    )
    total = sum(counts.values())
    return {
        "event": event,
        "mail_counts": counts,
        "mail_total": total,
        "mail_done": total - waiting,
        "mail_waiting": waiting,
        "mail_sent": counts.get(EventMailStatus.SENT, 0),
        "mail_bounced": counts.get(EventMailStatus.BOUNCED, 0),
        "mail_failed": counts.get(EventMailStatus.FAILED, 0),
        "mail_uncertain": counts.get(EventMailStatus.UNCERTAIN, 0),
        "job": job,
        "rsvp_counts": rsvp.rsvp_counts(event),
        "oob": oob,
        "guests": _guest_rows(request, event),
        "proposed": visibility.guests(request.user)
        .filter(event=event, status=GuestStatus.PROPOSED, person__isnull=False)
        .count(),
    }


def _template_initial(event: Event) -> dict[str, str]:
    stored = InvitationTemplate.objects.filter(event=event).first()
    initial = {}
    for language in mails.MAIL_LANGUAGES:
        subject, body = mails.DEFAULT_TEXTS[language]
        initial[f"subject_{language}"] = (
            getattr(stored, f"subject_{language}", "") if stored else ""
        ) or subject
        initial[f"body_{language}"] = (
            getattr(stored, f"body_{language}", "") if stored else ""
        ) or body
    return initial


def _guest_rows(request: HttpRequest, event: Event) -> list[Guest]:
    return list(
        visibility.guests(request.user)
        .filter(event=event, person__isnull=False)
        .select_related("person")
        .prefetch_related("mails")
        .order_by("status", "person__sort_name")
    )


@member_required
@require_GET
def invitations_page(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    context = _progress_context(request, event, oob=False) | {
        "tab": "invitations",
        "can_manage": True,
        "values": _template_initial(event),
        "merge_fields": mails.MERGE_FIELDS,
    }
    return render(request, "events/invitations.html", context)


@member_required
@require_POST
def invitation_template_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    values = {
        name: request.POST.get(name, "")
        for name in ("subject_nl", "body_nl", "subject_en", "body_en")
    }
    errors: dict[str, list[str]] = {}
    saved = False
    try:
        invitations.invitation_template_save(member=current_member(request), event=event, **values)
        saved = True
    except ValidationError as exc:
        errors = exc.message_dict
    context = {
        "event": event,
        "values": values,
        "errors": errors,
        "saved": saved,
        "merge_fields": mails.MERGE_FIELDS,
    }
    return render(
        request, "events/_invitation_template.html", context, status=200 if saved else 422
    )


@member_required
@require_GET
def invitation_preview(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    language = request.GET.get("language", "nl")
    if language not in mails.MAIL_LANGUAGES:
        raise Http404
    guest = (
        visibility.guests(request.user)
        .filter(event=event, person__isnull=False, person__language=language)
        .select_related("person", "event")
        .first()
    )
    if guest is None:
        guest = visibility.guests(request.user).filter(event=event, person__isnull=False).first()
    if guest is None:
        return render(request, "events/_invitation_preview.html", {"empty": True})
    with translation.override(language):
        subject_t, body_t = mails.template_texts(event, language)
        values = mails.merge_values(guest, rsvp.rsvp_url(guest))
        context = {
            "subject": mails.merge(subject_t, values),
            "body": mails.merge(body_t, values),
            "guest": guest,
        }
    return render(request, "events/_invitation_preview.html", context)


@member_required
@require_POST
def invitations_send_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    context: dict[str, Any] = {}
    try:
        result = invitations.invitations_send(member=current_member(request), event=event)
        context["result"] = result
    except ValidationError as exc:
        context["error"] = " ".join(exc.messages)
    return render(
        request, "events/_invitation_progress.html", _progress_context(request, event) | context
    )


@member_required
@require_POST
def mails_resend_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    invitations.mails_resend(
        member=current_member(request),
        event=event,
        uncertain=request.POST.get("uncertain") == "yes",
    )
    return render(request, "events/_invitation_progress.html", _progress_context(request, event))


@member_required
@require_GET
def invitations_progress(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    return render(request, "events/_invitation_progress.html", _progress_context(request, event))


# ---- the public RSVP page -------------------------------------------------------------------


def _rate_limited(request: HttpRequest) -> bool:
    """At most GILDE_RSVP_RATE_LIMIT requests per client address per minute."""
    return over_limit(request, "rsvp", settings.GILDE_RSVP_RATE_LIMIT)


_PROBLEM_TEXTS = {
    rsvp.LinkProblem.INVALID: (
        gettext_lazy("This link does not work"),
        gettext_lazy(
            "The link is incomplete or no longer valid. Please use the link from your most "
            "recent invitation, or reply to the invitation e-mail."
        ),
    ),
    rsvp.LinkProblem.CLOSED: (
        gettext_lazy("Answers are closed"),
        gettext_lazy(
            "The date to answer has passed, so your answer can no longer be changed here. "
            "Please reply to the invitation e-mail if something has changed."
        ),
    ),
    rsvp.LinkProblem.REUSED: (
        gettext_lazy("This form was already sent"),
        gettext_lazy(
            "Your answer was changed after this page was opened, or the form was sent twice. "
            "Nothing was changed: open the link again to see your current answer."
        ),
    ),
}


def _problem(request: HttpRequest, problem: rsvp.LinkProblem, guest: Guest | None) -> HttpResponse:
    title, text = _PROBLEM_TEXTS[problem]
    status = {
        rsvp.LinkProblem.INVALID: 404,
        rsvp.LinkProblem.CLOSED: 410,
        rsvp.LinkProblem.REUSED: 409,
    }[problem]
    context = {
        "title": title,
        "text": text,
        "guest": guest,
        "event": guest.event if guest else None,
    }
    return render(request, "events/rsvp_problem.html", context, status=status)


def _rsvp_language(request: HttpRequest, guest: Guest) -> None:
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) in dict(settings.LANGUAGES):
        return
    language = mails.guest_language(guest)
    translation.activate(language)
    request.LANGUAGE_CODE = language


@require_http_methods(["GET", "POST"])
def rsvp_page(request: HttpRequest, key: str) -> HttpResponse:
    """The guest's own page (no login): the event's public details and their answer."""
    if _rate_limited(request):
        response = render(
            request,
            "events/rsvp_problem.html",
            {
                "title": _("Too many requests"),
                "text": _("Please wait a minute and try again."),
            },
            status=429,
        )
        response["Retry-After"] = "60"
        return response
    try:
        guest = rsvp.guest_from_key(key)
    except rsvp.RsvpError as exc:
        return _problem(request, exc.problem, None)
    _rsvp_language(request, guest)
    errors: list[str] = []
    saved = False
    if request.method == "POST":
        try:
            attending = rsvp.answer_validate(request.POST.get("attending"))
            answer = rsvp.Answer(
                attending=attending,
                companion_name=request.POST.get("companion_name", "")
                if request.POST.get("companion") == "yes"
                else "",
                dietary_wishes=request.POST.get("dietary_wishes", ""),
                wish_to_meet=request.POST.get("wish_to_meet", ""),
            )
            guest = rsvp.rsvp_answer(key=key, answer=answer, stamp=request.POST.get("stamp", ""))
            saved = True
        except rsvp.RsvpError as exc:
            return _problem(request, exc.problem, exc.guest or guest)
        except ValidationError as exc:
            errors = exc.messages
    context = {
        "guest": guest,
        "event": guest.event,
        "open": rsvp.is_open(guest),
        "deadline": rsvp.deadline(guest.event),
        "stamp": rsvp.form_stamp(guest),
        "errors": errors,
        "saved": saved,
        "key": key,
        "free": rsvp.seats_free(guest.event),
        "programme": list(guest.event.programme.all()),
    }
    response = render(request, "events/rsvp.html", context, status=422 if errors else 200)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    # The link is the key: it is never sent to another site (same-origin keeps the form's
    # Origin header, which the CSRF check needs).
    response["Referrer-Policy"] = "same-origin"
    return response


# ---- check-in -------------------------------------------------------------------------------


def _door_context(request: HttpRequest, event: Event) -> dict[str, Any]:
    return {"event": event, "count": checkin.door_count(event, user=request.user)}


@member_required
@require_GET
def checkin_page(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    context = _door_context(request, event) | {
        "tab": "checkin",
        "can_manage": True,
        "lawful_bases": [
            (LawfulBasis.LEGITIMATE_INTEREST, LawfulBasis.LEGITIMATE_INTEREST.label),
            (LawfulBasis.CONSENT, LawfulBasis.CONSENT.label),
        ],
    }
    response = render(request, "events/checkin.html", context)
    # The camera may be used here (for the QR code), by this page only.
    response["Permissions-Policy"] = "camera=(self), microphone=(), geolocation=(), payment=()"
    return response


@member_required
@require_GET
def checkin_search_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    query = request.GET.get("q", "")[:100]
    found = checkin.checkin_search(event, query, user=request.user)
    known = checkin.network_matches(event, query, user=request.user)
    return render(
        request,
        "events/_checkin_results.html",
        {"event": event, "guests": found, "query": query, "known": known},
    )


def _row_response(request: HttpRequest, event: Event, guest: Guest, **extra: Any) -> HttpResponse:
    response = render(request, "events/_checkin_row.html", {"event": event, "guest": guest} | extra)
    response["HX-Trigger"] = "door-count"
    return response


@member_required
@require_POST
def checkin_view(request: HttpRequest, pk: int, guest_pk: int) -> HttpResponse:
    event, guest = _event_guest(request, pk, guest_pk)
    done = checkin.checkin(member=current_member(request), guest=guest)
    return _row_response(request, event, done.guest, just_arrived=done.new, already=not done.new)


@member_required
@require_POST
def checkin_undo_view(request: HttpRequest, pk: int, guest_pk: int) -> HttpResponse:
    event, guest = _event_guest(request, pk, guest_pk)
    fresh = checkin.checkin_undo(member=current_member(request), guest=guest)
    return _row_response(request, event, fresh)


@member_required
@require_POST
def checkin_code_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    try:
        guest = checkin.guest_from_code(
            event, request.POST.get("code", "")[:300], user=request.user
        )
    except ValidationError as exc:
        return render(
            request,
            "events/_checkin_results.html",
            {"event": event, "guests": [], "error": " ".join(exc.messages)},
            status=422,
        )
    done = checkin.checkin(member=current_member(request), guest=guest)
    response = render(
        request,
        "events/_checkin_results.html",
        {"event": event, "guests": [done.guest], "scanned": True, "already": not done.new},
    )
    response["HX-Trigger"] = "door-count"
    return response


@member_required
@require_GET
def checkin_count_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    return render(request, "events/_checkin_count.html", _door_context(request, event))


@member_required
@require_POST
def walk_in_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    try:
        guest = checkin.walk_in_add(
            member=current_member(request),
            event=event,
            given_name=request.POST.get("given_name", "")[:100],
            family_name=request.POST.get("family_name", "")[:150],
            organisation=request.POST.get("organisation", "")[:200],
            email=request.POST.get("email", "")[:254],
            lawful_basis=request.POST.get("lawful_basis", ""),
        )
    except ValidationError as exc:
        return render(
            request,
            "events/_checkin_results.html",
            {"event": event, "guests": [], "error": " ".join(exc.messages)},
            status=422,
        )
    response = render(
        request,
        "events/_checkin_results.html",
        {"event": event, "guests": [guest], "walked_in": True},
    )
    response["HX-Trigger"] = "door-count"
    return response


@member_required
@require_POST
def companion_register_view(request: HttpRequest, pk: int, guest_pk: int) -> HttpResponse:
    event, guest = _event_guest(request, pk, guest_pk)
    try:
        guest, companion = checkin.companion_register(
            member=current_member(request),
            guest=guest,
            lawful_basis=request.POST.get("lawful_basis", ""),
            email=request.POST.get("email", "")[:254],
        )
    except ValidationError as exc:
        return render(
            request,
            "events/_checkin_results.html",
            {"event": event, "guests": [guest], "error": " ".join(exc.messages)},
            status=422,
        )
    response = render(
        request,
        "events/_checkin_results.html",
        {"event": event, "guests": [guest, companion], "walked_in": True},
    )
    response["HX-Trigger"] = "door-count"
    return response


@member_required
@require_POST
def walk_in_known_view(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    event = _event(request, pk, manage=False)
    person = visibility.persons(request.user).filter(pk=person_pk).first()
    if person is None:
        raise Http404
    _require_manager(request, event)
    guest = checkin.known_walk_in(member=current_member(request), event=event, person=person)
    response = render(
        request,
        "events/_checkin_results.html",
        {"event": event, "guests": [guest], "walked_in": True},
    )
    response["HX-Trigger"] = "door-count"
    return response


# ---- printables -----------------------------------------------------------------------------


def _printable_guests(request: HttpRequest, event: Event) -> list[Guest]:
    guests = list(
        checkin.door_guests(event, user=request.user).prefetch_related(
            "person__affiliations__organisation"
        )
    )
    return sorted(guests, key=lambda g: g.person.sort_name if g.person else str(g.member))


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@member_required
@require_GET
def badges_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    return _pdf(
        badges.badges_pdf(event, _printable_guests(request, event)), f"badges-{event.pk}.pdf"
    )


@member_required
@require_GET
def guest_list_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    return _pdf(
        badges.guest_list_pdf(event, _printable_guests(request, event)),
        f"guest-list-{event.pk}.pdf",
    )
