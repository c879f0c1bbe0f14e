"""Undoing a large batch runs in the background: whole or not at all, refused when anything of
it changed since, with the outcome on the batch page and in the API."""

from __future__ import annotations

import datetime as dt
import threading
from unittest import mock

import pytest
from django.urls import reverse

from gilde.audit.models import AuditEntry
from gilde.imports import services as import_services
from gilde.imports.models import BatchStatus, ImportBatch
from gilde.imports.services import batch_commit, batch_undo, batch_upload
from gilde.relations.models import Note, Organisation, Person, PersonSearchToken
from tests.conftest import client_for
from tests.factories import MemberFactory, NoteFactory
from tests.imports.factories import DUTCH
from tests.imports.test_pages_and_api import Api
from tests.jobs import run_jobs

# Serialized rollback like every transactional test here (see test_merge_export_cli).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def committed(settings):
    """A committed batch of three persons, above a lowered background threshold."""
    settings.GILDE_IMPORT_UNDO_INLINE_PERSONS = 2
    manager = MemberFactory(role="network_manager")
    batch = batch_commit(
        actor=manager, batch=batch_upload(actor=manager, content=DUTCH, file_name="r.csv")
    )
    assert batch.status == BatchStatus.COMMITTED and batch.created_persons == 3
    return manager, batch


def test_a_large_undo_runs_in_the_background_and_lands_whole(committed):
    manager, batch = committed
    client = client_for(manager)
    release, real = threading.Event(), import_services._undo_now

    def undo_when_released(actor, batch_id):
        release.wait(30)  # so the request can look at the batch before the undo starts
        return real(actor, batch_id)

    with mock.patch.object(import_services, "_undo_now", undo_when_released):
        response = client.post(reverse("import_undo", args=[batch.pk]))
        assert response.status_code == 302
        batch.refresh_from_db()
        assert batch.status == BatchStatus.UNDOING and batch.is_busy
        progress = client.get(reverse("import_progress", args=[batch.pk]))
        assert progress.status_code == 200 and "HX-Refresh" not in progress
        assert "hx-get" in progress.content.decode()
        release.set()
        run_jobs()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.UNDONE and batch.undone_at is not None
    assert Person.objects.count() == 0 and Organisation.objects.count() == 0
    assert PersonSearchToken.objects.count() == 0
    entry = AuditEntry.objects.get(action="delete", target_id=batch.pk)
    assert entry.detail["undo_import"] is True and entry.detail["persons"] == 3
    assert client.get(reverse("import_progress", args=[batch.pk]))["HX-Refresh"] == "true"


def test_a_refusal_in_the_background_leaves_everything_and_says_why(committed):
    manager, batch = committed
    jan = Person.objects.get(family_name="Berg")
    NoteFactory(person=jan, author=manager)
    batch = batch_undo(actor=manager, batch=batch)
    assert batch.status == BatchStatus.UNDOING
    run_jobs()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED and batch.error_code == "undo_refused"
    assert batch.error_params["reason"] == "details_added"
    assert Person.objects.filter(import_batch=batch).count() == 3 and Note.objects.count() == 1
    assert not AuditEntry.objects.filter(action="delete").exists()
    page = (
        client_for(manager)
        .get(reverse("import_detail", args=[batch.pk]), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert ("The import was not undone" in page and "Nothing was changed" in page) or (
        "De import is niet ongedaan gemaakt" in page and "Er is niets gewijzigd" in page
    )


def test_a_failure_in_the_background_rolls_back_and_leaves_the_batch_committed(committed):
    manager, batch = committed
    real = import_services.undo_apply

    def crash_after_removing(locked):
        real(locked)
        raise RuntimeError("disk full")

    with mock.patch.object(import_services, "undo_apply", crash_after_removing):
        batch_undo(actor=manager, batch=batch)
        run_jobs()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED and batch.error_code == "undo_failed"
    assert "disk full" in batch.error_message
    assert Person.objects.filter(import_batch=batch).count() == 3
    assert Organisation.objects.count() == 3
    # Once the cause is gone, the undo can be asked again and lands.
    batch_undo(actor=manager, batch=batch)
    run_jobs()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.UNDONE and Person.objects.count() == 0


def test_a_batch_being_undone_refuses_a_second_undo_and_a_discard(committed):
    manager, batch = committed
    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.UNDOING)
    batch.refresh_from_db()
    with pytest.raises(import_services.ValidationError):
        batch_undo(actor=manager, batch=batch)
    with pytest.raises(import_services.ValidationError):
        import_services.batch_discard(actor=manager, batch=batch)
    assert Person.objects.filter(import_batch=batch).count() == 3


def test_the_api_answers_undoing_then_the_batch_shows_undone(committed):
    manager, batch = committed
    api = Api(manager)
    answer = api.post(f"/import-batches/{batch.pk}/undo", {})
    assert answer.status_code == 200 and answer.json()["status"] == "undoing"
    run_jobs()
    assert api.get(f"/import-batches/{batch.pk}").json()["status"] == "undone"
    assert Person.objects.count() == 0


def test_a_small_batch_is_still_undone_within_the_request(committed, settings):
    manager, batch = committed
    settings.GILDE_IMPORT_UNDO_INLINE_PERSONS = 3
    assert batch_undo(actor=manager, batch=batch).status == BatchStatus.UNDONE
    assert Person.objects.count() == 0


def test_an_interrupted_undo_can_be_asked_again(committed, settings):
    manager, batch = committed
    long_ago = batch.committed_at - dt.timedelta(seconds=settings.GILDE_IMPORT_STALE_SECONDS + 60)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.UNDOING, heartbeat_at=long_ago
    )
    batch.refresh_from_db()
    assert batch.is_stale and not batch.is_busy
    batch_undo(actor=manager, batch=batch)
    run_jobs()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.UNDONE and Person.objects.count() == 0
