"""An import is a batch: previewed, committed whole or not at all, with provenance, undoable."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gilde.audit.models import AuditEntry
from gilde.imports import commit as commit_module
from gilde.imports.models import BatchStatus, DuplicatePair, ImportBatch
from gilde.imports.services import batch_commit, batch_remap, batch_undo, batch_upload
from gilde.relations.models import (
    EmailAddress,
    Organisation,
    Person,
    PersonSearchToken,
    PhoneNumber,
    Tie,
)
from gilde.relations.services import person_update
from tests.factories import ContactMomentFactory, NoteFactory, OrganisationFactory, PersonFactory
from tests.imports.factories import DUTCH, LINKEDIN, csv_file


def test_the_preview_counts_new_matched_duplicates_and_rejected_rows(manager):
    existing = PersonFactory(given_name="Jan", tussenvoegsel="van der", family_name="Berg")
    EmailAddress.objects.create(person=existing, address="Jan@Rijnbouw.nl")
    probable = PersonFactory(given_name="", initials="A.", tussenvoegsel="de", family_name="Wit")
    org = OrganisationFactory(name="Deltabouw")
    probable.affiliations.create(organisation=org, role="CFO")
    batch = batch_upload(actor=manager, content=DUTCH, file_name="relaties.csv")
    assert batch.status == BatchStatus.PREVIEWED and batch.format == "csv"
    assert (batch.new_count, batch.matched_count, batch.duplicate_count, batch.rejected_count) == (
        1,
        1,
        1,
        1,
    )
    assert batch.preview["rejected"] == [
        {"line": 5, "code": "no_name_or_email", "message": "Line 5 has no name and no e-mail."}
    ]
    matched = {m["line"]: m for m in batch.preview["matches"]}
    assert matched[2]["person"] == existing.pk and "same_email" in matched[2]["reasons"]
    assert Person.objects.count() == 2  # a preview changes nothing


def test_a_commit_records_source_and_batch_on_every_person(manager):
    batch = batch_upload(actor=manager, content=DUTCH, file_name="relaties.csv")
    batch = batch_commit(actor=manager, batch=batch)
    assert batch.status == BatchStatus.COMMITTED and batch.created_persons == 3
    persons = Person.objects.filter(import_batch=batch)
    assert persons.count() == 3
    assert set(persons.values_list("source", flat=True)) == {"csv:relaties.csv"}
    jan = persons.get(family_name="Berg")
    assert (jan.given_name, jan.tussenvoegsel, jan.sort_name) == (
        "Jan",
        "van der",
        "berg|jan|van der",
    )
    assert list(jan.phones.values_list("number", flat=True)) == ["+31612345678"]
    assert jan.affiliations.get().organisation.name == "Rijnbouw B.V."
    assert persons.get(family_name="Smits").given_name == "Renée"
    assert PersonSearchToken.objects.filter(person=jan, token="berg").exists()
    entry = AuditEntry.objects.get(action="import")
    assert entry.detail["persons"] == 3 and "Berg" not in str(entry.detail)


def test_imported_persons_are_found_by_search(manager, manager_client):
    batch_commit(actor=manager, batch=batch_upload(actor=manager, content=DUTCH, file_name="r.csv"))
    page = manager_client.get("/persons/", {"q": "van der berg"}).content.decode()
    assert "Berg, Jan van der" in page


def test_organisations_are_matched_by_name_or_created(manager):
    existing = OrganisationFactory(name="Rijnbouw B.V.")
    batch = batch_commit(
        actor=manager, batch=batch_upload(actor=manager, content=DUTCH, file_name="r.csv")
    )
    assert Person.objects.get(family_name="Berg").affiliations.get().organisation == existing
    assert Organisation.objects.filter(name="Deltabouw", source=f"import:{batch.pk}").exists()


def test_a_failure_halfway_leaves_nothing(manager):
    batch = batch_upload(actor=manager, content=DUTCH, file_name="relaties.csv")
    real = commit_module.insert_values

    def crash_on_tokens(model, columns, rows):
        if model is PersonSearchToken:  # the last table written: persons, e-mails... are in
            raise RuntimeError("disk full")
        return real(model, columns, rows)

    with mock.patch.object(commit_module, "insert_values", crash_on_tokens):
        batch = batch_commit(actor=manager, batch=batch)
    assert batch.status == BatchStatus.FAILED and "disk full" in batch.error_message
    assert Person.objects.count() == 0 and Organisation.objects.count() == 0
    assert EmailAddress.objects.count() == 0 and PhoneNumber.objects.count() == 0
    assert batch_commit(actor=manager, batch=batch).status == BatchStatus.COMMITTED


def test_a_batch_is_committed_only_once(manager):
    batch = batch_commit(
        actor=manager, batch=batch_upload(actor=manager, content=DUTCH, file_name="r.csv")
    )
    with pytest.raises(ValidationError):
        batch_commit(actor=manager, batch=batch)
    assert Person.objects.count() == 3


def test_undo_removes_the_whole_batch(manager):
    batch = batch_commit(
        actor=manager, batch=batch_upload(actor=manager, content=DUTCH, file_name="r.csv")
    )
    batch = batch_undo(actor=manager, batch=batch)
    assert batch.status == BatchStatus.UNDONE
    assert Person.objects.count() == 0 and Organisation.objects.count() == 0
    assert PersonSearchToken.objects.count() == 0


@pytest.mark.parametrize("change", ["edit", "contact_moment", "note"])
def test_undo_is_refused_once_a_person_of_the_batch_changed(manager, change):
    batch = batch_commit(
        actor=manager, batch=batch_upload(actor=manager, content=DUTCH, file_name="r.csv")
    )
    jan = Person.objects.get(family_name="Berg")
    if change == "edit":
        with mock.patch(
            "django.utils.timezone.now", return_value=batch.committed_at + dt.timedelta(minutes=5)
        ):
            person_update(actor=manager, person=jan, title="dr.")
    elif change == "contact_moment":
        ContactMomentFactory(persons=[jan])
    else:
        NoteFactory(person=jan, author=manager)
    with pytest.raises(ValidationError) as error:
        batch_undo(actor=manager, batch=batch)
    assert "ongedaan" in str(error.value) or "undone" in str(error.value)
    assert Person.objects.filter(import_batch=batch).count() == 3


def test_linkedin_connections_become_persons_with_a_tie_from_the_importer(owner):
    known = PersonFactory(
        given_name="Jan",
        tussenvoegsel="van der",
        family_name="Berg",
        linkedin_url="https://www.linkedin.com/in/janvdberg",
    )
    batch = batch_upload(actor=owner, content=LINKEDIN, file_name="Connections.csv")
    assert batch.format == "linkedin" and (batch.new_count, batch.matched_count) == (1, 1)
    batch = batch_commit(actor=owner, batch=batch)
    sophie = Person.objects.get(family_name="Jansen")
    assert sophie.owner == owner  # a networker owns what they import
    tie = Tie.objects.get(person=sophie, member=owner)
    assert tie.since == dt.date(2020, 1, 3)
    assert Tie.objects.get(person=known, member=owner).since == dt.date(2021, 3, 12)
    batch_undo(actor=owner, batch=batch)
    assert (
        not Tie.objects.filter(member=owner).exists()
        and Person.objects.filter(pk=known.pk).exists()
    )


def test_probable_duplicates_are_imported_and_queued_for_review(manager):
    existing = PersonFactory(given_name="", initials="A.", tussenvoegsel="de", family_name="Wit")
    existing.affiliations.create(organisation=OrganisationFactory(name="Deltabouw"))
    batch = batch_commit(
        actor=manager, batch=batch_upload(actor=manager, content=DUTCH, file_name="r.csv")
    )
    anna = Person.objects.get(import_batch=batch, family_name="Wit")
    pair = DuplicatePair.objects.get()
    assert {pair.person_a_id, pair.person_b_id} == {anna.pk, existing.pk}


def test_a_table_without_a_name_column_waits_for_the_mapping(manager):
    content = csv_file("Jan van der Berg;jan@rijnbouw.nl", header="Wie;Adres electronisch")
    batch = batch_upload(actor=manager, content=content, file_name="lijst.csv")
    assert batch.status == BatchStatus.UPLOADED and batch.columns == ["Wie", "Adres electronisch"]
    batch = batch_remap(
        actor=manager, batch=batch, mapping={"Wie": "full_name", "Adres electronisch": "email"}
    )
    assert batch.status == BatchStatus.PREVIEWED and batch.new_count == 1
    batch_commit(actor=manager, batch=batch)
    jan = Person.objects.get()
    assert (jan.tussenvoegsel, jan.family_name, jan.emails.get().address) == (
        "van der",
        "Berg",
        "jan@rijnbouw.nl",
    )


def test_readers_may_not_import(reader):
    with pytest.raises(PermissionDenied):
        batch_upload(actor=reader, content=DUTCH, file_name="r.csv")
    assert not ImportBatch.objects.exists()


def test_a_colleague_may_not_commit_or_undo_someone_elses_batch(owner, colleague):
    batch = batch_upload(actor=owner, content=DUTCH, file_name="r.csv")
    with pytest.raises(PermissionDenied):
        batch_commit(actor=colleague, batch=batch)
    batch = batch_commit(actor=owner, batch=batch)
    with pytest.raises(PermissionDenied):
        batch_undo(actor=colleague, batch=batch)


def test_a_matched_row_adds_only_what_the_known_person_lacks_and_undo_takes_it_away(manager):
    known = PersonFactory(given_name="Jan", tussenvoegsel="van der", family_name="Berg")
    EmailAddress.objects.create(person=known, address="Jan@Rijnbouw.nl", is_primary=True)
    PhoneNumber.objects.create(person=known, number="06 12345678")  # the same number
    version = Person.objects.get(pk=known.pk).version
    content = csv_file(
        "Jan;van der;Berg;jan@rijnbouw.nl;0612345678;Rijnbouw B.V.;Directeur;Utrecht",
    )
    batch = batch_commit(
        actor=manager, batch=batch_upload(actor=manager, content=content, file_name="r.csv")
    )
    assert (batch.matched_count, batch.created_persons) == (1, 0)
    # Same e-mail (other case) and same phone (other spacing): nothing to add.
    assert known.emails.count() == 1 and known.phones.count() == 1
    assert "filled_persons" not in batch.undo_record

    linkedin = batch_commit(
        actor=manager,
        batch=batch_upload(actor=manager, content=LINKEDIN, file_name="Connections.csv"),
    )
    known.refresh_from_db()
    assert known.linkedin_url == "https://www.linkedin.com/in/janvdberg"
    assert known.version == version + 1  # an edit form opened before is refused, not obeyed
    assert linkedin.undo_record["filled_persons"] == 1

    more = b"Voornaam;Tussenvoegsel;Achternaam;E-mail;Telefoon\n" + (
        b"Jan;van der;Berg;jan@rijnbouw.nl;0201112222\n"
        b"Jan;van der;Berg;jan@rijnbouw.nl;0201112222\n"  # the same row twice adds it once
    )
    batch = batch_commit(
        actor=manager, batch=batch_upload(actor=manager, content=more, file_name="extra.csv")
    )
    assert sorted(known.phones.values_list("number", flat=True)) == [
        "+31201112222",
        "06 12345678",
    ]
    entry = AuditEntry.objects.filter(action="import").latest("pk")
    assert entry.detail["details_added_to"] == 1

    batch_undo(actor=manager, batch=batch)
    assert list(known.phones.values_list("number", flat=True)) == ["06 12345678"]
    batch_undo(actor=manager, batch=ImportBatch.objects.get(pk=linkedin.pk))
    known.refresh_from_db()
    assert known.linkedin_url == "" and Person.objects.filter(pk=known.pk).exists()


def test_a_matched_row_adds_a_missing_email_to_the_search_words(manager, manager_client):
    known = PersonFactory(given_name="Sophie", family_name="Jansen")
    PhoneNumber.objects.create(person=known, number="+31612345678")
    content = "Voornaam;Achternaam;E-mail;Telefoon\nSophie;Jansen;sophie@utrecht.nl;0612345678\n"
    batch = batch_commit(
        actor=manager,
        batch=batch_upload(actor=manager, content=content.encode(), file_name="r.csv"),
    )
    assert batch.matched_count == 1
    assert list(known.emails.values_list("address", flat=True)) == ["sophie@utrecht.nl"]
    assert known.emails.get().is_primary
    assert PersonSearchToken.objects.filter(person=known, token__startswith="sophie@").exists()
    batch_undo(actor=manager, batch=batch)
    assert not known.emails.exists()
    assert not PersonSearchToken.objects.filter(person=known, token__startswith="sophie@").exists()
