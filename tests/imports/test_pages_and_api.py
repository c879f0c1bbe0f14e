"""The import pages, bad input through the web, the API, and who may do what."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gilde.accounts.services import api_token_create
from gilde.imports.models import BatchStatus, ImportBatch
from gilde.relations.models import Organisation, Person
from tests.conftest import client_for
from tests.imports.factories import DUTCH


def _upload(client, content: bytes, name: str = "relaties.csv", **extra):
    return client.post(
        reverse("import_list"),
        {"file": SimpleUploadedFile(name, content), "format": "auto", **extra},
    )


def test_upload_preview_and_commit_through_the_pages(manager_client):
    response = _upload(manager_client, DUTCH)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "import_detail", args=[batch.pk]
    )
    page = manager_client.get(response["Location"]).content.decode()
    assert "3 relaties importeren" in page or "Import 3 relations" in page
    assert "5" in page  # the line of the rejected row
    manager_client.post(reverse("import_commit", args=[batch.pk]))
    assert Person.objects.filter(import_batch=batch).count() == 3
    manager_client.post(reverse("import_undo", args=[batch.pk]))
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    "content, name, expected",
    [
        (b"\x00\x01\x02\x03binary\x00" * 50, "contacten.csv", "contacten.csv"),
        (b"<!DOCTYPE html><html><body>Log in</body></html>", "contacten.csv", "HTML"),
        (b'Naam;E-mail\r\n"Jan van der Berg;jan@rijnbouw.nl\r\n', "contacten.csv", "line 2"),
        (b"PK\x03\x04 not a zip at all", "export.xlsx", "export.xlsx"),
    ],
)
def test_an_unreadable_file_gets_a_clear_message_and_changes_nothing(
    manager_client, content, name, expected
):
    response = manager_client.post(
        reverse("import_list"),
        {"file": SimpleUploadedFile(name, content), "format": "auto"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert name in text and (expected in text or expected.replace("line", "regel") in text)
    assert not ImportBatch.objects.exists() and Person.objects.count() == 0
    assert Organisation.objects.count() == 0


def test_an_empty_upload_is_refused(manager_client):
    response = _upload(manager_client, b"")
    assert response.status_code == 422 and not ImportBatch.objects.exists()


def test_a_file_over_the_limit_is_refused(manager_client, settings):
    settings.GILDE_IMPORT_MAX_BYTES = 100
    response = _upload(manager_client, DUTCH * 10)
    assert response.status_code == 422 and not ImportBatch.objects.exists()


def test_the_mapping_can_be_corrected(manager_client):
    _upload(manager_client, DUTCH)
    batch = ImportBatch.objects.get()
    columns = batch.columns
    data = {f"col_{i}": batch.mapping.get(c, "ignore") for i, c in enumerate(columns)}
    data[f"col_{columns.index('Organisatie')}"] = "ignore"
    manager_client.post(reverse("import_mapping", args=[batch.pk]), data)
    batch.refresh_from_db()
    assert batch.mapping["Organisatie"] == "ignore" and batch.status == BatchStatus.PREVIEWED
    manager_client.post(reverse("import_commit", args=[batch.pk]))
    assert Organisation.objects.count() == 0 and Person.objects.count() == 3


def test_outsiders_see_nothing_and_readers_cannot_upload(outsider, reader, manager):
    from gilde.imports.services import batch_upload

    batch = batch_upload(actor=manager, content=DUTCH, file_name="r.csv")
    outsider_client = client_for(outsider)
    assert outsider_client.get(reverse("import_list")).status_code == 404
    assert outsider_client.get(reverse("import_detail", args=[batch.pk])).status_code == 404
    reader_client = client_for(reader)
    assert reader_client.get(reverse("import_detail", args=[batch.pk])).status_code == 404
    assert _upload(reader_client, DUTCH).status_code == 403
    assert reader_client.post(reverse("import_commit", args=[batch.pk])).status_code == 404
    assert Person.objects.count() == 0


def test_a_networker_cannot_commit_a_managers_batch(manager, owner_client):
    from gilde.imports.services import batch_upload

    batch = batch_upload(actor=manager, content=DUTCH, file_name="r.csv")
    assert owner_client.post(reverse("import_commit", args=[batch.pk])).status_code == 404
    assert Person.objects.count() == 0


class Api:
    def __init__(self, member) -> None:
        self.client = Client()
        self.headers = {
            "HTTP_AUTHORIZATION": f"Bearer {api_token_create(member=member, name='t')[1]}"
        }

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params, **self.headers)

    def post(self, path, body=None, **kwargs):
        if body is None:
            return self.client.post(f"/api/v1{path}", **kwargs, **self.headers)
        return self.client.post(
            f"/api/v1{path}", json.dumps(body), content_type="application/json", **self.headers
        )


def test_the_api_uploads_previews_commits_and_undoes(manager):
    api = Api(manager)
    created = api.post("/import-batches", data={"file": SimpleUploadedFile("r.csv", DUTCH)})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["new"], body["matched"], body["rejected"]) == (3, 0, 1)
    assert api.get("/import-batches").json()[0]["id"] == body["id"]
    committed = api.post(f"/import-batches/{body['id']}/commit", {})
    assert committed.json()["status"] == "committed" and Person.objects.count() == 3
    assert api.post(f"/import-batches/{body['id']}/undo", {}).json()["status"] == "undone"


def test_the_api_answers_422_with_the_message_for_a_bad_file(manager):
    response = Api(manager).post(
        "/import-batches", data={"file": SimpleUploadedFile("x.csv", b"<html></html>")}
    )
    assert response.status_code == 422 and "x.csv" in json.dumps(response.json())


def test_a_reader_may_not_import_through_the_api(reader):
    response = Api(reader).post(
        "/import-batches", data={"file": SimpleUploadedFile("r.csv", DUTCH)}
    )
    assert response.status_code == 403 and not ImportBatch.objects.exists()


def test_an_empty_choice_is_refused_not_read_as_its_default(manager):
    """A form field sent empty reaches the API as missing: it is refused rather than taken as
    "auto" or "false" (schemathesis found shared="" accepted)."""
    from gilde.imports.models import ImportBatch

    for field in ("shared", "format"):
        answer = Api(manager).post(
            "/import-batches", data={"file": SimpleUploadedFile("r.csv", DUTCH), field: ""}
        )
        assert answer.status_code == 422, field
        assert field in json.dumps(answer.json())
    assert not ImportBatch.objects.exists()
