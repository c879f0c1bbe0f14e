from __future__ import annotations

from gilde.interchange.duplicates import (
    Candidate,
    DuplicatePair,
    candidate_from_record,
    find_duplicates,
    match_against,
)
from gilde.interchange.phonetic import dutch_phonetic
from gilde.interchange.records import ContactRecord


def pair_of(
    pairs: tuple[DuplicatePair, ...] | list[DuplicatePair], a: int, b: int
) -> DuplicatePair:
    return next(p for p in pairs if {p.a, p.b} == {a, b})


def codes(pair: DuplicatePair) -> list[str]:
    return [r.code for r in pair.reasons]


def test_same_email_in_another_case_is_an_exact_match() -> None:
    result = find_duplicates(
        [
            Candidate(1, "Jan", "J.", "van der", "Berg", emails=("Jan@Berg.nl",)),
            Candidate(2, "Jan", "J.", "", "Berg", emails=("jan@berg.nl ",)),
        ]
    )
    pair = pair_of(result.pairs, 1, 2)
    assert (pair.kind, pair.score) == ("exact", 100)
    assert codes(pair) == ["same_email"]


def test_same_linkedin_profile_written_differently() -> None:
    result = find_duplicates(
        [
            Candidate(1, "Marieke", family_name="Vries", linkedin_url="nl.linkedin.com/in/MdV/"),
            Candidate(
                2,
                "Marieke",
                family_name="Vries",
                linkedin_url="https://www.linkedin.com/in/mdv?trk=x",
            ),
        ]
    )
    assert codes(pair_of(result.pairs, 1, 2)) == ["same_linkedin"]


def test_same_phone_is_a_match_but_a_shared_switchboard_is_not() -> None:
    result = find_duplicates(
        [
            Candidate(1, "Piet", family_name="Jansen", phones=("+31201234567",)),
            Candidate(2, "P.", family_name="Jansen", phones=("+31201234567",)),
            Candidate(3, "Klaas", family_name="Bakker", phones=("+31201234567",)),
        ]
    )
    assert pair_of(result.pairs, 1, 2).score >= 90
    assert all(3 not in (p.a, p.b) for p in result.pairs)


def test_a_shared_email_with_different_names_is_flagged_with_its_doubt() -> None:
    result = find_duplicates(
        [
            Candidate(1, "Piet", family_name="Jansen", emails=("info@acme.nl",)),
            Candidate(2, "Klaas", family_name="Bakker", emails=("info@acme.nl",)),
        ]
    )
    pair = pair_of(result.pairs, 1, 2)
    assert pair.score < 100
    assert "names_differ" in codes(pair)


def test_initials_against_given_name_at_the_same_organisation() -> None:
    result = find_duplicates(
        [
            Candidate(1, "Jan", "J.", "van der", "Berg", organisation="Berg BV"),
            Candidate(2, "", "J.", "", "van der Berg", organisation="Berg B.V."),
        ]
    )
    pair = pair_of(result.pairs, 1, 2)
    assert pair.kind == "probable"
    assert {"initials_match", "same_organisation"} <= set(codes(pair))


def test_a_typo_in_the_family_name_in_the_same_city() -> None:
    result = find_duplicates(
        [
            Candidate(1, "Marieke", family_name="Dijkstra", city="Leeuwarden"),
            Candidate(2, "Marieke", family_name="Dykstra", city="Leeuwarden"),
            Candidate(3, "Marieke", family_name="Dijkstar", city="Leeuwarden"),
        ]
    )
    assert pair_of(result.pairs, 1, 2).kind == "probable"
    assert pair_of(result.pairs, 1, 3).kind == "probable"


def test_abbreviated_tussenvoegsel_is_no_difference() -> None:
    result = find_duplicates(
        [
            Candidate(1, "Jan", "J.", "van der", "Berg", city="Utrecht"),
            Candidate(2, "Jan", "J.", "v.d.", "Berg", city="Utrecht"),
        ]
    )
    assert "tussenvoegsel_differs" not in codes(pair_of(result.pairs, 1, 2))


def test_similar_names_in_different_places_are_not_duplicates() -> None:
    result = find_duplicates(
        [
            Candidate(1, "Jan", family_name="Jansen", city="Utrecht"),
            Candidate(2, "Jan", family_name="Jansen", city="Groningen"),
        ]
    )
    assert result.pairs == ()


def test_different_people_at_one_organisation_are_not_duplicates() -> None:
    result = find_duplicates(
        [
            Candidate(1, "Jan", family_name="Jansen", organisation="Acme"),
            Candidate(2, "Piet", family_name="Jansen", organisation="Acme"),
            Candidate(3, "Jan", family_name="Bakker", organisation="Acme"),
        ]
    )
    assert result.pairs == ()


def test_pairs_marked_not_duplicate_stay_out() -> None:
    people = [
        Candidate(1, "Jan", family_name="Berg", emails=("j@b.nl",)),
        Candidate(2, "Jan", family_name="Berg", emails=("j@b.nl",)),
    ]
    assert find_duplicates(people, not_duplicates={frozenset({1, 2})}).pairs == ()


def test_huge_blocks_are_skipped_and_counted() -> None:
    people = [
        Candidate(i, f"P{i}", family_name=f"N{i}", phones=("+31201234567",)) for i in range(100)
    ]
    result = find_duplicates(people)
    assert (result.pairs, result.skipped_blocks) == ((), 1)


def test_match_against_finds_the_existing_person_for_an_imported_record() -> None:
    existing = [
        Candidate(10, "Jan", "J.", "van der", "Berg", organisation="Berg & Zonen"),
        Candidate(11, "Eva", "E.", "", "Jansen", emails=("eva@nh.example",)),
    ]
    incoming = [
        candidate_from_record(
            ContactRecord(
                initials="J.",
                tussenvoegsel="van der",
                family_name="Berg",
                organisation="Berg & Zonen",
            ),
            0,
        ),
        candidate_from_record(
            ContactRecord(given_name="Eva", family_name="Jansen", emails=("EVA@nh.example",)), 1
        ),
        candidate_from_record(ContactRecord(given_name="Nieuw", family_name="Mens"), 2),
    ]
    matches = match_against(existing, incoming)
    assert [(m.a, m.b, m.kind) for m in matches] == [(0, 10, "probable"), (1, 11, "exact")]


def test_phonetic_key_joins_dutch_spelling_variants() -> None:
    assert dutch_phonetic("Dijkstra") == dutch_phonetic("Dykstra")
    assert dutch_phonetic("Smit") == dutch_phonetic("Smidt")
    assert dutch_phonetic("Schouten") == dutch_phonetic("Souten")
    assert dutch_phonetic("Jansen") != dutch_phonetic("Bakker")
