"""The audit trail reads as sentences: records by name, details in words, a search bar that
keeps its shape."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gilde.audit.models import AuditEntry
from gilde.audit.services import audit_record
from gilde.relations.services import person_create, person_delete, person_update
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _rows(client) -> str:
    page = client.get(reverse("audit_list")).content.decode()
    return page[page.index("<tbody>") : page.index("</tbody>")]


def test_a_record_is_named_and_linked_instead_of_person_and_a_number(manager, manager_client):
    person = PersonFactory(given_name="Wilhelmina", tussenvoegsel="", family_name="Oosterhuis")
    manager_client.get(reverse("person_detail", args=[person.pk]))
    rows = _rows(manager_client)
    assert (
        f'<a href="{reverse("person_detail", args=[person.pk])}">Wilhelmina Oosterhuis</a>' in rows
    )
    assert f"person #{person.pk}" not in rows


def test_a_deleted_record_says_it_is_gone(manager, manager_client):
    person = person_create(actor=manager, family_name="Weg")
    pk = person.pk
    person_delete(actor=manager, person=person)
    rows = _rows(manager_client)
    assert f"Relatie {pk} (niet meer in Gilde)" in rows


def test_changed_fields_are_named_in_the_readers_language(manager, manager_client):
    person = person_create(actor=manager, family_name="Oosterhuis", emails=["w@oosterhuis.nl"])
    person_update(
        actor=manager,
        person=person,
        family_name="Westerhuis",
        emails=["w@westerhuis.nl"],
        passions="",
    )
    rows = _rows(manager_client)
    assert "Gewijzigd: e-mailadressen, achternaam" in rows
    assert "family_name" not in rows


def test_an_import_is_told_in_words_not_keys(manager, manager_client):
    audit_record(
        actor=manager,
        action="import",
        target_type="importbatch",
        target_id=99,
        detail={
            "persons": 3,
            "organisations": 1,
            "ties": 0,
            "format": "csv",
            "details_added_to": 0,
        },
    )
    rows = _rows(manager_client)
    assert "3 nieuwe relaties, 1 nieuwe organisatie, uit een CSV-bestand" in rows
    assert "details_added_to" not in rows and "format: csv" not in rows


def test_an_export_is_told_in_words(manager, manager_client):
    audit_record(
        actor=manager,
        action="export",
        detail={"count": 12, "format": "xlsx", "filters": ["tag", "tier"]},
    )
    rows = _rows(manager_client)
    assert "12 relaties geëxporteerd als Excel; gefilterd op tag, tier" in rows


def test_ids_in_the_detail_become_names(manager, manager_client):
    organisation = OrganisationFactory(name="Rijnbouw")
    person = PersonFactory(given_name="Anna", tussenvoegsel="de", family_name="Wit")
    audit_record(
        actor=manager,
        action="change",
        target=organisation,
        detail={"person": person.pk, "fields": ["role"]},
    )
    rows = _rows(manager_client)
    assert "Relatie: Anna de Wit" in rows
    assert ">Rijnbouw</a>" in rows


def test_names_are_read_through_the_readers_scope(manager, owner, colleague):
    """A confidential person's name is shown to a network manager only because they may see
    them; the reader never reveals anything outside the scope."""
    from gilde.audit.readable import AuditReader

    secret = PersonFactory(
        given_name="Geheim",
        tussenvoegsel="",
        family_name="Kandidaat",
        owner=owner,
        confidential=True,
    )
    entry = audit_record(actor=owner, action="view", target=secret)
    assert AuditReader(user=manager.user, entries=[entry]).target(entry).label == "Geheim Kandidaat"
    hidden = AuditReader(user=colleague.user, entries=[entry]).target(entry)
    assert "Kandidaat" not in hidden.label


def test_the_search_bar_is_not_a_grid_inside_a_grid(manager_client):
    page = manager_client.get(reverse("audit_list")).content.decode()
    form = page[page.index('<form method="get"') :]
    assert form.startswith('<form method="get" class="audit-filters">')
    assert AuditEntry.objects.exists() or True


def test_an_erasure_counts_in_words(manager, manager_client):
    audit_record(
        actor=manager,
        action="erase",
        target_type="person",
        target_id=77,
        detail={"emails_deleted": 2, "notes_deleted": 0, "contact_moments_scrubbed": 3},
    )
    rows = _rows(manager_client)
    assert "Gewist; 3 contactmomenten van de naam ontdaan, 2 e-mailadressen verwijderd" in rows
    assert "emails_deleted" not in rows and "notes verwijderd" not in rows
