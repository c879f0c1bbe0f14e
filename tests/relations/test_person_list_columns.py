"""The relations list counts what it shows and says how each relation is looked after."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from gilde.maintenance.services import network_recompute
from tests.factories import ContactMomentFactory, PersonFactory


def test_the_count_follows_the_search_when_only_the_rows_are_swapped(owner_client):
    for i in range(3):
        PersonFactory(family_name=f"Jansen{i}")
    PersonFactory(given_name="Piet", tussenvoegsel="", family_name="Zwart")
    full = owner_client.get(reverse("person_list")).content.decode()
    assert "4 relaties" in full
    rows = owner_client.get(reverse("person_list"), {"q": "zwart"}, HTTP_HX_REQUEST="true")
    html = rows.content.decode()
    assert "1 relatie gevonden voor “zwart”" in html
    assert "4 relaties" not in html
    assert 'id="result-count"' in html and 'role="status"' in html


def test_the_list_shows_status_and_last_contact(owner, owner_client):
    seen = PersonFactory(given_name="Piet", tussenvoegsel="", family_name="Gezien")
    PersonFactory(given_name="Nooit", tussenvoegsel="", family_name="Gebeld")
    ContactMomentFactory(
        persons=[seen], members=[owner], occurred_at=timezone.now() - dt.timedelta(days=400)
    )
    page = owner_client.get(reverse("person_list")).content.decode()
    assert "<th>Status</th>" in page and "<th>Laatste contact</th>" in page
    row_seen = page[page.index("Gezien, Piet") :].split("</tr>")[0]
    row_never = page[page.index("Gebeld, Nooit") :].split("</tr>")[0]
    assert "achterstallig" in row_seen  # tier B: 90/180 days
    assert (timezone.localdate() - dt.timedelta(days=400)).strftime("%Y") in row_seen
    assert "nooit benaderd" in row_never


def test_status_comes_from_the_care_rows_once_recomputed(owner, owner_client):
    person = PersonFactory(given_name="Recent", tussenvoegsel="", family_name="Gesproken")
    ContactMomentFactory(persons=[person], members=[owner])
    network_recompute(now=timezone.now())
    page = owner_client.get(reverse("person_list")).content.decode()
    row = page[page.index("Gesproken, Recent") :].split("</tr>")[0]
    assert "op schema" in row


def test_the_search_field_spans_the_width(owner_client):
    page = owner_client.get(reverse("person_list")).content.decode()
    assert 'class="search-wide"' in page
