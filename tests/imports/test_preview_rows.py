"""The import preview shows the rows themselves: new ones, ones already in Gilde by name,
probable duplicates beside the relation they resemble, and sample values per column."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gilde.imports.models import ImportBatch
from gilde.relations.services import person_create
from tests.factories import OrganisationFactory

CSV = (
    b"Voornaam;Achternaam;E-mail;Organisatie;Functie\r\n"
    b"Femke;Vos;femke@deltawerk.nl;Deltawerk;Inkoper\r\n"
    b"Jan;Berg;jan@rijnbouw.nl;Rijnbouw;Directeur\r\n"
    b"Annemarie;Hoekstra-Smit;a.hoekstra@elders.nl;Hoekstra Advies;Adviseur\r\n"
    b";;;;\r\n"
    b";;;Zonder naam;\r\n"
)


def _preview(manager, client) -> tuple[ImportBatch, str]:
    person_create(actor=manager, given_name="Jan", family_name="Berg", emails=["jan@rijnbouw.nl"])
    person_create(
        actor=manager,
        given_name="Annemarie",
        family_name="Hoekstra-Smit",
        emails=["annemarie@hoekstra.nl"],
        role="Partner",
        organisation=OrganisationFactory(name="Hoekstra Advies"),
    )
    client.post(
        reverse("import_list"), {"file": SimpleUploadedFile("relaties.csv", CSV), "format": "auto"}
    )
    batch = ImportBatch.objects.get()
    return batch, client.get(reverse("import_detail", args=[batch.pk])).content.decode()


def test_new_rows_are_listed_with_organisation_and_e_mail(manager, manager_client):
    _batch, page = _preview(manager, manager_client)
    new = page[page.index("<h2>Nieuwe relaties</h2>") :]
    assert "Femke Vos" in new and "Deltawerk" in new and "femke@deltawerk.nl" in new


def test_a_row_already_in_gilde_names_and_links_the_relation(manager, manager_client):
    _batch, page = _preview(manager, manager_client)
    section = page[page.index("<h2>Al in Gilde</h2>") :]
    assert ">Jan Berg</a>" in section
    assert "#" not in section.split("</table>")[0].split("<tbody>")[1]


def test_a_probable_duplicate_stands_beside_the_relation_it_resembles(manager, manager_client):
    _batch, page = _preview(manager, manager_client)
    section = page[
        page.index("<h2>Waarschijnlijk dubbele relaties</h2>") : page.index("<h2>Al in Gilde</h2>")
    ]
    in_file = section[section.index("In het bestand") : section.index("In Gilde")]
    in_gilde = section[section.index("In Gilde") :]
    assert "a.hoekstra@elders.nl" in in_file and "Adviseur" in in_file
    assert "annemarie@hoekstra.nl" in in_gilde and "Partner" in in_gilde


def test_rejected_rows_keep_their_line_and_reason(manager, manager_client):
    _batch, page = _preview(manager, manager_client)
    rejected = page[page.index("Afgewezen regels") :]
    assert "<td>6</td>" in rejected


def test_the_column_step_shows_sample_values(manager, manager_client):
    batch, page = _preview(manager, manager_client)
    columns = page[page.index('action="' + reverse("import_mapping", args=[batch.pk])) :]
    row = columns[columns.index(">Organisatie</label>") :].split("</tr>")[0]
    assert "<span>Deltawerk</span>" in row and "<span>Rijnbouw</span>" in row


def test_the_duplicates_list_gives_reasons_organisations_and_links(manager, manager_client):
    from gilde.imports.duplicates import duplicate_scan
    from gilde.relations.models import EmailAddress
    from tests.factories import AffiliationFactory, PersonFactory

    organisation = OrganisationFactory(name="Rijnbouw")
    a = PersonFactory(given_name="Jan", tussenvoegsel="van der", family_name="Berg")
    b = PersonFactory(given_name="", initials="J.", tussenvoegsel="v.d.", family_name="Berg")
    AffiliationFactory(person=a, organisation=organisation)
    AffiliationFactory(person=b, organisation=organisation, role="CFO")
    EmailAddress.objects.create(person=a, address="jan@rijnbouw.nl")
    EmailAddress.objects.create(person=b, address="JAN@rijnbouw.nl")
    duplicate_scan(actor=manager)
    page = manager_client.get(reverse("duplicate_list")).content.decode()
    rows = page[page.index("<tbody>") : page.index("</tbody>")]
    assert f'href="{reverse("person_detail", args=[a.pk])}"' in rows
    assert f'href="{reverse("person_detail", args=[b.pk])}"' in rows
    assert "zelfde e-mailadres" in rows
    assert rows.count("Rijnbouw") == 2
