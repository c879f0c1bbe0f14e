"""A private note is seen by its author alone, on every path; outsiders see nothing."""

from __future__ import annotations

from django.urls import reverse

from gilde import visibility
from tests.conftest import client_for
from tests.factories import NoteFactory, PersonFactory


def test_a_private_note_is_not_visible_to_a_colleague(owner, colleague):
    person = PersonFactory()
    NoteFactory(person=person, author=owner, text="Geheim: gaat scheiden", is_private=True)
    assert visibility.notes(colleague.user).count() == 0
    assert visibility.notes(owner.user).count() == 1
    page = client_for(colleague).get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "Geheim" not in page


def test_a_private_note_is_visible_to_its_author(owner):
    person = PersonFactory()
    NoteFactory(person=person, author=owner, text="Geheim: gaat scheiden", is_private=True)
    page = client_for(owner).get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "Geheim" in page


def test_a_private_note_is_not_visible_to_the_network_manager_either(owner, manager):
    NoteFactory(person=PersonFactory(), author=owner, is_private=True)
    assert visibility.notes(manager.user).count() == 0


def test_private_notes_do_not_count_on_the_search(owner, colleague):
    # The note text is not part of person search, so a private word never finds the person.
    person = PersonFactory(family_name="Zichtbaar")
    NoteFactory(person=person, author=owner, text="vertrouwelijkwoord", is_private=True)
    page = (
        client_for(colleague)
        .get(reverse("person_list"), {"q": "vertrouwelijkwoord"})
        .content.decode()
    )
    assert "Zichtbaar" not in page


def test_a_login_without_a_member_sees_nothing(outsider):
    person = PersonFactory()
    client = client_for(outsider)
    assert client.get(reverse("person_detail", args=[person.pk])).status_code == 404
    assert client.get(reverse("person_list")).status_code == 404
    assert visibility.persons(outsider).count() == 0
