"""Pages of the member network: goal, public join page, directory and profiles, referrals,
the flow, commitment and applications. Thin: parse, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gilde import visibility
from gilde.accounts.models import Member
from gilde.core.ratelimit import over_limit
from gilde.core.web import apply_validation_error, current_member, get_or_404, member_required
from gilde.members import selectors, services
from gilde.members.forms import (
    ApplicationForm,
    ApplicationStepForm,
    ContributionForm,
    DirectoryForm,
    NetworkGoalForm,
    NetworkKindForm,
    ProfileForm,
    ReferralAnswerForm,
    ReferralForm,
)
from gilde.members.introducers import introducer_candidates
from gilde.members.models import (
    Application,
    ApplicationStatus,
    Aspect,
    Profile,
)
from gilde.members.network import is_member_network, network_get
from gilde.permissions import require_coordinator


def coordinator_of(request: HttpRequest) -> Member:
    """The acting member, who must be the network's coordinator (403 otherwise)."""
    return require_coordinator(current_member(request))


# ---- the network and its goal ------------------------------------------------------------------


@member_required
def setup(request: HttpRequest) -> HttpResponse:
    """First run: what this installation is for."""
    actor = coordinator_of(request)
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
    context = {
        "network": network_get(),
        "may_edit": member.manages_network,
        "meetings": selectors.next_meetings(),
    }
    return render(request, "members/goal.html", context)


@member_required
def goal_edit(request: HttpRequest) -> HttpResponse:
    actor = coordinator_of(request)
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


# The field a person never sees and a form-filling robot fills in (the public pages' honeypot).
HONEYPOT = "website"


def public_guard(request: HttpRequest) -> HttpResponse | None:
    """A member network's public pages: too many requests from one address, or too many forms
    sent from it, get a plain 429 page in the reader's language."""
    limited = over_limit(request, "member-public", settings.GILDE_PUBLIC_PAGE_RATE_LIMIT)
    wait = 60
    if not limited and request.method == "POST":
        limited = over_limit(
            request, "member-public-send", settings.GILDE_PUBLIC_FORM_SEND_LIMIT, seconds=3600
        )
        wait = 3600
    if not limited:
        return None
    response = render(
        request,
        "members/too_many.html",
        {
            "wait": _("Please wait a minute and try again.")
            if wait == 60
            else _("Too many forms were sent from your address. Please try again in an hour.")
        },
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def is_robot(request: HttpRequest) -> bool:
    """The honeypot was filled in: a robot sent the form, not a person."""
    return request.method == "POST" and bool(request.POST.get(HONEYPOT, "").strip())


def join(request: HttpRequest) -> HttpResponse:
    """No login: the network's goal, its next meetings, how joining works, and the form to ask
    to join or visit once. An organisation has no such page."""
    if not is_member_network():
        raise Http404
    refused = public_guard(request)
    if refused:
        return refused
    if is_robot(request):  # answered as if it worked, so it learns nothing; nothing is kept
        return redirect("members:join_thanks")
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
    context = {"network": network_get(), "meetings": meetings, "form": form, "honeypot": HONEYPOT}
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
        request.user,
        query=data.get("q", ""),
        tag=data.get("tag", ""),
        aspect=data.get("aspect", ""),
    )
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
            messages.success(
                request,
                _("Referral recorded; %(name)s is asked to confirm it.")
                % {"name": form.cleaned_data["receiver"].name},
            )
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
        messages.success(
            request,
            _("Thank you: the referral is confirmed.")
            if confirmed
            else _("The referral is marked as not recognised."),
        )
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
    coordinator_of(request)
    rows = selectors.commitment(request.user)
    rows.sort(key=lambda c: (not c.judgement.dropping, c.member.name.lower()))
    context = {
        "rows": rows,
        "form": ContributionForm(),
        "flagged": sum(1 for c in rows if c.judgement.dropping),
    }
    return render(request, "members/commitment_overview.html", context)


@member_required
@require_POST
def contribution_add(request: HttpRequest) -> HttpResponse:
    actor = coordinator_of(request)
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
    coordinator_of(request)
    status = request.GET.get("status", "")
    context = {
        "applications": selectors.applications(request.user, status=status)[:200],
        "status": status,
        "statuses": ApplicationStatus,
        "returns": selectors.return_rate(request.user),
    }
    return render(request, "members/applications.html", context)


@member_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    coordinator_of(request)
    found: Application = get_or_404(selectors.applications(request.user).get, pk=pk)
    form = ApplicationStepForm(initial={"introduced_by": found.introduced_by_id})
    steps = services.NEXT_STEPS.get(ApplicationStatus(found.status), set())
    context: dict[str, Any] = {
        "a": found,
        "form": form,
        "candidates": introducer_candidates(
            found.introduced_by_name, among=visibility.members(request.user)
        )
        if found.introduced_by_name and not found.introduced_by_id
        else [],
        "steps": [
            (s, ApplicationStatus(s).label)
            for s in ApplicationStatus.values
            if s in steps and (s != ApplicationStatus.WELCOMED or found.kind == "visit")
        ],
    }
    return render(request, "members/application.html", context)


@member_required
@require_POST
def application_introducer(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator chooses the member who introduced the applicant (or none)."""
    actor = coordinator_of(request)
    found = get_or_404(selectors.applications(request.user).get, pk=pk)
    form = ApplicationStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the members."))
        return redirect("members:application", pk=pk)
    try:
        services.application_introducer_set(
            actor=actor, application=found, introduced_by=form.cleaned_data["introduced_by"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The introducer is recorded."))
    return redirect("members:application", pk=pk)


@member_required
@require_POST
def application_step(request: HttpRequest, pk: int) -> HttpResponse:
    actor = coordinator_of(request)
    found = get_or_404(selectors.applications(request.user).get, pk=pk)
    form = ApplicationStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the date and the member named."))
        return redirect("members:application", pk=pk)
    try:
        services.application_advance(
            actor=actor,
            application=found,
            status=request.POST.get("status", ""),
            talk_on=form.cleaned_data["talk_on"],
            note=form.cleaned_data["note"],
            introduced_by=form.cleaned_data["introduced_by"],
            language=request.LANGUAGE_CODE,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The application moved on."))
    return redirect("members:application", pk=pk)
