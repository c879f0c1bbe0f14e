"""The member network in a real browser: an applicant applies on the public page, is accepted,
logs in through the invitation and fills in a profile; a member finds her by a passion and gives
her a referral, which she confirms; the coordinator shares an event's costs and the statement
shows each member's share — on a desktop and on a phone."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from gilde.accounts.models import Role
from gilde.events.models import CostItem, EventStatus, Guest, GuestStatus
from gilde.members.models import Application, NetworkKind, Referral, ReferralStatus
from gilde.members.network import kind_remember
from gilde.members.services import network_goal_update, network_setup
from tests.browser.journey import log_in
from tests.factories import EventFactory, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FLEUR_PASSWORD = "fotograferen langs de Vecht"


def test_an_applicant_becomes_a_member_who_is_found_referred_and_shares_costs(
    page: Any, browser: Any, live_server: Any, mailoutbox: Any, settings: Any
) -> None:
    settings.GILDE_BASE_URL = live_server.url
    coordinator = MemberFactory(
        user__username="beheer",
        user__first_name="Marieke",
        user__last_name="Dekker",
        role=Role.NETWORK_MANAGER,
    )
    jeroen = MemberFactory(
        user__username="jeroen", user__first_name="Jeroen", user__last_name="Bakker"
    )
    network_setup(actor=coordinator, kind=NetworkKind.MEMBERS)
    kind_remember(NetworkKind.MEMBERS)
    network_goal_update(
        actor=coordinator, name="Ondernemerskring Utrecht", goal="Meer werk in de regio houden."
    )

    # Fleur applies on the public page, without logging in, and names Jeroen as her introducer.
    fleur_page = browser.new_context(base_url=live_server.url).new_page()
    fleur_page.goto("/apply/")
    assert fleur_page.is_visible("text=Meer werk in de regio houden.")
    fleur_page.fill("input[name=first_name]", "Fleur")
    fleur_page.fill("input[name=last_name]", "de Wit")
    fleur_page.fill("input[name=email]", "fleur@example.nl")
    fleur_page.fill("input[name=organisation]", "Studio Wit")
    fleur_page.fill("input[name=introduced_by_name]", "Jeroen Bakker")
    fleur_page.check("input[name=consent]")
    fleur_page.click("form button[type=submit]")
    fleur_page.wait_for_selector("text=De coördinator neemt per e-mail contact met u op.")
    assert Application.objects.get().introduced_by == jeroen

    # The coordinator takes her through the introductory talk to a decision.
    log_in(page, "beheer")
    page.goto("/members/applications/")
    page.click("text=Fleur de Wit")
    page.click("button[value=talk]")
    page.wait_for_selector("text=De aanmelding is een stap verder.")
    page.click("button[value=accepted]")
    page.wait_for_selector("text=Uitgenodigd om in te loggen")

    # Fleur opens the invitation, sets a password and fills in her profile.
    link = re.search(r"http://\S+/join/\S+/", mailoutbox[0].body)
    assert link, mailoutbox[0].body
    fleur_page.goto(link.group(0))
    fleur_page.fill("input[name=password1]", FLEUR_PASSWORD)
    fleur_page.fill("input[name=password2]", FLEUR_PASSWORD)
    fleur_page.click("form button[type=submit]")
    fleur_page.wait_for_selector("text=Welkom bij Gilde, Fleur de Wit.")
    fleur_page.goto("/members/profile/")
    fleur_page.fill("input[name=passion_tags]", "zeilen, jazz")
    fleur_page.fill("input[name=offers_tags]", "fotografie, video")
    fleur_page.fill("input[name=region]", "Utrecht")
    fleur_page.click("form button[type=submit]")
    fleur_page.wait_for_selector("text=Uw profiel is opgeslagen.")

    # Jeroen finds her by a passion, as he types, and gives her a referral.
    jeroen_page = browser.new_context(base_url=live_server.url).new_page()
    log_in(jeroen_page, "jeroen")
    jeroen_page.click("nav >> text=Leden")
    jeroen_page.fill("#directory-q", "zeilen")
    jeroen_page.wait_for_selector("#directory-count >> text=1 lid")
    jeroen_page.click("#directory-rows >> text=Fleur de Wit")
    jeroen_page.click("main >> text=Doorverwijzing vastleggen")
    jeroen_page.select_option("select[name=kind]", "assignment")
    jeroen_page.fill("textarea[name=description]", "Fotoreportage voor De Vries B.V.")
    jeroen_page.click("form[action='/members/referrals/'] button[type=submit]")
    jeroen_page.wait_for_selector("text=Fleur de Wit wordt gevraagd haar te bevestigen.")

    # Fleur confirms it with what it brought her; her balance shows it.
    fleur_page.goto("/members/referrals/")
    fleur_page.wait_for_selector("#to-confirm >> text=Fotoreportage voor De Vries B.V.")
    fleur_page.fill("#to-confirm input[name=value]", "850")
    fleur_page.click("#to-confirm button[type=submit]:has-text('Bevestigen')")
    fleur_page.wait_for_selector("text=de doorverwijzing is bevestigd")
    assert Referral.objects.get().status == ReferralStatus.CONFIRMED
    assert fleur_page.is_visible("#balance >> text=850")

    # A meeting they all came to: the coordinator shares its costs, everyone sees each share.
    start = timezone.now() - dt.timedelta(days=2)
    event = EventFactory(
        title="Kringbijeenkomst",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        status=EventStatus.HELD,
    )
    CostItem.objects.create(
        event=event, category="venue", description="Zaalhuur", planned=300, actual=300
    )
    fleur = Application.objects.get().member
    for member in (coordinator, jeroen, fleur):
        Guest.objects.create(event=event, member=member, status=GuestStatus.ATTENDED)
    page.goto(f"/events/{event.pk}/cost-statement/")
    page.check("input[name=rule][value=equal]")
    page.click("form[action$='/publish/'] button[type=submit]")
    page.wait_for_selector("text=Het kostenoverzicht is gepubliceerd voor de leden.")
    jeroen_page.goto(f"/events/{event.pk}/cost-statement/")
    for name in ("Marieke Dekker", "Jeroen Bakker", "Fleur de Wit"):
        jeroen_page.wait_for_selector(f"#shares tr:has-text('{name}') >> text=100,00")
    assert jeroen_page.locator("#shares >> text=open").count() == 3

    # On a phone the statement and the directory fit the screen.
    jeroen_page.set_viewport_size({"width": 390, "height": 844})
    for path in (f"/events/{event.pk}/cost-statement/", "/members/directory/"):
        jeroen_page.goto(path)
        width = jeroen_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
