"""A search lists name matches first, then organisation, e-mail, tag and passion matches."""

from __future__ import annotations

from django.urls import reverse

from gilde.relations.selectors import PersonFilters, PersonRows, person_list
from gilde.relations.services import person_create
from tests.factories import OrganisationFactory


def search(user, q: str, order: str = "name") -> list[str]:
    filters = PersonFilters(q=q, order=order)
    return [p.full_name for p in person_list(user=user, filters=filters)]


def test_berg_finds_berg_before_bakker_who_likes_mountain_walks(owner):
    person_create(actor=owner, given_name="Anna", family_name="Bakker", passions="bergwandelen")
    person_create(actor=owner, given_name="Piet", family_name="Berg")
    person_create(actor=owner, given_name="Jan", tussenvoegsel="van den", family_name="Berg")
    # Both Bergs by the name (telephone-book order: Berg, Jan van den before Berg, Piet).
    assert search(owner.user, "berg") == ["Jan van den Berg", "Piet Berg", "Anna Bakker"]


def test_after_the_name_come_organisation_e_mail_tag_and_passion(owner):
    person_create(actor=owner, given_name="Eva", family_name="Aarts", passions="kaas maken")
    person_create(actor=owner, given_name="Dirk", family_name="Aalbers", tags=["kaasmakers"])
    person_create(actor=owner, given_name="Cor", family_name="Adema", emails=["cor@kaashandel.nl"])
    person_create(
        actor=owner,
        given_name="Bea",
        family_name="Abbes",
        organisation=OrganisationFactory(name="Kaasboerderij Noord"),
        role="Boer",
    )
    person_create(actor=owner, given_name="Ali", family_name="Kaasjager")
    assert search(owner.user, "kaas") == [
        "Ali Kaasjager",
        "Bea Abbes",
        "Cor Adema",
        "Dirk Aalbers",
        "Eva Aarts",
    ]


def test_within_a_rank_the_list_keeps_the_dutch_name_order(owner):
    for given, tussen, family in [
        ("Zoë", "", "Vries"),
        ("Kees", "de", "Vries"),
        ("Bert", "", "Vries"),
    ]:
        person_create(actor=owner, given_name=given, tussenvoegsel=tussen, family_name=family)
    person_create(actor=owner, given_name="Anna", family_name="Aalders", passions="vriesdrogen")
    assert search(owner.user, "vries") == [
        "Bert Vries",
        "Kees de Vries",
        "Zoë Vries",
        "Anna Aalders",
    ]


def test_a_chosen_order_wins_over_the_ranking(owner):
    person_create(actor=owner, given_name="Anna", family_name="Bakker", passions="bergwandelen")
    person_create(actor=owner, given_name="Piet", family_name="Berg")
    assert search(owner.user, "berg", order="-name") == ["Piet Berg", "Anna Bakker"]
    assert search(owner.user, "berg", order="-created") == ["Piet Berg", "Anna Bakker"]


def test_the_page_shows_the_ranked_list_and_counts_it(owner, owner_client):
    person_create(actor=owner, given_name="Anna", family_name="Bakker", passions="bergwandelen")
    person_create(actor=owner, given_name="Piet", family_name="Berg")
    page = owner_client.get(reverse("person_list"), {"q": "berg"}).content.decode()
    assert page.index("Berg, Piet") < page.index("Bakker, Anna")


def test_the_list_page_is_the_ranked_list_page_by_page(owner, colleague, monkeypatch):
    """The page view fetches the ids of a page first and tries the name matches alone: every
    page, the one where name matches run out included, equals the same slice of the ranked
    list, for a manager and for a colleague from whom one Berg is hidden."""
    monkeypatch.setattr(PersonRows, "FEW", 0)  # the two-step fetch even for a short list
    for i in range(7):
        person_create(actor=owner, given_name=f"Piet{i}", family_name="Berg")
    hidden = person_create(actor=owner, given_name="Geheim", family_name="Bergsma")
    hidden.confidential = True
    hidden.save()
    for i in range(4):
        person_create(actor=owner, given_name="Anna", family_name=f"Aa{i}", passions="bergwandelen")
    for user in (owner.user, colleague.user):
        filters = PersonFilters(q="berg")
        ranked = [p.pk for p in person_list(user=user, filters=filters)]
        rows = PersonRows(user=user, filters=filters)
        assert len(rows) == len(ranked)
        for start in range(0, len(ranked) + 3, 3):
            assert [p.pk for p in rows[start : start + 3]] == ranked[start : start + 3]
        fresh = PersonRows(user=user, filters=filters)  # a page asked before the count
        assert [p.pk for p in fresh[3:6]] == ranked[3:6]
    assert hidden.pk not in [p.pk for p in PersonRows(user=colleague.user, filters=filters)[0:20]]
    assert hidden.pk in [p.pk for p in PersonRows(user=owner.user, filters=filters)[0:20]]
