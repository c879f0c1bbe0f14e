"""The team pages: colleagues and invitations, inviting, changing, letting a colleague leave,
reactivating; and the page where an invited colleague sets a password."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from gilde import permissions, visibility
from gilde.accounts import invitations, leaving, team
from gilde.accounts.forms import FirstPasswordForm, InvitationForm, MemberForm, SuccessorForm
from gilde.accounts.models import Invitation, Member
from gilde.core.web import apply_validation_error, current_member, get_or_404

View = Callable[..., HttpResponseBase]


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "accounts/forbidden.html", {"message": message}, status=403)


def team_manager_required(view: View) -> View:
    """Network managers and administrators only; other members get a page saying so (403), a
    login without a member sees nothing (404)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        member = current_member(request)
        if not permissions.may_manage_team(member):
            return forbidden(
                request, _("Only network managers and administrators manage the team.")
            )
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            return forbidden(request, str(exc) or _("You may not do this."))

    return wrapper


def _colleague(request: HttpRequest, pk: int) -> Member:
    return get_or_404(visibility.members(request.user).select_related("user").get, pk=pk)


@team_manager_required
def team_page(request: HttpRequest) -> HttpResponse:
    actor = current_member(request)
    members = (
        visibility.members(request.user)
        .select_related("user")
        .order_by("-user__is_active", "user__last_name", "user__first_name")
    )
    rows = [(m, permissions.may_change_colleague(actor, m)) for m in members]
    pending = Invitation.objects.open().select_related("invited_by__user").order_by("-created_at")
    return render(request, "accounts/team.html", {"rows": rows, "invitations": pending})


@team_manager_required
def invite(request: HttpRequest) -> HttpResponse:
    actor = current_member(request)
    form = InvitationForm(request.POST or None, roles=team.roles_assignable_by(actor))
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitations.invitation_create(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("accounts:team")
    context = {"form": form, "days": settings.GILDE_INVITATION_DAYS}
    return render(request, "accounts/invite.html", context)


def _invitation(pk: int) -> Invitation:
    return get_or_404(Invitation.objects.get, pk=pk)


@team_manager_required
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation(pk)
    try:
        invitations.invitation_resend(actor=current_member(request), invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Invitation sent again to %(email)s.") % {"email": invitation.email}
        )
    return redirect("accounts:team")


@team_manager_required
@require_POST
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation(pk)
    try:
        invitations.invitation_withdraw(actor=current_member(request), invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
        )
    return redirect("accounts:team")


@team_manager_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = current_member(request)
    member = _colleague(request, pk)
    if not permissions.may_change_colleague(actor, member):
        return forbidden(request, _("Only an administrator can change an administrator."))
    initial = {"role": member.role, "department": member.department, "job_title": member.job_title}
    form = MemberForm(request.POST or None, initial=initial, roles=team.roles_assignable_by(actor))
    if request.method == "POST" and form.is_valid():
        try:
            team.member_update(actor=actor, member=member, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("%(name)s is changed.") % {"name": member.name})
            return redirect("accounts:team")
    return render(request, "accounts/member_edit.html", {"form": form, "member": member})


@team_manager_required
def member_leave(request: HttpRequest, pk: int) -> HttpResponse:
    """What leaves with a colleague, and the one step that hands it over and deactivates them."""
    actor = current_member(request)
    member = _colleague(request, pk)
    if not member.user.is_active:
        messages.info(request, _("%(name)s is already deactivated.") % {"name": member.name})
        return redirect("accounts:team")
    try:
        summary = leaving.leaving_summary(actor=actor, member=member)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:team")
    candidates = leaving.successor_candidates(member=member).order_by(
        "user__last_name", "user__first_name"
    )
    data = request.POST if request.method == "POST" else None
    form = SuccessorForm(data, counts=summary.counts, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            leaving.member_leave(actor=actor, member=member, successors=form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is deactivated; what they looked after has been handed over.")
                % {"name": member.name},
            )
            return redirect("accounts:team")
    context = {"member": member, "summary": summary, "form": form, "groups": leaving.GROUPS}
    return render(request, "accounts/member_leave.html", context)


@team_manager_required
@require_POST
def member_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    member = _colleague(request, pk)
    team.member_reactivate(actor=current_member(request), member=member)
    messages.success(request, _("%(name)s can log in again.") % {"name": member.name})
    return redirect("accounts:team")


LINK_PROBLEMS = {
    invitations.LinkProblem.INVALID: (
        gettext_lazy("This link does not work"),
        gettext_lazy(
            "The link is incomplete or has been changed. Copy the whole link from the e-mail, or "
            "ask whoever invited you to send the invitation again."
        ),
    ),
    invitations.LinkProblem.EXPIRED: (
        gettext_lazy("This invitation has expired"),
        gettext_lazy(
            "Ask whoever invited you to send the invitation again; you will receive a new link."
        ),
    ),
    invitations.LinkProblem.USED: (
        gettext_lazy("This invitation has already been used"),
        gettext_lazy(
            "Your account exists: log in with your e-mail address and password. Forgot your "
            "password? Ask for a new one on the login page."
        ),
    ),
    invitations.LinkProblem.WITHDRAWN: (
        gettext_lazy("This invitation has been withdrawn"),
        gettext_lazy("Ask whoever invited you if you should still join."),
    ),
}


def _link_problem(request: HttpRequest, problem: invitations.LinkProblem) -> HttpResponse:
    title, text = LINK_PROBLEMS[problem]
    context = {"title": title, "text": text}
    status = 404 if problem == invitations.LinkProblem.INVALID else 410
    return render(request, "accounts/invitation_problem.html", context, status=status)


@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invited colleague sets a password and is logged in. The page speaks the language
    the invitation was written in, unless the visitor chose one with the switch."""
    try:
        invitation = invitations.invitation_from_token(token)
    except invitations.InvitationLinkError as exc:
        return _link_problem(request, exc.problem)
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(invitation.language)
        request.LANGUAGE_CODE = invitation.language
    form = FirstPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = invitations.invitation_accept(
                token=token, password=form.cleaned_data["password1"]
            )
        except invitations.InvitationLinkError as exc:
            return _link_problem(request, exc.problem)
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "password" in exc.error_dict:
                form.add_error("password1", exc.error_dict["password"])
            else:
                form.add_error(None, exc)
        else:
            auth_login(request, member.user, backend="gilde.accounts.backends.MemberBackend")
            messages.success(request, _("Welcome to Gilde, %(name)s.") % {"name": member.name})
            return redirect("dashboard")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )
