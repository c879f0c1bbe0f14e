"""The audit trail records who viewed, changed, deleted and logged in, without personal data."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gilde.accounts.models import ApiToken
from gilde.audit.models import AuditAction, AuditEntry
from gilde.audit.services import audit_prune
from gilde.contacts.services import contact_moment_log
from gilde.relations.services import person_create, person_delete, person_update
from tests.conftest import client_for
from tests.factories import PersonFactory

PASSWORD = "correct horse battery staple"
pytestmark = pytest.mark.django_db


def _dump(entry: AuditEntry) -> str:
    return json.dumps(
        [entry.username, entry.action, entry.target_type, entry.detail], ensure_ascii=False
    ).lower()


def test_viewing_a_person_page_is_recorded_without_the_persons_data(owner):
    person = PersonFactory(given_name="Wilhelmina", family_name="Oosterhuis")
    client_for(owner).get(reverse("person_detail", args=[person.pk]), REMOTE_ADDR="192.0.2.7")
    entry = AuditEntry.objects.get(action=AuditAction.VIEW)
    assert (entry.actor, entry.target_type, entry.target_id) == (owner, "person", person.pk)
    assert entry.ip_address == "192.0.2.7"
    assert "wilhelmina" not in _dump(entry) and "oosterhuis" not in _dump(entry)


def test_a_change_records_the_names_of_the_changed_fields_not_their_values(owner):
    person = person_create(actor=owner, family_name="Oosterhuis", emails=["w@oosterhuis.nl"])
    person_update(
        actor=owner,
        person=person,
        family_name="Westerhuis",
        emails=["w@westerhuis.nl"],
        passions=person.passions,
    )
    entry = AuditEntry.objects.get(action=AuditAction.CHANGE)
    assert entry.detail["fields"] == ["emails", "family_name"]
    dump = _dump(entry)
    assert "huis" not in dump


def test_creating_and_deleting_a_person_are_recorded(owner):
    person = person_create(actor=owner, family_name="Oosterhuis")
    pk = person.pk
    person_delete(actor=owner, person=person)
    actions = list(
        AuditEntry.objects.filter(target_type="person", target_id=pk)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "delete"]


def test_a_contact_moment_entry_names_the_persons_by_id_only(owner):
    person = PersonFactory(family_name="Oosterhuis")
    moment = contact_moment_log(actor=owner, persons=[person], summary="Oosterhuis belde")
    entry = AuditEntry.objects.get(target_type="contactmoment", target_id=moment.pk)
    assert entry.detail == {"persons": [person.pk]}
    assert "oosterhuis" not in _dump(entry)


def test_reading_a_person_through_the_api_is_recorded(owner):
    person = PersonFactory()
    raw, prefix, key_hash = ApiToken.generate()
    ApiToken.objects.create(member=owner, name="t", key_prefix=prefix, key_hash=key_hash)
    response = Client().get(f"/api/v1/persons/{person.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert AuditEntry.objects.filter(
        action=AuditAction.VIEW, actor=owner, target_id=person.pk
    ).exists()


def test_a_login_is_recorded_with_the_address(owner):
    Client().post(
        reverse("login"), {"username": "eigenaar", "password": PASSWORD}, REMOTE_ADDR="192.0.2.9"
    )
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN)
    assert (entry.actor, entry.username, entry.ip_address) == (owner, "eigenaar", "192.0.2.9")


def test_a_failed_login_records_the_name_typed_but_never_the_password(owner):
    Client().post(
        reverse("login"),
        {"username": "eigenaar", "password": "Geheim-wachtwoord-99"},
        REMOTE_ADDR="192.0.2.10",
    )
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert (entry.actor, entry.username, entry.ip_address) == (None, "eigenaar", "192.0.2.10")
    assert "geheim" not in _dump(entry)


def test_logging_out_is_recorded(owner):
    client = client_for(owner)
    client.post(reverse("logout"))
    assert AuditEntry.objects.filter(action=AuditAction.LOGOUT, actor=owner).exists()


def _aged(days: int) -> AuditEntry:
    entry = AuditEntry.objects.create(action=AuditAction.VIEW, target_type="person", target_id=1)
    AuditEntry.objects.filter(pk=entry.pk).update(at=timezone.now() - dt.timedelta(days=days))
    return entry


def test_entries_past_the_retention_period_are_pruned(settings):
    settings.GILDE_AUDIT_RETENTION_DAYS = 30
    old, recent = _aged(31), _aged(29)
    assert audit_prune() == 1
    assert list(AuditEntry.objects.all()) == [recent]
    assert old.pk not in AuditEntry.objects.values_list("pk", flat=True)


def test_pruning_as_a_dry_run_changes_nothing(settings, capsys):
    settings.GILDE_AUDIT_RETENTION_DAYS = 30
    _aged(400)
    call_command("privacy", "prune-audit", "--dry-run")
    assert "1 audit entries older than 30 days would be removed" in capsys.readouterr().out
    assert AuditEntry.objects.count() == 1
    call_command("privacy", "prune-audit")
    assert AuditEntry.objects.count() == 0
