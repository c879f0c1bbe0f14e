"""Property: after erasure, a dump of the whole database holds no trace of the person's names,
e-mail addresses or phone numbers, wherever colleagues wrote them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gilde.audit.models import AuditAction
from gilde.audit.services import audit_record
from gilde.contacts.services import contact_moment_log, follow_up_create
from gilde.privacy.erasure import person_erase
from gilde.relations.services import note_create, person_create, tie_create
from tests.factories import OrganisationFactory, PersonFactory
from tests.privacy.factories import FavourFactory

pytestmark = pytest.mark.django_db

LETTERS = "bcdfghjklmnprstvwz"
VOWELS = "aeiou"


@st.composite
def names(draw: Any) -> str:
    """Pronounceable made-up names (consonant–vowel pairs), so they read like names and do not
    occur by chance in Gilde's own tables."""
    pairs = draw(st.integers(min_value=3, max_value=5))
    word = "".join(
        draw(st.sampled_from(LETTERS)) + draw(st.sampled_from(VOWELS)) for _ in range(pairs)
    )
    return word.capitalize()


phones = st.from_regex(r"06[1-9][0-9]{7}", fullmatch=True)


def database_dump() -> str:
    """Every row of every table as text: SQLite's own dump, or each row cast to text on
    PostgreSQL."""
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    lines = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT CAST(t AS text) FROM "{table}" AS t')  # noqa: S608
            lines.extend(row[0] for row in cursor.fetchall())
    return "\n".join(lines)


def _scenario(
    manager: Any, colleague: Any, given_name: str, family: str, email: str, phone: str
) -> Any:
    spaced = f"{phone[:2]}-{phone[2:6]} {phone[6:]}"
    person = person_create(
        actor=manager,
        given_name=given_name,
        tussenvoegsel="van",
        family_name=family,
        initials=f"{given_name[0]}.",
        emails=[email],
        phones=[phone],
        passions=f"Zeilen met {given_name}",
        address={"street": f"{family}laan 4", "city": "Ede"},
    )
    other = PersonFactory(given_name="Kees", family_name="Jansen")
    contact_moment_log(
        actor=colleague,
        persons=[person],
        summary=f"Koffie met {given_name} {family}",
        notes=f"Bel {spaced}",
        signals=f"{family} wil uitbreiden",
    )
    contact_moment_log(
        actor=colleague,
        persons=[person, other],
        summary=f"Lunch met {given_name} en Kees",
        notes=f"{given_name} van {family} ({email}) stelt Kees voor; mobiel {phone}",
    )
    contact_moment_log(
        actor=colleague,
        persons=[other],
        summary="Belletje met Kees",
        notes=f"Kees noemde {given_name} van {family}, mail {email.upper()}",
    )
    note_create(actor=colleague, person=person, text=f"{given_name} is jarig", is_private=True)
    note_create(actor=manager, person=other, text=f"Kent {given_name} van {family} goed")
    follow_up_create(
        actor=colleague, owner=colleague, title=f"{given_name} terugbellen", person=person
    )
    FavourFactory(person=person, member=colleague, note=f"{family} geholpen")
    tie_create(actor=colleague, person=person, how_met_note=f"Via de zus van {given_name}")
    organisation = OrganisationFactory(description=f"Contactpersoon: {given_name} van {family}")
    assert organisation.pk
    audit_record(actor=colleague, action=AuditAction.VIEW, target=person)
    return person


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(given_name=names(), family=names(), local=names(), domain=names(), phone=phones)
def test_no_trace_of_an_erased_person_remains(
    manager: Any, colleague: Any, given_name: str, family: str, local: str, domain: str, phone: str
) -> None:
    email = f"{local.lower()}.{family.lower()}@{domain.lower()}.nl"
    baseline = database_dump().lower()
    words = [given_name.lower(), family.lower(), local.lower(), domain.lower()]
    assume(len(set(words)) == 4)
    assume(not any(w in baseline for w in words) and phone not in baseline)
    assume(not any(a in b for a in words for b in words if a != b))
    assume(not any(w in "kees jansen koffie lunch zeilen ede belletje" for w in words))
    with transaction.atomic():
        person = _scenario(manager, colleague, given_name, family, email, phone)
        assert given_name.lower() in database_dump().lower()
        person_erase(actor=manager, person=person)
        dump = database_dump().lower()
        digits_only = re.sub(r"[\s\-]", "", dump)
        transaction.set_rollback(True)
    for trace in (given_name.lower(), family.lower(), email, local.lower(), domain.lower()):
        assert trace not in dump, trace
    assert phone not in digits_only
