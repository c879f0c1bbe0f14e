"""Duplicates: scan, dismiss, merge. Exports: filters, visibility, formula guard. The commands."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from gilde import visibility
from gilde.audit.models import AuditEntry
from gilde.goodwill.models import Favour
from gilde.imports.duplicates import duplicate_scan, pair_dismiss
from gilde.imports.exports import persons_export
from gilde.imports.models import BatchStatus, DuplicatePair, ImportBatch, PairStatus
from gilde.imports.services import batch_commit, batch_upload
from gilde.relations.merge import person_merge
from gilde.relations.models import EmailAddress, Person, PhoneNumber, Tie, Tier
from gilde.relations.selectors import PersonFilters
from tests.conftest import client_for
from tests.factories import (
    AffiliationFactory,
    ContactMomentFactory,
    FollowUpFactory,
    NoteFactory,
    OrganisationFactory,
    PersonFactory,
    TieFactory,
)
from tests.imports.factories import DUTCH, csv_file
from tests.jobs import run_jobs


def _pair(**b_fields):
    org = OrganisationFactory(name="Rijnbouw")
    a = PersonFactory(given_name="Jan", initials="J.", tussenvoegsel="van der", family_name="Berg")
    b = PersonFactory(
        given_name="", initials="J.", tussenvoegsel="v.d.", family_name="Berg", **b_fields
    )
    AffiliationFactory(person=a, organisation=org)
    AffiliationFactory(person=b, organisation=org, role="CFO")
    EmailAddress.objects.create(person=a, address="jan@rijnbouw.nl")
    EmailAddress.objects.create(person=b, address="JAN@rijnbouw.nl")
    EmailAddress.objects.create(person=b, address="j.berg@privé.nl")
    return a, b


def test_the_scan_finds_pairs_with_score_and_reasons_and_remembers_dismissals(manager):
    a, b = _pair()
    PersonFactory(given_name="Piet", family_name="Jansen")
    duplicate_scan(actor=manager)
    pair = DuplicatePair.objects.get()
    assert {pair.person_a_id, pair.person_b_id} == {a.pk, b.pk} and pair.score >= 90
    assert "same_email" in [r["code"] for r in pair.reasons]
    pair_dismiss(actor=manager, pair=pair)
    duplicate_scan(actor=manager)
    assert DuplicatePair.objects.get().status == PairStatus.DISMISSED


def test_merging_moves_everything_to_the_survivor_and_is_audited(manager, colleague):
    a, b = _pair(title="dr.")
    PhoneNumber.objects.create(person=b, number="+31612345678")
    TieFactory(person=a, member=colleague, strength=2)
    TieFactory(person=b, member=colleague, strength=5)
    TieFactory(person=b, member=manager, strength=3)
    other = PersonFactory(family_name="Jansen")
    Tie.objects.create(person=b, other_person=other) if b.pk < other.pk else Tie.objects.create(
        person=other, other_person=b
    )
    moment = ContactMomentFactory(persons=[a, b])
    ContactMomentFactory(persons=[b], summary="Lunch")
    NoteFactory(person=b, author=manager)
    FollowUpFactory(person=b, owner=manager)
    Favour.objects.create(
        member=manager,
        person=b,
        direction="given",
        kind="introduction",
        occurred_on=dt.date(2026, 1, 5),
    )
    b.tags.create(name="bestuur")
    b_id = b.pk
    kept = person_merge(actor=manager, keep=a, other=b, choose={"tier": "other"})
    assert not Person.objects.filter(pk=b_id).exists()
    assert kept.title == "dr." and kept.given_name == "Jan" and kept.version == 2
    assert sorted(kept.emails.values_list("address", flat=True)) == [
        "j.berg@privé.nl",
        "jan@rijnbouw.nl",
    ]
    assert list(kept.phones.values_list("number", flat=True)) == ["+31612345678"]
    assert kept.affiliations.count() == 2
    assert Tie.objects.get(person=kept, member=colleague).strength == 5
    assert Tie.objects.filter(person=kept, member=manager).exists()
    assert (
        Tie.objects.filter(other_person__isnull=False)
        .filter(person__in=[kept, other], other_person__in=[kept, other])
        .count()
        == 1
    )
    assert kept.contact_moments.count() == 2 and moment.persons.count() == 1
    assert kept.notes.count() == 1 and kept.follow_ups.count() == 1 and kept.favours.count() == 1
    assert list(kept.tags.values_list("name", flat=True)) == ["bestuur"]
    entry = AuditEntry.objects.get(action="merge")
    assert entry.target_id == kept.pk and entry.detail["merged_person_id"] == b_id
    assert "Berg" not in str(entry.detail)


def test_only_network_managers_merge(owner):
    a, b = _pair()
    with pytest.raises(PermissionDenied):
        person_merge(actor=owner, keep=a, other=b)
    assert Person.objects.filter(pk=b.pk).exists()


def test_merge_through_the_review_page_and_the_api(manager, manager_client):
    a, b = _pair()
    duplicate_scan(actor=manager)
    pair = DuplicatePair.objects.get()
    page = manager_client.get(reverse("duplicate_detail", args=[pair.pk]))
    assert page.status_code == 200
    response = manager_client.post(
        reverse("duplicate_detail", args=[pair.pk]), {"survivor": "b", "field_given_name": "a"}
    )
    survivor = Person.objects.get()
    assert response.status_code == 302 and survivor.pk == b.pk and survivor.given_name == "Jan"


def test_the_merge_api(manager):
    from tests.imports.test_pages_and_api import Api

    a, b = _pair()
    response = Api(manager).post("/merges", {"keep": a.pk, "other": b.pk})
    assert response.status_code == 200 and response.json()["id"] == a.pk
    assert not Person.objects.filter(pk=b.pk).exists()


def test_the_duplicate_queue_is_for_managers(owner_client, outsider):
    assert owner_client.get(reverse("duplicate_list")).status_code == 403
    assert client_for(outsider).get(reverse("duplicate_list")).status_code == 404


# ---- export ----------------------------------------------------------------------------------


def test_the_export_follows_the_list_filters(manager, manager_client):
    PersonFactory(
        given_name="Jan",
        tussenvoegsel="van der",
        family_name="Berg",
        tier=Tier.objects.get(code="A"),
    )
    PersonFactory(given_name="Piet", tussenvoegsel="", family_name="Jansen")
    response = manager_client.post(reverse("person_export"), {"tier": "A", "format": "csv"})
    text = response.content.decode()
    assert response.status_code == 200 and "Berg" in text and "Jansen" not in text
    entry = AuditEntry.objects.get(action="export")
    assert entry.detail["count"] == 1 and "Berg" not in str(entry.detail)


def test_the_export_never_holds_a_person_the_user_cannot_see(manager, colleague):
    secret = PersonFactory(
        given_name="Geheim", tussenvoegsel="", family_name="Vertrouwelijk", confidential=True
    )
    secret.confidential_members.set([manager])
    PersonFactory(given_name="Open", tussenvoegsel="", family_name="Zichtbaar")
    exported = persons_export(
        actor=colleague, user=colleague.user, filters=PersonFilters(), format="csv"
    )
    text = exported.content.decode()
    visible = set(visibility.persons(colleague.user).values_list("family_name", flat=True))
    for person in Person.objects.all():
        assert (person.family_name in text) == (person.family_name in visible)
    assert "Zichtbaar" in text


def test_private_notes_are_never_exported(owner):
    person = PersonFactory(family_name="Smits")
    NoteFactory(person=person, author=owner, text="Gedeelde notitie")
    NoteFactory(person=person, author=owner, text="Mijn geheim", is_private=True)
    text = persons_export(
        actor=owner, user=owner.user, filters=PersonFilters(), format="csv"
    ).content.decode()
    assert "Gedeelde notitie" in text and "Mijn geheim" not in text


def test_cells_that_start_a_formula_are_made_safe(owner):
    PersonFactory(given_name="=HYPERLINK(1)", family_name="Smits")
    text = persons_export(
        actor=owner, user=owner.user, filters=PersonFilters(), format="csv"
    ).content.decode()
    assert "'=HYPERLINK(1)" in text


def test_readers_and_outsiders_cannot_export(reader, outsider):
    with pytest.raises(PermissionDenied):
        persons_export(actor=reader, user=reader.user, filters=PersonFilters(), format="csv")
    assert client_for(reader).get(reverse("person_export")).status_code == 403
    assert client_for(outsider).get(reverse("person_export")).status_code == 404


@pytest.mark.parametrize("format", ["csv", "csv_excel", "xlsx", "vcard3", "vcard4"])
def test_what_gilde_exports_it_imports_back(manager, format):
    batch = batch_commit(
        actor=manager, batch=batch_upload(actor=manager, content=DUTCH, file_name="r.csv")
    )
    exported = persons_export(
        actor=manager, user=manager.user, filters=PersonFilters(), format=format
    )
    before = sorted(Person.objects.values_list("given_name", "tussenvoegsel", "family_name"))
    from gilde.imports.undo import undo_apply

    undo_apply(batch)
    again = batch_upload(actor=manager, content=exported.content, file_name=exported.filename)
    batch_commit(actor=manager, batch=again)
    assert (
        sorted(Person.objects.values_list("given_name", "tussenvoegsel", "family_name")) == before
    )
    jan = Person.objects.get(family_name="Berg")
    assert (
        jan.emails.get().address == "jan@rijnbouw.nl" and jan.phones.get().number == "+31612345678"
    )
    assert jan.affiliations.get().organisation.name == "Rijnbouw B.V."


# ---- commands --------------------------------------------------------------------------------


def test_gilde_import_prints_the_preview_and_commits(manager, tmp_path, capsys):
    path = tmp_path / "relaties.csv"
    path.write_bytes(DUTCH)
    call_command("import", str(path), "--member", "beheer")
    out = capsys.readouterr().out
    assert "new:                  3" in out and "line 5: Line 5 has no name" in out
    assert "Imported 3 relations" in out and Person.objects.count() == 3


def test_gilde_import_dry_run_changes_nothing(manager, tmp_path, capsys):
    path = tmp_path / "relaties.csv"
    path.write_bytes(DUTCH)
    call_command("import", str(path), "--dry-run")
    assert "Dry run" in capsys.readouterr().out
    assert Person.objects.count() == 0 and not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    "content", [b"", b"\x00\x01binary\x00" * 20, b"<html><body></body></html>"]
)
def test_gilde_import_exits_non_zero_with_one_line_for_an_unreadable_file(db, tmp_path, content):
    path = tmp_path / "kapot.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError) as error:
        call_command("import", str(path))
    assert "kapot.csv" in str(error.value) and "\n" not in str(error.value)
    assert Person.objects.count() == 0


def test_gilde_import_exits_non_zero_for_a_missing_file(db):
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("import", "/nonexistent/relaties.csv")


def test_the_gilde_command_line_exits_with_status_1(db, tmp_path):
    import subprocess
    import sys

    path = tmp_path / "leeg.csv"
    path.write_bytes(b"")
    result = subprocess.run(
        [sys.executable, "-m", "gilde", "import", str(path)],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
    )
    assert result.returncode == 1 and "leeg.csv" in result.stderr


def test_gilde_export_writes_what_the_member_may_see(manager, tmp_path):
    PersonFactory(given_name="Jan", tussenvoegsel="van der", family_name="Berg")
    target = tmp_path / "uit.vcf"
    call_command("export", "persons", "--member", "beheer", "--format", "vcard", "-o", str(target))
    assert "N:Berg;Jan;van der;;" in target.read_text(encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("export", "--member", "niemand", "-o", str(target))


def test_gilde_export_without_a_login_name_is_one_clear_line(manager, tmp_path):
    with pytest.raises(CommandError, match=r"^--member: give a login name\.$"):
        call_command("export", "--member", "", "-o", str(tmp_path / "uit.csv"))
    assert not (tmp_path / "uit.csv").exists()


def test_an_export_that_cannot_be_written_leaves_no_audit_entry(manager, tmp_path):
    PersonFactory()
    target = tmp_path / "ontbreekt" / "uit.csv"
    with pytest.raises(CommandError, match="cannot be written"):
        call_command("export", "--member", "beheer", "-o", str(target))
    assert not AuditEntry.objects.filter(action="export").exists()
    call_command("export", "--member", "beheer", "-o", str(tmp_path / "uit.csv"))
    assert AuditEntry.objects.get(action="export").detail["count"] == 1


# ---- background ------------------------------------------------------------------------------


# Serialized rollback like every transactional test here: a plain flush would re-create content
# types that a later serialized test then loads a second time, and would drop the seeded tiers.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_large_import_runs_in_the_background_with_progress(settings):
    from tests.factories import MemberFactory

    settings.GILDE_IMPORT_INLINE_BYTES = 10
    manager = MemberFactory(role="network_manager")
    rows = [
        f"Piet{i};;Jansen{i};piet{i}@example.nl;06123456{i % 100:02d};Bedrijf {i % 7};;Delft"
        for i in range(300)
    ]
    batch = batch_upload(actor=manager, content=csv_file(*rows), file_name="groot.csv")
    assert batch.status == BatchStatus.ANALYSING
    progress = client_for(manager).get(reverse("import_progress", args=[batch.pk]))
    assert progress.status_code == 200
    run_jobs()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PREVIEWED and batch.new_count == 300
    assert batch.progress_total == 300 and batch.heartbeat_at is not None
    batch = batch_commit(actor=manager, batch=batch)
    assert batch.status == BatchStatus.RUNNING
    run_jobs()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED and Person.objects.count() == 300
    done = client_for(manager).get(reverse("import_progress", args=[batch.pk]))
    assert done["HX-Refresh"] == "true"


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--tier", "Z", r"^--tier: there is no tier 'Z'; the tiers are A, B, C, D\.$"),
        ("--tag", "bestaat-niet", r"^--tag: there is no tag 'bestaat-niet'\.$"),
    ],
)
def test_an_export_filter_with_a_typo_is_refused(manager, tmp_path, option, value, message):
    PersonFactory()
    with pytest.raises(CommandError, match=message):
        call_command("export", "--member", "beheer", option, value, "-o", str(tmp_path / "u.csv"))
    assert not (tmp_path / "u.csv").exists()
    assert not AuditEntry.objects.filter(action="export").exists()


def test_an_export_given_two_different_files_is_refused(manager, tmp_path):
    one, other = tmp_path / "een.csv", tmp_path / "ander.csv"
    with pytest.raises(CommandError, match="FILE or -o FILE, not both"):
        call_command("export", "persons", str(one), "--member", "beheer", "-o", str(other))
    assert not one.exists() and not other.exists()


def test_gilde_import_shared_is_for_network_managers_only(owner, tmp_path):
    path = tmp_path / "relaties.csv"
    path.write_bytes(DUTCH)
    with pytest.raises(CommandError, match="only a network manager may do, and 'eigenaar'"):
        call_command("import", str(path), "--member", "eigenaar", "--shared")
    assert Person.objects.count() == 0 and not ImportBatch.objects.exists()


def test_a_deactivated_member_can_neither_import_nor_export(owner, tmp_path):
    owner.user.is_active = False
    owner.user.save()
    path = tmp_path / "relaties.csv"
    path.write_bytes(DUTCH)
    with pytest.raises(CommandError, match="'eigenaar' is deactivated"):
        call_command("import", str(path), "--member", "eigenaar")
    with pytest.raises(CommandError, match="'eigenaar' is deactivated"):
        call_command("export", "--member", "eigenaar", "-o", str(tmp_path / "uit.csv"))
    assert Person.objects.count() == 0 and not (tmp_path / "uit.csv").exists()
