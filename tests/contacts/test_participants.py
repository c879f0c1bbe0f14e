"""A meeting with several people from one client: relations are added to and taken off a
contact moment from its page, and the moment always stays with someone."""

from __future__ import annotations

from django.urls import reverse

from gilde.accounts.models import Member
from tests.conftest import client_for
from tests.factories import ContactMomentFactory, PersonFactory


def _moment(owner: Member, *persons):
    moment = ContactMomentFactory(created_by=owner, persons=list(persons))
    moment.members.set([owner])
    return moment


def test_the_author_adds_a_second_relation_to_a_meeting(owner):
    first, second = PersonFactory(), PersonFactory(family_name="Dijkstra")
    moment = _moment(owner, first)
    response = client_for(owner).post(
        reverse("participant_add", args=[moment.pk]), {"person": second.pk}
    )
    assert response.status_code == 302
    assert set(moment.persons.all()) == {first, second}


def test_a_relation_is_taken_off_a_moment_with_several(owner):
    first, second = PersonFactory(), PersonFactory()
    moment = _moment(owner, first, second)
    client_for(owner).post(reverse("participant_remove", args=[moment.pk, second.pk]))
    assert list(moment.persons.all()) == [first]


def test_the_last_relation_stays_and_the_page_says_why(owner):
    only = PersonFactory()
    moment = _moment(owner, only)
    response = client_for(owner).post(
        reverse("participant_remove", args=[moment.pk, only.pk]), follow=True
    )
    assert list(moment.persons.all()) == [only]
    assert "Kies ten minste één relatie." in response.content.decode()


def test_a_colleague_may_not_change_someone_elses_moment(owner, colleague):
    first, second = PersonFactory(), PersonFactory()
    moment = _moment(owner, first)
    response = client_for(colleague).post(
        reverse("participant_add", args=[moment.pk]), {"person": second.pk}
    )
    assert response.status_code == 403
    assert list(moment.persons.all()) == [first]


def test_a_relation_hidden_from_the_author_cannot_be_added(owner, colleague):
    first = PersonFactory()
    hidden = PersonFactory(confidential=True, owner=colleague)
    moment = _moment(owner, first)
    client_for(owner).post(reverse("participant_add", args=[moment.pk]), {"person": hidden.pk})
    assert list(moment.persons.all()) == [first]


def test_the_page_offers_adding_and_taking_off_to_the_author(owner):
    first, second = PersonFactory(), PersonFactory()
    moment = _moment(owner, first, second)
    page = client_for(owner).get(reverse("contact_moment_detail", args=[moment.pk])).content
    assert reverse("participant_add", args=[moment.pk]).encode() in page
    assert reverse("participant_remove", args=[moment.pk, second.pk]).encode() in page
