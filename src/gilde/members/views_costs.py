"""Pages of the member network's shared costs (cost statements, one's own costs, fees and the
year's statement) and drop-in meetings. Thin: parse, call a service or selector, render."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gilde import visibility
from gilde.core.web import apply_validation_error, current_member, get_or_404, member_required
from gilde.events.models import Event, Guest
from gilde.members import costs, dropin, selectors
from gilde.members.forms import CostRuleForm, DropInForm, DropInSeriesForm
from gilde.members.models import CostShare, MembershipFee
from gilde.members.network import network_get
from gilde.members.views import HONEYPOT, coordinator_of, is_robot, public_guard

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
        "event": event,
        "statement": statement,
        "me": me,
        "shares": list(costs.shares_of(request.user, statement)) if statement else [],
        "may_manage": me.manages_network,
        "form": CostRuleForm(
            initial={
                "rule": statement.rule if statement else "equal",
                "guest_weight": statement.guest_weight if statement else 1,
            }
        ),
        "cost_items": list(event.costs.all()),
    }
    return render(request, "members/cost_statement.html", context)


@member_required
@require_POST
def cost_publish(request: HttpRequest, pk: int) -> HttpResponse:
    actor = coordinator_of(request)
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
    actor = coordinator_of(request)
    share = get_or_404(
        CostShare.objects.filter(statement__event__in=visibility.events(request.user)).get, pk=pk
    )
    costs.cost_share_mark(actor=actor, share=share, paid_on=_paid_on(request))
    return redirect("members:cost_statement", pk=share.statement.event_id)


@member_required
def my_costs(request: HttpRequest) -> HttpResponse:
    me = current_member(request)
    context = {
        "shares": costs.my_shares(request.user)[:100],
        "fees": MembershipFee.objects.filter(member=me).order_by("-year"),
    }
    return render(request, "members/my_costs.html", context)


def _year(request: HttpRequest) -> int:
    text = request.GET.get("year") or request.POST.get("year") or ""
    year = int(text) if text.isascii() and text.isdigit() and len(text) == 4 else 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@member_required
def year_statement(request: HttpRequest) -> HttpResponse:
    coordinator_of(request)
    year = _year(request)
    context = {
        "statement": costs.year_statement(request.user, year),
        "year": year,
        "fees": MembershipFee.objects.filter(year=year).select_related("member__user"),
    }
    return render(request, "members/year_statement.html", context)


@member_required
def year_export(request: HttpRequest) -> HttpResponse:
    coordinator_of(request)
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
    actor = coordinator_of(request)
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
    actor = coordinator_of(request)
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
    # the door sheet with the QR code is the coordinator's
    visits = selectors.applications(request.user).filter(hear_more=True, status="applied")[:50]
    context = {
        "rows": rows,
        "form": form or DropInSeriesForm(),
        "may_plan": me.manages_network,
        "visits": visits,
    }
    return render(request, "members/drop_ins.html", context)


@member_required
def drop_ins(request: HttpRequest) -> HttpResponse:
    """The coming drop-in meetings with the link to put at the door."""
    return _drop_ins_page(request)


@member_required
def drop_in_door(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator's sheet for the door: the check-in link as a QR code, to print."""
    coordinator_of(request)
    event = get_or_404(visibility.events(request.user).filter(kind="open_coffee").get, pk=pk)
    link = request.build_absolute_uri(reverse("members:drop_in", args=[dropin.drop_in_key(event)]))
    context = {
        "event": event,
        "link": link,
        "qr": dropin.door_qr_svg(link),
        "network": network_get(),
    }
    return render(request, "members/drop_in_door.html", context)


@member_required
@require_POST
def drop_in_plan(request: HttpRequest) -> HttpResponse:
    """The coordinator plans a series of drop-in meetings."""
    actor = coordinator_of(request)
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
    refused = public_guard(request)
    if refused:
        return refused
    try:
        event = dropin.drop_in_event(key)
    except Event.DoesNotExist as exc:
        raise Http404 from exc
    if is_robot(request):  # answered as a check-in, so it learns nothing; nothing is kept
        context = {"event": event, "done": True, "network": network_get(), "was_member": True}
        return render(request, "members/drop_in.html", context)
    form = DropInForm(request.POST or None)
    done = None
    if request.method == "POST" and form.is_valid():
        try:
            done = dropin.drop_in_check_in(event=event, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
    context = {
        "event": event,
        "form": form,
        "done": done,
        "network": network_get(),
        "was_member": isinstance(done, Guest),
        "honeypot": HONEYPOT,
    }
    return render(request, "members/drop_in.html", context, status=200)
