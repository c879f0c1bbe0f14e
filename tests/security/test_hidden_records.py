"""Adding a record that a colleague may not see changes nothing that colleague can observe.

Hypothesis draws a small network (relations, who knows them, contact moments and favours at
drawn distances in the past) and one record about a confidential relation C that only networker
N1 may see: a contact moment (with signals) in which C and a visible relation took part, a
follow-up, a favour, a tie (a colleague's or between C and a visible relation), or a note. What
networker N2 observes (the dashboard, the relation list, the page of every visible relation,
the to-contact list, goodwill, signals, the API's person, care and due answers, the CSV export
and the weekly digest) is the same, byte for byte, before and after (only the CSRF token is
normalised)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gilde.accounts.models import Member
from gilde.accounts.services import api_token_create
from gilde.contacts import services as contacts
from gilde.goodwill import services as goodwill
from gilde.maintenance.digest import digest_for, render
from gilde.relations import services as relations
from gilde.relations.models import Person
from tests.factories import MemberFactory, PersonFactory

KINDS = ("call", "meeting", "message")
HIDDEN = ("moment", "signal", "follow_up", "favour", "member_tie", "person_tie", "note")

_CSRF = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')
# The quick log's "when" defaults to the current minute, which may turn between two readings.
_NOW_DEFAULT = re.compile(r'(name="occurred_at" value=")[0-9T:-]+')


def _normalised(text: str) -> str:
    return _NOW_DEFAULT.sub(r"\1…", _CSRF.sub(r"\1…", text))


network = st.fixed_dictionaries(
    {
        "persons": st.integers(min_value=1, max_value=3),
        "moments": st.lists(
            st.tuples(
                st.integers(min_value=0, max_value=2),  # which relation
                st.sampled_from(["n1", "n2"]),
                st.integers(min_value=0, max_value=500),  # days ago
                st.sampled_from(KINDS),
            ),
            max_size=4,
        ),
        "ties": st.lists(st.tuples(st.integers(0, 2), st.sampled_from(["n1", "n2"])), max_size=3),
        "favours": st.lists(
            st.tuples(st.integers(0, 2), st.sampled_from(["given", "received"])), max_size=2
        ),
    }
)
hidden_record = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(HIDDEN),
        "with": st.integers(min_value=0, max_value=2),  # the visible relation it also concerns
        "days_ago": st.integers(min_value=0, max_value=500),
        "contact": st.sampled_from(KINDS),
        "private": st.booleans(),
    }
)


def _build(draw: dict[str, Any]) -> dict[str, Any]:
    n1 = MemberFactory(user__username="n1")
    n2 = MemberFactory(user__username="n2")
    members = {"n1": n1, "n2": n2}
    persons = [
        PersonFactory(given_name="Zichtbaar", family_name=f"Relatie{i}", owner=n1)
        for i in range(draw["persons"])
    ]
    now = timezone.now()
    for which, who, days, kind in draw["moments"]:
        contacts.contact_moment_log(
            actor=members[who],
            persons=[persons[which % len(persons)]],
            members=[members[who]],
            occurred_at=now - dt.timedelta(days=days, hours=1),
            kind=kind,
            summary="Bijgepraat",
            signals="De markt trekt aan" if days % 2 else "",
        )
    for which, who in set(draw["ties"]):
        person = persons[which % len(persons)]
        if not person.ties.filter(member=members[who]).exists():
            relations.tie_create(actor=members[who], person=person, member=members[who])
    for which, direction in draw["favours"]:
        goodwill.favour_record(
            actor=n1, person=persons[which % len(persons)], direction=direction, kind="help"
        )
    secret = PersonFactory(given_name="Geheime", family_name="Bron", owner=n1)
    secret.confidential = True
    secret.save()
    relations.person_reindex(person=secret)
    return {"n1": n1, "n2": n2, "persons": persons, "secret": secret}


def _add_hidden(world: dict[str, Any], record: dict[str, Any]) -> None:
    n1: Member = world["n1"]
    secret: Person = world["secret"]
    visible = world["persons"][record["with"] % len(world["persons"])]
    when = timezone.now() - dt.timedelta(days=record["days_ago"], hours=1)
    kind = record["kind"]
    if kind in {"moment", "signal"}:
        contacts.contact_moment_log(
            actor=n1,
            persons=[visible, secret],
            members=[n1],
            occurred_at=when,
            kind=record["contact"],
            summary="Vertrouwelijk gesprek",
            signals="Fusie op komst" if kind == "signal" else "",
        )
    elif kind == "follow_up":
        contacts.follow_up_create(
            actor=n1, owner=n1, title="Terugbellen", person=secret, due_date=when.date()
        )
    elif kind == "favour":
        goodwill.favour_record(
            actor=n1,
            person=secret,
            direction="received",
            kind="introduction",
            occurred_on=when.date(),
        )
    elif kind == "member_tie":
        relations.tie_create(actor=n1, person=secret, member=n1, since=when.date())
    elif kind == "person_tie":
        relations.tie_create(actor=n1, person=visible, other_person=secret)
    else:
        relations.note_create(
            actor=n1, text="Vertrouwelijk", is_private=record["private"], person=secret
        )


def _observe(world: dict[str, Any], client: Client, token: str) -> dict[str, str]:
    n2: Member = world["n2"]
    seen: dict[str, str] = {}
    pages = [
        reverse("dashboard"),
        reverse("person_list"),
        reverse("maintenance_due"),
        reverse("give_back"),
        reverse("signal_list"),
        reverse("person_export") + "?format=csv",
        *(reverse("person_detail", args=[p.pk]) for p in world["persons"]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        seen[url] = _normalised(response.content.decode())
    api = [
        "/api/v1/persons",
        "/api/v1/due",
        "/api/v1/signals",
        "/api/v1/goodwill/give-back",
        *(
            f"/api/v1/persons/{p.pk}{tail}"
            for p in world["persons"]
            for tail in ("", "/care", "/goodwill")
        ),
    ]
    for url in api:
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 200, url
        seen[url] = response.content.decode()
    n2.refresh_from_db()
    seen["digest"] = "\n".join(render(digest_for(member=n2)))
    return seen


@pytest.mark.slow
@pytest.mark.django_db
@given(draw=network, record=hidden_record)
@settings(
    max_examples=12,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_a_hidden_record_changes_nothing_a_colleague_observes(
    draw: dict[str, Any], record: dict[str, Any]
) -> None:
    with transaction.atomic():
        world = _build(draw)
        client = Client()
        client.force_login(world["n2"].user)
        token = api_token_create(member=world["n2"], name="observe")[1]
        _observe(world, client, token)  # the first look leaves its traces (recently viewed)
        before = _observe(world, client, token)
        _add_hidden(world, record)
        after = _observe(world, client, token)
        transaction.set_rollback(True)
    changed = {
        key: _difference(before[key], after[key]) for key in before if before[key] != after[key]
    }
    assert not changed, f"{record['kind']} changed what N2 sees: {changed}"


def _difference(before: str, after: str) -> str:
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return "\n".join(list(lines)[2:12])
