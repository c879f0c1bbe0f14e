"""Recording, changing and deleting favours: who may, and what is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gilde.audit.models import AuditEntry
from gilde.goodwill.models import Favour
from gilde.goodwill.services import favour_delete, favour_record, favour_update
from tests.factories import OrganisationFactory, PersonFactory
from tests.goodwill.factories import FavourFactory


def test_a_networker_records_a_favour_and_it_is_audited(owner):
    person = PersonFactory()
    favour = favour_record(
        actor=owner, person=person, direction="given", kind="referral", note=" Doorverwezen "
    )
    assert favour.member == owner and favour.created_by == owner
    assert favour.occurred_on == timezone.localdate() and favour.note == "Doorverwezen"
    entry = AuditEntry.objects.get(target_type="favour", target_id=favour.pk)
    assert entry.action == "create" and entry.actor == owner


def test_a_favour_can_be_with_an_organisation(owner):
    favour = favour_record(
        actor=owner, organisation=OrganisationFactory(), direction="received", kind="invitation"
    )
    assert favour.person is None and favour.organisation is not None


def test_a_read_only_member_cannot_record_a_favour(reader):
    with pytest.raises(PermissionDenied):
        favour_record(actor=reader, person=PersonFactory(), direction="given", kind="gift")
    assert not Favour.objects.exists()


def test_a_favour_needs_a_person_or_an_organisation(owner):
    with pytest.raises(ValidationError):
        favour_record(actor=owner, direction="given", kind="gift")


def test_a_favour_cannot_lie_in_the_future(owner):
    with pytest.raises(ValidationError) as error:
        favour_record(
            actor=owner,
            person=PersonFactory(),
            direction="given",
            kind="gift",
            occurred_on=timezone.localdate() + dt.timedelta(days=2),
        )
    assert "occurred_on" in error.value.message_dict
    assert not Favour.objects.exists()


def test_an_unknown_kind_is_refused(owner):
    with pytest.raises(ValidationError):
        favour_record(actor=owner, person=PersonFactory(), direction="given", kind="bribe")


def test_whoever_recorded_a_favour_may_change_it(owner):
    favour = FavourFactory(member=owner)
    favour_update(actor=owner, favour=favour, kind="help", note="Meegedacht")
    favour.refresh_from_db()
    assert favour.kind == "help" and favour.note == "Meegedacht"
    assert AuditEntry.objects.filter(target_id=favour.pk, action="change").exists()


def test_a_colleague_may_not_change_someone_elses_favour(owner, colleague):
    favour = FavourFactory(member=owner)
    with pytest.raises(PermissionDenied):
        favour_update(actor=colleague, favour=favour, kind="gift")
    with pytest.raises(PermissionDenied):
        favour_delete(actor=colleague, favour=favour)


def test_a_network_manager_may_change_and_delete_any_favour(manager, owner):
    favour = FavourFactory(member=owner)
    pk = favour.pk
    favour_update(actor=manager, favour=favour, direction="given")
    favour_delete(actor=manager, favour=favour)
    assert not Favour.objects.exists()
    assert AuditEntry.objects.filter(target_id=pk, action="delete").exists()


def test_a_read_only_member_may_not_delete_a_favour(reader, owner):
    favour = FavourFactory(member=owner)
    with pytest.raises(PermissionDenied):
        favour_delete(actor=reader, favour=favour)


def test_an_update_may_not_set_unknown_fields(owner):
    favour = FavourFactory(member=owner)
    with pytest.raises(ValidationError):
        favour_update(actor=owner, favour=favour, created_by=None)
