"""The person page reads top-down: who they are, how to reach them, who knows them."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse

from gilde.accounts.models import Role
from gilde.relations.models import EmailAddress, PhoneNumber, Tie
from tests.factories import (
    AffiliationFactory,
    MemberFactory,
    OrganisationFactory,
    PersonFactory,
    TieFactory,
)


def _header(page: str) -> str:
    return page[page.index("<hgroup>") : page.index("</hgroup>")]


def test_no_stray_semicolon_after_the_organisation_when_there_are_past_jobs(owner, owner_client):
    person = PersonFactory(owner=owner)
    AffiliationFactory(person=person, organisation=OrganisationFactory(name="Rijnbouw"), role="CFO")
    AffiliationFactory(
        person=person,
        organisation=OrganisationFactory(name="Vroeger B.V."),
        start_date=dt.date(2010, 1, 1),
        end_date=dt.date(2019, 12, 31),
    )
    header = _header(owner_client.get(reverse("person_detail", args=[person.pk])).content.decode())
    assert "Rijnbouw</a></p>" in header
    assert ";" not in header
    assert "Vroeger" not in header


def test_two_current_jobs_are_separated_by_one_semicolon(owner, owner_client):
    person = PersonFactory(owner=owner)
    AffiliationFactory(person=person, organisation=OrganisationFactory(name="Eerste"))
    AffiliationFactory(person=person, organisation=OrganisationFactory(name="Tweede"))
    header = _header(owner_client.get(reverse("person_detail", args=[person.pk])).content.decode())
    assert header.count(";") == 1


def test_contact_details_come_before_the_timeline(owner, owner_client):
    person = PersonFactory(owner=owner)
    EmailAddress.objects.create(person=person, address="anna@rijnbouw.nl", is_primary=True)
    PhoneNumber.objects.create(person=person, number="+31612345678")
    page = owner_client.get(reverse("person_detail", args=[person.pk])).content.decode()
    timeline = page.index('id="timeline"')
    assert page.index("mailto:anna@rijnbouw.nl") < timeline
    assert page.index("tel:+31612345678") < timeline
    assert page.count("mailto:anna@rijnbouw.nl") == 1


def test_colleagues_who_know_them_are_apart_from_relations_they_know(owner, owner_client):
    person = PersonFactory(owner=owner)
    colleague = MemberFactory(user__first_name="Sanne", user__last_name="Kok", role=Role.NETWORKER)
    TieFactory(person=person, member=colleague, strength=4)
    friend = PersonFactory(given_name="Bram", tussenvoegsel="", family_name="Tweede")
    Tie.objects.create(person=person, other_person=friend, strength=2)
    page = owner_client.get(reverse("person_detail", args=[person.pk])).content.decode()
    colleagues = page[
        page.index("Collega's die hen kennen") : page.index("Relaties die zij kennen")
    ]
    assert "Sanne Kok" in colleagues
    assert "Bram Tweede" not in colleagues
    assert "<form" not in colleagues  # no remove buttons beside colleagues
    relations = page[page.index("Relaties die zij kennen") :]
    assert "Bram Tweede" in relations


def test_colleagues_of_equal_strength_are_in_dutch_name_order(owner, owner_client):
    person = PersonFactory(owner=owner)
    for first, last in [("Vera", "Visser"), ("Jeroen", "de Graaf"), ("Ayşe", "Çelik")]:
        member = MemberFactory(user__first_name=first, user__last_name=last, role=Role.NETWORKER)
        TieFactory(person=person, member=member, strength=3)
    page = owner_client.get(reverse("person_detail", args=[person.pk])).content.decode()
    section = page[page.index("Collega's die hen kennen") :]
    names = re.findall(r'/members/\d+/">([^<]+)</a>', section)[:3]
    assert names == ["Ayşe Çelik", "Jeroen de Graaf", "Vera Visser"]
