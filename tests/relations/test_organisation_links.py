"""Relations between organisations (subsidiary, competitor, partner…): changed and removed on the
organisation page and through the API, by who may change the organisation they were added on."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from gilde.accounts.services import api_token_create
from gilde.audit.models import AuditAction, AuditEntry
from gilde.relations.models import OrganisationLink
from tests.accounts.test_api import Api
from tests.conftest import client_for
from tests.factories import OrganisationFactory


@pytest.fixture
def link(owner):
    """Rijnbouw (owned by the networker `owner`) is a competitor of Maasbouw."""
    return OrganisationLink.objects.create(
        source=OrganisationFactory(owner=owner, name="Rijnbouw B.V."),
        target=OrganisationFactory(name="Maasbouw B.V."),
        kind="competitor",
    )


def _edit_url(link):
    return reverse("organisation_link_edit", args=[link.source_id, link.pk])


def _delete_url(link):
    return reverse("organisation_link_delete", args=[link.source_id, link.pk])


def api_for(member):
    return Api(api_token_create(member=member, name="test")[1])


# ---- the organisation page ---------------------------------------------------------------------


def test_a_manager_changes_a_competitor_link_into_a_partnership(link, manager_client):
    response = manager_client.post(_edit_url(link), {"kind": "partner", "note": "Sinds 2024"})
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation_detail", args=[link.source_id])
    link.refresh_from_db()
    assert (link.kind, link.note) == ("partner", "Sinds 2024")


def test_the_owner_changes_the_note_of_a_link(link, owner_client):
    owner_client.post(_edit_url(link), {"kind": "competitor", "note": "Vooral in de GWW"})
    link.refresh_from_db()
    assert link.note == "Vooral in de GWW"


def test_the_change_form_shows_the_link_as_it_is(link, owner_client):
    page = owner_client.get(_edit_url(link)).content.decode()
    assert "Maasbouw B.V." in page
    assert '<option value="competitor" selected>' in page


def test_a_manager_removes_a_competitor_link(link, manager_client):
    response = manager_client.post(_delete_url(link))
    assert response.status_code == 302
    assert not OrganisationLink.objects.exists()


def test_removing_a_link_says_so_in_dutch(link, owner_client):
    response = owner_client.post(_delete_url(link), follow=True)
    assert "De relatie met Maasbouw B.V. is verwijderd." in response.content.decode()


def test_removing_a_link_says_so_in_english(link, owner, owner_client):
    owner.language = "en"
    owner.save()
    response = owner_client.post(_delete_url(link), follow=True)
    assert "The relation with Maasbouw B.V. has been removed." in response.content.decode()


def test_a_get_of_the_delete_url_removes_nothing(link, owner_client):
    assert owner_client.get(_delete_url(link)).status_code == 405
    assert OrganisationLink.objects.filter(pk=link.pk).exists()


def test_the_change_page_asks_for_confirmation_before_removing(link, owner_client):
    page = owner_client.get(_edit_url(link)).content.decode()
    assert f'action="{_delete_url(link)}"' in page
    assert 'data-confirm="Deze relatie tussen de organisaties verwijderen?"' in page


def test_the_links_panel_offers_change_and_remove_to_who_may_edit(link):
    context = {"organisation": link.source, "links_out": [link], "links_in": []}
    editable = render_to_string("relations/_organisation_links.html", {**context, "can_edit": True})
    assert _edit_url(link) in editable and _delete_url(link) in editable
    read_only = render_to_string("relations/_organisation_links.html", context)
    assert "Maasbouw B.V." in read_only and _delete_url(link) not in read_only


def test_the_organisation_page_offers_change_and_remove_to_its_owner(link, owner_client):
    page = owner_client.get(reverse("organisation_detail", args=[link.source_id])).content.decode()
    assert _edit_url(link) in page and _delete_url(link) in page


def test_the_organisation_page_offers_no_removal_to_a_colleague(link, colleague_client):
    page = colleague_client.get(reverse("organisation_detail", args=[link.source_id]))
    content = page.content.decode()
    assert "Maasbouw B.V." in content and _delete_url(link) not in content


def test_changing_a_link_into_one_that_exists_is_refused_with_a_message(link, owner_client):
    OrganisationLink.objects.create(source=link.source, target=link.target, kind="partner")
    response = owner_client.post(_edit_url(link), {"kind": "partner"})
    assert response.status_code == 200
    assert "Deze organisaties hebben deze relatie al." in response.content.decode()
    link.refresh_from_db()
    assert link.kind == "competitor"


def test_a_reader_may_not_change_a_link(link, reader):
    client = client_for(reader)
    assert client.get(_edit_url(link)).status_code == 403
    assert client.post(_edit_url(link), {"kind": "partner"}).status_code == 403
    link.refresh_from_db()
    assert link.kind == "competitor"


def test_a_reader_may_not_remove_a_link(link, reader):
    assert client_for(reader).post(_delete_url(link)).status_code == 403
    assert OrganisationLink.objects.filter(pk=link.pk).exists()


def test_a_colleague_may_not_remove_a_link_of_someone_elses_organisation(link, colleague_client):
    assert colleague_client.post(_delete_url(link)).status_code == 403
    assert OrganisationLink.objects.filter(pk=link.pk).exists()


def test_a_link_is_changed_on_the_organisation_it_was_added_on(link, owner_client):
    url = reverse("organisation_link_edit", args=[link.target_id, link.pk])
    assert owner_client.get(url).status_code == 404


def test_a_login_without_a_member_finds_no_link(link, outsider):
    assert client_for(outsider).post(_delete_url(link)).status_code == 404
    assert OrganisationLink.objects.filter(pk=link.pk).exists()


def test_changing_and_removing_a_link_are_in_the_audit_trail(link, owner, owner_client):
    owner_client.post(_edit_url(link), {"kind": "partner"})
    owner_client.post(_delete_url(link))
    entries = AuditEntry.objects.filter(target_type="organisationlink", target_id=link.pk)
    change, delete = entries.order_by("id")
    assert (change.action, change.actor, change.detail["fields"]) == (
        AuditAction.CHANGE,
        owner,
        ["kind"],
    )
    assert delete.action == AuditAction.DELETE
    assert delete.detail["organisation"] == link.source_id


# ---- the API -----------------------------------------------------------------------------------


def test_the_api_lists_the_links_of_one_organisation(link, owner):
    OrganisationLink.objects.create(
        source=OrganisationFactory(), target=OrganisationFactory(), kind="partner"
    )
    response = api_for(owner).get("/organisation-links", organisation_id=link.target_id)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["items"]] == [link.pk]
    assert response.json()["count"] == 1


def test_the_api_list_is_paginated(link, owner):
    OrganisationLink.objects.create(source=link.source, target=link.target, kind="partner")
    response = api_for(owner).get("/organisation-links", limit=1)
    assert response.json()["count"] == 2 and len(response.json()["items"]) == 1


def test_the_api_creates_a_link(owner):
    source, target = OrganisationFactory(owner=owner), OrganisationFactory()
    response = api_for(owner).post(
        "/organisation-links",
        {"source_id": source.pk, "target_id": target.pk, "kind": "subsidiary", "note": "100%"},
    )
    assert response.status_code == 201, response.content
    link = OrganisationLink.objects.get()
    assert response.json() == {
        "id": link.pk,
        "source_id": source.pk,
        "target_id": target.pk,
        "kind": "subsidiary",
        "note": "100%",
    }


def test_the_api_reads_a_link(link, reader):
    response = api_for(reader).get(f"/organisation-links/{link.pk}")
    assert response.status_code == 200
    assert response.json()["kind"] == "competitor"


def test_the_api_changes_the_kind_of_a_link(link, owner):
    response = api_for(owner).patch(f"/organisation-links/{link.pk}", {"kind": "partner"})
    assert response.status_code == 200, response.content
    link.refresh_from_db()
    assert (link.kind, response.json()["kind"]) == ("partner", "partner")


def test_a_patch_without_a_field_keeps_it(link, owner):
    link.note = "Regionaal"
    link.save()
    api_for(owner).patch(f"/organisation-links/{link.pk}", {"kind": "partner"})
    link.refresh_from_db()
    assert link.note == "Regionaal"


def test_the_api_removes_a_link(link, manager):
    api = api_for(manager)
    assert api.delete(f"/organisation-links/{link.pk}").status_code == 204
    assert api.get(f"/organisation-links/{link.pk}").status_code == 404


def test_the_api_refuses_an_unknown_kind_with_422(link, owner):
    response = api_for(owner).patch(f"/organisation-links/{link.pk}", {"kind": "friend"})
    assert response.status_code == 422


def test_the_api_refuses_a_null_kind_with_422(link, owner):
    response = api_for(owner).patch(f"/organisation-links/{link.pk}", {"kind": None})
    assert response.status_code == 422


def test_the_api_refuses_a_link_of_an_organisation_with_itself(owner):
    org = OrganisationFactory(owner=owner)
    response = api_for(owner).post(
        "/organisation-links", {"source_id": org.pk, "target_id": org.pk, "kind": "partner"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "target"]


def test_the_api_refuses_the_same_link_twice_with_422(link, owner):
    response = api_for(owner).post(
        "/organisation-links",
        {"source_id": link.source_id, "target_id": link.target_id, "kind": "competitor"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "kind"]


def test_the_api_answers_404_for_an_unknown_link(owner):
    assert api_for(owner).get("/organisation-links/999999").status_code == 404


def test_the_api_answers_404_for_an_unknown_organisation(owner):
    org = OrganisationFactory(owner=owner)
    response = api_for(owner).post(
        "/organisation-links", {"source_id": org.pk, "target_id": 999999, "kind": "partner"}
    )
    assert response.status_code == 404


def test_a_reader_may_not_add_a_link_through_the_api(reader):
    source, target = OrganisationFactory(), OrganisationFactory()
    response = api_for(reader).post(
        "/organisation-links", {"source_id": source.pk, "target_id": target.pk, "kind": "partner"}
    )
    assert response.status_code == 403
    assert not OrganisationLink.objects.exists()


def test_a_colleague_may_not_change_a_link_through_the_api(link, colleague):
    response = api_for(colleague).patch(f"/organisation-links/{link.pk}", {"kind": "partner"})
    assert response.status_code == 403
    link.refresh_from_db()
    assert link.kind == "competitor"


def test_a_colleague_may_not_remove_a_link_through_the_api(link, colleague):
    assert api_for(colleague).delete(f"/organisation-links/{link.pk}").status_code == 403
    assert OrganisationLink.objects.filter(pk=link.pk).exists()
