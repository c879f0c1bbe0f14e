"""The right to erasure: one transaction, nothing identifying left, registered by number only."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gilde.audit.models import AuditAction, AuditEntry
from gilde.contacts.models import ContactMoment, FollowUp
from gilde.goodwill.models import Favour
from gilde.privacy.erasure import ERASED, erasures_reapply, person_erase
from gilde.privacy.models import ErasureRecord
from gilde.relations.models import (
    EmailAddress,
    Note,
    Person,
    PersonSearchToken,
    PhoneNumber,
    PostalAddress,
    Tie,
)
from gilde.relations.services import person_create
from tests.conftest import client_for
from tests.factories import (
    ContactMomentFactory,
    FollowUpFactory,
    NoteFactory,
    OrganisationFactory,
    PersonFactory,
    TieFactory,
)
from tests.privacy.factories import FavourFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def femke(manager, colleague):  # type: ignore[no-untyped-def]
    person = person_create(
        actor=manager,
        given_name="Femke",
        tussenvoegsel="van",
        family_name="Dalen",
        title="dr.",
        initials="F.",
        emails=["femke@dalen.nl"],
        phones=["+31 6 1234 5678"],
        passions="Zeilen",
        tags=["Bestuur"],
        birthday=None,
        website="https://dalen.nl",
        address={"street": "Grachtweg 1", "postal_code": "1234 AB", "city": "Zwolle"},
        organisation=OrganisationFactory(name="Rijnbouw"),
        role="Directeur",
    )
    return person


def test_erasure_leaves_nothing_that_identifies_the_person(manager, colleague, femke):
    other = PersonFactory(given_name="Kees", family_name="Jansen")
    alone = ContactMomentFactory(
        persons=[femke],
        summary="Femke vertelde over de fusie",
        notes="Bel 0612345678",
        signals="Van Dalen wil uitbreiden",
    )
    shared = ContactMomentFactory(
        persons=[femke, other],
        summary="Lunch met Femke en Kees",
        notes="Femke van Dalen (femke@dalen.nl) introduceert Kees",
    )
    elsewhere = ContactMomentFactory(persons=[other], notes="Kees kent dr. Femke van Dalen goed")
    NoteFactory(person=femke, author=colleague, text="Prive over Femke", is_private=True)
    FollowUpFactory(person=femke, owner=colleague, title="Femke terugbellen")
    FavourFactory(person=femke, member=colleague, note="Femke geholpen")
    TieFactory(person=femke, member=colleague, how_met_note="Via Femke's zus")

    record = person_erase(actor=manager, person=femke)

    femke = Person.objects.get(pk=femke.pk)
    assert (femke.given_name, femke.family_name, femke.title, femke.initials) == (
        "",
        ERASED,
        "",
        "",
    )
    assert not femke.passions and not femke.website and femke.search_text == ""
    assert not femke.tags.exists() and not femke.affiliations.exists()
    for model in (EmailAddress, PhoneNumber, PostalAddress, PersonSearchToken, Note):
        assert not model.objects.filter(person=femke).exists()
    alone.refresh_from_db()
    assert (alone.summary, alone.notes, alone.signals) == (ERASED, "", "")
    shared.refresh_from_db()
    assert shared.summary == f"Lunch met {ERASED} en Kees"
    assert "Femke" not in shared.notes and "dalen" not in shared.notes.lower()
    elsewhere.refresh_from_db()
    assert elsewhere.notes == f"Kees kent {ERASED} goed"
    assert "Femke" not in FollowUp.objects.get(person=femke).title
    assert Favour.objects.get(person=femke).note == ""
    assert Tie.objects.get(person=femke).how_met_note == ""
    # What remains is counts.
    assert ContactMoment.objects.filter(persons=femke).count() == 2
    assert record.counts["emails_deleted"] == 1
    assert record.counts["affiliations_deleted"] == 1


def test_the_register_and_the_audit_entry_hold_no_erased_data(
    manager, femke, erasure_journal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(actor=manager, person=femke)
    record = ErasureRecord.objects.get(person_id=femke.pk)
    entry = AuditEntry.objects.get(action=AuditAction.ERASE)
    text = json.dumps([record.counts, record.reason, entry.detail, entry.username]).lower()
    assert "femke" not in text and "dalen" not in text
    journal = erasure_journal.read_text()
    assert str(femke.pk) in journal and "dalen" not in journal.lower()


def test_a_networker_may_not_erase(owner, femke):
    with pytest.raises(PermissionDenied):
        person_erase(actor=owner, person=femke)
    assert client_for(owner).post(reverse("person_erase", args=[femke.pk])).status_code == 403
    assert Person.objects.get(pk=femke.pk).given_name == "Femke"


def test_a_failed_erasure_changes_nothing(manager, femke, monkeypatch):
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr("gilde.privacy.erasure._erase_person_row", broken)
    ContactMomentFactory(persons=[femke], summary="Femke belde")
    with pytest.raises(RuntimeError):
        person_erase(actor=manager, person=femke)
    assert ContactMoment.objects.get(persons=femke).summary == "Femke belde"
    assert not ErasureRecord.objects.exists()


def test_reapplying_erases_a_person_who_came_back(manager, femke):
    """As after restoring a backup made before the erasure: the register is there, the person
    is back."""
    person_erase(actor=manager, person=femke)
    Person.objects.filter(pk=femke.pk).update(given_name="Femke", family_name="Dalen")
    EmailAddress.objects.create(person_id=femke.pk, address="femke@dalen.nl")
    assert erasures_reapply(dry_run=True) == [femke.pk]
    assert Person.objects.get(pk=femke.pk).given_name == "Femke"
    assert erasures_reapply() == [femke.pk]
    assert Person.objects.get(pk=femke.pk).family_name == ERASED
    assert not EmailAddress.objects.filter(person_id=femke.pk).exists()
    assert erasures_reapply() == []


def test_reapplying_reads_the_journal_when_the_register_row_is_gone(
    manager, femke, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(actor=manager, person=femke)
    ErasureRecord.objects.all().delete()
    Person.objects.filter(pk=femke.pk).update(given_name="Femke", family_name="Dalen")
    assert erasures_reapply() == [femke.pk]
    assert ErasureRecord.objects.filter(person_id=femke.pk).exists()


def test_a_person_created_after_the_erasure_is_left_alone(manager, femke):
    person_erase(actor=manager, person=femke)
    record = ErasureRecord.objects.get()
    Person.objects.filter(pk=femke.pk).update(
        given_name="Nieuw", family_name="Iemand", created_at=record.erased_at.replace(year=2099)
    )
    assert erasures_reapply() == []
    assert Person.objects.get(pk=femke.pk).family_name == "Iemand"


def _journal(tmp_path, *lines: str):
    path = tmp_path / "elsewhere.jsonl"
    path.write_text("".join(f"{line}\n" for line in lines))
    return path


def test_a_journal_that_is_not_text_or_holds_no_entries_is_refused_and_nothing_changes(
    femke, tmp_path
):
    from django.core.management import CommandError, call_command

    binary = tmp_path / "journal.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xf6\xff\x00")
    with pytest.raises(CommandError, match="not an erasure journal"):
        call_command("privacy", "reapply-erasures", "--journal", str(binary))
    csv = _journal(tmp_path, "person_id;erased_at", "12;gisteren")
    with pytest.raises(CommandError, match="holds no erasure journal entries"):
        call_command("privacy", "reapply-erasures", "--journal", str(csv))
    assert not ErasureRecord.objects.exists()
    assert Person.objects.get(pk=femke.pk).family_name != ERASED


def test_journal_lines_without_a_moment_or_with_an_impossible_id_are_skipped(
    manager, femke, tmp_path
):
    # A line cut short by a crash, or an id no row can have, is not an entry: it neither erases
    # a living person "now" nor ends the run in a database error.
    other = PersonFactory()
    erased_at = "2020-01-01T00:00:00+00:00"
    Person.objects.filter(pk=femke.pk).update(created_at="2019-06-01T00:00:00+00:00")
    journal = _journal(
        tmp_path,
        json.dumps({"person_id": other.pk}),
        json.dumps({"person_id": other.pk + 1, "erased_at": "not a date"}),
        json.dumps({"person_id": 99999999999999999999999, "erased_at": erased_at}),
        json.dumps({"person_id": -1, "erased_at": erased_at}),
        json.dumps({"person_id": femke.pk, "erased_at": erased_at}),
        '{"person_id": 1',
    )
    assert erasures_reapply(journal=journal) == [femke.pk]
    assert Person.objects.get(pk=femke.pk).family_name == ERASED
    assert Person.objects.get(pk=other.pk).family_name != ERASED
    assert set(ErasureRecord.objects.values_list("person_id", flat=True)) == {femke.pk}


def test_reapplying_lands_whole_or_not_at_all(manager, femke, tmp_path, monkeypatch):
    second = PersonFactory()
    erased_at = "2020-01-01T00:00:00+00:00"
    Person.objects.filter(pk__in=[femke.pk, second.pk]).update(
        created_at="2019-06-01T00:00:00+00:00"
    )
    journal = _journal(
        tmp_path,
        json.dumps({"person_id": femke.pk, "erased_at": erased_at}),
        json.dumps({"person_id": second.pk, "erased_at": erased_at}),
    )
    real = person_erase
    calls = []

    def fails_second_time(**kwargs):
        calls.append(kwargs["person"].pk)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr("gilde.privacy.erasure.person_erase", fails_second_time)
    with pytest.raises(RuntimeError, match="disk full"):
        erasures_reapply(journal=journal)
    assert calls == [femke.pk, second.pk]
    assert Person.objects.get(pk=femke.pk).family_name != ERASED
    assert not ErasureRecord.objects.exists()
