"""Care follows history: after any service that changes an input of care (contact moments and
their participants, colleague ties, tiers, rhythms, merges, imports and their undo, hand-over),
the stored status, tie strengths and who is reminded are what the nightly recompute would make
of them. Every public service is classified below, so a new one cannot be forgotten."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from importlib import import_module
from typing import Any

import pytest
from django.utils import timezone

from gilde.accounts.leaving import GROUPS, member_leave
from gilde.accounts.models import Role
from gilde.contacts import services as contacts
from gilde.events import attendance
from gilde.events.models import Guest, GuestStatus
from gilde.imports import services as imports
from gilde.maintenance import services as maintenance
from gilde.maintenance.models import RelationCare, TieStrength
from gilde.privacy.erasure import person_erase
from gilde.relations import services as relations
from gilde.relations.merge import person_merge
from gilde.relations.models import Tie, Tier
from tests.factories import (
    ContactMomentFactory,
    EventFactory,
    MemberFactory,
    PersonFactory,
    TieFactory,
)


class Near:
    """A stored time, equal to another within two seconds: a strength places its last contact by
    its age in (fractional) days, which rounds differently at another moment of computing."""

    def __init__(self, value: dt.datetime) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Near) and abs(self.value - other.value) <= dt.timedelta(seconds=2)

    def __repr__(self) -> str:
        return repr(self.value)


def second(value: dt.datetime | None) -> Near | None:
    return Near(value) if value else None


def care_snapshot() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The derived figures: per relation its status inputs, per colleague tie its strength."""

    care = sorted(
        (p, t, second(last), top, contact, due, overdue)
        for p, t, last, top, contact, due, overdue in RelationCare.objects.values_list(
            "person_id",
            "tier_id",
            "last_contact_at",
            "top_member_id",
            "contact_member_id",
            "override_due_on",
            "override_overdue_on",
        )
    )
    strengths = sorted(
        (tie, member, person, score, year, meetings, calls, total, second(last), kind)
        for tie, member, person, score, year, meetings, calls, total, last, kind in TieStrength.objects.values_list(
            "tie_id",
            "member_id",
            "person_id",
            "score",
            "contacts_year",
            "meetings_year",
            "calls_year",
            "contacts_total",
            "last_contact_at",
            "last_kind",
        )
    )
    return care, strengths


class World:
    """Two colleagues who know a key relation, a colleague who knows nobody yet, a manager."""

    def __init__(self) -> None:
        self.manager = MemberFactory(role=Role.NETWORK_MANAGER)
        self.owner = MemberFactory(role=Role.NETWORKER)
        self.other = MemberFactory(role=Role.NETWORKER)
        self.newcomer = MemberFactory(role=Role.NETWORKER)
        tier_a = Tier.objects.get(code="A")
        self.person = PersonFactory(owner=self.owner, tier=tier_a)
        self.twin = PersonFactory(owner=self.owner, family_name=self.person.family_name)
        self.owner_tie = TieFactory(member=self.owner, person=self.person, strength=4)
        self.other_tie = TieFactory(member=self.other, person=self.person, strength=2)
        TieFactory(member=self.other, person=self.twin, strength=3)
        now = timezone.now()
        self.moment = ContactMomentFactory(
            persons=[self.person],
            members=[self.owner],
            created_by=self.owner,
            occurred_at=now - dt.timedelta(days=40),
        )
        ContactMomentFactory(
            persons=[self.twin],
            members=[self.other],
            created_by=self.other,
            occurred_at=now - dt.timedelta(days=5),
            kind="meeting",
        )
        maintenance.network_recompute()


def _import_connections(w: World) -> None:
    """A LinkedIn export: every connection becomes a tie of the importing colleague, also to a
    relation already in Gilde (matched by its profile)."""
    w.person.linkedin_url = "https://www.linkedin.com/in/bekende-relatie"
    w.person.save()
    content = (
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Kees,Nieuw,https://www.linkedin.com/in/keesnieuw,,Rijnbouw,Directeur,12 Mar 2021\n"
        f"{w.person.given_name},{w.person.family_name},"
        "https://www.linkedin.com/in/bekende-relatie,,,,03 Jan 2020\n"
    ).encode()
    batch = imports.batch_upload(actor=w.newcomer, file_name="Connections.csv", content=content)
    imports.batch_commit(actor=w.newcomer, batch=batch)


def _import_and_undo(w: World) -> None:
    _import_connections(w)
    from gilde.imports.models import ImportBatch

    imports.batch_undo(actor=w.newcomer, batch=ImportBatch.objects.get())


def _delete_a_confidential_participant(w: World) -> None:
    secret = PersonFactory(owner=w.owner, confidential=True)
    contacts.contact_moment_log(
        actor=w.owner,
        persons=[w.person, secret],
        summary="Samen",
        kind="meeting",
        occurred_at=timezone.now() - dt.timedelta(hours=1),
    )
    relations.person_delete(actor=w.manager, person=secret)


# Each scenario changes an input of care through the service that pages, API and commands call.
def _attend_an_event(w: World) -> None:
    """The relation and the colleague who knows them were at an event; the colleague hosted."""
    start = timezone.now() - dt.timedelta(days=1)
    event = EventFactory(
        organisers=[w.owner], starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    host = Guest.objects.create(event=event, member=w.owner, status=GuestStatus.ACCEPTED)
    guest = Guest.objects.create(
        event=event, person=w.person, host=w.owner, status=GuestStatus.ACCEPTED
    )
    attendance.attendance_set(member=w.owner, event=event, present=[host.pk, guest.pk])


def _introduction_made(w: World) -> None:
    """The newcomer asked the twin for an introduction to the key relation, and it happened:
    a new colleague tie (introduced by the twin)."""
    from gilde.contacts.models import FollowUp
    from gilde.network.introductions import introduction_made
    from gilde.network.models import IntroductionAsk

    follow_up = FollowUp.objects.create(owner=w.newcomer, title="Vraag een introductie")
    ask = IntroductionAsk.objects.create(
        follow_up=follow_up, colleague=w.newcomer, introducer=w.twin, person=w.person
    )
    introduction_made(actor=w.newcomer, ask=ask)


def _autolog_found(w: World, *, review: bool) -> Any:
    """The owner's mailbox found a message from the relation yesterday."""
    from gilde.autolog import services as autolog
    from gilde.relations.models import EmailAddress

    EmailAddress.objects.get_or_create(person=w.person, address="relatie@example.nl")
    autolog.settings_update(actor=w.owner, review=review, keep_body=False, start_days=30)
    rules = autolog.rules_for(w.owner)
    found = autolog.Found(
        key="k" * 64,
        thread_key="t" * 64,
        kind="email",
        summary="Offerte",
        occurred_at=timezone.now() - dt.timedelta(days=1),
        addresses=("relatie@example.nl",),
    )
    return autolog.found_record(rules=rules, found=found, source="mailbox")


def _autolog_keep(w: World) -> None:
    from gilde.autolog import services as autolog

    autolog.entry_keep(actor=w.owner, entry=_autolog_found(w, review=True))


def _autolog_disconnect(w: World) -> None:
    from gilde.autolog import services as autolog
    from gilde.autolog.models import Connection

    entry = _autolog_found(w, review=False)
    connection = Connection.objects.create(member=w.owner, kind="ics", secret="x")
    entry.connection = connection
    entry.save()
    autolog.connection_disconnect(actor=w.owner, connection=connection, delete_moments=True)


def _meet_at_an_event(w: World) -> Any:
    """The newcomer hosted the relation at an event and logged their meeting goal as met."""
    from gilde.events import results
    from gilde.events.models import MeetingGoal

    start = timezone.now() - dt.timedelta(days=1)
    event = EventFactory(
        organisers=[w.owner], starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    Guest.objects.create(event=event, person=w.person, host=w.newcomer, status="attended")
    goal = MeetingGoal.objects.create(
        event=event, kind="colleague", member=w.newcomer, person_a=w.person, priority=1
    )
    return results.meeting_log(member=w.newcomer, goal=goal, host=w.newcomer, met=True)


def _meet_and_take_it_back(w: World) -> None:
    """A met goal corrected to "not yet known": its contact moment goes, care follows."""
    from gilde.events import results

    goal = _meet_at_an_event(w)
    results.meeting_reset(member=w.newcomer, goal=goal, host=w.newcomer)


SCENARIOS: dict[str, Callable[[World], Any]] = {
    "introduction_made": _introduction_made,
    "found_record": lambda w: _autolog_found(w, review=False),
    "entry_keep": _autolog_keep,
    "connection_disconnect": _autolog_disconnect,
    "contact_moment_log": lambda w: contacts.contact_moment_log(
        actor=w.newcomer,
        persons=[w.person, w.twin],
        kind="meeting",
        summary="Lunch",
        occurred_at=timezone.now() - dt.timedelta(hours=2),
    ),
    "contact_moment_update": lambda w: contacts.contact_moment_update(
        actor=w.owner,
        moment=w.moment,
        persons=[w.twin],
        members=[w.owner, w.other],
        occurred_at=timezone.now() - dt.timedelta(days=1),
    ),
    "contact_moment_delete": lambda w: contacts.contact_moment_delete(
        actor=w.owner, moment=w.moment
    ),
    "tie_create": lambda w: relations.tie_create(actor=w.newcomer, person=w.person, strength=5),
    "tie_update": lambda w: relations.tie_update(
        actor=w.owner, tie=w.owner_tie, strength=1, since=dt.date(2001, 5, 1)
    ),
    "tie_delete": lambda w: relations.tie_delete(actor=w.owner, tie=w.owner_tie),
    "person_update": lambda w: relations.person_update(
        actor=w.owner, person=w.person, tier=Tier.objects.get(code="C")
    ),
    "person_delete": lambda w: relations.person_delete(actor=w.manager, person=w.person),
    # A moment with a confidential participant counts only in that participant's figures.
    "person_update, made confidential": lambda w: relations.person_update(
        actor=w.manager, person=w.twin, confidential=True
    ),
    "person_delete, confidential": _delete_a_confidential_participant,
    "person_merge": lambda w: person_merge(actor=w.manager, keep=w.person, other=w.twin),
    "relation_hand_over": lambda w: maintenance.relation_hand_over(
        actor=w.owner, person=w.person, to=w.newcomer
    ),
    "relation_rhythm_set": lambda w: maintenance.relation_rhythm_set(
        actor=w.owner, person=w.person, ideal_interval_days=10, max_interval_days=20
    ),
    "relation_snooze": lambda w: maintenance.relation_snooze(
        actor=w.owner, person=w.person, until=timezone.localdate() + dt.timedelta(days=9)
    ),
    "attendance_set": _attend_an_event,
    "meeting_log": _meet_at_an_event,
    "meeting_reset": _meet_and_take_it_back,
    "attendance_follow": _attend_an_event,
    "batch_commit": _import_connections,
    "batch_undo": _import_and_undo,
    "person_erase": lambda w: person_erase(actor=w.manager, person=w.person),
    "member_leave": lambda w: member_leave(
        actor=w.manager, member=w.owner, successors=dict.fromkeys(GROUPS, w.newcomer)
    ),
}

# Choices kept beside the derived figures (a snooze), an erasure that keeps the ties and moments
# of the anonymised relation, an undo that brings care back to where it was before the import
# (or a logged meeting taken back): consistent, but no derived figure differs from before.
# A disconnect that deletes its moments is tried on a moment the same scenario logged first.
CHANGES_NO_DERIVED_FIGURE = {
    "relation_snooze",
    "person_erase",
    "batch_undo",
    "meeting_reset",
    "connection_disconnect",
}

# Public services that change nothing care is computed from (names, texts, privacy files,
# settings of a member, organisations), or that only read or decide permissions.
NOT_CARE_INPUTS = {
    "gilde.accounts.services": {
        "member_create",
        "administrator_member_ensure",
        "member_set_language",
        "api_token_create",
        "api_token_revoke",
    },
    # Deactivating a colleague changes no figure; letting them leave hands over (a scenario).
    "gilde.accounts.team": {
        "roles_assignable_by",
        "active_administrators",
        "member_update",
        "require_may_deactivate",
        "member_deactivate",
        "member_reactivate",
    },
    "gilde.accounts.leaving": {"leaving_summary", "successor_candidates"},
    "gilde.accounts.invitations": {
        "invitation_token",
        "invitation_link",
        "invitation_create",
        "invitation_resend",
        "invitation_withdraw",
        "invitation_mail_send",
        "invitation_from_token",
        "invitation_accept",
    },
    "gilde.contacts.services": {"follow_up_create", "follow_up_complete"},
    "gilde.goodwill.services": {"favour_record", "favour_update", "favour_delete"},
    "gilde.imports.services": {
        "batch_upload",
        "batch_remap",
        "batch_discard",
        "pending_uploads_expire",
        "undo_back_to_committed",
        "undo_in_background",
    },  # batch_undo's work, on the worker
    "gilde.relations.merge": set(),
    "gilde.maintenance.services": {
        "care_follow",
        "network_recompute",
        "relation_unsnooze",
        "reminder_settings_of",
        "digest_weekday_set",
        "calendar_feed_create",
        "calendar_feed_revoke",
        "calendar_feed_member",
    },
    "gilde.maintenance.review": {
        "open_review",
        "tier_review_start",
        "tier_review_request",
        "tier_review_complete",
        "tier_suggestions_decide",
    },  # decides through person_update
    "gilde.privacy.services": {
        "add_months",
        "privacy_file",
        "lawful_basis_set",
        "consent_withdraw",
        "persons_mark_informed",
        "retention_decide",
    },
    "gilde.privacy.erasure": {"journal_entries", "register_restore", "erasures_reapply"},
    "gilde.relations.services": {
        "person_search_text",
        "person_reindex",
        "person_create",
        "organisation_create",
        "organisation_update",
        "organisation_delete",
        "about_organisations",
        "organisation_link_create",
        "organisation_link_update",
        "organisation_link_delete",
        "affiliation_save",
        "affiliation_delete",
        "note_create",
        "note_delete",
        "met_with",
        "tags_resolve",
    },
    # The guest list and its statuses are not contact history; attendance is (a scenario).
    "gilde.events.services": {
        "event_create",
        "event_update",
        "event_delete",
        "programme_item_save",
        "programme_item_delete",
        "cost_item_save",
        "cost_item_delete",
        "guest_status_record",
        "guest_add",
        "guest_remove",
    },
    "gilde.events.attendance": set(),
    # Logging meetings writes contact moments (scenarios); the rest read or decide permission.
    "gilde.events.results": {"host_of_goal", "goals_to_carry_over"},
    "gilde.events.survey": {
        "survey_key",
        "survey_url",
        "guest_from_survey_key",
        "survey_deadline",
        "survey_open",
        "survey_answer",
    },
    "gilde.events.results_mail": {
        "results_mails_queue",
        "briefing_queue_now",
        "results_mails_send",
    },
    # Meeting goals, hosts and seating plans steer an event; none is contact history.
    "gilde.events.meetings": {
        "meeting_goals",
        "meeting_goal_add",
        "meeting_goal_priority_set",
        "meeting_goal_delete",
        "meeting_goals_from_requests",
        "meeting_goals_from_rsvp",
        "meeting_goal_suggestions",
        "meeting_goal_suggestion_accept",
        "search_persons",
    },
    "gilde.events.hosts": {
        "seating_setup",
        "host_colleagues",
        "hosts_assign",
        "host_seat_request_set",
        "host_rows",
        "introductions_for",
    },
    "gilde.events.pairvalues": {"seating_instance", "pair_key"},
    "gilde.events.seating_plan": {
        "seating_setup_save",
        "seating_plan_make_now",
        "seating_tables_add",
        "seating_table_update",
        "seating_table_delete",
        "current_plan",
        "latest_plan",
        "seating_plan_make",
        "seating_plan_run",
        "seats_from_post",
        "seating_plan_save",
        "seating_cards_printed",
        "saved_seats",
        "plan_instance",
    },
    # Asking for an introduction makes a follow-up (not contact history); the rest only read.
    # The strategy: goals, themes, links, plans and subscriptions are no contact history; an
    # occasion leaves a follow-up for the colleague who looks after the relation.
    "gilde.strategy.services": {
        "goal_save",
        "goal_delete",
        "theme_save",
        "theme_delete",
        "theme_link_set",
        "theme_link_remove",
        "activity_plan_save",
        "activity_plan_delete",
        "occasion_title",
        "occasion_record",
        "signal_subscription_create",
        "signal_subscription_delete",
    },
    "gilde.network.introductions": {
        "warm_paths",
        "introduction_ask",
        "introductions_asked",
        "ask_for",
    },
    # Found contacts waiting for review, rules, settings and credentials are no contact history;
    # keeping a found contact, logging it directly and deleting on disconnect are (scenarios).
    "gilde.autolog.services": {
        "settings_of",
        "settings_update",
        "never_log_add",
        "never_log_remove",
        "rules_for",
        "persons_by_address",
        "entry_discard",
        "unknown_address_ignore",
        "unknown_addresses_resolve",
        "connection_create",
        "connection_connect_oauth",
        "connection_renew",
        "connection_mark_failing",
        "connection_mark_working",
        "source_of",
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("service", sorted(SCENARIOS))
def test_after_each_service_the_stored_care_is_what_a_recompute_makes(service):
    world = World()
    contacts.contact_moment_log(
        actor=world.other,
        persons=[world.person, world.twin],
        summary="Met z'n drieën",
        kind="lunch",
        occurred_at=timezone.now() - dt.timedelta(days=2),
    )
    before = care_snapshot()
    SCENARIOS[service](world)
    after = care_snapshot()
    if service not in CHANGES_NO_DERIVED_FIGURE:
        assert after != before, f"{service} changed no input of care in this scenario"
    maintenance.network_recompute()
    assert care_snapshot() == after


def test_every_public_service_is_either_followed_by_care_or_known_not_to_feed_it():
    unclassified = []
    for module_name, known in NOT_CARE_INPUTS.items():
        module = import_module(module_name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module_name or name.startswith("_"):
                continue
            if name not in known and name not in SCENARIOS:
                unclassified.append(f"{module_name}.{name}")
    assert unclassified == []


def test_deleting_the_reminded_colleagues_tie_names_another_at_once(db):
    """The probe from the issue: after DELETE of the tie of the colleague who is reminded, the
    care of the relation no longer names them, without waiting for the nightly recompute."""
    world = World()
    care = RelationCare.objects.get(person=world.person)
    reminded = care.contact_member_id or care.top_member_id
    tie = Tie.objects.get(person=world.person, member_id=reminded)
    relations.tie_delete(actor=world.manager, tie=tie)
    care.refresh_from_db()
    assert reminded not in (care.contact_member_id, care.top_member_id)
