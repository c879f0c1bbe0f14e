"""Pages: the member's "E-mail and calendar" settings (connections, rules, the audit of runs)
and the review inbox (keep / discard, unknown addresses to add or ignore). Every page is the
acting member's own: another member's connection or entry does not exist for them (404)."""

from __future__ import annotations

import secrets
import time

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gilde.core.web import apply_validation_error, current_member, get_or_404, member_required

from . import oauth, selectors, services
from .forms import ConnectionForm, NeverLogForm, OAuthStartForm, RenewForm, SettingsForm
from .jobs import connection_sync_enqueue


def _settings_context(request: HttpRequest, **extra: object) -> dict[str, object]:
    member = current_member(request)
    own_rules, network_rules = selectors.rules_of(member=member)
    context: dict[str, object] = {
        "form": SettingsForm(instance=services.settings_of(member)),
        "connection_form": ConnectionForm(),
        "oauth_form": OAuthStartForm() if oauth.providers() else None,
        "renew_form": RenewForm(),
        "never_form": NeverLogForm(),
        "connections": selectors.connections_of(member=member),
        "own_rules": own_rules,
        "network_rules": network_rules,
        "runs": selectors.runs_of(member=member),
        "mail_in_address": settings.GILDE_MAIL_IN_ADDRESS,
        "review_count": selectors.review_count(member=member),
    }
    context.update(extra)
    return context


@member_required
def settings_page(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    if request.method == "POST":
        form = SettingsForm(request.POST, instance=services.settings_of(member))
        if form.is_valid():
            try:
                services.settings_update(actor=member, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Settings saved."))
                return redirect("autolog:settings")
        return render(
            request, "autolog/settings.html", _settings_context(request, form=form), status=422
        )
    return render(request, "autolog/settings.html", _settings_context(request))


@member_required
@require_POST
def connect(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    form = ConnectionForm(request.POST)
    if form.is_valid():
        try:
            services.connection_create(actor=member, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Connected. Gilde reads it in the background now."))
            return redirect("autolog:settings")
    return render(
        request,
        "autolog/settings.html",
        _settings_context(request, connection_form=form),
        status=422,
    )


# ---- OAuth2 sign-in (Microsoft 365, Google Workspace) ------------------------------------------

OAUTH_SESSION_KEY = "autolog_oauth"
OAUTH_VALID_SECONDS = 600


@member_required
@require_POST
def oauth_start(request: HttpRequest) -> HttpResponse:
    """Send the member to the provider to sign in and consent; what comes back is checked
    against what is kept here in their session (state, PKCE verifier, provider, address)."""
    form = OAuthStartForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "autolog/settings.html",
            _settings_context(request, oauth_form=form),
            status=422,
        )
    provider = oauth.providers()[form.cleaned_data["provider"]]
    verifier, challenge = oauth.pkce_pair()
    state = secrets.token_urlsafe(32)
    redirect_uri = request.build_absolute_uri(reverse("autolog:oauth_return"))
    request.session[OAUTH_SESSION_KEY] = {
        "state": state,
        "verifier": verifier,
        "provider": provider.name,
        "username": form.cleaned_data["username"],
        "redirect_uri": redirect_uri,
        "started": time.time(),
    }
    return redirect(
        oauth.authorize_url(
            provider,
            redirect_uri=redirect_uri,
            state=state,
            challenge=challenge,
            login_hint=form.cleaned_data["username"],
        )
    )


@member_required
def oauth_return(request: HttpRequest) -> HttpResponse:
    """Where the provider sends the member back: with a code (consent given) or an error.
    Anything that does not match the sign-in this session started stores nothing."""
    member = current_member(request)
    pending = request.session.pop(OAUTH_SESSION_KEY, None)
    state = request.GET.get("state", "")
    if (
        not isinstance(pending, dict)
        or not state
        or not secrets.compare_digest(str(pending.get("state", "")), state)
        or time.time() - float(pending.get("started", 0)) > OAUTH_VALID_SECONDS
    ):
        messages.error(
            request,
            _(
                "The sign-in could not be checked: it expired or was not started here. "
                "Nothing was stored; please try again."
            ),
        )
        return redirect("autolog:settings")
    provider = oauth.providers().get(str(pending.get("provider")))
    if provider is None:
        messages.error(request, _("This sign-in is not set up for Gilde."))
        return redirect("autolog:settings")
    if request.GET.get("error") or not request.GET.get("code"):
        messages.error(
            request,
            _("You did not give consent at %(provider)s. Nothing was stored.")
            % {"provider": provider.label},
        )
        return redirect("autolog:settings")
    try:
        tokens = oauth.code_exchange(
            provider,
            code=request.GET["code"],
            verifier=str(pending["verifier"]),
            redirect_uri=str(pending["redirect_uri"]),
            now=timezone.now(),
        )
        services.connection_connect_oauth(
            actor=member, provider=provider.name, username=str(pending["username"]), tokens=tokens
        )
    except oauth.TokenError as error:
        messages.error(
            request,
            _("%(provider)s gave no token (%(reason)s). Nothing was stored; please try again.")
            % {"provider": provider.label, "reason": error.reason},
        )
        return redirect("autolog:settings")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("autolog:settings")
    messages.success(
        request,
        _("Connected through %(provider)s. Gilde reads it in the background now.")
        % {"provider": provider.label},
    )
    return redirect("autolog:settings")


@member_required
@require_POST
def connection_renew(request: HttpRequest, pk: int) -> HttpResponse:
    member = current_member(request)
    connection = get_or_404(selectors.connection_get, member=member, pk=pk)
    form = RenewForm(request.POST)
    if form.is_valid():
        services.connection_renew(actor=member, connection=connection, **form.cleaned_data)
        connection_sync_enqueue(connection=connection, actor=member)
        messages.success(request, _("Saved. Gilde tries again now."))
        return redirect("autolog:settings")
    return render(
        request, "autolog/settings.html", _settings_context(request, renew_form=form), status=422
    )


@member_required
@require_POST
def connection_read_now(request: HttpRequest, pk: int) -> HttpResponse:
    member = current_member(request)
    connection = get_or_404(selectors.connection_get, member=member, pk=pk)
    connection_sync_enqueue(connection=connection, actor=member)
    messages.success(request, _("Gilde reads it in the background now."))
    return redirect("autolog:settings")


@member_required
@require_POST
def disconnect(request: HttpRequest, pk: int) -> HttpResponse:
    member = current_member(request)
    connection = get_or_404(selectors.connection_get, member=member, pk=pk)
    counts = services.connection_disconnect(
        actor=member, connection=connection, delete_moments=bool(request.POST.get("delete_moments"))
    )
    messages.success(
        request,
        _("Disconnected; its password or token is deleted. %(n)d contact moments deleted.")
        % {"n": counts["moments_deleted"]},
    )
    return redirect("autolog:settings")


@member_required
@require_POST
def never_add(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    form = NeverLogForm(request.POST)
    if form.is_valid():
        try:
            services.never_log_add(actor=member, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("autolog:settings")
    return render(
        request, "autolog/settings.html", _settings_context(request, never_form=form), status=422
    )


@member_required
@require_POST
def never_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = current_member(request)
    rule = get_or_404(selectors.rule_get, member=member, pk=pk)
    services.never_log_remove(actor=member, rule=rule)
    return redirect("autolog:settings")


# ---- the review inbox -----------------------------------------------------------------------


@member_required
def review(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    entries = selectors.review_inbox(user=request.user, member=member)[:200]
    return render(
        request,
        "autolog/review.html",
        {"entries": entries, "review_count": selectors.review_count(member=member)},
    )


def _entry_answer(request: HttpRequest, entry: object, done: str = "") -> HttpResponse:
    member = current_member(request)
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "autolog/_entry.html",
            {
                "entry": entry,
                "done": done,
                "review_count": selectors.review_count(member=member),
                "oob": True,
            },
        )
    return redirect("autolog:review")


def _entry_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    member = current_member(request)
    entry = get_or_404(selectors.entry_get, user=request.user, member=member, pk=pk)
    try:
        if action == "keep":
            entry = services.entry_keep(actor=member, entry=entry)
        elif action == "discard":
            entry = services.entry_discard(actor=member, entry=entry)
        elif action == "ignore":
            entry = services.unknown_address_ignore(
                actor=member, entry=entry, address=request.POST.get("address", "")
            )
        else:
            entry = services.unknown_addresses_resolve(actor=member, entry=entry)
    except (ValidationError, PermissionDenied) as error:
        text = " ".join(getattr(error, "messages", [str(error)]))
        if request.htmx:  # type: ignore[attr-defined]
            return render(
                request,
                "autolog/_entry.html",
                {
                    "entry": entry,
                    "error": text,
                    "oob": True,
                    "review_count": selectors.review_count(member=member),
                },
                status=422,
            )
        messages.error(request, text)
        return redirect("autolog:review")
    entry = selectors.entry_get(user=request.user, member=member, pk=entry.pk)
    return _entry_answer(request, entry, action)


@member_required
@require_POST
def entry_keep(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_action(request, pk, "keep")


@member_required
@require_POST
def entry_discard(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_action(request, pk, "discard")


@member_required
@require_POST
def address_ignore(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_action(request, pk, "ignore")


@member_required
@require_POST
def address_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_action(request, pk, "resolve")


def person_create_link(address: str) -> str:
    return reverse("person_create") + "?" + urlencode({"email": address})
