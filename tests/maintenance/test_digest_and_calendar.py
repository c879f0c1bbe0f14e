"""The weekly digest in the member's language, the command that sends it, and the private
calendar feed read back with a real iCalendar parser."""

from __future__ import annotations

import datetime as dt
import socket
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from gilde.core.jobs import job_enqueue
from gilde.core.models import JobStatus
from gilde.maintenance import digest
from gilde.maintenance.models import ReminderSettings
from gilde.maintenance.services import (
    calendar_feed_create,
    calendar_feed_revoke,
    digest_weekday_set,
)
from gilde.relations.models import Tier
from tests.conftest import client_for
from tests.factories import FollowUpFactory, PersonFactory, TieFactory
from tests.jobs import run_jobs
from tests.maintenance.factories import contact


@pytest.fixture
def busy_owner(owner):
    owner.user.email = "jeroen@example.nl"
    owner.user.save()
    person = PersonFactory(
        tier=Tier.objects.get(code="A"),
        owner=owner,
        given_name="Anna",
        birthday=timezone.localdate() - dt.timedelta(days=365 * 40 - 3),
    )
    TieFactory(person=person, member=owner)
    contact(person, owner, days=90)
    FollowUpFactory(
        owner=owner,
        title="Offerte nasturen",
        person=person,
        due_date=timezone.localdate() - dt.timedelta(days=2),
    )
    return owner


def test_the_digest_lists_due_relations_follow_ups_and_birthdays_in_dutch(busy_owner):
    content = digest.digest_for(member=busy_owner)
    subject, text, html = digest.render(content)
    assert subject == "Gilde: 1 relatie om deze week te benaderen"
    assert "Anna" in text and "achterstallig" in text and "Offerte nasturen" in text
    assert "Verjaardagen" in text
    assert "http://127.0.0.1:8000/due/" in html or "/snooze/" in html


def test_the_digest_speaks_english_to_an_english_member(busy_owner):
    busy_owner.language = "en"
    busy_owner.save()
    subject, text, html = digest.render(digest.digest_for(member=busy_owner))
    assert subject == "Gilde: 1 relation to contact this week"
    assert "overdue" in text and "Birthdays coming up" in text and "Snooze" in html


def test_the_digest_links_open_the_quick_log_and_the_snooze_form(busy_owner, settings):
    settings.GILDE_BASE_URL = "https://gilde.example.nl"
    _subject, text, _html = digest.render(digest.digest_for(member=busy_owner))
    assert "https://gilde.example.nl/persons/" in text and "#quick-log-area" in text
    assert "https://gilde.example.nl/due/" in text and "/snooze/" in text


def test_the_digest_command_sends_html_and_plain_text(busy_owner):
    call_command("digest", member="eigenaar", stdout=StringIO())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jeroen@example.nl"]
    assert message.alternatives[0][1] == "text/html"


def test_a_dry_run_sends_nothing(busy_owner):
    out = StringIO()
    call_command("digest", member="eigenaar", dry_run=True, stdout=out)
    assert mail.outbox == [] and "Anna" in out.getvalue()


def test_the_daily_run_sends_only_on_the_members_day_and_once(busy_owner):
    today = timezone.localdate()
    digest_weekday_set(actor=busy_owner, weekday=(today.weekday() + 1) % 7)
    assert digest.members_due_for_digest(today=today) == []
    digest_weekday_set(actor=busy_owner, weekday=today.weekday())
    assert digest.members_due_for_digest(today=today) == [busy_owner]
    call_command("digest", stdout=StringIO())
    assert len(mail.outbox) == 1
    assert digest.members_due_for_digest(today=today) == []


def test_a_member_can_turn_the_digest_off(busy_owner):
    digest_weekday_set(actor=busy_owner, weekday=None)
    for day in range(7):
        assert (
            digest.members_due_for_digest(today=timezone.localdate() + dt.timedelta(days=day)) == []
        )


def test_an_unknown_member_is_a_clear_error(db):
    with pytest.raises(CommandError):
        call_command("digest", member="niemand")


def test_the_calendar_feed_parses_back_with_due_relations_and_follow_ups(busy_owner):
    token = calendar_feed_create(actor=busy_owner)
    response = client_for(busy_owner.user).get(reverse("maintenance_calendar_feed", args=[token]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    summaries = [str(e["SUMMARY"]) for e in events]
    assert any("Anna" in s for s in summaries)
    assert any("Offerte nasturen" in s for s in summaries)
    for event in events:
        assert isinstance(event.decoded("DTSTART"), dt.date)
        assert event.decoded("DTSTART") >= timezone.localdate()


def test_the_feed_needs_no_session_but_the_right_token(busy_owner, client):
    token = calendar_feed_create(actor=busy_owner)
    assert client.get(reverse("maintenance_calendar_feed", args=[token])).status_code == 200
    assert client.get(reverse("maintenance_calendar_feed", args=[token + "x"])).status_code == 404


def test_only_a_hash_of_the_feed_token_is_stored(busy_owner):
    token = calendar_feed_create(actor=busy_owner)
    stored = ReminderSettings.objects.get(member=busy_owner).feed_token_hash
    assert token not in stored and stored == ReminderSettings.hash_token(token)


def test_a_revoked_or_regenerated_feed_address_stops_working(busy_owner, client):
    old = calendar_feed_create(actor=busy_owner)
    new = calendar_feed_create(actor=busy_owner)
    assert client.get(reverse("maintenance_calendar_feed", args=[old])).status_code == 404
    calendar_feed_revoke(actor=busy_owner)
    assert client.get(reverse("maintenance_calendar_feed", args=[new])).status_code == 404


def test_the_settings_page_shows_a_new_feed_address_once(busy_owner):
    client = client_for(busy_owner)
    page = client.post(reverse("maintenance_settings"), {"action": "feed"}).content.decode()
    assert "/calendar/cal_" in page
    assert "/calendar/cal_" not in client.get(reverse("maintenance_settings")).content.decode()


@pytest.fixture
def mail_server_down(settings):
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens on it
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    return f"127.0.0.1:{port}"


def test_a_mail_server_that_refuses_the_connection_is_one_clear_line(busy_owner, mail_server_down):
    with pytest.raises(CommandError) as raised:
        call_command("digest", member="eigenaar", stdout=StringIO())
    # In the site's language (Dutch here), as the jobs page shows the same reason.
    assert str(raised.value) == (
        f"Het wekelijks overzicht is niet verstuurd: {mail_server_down} weigerde de verbinding."
    )


def test_a_digest_the_mail_server_did_not_take_is_not_marked_sent(busy_owner, mail_server_down):
    today = timezone.localdate()
    digest_weekday_set(actor=busy_owner, weekday=today.weekday())
    with pytest.raises(CommandError):
        call_command("digest", stdout=StringIO())
    assert digest.members_due_for_digest(today=today) == [busy_owner]  # the next run sends it


def test_the_digest_job_fails_with_the_reason_and_can_be_retried(busy_owner, mail_server_down):
    digest_weekday_set(actor=busy_owner, weekday=timezone.localdate().weekday())
    job = job_enqueue(kind="digest.send", params={})
    run_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED  # the jobs page offers to try it again
    assert mail_server_down in job.error  # the reason, not only "ConnectionRefusedError"
    assert digest.members_due_for_digest(today=timezone.localdate()) == [busy_owner]
