"""The words of a member network on every page: where an organisation says collega's /
colleagues, a member network says leden / members — in menus, headings, forms, messages and
e-mails alike, in Dutch and English, and at once when the kind changes."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from gilde.accounts.models import Role
from gilde.members import vocabulary
from gilde.members.models import NetworkKind
from gilde.members.network import network_kind
from gilde.members.services import network_setup
from tests.conftest import client_for
from tests.factories import MemberFactory, PersonFactory, TieFactory

PAGES = [
    "dashboard",
    "member_list",
    "person_list",
    "organisation_list",
    "accounts:team",
    "accounts:invite",
    "maintenance_due",
    "maintenance_follow_ups",
    "maintenance_settings",
    "give_back",
    "events:list",
    "events:create",
    "events:introductions",
    "network:overview",
    "network:communities",
    "strategy:overview",
    "strategy:heatmap",
    "privacy_overview",
    "privacy_processing",
    "autolog:settings",
    "members:goal",
    "members:directory",
    "members:referrals",
    "members:applications",
    "members:drop_ins",
]
# An organisation's pages that do speak of colleagues (so the test below tests something).
ORGANISATION_SAYS_COLLEAGUES = ["dashboard", "member_list", "accounts:invite", "person_detail"]


@pytest.fixture
def world(db):
    """A coordinator and a member (names without "collega" in them), a person both know, and a
    contact moment they share."""
    boss = MemberFactory(
        user__username="coord",
        user__first_name="Marieke",
        user__last_name="Smit",
        role=Role.NETWORK_MANAGER,
    )
    member = MemberFactory(user__username="lid", user__first_name="Ruud", user__last_name="Bos")
    person = PersonFactory(given_name="Anna", tussenvoegsel="de", family_name="Vries")
    TieFactory(person=person, member=member)
    TieFactory(person=person, member=boss)
    return boss, member, person, None


def _pages(client, person, language):
    for name in [*PAGES, "person_detail"]:
        url = reverse(name, args=[person.pk]) if name == "person_detail" else reverse(name)
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert page.status_code == 200, (name, page.status_code)
        html = re.sub(r"<script.*?</script>", "", page.content.decode(), flags=re.S)
        # what a reader sees or hears: not ids, classes, links or field names
        yield (
            name,
            re.sub(r'\s(?:id|class|href|name|for|action|hx-\w+|data-[\w-]+)="[^"]*"', "", html),
        )


def _member_network(boss):
    network_setup(actor=boss, kind=NetworkKind.MEMBERS)  # clears the cached kind itself


def test_a_member_network_never_says_colleague_in_dutch(world):
    boss, _member, person, _moment = world
    _member_network(boss)
    client = client_for(boss)
    for name, html in _pages(client, person, "nl"):
        found = re.findall(r".{40}collega.{40}", html, flags=re.I | re.S)
        assert not found, (name, found[:3])


def test_a_member_network_never_says_colleague_in_english(world):
    boss, _member, person, _moment = world
    _member_network(boss)
    client = client_for(boss)
    for name, html in _pages(client, person, "en"):
        found = re.findall(r".{40}colleague.{40}", html, flags=re.I | re.S)
        assert not found, (name, found[:3])


def test_an_organisation_still_speaks_of_colleagues(world):
    boss, _member, person, _moment = world
    client = client_for(boss)
    pages = dict(_pages(client, person, "nl"))
    for name in ORGANISATION_SAYS_COLLEAGUES:
        assert "ollega" in pages[name], name
    assert "Leden" not in pages["member_list"]


def test_the_member_network_words_in_both_languages(world):
    boss, *_ = world
    _member_network(boss)
    with translation.override("nl"):
        assert gettext("Invite a colleague") == "Lid uitnodigen"
        assert gettext("Colleagues who know them") == "Leden die hen kennen"
        assert gettext("This colleague has no e-mail address.") == "Dit lid heeft geen e-mailadres."
        assert gettext("member") == "lid"
    with translation.override("en"):
        assert gettext("Invite a colleague") == "Invite a member"
        assert gettext("Colleagues") == "Members"


def test_a_change_of_kind_takes_effect_at_once(world):
    boss, *_ = world
    client = client_for(boss)
    assert (
        "Collega" in client.get(reverse("member_list"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    )
    network_kind()  # the organisation is now in the cache
    network_setup(actor=boss, kind=NetworkKind.MEMBERS)
    assert network_kind() == NetworkKind.MEMBERS  # no waiting for the cache to expire
    html = client.get(reverse("member_list"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Leden" in html and "Collega" not in html
    network_setup(actor=boss, kind=NetworkKind.ORGANISATION)
    assert network_kind() == NetworkKind.ORGANISATION
    with translation.override("nl"):
        assert gettext("Invite a colleague") == "Collega uitnodigen"


def test_an_e_mail_in_a_member_network_speaks_of_members(world):
    boss, *_ = world
    _member_network(boss)
    with translation.override("nl"):
        assert "lid" in gettext("Choose a colleague who may see this relation.")


# ---- the catalogs ---------------------------------------------------------------------------------

SOURCE = Path(vocabulary.__file__).resolve().parents[1]
# Messages that describe an organisation itself (the choice of kind) keep their word.
DESCRIBE_AN_ORGANISATION = (
    "An organisation and its colleagues",
    "Gilde runs an organisation's relations",
    "An organisation with its colleagues",
)


def _overlay(language):
    path = vocabulary.CATALOGS / language / "LC_MESSAGES" / "django.po"
    return {(e.msgctxt, e.msgid): e for e in polib.pofile(str(path))}


def _dutch_entries():
    for path in sorted(SOURCE.rglob("locale/nl/LC_MESSAGES/django.po")):
        for entry in polib.pofile(str(path)):
            if not entry.obsolete and not entry.msgid.startswith(DESCRIBE_AN_ORGANISATION):
                yield entry


def test_every_message_that_says_colleague_has_a_member_network_wording():
    dutch, english = _overlay("nl"), _overlay("en")
    missing = []
    for entry in _dutch_entries():
        texts = [entry.msgstr, *entry.msgstr_plural.values()]
        if any("collega" in t.lower() for t in texts) and (entry.msgctxt, entry.msgid) not in dutch:
            missing.append(("nl", entry.msgid))
        if "colleague" in entry.msgid.lower() and (entry.msgctxt, entry.msgid) not in english:
            missing.append(("en", entry.msgid))
    assert not missing, missing


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_member_network_wording_keeps_placeholders_and_drops_colleague(language):
    for entry in _overlay(language).values():
        texts = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        for text in texts:
            assert text, entry.msgid
            assert "collega" not in text.lower() and not re.search(r"(?<!%\()\bcolleague", text)
            wanted = sorted(re.findall(r"%\(\w+\)[sd]", entry.msgid))
            assert sorted(re.findall(r"%\(\w+\)[sd]", text)) == wanted, entry.msgid
