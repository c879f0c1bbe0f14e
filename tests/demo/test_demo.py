"""The demo network is believable and the same for the same seed."""

from __future__ import annotations

from collections import Counter

import pytest

from gilde.accounts.models import Member
from gilde.contacts.models import ContactMoment
from gilde.demo.generator import build_demo
from gilde.interchange.phones import normalise_phone
from gilde.relations.models import Person, PhoneNumber


@pytest.fixture
def demo(db):
    return build_demo(size="small", seed=7)


def test_the_small_demo_has_the_promised_size(demo):
    assert 280 <= demo["persons"] <= 320
    assert demo["members"] == 8
    assert demo["contact_moments"] > 2_000


def test_tiers_follow_the_ten_fifty_forty_guideline(demo):
    shares = Counter(Person.objects.values_list("tier__code", flat=True))
    total = sum(shares.values())
    assert 0.05 <= shares["A"] / total <= 0.15
    assert 0.40 <= (shares["B"] + shares["C"]) / total <= 0.60
    assert 0.30 <= shares["D"] / total <= 0.50


def test_key_relations_are_contacted_more_often_than_de_intensified_ones(demo):
    def per_person(code: str) -> float:
        people = Person.objects.filter(tier__code=code)
        moments = ContactMoment.objects.filter(persons__in=people).count()
        return moments / max(1, people.count())

    assert per_person("A") > 3 * per_person("D")


def test_names_include_tussenvoegsels_and_accents(demo):
    assert Person.objects.exclude(tussenvoegsel="").exists()
    assert any(
        any(ord(c) > 127 for c in name)
        for name in Person.objects.values_list("family_name", flat=True)
    )


def test_every_demo_phone_number_is_one_an_import_accepts(demo):
    # The demo is exported and imported back in the tour; a number the import refuses (067 and
    # 069 are not in use) would be lost on the way.
    numbers = PhoneNumber.objects.values_list("number", flat=True)
    assert len(numbers) >= demo["persons"]
    assert [n for n in numbers if normalise_phone(n).e164 != n] == []


def test_the_demo_logins_exist(demo):
    assert set(Member.objects.values_list("user__username", flat=True)) >= {
        "beheer",
        "netwerker",
        "lezer",
        "admin",
    }


def test_the_same_seed_gives_the_same_network(db):
    first = build_demo(size="small", seed=3)
    names_first = list(Person.objects.order_by("id").values_list("given_name", "family_name")[:50])
    Person.objects.all().delete()
    Member.objects.all().delete()
    from django.contrib.auth import get_user_model

    get_user_model().objects.all().delete()
    from gilde.relations.models import Organisation

    Organisation.objects.all().delete()
    ContactMoment.objects.all().delete()
    from gilde.events.models import Event

    Event.objects.all().delete()  # the demo adds its events only to a network without any
    second = build_demo(size="small", seed=3)
    names_second = list(Person.objects.order_by("id").values_list("given_name", "family_name")[:50])
    assert names_first == names_second
    assert first["contact_moments"] == second["contact_moments"]


def test_the_demo_refuses_a_database_that_already_has_data(demo):
    with pytest.raises(ValueError):
        build_demo(size="small", seed=1)


def test_the_demo_arrives_with_statuses_and_tie_strengths(demo):
    from gilde.maintenance.models import RelationCare, TieStrength

    contacted = Person.objects.filter(contact_moments__isnull=False).distinct().count()
    assert RelationCare.objects.filter(last_contact_at__isnull=False).count() == contacted
    assert TieStrength.objects.filter(score__gt=0).exists()


def test_a_few_relations_are_confidential_to_colleagues_who_know_them(demo):
    from gilde import visibility
    from gilde.demo.generator import SIZES, DemoBuilder, Progress
    from gilde.relations.models import Tie

    confidential = list(
        Person.objects.filter(confidential=True).prefetch_related("confidential_members")
    )
    assert 1 <= len(confidential) <= 3  # one in two hundred of about 300
    for person in confidential:
        knowers = set(Tie.objects.filter(person=person).values_list("member_id", flat=True))
        assert person.owner_id in knowers
        assert {m.pk for m in person.confidential_members.all()} <= knowers - {person.owner_id}
    outsider = (
        Member.objects.filter(role="networker")
        .exclude(pk__in=[p.owner_id for p in confidential])
        .exclude(confidential_persons__in=confidential)
        .first()
    )
    assert outsider is not None
    assert visibility.persons(outsider.user).count() == Person.objects.count() - len(confidential)
    # Run again on the stored network, the step marks the same relations.
    before = sorted((p.pk, p.owner_id) for p in confidential)
    Person.objects.update(confidential=False)
    Person.confidential_members.through.objects.all().delete()
    DemoBuilder(SIZES["small"], 7, Progress(None)).confidential(7)
    after = sorted(Person.objects.filter(confidential=True).values_list("pk", "owner_id"))
    assert after == before


@pytest.mark.parametrize("bind", ["127.0.0.1:99999", "127.0.0.1:-1", "127.0.0.1:"])
def test_the_demo_refuses_an_address_it_cannot_listen_on(db, monkeypatch, bind):
    from django.core.management import CommandError, call_command

    from gilde.demo.management.commands import demo as command

    monkeypatch.setattr(command, "build_demo", lambda **kw: pytest.fail("loaded data"))
    with pytest.raises(CommandError, match="--bind: .*(HOST:PORT|1 to 65535)"):
        call_command("demo", "--bind", bind, "--no-worker")


def test_serving_the_demo_collects_the_static_files_first(db, monkeypatch):
    """A plain `gilde demo` runs without DEBUG, where runserver serves no styles or htmx."""
    from gilde.demo.management.commands import demo as command

    called = []
    monkeypatch.setattr(command, "call_command", lambda name, *a, **kw: called.append(name))
    command.Command().serve("127.0.0.1:8765", worker=False)
    assert called == ["collectstatic", "runserver"]


def test_serving_the_demo_runs_a_worker_beside_the_web_server_and_stops_it(db, monkeypatch):
    from gilde.demo.management.commands import demo as command

    events = []

    class Workers:
        def stop(self):
            events.append("worker stopped")

    monkeypatch.setattr(command, "call_command", lambda name, *a, **kw: events.append(name))
    monkeypatch.setattr(
        command, "worker_start", lambda count, **kw: events.append("worker") or Workers()
    )
    command.Command().serve("127.0.0.1:8765")
    assert events == ["collectstatic", "worker", "runserver", "worker stopped"]
