"""Pages of the network strategy: goals and themes, a theme's coverage, the heatmap, and the
themes panel on relation pages. Thin: parse, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gilde import visibility
from gilde.accounts.models import Member
from gilde.core.web import apply_validation_error, current_member, get_or_404, member_required
from gilde.permissions import (
    can_create,
    can_edit,
    is_strategist,
    require_create,
    require_strategist,
)
from gilde.relations.models import Organisation, Person
from gilde.relations.selectors import organisation_get, person_get
from gilde.strategy import charts, selectors, services
from gilde.strategy import plans as plan_rules
from gilde.strategy import report as report_rules
from gilde.strategy.forms import (
    GoalForm,
    LinkForm,
    OccasionForm,
    PlanForm,
    ReportForm,
    SubscriptionForm,
    ThemeForm,
)
from gilde.strategy.models import (
    ActivityPlan,
    Goal,
    Occasion,
    Report,
    SignalDelivery,
    SignalSubscription,
    Theme,
)


def _strategist(request: HttpRequest) -> Member:
    return require_strategist(current_member(request))


@member_required
def overview(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    context = {
        "goals": selectors.goals(),
        "counts": selectors.theme_counts(user=request.user),
        "may_edit": is_strategist(member),
    }
    return render(request, "strategy/overview.html", context)


@member_required
def goal_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = _strategist(request)
    goal = get_or_404(Goal.objects.get, pk=pk) if pk else None
    form = GoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_save(actor=actor, goal=goal, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Goal saved."))
            return redirect("strategy:overview")
    return render(
        request,
        "strategy/form.html",
        {
            "form": form,
            "title": _("Strategic goal"),
            "object": goal,
            "delete_url": reverse("strategy:goal_delete", args=[pk]) if pk else "",
        },
    )


@member_required
@require_POST
def goal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _strategist(request)
    services.goal_delete(actor=actor, goal=get_or_404(Goal.objects.get, pk=pk))
    messages.success(request, _("Goal removed."))
    return redirect("strategy:overview")


@member_required
def theme_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = _strategist(request)
    theme = get_or_404(Theme.objects.get, pk=pk) if pk else None
    initial = {"goal": request.GET.get("goal")} if theme is None else None
    form = ThemeForm(request.POST or None, instance=theme, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.theme_save(actor=actor, theme=theme, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Theme saved."))
            return redirect(saved.get_absolute_url())
    return render(
        request,
        "strategy/form.html",
        {
            "form": form,
            "title": _("Theme"),
            "object": theme,
            "delete_url": reverse("strategy:theme_delete", args=[pk]) if pk else "",
        },
    )


@member_required
@require_POST
def theme_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _strategist(request)
    services.theme_delete(actor=actor, theme=get_or_404(Theme.objects.get, pk=pk))
    messages.success(request, _("Theme removed."))
    return redirect("strategy:overview")


@member_required
def theme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = current_member(request)
    theme = get_or_404(selectors.theme_get, pk=pk)
    cover = selectors.coverage(user=request.user, theme=theme)
    context = {
        "theme": theme,
        "cover": cover,
        "gaps": selectors.gaps(user=request.user, theme=theme, cover=cover),
        "chart": charts.theme_roles_chart(cover),
        "may_edit": is_strategist(member),
        "can_link": can_create(member),
    }
    return render(request, "strategy/theme_detail.html", context)


@member_required
def heatmap(request: HttpRequest) -> HttpResponse:
    found = selectors.heatmap(user=request.user)
    return render(
        request, "strategy/heatmap.html", {"heatmap": found, "chart": charts.coverage_chart(found)}
    )


# ---- the themes panel on relation pages ------------------------------------------------------


def panel_context(
    *,
    user: Any,
    member: Member | None,
    subject: Person | Organisation,
    form: LinkForm | None = None,
    saved: bool = False,
    occasion_form: OccasionForm | None = None,
    occasion_saved: bool = False,
) -> dict[str, Any]:
    """What the themes panel shows: the theme links, and on a person's page their activity
    plan against what they got this year, and the occasions noted."""
    found = list(selectors.links_of(user=user, subject=subject))
    for link in found:
        link.removable = member is not None and (  # type: ignore[attr-defined]
            can_edit(member, link)
        )
    kind = "person" if isinstance(subject, Person) else "organisation"
    person = subject if isinstance(subject, Person) else None
    return {
        "subject": subject,
        "links": found,
        "link_url": reverse(f"strategy:{kind}_link", args=[subject.pk]),
        "link_form": form or LinkForm(),
        "can_link": can_create(member) and Theme.objects.exists(),
        "can_note": can_create(member),
        "saved": saved,
        "reality": plan_rules.reality_of(user=user, person=person) if person else None,
        "occasions": Occasion.objects.filter(person=person)[:5] if person else [],
        "occasion_form": occasion_form or OccasionForm(),
        "occasion_saved": occasion_saved,
    }


def _subject(request: HttpRequest, kind: str, pk: int) -> Person | Organisation:
    if kind == "person":
        return get_or_404(person_get, user=request.user, pk=pk)
    return get_or_404(organisation_get, user=request.user, pk=pk)


@member_required
@require_POST
def subject_link(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Link the relation of the page to a theme; with htmx only the panel is redrawn."""
    subject = _subject(request, kind, pk)  # a hidden relation is not there (404) for anyone
    member = require_create(current_member(request))
    form = LinkForm(request.POST)
    saved = False
    if form.is_valid():
        try:
            data: dict[str, Any] = {**form.cleaned_data, kind: subject}
            services.theme_link_set(actor=member, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            saved, form = True, LinkForm()
    context = panel_context(
        user=request.user, member=member, subject=subject, form=form, saved=saved
    )
    if not request.htmx:  # type: ignore[attr-defined]
        if saved:
            messages.success(request, _("Linked to the theme."))
            return redirect(subject.get_absolute_url())
        return render(request, "strategy/panel_page.html", context, status=422)
    return render(request, "strategy/_panel.html", context)


@member_required
@require_POST
def link_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = current_member(request)
    link = get_or_404(
        selectors.links(request.user).select_related("person", "organisation").get, pk=pk
    )
    if not (can_edit(member, link)):
        raise PermissionDenied
    subject = link.person or link.organisation
    services.theme_link_remove(actor=member, link=link)
    if request.htmx and request.POST.get("from") == "panel":  # type: ignore[attr-defined]
        return render(
            request,
            "strategy/_panel.html",
            panel_context(user=request.user, member=member, subject=subject),  # type: ignore[arg-type]
        )
    messages.success(request, _("Unlinked from the theme."))
    if request.POST.get("from") == "theme":
        return redirect(link.theme.get_absolute_url())
    return redirect(subject.get_absolute_url())  # type: ignore[union-attr]


# ---- activity plan, plan and reality, occasions -------------------------------------------


@member_required
@require_GET
def plans(request: HttpRequest) -> HttpResponse:
    """The activity plan per segment, with the form to plan one for a network manager."""
    member = current_member(request)
    context = {
        "plans": ActivityPlan.objects.select_related("tier", "theme", "stakeholder_type"),
        "form": PlanForm() if is_strategist(member) else None,
        "may_edit": is_strategist(member),
    }
    return render(request, "strategy/plans.html", context)


@member_required
def plan_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Plan a segment, or change its plan."""
    actor = _strategist(request)
    plan = get_or_404(ActivityPlan.objects.get, pk=pk) if pk else None
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_plan_save(actor=actor, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Plan saved."))
            return redirect("strategy:plans")
    return render(
        request,
        "strategy/form.html",
        {
            "form": form,
            "title": _("Activity plan"),
            "object": None,
            "delete_url": reverse("strategy:plan_delete", args=[pk]) if pk else "",
        },
    )


@member_required
@require_POST
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _strategist(request)
    services.activity_plan_delete(actor=actor, plan=get_or_404(ActivityPlan.objects.get, pk=pk))
    messages.success(request, _("Plan removed."))
    return redirect("strategy:plans")


@member_required
def differences(request: HttpRequest) -> HttpResponse:
    found = plan_rules.differences(user=request.user)
    return render(request, "strategy/differences.html", {"found": found})


@member_required
@require_POST
def occasion_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Note an occasion from a person's panel: the colleague who looks after them gets a
    follow-up; with htmx the panel is redrawn."""
    person = get_or_404(person_get, user=request.user, pk=pk)
    member = require_create(current_member(request))
    form = OccasionForm(request.POST)
    saved = False
    if form.is_valid():
        try:
            services.occasion_record(actor=member, person=person, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            saved = True
    context = panel_context(
        user=request.user,
        member=member,
        subject=person,
        occasion_form=None if saved else form,
        occasion_saved=saved,
    )
    if not request.htmx:  # type: ignore[attr-defined]
        if saved:
            messages.success(request, _("Occasion noted; a follow-up was made."))
            return redirect(person.get_absolute_url())
        return render(request, "strategy/panel_page.html", context, status=422)
    return render(request, "strategy/_panel.html", context)


# ---- signal subscriptions ----------------------------------------------------------------------


def _subscription_subject(request: HttpRequest, form: SubscriptionForm) -> dict[str, Any]:
    """The form's subject as model objects: a tag and an organisation are typed by name."""
    data = form.cleaned_data
    subject: dict[str, Any] = {"theme": data["theme"], "sector": data["sector"]}
    if data["tag"]:
        subject["tag"] = visibility.tags(request.user).filter(name__iexact=data["tag"]).first()
        if subject["tag"] is None:
            raise ValidationError({"tag": _("There is no tag with this name.")})
    if data["organisation"]:
        found = visibility.organisations(request.user).filter(name__iexact=data["organisation"])
        subject["organisation"] = found.first()
        if subject["organisation"] is None:
            raise ValidationError({"organisation": _("There is no organisation with this name.")})
    return subject


@member_required
def subscriptions(request: HttpRequest) -> HttpResponse:
    """One's own subscriptions to signals; a network manager also sees and adds a department's."""
    member = current_member(request)
    form = SubscriptionForm(
        request.POST or None, departments=signal_departments() if is_strategist(member) else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.signal_subscription_create(
                actor=member,
                department=form.cleaned_data.get("department") or "",
                **_subscription_subject(request, form),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Subscribed: matching signals reach you."))
            return redirect("strategy:subscriptions")
    mine = SignalSubscription.objects.filter(member=member)
    context = {
        "mine": mine.select_related("theme", "tag", "organisation"),
        "departments": SignalSubscription.objects.filter(member__isnull=True).select_related(
            "theme", "tag", "organisation"
        )
        if is_strategist(member)
        else [],
        "form": form,
        "waiting": SignalDelivery.objects.filter(member=member, sent_at__isnull=True).count(),
    }
    return render(
        request, "strategy/subscriptions.html", context, status=422 if form.errors else 200
    )


@member_required
@require_POST
def subscription_delete(request: HttpRequest, pk: int) -> HttpResponse:
    member = current_member(request)
    subscription = get_or_404(SignalSubscription.objects.get, pk=pk)
    if subscription.member_id not in (None, member.pk):
        raise Http404  # a colleague's subscription is not there for others
    services.signal_subscription_delete(actor=member, subscription=subscription)
    messages.success(request, _("Subscription ended."))
    return redirect("strategy:subscriptions")


def signal_departments() -> list[str]:
    return sorted(set(Member.objects.exclude(department="").values_list("department", flat=True)))


# ---- the management report -------------------------------------------------------------------


@member_required
def reports(request: HttpRequest) -> HttpResponse:
    """The reports drawn up so far, and the form to ask for a quarter's."""
    actor = _strategist(request)
    year, quarter = report_rules.current_quarter()
    form = ReportForm(request.POST or None, initial={"year": year, "quarter": quarter})
    if request.method == "POST" and form.is_valid():
        try:
            found = report_rules.report_request(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("The report is being drawn up; it appears here when ready.")
            )
            return redirect("strategy:report", pk=found.pk)
    return render(
        request,
        "strategy/reports.html",
        {"reports": report_rules.reports(), "form": form},
        status=422 if form.errors else 200,
    )


def _report(request: HttpRequest, pk: int) -> Report:
    _strategist(request)
    return get_or_404(report_rules.reports().get, pk=pk)


@member_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if request.htmx and report.ready:  # type: ignore[attr-defined]
        # The page was waiting for the worker: show the whole report now.
        return HttpResponse(status=204, headers={"HX-Refresh": "true"})
    before = report_rules.previous_report(report) if report.ready else None
    context = {
        "report": report,
        "before": before,
        "changes": report_rules.changes(report, before) if report.ready else [],
        "charts": charts.report_charts(report.figures) if report.ready else [],
        "others": report_rules.reports().exclude(pk=report.pk).exclude(figures={})[:12],
    }
    return render(request, "strategy/report.html", context)


@member_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not report.pdf:
        raise Http404
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="gilde-{report.year}-q{report.quarter}.pdf"'
    )
    return response


@member_required
def report_export(request: HttpRequest, pk: int, format: str) -> HttpResponse:
    report = _report(request, pk)
    if not report.ready:
        raise Http404
    if format == "xlsx":
        body = report_rules.export_xlsx(report)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, kind = report_rules.export_csv(report), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=kind)
    name = f"gilde-{report.year}-q{report.quarter}.{format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
