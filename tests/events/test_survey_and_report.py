"""The guests' survey through their signed link, and the event report with its figures, its
charts and the trend across events; a confidential guest changes no figure another sees."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from gilde.accounts.models import Member
from gilde.events import report, results, results_mail
from gilde.events.models import CostItem, ProgrammeItem, SurveyAnswer
from gilde.events.rsvp import rsvp_key
from gilde.events.survey import survey_key
from gilde.goodwill.models import Favour
from tests.conftest import client_for
from tests.events.results_world import Dinner, dinner
from tests.factories import ContactMomentFactory, FollowUpFactory

pytestmark = pytest.mark.django_db

ANSWER = {"rating": "4", "met_hoped": "yes", "nps": "9", "met_who": "Bob Bakker", "comment": ""}


def _survey_url(world: Dinner, who: str = "ann") -> str:
    return reverse("events:survey", args=[survey_key(world.places[who])])


# ---- the survey -------------------------------------------------------------------------------


def test_a_guest_answers_the_survey_through_their_link_and_can_change_it(
    owner: Member, colleague: Member, client
) -> None:
    world = dinner(owner, colleague)
    url = _survey_url(world)
    page = client.get(url)
    assert page.status_code == 200 and "Diner energietransitie" in page.content.decode()
    assert client.post(url, ANSWER).status_code == 200
    assert client.post(url, ANSWER | {"nps": "6"}).status_code == 200
    answer = SurveyAnswer.objects.get()
    assert answer.guest == world.places["ann"] and answer.nps == 6 and answer.rating == 4


def test_an_incomplete_survey_is_refused_and_saves_nothing(
    owner: Member, colleague: Member, client
) -> None:
    world = dinner(owner, colleague)
    response = client.post(_survey_url(world), ANSWER | {"nps": "11", "met_hoped": ""})
    assert response.status_code == 422
    assert "Kies een getal van 0 tot 10" in response.content.decode()
    assert not SurveyAnswer.objects.exists()


@pytest.mark.parametrize("mangle", ["tamper", "rsvp", "no_show"])
def test_a_bad_survey_link_answers_a_clear_page_and_changes_nothing(
    owner: Member, colleague: Member, client, mangle: str
) -> None:
    world = dinner(owner, colleague)
    key = survey_key(world.places["ann"])
    url = {
        "tamper": reverse("events:survey", args=[key[:-1] + ("A" if key[-1] != "A" else "B")]),
        "rsvp": reverse("events:survey", args=[rsvp_key(world.places["ann"])]),
        "no_show": _survey_url(world, "cas"),
    }[mangle]
    response = client.post(url, ANSWER)
    assert response.status_code == 404
    assert "Deze link werkt niet" in response.content.decode()
    assert not SurveyAnswer.objects.exists()


def test_the_survey_closes_after_its_deadline(
    owner: Member, colleague: Member, client, settings
) -> None:
    settings.GILDE_EVENT_SURVEY_DAYS = 3
    world = dinner(owner, colleague, days=-5)
    response = client.post(_survey_url(world), ANSWER)
    assert response.status_code == 410
    assert not SurveyAnswer.objects.exists()


def test_the_survey_goes_the_day_after_to_each_relation_who_came(
    owner: Member, colleague: Member, settings
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world = dinner(owner, colleague)
    world.ann.emails.create(address="ann@example.nl", is_primary=True)
    world.cas.emails.create(address="cas@example.nl", is_primary=True)  # a no-show: none
    now = timezone.localtime(world.event.starts_at) + dt.timedelta(days=1)
    assert results_mail.results_mails_queue(now=now)["surveys"] == 1
    results_mail.results_mails_send()
    message = mail.outbox[0]
    assert message.to == ["ann@example.nl"]
    assert survey_key(world.places["ann"]) in message.body


# ---- the report -------------------------------------------------------------------------------


def _measured(owner: Member, colleague: Member) -> Dinner:
    world = dinner(owner, colleague)
    results.meeting_log(member=colleague, goal=world.introduction, host=colleague, met=True,
                        follow_up="Rapport delen")  # fmt: skip
    results.meeting_log(member=colleague, goal=world.colleague_goal, host=colleague, met=False)
    SurveyAnswer.objects.create(guest=world.places["ann"], rating=5, met_hoped="yes", nps=10)
    SurveyAnswer.objects.create(guest=world.places["bob"], rating=3, met_hoped="no", nps=5)
    CostItem.objects.create(event=world.event, description="Diner", planned=Decimal("400"))
    ProgrammeItem.objects.create(event=world.event, starts_at=world.event.starts_at,
                                 duration_minutes=120, kind="meal", title="Diner")  # fmt: skip
    ProgrammeItem.objects.create(event=world.event,
                                 starts_at=world.event.starts_at + dt.timedelta(hours=2),
                                 duration_minutes=60, kind="speaker", title="Spreker")  # fmt: skip
    day = timezone.localdate(world.event.starts_at)
    Favour.objects.create(member=colleague, person=world.ann, direction="received",
                          kind="referral", occurred_on=day + dt.timedelta(days=10))  # fmt: skip
    Favour.objects.create(member=colleague, person=world.ann, direction="given",
                          kind="referral", occurred_on=day - dt.timedelta(days=100))  # fmt: skip
    ContactMomentFactory(persons=[world.bob], members=[colleague], signals="Gaat uitbreiden",
                         occurred_at=world.event.ends_at + dt.timedelta(hours=2))  # fmt: skip
    return world


def test_the_report_measures_the_event(owner: Member, colleague: Member) -> None:
    world = _measured(owner, colleague)
    figures = report.event_report(user=owner.user, event=world.event)
    assert (figures.invited, figures.accepted, figures.attended, figures.no_shows) == (3, 3, 2, 1)
    assert figures.predicted is not None and 0 < figures.predicted <= 3
    assert (figures.goals.total, figures.goals.met, figures.goals.share) == (3, 1, 33)
    assert (figures.high.total, figures.high.met, figures.high.share) == (2, 1, 50)
    assert figures.high_target_met is False
    assert figures.new_ties == 1
    assert (figures.follow_ups, figures.follow_ups_done) == (1, 0)
    assert (figures.favours_received, figures.favours_given) == (1, 0)
    assert figures.signals == 1
    assert figures.survey.answers == 2 and figures.survey.rating == 4.0
    assert figures.survey.nps == 0  # one promoter, one detractor
    assert figures.costs.per_attending == Decimal("200.00")
    assert figures.cost_per_goal == Decimal("400.00")
    assert figures.time.share == 67


def test_a_follow_up_done_within_14_days_counts_as_done(owner: Member, colleague: Member) -> None:
    world = _measured(owner, colleague)
    FollowUpFactory(owner=colleague, person=world.bob, title="Bellen", done_at=timezone.now())
    figures = report.event_report(user=owner.user, event=world.event)
    assert (figures.follow_ups, figures.follow_ups_done) == (2, 1)


def test_the_report_page_shows_the_realised_share_and_its_charts(
    owner: Member, colleague: Member
) -> None:
    world = _measured(owner, colleague)
    page = client_for(colleague).get(reverse("events:report", args=[world.event.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="figure-goals"' in text and "50%" in text
    assert 'data-chart="chart-goals-data"' in text and "chart-nps-data" in text


def test_the_trend_page_compares_the_events(owner: Member, colleague: Member) -> None:
    world = _measured(owner, colleague)
    page = client_for(owner).get(reverse("events:results_trend"))
    assert page.status_code == 200
    assert world.event.title in page.content.decode()
    assert "chart-trend-goals-data" in page.content.decode()


def _trend_figures(row: object) -> tuple[object, ...]:
    return (
        row.invited, row.attended, row.turnout, row.goals.total, row.goals.met, row.goals.share,
        row.high.share, row.high_target_met, row.new_ties, row.survey.answers, row.survey.nps,
        row.survey.rating, row.costs.expected, row.costs.per_attending, row.time.share,
    )  # fmt: skip


def test_the_trend_has_each_events_report_figures(owner: Member, colleague: Member) -> None:
    _measured(owner, colleague)
    dinner(owner, colleague, days=-30)
    rows = report.trend(user=owner.user)
    assert len(rows) == 2 and rows[0].event.starts_at < rows[1].event.starts_at
    for row in rows:
        assert _trend_figures(row) == _trend_figures(
            report.event_report(user=owner.user, event=row.event)
        )


def test_the_trend_page_takes_as_many_queries_for_twelve_events_as_for_two(
    owner: Member, colleague: Member
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _measured(owner, colleague)
    dinner(owner, colleague, days=-30)
    client = client_for(owner)
    url = reverse("events:results_trend")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for days in range(2, 12):
        world = _measured(owner, colleague) if days % 2 else dinner(owner, colleague, days=-days)
        world.event.starts_at -= dt.timedelta(days=days * 7)
        world.event.ends_at -= dt.timedelta(days=days * 7)
        world.event.save()
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    table = page.content.decode().split('class="trend-table"')[1]
    assert table.count("<tr>") - 1 == 12  # the header row and twelve events
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


def test_a_hidden_confidential_guest_changes_no_figure_for_another_member(
    owner: Member, colleague: Member, manager: Member
) -> None:
    world = _measured(manager, colleague)
    before = report.event_report(user=owner.user, event=world.event)
    # A confidential relation of the manager's, shared with no one: on the list, met, surveyed,
    # a favour and a signal after the event.
    from tests.events.results_world import dinner as another

    secret_world = another(manager, manager)
    secret = secret_world.ann
    secret.confidential, secret.owner = True, manager
    secret.save()
    place = world.event.guests.create(person=secret, host=colleague, status="attended")
    SurveyAnswer.objects.create(guest=place, rating=1, met_hoped="no", nps=0)
    goal = world.event.meeting_goals.create(kind="introduction", person_a=secret,
                                            person_b=world.bob, priority=1)  # fmt: skip
    results.meeting_log(member=manager, goal=goal, host=colleague, met=True)
    Favour.objects.create(member=manager, person=secret, direction="received", kind="referral",
                          occurred_on=timezone.localdate())  # fmt: skip
    after = report.event_report(user=owner.user, event=world.event)
    fields = ("invited", "accepted", "attended", "no_shows", "new_ties", "follow_ups",
              "favours_received", "signals")  # fmt: skip
    assert [getattr(after, f) for f in fields] == [getattr(before, f) for f in fields]
    assert (after.goals.total, after.goals.met) == (before.goals.total, before.goals.met)
    assert after.survey.nps_counts == before.survey.nps_counts
    assert after.costs.per_attending == before.costs.per_attending
    assert after.predicted == before.predicted
    # The manager, who may see the relation, counts them.
    assert report.event_report(user=manager.user, event=world.event).attended == 3
