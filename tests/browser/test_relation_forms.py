"""The relation forms in a real browser: choose an organisation by typing, add an address row,
record who knows whom."""

from __future__ import annotations

import pytest

from gilde.relations.models import Affiliation, Tie
from tests.browser.journey import log_in
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_job_is_added_by_typing_the_organisation(page, networker):  # noqa: F811
    person = PersonFactory(owner=networker, family_name="Zoeker")
    org = OrganisationFactory(name="Rijnbouw Utrecht")
    OrganisationFactory(name="Deltazorg")
    log_in(page, "jeroen")
    page.goto(f"/persons/{person.pk}/affiliations/new/")
    page.fill("input[name=organisation__search]", "rijn")
    page.click("button:has-text('Rijnbouw Utrecht')")
    page.wait_for_selector(".autocomplete-chosen")
    page.fill("input[name=role]", "Directeur")
    page.click("form button[type=submit]")
    page.wait_for_url(f"**/persons/{person.pk}/")
    assert Affiliation.objects.get(person=person).organisation == org


def test_an_address_row_is_added_and_both_are_saved(page, networker):  # noqa: F811
    person = PersonFactory(owner=networker, family_name="Verhuizer")
    log_in(page, "jeroen")
    page.goto(f"/persons/{person.pk}/edit/")
    page.fill("input[name=addresses-0-street]", "Kerkstraat 1")
    page.fill("input[name=addresses-0-city]", "Utrecht")
    page.click("#address-add")
    page.wait_for_selector("input[name=addresses-1-street]")
    page.fill("input[name=addresses-1-street]", "Dorpsweg 2")
    page.fill("input[name=addresses-1-city]", "Ede")
    page.click("form button[type=submit]:has-text('Opslaan')")
    page.wait_for_url(f"**/persons/{person.pk}/")
    assert sorted(person.addresses.values_list("street", flat=True)) == [
        "Dorpsweg 2",
        "Kerkstraat 1",
    ]


def test_who_knows_whom_is_recorded_from_the_person_page(page, networker):  # noqa: F811
    person = PersonFactory(owner=networker, family_name="Eerste")
    PersonFactory(owner=networker, given_name="Bram", tussenvoegsel="", family_name="Bekende")
    log_in(page, "jeroen")
    page.goto(f"/persons/{person.pk}/")
    page.click("text=Iemand toevoegen die deze persoon kent")
    page.fill("input[name=other_person__search]", "bekende")
    page.click("button:has-text('Bram Bekende')")
    page.wait_for_selector(".autocomplete-chosen")
    page.click("form button[type=submit]")
    page.wait_for_url(f"**/persons/{person.pk}/")
    assert Tie.objects.filter(member__isnull=True).count() == 1
    assert "Bram Bekende" in page.content()
