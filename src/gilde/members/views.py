"""Pages of the member network: goal, public join page, directory and profiles, referrals,
the flow, commitment and applications. Thin: parse, call a service or selector, render."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gilde import visibility
from gilde.accounts.models import Member
from gilde.core.web import apply_validation_error, current_member, get_or_404, member_required
from gilde.events.models import Event, Guest
from gilde.members import costs, dropin, selectors, services
from gilde.members.forms import (
    ApplicationForm,
    ApplicationStepForm,
    ContributionForm,
    CostRuleForm,
    DirectoryForm,
    DropInForm,
    DropInSeriesForm,
    NetworkGoalForm,
    NetworkKindForm,
    ProfileForm,
    ReferralAnswerForm,
    ReferralForm,
)
from gilde.members.models import (
    Application,
    ApplicationStatus,
    Aspect,
    CostShare,
    MembershipFee,
    Profile,
)
from gilde.members.network import is_member_network, network_get


def _coordinator(request: HttpRequest) -> Member:
    member = current_member(request)
    if not member.manages_network:
        raise PermissionDenied
    return member


# ---- the network and its goal ------------------------------------------------------------------


@member_required
def setup(request: HttpRequest) -> HttpResponse:
    """First run: what this installation is for."""
    actor = _coordinator(request)
    network = network_get()
    form = NetworkKindForm(request.POST or None, initial={"kind": network.kind})
    if request.method == "POST" and form.is_valid():
        try:
            services.network_setup(actor=actor, kind=form.cleaned_data["kind"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The kind of network is saved."))
            return redirect("members:goal_edit")
    return render(request, "members/setup.html", {"form": form, "network": network})


@member_required
def goal(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    context = {"network": network_get(), "may_edit": member.manages_network,
               "meetings": selectors.next_meetings()}  # fmt: skip
    return render(request, "members/goal.html", context)


@member_required
def goal_edit(request: HttpRequest) -> HttpResponse:
    actor = _coordinator(request)
    form = NetworkGoalForm(request.POST or None, instance=network_get())
    if request.method == "POST" and form.is_valid():
        try:
            services.network_goal_update(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The network's goal is saved."))
            return redirect("members:goal")
    return render(request, "members/form.html", {"form": form, "title": _("The network's goal")})


# ---- the public page ----------------------------------------------------------------------------


def join(request: HttpRequest) -> HttpResponse:
    """No login: the network's goal, its next meetings, how joining works, and the form to ask
    to join or visit once. An organisation has no such page."""
    if not is_member_network():
        raise Http404
    meetings = list(selectors.next_meetings())
    form = ApplicationForm(request.POST or None, meetings=meetings)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["consent"] = bool(data.get("consent"))
        try:
            services.application_submit(**data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("members:join_thanks")
    context = {"network": network_get(), "meetings": meetings, "form": form}
    return render(request, "members/join.html", context)


def join_thanks(request: HttpRequest) -> HttpResponse:
    if not is_member_network():
        raise Http404
    return render(request, "members/join_thanks.html", {"network": network_get()})


# ---- members as people ---------------------------------------------------------------------------


@member_required
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    found = selectors.directory(
        request.user, query=data.get("q", ""), tag=data.get("tag", ""),
        aspect=data.get("aspect", ""),
    )  # fmt: skip
    template = "members/_directory_rows.html" if request.htmx else "members/directory.html"  # type: ignore[attr-defined]
    return render(request, template, {"form": form, "members": found, "aspects": Aspect})


@member_required
def helpers(request: HttpRequest) -> HttpResponse:
    """ "Who here can help me with X?", and who offers what I seek."""
    need = request.GET.get("need", "")[:200]
    context = {
        "need": need,
        "matches": selectors.helpers_for(request.user, need=need) if need else [],
        "for_my_seeks": selectors.matches_for_my_seeks(request.user),
    }
    return render(request, "members/helpers.html", context)


@member_required
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    me = current_member(request)
    member = get_or_404(visibility.members(request.user).select_related("user").get, pk=pk)
    context = {
        "member": member,
        "profile": selectors.profile_of(request.user, member),
        "ties": selectors.ties_of(request.user, member),
        "is_me": member.pk == me.pk,
        "i_know": selectors.ties_of(request.user, me).filter(other=member).exists(),
    }
    return render(request, "members/profile.html", context)


@member_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    me = current_member(request)
    instance = Profile.objects.filter(member=me).first() or Profile(member=me)
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_save(actor=me, tags=form.tags(), **form.texts())
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                raise
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("members:profile", pk=me.pk)
    return render(request, "members/form.html", {"form": form, "title": _("My profile")})


@member_required
@require_POST
def tie_add(request: HttpRequest, pk: int) -> HttpResponse:
    me = current_member(request)
    other = get_or_404(visibility.members(request.user).select_related("user").get, pk=pk)
    try:
        services.member_tie_add(
            actor=me, other=other, how_met=request.POST.get("how_met", "")[:200]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("members:profile", pk=other.pk)


@member_required
@require_POST
def tie_remove(request: HttpRequest, pk: int) -> HttpResponse:
    me = current_member(request)
    other = get_or_404(visibility.members(request.user).get, pk=pk)
    services.member_tie_remove(actor=me, other=other)
    return redirect("members:profile", pk=other.pk)


# ---- referrals ---------------------------------------------------------------------------------


def _referrals_page(
    request: HttpRequest, me: Member, form: ReferralForm | None = None
) -> HttpResponse:
    referrals = list(selectors.my_referrals(request.user)[:100])
    context = {
        "me": me,
        "balance": selectors.balance_of(request.user),
        "to_confirm": [r for r in referrals if r.receiver_id == me.pk and r.status == "open"],
        "referrals": referrals,
        "form": form or ReferralForm(me=me, initial={"receiver": request.GET.get("to")}),
        "answer_form": ReferralAnswerForm(),
    }
    return render(request, "members/referrals.html", context)


@member_required
def referrals(request: HttpRequest) -> HttpResponse:
    """The member's own referrals given and received, their balance, and the form."""
    me = current_member(request)
    if request.method != "POST":
        return _referrals_page(request, me)
    form = ReferralForm(request.POST, me=me)
    if form.is_valid():
        try:
            services.referral_record(actor=me, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Referral recorded; %(name)s is asked to confirm it.")
                             % {"name": form.cleaned_data["receiver"].name})  # fmt: skip
            return redirect("members:referrals")
    return _referrals_page(request, me, form)


@member_required
@require_POST
def referral_answer(request: HttpRequest, pk: int, confirmed: bool) -> HttpResponse:
    me = current_member(request)
    referral = get_or_404(visibility.referrals(request.user).filter(receiver=me).get, pk=pk)
    form = ReferralAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Enter the value as an amount of at least zero, or leave it empty.")
        )
        return redirect("members:referrals")
    value = form.cleaned_data.get("value")
    try:
        services.referral_answer(actor=me, referral=referral, confirmed=confirmed, value=value)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you: the referral is confirmed.") if confirmed
                         else _("The referral is marked as not recognised."))  # fmt: skip
    return redirect("members:referrals")


@member_required
def flow(request: HttpRequest) -> HttpResponse:
    """Who gives to whom in the network, as counts."""
    return render(request, "members/flow.html", {"flow": selectors.flow(request.user)})


# ---- commitment -----------------------------------------------------------------------------------


@member_required
def commitment(request: HttpRequest) -> HttpResponse:
    me = current_member(request)
    mine = selectors.commitment(request.user, members=[me])[0]
    return render(request, "members/commitment.html", {"c": mine})


@member_required
def commitment_overview(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    rows = selectors.commitment(request.user)
    rows.sort(key=lambda c: (not c.judgement.dropping, c.member.name.lower()))
    context = {"rows": rows, "form": ContributionForm(), "flagged": sum(
        1 for c in rows if c.judgement.dropping)}  # fmt: skip
    return render(request, "members/commitment_overview.html", context)


@member_required
@require_POST
def contribution_add(request: HttpRequest) -> HttpResponse:
    actor = _coordinator(request)
    form = ContributionForm(request.POST)
    if form.is_valid():
        try:
            services.contribution_record(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Contribution recorded."))
    else:
        messages.error(request, _("Choose a member, a kind and a date."))
    return redirect("members:commitment_overview")


# ---- applications --------------------------------------------------------------------------------


@member_required
def applications(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    status = request.GET.get("status", "")
    context = {
        "applications": selectors.applications(request.user, status=status)[:200],
        "status": status, "statuses": ApplicationStatus,
        "returns": selectors.return_rate(request.user),
    }  # fmt: skip
    return render(request, "members/applications.html", context)


@member_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    _coordinator(request)
    found: Application = get_or_404(selectors.applications(request.user).get, pk=pk)
    form = ApplicationStepForm(initial={"introduced_by": found.introduced_by_id})
    steps = services.NEXT_STEPS.get(ApplicationStatus(found.status), set())
    context: dict[str, Any] = {"a": found, "form": form, "steps": [
        (s, ApplicationStatus(s).label) for s in ApplicationStatus.values if s in steps
        and (s != ApplicationStatus.WELCOMED or found.kind == "visit")]}  # fmt: skip
    return render(request, "members/application.html", context)


@member_required
@require_POST
def application_step(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _coordinator(request)
    found = get_or_404(selectors.applications(request.user).get, pk=pk)
    form = ApplicationStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the date and the member named."))
        return redirect("members:application", pk=pk)
    try:
        services.application_advance(
            actor=actor, application=found, status=request.POST.get("status", ""),
            talk_on=form.cleaned_data["talk_on"], note=form.cleaned_data["note"],
            introduced_by=form.cleaned_data["introduced_by"], language=request.LANGUAGE_CODE,
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The application moved on."))
    return redirect("members:application", pk=pk)


# ---- costs -----------------------------------------------------------------------------------


def _paid_on(request: HttpRequest) -> dt.date | None:
    """The date a payment came in (today unless given), or None to mark it open again."""
    if request.POST.get("open"):
        return None
    text = request.POST.get("paid_on", "")
    try:
        return dt.date.fromisoformat(text) if text else timezone.localdate()
    except ValueError:
        return timezone.localdate()


@member_required
def cost_statement(request: HttpRequest, pk: int) -> HttpResponse:
    """An event's costs and how they are shared: every member sees every share."""
    me = current_member(request)
    event = get_or_404(visibility.events(request.user).prefetch_related("costs").get, pk=pk)
    statement = costs.statement_of(request.user, event.pk)
    context = {
        "event": event, "statement": statement, "me": me,
        "shares": list(costs.shares_of(request.user, statement)) if statement else [],
        "may_manage": me.manages_network, "form": CostRuleForm(
            initial={"rule": statement.rule if statement else "equal",
                     "guest_weight": statement.guest_weight if statement else 1}),
        "cost_items": list(event.costs.all()),
    }  # fmt: skip
    return render(request, "members/cost_statement.html", context)


@member_required
@require_POST
def cost_publish(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _coordinator(request)
    event = get_or_404(visibility.events(request.user).get, pk=pk)
    form = CostRuleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a rule, and a guest's share of at least zero."))
        return redirect("members:cost_statement", pk=pk)
    try:
        costs.cost_statement_publish(actor=actor, event=event, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The cost statement is published to the members."))
    return redirect("members:cost_statement", pk=pk)


@member_required
@require_POST
def cost_share_paid(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _coordinator(request)
    share = get_or_404(
        CostShare.objects.filter(statement__event__in=visibility.events(request.user)).get, pk=pk
    )
    costs.cost_share_mark(actor=actor, share=share, paid_on=_paid_on(request))
    return redirect("members:cost_statement", pk=share.statement.event_id)


@member_required
def my_costs(request: HttpRequest) -> HttpResponse:
    me = current_member(request)
    context = {"shares": costs.my_shares(request.user)[:100],
               "fees": MembershipFee.objects.filter(member=me).order_by("-year")}  # fmt: skip
    return render(request, "members/my_costs.html", context)


def _year(request: HttpRequest) -> int:
    text = request.GET.get("year") or request.POST.get("year") or ""
    year = int(text) if text.isascii() and text.isdigit() and len(text) == 4 else 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@member_required
def year_statement(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    year = _year(request)
    context = {"statement": costs.year_statement(request.user, year), "year": year,
               "fees": MembershipFee.objects.filter(year=year).select_related("member__user")}  # fmt: skip
    return render(request, "members/year_statement.html", context)


@member_required
def year_export(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    year = _year(request)
    statement = costs.year_statement(request.user, year)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            costs.year_xlsx(statement),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="network-{year}.xlsx"'
        return response
    response = HttpResponse(costs.year_csv(statement), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="network-{year}.csv"'
    return response


@member_required
@require_POST
def fees_set(request: HttpRequest) -> HttpResponse:
    actor = _coordinator(request)
    year = _year(request)
    try:
        amount = Decimal(request.POST.get("amount", ""))
        made = costs.membership_fees_set(actor=actor, year=year, amount=amount)
    except (InvalidOperation, ValidationError):
        messages.error(request, _("Enter a year and an amount of at least zero."))
    else:
        messages.success(request, _("%(count)d fees added.") % {"count": made})
    return redirect(f"{reverse('members:year')}?year={year}")


@member_required
@require_POST
def fee_paid(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _coordinator(request)
    fee = get_or_404(MembershipFee.objects.get, pk=pk)
    costs.membership_fee_mark(actor=actor, fee=fee, paid_on=_paid_on(request))
    return redirect(f"{reverse('members:year')}?year={fee.year}")


# ---- drop-in meetings ------------------------------------------------------------------------


def _drop_ins_page(request: HttpRequest, form: DropInSeriesForm | None = None) -> HttpResponse:
    me = current_member(request)
    coming = (
        visibility.events(request.user)
        .filter(kind="open_coffee", ends_at__gte=timezone.now())
        .order_by("starts_at")[:20]
    )
    rows = [(e, reverse("members:drop_in", args=[dropin.drop_in_key(e)])) for e in coming]
    visits = selectors.applications(request.user).filter(hear_more=True, status="applied")[:50]
    context = {"rows": rows, "form": form or DropInSeriesForm(), "may_plan": me.manages_network,
               "visits": visits}  # fmt: skip
    return render(request, "members/drop_ins.html", context)


@member_required
def drop_ins(request: HttpRequest) -> HttpResponse:
    """The coming drop-in meetings with the link to put at the door."""
    return _drop_ins_page(request)


@member_required
@require_POST
def drop_in_plan(request: HttpRequest) -> HttpResponse:
    """The coordinator plans a series of drop-in meetings."""
    actor = _coordinator(request)
    form = DropInSeriesForm(request.POST)
    if form.is_valid():
        try:
            made = dropin.drop_in_series_create(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("%(count)d drop-in meetings planned.") % {"count": len(made)}
            )
            return redirect("members:drop_ins")
    return _drop_ins_page(request, form)


def drop_in(request: HttpRequest, key: str) -> HttpResponse:
    """No login: check in at a drop-in meeting with the link or QR code at the door."""
    try:
        event = dropin.drop_in_event(key)
    except Event.DoesNotExist as exc:
        raise Http404 from exc
    form = DropInForm(request.POST or None)
    done = None
    if request.method == "POST" and form.is_valid():
        try:
            done = dropin.drop_in_check_in(event=event, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
    context = {"event": event, "form": form, "done": done, "network": network_get(),
               "was_member": isinstance(done, Guest)}  # fmt: skip
    return render(request, "members/drop_in.html", context, status=200)
