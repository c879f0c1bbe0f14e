"""Sections 3 and 4 of directed meetings: the host briefing (page, PDF, the mail the day
before), who met whom on a host's phone, results that flow back into care and into the next
event's goals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from gilde.accounts.models import Member, Role
from gilde.contacts.models import ContactMoment, FollowUp
from gilde.events import results, results_mail
from gilde.events.models import (
    EventMailStatus,
    MeetingGoalOutcome,
    MeetingRecord,
    ResultsMail,
    ResultsMailKind,
)
from gilde.maintenance.models import RelationCare, TieStrength
from gilde.maintenance.services import care_follow
from gilde.relations.models import Tie, TieOrigin
from tests.conftest import client_for
from tests.events.results_world import dinner
from tests.factories import (
    ContactMomentFactory,
    EventFactory,
    FollowUpFactory,
    MemberFactory,
    TieFactory,
)

pytestmark = pytest.mark.django_db


# ---- the host briefing ------------------------------------------------------------------------


def test_the_briefing_shows_each_guest_their_goals_introductions_and_conflicts(
    owner: Member, colleague: Member
) -> None:
    world = dinner(owner, colleague, days=1)
    ContactMomentFactory(persons=[world.ann], members=[owner], summary="Lunch over de haven")
    FollowUpFactory(owner=owner, person=world.ann, title="Offerte nasturen")
    page = client_for(colleague).get(reverse("events:briefing", args=[world.event.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    for expected in ("Ann Aalders", "Windkracht B.V.", "Directeur", "Lunch over de haven",
                     "Offerte nasturen", "zeilen", "Nieuwe aanbesteding",
                     "Beiden bezig met waterstof", "Rechtszaak over de haven"):  # fmt: skip
        assert expected in text, expected
    assert "Cas Claes" not in text.split("briefing-goals")[0]  # not their guest


def test_the_briefing_lists_the_hosts_introductions_in_the_order_to_make_them(
    owner: Member, colleague: Member
) -> None:
    from gilde.events import briefing as briefings
    from gilde.events import hosts
    from gilde.events.models import Guest, MeetingGoal
    from gilde.relations.models import Tag
    from tests.factories import PersonFactory

    world = dinner(owner, colleague, days=1)
    dee = PersonFactory(given_name="Dee", tussenvoegsel="", family_name="Dekker")
    Guest.objects.create(event=world.event, person=dee, host=colleague, status="accepted")
    waterstof = Tag.objects.create(name="waterstof")
    for person in (world.ann, dee):
        person.tags.add(waterstof)
    low = MeetingGoal.objects.create(event=world.event, kind="introduction", person_a=world.cas,
                                     person_b=dee, priority=3, reason="Zelfde buurt")  # fmt: skip
    group = MeetingGoal.objects.create(event=world.event, kind="theme_group", theme=waterstof,
                                       priority=2)  # fmt: skip
    brief = briefings.briefing(user=colleague.user, event=world.event, host=colleague)
    expected = [i for i in hosts.introductions_for(colleague, world.event, user=colleague.user)
                if i.kind != "colleague"]  # fmt: skip
    assert brief.introductions == expected
    assert [i.goal_id for i in brief.introductions] == [world.introduction.pk, group.pk, low.pk]
    assert brief.introductions[0].label == "Ann Aalders ↔ Bob Bakker"
    assert brief.introductions[2].people[0] == "Dee Dekker"  # their own guest first
    text = client_for(colleague).get(reverse("events:briefing", args=[world.event.pk]))
    section = text.content.decode().split('class="introductions"')[1]
    assert section.index("Bob Bakker") < section.index("Zelfde buurt")


def test_the_briefing_pdf_is_a_pdf(owner: Member, colleague: Member) -> None:
    world = dinner(owner, colleague, days=1)
    response = client_for(owner).get(
        reverse("events:briefing_pdf", args=[world.event.pk]) + f"?host={colleague.pk}"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_colleague_cannot_read_another_hosts_briefing(
    owner: Member, colleague: Member, manager: Member
) -> None:
    world = dinner(owner, manager, days=1)
    url = reverse("events:briefing", args=[world.event.pk]) + f"?host={manager.pk}"
    assert client_for(colleague).get(url).status_code == 403
    assert client_for(owner).get(url).status_code == 200


def test_a_confidential_guest_hidden_from_the_host_is_left_out_of_their_briefing(
    owner: Member, colleague: Member
) -> None:
    world = dinner(owner, colleague, days=1)
    world.bob.confidential, world.bob.owner = True, owner
    world.bob.save()
    text = client_for(colleague).get(reverse("events:briefing", args=[world.event.pk])).content
    assert b"Bob Bakker" not in text and b"Ann Aalders" in text
    # The organiser who owns Bob sees him in the same briefing.
    text = (
        client_for(owner)
        .get(reverse("events:briefing", args=[world.event.pk]) + f"?host={colleague.pk}")
        .content
    )
    assert b"Bob Bakker" in text


def test_the_briefing_goes_to_each_host_the_day_before_once(
    owner: Member, colleague: Member, settings
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    colleague.user.email = "sanne@example.nl"
    colleague.user.save()
    world = dinner(owner, colleague, days=1)
    world.event.starts_at = timezone.now() + dt.timedelta(days=1)
    world.event.ends_at = world.event.starts_at + dt.timedelta(hours=3)
    world.event.save()
    now = timezone.localtime(world.event.starts_at) - dt.timedelta(days=1)
    counts = results_mail.results_mails_queue(now=now)
    assert counts["briefings"] == 1
    assert results_mail.results_mails_send() == {EventMailStatus.SENT: 1}
    message = mail.outbox[0]
    assert message.to == ["sanne@example.nl"] and "Diner energietransitie" in message.subject
    assert message.attachments[0][2] == "application/pdf"
    # A second run the same day writes and sends nothing.
    assert results_mail.results_mails_queue(now=now)["briefings"] == 0
    results_mail.results_mails_send()
    assert len(mail.outbox) == 1
    assert ResultsMail.objects.get().kind == ResultsMailKind.BRIEFING


# ---- who met whom -----------------------------------------------------------------------------


def test_a_met_introduction_becomes_a_contact_moment_and_a_tie_from_the_event(
    owner: Member, colleague: Member
) -> None:
    world = dinner(owner, colleague)
    response = client_for(colleague).post(
        reverse("events:met_log", args=[world.event.pk, world.introduction.pk]),
        {"outcome": "met", "note": "Klikte meteen", "follow_up": "Rapport delen"},
    )
    assert response.status_code == 200
    assert 'id="meeting-count"' in response.content.decode()  # the count updates too
    goal = world.introduction
    goal.refresh_from_db()
    assert goal.outcome == MeetingGoalOutcome.MET and goal.outcome_note == "Klikte meteen"
    moment = MeetingRecord.objects.get(goal=goal).contact_moment
    assert set(moment.persons.all()) == {world.ann, world.bob}
    assert list(moment.members.all()) == [colleague]
    tie = Tie.objects.get(other_person__isnull=False)
    assert tie.how_met == TieOrigin.EVENT and tie.how_met_note == world.event.title
    assert FollowUp.objects.get(title="Rapport delen").owner == colleague


def test_a_met_colleague_goal_raises_the_tie_and_resets_care(
    owner: Member, colleague: Member
) -> None:
    world = dinner(owner, colleague)
    TieFactory(member=colleague, person=world.ann, strength=2)
    ContactMomentFactory(persons=[world.ann], members=[colleague],
                         occurred_at=timezone.now() - dt.timedelta(days=200))  # fmt: skip
    care_follow(person_ids=[world.ann.pk])
    before = TieStrength.objects.get(member=colleague, person=world.ann).score
    last_before = RelationCare.objects.get(person=world.ann).last_contact_at
    results.meeting_log(member=colleague, goal=world.colleague_goal, host=colleague, met=True)
    assert TieStrength.objects.get(member=colleague, person=world.ann).score > before
    assert RelationCare.objects.get(person=world.ann).last_contact_at > last_before


def test_changing_met_to_not_met_takes_back_the_moment_and_the_tie(
    owner: Member, colleague: Member
) -> None:
    world = dinner(owner, colleague)
    results.meeting_log(member=colleague, goal=world.introduction, host=colleague, met=True,
                        follow_up="Bellen")  # fmt: skip
    assert ContactMoment.objects.filter(kind="event").count() == 1
    results.meeting_log(member=colleague, goal=world.introduction, host=colleague, met=False)
    assert not ContactMoment.objects.filter(kind="event").exists()
    assert not Tie.objects.filter(other_person__isnull=False).exists()
    assert not FollowUp.objects.filter(title="Bellen").exists()
    world.introduction.refresh_from_db()
    assert world.introduction.outcome == MeetingGoalOutcome.NOT_MET


def test_an_existing_tie_between_two_relations_is_kept_and_not_taken_back(
    owner: Member, colleague: Member
) -> None:
    world = dinner(owner, colleague)
    first, second = sorted([world.ann, world.bob], key=lambda p: p.pk)
    known = Tie.objects.create(person=first, other_person=second, member=None, strength=4)
    results.meeting_log(member=colleague, goal=world.introduction, host=colleague, met=True)
    results.meeting_reset(member=colleague, goal=world.introduction, host=colleague)
    assert Tie.objects.filter(other_person__isnull=False).get() == known


def test_only_the_goals_host_or_an_organiser_logs_it(owner: Member, colleague: Member) -> None:
    world = dinner(owner, colleague)
    stranger = MemberFactory(role=Role.NETWORKER)
    with pytest.raises(PermissionDenied):
        results.meeting_log(member=stranger, goal=world.introduction, host=stranger, met=True)
    url = reverse("events:met_log", args=[world.event.pk, world.introduction.pk])
    assert client_for(stranger).post(url, {"outcome": "met"}).status_code == 403
    # Asking to log as the host does not help a stranger.
    assert client_for(stranger).post(url + f"?host={colleague.pk}", {"outcome": "met"}
                                     ).status_code == 403  # fmt: skip
    # The organiser logs for the host.
    response = client_for(owner).post(url + f"?host={colleague.pk}", {"outcome": "not_met"})
    assert response.status_code == 200
    world.introduction.refresh_from_db()
    assert world.introduction.outcome == MeetingGoalOutcome.NOT_MET


def test_meetings_cannot_be_logged_before_the_event(owner: Member, colleague: Member) -> None:
    world = dinner(owner, colleague, days=2)
    with pytest.raises(ValidationError):
        results.meeting_log(member=colleague, goal=world.introduction, host=colleague, met=True)


def test_the_meetings_screen_lists_the_hosts_goals(owner: Member, colleague: Member) -> None:
    world = dinner(owner, colleague)
    page = client_for(colleague).get(reverse("events:met", args=[world.event.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert f'id="goal-{world.introduction.pk}"' in text
    assert f'id="goal-{world.low_goal.pk}"' in text


def test_unmet_high_priority_goals_are_suggested_for_the_next_event(
    owner: Member, colleague: Member
) -> None:
    world = dinner(owner, colleague)
    results.meeting_log(member=colleague, goal=world.introduction, host=colleague, met=False)
    results.meeting_log(member=colleague, goal=world.colleague_goal, host=colleague, met=True)
    results.meeting_log(member=colleague, goal=world.low_goal, host=colleague, met=False)
    following = EventFactory(organisers=[owner])
    suggested = results.goals_to_carry_over(user=owner.user, event=following)
    assert [s.goal for s in suggested] == [world.introduction]
    assert world.event.title in suggested[0].reason


def test_the_worker_sends_the_briefings_on_the_reminders_schedule(
    owner: Member, colleague: Member, settings
) -> None:
    from gilde.core.schedules import schedules_enqueue
    from tests.jobs import run_jobs

    settings.GILDE_SCHEDULE_EVENT_REMINDERS = "09:00"
    colleague.user.email = "sanne@example.nl"
    colleague.user.save()
    world = dinner(owner, colleague, days=1)
    morning = timezone.localtime(world.event.starts_at - dt.timedelta(days=1)).replace(
        hour=9, minute=30
    )
    jobs = schedules_enqueue(now=morning)
    assert "events.results_mail" in [j.kind for j in jobs]
    # The job looks at today; the event is tomorrow as seen from the scheduled morning.
    world.event.starts_at = timezone.now() + dt.timedelta(days=1)
    world.event.ends_at = world.event.starts_at + dt.timedelta(hours=3)
    world.event.save()
    run_jobs()
    assert [m.to for m in mail.outbox] == [["sanne@example.nl"]]


def test_an_organiser_sends_a_hosts_briefing_now(owner: Member, colleague: Member) -> None:
    from tests.jobs import run_jobs

    colleague.user.email = "sanne@example.nl"
    colleague.user.save()
    world = dinner(owner, colleague, days=3)
    url = reverse("events:briefing_send", args=[world.event.pk]) + f"?host={colleague.pk}"
    response = client_for(owner).post(url)
    assert response.status_code == 200 and "sanne@example.nl" in response.content.decode()
    run_jobs()
    assert len(mail.outbox) == 1 and mail.outbox[0].attachments
    # A second press sends nothing more.
    assert "al naar" in client_for(owner).post(url).content.decode()
