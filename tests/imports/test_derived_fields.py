"""The commit derives sort names, search texts and search tokens without model instances; they
must be exactly what the registry's own services derive for the same person."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gilde.imports.commit import PERSON_COLUMNS, person_values
from gilde.interchange import ContactRecord
from gilde.relations.models import Person, PersonSearchToken
from gilde.relations.services import person_search_text

# Letters that fold in interesting ways: accents, the Dutch ij, German sharp s, a dotted
# capital I, combining marks, odd spaces, commas and tildes.
_ALPHABET = "abcXYZéëÉĳĲßİ\u0301\u00a0 \t,~'.-@"
_TEXT = st.text(alphabet=_ALPHABET, max_size=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    given_name=_TEXT,
    initials=_TEXT,
    tussen=_TEXT,
    family=_TEXT,
    organisation=_TEXT,
    emails=st.lists(_TEXT, max_size=3),
    tags=st.lists(_TEXT, max_size=3),
)
def test_sort_name_search_text_and_tokens_are_those_of_the_services(
    given_name, initials, tussen, family, organisation, emails, tags
):
    record = ContactRecord(
        given_name=given_name,
        initials=initials,
        tussenvoegsel=tussen,
        family_name=family,
        organisation=organisation,
        emails=tuple(emails),
        source="csv:test.csv",
    )
    tag_list = list(dict.fromkeys(t.strip()[:60] for t in tags if t.strip()))
    values, org = person_values(record, tags=tag_list, default_source="csv:x")
    made = dict(zip(PERSON_COLUMNS, values, strict=True))
    person = Person(
        given_name=made["given_name"],
        initials=made["initials"],
        tussenvoegsel=made["tussenvoegsel"],
        family_name=made["family_name"],
    )
    person.refresh_names()
    expected = person_search_text(
        person, emails=emails, organisations=[org] if org else [], tags=tag_list
    )
    assert made["sort_name"] == person.sort_name
    assert made["search_text"] == expected
    assert PersonSearchToken.tokens_of(made["search_text"]) == (
        PersonSearchToken.tokens_of(expected)
    )
