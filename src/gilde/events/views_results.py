"""Pages of the results: a host's briefing (page and PDF), the phone screen where a host logs
who met whom, the event report and the trend across events, and the guests' public survey."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gilde import permissions, visibility
from gilde.accounts.models import Member
from gilde.core.web import current_member, int_param, member_required, parse_id
from gilde.events import briefing as briefings
from gilde.events import report as reports
from gilde.events import results, survey
from gilde.events.briefing_pdf import briefing_pdf
from gilde.events.invitation_views import _rate_limited, _rsvp_language
from gilde.events.models import Event, MeetingGoalOutcome, MetHoped
from gilde.events.report_charts import report_charts, trend_charts
from gilde.events.results_mail import briefing_queue_now
from gilde.permissions import can_act_for_host, can_manage_event


def _event(request: HttpRequest, pk: int) -> Event:
    event = visibility.events(request.user).filter(pk=pk).first()
    if event is None:
        raise Http404
    return event


def _host(request: HttpRequest, event: Event) -> Member:
    """The host whose briefing or meetings are asked for (?host=, by default the reader)."""
    member = current_member(request)
    wanted = (
        int_param(request, "host")
        if request.method == "GET"
        else parse_id(request.POST.get("host", "") or request.GET.get("host", ""))
    )
    if wanted is None or wanted == member.pk:
        return member
    host = visibility.members(request.user).filter(pk=wanted).select_related("user").first()
    if host is None:
        raise Http404
    if not can_act_for_host(member, event, host):
        raise PermissionDenied(_("Only the host and the event's organisers may do this."))
    return host


def _context(request: HttpRequest, event: Event, **extra: Any) -> dict[str, Any]:
    member = current_member(request)
    return {"event": event, "can_manage": can_manage_event(member, event), **extra}


# ---- the host briefing ----------------------------------------------------------------------


@member_required
@require_GET
def briefing_page(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    host = _host(request, event)
    manage = can_manage_event(current_member(request), event)
    others = briefings.hosts(user=request.user, event=event) if manage else []
    context = _context(
        request,
        event,
        tab="briefing",
        host=host,
        hosts=others,
        brief=briefings.briefing(user=request.user, event=event, host=host),
    )
    return render(request, "events/results/briefing.html", context)


@member_required
@require_GET
def briefing_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    host = _host(request, event)
    data = briefing_pdf(briefings.briefing(user=request.user, event=event, host=host))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="briefing-{event.pk}-{host.pk}.pdf"'
    return response


@member_required
@require_POST
def briefing_send_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    host = _host(request, event)
    if not host.user.email:
        message, status = _("This colleague has no e-mail address."), 422
    elif briefing_queue_now(member=current_member(request), event=event, host=host):
        message, status = (
            _("The briefing is being sent to %(address)s.") % {"address": host.user.email},
            200,
        )
    else:
        message, status = _("The briefing was already sent to this host."), 200
    return render(request, "events/results/_notice.html", {"message": message}, status=status)


# ---- who met whom ---------------------------------------------------------------------------


def _meeting_context(request: HttpRequest, event: Event, host: Member) -> dict[str, Any]:
    goals = list(briefings.host_goals(user=request.user, event=event, host=host))
    done = sum(g.outcome != MeetingGoalOutcome.OPEN for g in goals)
    met = sum(g.outcome == MeetingGoalOutcome.MET for g in goals)
    return {
        "goals": goals,
        "done": done,
        "met": met,
        "total": len(goals),
        "host": host,
        "started": event.starts_at <= timezone.now(),
    }


@member_required
@require_GET
def meetings_page(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    host = _host(request, event)
    manage = can_manage_event(current_member(request), event)
    others = briefings.hosts(user=request.user, event=event) if manage else []
    context = _context(
        request, event, tab="met", hosts=others, **_meeting_context(request, event, host)
    )
    return render(request, "events/results/meetings.html", context)


@member_required
@require_POST
def meeting_log_view(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    event = _event(request, pk)
    goal = (
        visibility.meeting_goals(request.user)
        .filter(event=event, pk=goal_pk)
        .select_related("event", "member__user", "person_a", "person_b", "theme")
        .first()
    )
    if goal is None:
        raise Http404
    member = current_member(request)
    host = _host(request, event)
    if not permissions.may_log_for(user=request.user, member=member, goal=goal, host=host):
        raise PermissionDenied(_("Only the goal's host and the event's organisers may do this."))
    outcome = request.POST.get("outcome", "")
    error = ""
    try:
        if outcome == "open":
            goal = results.meeting_reset(member=member, goal=goal, host=host)
        elif outcome in (MeetingGoalOutcome.MET, MeetingGoalOutcome.NOT_MET):
            goal = results.meeting_log(
                member=member,
                goal=goal,
                host=host,
                met=outcome == MeetingGoalOutcome.MET,
                note=request.POST.get("note", "")[:300],
                follow_up=request.POST.get("follow_up", "")[:300],
                follow_up_due=_date(request.POST.get("follow_up_due", "")),
            )
        else:
            raise ValidationError(_("Choose met or not met."))
    except ValidationError as exc:
        error = " ".join(exc.messages)
    goal.refresh_from_db()
    context = _context(
        request, event, goal=goal, error=error, oob=True, **_meeting_context(request, event, host)
    )
    return render(
        request, "events/results/_meeting_goal.html", context, status=422 if error else 200
    )


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        raise ValidationError(_("Give the due date as a date.")) from None


# ---- the report -----------------------------------------------------------------------------


@member_required
@require_GET
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    report = reports.event_report(user=request.user, event=event)
    context = _context(
        request,
        event,
        tab="results",
        report=report,
        charts=report_charts(report),
        target=reports.HIGH_PRIORITY_TARGET,
    )
    return render(request, "events/results/report.html", context)


@member_required
@require_GET
def trend_page(request: HttpRequest) -> HttpResponse:
    rows = reports.trend(user=request.user)
    context = {
        "rows": list(reversed(rows)),
        "charts": trend_charts(rows),
        "target": reports.HIGH_PRIORITY_TARGET,
    }
    return render(request, "events/results/trend.html", context)


# ---- the guests' survey (public) ------------------------------------------------------------

_PROBLEMS = {
    survey.SurveyProblem.INVALID: (
        gettext_lazy("This link does not work"),
        gettext_lazy(
            "The link is incomplete or no longer valid. Please use the link from the "
            "e-mail we sent you after the event."
        ),
    ),
    survey.SurveyProblem.CLOSED: (
        gettext_lazy("The survey is closed"),
        gettext_lazy(
            "Thank you for your interest: the answers for this event have been "
            "collected. Please reply to our e-mail if you would still like to tell us "
            "something."
        ),
    ),
}


def _survey_problem(request: HttpRequest, problem: survey.SurveyProblem) -> HttpResponse:
    title, text = _PROBLEMS[problem]
    status = 404 if problem == survey.SurveyProblem.INVALID else 410
    return render(
        request, "events/rsvp_problem.html", {"title": title, "text": text}, status=status
    )


@require_http_methods(["GET", "POST"])
def survey_page(request: HttpRequest, key: str) -> HttpResponse:
    """The guest's survey (no login): their own answers only."""
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
        guest = survey.guest_from_survey_key(key)
    except survey.SurveyError as exc:
        return _survey_problem(request, exc.problem)
    _rsvp_language(request, guest)
    if not survey.survey_open(guest):
        return _survey_problem(request, survey.SurveyProblem.CLOSED)
    errors: dict[str, list[str]] = {}
    saved = False
    answer = getattr(guest, "survey", None)
    values = {
        "rating": str(answer.rating) if answer else "",
        "nps": str(answer.nps) if answer else "",
        "met_hoped": answer.met_hoped if answer else "",
        "met_who": answer.met_who if answer else "",
        "comment": answer.comment if answer else "",
    }
    if request.method == "POST":
        values = {name: request.POST.get(name, "")[:2000] for name in values}
        try:
            survey.survey_answer(key=key, given=survey.SurveyInput(**values))
            saved = True
        except survey.SurveyError as exc:
            return _survey_problem(request, exc.problem)
        except ValidationError as exc:
            errors = exc.message_dict
    context = {
        "guest": guest,
        "event": guest.event,
        "values": values,
        "errors": errors,
        "saved": saved,
        "deadline": survey.survey_deadline(guest),
        "ratings": range(1, 6),
        "scores": range(11),
        "met_hoped_choices": MetHoped.choices,
    }
    response = render(request, "events/results/survey.html", context, status=422 if errors else 200)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "same-origin"
    return response
