"""The words a person is found by, and the words of a query, as the search engine derives them."""

from __future__ import annotations

from gilde.names import PersonName, name_search_text, query_words, search_words


def words_of(name: PersonName) -> set[str]:
    return search_words(name_search_text(name).replace(",", " "))


def test_van_der_gives_the_abbreviated_particles() -> None:
    words = words_of(PersonName("Jan", "J.", "van der", "Berg"))
    assert {"vd", "v.d.", "v/d", "j.v.d."} <= words


def test_van_gives_v_dot() -> None:
    assert {"v.", "k.v."} <= words_of(PersonName("Kees", "K.", "van", "Dijk"))


def test_other_particles_give_no_abbreviation() -> None:
    words = words_of(PersonName("Kees", "K.", "de", "Vries"))
    assert words == {"kees", "k", "k.", "de", "vries"}


def test_a_stored_vd_gives_the_particles_it_may_stand_for() -> None:
    words = words_of(PersonName("Jan", "", "vd", "Berg"))
    assert {"van", "de", "der", "den", "v.d.", "v/d"} <= words


def test_initials_come_from_the_given_name_when_none_are_stored() -> None:
    assert {"j.w.", "j.w.v.d."} <= words_of(PersonName("Jan-Willem", "", "van der", "Berg"))


def test_a_double_barrelled_name_gives_each_half_and_the_whole() -> None:
    words = words_of(PersonName("Anna", "", "de", "Vries-Ĳsselmuiden"))
    assert {"vries", "ijsselmuiden", "vries-ijsselmuiden"} <= words


def test_t_gives_the_forms_without_apostrophe() -> None:
    assert {"'t", "t", "thooft", "hooft"} <= words_of(PersonName("Gerard", "", "'t", "Hooft"))


def test_a_trailing_apostrophe_is_also_glued_to_the_family_name() -> None:
    assert {"d'ancona", "dancona"} <= words_of(PersonName("", "", "d'", "Ancona"))


def test_a_curly_apostrophe_is_stored_straight() -> None:
    words = words_of(PersonName("Ria", "", "van \u2019t", "Hek"))
    assert "'t" in words and "\u2019t" not in words


def test_an_email_address_gives_its_domains_but_not_the_top_level() -> None:
    words = search_words(" jan@mail.example.nl ~ rijnbouw ")
    assert words == {"jan@mail.example.nl", "mail.example.nl", "example.nl", "rijnbouw"}


def test_a_broken_email_address_gives_no_domain() -> None:
    assert search_words(" jan@example. a@b @ ") == {"jan@example.", "a@b", "@"}


def test_query_words_are_folded_straightened_and_lose_a_leading_at() -> None:
    assert query_words("Berg, J.v.d.  \u2019t @Example.NL @") == [
        "berg",
        "j.v.d.",
        "'t",
        "example.nl",
    ]
