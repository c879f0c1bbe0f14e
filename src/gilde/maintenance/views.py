"""Pages for relationship maintenance: whom to contact, going cold, follow-ups, tier review,
reminder settings, and the private calendar feed. Thin: parse, call, render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gilde import permissions, visibility
from gilde.accounts.models import Member
from gilde.contacts.forms import QuickLogForm
from gilde.core.datestyle import day_text
from gilde.core.web import (
    apply_validation_error,
    current_member,
    get_or_404,
    int_param,
    member_required,
    paginate,
    parse_ids,
)
from gilde.maintenance import calendar, charts, review, selectors, services
from gilde.maintenance.forms import DigestForm, HandOverForm, RhythmForm, SnoozeForm
from gilde.maintenance.models import TierReview, TierSuggestion
from gilde.permissions import can_create, require_network_manager
from gilde.relations.models import Person
from gilde.relations.selectors import person_get


def _subject_member(request: HttpRequest, member: Member) -> Member:
    """Whose list: one's own, or for a network manager any colleague's."""
    wanted = int_param(request, "member")
    if wanted is None or wanted == member.pk:
        return member
    require_network_manager(member, _("Only a network manager sees this page."))
    return get_or_404(visibility.members(request.user).select_related("user").get, pk=wanted)


@member_required
def due_list(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    subject = _subject_member(request, member)
    items = selectors.due_for_member(user=request.user, member=subject)
    page = Paginator(items, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "subject": subject,
        "own": subject == member,
        "can_create": can_create(member),
        "members": visibility.members(request.user)
        .order_by("user__first_name", "user__last_name")
        .values_list("pk", "user__first_name", "user__last_name")
        if member.manages_network
        else None,
        "query": f"member={subject.pk}" if subject != member else "",
    }
    return render(request, "maintenance/due_list.html", context)


def _person(request: HttpRequest, pk: int) -> Person:
    return get_or_404(person_get, user=request.user, pk=pk)


@member_required
def due_log(request: HttpRequest, pk: int) -> HttpResponse:
    """The quick log from the due list: htmx fetches the form into the row when asked (the list
    itself stays light), and after logging the row is replaced by a confirmation."""
    member = current_member(request)
    person = _person(request, pk)
    if request.method != "POST":
        if not request.htmx:  # type: ignore[attr-defined]
            return redirect(person.get_absolute_url() + "#quick-log-area")
        return render(
            request,
            "maintenance/_due_log_form.html",
            {"person": person, "quick_log": QuickLogForm()},
        )
    form = QuickLogForm(request.POST)
    if not form.log(actor=member, person=person):
        if request.htmx:  # type: ignore[attr-defined]
            item = selectors.DueItem.of(person, timezone.localdate())
            # htmx swaps only 2xx answers: the row comes back with the errors in its form.
            return render(request, "maintenance/_due_row.html", {"item": item, "quick_log": form})
        messages.error(
            request,
            _("The contact moment was not logged: %(errors)s")
            % {"errors": " ".join(str(m) for e in form.errors.values() for m in e)},
        )
        return redirect("maintenance_due")
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "maintenance/_due_done.html",
            {"person": person, "message": _("Contact moment logged.")},
        )
    messages.success(request, _("Contact moment logged."))
    return redirect("maintenance_due")


@member_required
def snooze(request: HttpRequest, pk: int) -> HttpResponse:
    member = current_member(request)
    person = _person(request, pk)
    form = SnoozeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.relation_snooze(
                actor=member,
                person=person,
                until=form.until_date(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            message = _("Snoozed until %(day)s.") % {"day": day_text(form.until_date())}
            if request.htmx:  # type: ignore[attr-defined]
                return render(
                    request, "maintenance/_due_done.html", {"person": person, "message": message}
                )
            messages.success(request, message)
            return redirect("maintenance_due")
    if request.htmx:  # type: ignore[attr-defined]
        if not form.is_bound:
            return render(
                request, "maintenance/_snooze_form.html", {"form": form, "person": person}
            )
        item = selectors.DueItem.of(person, timezone.localdate())
        return render(request, "maintenance/_due_row.html", {"item": item, "snooze_form": form})
    return render(
        request,
        "maintenance/action_form.html",
        {"form": form, "person": person, "title": _("Snooze the reminder")},
        status=422 if form.is_bound else 200,
    )


@member_required
def hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    member = current_member(request)
    person = _person(request, pk)
    colleagues = visibility.members(request.user).select_related("user").exclude(role="read_only")
    seeing = [m.pk for m in colleagues if permissions.may_take_over(m, person)]
    form = HandOverForm(request.POST or None, members=colleagues.filter(pk__in=seeing))
    if request.method == "POST" and form.is_valid():
        try:
            services.relation_hand_over(actor=member, person=person, to=form.cleaned_data["to"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("Handed over to %(name)s.") % {"name": form.cleaned_data["to"].name}
            )
            return redirect("maintenance_due")
    return render(
        request,
        "maintenance/action_form.html",
        {"form": form, "person": person, "title": _("Hand over to a colleague")},
        status=422 if form.is_bound else 200,
    )


@member_required
def rhythm(request: HttpRequest, pk: int) -> HttpResponse:
    member = current_member(request)
    person = _person(request, pk)
    care = selectors.person_care(user=request.user, person_id=person.pk).care
    initial = (
        {
            "ideal_interval_days": care.ideal_interval_days,
            "max_interval_days": care.max_interval_days,
            "no_reminders": care.no_reminders,
        }
        if care
        else {}
    )
    form = RhythmForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.relation_rhythm_set(actor=member, person=person, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Contact rhythm saved."))
            return redirect("person_detail", pk=person.pk)
    return render(
        request,
        "maintenance/action_form.html",
        {"form": form, "person": person, "title": _("Contact rhythm")},
        status=422 if form.is_bound else 200,
    )


@member_required
def going_cold(request: HttpRequest) -> HttpResponse:
    require_network_manager(current_member(request), _("Only a network manager sees this page."))
    show_year = request.GET.get("show") == "year"
    found = (selectors.not_contacted_for_a_year if show_year else selectors.going_cold)(
        user=request.user
    )
    page = Paginator(found, settings.GILDE_PAGE_SIZE).get_page(request.GET.get("page"))  # type: ignore[arg-type]
    ids = [p.pk for p in page.object_list]
    knows = selectors.who_knows(person_ids=ids)
    rows = [(p, knows.get(p.pk, [])) for p in page.object_list]
    return render(
        request,
        "maintenance/going_cold.html",
        {
            "page": page,
            "rows": rows,
            "show_year": show_year,
            "query": "show=year" if show_year else "",
            "chart": charts.days_since_chart(user=request.user),
        },
    )


@member_required
def follow_ups(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    context: dict[str, Any] = {
        "mine": selectors.follow_ups_of(user=request.user, member=member)[:100],
        "today": timezone.localdate(),
    }
    if member.manages_network:
        context["per_member"] = selectors.follow_up_counts(user=request.user)[:100]
        context["page"] = paginate(request, selectors.overdue_follow_ups(user=request.user))
    return render(request, "maintenance/follow_ups.html", context)


@member_required
def tier_review(request: HttpRequest) -> HttpResponse:
    require_network_manager(current_member(request), _("Only a network manager sees this page."))
    current = review.open_review()
    suggestions = (
        current.suggestions.filter(state="open")
        .select_related("person", "from_tier", "to_tier")
        .order_by("reason", "person__sort_name")
        if current
        else TierSuggestion.objects.none()
    )
    distribution = selectors.tier_distribution(user=request.user)
    counts = {row["tier"].code if row["tier"] else None: row["count"] for row in distribution}
    context = {
        "distribution": distribution,
        "chart": charts.tier_mix_chart(key="tier-mix", counts=counts),
        "review": current,
        "page": paginate(request, suggestions, 50),
        "decided": current.suggestions.exclude(state="open").count() if current else 0,
        "last_review": selectors.last_review(),
        "review_due": selectors.review_is_due(),
    }
    return render(request, "maintenance/tier_review.html", context)


@member_required
@require_POST
def tier_review_action(request: HttpRequest) -> HttpResponse:
    """Start, decide on or complete the tier review; only network managers may, whatever the
    action, so others are refused (403) before anything is looked up."""
    member = current_member(request)
    require_network_manager(member, _("Only a network manager sees this page."))
    action = request.POST.get("action", "")
    if action == "start":
        found = review.tier_review_request(actor=member)
        if isinstance(found, TierReview):
            messages.success(
                request,
                _("%(n)d suggestions to review.")
                % {"n": found.suggestions.filter(state="open").count()},
            )
        else:
            messages.info(
                request, _("The review is being drawn up; this page shows it when ready.")
            )
        return redirect("maintenance_tier_review")
    current = review.open_review()
    if current is None:
        raise Http404
    if action in ("accept", "reject"):
        if request.POST.get("all") == "1":
            ids = list(current.suggestions.filter(state="open").values_list("pk", flat=True))
        else:
            ids = parse_ids(request.POST.getlist("suggestion"))
        n = review.tier_suggestions_decide(
            actor=member, review=current, suggestion_ids=ids, accept=action == "accept"
        )
        messages.success(request, _("%(n)d suggestions decided.") % {"n": n})
    elif action == "complete":
        review.tier_review_complete(actor=member, review=current)
        messages.success(request, _("Review completed."))
    return redirect("maintenance_tier_review")


@member_required
def reminder_settings(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    current = services.reminder_settings_of(member)
    form = DigestForm(request.POST or None, initial={"weekday": current.digest_weekday})
    new_feed_url = None
    if request.method == "POST":
        action = request.POST.get("action", "digest")
        if action == "digest" and form.is_valid():
            services.digest_weekday_set(actor=member, weekday=form.cleaned_data["weekday"])
            messages.success(request, _("Digest setting saved."))
            return redirect("maintenance_settings")
        if action == "feed":
            token = services.calendar_feed_create(actor=member)
            new_feed_url = calendar.feed_url(token, request=request)
            current = services.reminder_settings_of(member)
        if action == "revoke":
            services.calendar_feed_revoke(actor=member)
            messages.success(request, _("The calendar address no longer works."))
            return redirect("maintenance_settings")
    return render(
        request,
        "maintenance/settings.html",
        {"form": form, "settings": current, "new_feed_url": new_feed_url},
    )


@never_cache
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed: the secret in the address is the only credential, no session."""
    member = services.calendar_feed_member(token)
    if member is None:
        raise Http404
    body = calendar.feed_for(member=member)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="gilde.ics"'
    return response
