"""Uploads never committed lose their stored file after GILDE_IMPORT_PENDING_DAYS (data
minimisation), from the daily `gilde privacy housekeeping`."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from gilde.audit.models import AuditEntry
from gilde.imports.models import BatchStatus, ImportBatch, ImportFile
from gilde.imports.services import batch_commit, batch_upload, pending_uploads_expire
from gilde.relations.models import Person
from tests.imports.factories import DUTCH


def _age(batch: ImportBatch, days: int) -> None:
    moment = timezone.now() - dt.timedelta(days=days)
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=moment, heartbeat_at=moment)


@pytest.fixture
def old_and_new(manager, settings):
    settings.GILDE_IMPORT_PENDING_DAYS = 7
    old = batch_upload(actor=manager, content=DUTCH, file_name="oud.csv")
    new = batch_upload(actor=manager, content=DUTCH, file_name="nieuw.csv")
    _age(old, 8)
    _age(new, 6)
    return old, new


def test_an_upload_not_committed_in_time_loses_its_file_and_preview(old_and_new):
    old, new = old_and_new
    assert pending_uploads_expire() == 1
    old.refresh_from_db()
    assert old.status == BatchStatus.EXPIRED and old.preview == {}
    assert old.new_count == 3  # the counts stay, the rows are gone
    assert not ImportFile.objects.filter(batch=old).exists()
    assert ImportFile.objects.filter(batch=new).exists()
    assert ImportBatch.objects.get(pk=new.pk).status == BatchStatus.PREVIEWED
    entry = AuditEntry.objects.get(detail__expired_uploads=1)
    assert entry.action == "delete" and "Berg" not in str(entry.detail)


def test_a_dry_run_only_counts(old_and_new):
    old, _new = old_and_new
    assert pending_uploads_expire(dry_run=True) == 1
    assert ImportFile.objects.filter(batch=old).exists()
    assert ImportBatch.objects.get(pk=old.pk).status == BatchStatus.PREVIEWED


def test_committed_batches_and_running_steps_are_left_alone(manager, settings):
    settings.GILDE_IMPORT_PENDING_DAYS = 7
    committed = batch_commit(
        actor=manager, batch=batch_upload(actor=manager, content=DUTCH, file_name="r.csv")
    )
    _age(committed, 30)
    busy = batch_upload(actor=manager, content=DUTCH, file_name="bezig.csv")
    _age(busy, 30)
    ImportBatch.objects.filter(pk=busy.pk).update(
        status=BatchStatus.RUNNING, heartbeat_at=timezone.now()
    )
    assert pending_uploads_expire() == 0
    assert ImportBatch.objects.get(pk=committed.pk).status == BatchStatus.COMMITTED
    assert ImportFile.objects.filter(batch=busy).exists()
    assert Person.objects.filter(import_batch=committed).count() == 3


def test_an_expired_upload_cannot_be_committed_and_says_so(old_and_new, manager_client, manager):
    old, _new = old_and_new
    pending_uploads_expire()
    old.refresh_from_db()
    with pytest.raises(ValidationError):
        batch_commit(actor=manager, batch=old)
    assert Person.objects.filter(import_batch=old).count() == 0
    page = manager_client.get(reverse("import_detail", args=[old.pk])).content.decode()
    assert "Upload the file again" in page or "Upload het bestand opnieuw" in page


def test_housekeeping_expires_pending_uploads(old_and_new):
    old, _new = old_and_new
    out = StringIO()
    call_command("privacy", "expire-imports", "--dry-run", stdout=out)
    assert "1 uploads not committed within 7 days would expire" in out.getvalue()
    assert ImportFile.objects.filter(batch=old).exists()
    out = StringIO()
    call_command("privacy", "housekeeping", stdout=out)
    assert "1 uploads not committed within 7 days expired" in out.getvalue()
    assert not ImportFile.objects.filter(batch=old).exists()
