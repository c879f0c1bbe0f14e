"""Every URL and every API operation, for every role, ownership and method, against the answer
it should give. A new URL or API operation without an entry here fails the test with its name:
decide who may use it, then add one line.

Roles: anonymous, a login without a member (outsider), read-only, the networker who owns the
objects (owner), another networker (colleague), network manager, administrator. Each object is
tried twice: ordinary, and hanging off a confidential person shared with no one but its owner,
which reader and colleague must not be able to tell exists (404)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.access_world import ROLES, World, build_world

# ---- who may do what ---------------------------------------------------------------------------

MEMBERS = ("reader", "owner", "colleague", "manager", "admin")
WRITERS = ("owner", "colleague", "manager", "admin")
OK = {"ok", "method"}  # answered (a page, a redirect, a form with errors) or method not allowed


def _access(kind: str, role: str) -> set[str]:
    """What a logged-in member of `role` may get for an object owned by `owner`."""
    if kind in {"public", "member"}:
        return OK
    if kind == "write":
        return OK if role in WRITERS else {"denied"}
    if kind == "owner":
        return OK if role in {"owner", "manager", "admin"} else {"denied"}
    if kind == "action":  # any member may try; a read-only one is refused at the latest on save
        return OK if role in WRITERS else OK | {"denied"}
    if kind == "manager":
        return OK if role in {"manager", "admin"} else {"denied", "hidden"}
    if kind == "private":  # someone's own work (an import batch): to others it does not exist
        return OK if role in {"owner", "manager", "admin"} else {"hidden"}
    if kind == "self":
        return OK if role == "owner" else {"hidden"}
    if kind == "staff":  # the Django admin
        return OK if role == "admin" else {"login"}
    raise AssertionError(f"unknown access kind {kind}")


def expected(kind: str, role: str, variant: str, person_bound: bool) -> set[str]:
    """The answers allowed. "method" (405) is always allowed to a member: a view that only takes
    POST says so before looking anything up, whatever the id, so it reveals nothing."""
    if kind == "public":
        return OK | {"login"}
    if kind == "feed":  # a secret in the URL instead of a session; a wrong one finds nothing
        return {"hidden"}
    if kind == "nothing":  # a path the API does not have: 404 for everyone
        return {"hidden"}
    if role == "anonymous":
        return {"login"}
    if role == "outsider":
        return {"hidden", "denied"} if kind != "staff" else {"login"}
    if variant == "confidential" and person_bound and role in {"reader", "colleague"}:
        # Not there at all; pages only some roles may use refuse before looking anything up.
        return {"hidden", "method"} | ({"denied"} if kind == "manager" else set())
    return _access(kind, role) | {"method"}


# ---- the pages ---------------------------------------------------------------------------------

# URL name: (object its parameters name, access kind)
PAGES: dict[str, tuple[str | None, str]] = {
    "dashboard": (None, "member"),
    "health": (None, "public"),
    "api_unknown_path": ("api_path", "nothing"),
    "api_home": (None, "public"),  # a redirect to the API's documentation
    "login": (None, "public"),
    "login_verify": (None, "public"),  # without a password step it sends back to the login
    "logout": (None, "public"),
    "language_set": (None, "public"),
    "two_factor_setup": (None, "member"),
    "person_list": (None, "member"),
    "person_search": (None, "member"),
    "person_address_row": (None, "member"),
    "person_duplicates": (None, "member"),
    "organisation_quick_create": (None, "write"),
    "organisation_search": (None, "member"),
    "person_tie_create": ("person", "action"),
    "person_tie_delete": ("person_tie", "owner"),
    "person_create": (None, "write"),
    "person_detail": ("person", "member"),
    "person_edit": ("person", "owner"),
    "person_delete": ("person", "owner"),
    "person_photo": ("person", "member"),
    "affiliation_create": ("person", "owner"),
    "affiliation_edit": ("affiliation", "owner"),
    "affiliation_delete": ("affiliation", "owner"),
    "tie_form": ("person", "action"),
    "note_create": ("person", "action"),
    "quick_log": ("person", "action"),
    "organisation_list": (None, "member"),
    "organisation_create": (None, "write"),
    "organisation_detail": ("organisation", "member"),
    "organisation_edit": ("organisation", "owner"),
    "organisation_delete": ("organisation", "owner"),
    "organisation_link_create": ("organisation", "owner"),
    "organisation_link_edit": ("organisation_link", "owner"),
    "organisation_link_delete": ("organisation_link", "owner"),
    "contact_moment_detail": ("moment", "member"),
    "contact_moment_edit": ("moment", "owner"),
    "contact_moment_delete": ("moment", "owner"),
    "participant_add": ("moment", "owner"),
    "participant_remove": ("moment_person", "owner"),
    "follow_up_done": ("follow_up", "owner"),
    "member_list": (None, "member"),
    "member_detail": ("member", "member"),
    "token_list": (None, "member"),
    "token_revoke": ("token", "self"),
    # maintenance
    "maintenance_due": (None, "member"),
    "maintenance_due_log": ("person", "action"),
    "maintenance_snooze": ("person", "action"),
    "maintenance_hand_over": ("person", "action"),
    "maintenance_rhythm": ("person", "action"),
    "maintenance_going_cold": (None, "manager"),
    "maintenance_follow_ups": (None, "member"),
    "maintenance_tier_review": (None, "manager"),
    "maintenance_tier_review_action": (None, "manager"),
    "maintenance_settings": (None, "member"),
    "maintenance_calendar_feed": ("feed", "feed"),  # a secret token in the URL, no session
    # goodwill
    "give_back": (None, "member"),
    "signal_list": (None, "member"),
    "favour_record_person": ("person", "action"),
    "favour_record_organisation": ("organisation", "action"),
    "favour_edit": ("favour", "owner"),
    "favour_delete": ("favour", "owner"),
    # imports, duplicates, export
    "import_list": (None, "action"),  # each sees their own batches; readers may not upload
    "import_detail": ("import", "private"),
    "import_progress": ("import", "private"),
    "import_mapping": ("import", "private"),
    "import_commit": ("import", "private"),
    "import_undo": ("import", "private"),
    "import_discard": ("import", "private"),
    "duplicate_list": (None, "manager"),
    "duplicate_scan": (None, "manager"),
    "duplicate_detail": ("pair", "manager"),
    "duplicate_dismiss": ("pair", "manager"),
    "person_export": (None, "write"),
    # audit and privacy
    "audit_list": (None, "manager"),
    "privacy_overview": (None, "manager"),
    "privacy_to_inform": (None, "manager"),
    "privacy_retention": (None, "manager"),
    "privacy_erasures": (None, "manager"),
    "privacy_processing": (None, "manager"),
    "person_privacy": ("person", "owner"),
    "person_consent_withdraw": ("person", "owner"),
    "person_informed": ("person", "owner"),
    "person_access_request": ("person", "manager"),
    "person_erase": ("person", "manager"),
    "person_retention_decide": ("person", "manager"),
    # background jobs
    "job_list": (None, "manager"),
    "job_retry": ("job", "manager"),
    # the team (namespace "accounts")
    "accounts:team": (None, "manager"),
    "accounts:invite": (None, "manager"),
    "accounts:invitation_resend": ("invitation", "manager"),
    "accounts:invitation_withdraw": ("invitation", "manager"),
    "accounts:member_edit": ("member", "manager"),
    "accounts:member_leave": ("member", "manager"),
    "accounts:member_reactivate": ("member", "manager"),
    "accounts:invitation_accept": ("invitation_token", "public"),
    "accounts:password_reset": (None, "public"),
    "accounts:password_reset_done": (None, "public"),
    "accounts:password_reset_confirm": ("password_reset", "public"),
    "accounts:password_reset_complete": (None, "public"),
    # events (namespace "events"): organisers, their creator and managers change an event
    "events:list": (None, "member"),
    "events:create": (None, "write"),
    "events:detail": ("event", "member"),
    "events:edit": ("event", "owner"),
    "events:delete": ("event", "owner"),
    "events:programme_add": ("event", "owner"),
    "events:programme_delete": ("programme_item", "owner"),
    "events:cost_add": ("event", "owner"),
    "events:cost_delete": ("cost_item", "owner"),
    "events:attendance": ("event", "owner"),
    "events:guests": ("event", "member"),
    "events:guest_suggestions": ("event", "member"),
    "events:guest_candidates": ("event", "member"),
    "events:guest_add": ("event", "owner"),
    "events:guest_dismiss": ("event", "owner"),
    "events:guest_host_add": ("event", "owner"),
    "events:guest_conflict_add": ("event", "owner"),
    "events:guest_remove": ("event_guest", "owner"),
    "events:guest_host": ("event_guest", "owner"),
    "events:introductions": (None, "member"),
    "events:introduction_met": ("introduction", "private"),
    "events:invitations": ("event", "owner"),
    "events:invitation_template": ("event", "owner"),
    "events:invitation_preview": ("event", "owner"),
    "events:invitations_send": ("event", "owner"),
    "events:mails_resend": ("event", "owner"),
    "events:invitations_progress": ("event", "owner"),
    "events:checkin": ("event", "owner"),
    "events:checkin_search": ("event", "owner"),
    "events:checkin_code": ("event", "owner"),
    "events:checkin_count": ("event", "owner"),
    "events:walk_in": ("event", "owner"),
    "events:walk_in_known": ("event_person", "owner"),
    "events:checkin_guest": ("event_guest", "owner"),
    "events:checkin_undo": ("event_guest", "owner"),
    "events:companion_register": ("event_guest", "owner"),
    "events:badges": ("event", "owner"),
    "events:guest_list_pdf": ("event", "owner"),
    # who should meet whom, and hosts: read by whoever sees the event, changed by its managers
    "events:meetings": ("event", "member"),
    "events:meeting_suggestions": ("event", "member"),
    "events:meeting_add": ("event", "owner"),
    "events:meeting_from_requests": ("event", "owner"),
    "events:meeting_from_rsvp": ("event", "owner"),
    "events:meeting_suggestion_accept": ("event", "owner"),
    "events:meeting_priority": ("meeting_goal", "owner"),
    "events:meeting_delete": ("meeting_goal", "owner"),
    "events:hosts_assign": ("event", "owner"),
    "events:meeting_host": ("event_guest", "owner"),
    # the seating plan: seen by whoever sees the event, made and changed by its managers
    "events:seating": ("event", "member"),
    "events:seating_status": ("event", "member"),
    "events:seating_why": ("event", "member"),
    "events:seating_setup": ("event", "owner"),
    "events:seating_tables_add": ("event", "owner"),
    "events:seating_table": ("seating_table", "owner"),
    "events:seating_table_delete": ("seating_table", "owner"),
    "events:seating_make": ("event", "owner"),
    "events:seating_save": ("event", "owner"),
    "events:seating_pdf": ("seating_pdf", "owner"),
    # The guest's own page: the signed link is the key, no login.
    "events:rsvp": ("rsvp_key", "public"),
    # Results: every member reads their own briefing and meetings (empty when they host no
    # one), another host's only as an organiser; logging a goal is its host's or an organiser's.
    "events:briefing": ("event", "member"),
    "events:briefing_pdf": ("event", "member"),
    "events:briefing_send": ("event", "action"),
    "events:met": ("event", "member"),
    "events:met_log": ("meeting_goal", "owner"),
    "events:report": ("event", "member"),
    "events:results_trend": (None, "member"),
    # The guest's survey: the signed link is the key, no login.
    "events:survey": ("survey_key", "public"),
    # network intelligence (namespace "network"): every member asks of their visible graph;
    # asking for an introduction makes a follow-up, so a read-only member may not
    "network:overview": (None, "member"),
    "network:communities": (None, "member"),
    "network:variety": (None, "member"),
    "network:conflicts": (None, "member"),
    "network:map": (None, "member"),
    "network:export": (None, "member"),
    "network:introduction_made": ("introduction_ask", "action"),
    "network:person_paths": ("person", "member"),
    "network:organisation_paths": ("organisation", "member"),
    "network:person_ask": ("person", "write"),
    "network:organisation_ask": ("organisation", "write"),
    # network strategy (namespace "strategy"): goals and themes are the network manager's; every
    # member reads them and their coverage; linking a relation is a write, unlinking the linker's
    "strategy:overview": (None, "member"),
    "strategy:goal_new": (None, "manager"),
    "strategy:goal_edit": ("goal", "manager"),
    "strategy:goal_delete": ("goal", "manager"),
    "strategy:theme_new": (None, "manager"),
    "strategy:theme": ("theme", "member"),
    "strategy:theme_edit": ("theme", "manager"),
    "strategy:theme_delete": ("theme", "manager"),
    "strategy:heatmap": (None, "member"),
    "strategy:person_link": ("person", "write"),
    "strategy:organisation_link": ("organisation", "write"),
    "strategy:link_remove": ("theme_link", "owner"),
    "strategy:plans": (None, "member"),
    "strategy:plan_new": (None, "manager"),
    "strategy:plan_edit": ("plan", "manager"),
    "strategy:plan_delete": ("plan", "manager"),
    "strategy:differences": (None, "member"),
    "strategy:occasion_add": ("person", "write"),
    "strategy:reports": (None, "manager"),
    "strategy:report": ("report", "manager"),
    "strategy:report_pdf": ("report", "manager"),
    "strategy:report_csv": ("report", "manager"),
    "strategy:report_xlsx": ("report", "manager"),
    "strategy:subscriptions": (None, "member"),  # one's own subscriptions
    "strategy:subscription_delete": ("subscription", "self"),
    # contact moments that log themselves (namespace "autolog"): each member's own settings,
    # connections, rules and review inbox; another member's do not exist for them
    "autolog:settings": (None, "member"),
    "autolog:connect": (None, "member"),
    "autolog:oauth_start": (None, "member"),
    "autolog:oauth_return": (None, "member"),
    "autolog:renew": ("autolog_connection", "self"),
    "autolog:read_now": ("autolog_connection", "self"),
    "autolog:disconnect": ("autolog_connection", "self"),
    "autolog:never_add": (None, "member"),
    "autolog:never_remove": ("autolog_rule", "self"),
    "autolog:review": (None, "member"),
    "autolog:keep": ("autolog_entry", "self"),
    "autolog:discard": ("autolog_entry", "self"),
    "autolog:ignore": ("autolog_entry", "self"),
    "autolog:resolve": ("autolog_entry", "self"),
    # the member network (namespace "members"): the goal and the directory are every member's;
    # the public page needs no login (and exists only in a member network); a referral is
    # answered by its receiver alone; commitment overview and applications are the coordinator's
    "members:setup": (None, "manager"),
    "members:goal": (None, "member"),
    "members:goal_edit": (None, "manager"),
    "members:join": ("member_network", "public"),
    "members:join_thanks": ("member_network", "public"),
    "members:directory": (None, "member"),
    "members:helpers": (None, "member"),
    "members:profile_edit": (None, "action"),
    "members:profile": ("member", "member"),
    "members:tie_add": ("member", "action"),
    "members:tie_remove": ("member", "action"),
    "members:referrals": (None, "action"),
    "members:referral_confirm": ("referral", "self"),
    "members:referral_decline": ("referral", "self"),
    "members:flow": (None, "member"),
    "members:commitment": (None, "member"),
    "members:commitment_overview": (None, "manager"),
    "members:contribution_add": (None, "manager"),
    "members:applications": (None, "manager"),
    "members:application": ("application", "manager"),
    "members:application_step": ("application", "manager"),
    "members:application_introducer": ("application", "manager"),
    # costs: every member reads an event's cost statement (all shares, openly) and their own
    # costs; sharing, marking paid, fees and the year's statement are the coordinator's
    "members:cost_statement": ("event", "member"),
    "members:cost_publish": ("event", "manager"),
    "members:cost_share_paid": ("cost_share", "manager"),
    "members:my_costs": (None, "member"),
    "members:year": (None, "manager"),
    "members:year_export": (None, "manager"),
    "members:fees_set": (None, "manager"),
    "members:fee_paid": ("fee", "manager"),
    # drop-in meetings: every member sees the door links, the coordinator plans a series; the
    # door page needs no login, its signed link is the key
    "members:drop_ins": (None, "member"),
    "members:drop_in_plan": (None, "manager"),
    "members:drop_in_door": ("drop_in_event", "manager"),
    "members:drop_in": ("drop_in_key", "public"),
    # Single sign-on is off unless configured (tests/accounts/test_single_sign_on.py turns it on).
    "accounts:oidc_start": (None, "nothing"),
    "accounts:oidc_callback": (None, "nothing"),
}
# What a POST sends, for pages that act on an object named in the form rather than the URL.
PAGE_POSTS: dict[str, Callable[[World], dict[str, Any]]] = {
    "events:guest_add": lambda w: {"person": w.variants["own"].person.pk},
    "events:guest_dismiss": lambda w: {"person": w.variants["own"].person.pk},
    "events:guest_host_add": lambda w: {"member": w.members["colleague"].pk},
    "maintenance_tier_review_action": lambda w: {
        "action": "accept",
        "suggestion": w.extra["tier_suggestion"].pk,
    },
}
# Namespaces with one rule for all their URLs.
NAMESPACES = {"admin": "staff"}
# Namespaces whose URLs have a line each in PAGES, as "namespace:name".
PAGE_NAMESPACES = {"accounts", "events", "network", "autolog", "strategy", "members"}
PERSON_BOUND = {
    "person",
    "person_tie",
    "affiliation",
    "moment",
    "moment_person",
    "follow_up",
    "favour",
    "pair",
    "event_guest",
    "event_person",
    "theme_link",
    "meeting_goal",
}


def _patterns(patterns: list[Any], namespace: str | None = None) -> list[tuple[str | None, str]]:
    found: list[tuple[str | None, str]] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += _patterns(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            found.append((namespace, pattern.name or str(pattern.pattern)))
    return found


def _page_names() -> list[str]:
    names = {
        name if ns is None else f"{ns}:{name}"
        for ns, name in _patterns(get_resolver().url_patterns)
        if ns is None or ns in PAGE_NAMESPACES
    }
    return sorted(names)


def _organisation_link(world: World) -> Any:
    """A relation of the owner's organisation with another one, made when a row needs it."""
    if "organisation_link" not in world.extra:
        from gilde.relations.models import OrganisationLink
        from tests.factories import OrganisationFactory

        world.extra["organisation_link"] = OrganisationLink.objects.create(
            source=world.organisation, target=OrganisationFactory(), kind="partner"
        )
    return world.extra["organisation_link"]


def _event_item(world: World, kind: str) -> Any:
    """A programme or cost item of the owner's event, made when a row needs it."""
    if kind not in world.extra:
        from gilde.events.models import CostItem, ProgrammeItem

        event = world.extra["event"]
        world.extra[kind] = (
            ProgrammeItem.objects.create(
                event=event, starts_at=event.starts_at, duration_minutes=30, title="Inloop"
            )
            if kind == "programme_item"
            else CostItem.objects.create(event=event, description="Zaal", planned=100)
        )
    return world.extra[kind]


def _introduction(world: World) -> Any:
    """The owner's open request to meet their relation, made when a row needs it."""
    if "introduction" not in world.extra:
        from gilde.events.models import IntroductionRequest

        world.extra["introduction"] = IntroductionRequest.objects.create(
            member=world.members["owner"], person=world.variants["own"].person
        )
    return world.extra["introduction"]


def _introduction_ask(world: World) -> Any:
    """The owner's open ask for an introduction to their relation, made when a row needs it."""
    if "introduction_ask" not in world.extra:
        from gilde.contacts.models import FollowUp
        from gilde.network.models import IntroductionAsk

        owner, person = world.members["owner"], world.variants["own"].person
        follow_up = FollowUp.objects.create(owner=owner, title="Vraag een introductie")
        world.extra["introduction_ask"] = IntroductionAsk.objects.create(
            follow_up=follow_up, colleague=owner, person=person
        )
    return world.extra["introduction_ask"]


def _meeting_goal(world: World, variant: str) -> Any:
    """The owner's goal to meet the variant's relation at their event, made when a row needs it."""
    key = f"meeting_goal_{variant}"
    if key not in world.extra:
        from gilde.events.models import MeetingGoal

        world.extra[key] = MeetingGoal.objects.create(
            event=world.extra["event"],
            kind="colleague",
            member=world.members["owner"],
            person_a=world.variants[variant].person,
            priority=1,
        )
    return world.extra[key]


def _invitation(world: World) -> Any:
    """An open invitation, made when a row needs it."""
    if "invitation" not in world.extra:
        from gilde.accounts.invitations import invitation_create

        world.extra["invitation"] = invitation_create(
            actor=world.members["manager"],
            email="nieuw@example.nl",
            first_name="Nieuw",
            role="networker",
        )
    return world.extra["invitation"]


def _seating_table(world: World) -> Any:
    """A table of the owner's event, made when a row needs it."""
    if "seating_table" not in world.extra:
        from gilde.events.models import SeatingTable

        world.extra["seating_table"] = SeatingTable.objects.create(
            event=world.extra["event"], number=1, capacity=8
        )
    return world.extra["seating_table"]


def _referral(world: World) -> Any:
    """A referral the colleague gave the owner (the owner is its receiver), made when needed."""
    if "referral" not in world.extra:
        from gilde.members.services import referral_record

        world.extra["referral"] = referral_record(
            actor=world.members["colleague"],
            receiver=world.members["owner"],
            kind="help",
            description="Vertrouwelijk",
        )
    return world.extra["referral"]


def _application(world: World) -> Any:
    """An application to join, made when a row needs it."""
    if "application" not in world.extra:
        from gilde.members.services import application_submit

        world.extra["application"] = application_submit(
            kind="join",
            first_name="Fleur",
            last_name="de Wit",
            email="fleur@example.nl",
            consent=True,
        )
    return world.extra["application"]


def _money(world: World, kind: str) -> Any:
    """The owner's share of their event's costs, or their fee, made when a row needs it."""
    if kind not in world.extra:
        from gilde.members.models import CostShare, CostStatement, MembershipFee

        owner = world.members["owner"]
        if kind == "fee":
            world.extra[kind] = MembershipFee.objects.create(
                member=owner, year=2026, amount=95, reference="GLD-FEE-2026-1"
            )
        else:
            statement = CostStatement.objects.create(
                event=world.extra["event"], rule="equal", total=100, attendees=1
            )
            world.extra[kind] = CostShare.objects.create(
                statement=statement, member=owner, amount=100, reference="GLD-1-1-00"
            )
    return world.extra[kind]


def _kwargs(world: World, obj: str | None, variant: str) -> dict[str, Any]:
    if obj == "member_network":
        from gilde.members.network import kind_remember

        kind_remember("members")
        return {}
    if obj == "referral":
        return {"pk": _referral(world).pk}
    if obj == "application":
        return {"pk": _application(world).pk}
    if obj == "drop_in_key":
        from gilde.events.models import Event
        from gilde.members.dropin import drop_in_key

        Event.objects.filter(pk=world.extra["event"].pk).update(kind="open_coffee")
        return {"key": drop_in_key(world.extra["event"])}
    if obj == "drop_in_event":
        from gilde.events.models import Event

        Event.objects.filter(pk=world.extra["event"].pk).update(kind="open_coffee")
        return {"pk": world.extra["event"].pk}
    if obj in ("cost_share", "fee"):
        return {"pk": _money(world, obj).pk}
    if obj == "seating_table":
        return {"pk": world.extra["event"].pk, "table_pk": _seating_table(world).pk}
    if obj == "seating_pdf":
        from gilde.events.models import SeatingPlan

        if "seating_plan" not in world.extra:
            world.extra["seating_plan"] = SeatingPlan.objects.create(
                event=world.extra["event"], status="ready", seats=[{"tables": {}}]
            )
        return {"pk": world.extra["event"].pk, "what": "cards"}
    if obj == "meeting_goal":
        return {"pk": world.extra["event"].pk, "goal_pk": _meeting_goal(world, variant).pk}
    if obj == "organisation_link":
        return {"pk": world.organisation.pk, "link_pk": _organisation_link(world).pk}
    if obj == "invitation":
        return {"pk": _invitation(world).pk}
    if obj == "event":
        return {"pk": world.extra["event"].pk}
    if obj in ("programme_item", "cost_item"):
        return {"pk": world.extra["event"].pk, "item_pk": _event_item(world, obj).pk}
    if obj == "event_guest":
        return {"pk": world.extra["event"].pk, "guest_pk": world.variants[variant].guest.pk}
    if obj == "introduction":
        return {"pk": _introduction(world).pk}
    if obj == "introduction_ask":
        return {"pk": _introduction_ask(world).pk}
    if obj in ("autolog_connection", "autolog_rule", "autolog_entry"):
        return {"pk": world.extra[obj].pk}
    if obj == "survey_key":
        from gilde.events.survey import survey_key

        guest = world.variants["own"].guest
        guest.status = "attended"
        guest.save(update_fields=["status"])
        return {"key": survey_key(guest)}
    if obj == "rsvp_key":
        from gilde.events.rsvp import rsvp_key

        return {"key": rsvp_key(world.variants["own"].guest)}
    if obj == "event_person":
        return {"pk": world.extra["event"].pk, "person_pk": world.variants[variant].person.pk}
    if obj == "invitation_token":
        from gilde.accounts.invitations import invitation_token

        return {"token": invitation_token(_invitation(world))}
    v = world.variants[variant]
    return {
        None: {},
        "api_path": {"rest": "no-such-thing/7"},
        "person": {"pk": v.person.pk},
        "affiliation": {"pk": v.person.pk, "affiliation_pk": v.affiliation.pk},
        "person_tie": {"pk": v.person.pk, "tie_pk": v.person_tie.pk},
        "organisation": {"pk": world.organisation.pk},
        "moment": {"pk": v.moment.pk},
        "moment_person": {"pk": v.moment.pk, "person_pk": v.person.pk},
        "follow_up": {"pk": v.follow_up.pk},
        "favour": {"pk": v.favour.pk},
        "pair": {"pk": v.pair.pk},
        "member": {"pk": world.members["owner"].pk},
        "token": {"pk": world.extra["api_token"].pk},
        "import": {"pk": world.extra["import_batch"].pk},
        "job": {"pk": world.extra["job"].pk},
        "goal": {"pk": world.extra["goal"].pk},
        "theme": {"pk": world.extra["theme"].pk},
        "plan": {"pk": world.extra["plan"].pk},
        "subscription": {"pk": world.extra["subscription"].pk},
        "report": {"pk": world.extra["report"].pk},
        "theme_link": {"pk": v.theme_link.pk},
        "feed": {"token": "cal_not-a-valid-token"},
        "password_reset": {"uidb64": "MQ", "token": "not-a-valid-token"},
    }[obj]


def _outcome(status: int, location: str = "") -> str:
    if status >= 500:
        return "error"
    if status in (301, 302) and "/login/" in location:
        return "login"
    return {401: "unauth", 403: "denied", 404: "hidden", 405: "method"}.get(status, "ok")


def _clients(world: World) -> dict[str, Client]:
    """One logged-in client per role, made once (a request that logs out is rolled back)."""
    clients = {}
    for role in ROLES:
        clients[role] = Client(raise_request_exception=False)
        user = world.user(role)
        if user is not None:
            clients[role].force_login(user)
    return clients


def _isolated(call: Callable[[], Any]) -> Any:
    """Run one request and undo whatever it wrote, so every cell starts from the same world."""
    with transaction.atomic():
        response = call()
        transaction.set_rollback(True)
    return response


def _check_page(world: World, name: str, obj: str | None, kind: str) -> list[str]:
    problems = []
    clients = _clients(world)
    variants = ["own", "confidential"] if obj in PERSON_BOUND else ["own"]
    for variant in variants:
        url = reverse(name, kwargs=_kwargs(world, obj, variant))
        for role in ROLES:
            allowed = expected(kind, role, variant, obj in PERSON_BOUND)
            for method in ("get", "post"):
                data = PAGE_POSTS[name](world) if method == "post" and name in PAGE_POSTS else {}
                response = _isolated(lambda: getattr(clients[role], method)(url, data))  # noqa: B023
                got = _outcome(response.status_code, response.get("Location", ""))
                if got not in allowed:
                    problems.append(
                        f"{method.upper()} {url} as {role} ({variant}): {response.status_code} "
                        f"= {got}, expected {' or '.join(sorted(allowed))}"
                    )
    return problems


@pytest.mark.parametrize("name", _page_names())
def test_every_page_answers_each_role_as_the_matrix_says(name: str, db: Any) -> None:
    assert name in PAGES, f"URL {name!r} has no entry in the access matrix (tests/security)"
    obj, kind = PAGES[name]
    problems = _check_page(build_world(), name, obj, kind)
    assert not problems, "\n".join(problems)


def test_every_namespace_has_a_rule() -> None:
    namespaces = {ns for ns, _name in _patterns(get_resolver().url_patterns) if ns}
    assert namespaces <= set(NAMESPACES) | PAGE_NAMESPACES | {"api-v1"}, namespaces


def test_the_django_admin_lets_in_administrators_only(db: Any) -> None:
    world = build_world()
    url = reverse("admin:index")
    clients = _clients(world)
    for role in ROLES:
        response = clients[role].get(url)
        got = _outcome(response.status_code, response.get("Location", ""))
        assert got in expected("staff", role, "own", False), (role, response.status_code)


# ---- the API -----------------------------------------------------------------------------------

# "METHOD /path": (object its path parameter names, access kind, body)
Body = Callable[[World, str], Any]
API: dict[str, tuple[str | None, str, Body | None]] = {
    "GET /persons": (None, "member", None),
    "POST /persons": (None, "write", lambda w, v: {"family_name": "Nieuw"}),
    "GET /persons/{person_id}": ("person", "member", None),
    "PATCH /persons/{person_id}": ("person", "owner", lambda w, v: {"given_name": "Kees"}),
    "DELETE /persons/{person_id}": ("person", "owner", None),
    "GET /organisations": (None, "member", None),
    "POST /organisations": (None, "write", lambda w, v: {"name": "Nieuw B.V."}),
    "GET /organisations/{organisation_id}": ("organisation", "member", None),
    "PATCH /organisations/{organisation_id}": (
        "organisation",
        "owner",
        lambda w, v: {"city": "Delft"},
    ),
    "DELETE /organisations/{organisation_id}": ("organisation", "owner", None),
    "GET /organisation-links": (None, "member", None),
    "POST /organisation-links": (
        None,
        "owner",
        lambda w, v: {
            "source_id": w.organisation.pk,
            "target_id": _organisation_link(w).target_id,
            "kind": "competitor",
        },
    ),
    "GET /organisation-links/{link_id}": ("organisation_link", "member", None),
    "PATCH /organisation-links/{link_id}": (
        "organisation_link",
        "owner",
        lambda w, v: {"kind": "competitor"},
    ),
    "DELETE /organisation-links/{link_id}": ("organisation_link", "owner", None),
    "GET /affiliations": (None, "member", None),
    "POST /affiliations": (
        None,
        "owner",
        lambda w, v: {"person_id": w.variants[v].person.pk, "organisation_id": w.organisation.pk},
    ),
    "GET /affiliations/{affiliation_id}": ("affiliation", "member", None),
    "PATCH /affiliations/{affiliation_id}": ("affiliation", "owner", lambda w, v: {"role": "CFO"}),
    "DELETE /affiliations/{affiliation_id}": ("affiliation", "owner", None),
    "GET /ties": (None, "member", None),
    "POST /ties": (None, "action", lambda w, v: {"person_id": w.variants[v].person.pk}),
    "GET /ties/{tie_id}": ("tie", "member", None),
    "PATCH /ties/{tie_id}": ("tie", "owner", lambda w, v: {"strength": 4}),
    "DELETE /ties/{tie_id}": ("tie", "owner", None),
    "GET /contact-moments": (None, "member", None),
    "POST /contact-moments": (
        None,
        "write",
        lambda w, v: {
            "occurred_at": "2025-03-01T10:00:00+01:00",
            "person_ids": [w.variants[v].person.pk],
            "summary": "Koffie",
        },
    ),
    "GET /contact-moments/{moment_id}": ("moment", "member", None),
    "PATCH /contact-moments/{moment_id}": ("moment", "owner", lambda w, v: {"summary": "Lunch"}),
    "DELETE /contact-moments/{moment_id}": ("moment", "owner", None),
    "GET /follow-ups": (None, "member", None),
    "POST /follow-ups": (
        None,
        "write",
        lambda w, v: {"title": "Offerte sturen", "person_id": w.variants[v].person.pk},
    ),
    "POST /follow-ups/{follow_up_id}/done": ("follow_up", "owner", None),
    "GET /persons/{person_id}/care": ("person", "member", None),
    "GET /due": (None, "member", None),
    "GET /due/organisation": (None, "manager", None),
    "GET /going-cold": (None, "manager", None),
    "POST /persons/{person_id}/snooze": ("person", "owner", lambda w, v: {"days": 7}),
    "DELETE /persons/{person_id}/snooze": ("person", "owner", None),
    "POST /persons/{person_id}/hand-over": (
        "person",
        "owner",
        # to someone who may see the person: the colleague cannot see the confidential one
        lambda w, v: {"member_id": w.members["colleague" if v == "own" else "manager"].pk},
    ),
    "GET /favours": (None, "member", None),
    "POST /favours": (
        None,
        "write",
        lambda w, v: {"direction": "given", "kind": "help", "person_id": w.variants[v].person.pk},
    ),
    "GET /favours/{favour_id}": ("favour", "member", None),
    "PATCH /favours/{favour_id}": ("favour", "owner", lambda w, v: {"note": "Dank"}),
    "DELETE /favours/{favour_id}": ("favour", "owner", None),
    "GET /persons/{person_id}/goodwill": ("person", "member", None),
    "GET /organisations/{organisation_id}/goodwill": ("organisation", "member", None),
    "GET /goodwill/give-back": (None, "member", None),
    "GET /signals": (None, "member", None),
    "GET /import-batches": (None, "member", None),
    "POST /import-batches": (None, "write", None),
    "GET /import-batches/{batch_id}": ("import", "private", None),
    "POST /import-batches/{batch_id}/mapping": ("import", "private", lambda w, v: {"mapping": {}}),
    "POST /import-batches/{batch_id}/commit": ("import", "private", None),
    "POST /import-batches/{batch_id}/undo": ("import", "private", None),
    "GET /duplicates": (None, "manager", None),  # as the page: who may merge
    "POST /duplicates/{pair_id}/dismiss": ("pair", "manager", None),
    "POST /merges": (
        None,
        "manager",
        lambda w, v: {
            "keep": w.variants[v].person.pk,
            "other": w.variants[v].pair.person_b_id
            if w.variants[v].pair.person_a_id == w.variants[v].person.pk
            else w.variants[v].pair.person_a_id,
        },
    ),
    "GET /exports/persons": (None, "write", None),
    "GET /audit-entries": (None, "manager", None),
    "GET /persons/{person_id}/access-report": ("person", "manager", None),
    "POST /persons/{person_id}/erase": ("person", "manager", None),
    "GET /erasure-requests/{request_id}": ("erasure_request", "manager", None),
    "GET /events": (None, "member", None),
    "POST /events": (
        None,
        "write",
        lambda w, v: {
            "title": "Haringparty",
            "starts_at": "2027-06-10T17:00:00+02:00",
            "ends_at": "2027-06-10T21:00:00+02:00",
        },
    ),
    "GET /events/{event_id}": ("event", "member", None),
    "PATCH /events/{event_id}": ("event", "owner", lambda w, v: {"venue": "Loods 5"}),
    "DELETE /events/{event_id}": ("event", "owner", None),
    "GET /events/{event_id}/programme": ("event", "member", None),
    "POST /events/{event_id}/programme": (
        "event",
        "owner",
        lambda w, v: {
            "starts_at": w.extra["event"].starts_at.isoformat(),
            "duration_minutes": 30,
            "title": "Inloop",
        },
    ),
    "DELETE /events/{event_id}/programme/{item_id}": ("programme_item", "owner", None),
    "GET /events/{event_id}/costs": ("event", "member", None),
    "POST /events/{event_id}/costs": (
        "event",
        "owner",
        lambda w, v: {"description": "Catering", "planned": "250"},
    ),
    "DELETE /events/{event_id}/costs/{item_id}": ("cost_item", "owner", None),
    "GET /events/{event_id}/guests": ("event", "member", None),
    "GET /events/{event_id}/suggestions": ("event", "member", None),
    "GET /events/{event_id}/balance": ("event", "member", None),
    "GET /events/{event_id}/turnout": ("event", "member", None),
    "GET /events/{event_id}/warnings": ("event", "member", None),
    "POST /events/{event_id}/guests": (
        "event",
        "owner",
        lambda w, v: {"person_id": w.variants[v].person.pk},
    ),
    "DELETE /events/{event_id}/guests/{guest_id}": ("guest", "owner", None),
    "PUT /events/{event_id}/attendance": (
        "event",
        "owner",
        lambda w, v: {"present": [w.variants[v].guest.pk]},
    ),
    "GET /events/{event_id}/invitations": ("event", "member", None),
    "POST /events/{event_id}/invitations/send": ("event", "owner", lambda w, v: {}),
    "GET /events/{event_id}/rsvp": ("event", "owner", None),
    "GET /events/{event_id}/check-in": ("event", "member", None),
    "POST /events/{event_id}/guests/{guest_id}/check-in": ("guest", "owner", None),
    "DELETE /events/{event_id}/guests/{guest_id}/check-in": ("guest", "owner", None),
    "GET /events/{event_id}/goals": ("event", "member", None),
    "POST /events/{event_id}/goals": (
        "event",
        "owner",
        lambda w, v: {
            "kind": "colleague",
            "member_id": w.members["owner"].pk,
            "person_a_id": w.variants[v].person.pk,
        },
    ),
    "DELETE /events/{event_id}/goals/{goal_id}": ("meeting_goal", "owner", None),
    # Without tables or a plan the owner's calls are refused as bad input (400), after the
    # permission check.
    "GET /events/{event_id}/seating": ("event", "member", None),
    "POST /events/{event_id}/seating/plan": ("event", "owner", lambda w, v: {}),
    "POST /events/{event_id}/seating/move": (
        "event",
        "owner",
        lambda w, v: {"guest": f"g{w.variants[v].guest.pk}", "table": "t1"},
    ),
    "POST /events/{event_id}/seating/swap": (
        "event",
        "owner",
        lambda w, v: {"guest": f"g{w.variants[v].guest.pk}", "other": "g1"},
    ),
    "POST /events/{event_id}/seating/lock": (
        "event",
        "owner",
        lambda w, v: {"guest": f"g{w.variants[v].guest.pk}"},
    ),
    "GET /events/{event_id}/briefing": ("event", "member", None),
    "GET /events/{event_id}/report": ("event", "member", None),
    "GET /strategy/themes": (None, "member", None),
    "GET /strategy/themes/{theme_id}/coverage": (None, "member", None),
    "GET /strategy/heatmap": (None, "member", None),
    "GET /persons/{person_id}/themes": ("person", "member", None),
    "POST /strategy/themes/{theme_id}/links": (
        None,
        "write",
        lambda w, v: {"person_id": w.variants[v].person.pk, "role": "expert"},
    ),
    "DELETE /strategy/theme-links/{theme_link_id}": ("theme_link", "owner", None),
    "GET /network/reach": (None, "member", None),
    "GET /network/loss": (None, "member", None),  # without member_id: a clear 422
    "GET /network/risk": (None, "member", None),
    "GET /network/brokers": (None, "member", None),
    "GET /network/communities": (None, "member", None),
    "GET /network/variety": (None, "member", None),
    "GET /network/conflicts": (None, "member", None),
    "GET /persons/{person_id}/network-loss": ("person", "member", None),
    "GET /persons/{person_id}/warm-paths": ("person", "member", None),
    "GET /organisations/{organisation_id}/warm-paths": ("organisation", "member", None),
    "POST /persons/{person_id}/introductions": ("person", "write", lambda w, v: {"path": 1}),
    "POST /organisations/{organisation_id}/introductions": (
        "organisation",
        "write",
        lambda w, v: {"path": 1},
    ),
    "GET /members/network": (None, "member", None),
    "GET /members/directory": (None, "member", None),
    "GET /members/help": (None, "member", None),
    "GET /members/me/profile": (None, "member", None),
    "PUT /members/me/profile": (None, "write", lambda w, v: {"region": "Utrecht"}),
    "GET /members/referrals": (None, "member", None),
    "POST /members/referrals": (
        None,
        "write",
        lambda w, v: {"receiver_id": w.members["manager"].pk, "kind": "help"},
    ),
    "POST /members/referrals/{referral_id}/answer": ("referral", "self", lambda w, v: {}),
    "GET /members/balance": (None, "member", None),
    "GET /members/flow": (None, "member", None),
    "GET /members/commitment": (None, "manager", None),
    "GET /members/applications": (None, "manager", None),
    "GET /members/cost-statements": (None, "member", None),
    "GET /members/cost-statements/{event_id}": ("cost_statement", "member", None),
    "GET /members/my-cost-shares": (None, "member", None),
    "POST /members/cost-shares/{share_id}/paid": ("cost_share", "manager", lambda w, v: {}),
    "GET /members/drop-ins": (None, "member", None),
    "POST /members/drop-ins/{event_id}/check-in": (
        "drop_in_event",
        "manager",
        lambda w, v: {"first_name": "Bezoeker", "email": "bezoeker@example.nl", "consent": True},
    ),
    "GET /members/applications/{application_id}": ("application", "manager", None),
    "POST /members/applications/{application_id}/step": (
        "application",
        "manager",
        lambda w, v: {"status": "talk"},
    ),
    "POST /members/applications/{application_id}/introducer": (
        "application",
        "manager",
        lambda w, v: {"introduced_by_id": None},
    ),
}
API_PERSON_BOUND = PERSON_BOUND | {"tie", "guest"}
# A body that names a person makes the operation person-bound too.
BODY_NAMES_PERSON = {
    "POST /affiliations",
    "POST /ties",
    "POST /contact-moments",
    "POST /favours",
    "POST /merges",
    "POST /strategy/themes/{theme_id}/links",
    "POST /events/{event_id}/goals",
}


def _operations() -> list[str]:
    from gilde.api import api

    schema = api.get_openapi_schema(codes=False)
    return sorted(
        f"{method.upper()} {path.removeprefix('/api/v1')}"
        for path, operations in schema["paths"].items()
        for method in operations
    )


def _api_path(world: World, path: str, obj: str | None, variant: str) -> str:
    v = world.variants[variant]
    values = {
        "person_id": v.person.pk,
        "organisation_id": world.organisation.pk,
        "affiliation_id": v.affiliation.pk,
        "tie_id": v.tie.pk,
        "moment_id": v.moment.pk,
        "follow_up_id": v.follow_up.pk,
        "favour_id": v.favour.pk,
        "pair_id": v.pair.pk,
        "batch_id": world.extra["import_batch"].pk,
        "request_id": world.extra["erasure_request"].pk,
        "event_id": world.extra["event"].pk,
        "guest_id": v.guest.pk,
        "theme_id": world.extra["theme"].pk,
        "theme_link_id": v.theme_link.pk,
    }
    if "{item_id}" in path:
        values["item_id"] = _event_item(
            world, "programme_item" if "/programme/" in path else "cost_item"
        ).pk
    if "{link_id}" in path:
        values["link_id"] = _organisation_link(world).pk
    if "{goal_id}" in path:
        values["goal_id"] = _meeting_goal(world, variant).pk
    if "{referral_id}" in path:
        values["referral_id"] = _referral(world).pk
    if "{application_id}" in path:
        values["application_id"] = _application(world).pk
    if "{share_id}" in path or obj == "cost_statement":
        values["share_id"] = _money(world, "cost_share").pk
    if obj == "drop_in_event":
        _kwargs(world, obj, variant)
    return "/api/v1" + path.format(**values)


def _check_operation(world: World, operation: str) -> list[str]:
    obj, kind, body = API[operation]
    method, path = operation.split(" ", 1)
    bound = obj in API_PERSON_BOUND or operation in BODY_NAMES_PERSON
    problems = []
    client = Client(raise_request_exception=False)
    for variant in ["own", "confidential"] if bound else ["own"]:
        url = _api_path(world, path, obj, variant)
        data = json.dumps(body(world, variant)) if body else None
        for role in ("anonymous", *MEMBERS):
            headers = (
                {"HTTP_AUTHORIZATION": f"Bearer {world.tokens[role]}"}
                if role in world.tokens
                else {}
            )
            allowed = {"unauth"} if role == "anonymous" else expected(kind, role, variant, bound)
            if role != "anonymous" and (variant == "own" or operation in BODY_NAMES_PERSON):
                # A refused body is not an access question; a person named in a body that the
                # user may not see is as unknown as one that does not exist.
                allowed = allowed | {"invalid"}
            call = getattr(client, method.lower())
            response = _isolated(
                lambda: (
                    call(url, data, content_type="application/json", **headers)  # noqa: B023
                    if data is not None  # noqa: B023
                    else call(url, **headers)  # noqa: B023
                )
            )
            got = (
                "invalid" if response.status_code in (400, 422) else _outcome(response.status_code)
            )
            if got not in allowed:
                problems.append(
                    f"{operation} as {role} ({variant}): {response.status_code} = {got}, "
                    f"expected {' or '.join(sorted(allowed))}: {response.content[:200]!r}"
                )
    return problems


@pytest.mark.parametrize("operation", _operations())
def test_every_api_operation_answers_each_role_as_the_matrix_says(operation: str, db: Any) -> None:
    assert operation in API, f"API operation {operation!r} has no entry in the access matrix"
    problems = _check_operation(build_world(tokens=True), operation)
    assert not problems, "\n".join(problems)
