"""In a real browser: the relations count follows the live search, and the person form warns
about a possible duplicate, creates an organisation from the picker and shows the colleague
picker only once "confidential" is ticked, all without reloading the page."""

from __future__ import annotations

import pytest

from gilde.relations.models import Organisation, Person
from tests.browser.journey import log_in
from tests.factories import PersonFactory

# The `networker` fixture comes from tests/browser/conftest.py.

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_count_follows_the_live_search(page, networker):
    for name in ("Berg", "Bakker", "Smit"):
        PersonFactory(owner=networker, given_name="Jan", tussenvoegsel="", family_name=name)
    log_in(page, "jeroen")
    page.goto("/persons/")
    assert "3 relaties" in page.inner_text("#result-count")
    page.fill("input[name=q]", "smit")
    page.wait_for_selector("#result-count:has-text('gevonden voor')")
    assert page.inner_text("#result-count") == "1 relatie gevonden voor “smit”"
    assert page.locator("#person-rows tbody tr").count() == 1


def test_the_person_form_helps_while_typing(page, networker):
    known = PersonFactory(owner=networker, given_name="Anna", tussenvoegsel="de", family_name="Wit")
    log_in(page, "jeroen")
    page.goto("/persons/new/")
    assert not page.is_visible("input[name=confidential_members]")
    page.fill("input[name=given_name]", "Anna")
    page.fill("input[name=family_name]", "Wit")
    page.wait_for_selector("#duplicate-warning .duplicate-warning")
    assert page.get_attribute("#duplicate-warning a", "href") == f"/persons/{known.pk}/"
    page.fill("input[name=family_name]", "Wittebrood")
    page.fill("input[name=organisation__search]", "Nieuwe Stichting")
    page.click(".autocomplete-create button")
    page.wait_for_selector(".autocomplete-chosen")
    page.check("input[name=confidential]")
    assert page.is_visible(".confidential-members")
    page.click("form.person-form button[type=submit]")
    page.wait_for_url("**/persons/*/")
    person = Person.objects.get(family_name="Wittebrood")
    organisation = Organisation.objects.get(name="Nieuwe Stichting")
    assert person.affiliations.get().organisation == organisation
    assert person.confidential
