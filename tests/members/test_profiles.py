"""Member profiles, the directory, "who can help me with X?" and ties between members."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gilde.members import selectors
from gilde.members.models import MemberTie, ProfileTag
from gilde.members.services import member_tie_add, profile_save, tag_labels
from tests.conftest import client_for
from tests.factories import PersonFactory


@pytest.fixture
def sailor(owner):
    return profile_save(
        actor=owner,
        organisation="Boekhouding Bos",
        work="Ik doe de boeken voor zzp'ers.",
        region="Utrecht",
        languages="Nederlands, Duits",
        tags={
            "passion": "zeilen, jazz",
            "offers": "boekhouding, belastingaangifte",
            "seeks": "fotograaf",
        },
    )


def test_tags_are_split_on_commas_and_kept_once():
    assert tag_labels("Zeilen, jazz ;zeilen,, ") == ["Zeilen", "jazz"]


def test_a_profile_keeps_texts_and_tags_per_aspect(sailor):
    assert sailor.organisation == "Boekhouding Bos"
    assert set(sailor.tags.filter(aspect="passion").values_list("key", flat=True)) == {
        "zeilen",
        "jazz",
    }


def test_saving_again_replaces_an_aspects_tags(owner, sailor):
    profile_save(actor=owner, tags={"passion": "schaken"})
    assert list(sailor.tags.filter(aspect="passion").values_list("key", flat=True)) == ["schaken"]
    assert sailor.tags.filter(aspect="offers").count() == 2


def test_a_bad_profile_changes_nothing(owner, sailor):
    with pytest.raises(ValidationError):
        profile_save(actor=owner, region="Utrecht\x00", tags={"passion": "golf"})
    assert not ProfileTag.objects.filter(key="golf").exists()


@pytest.mark.parametrize("query", ["zeilen", "boekhouding", "Utrecht", "Duits", "Bos"])
def test_the_directory_finds_a_member_by_any_part_of_the_profile(colleague, sailor, query):
    found = selectors.directory(colleague.user, query=query)
    assert [m.pk for m in found] == [sailor.member_id]


def test_the_directory_narrows_to_a_tag_of_one_aspect(colleague, sailor):
    assert selectors.directory(colleague.user, tag="Zeilen", aspect="passion")
    assert not selectors.directory(colleague.user, tag="zeilen", aspect="offers")


def test_who_can_help_matches_offers_first(colleague, manager, sailor):
    profile_save(actor=manager, work="Ik weet iets van boekhouding.")
    matches = selectors.helpers_for(colleague.user, need="boekhouding")
    assert [m.member.pk for m in matches] == [sailor.member_id, manager.pk]
    assert matches[0].because == ["boekhouding"]


def test_who_can_help_leaves_out_the_one_asking(owner, sailor):
    assert selectors.helpers_for(owner.user, need="boekhouding") == []


def test_what_i_seek_is_matched_to_what_others_offer(owner, colleague, sailor):
    profile_save(actor=colleague, tags={"offers": "fotograaf, video"})
    seeks = selectors.matches_for_my_seeks(owner.user)
    assert seeks[0][0] == "fotograaf"
    assert [m.member.pk for m in seeks[0][1]] == [colleague.pk]


def test_the_directory_page_lists_and_searches(colleague, sailor, network):
    page = client_for(colleague).get(reverse("members:directory"), {"q": "jazz"})
    assert page.status_code == 200
    assert sailor.member.name in page.content.decode()
    empty = client_for(colleague).get(reverse("members:directory"), {"q": "paardrijden"})
    assert sailor.member.name not in empty.content.decode()


def test_the_profile_form_saves_the_members_own_profile(owner_client, owner):
    response = owner_client.post(
        reverse("members:profile_edit"),
        {
            "organisation": "Bos",
            "work": "",
            "passions": "Zeilen op de Loosdrechtse plassen",
            "passion_tags": "zeilen",
            "talents": "",
            "talent_tags": "",
            "seeks": "",
            "seeks_tags": "",
            "offers": "",
            "offers_tags": "boekhouding",
            "languages": "",
            "region": "Utrecht",
        },
    )
    assert response.status_code == 302
    assert owner.profile.tags.get(aspect="offers").label == "boekhouding"


def test_members_record_that_they_know_each_other(owner, colleague):
    member_tie_add(actor=owner, other=colleague, how_met="Open Coffee")
    assert MemberTie.objects.get(member=owner).other == colleague
    with pytest.raises(ValidationError):
        member_tie_add(actor=owner, other=owner)


def test_a_member_never_sees_another_members_private_relation(owner, colleague, network):
    private = PersonFactory(
        given_name="Geheime", family_name="Klant", owner=owner, confidential=True
    )
    other = client_for(colleague)
    assert other.get(reverse("person_detail", args=[private.pk])).status_code == 404
    assert "Geheime" not in other.get(reverse("person_list"), {"q": "Klant"}).content.decode()
    assert client_for(owner).get(reverse("person_detail", args=[private.pk])).status_code == 200


def test_the_directory_reads_a_fixed_number_of_queries(
    colleague, network, django_assert_max_num_queries
):
    from tests.factories import MemberFactory

    for i in range(12):
        member = MemberFactory()
        profile_save(actor=member, region="Utrecht", tags={"passion": f"zeilen, hobby{i}"})
    client = client_for(colleague)
    client.get(reverse("members:directory"))
    with django_assert_max_num_queries(12):
        page = client.get(reverse("members:directory"), {"q": "zeilen"})
    assert page.content.decode().count("hobby") >= 12
    with django_assert_max_num_queries(12):
        client.get(reverse("members:helpers"), {"need": "zeilen"})
