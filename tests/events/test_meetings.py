"""Meeting goals (by hand, from introduction requests, from RSVP answers, suggested) and hosts
(assigned by tie and load, by hand), and who may see and change them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gilde.accounts.models import Member
from gilde.events import hosts, meetings
from gilde.events.models import (
    ConflictPair,
    Guest,
    GuestRole,
    GuestStatus,
    HostSeatRequest,
    IntroductionRequest,
    MeetingGoal,
    MeetingGoalKind,
    MeetingGoalPriority,
    MeetingGoalSource,
)
from gilde.relations.models import Tag, Tier
from tests.conftest import client_for
from tests.events.guests import event_at, place
from tests.factories import MemberFactory, PersonFactory, TieFactory

pytestmark = pytest.mark.django_db


def htmx(client, url, data=None):
    return client.post(url, data or {}, HTTP_HX_REQUEST="true")


def host_on(event, member: Member) -> Guest:
    return Guest.objects.create(
        event=event, member=member, role=GuestRole.HOST, status=GuestStatus.ACCEPTED
    )


def test_a_goal_added_by_hand_appears_in_the_list_at_once(owner: Member) -> None:
    event = event_at(owner, days=20)
    a = place(event, PersonFactory(given_name="Anouk", family_name="Smit"), "accepted").person
    b = place(event, PersonFactory(given_name="Bas", family_name="Kok"), "accepted").person
    answer = htmx(
        client_for(owner),
        reverse("events:meeting_add", args=[event.pk]),
        {
            "kind": "introduction",
            "person_a": a.pk,
            "person_b": b.pk,
            "priority": 1,
            "reason": "Beiden bezig met warmtenetten",
        },
    )
    goal = MeetingGoal.objects.get(event=event)
    assert (goal.person_a, goal.person_b, goal.priority) == (a, b, MeetingGoalPriority.HIGH)
    assert goal.source == MeetingGoalSource.HAND and goal.asked_by == owner
    text = answer.content.decode()
    assert 'id="meeting-goals" hx-swap-oob="true"' in text
    assert a.full_name in text and "Beiden bezig met warmtenetten" in text


def test_a_goal_naming_someone_not_on_the_list_is_refused_and_changes_nothing(
    owner: Member,
) -> None:
    event = event_at(owner, days=20)
    a = place(event, PersonFactory(), "accepted").person
    stranger = PersonFactory(given_name="Vreemde", family_name="Eend")
    answer = htmx(
        client_for(owner),
        reverse("events:meeting_add", args=[event.pk]),
        {"kind": "introduction", "person_a": a.pk, "person_b": stranger.pk},
    )
    assert "staat niet op de gastenlijst" in answer.content.decode()
    assert not MeetingGoal.objects.exists()


def test_the_same_goal_is_kept_once_whichever_way_round(owner: Member) -> None:
    event = event_at(owner, days=20)
    a, b = (place(event, PersonFactory(), "accepted").person for _ in range(2))
    meetings.meeting_goal_add(
        member=owner, event=event, kind="introduction", person_a=a, person_b=b
    )
    with pytest.raises(ValidationError):
        meetings.meeting_goal_add(
            member=owner, event=event, kind="introduction", person_a=b, person_b=a
        )


def test_priority_change_and_delete(owner: Member) -> None:
    event = event_at(owner, days=20)
    a, b = (place(event, PersonFactory(), "accepted").person for _ in range(2))
    goal = meetings.meeting_goal_add(
        member=owner, event=event, kind="introduction", person_a=a, person_b=b
    )
    client = client_for(owner)
    htmx(client, reverse("events:meeting_priority", args=[event.pk, goal.pk]), {"priority": 3})
    goal.refresh_from_db()
    assert goal.priority == MeetingGoalPriority.LOW
    answer = htmx(
        client, reverse("events:meeting_priority", args=[event.pk, goal.pk]), {"priority": 9}
    )
    goal.refresh_from_db()
    assert goal.priority == MeetingGoalPriority.LOW and answer.status_code == 200
    htmx(client, reverse("events:meeting_delete", args=[event.pk, goal.pk]))
    assert not MeetingGoal.objects.exists()


def test_open_introduction_requests_become_goals_once(owner: Member, colleague: Member) -> None:
    event = event_at(owner, days=20)
    person = place(event, PersonFactory(), "invited").person
    host_on(event, colleague)
    IntroductionRequest.objects.create(member=colleague, person=person, note="Wil samenwerken")
    elsewhere = PersonFactory()  # not on the list: no goal
    IntroductionRequest.objects.create(member=colleague, person=elsewhere)
    made = meetings.meeting_goals_from_requests(member=owner, event=event)
    assert len(made) == 1
    goal = made[0]
    assert (goal.kind, goal.member, goal.person_a) == ("colleague", colleague, person)
    assert goal.source == MeetingGoalSource.INTRODUCTION_REQUEST
    assert goal.reason == "Wil samenwerken" and goal.priority == MeetingGoalPriority.HIGH
    assert meetings.meeting_goals_from_requests(member=owner, event=event) == []


def test_rsvp_wishes_are_matched_to_guests_by_name(owner: Member, colleague: Member) -> None:
    event = event_at(owner, days=20)
    host_on(event, colleague)
    wanted = place(
        event,
        PersonFactory(given_name="Marieke", tussenvoegsel="van", family_name="Dam"),
        "accepted",
    ).person
    guest = place(
        event,
        PersonFactory(),
        "accepted",
        wish_to_meet=f"Marieke van Dam en {colleague.name}, iemand van de gemeente",
    )
    found = meetings.meeting_goals_from_rsvp(member=owner, user=owner.user, event=event)
    kinds = sorted((g.kind, g.person_b_id or g.member_id) for g in found.goals)
    assert kinds == sorted([("introduction", wanted.pk), ("colleague", colleague.pk)])
    assert all(g.source == MeetingGoalSource.RSVP for g in found.goals)
    assert [text for _g, text in found.unmatched] == ["iemand van de gemeente"]
    assert found.unmatched[0][0] == guest
    again = meetings.meeting_goals_from_rsvp(member=owner, user=owner.user, event=event)
    assert again.goals == [] and MeetingGoal.objects.count() == 2


def test_suggestions_name_their_reasons_and_skip_conflicts_and_known_pairs(owner: Member) -> None:
    event = event_at(owner, days=20)
    theme = Tag.objects.create(name="warmtenet")
    event.themes.add(theme)
    a = place(event, PersonFactory(passions="zeilen, jazz"), "accepted").person
    b = place(event, PersonFactory(passions="Zeilen"), "accepted").person
    c = place(event, PersonFactory(passions="zeilen"), "accepted").person
    d = place(event, PersonFactory(passions="zeilen"), "accepted").person
    for p in (a, b, c):
        p.tags.add(theme)
    ConflictPair.objects.create(
        person_a=min(a, c, key=lambda p: p.pk), person_b=max(a, c, key=lambda p: p.pk)
    )
    TieFactory(person=a, member=None, other_person=d)
    found = meetings.meeting_goal_suggestions(user=owner.user, event=event)
    pairs = {frozenset((s.person_a.pk, s.person_b.pk)) for s in found if s.kind == "introduction"}
    assert frozenset((a.pk, b.pk)) in pairs
    assert frozenset((a.pk, c.pk)) not in pairs  # conflicting interests
    assert frozenset((a.pk, d.pk)) not in pairs  # they know each other
    ab = next(s for s in found if {s.person_a.pk, s.person_b.pk} == {a.pk, b.pk})
    assert any("zeilen" in r for r in ab.reasons) and any("warmtenet" in r for r in ab.reasons)
    assert any(s.kind == MeetingGoalKind.THEME_GROUP and s.theme == theme for s in found)
    goal = meetings.meeting_goal_suggestion_accept(
        member=owner, user=owner.user, event=event, key=ab.key
    )
    assert goal.source == MeetingGoalSource.SUGGESTION and "zeilen" in goal.reason
    assert ab.key not in {
        s.key for s in meetings.meeting_goal_suggestions(user=owner.user, event=event)
    }


def test_a_key_relation_nobody_present_knows_well_is_suggested_to_meet_a_colleague(
    owner: Member, colleague: Member
) -> None:
    event = event_at(owner, days=20)
    host_on(event, colleague)
    key = place(event, PersonFactory(tier=Tier.objects.get(code="A")), "accepted").person
    TieFactory(person=key, member=colleague, strength=2)
    found = meetings.meeting_goal_suggestions(user=owner.user, event=event)
    colleague_goals = [s for s in found if s.kind == "colleague"]
    assert colleague_goals and colleague_goals[0].colleague == colleague
    assert "2" in colleague_goals[0].reasons[0]


def test_a_reader_sees_goals_but_may_not_change_them(owner: Member, reader: Member) -> None:
    event = event_at(owner, days=20)
    a, b = (place(event, PersonFactory(), "accepted").person for _ in range(2))
    meetings.meeting_goal_add(
        member=owner, event=event, kind="introduction", person_a=a, person_b=b
    )
    page = client_for(reader).get(reverse("events:meetings", args=[event.pk]))
    assert page.status_code == 200 and a.full_name in page.content.decode()
    denied = htmx(
        client_for(reader),
        reverse("events:meeting_add", args=[event.pk]),
        {"kind": "introduction", "person_a": b.pk, "person_b": a.pk},
    )
    assert denied.status_code == 403
    with pytest.raises(PermissionDenied):
        meetings.meeting_goal_add(
            member=reader, event=event, kind="introduction", person_a=b, person_b=a
        )


def test_a_hidden_relation_changes_nothing_for_another_member(
    owner: Member, colleague: Member
) -> None:
    event = event_at(owner, days=20, visibility="organisation")
    a = place(event, PersonFactory(passions="zeilen"), "accepted").person
    place(event, PersonFactory(passions="zeilen"), "accepted")
    before = client_for(colleague).get(reverse("events:meetings", args=[event.pk])).content
    before_suggestions = meetings.meeting_goal_suggestions(user=colleague.user, event=event)
    secret = PersonFactory(
        given_name="Geheime", family_name="Gast", passions="zeilen", confidential=True, owner=owner
    )
    place(event, secret, "accepted")
    meetings.meeting_goal_add(
        member=owner, event=event, kind="introduction", person_a=a, person_b=secret
    )
    after = client_for(colleague).get(reverse("events:meetings", args=[event.pk])).content
    assert b"Geheime" not in after
    assert before.replace(b"\n", b"").count(b"<tr") == after.replace(b"\n", b"").count(b"<tr")
    assert [s.key for s in meetings.meeting_goal_suggestions(user=colleague.user, event=event)] == [
        s.key for s in before_suggestions
    ]
    assert meetings.meeting_goals(user=colleague.user, event=event).count() == 0
    assert meetings.meeting_goals(user=owner.user, event=event).count() == 1


# ---- hosts -------------------------------------------------------------------------------------


def test_hosts_follow_the_strongest_tie_with_an_even_load(owner: Member) -> None:
    event = event_at(owner, days=20)
    ann, ben = MemberFactory(), MemberFactory()
    host_on(event, ann), host_on(event, ben)
    guests = [place(event, PersonFactory(), "accepted") for _ in range(4)]
    # Ann knows three of them, strongly; Ben knows the last one weakly.
    for g in guests[:3]:
        TieFactory(person=g.person, member=ann, strength=5)
    TieFactory(person=guests[3].person, member=ben, strength=1)
    done = hosts.hosts_assign(member=owner, event=event)
    assert done.assigned == 4 and done.hosts == 2
    by_host = {g.pk: Guest.objects.get(pk=g.pk).host_id for g in guests}
    assert list(by_host.values()).count(ann.pk) == 2  # an even share: 4 guests, 2 hosts
    assert by_host[guests[3].pk] == ben.pk


def test_the_account_owner_goes_first_when_asked(owner: Member) -> None:
    event = event_at(owner, days=20)
    ann = MemberFactory()
    host_on(event, ann), host_on(event, owner)
    guest = place(event, PersonFactory(owner=owner), "accepted")
    TieFactory(person=guest.person, member=ann, strength=5)
    hosts.hosts_assign(member=owner, event=event, prefer_owner=True)
    assert Guest.objects.get(pk=guest.pk).host == owner
    hosts.hosts_assign(member=owner, event=event, replace=True)
    assert Guest.objects.get(pk=guest.pk).host == ann


def test_without_host_colleagues_assigning_says_what_to_do(owner: Member) -> None:
    event = event_at(owner, days=20)
    place(event, PersonFactory(), "accepted")
    answer = htmx(client_for(owner), reverse("events:hosts_assign", args=[event.pk]))
    assert "als gastheer" in answer.content.decode()


def test_a_host_and_the_wish_to_sit_with_them_are_set_by_hand(owner: Member) -> None:
    event = event_at(owner, days=20)
    ann = MemberFactory()
    host_on(event, ann)
    guest = place(event, PersonFactory(), "accepted")
    htmx(
        client_for(owner),
        reverse("events:meeting_host", args=[event.pk, guest.pk]),
        {"host": ann.pk, "seat": "1", "with_host": "on"},
    )
    guest.refresh_from_db()
    assert guest.host == ann and HostSeatRequest.objects.filter(guest=guest).exists()
    htmx(
        client_for(owner),
        reverse("events:meeting_host", args=[event.pk, guest.pk]),
        {"host": ann.pk, "seat": "1"},
    )
    assert not HostSeatRequest.objects.filter(guest=guest).exists()
    stranger = MemberFactory()  # not on the list: not a host of this event
    answer = htmx(
        client_for(owner),
        reverse("events:meeting_host", args=[event.pk, guest.pk]),
        {"host": stranger.pk},
    )
    assert answer.status_code == 404


def test_introductions_for_a_host_come_in_order(owner: Member) -> None:
    event = event_at(owner, days=20)
    ann = MemberFactory()
    host_on(event, ann)
    a = place(event, PersonFactory(given_name="Aad"), "accepted", host=ann).person
    b = place(event, PersonFactory(given_name="Bea"), "accepted", host=ann).person
    c = place(event, PersonFactory(given_name="Cor"), "accepted").person
    low = meetings.meeting_goal_add(
        member=owner, event=event, kind="introduction", person_a=c, person_b=a, priority=3
    )
    both = meetings.meeting_goal_add(
        member=owner, event=event, kind="introduction", person_a=a, person_b=b, priority=2
    )
    own = meetings.meeting_goal_add(
        member=owner, event=event, kind="colleague", colleague=ann, person_a=c, priority=1
    )
    found = hosts.introductions_for(ann, event)
    assert [i.goal_id for i in found] == [own.pk, both.pk, low.pk]
    assert found[2].people[0] == str(a)  # their own guest first


def test_a_theme_group_is_chosen_by_the_theme_name(owner: Member) -> None:
    event = event_at(owner, days=20)
    event.themes.add(Tag.objects.create(name="warmtenet"))
    answer = htmx(
        client_for(owner),
        reverse("events:meeting_add", args=[event.pk]),
        {"kind": "theme_group", "theme": "warmtenet", "priority": 2},
    )
    assert answer.status_code == 200
    assert MeetingGoal.objects.get(event=event).theme.name == "warmtenet"
