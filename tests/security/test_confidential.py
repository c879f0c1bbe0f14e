"""A confidential relation is seen only by the colleagues named on it, its owner and network
managers: on every page, search, count, API call and everything that hangs off the person."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from gilde import visibility
from gilde.accounts.services import api_token_create
from gilde.core.selectors import dashboard_counts
from gilde.relations import services
from tests.conftest import client_for
from tests.factories import (
    AffiliationFactory,
    ContactMomentFactory,
    FollowUpFactory,
    NoteFactory,
    PersonFactory,
    TieFactory,
)


@pytest.fixture(autouse=True, params=["listed", "in-sql"])
def hidden_ids(request, settings):
    """Every rule holds both ways the scope can exclude hidden persons: by their listed ids, and,
    when there are more than GILDE_HIDDEN_IDS_LIMIT of them, by testing the rule in SQL."""
    if request.param == "in-sql":
        settings.GILDE_HIDDEN_IDS_LIMIT = 0
    return request.param


def _api_get(member, path):
    raw = api_token_create(member=member, name="t")[1]
    return client_for(member).get(f"/api/v1{path}", HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_colleague_not_named_gets_404_on_the_detail_page(secret, colleague):
    response = client_for(colleague).get(reverse("person_detail", args=[secret.pk]))
    assert response.status_code == 404


def test_the_owner_a_named_colleague_and_the_manager_see_it(secret, owner, colleague, manager):
    secret.confidential_members.add(colleague)
    for member in (owner, colleague, manager):
        response = client_for(member).get(reverse("person_detail", args=[secret.pk]))
        assert response.status_code == 200, member


def test_search_does_not_find_it_for_a_colleague(secret, colleague, owner):
    url = reverse("person_list")
    assert "Klokkenluider" not in client_for(colleague).get(url, {"q": "klokken"}).content.decode()
    assert "Klokkenluider" in client_for(owner).get(url, {"q": "klokken"}).content.decode()


def test_counts_and_the_dashboard_leave_it_out(secret, colleague, manager):
    PersonFactory()
    assert visibility.persons(colleague.user).count() == 1
    assert dashboard_counts(user=colleague.user)["persons"] == 1
    assert dashboard_counts(user=manager.user)["persons"] == 2


def test_the_api_answers_404_and_leaves_it_out_of_lists(secret, colleague):
    assert _api_get(colleague, f"/persons/{secret.pk}").status_code == 404
    assert _api_get(colleague, "/persons?q=klokkenluider").json()["count"] == 0


def test_the_api_shows_it_to_a_named_colleague(secret, colleague):
    secret.confidential_members.add(colleague)
    body = _api_get(colleague, f"/persons/{secret.pk}").json()
    assert body["confidential"] is True and body["confidential_member_ids"] == [colleague.pk]


def test_the_photo_answers_404(secret, colleague):
    response = client_for(colleague).get(reverse("person_photo", args=[secret.pk]))
    assert response.status_code == 404


def test_what_hangs_off_it_disappears_too(secret, owner, colleague):
    AffiliationFactory(person=secret)
    TieFactory(person=secret, member=owner)
    TieFactory(person=PersonFactory(), other_person=secret, member=None)
    moment = ContactMomentFactory(persons=[secret, PersonFactory()], members=[owner])
    FollowUpFactory(person=secret, owner=owner)
    FollowUpFactory(person=None, contact_moment=moment, owner=colleague)
    NoteFactory(person=secret, author=owner)
    user = colleague.user
    assert visibility.affiliations(user).count() == 0
    assert visibility.ties(user).count() == 0
    assert visibility.contact_moments(user).count() == 0
    assert visibility.follow_ups(user).count() == 0
    assert visibility.notes(user).count() == 0
    assert visibility.affiliations(owner.user).count() == 1
    assert visibility.ties(owner.user).count() == 2
    assert visibility.contact_moments(owner.user).count() == 1
    assert visibility.follow_ups(owner.user).count() == 2


def test_standalone_follow_ups_stay_visible(colleague, owner):
    FollowUpFactory(person=None, owner=owner)
    assert visibility.follow_ups(colleague.user).count() == 1


def test_the_contact_moment_page_answers_404(secret, owner, colleague):
    moment = ContactMomentFactory(persons=[secret], members=[owner])
    response = client_for(colleague).get(reverse("contact_moment_detail", args=[moment.pk]))
    assert response.status_code == 404


def test_the_member_network_page_does_not_list_it(secret, owner, colleague):
    TieFactory(person=secret, member=owner)
    page = client_for(colleague).get(reverse("member_detail", args=[owner.pk])).content.decode()
    assert "Klokkenluider" not in page
    members = client_for(colleague).get(reverse("member_list")).content.decode()
    owner_page = client_for(owner).get(reverse("member_detail", args=[owner.pk])).content.decode()
    assert "Klokkenluider" in owner_page
    assert members  # the list renders; its tie count is checked below
    assert visibility.ties(colleague.user).filter(member=owner).count() == 0


def test_favours_with_it_are_hidden(secret, owner, colleague):
    from gilde.goodwill.models import Favour

    Favour.objects.create(
        member=owner, person=secret, direction="given", kind="help", occurred_on="2025-01-02"
    )
    assert visibility.favours(colleague.user).count() == 0
    assert visibility.favours(owner.user).count() == 1


def test_organisation_page_does_not_list_it_among_its_people(secret, colleague):
    affiliation = AffiliationFactory(person=secret)
    page = client_for(colleague).get(
        reverse("organisation_detail", args=[affiliation.organisation.pk])
    )
    assert "Klokkenluider" not in page.content.decode()


def test_the_owner_can_mark_a_person_confidential_on_the_form(owner, colleague):
    person = PersonFactory(owner=owner)
    response = client_for(owner).post(
        reverse("person_edit", args=[person.pk]),
        {
            "family_name": person.family_name,
            "language": "nl",
            "confidential": "on",
            "confidential_members": [colleague.pk],
            "version": person.version,
        },
    )
    assert response.status_code == 302, response.content.decode()
    person.refresh_from_db()
    assert person.confidential and list(person.confidential_members.all()) == [colleague]


def test_a_colleague_editing_a_shared_record_cannot_change_confidentiality(colleague):
    unowned = PersonFactory(owner=None)
    form = client_for(colleague).get(reverse("person_edit", args=[unowned.pk])).content.decode()
    assert 'name="confidential"' not in form
    with translation.override("en"), pytest.raises(Exception, match="owner or a network manager"):
        services.person_update(actor=colleague, person=unowned, confidential=True)
    unowned.refresh_from_db()
    assert not unowned.confidential


def test_the_api_refuses_a_networker_who_does_not_own_it(colleague):
    unowned = PersonFactory(owner=None)
    raw = api_token_create(member=colleague, name="t")[1]
    response = client_for(colleague).patch(
        f"/api/v1/persons/{unowned.pk}",
        '{"confidential": true}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 403


def test_a_manager_can_share_it_through_the_api(secret, manager, colleague):
    raw = api_token_create(member=manager, name="t")[1]
    response = client_for(manager).patch(
        f"/api/v1/persons/{secret.pk}",
        f'{{"confidential_member_ids": [{colleague.pk}]}}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200, response.content
    assert visibility.persons(colleague.user).filter(pk=secret.pk).exists()


def test_person_list_query_count_does_not_grow_with_confidential_rows(
    colleague, django_assert_max_num_queries
):
    for _ in range(5):
        p = PersonFactory()
        p.confidential = True
        p.save()
    client = client_for(colleague)
    client.get(reverse("person_list"))
    with django_assert_max_num_queries(12):
        client.get(reverse("person_list"), {"q": "anna"})


def test_the_colleague_list_does_not_count_ties_to_it(secret, owner, colleague):
    TieFactory(person=secret, member=owner)
    TieFactory(person=PersonFactory(), member=owner)

    def counted(viewer):
        page = client_for(viewer).get(reverse("member_list")).context["page"]
        return {m.pk: m.tie_count for m in page}[owner.pk]

    assert counted(colleague) == 1
    assert counted(owner) == 2


def test_the_person_autocomplete_does_not_offer_it(secret, colleague, owner):
    url = reverse("person_search")
    typed = {"field": "person", "box": "box", "person__search": "klokken"}
    assert "Klokkenluider" not in client_for(colleague).get(url, typed).content.decode()
    assert "Klokkenluider" in client_for(owner).get(url, typed).content.decode()
    chosen = {"field": "person", "box": "box", "choose": str(secret.pk)}
    assert client_for(colleague).get(url, chosen).status_code == 404


def test_a_confidential_introducer_stays_unnamed_on_a_visible_tie(secret, owner, colleague):
    known = PersonFactory(family_name="Bekende")
    tie = TieFactory(person=known, member=owner, introduced_by=secret)

    page = client_for(colleague).get(reverse("person_detail", args=[known.pk])).content.decode()
    api = _api_get(colleague, f"/ties/{tie.pk}").json()

    assert "Klokkenluider" not in page
    assert api["introduced_by_id"] is None
    assert _api_get(owner, f"/ties/{tie.pk}").json()["introduced_by_id"] == secret.pk
    owner_page = client_for(owner).get(reverse("person_detail", args=[known.pk])).content.decode()
    assert "Klokkenluider" in owner_page


def test_the_dashboards_quick_counts_equal_the_scope(secret, owner, colleague, manager, reader):
    shared = PersonFactory(owner=owner, confidential=True)
    shared.confidential_members.add(colleague)
    plain = PersonFactory()
    with_secret = ContactMomentFactory()
    with_secret.persons.add(secret, plain)
    with_plain = ContactMomentFactory()
    with_plain.persons.add(plain)
    FollowUpFactory(person=secret)
    FollowUpFactory(person=plain, contact_moment=with_secret)  # hangs off a hidden moment
    FollowUpFactory(person=plain, contact_moment=with_plain)
    FollowUpFactory(person=shared)
    FollowUpFactory()  # about nobody
    FollowUpFactory(person=plain, done_at=timezone.now())  # done: not open
    seen = {}
    for member in (owner, colleague, manager, reader):
        user = member.user
        assert visibility.person_count(user) == visibility.persons(user).count()
        assert visibility.open_follow_up_count(user) == visibility.follow_ups(user).open().count()
        seen[member.user.username] = (
            visibility.person_count(user),
            visibility.open_follow_up_count(user),
        )
    # The colleague misses the owner's secret, its follow-up and the one on its moment.
    assert seen[colleague.user.username] == (2, 3)
    assert seen[manager.user.username] == (3, 5)
    assert visibility.person_count(None) == visibility.open_follow_up_count(None) == 0


def test_within_a_request_the_hidden_persons_are_read_once(
    secret, colleague, django_assert_num_queries
):
    with visibility.request_memo():
        visibility.persons(colleague.user).count()
        with django_assert_num_queries(2):  # the two counts, not the hidden persons again
            assert visibility.persons(colleague.user).count() == 0
            assert visibility.ties(colleague.user).count() == 0


def test_a_change_of_who_may_see_whom_is_seen_in_the_same_request(secret, owner, colleague):
    other = PersonFactory(family_name="Openbaar")
    with visibility.request_memo():
        assert list(visibility.persons(colleague.user)) == [other]
        secret.confidential_members.add(colleague)
        assert set(visibility.persons(colleague.user)) == {secret, other}
        other.confidential, other.owner = True, owner
        other.save()
        assert list(visibility.persons(colleague.user)) == [secret]
        secret.delete()
        assert list(visibility.persons(colleague.user)) == []
