"""Builds a believable Dutch demo network with bulk inserts: organisations across sectors,
relations with tussenvoegsels and passions, colleagues with overlapping networks, tiers near the
10/50/40 guideline and three years of contact history whose rhythm follows the tier (key
relations often, some gone cold). The same seed gives the same network, dated back from today."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from gilde.accounts.models import Member, Role
from gilde.contacts.models import ContactMoment, FollowUp
from gilde.demo import data
from gilde.demo.events import build_events
from gilde.demo.strategy import build_strategy, build_strategy_history
from gilde.goodwill.models import Favour
from gilde.names import PersonName, fold
from gilde.relations.models import (
    Affiliation,
    EmailAddress,
    Note,
    Organisation,
    OrganisationLink,
    Person,
    PersonSearchToken,
    PhoneNumber,
    PostalAddress,
    StakeholderType,
    Tag,
    Tie,
    Tier,
)
from gilde.relations.services import person_search_text

DEMO_PASSWORD = "gilde-demo-2026"  # noqa: S105 - printed to the user on purpose


@dataclass(frozen=True)
class Size:
    persons: int
    organisations: int
    members: int
    contact_moments: int


SIZES = {
    "small": Size(persons=300, organisations=60, members=8, contact_moments=3_000),
    "medium": Size(persons=3_000, organisations=400, members=40, contact_moments=30_000),
    "large": Size(persons=100_000, organisations=10_000, members=1_000, contact_moments=1_000_000),
}
# Share of persons per tier (A key, B/C ordinary, D de-intensified) and relative contact rate.
TIER_SHARES = {"A": 0.10, "B": 0.35, "C": 0.15, "D": 0.40}
TIER_RATE = {"A": 30.0, "B": 10.0, "C": 4.0, "D": 0.6}
HISTORY_DAYS = 3 * 365
BATCH = 5_000

DEMO_LOGINS = (
    ("beheer", "Marieke", "van der Linden", Role.NETWORK_MANAGER, "Relatienetwerkmanager"),
    ("netwerker", "Jeroen", "de Graaf", Role.NETWORKER, "Accountmanager"),
    ("lezer", "Sanne", "Bakker", Role.READ_ONLY, "Managementassistent"),
    ("admin", "Admin", "Gilde", Role.ADMINISTRATOR, "Applicatiebeheerder"),
)


class Progress:
    def __init__(self, report: Callable[[str], None] | None) -> None:
        self.report = report or (lambda message: None)

    def __call__(self, message: str) -> None:
        self.report(message)


def _insert(model: type[Model], rows: Iterable[Model]) -> None:
    batch: list[Model] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)  # type: ignore[attr-defined]
            batch = []
    if batch:
        model.objects.bulk_create(batch)  # type: ignore[attr-defined]


def _reset_sequences(models: list[type[Model]]) -> None:
    """Rows were inserted with explicit ids; PostgreSQL's sequences must catch up."""
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


_LEGAL_FORMS = ("B.V.", "N.V.", "& Co", "Holding", "Groep", "Partners")


def _with_place(name: str, city: str) -> str:
    """A second organisation of the same name gets its place before the legal form:
    "Rijnbank Utrecht B.V.", not "Rijnbank B.V. Utrecht"."""
    for form in _LEGAL_FORMS:
        if name.endswith(" " + form):
            return f"{name.removesuffix(' ' + form)} {city} {form}"
    return f"{name} {city}"


def mail_domain(organisation: str) -> str:
    """The organisation's web and mail domain as Dutch organisations have them: the name without
    its legal form, letters and digits only ("IJssel Media B.V." gives "ijsselmedia.nl")."""
    name = organisation
    for form in _LEGAL_FORMS[:2]:
        name = name.replace(form, "")
    label = "".join(c for c in fold(name) if c.isascii() and (c.isalnum() or c == "-"))
    return f"{label.strip('-')[:40] or 'organisatie'}.nl"


def _next_id(model: type[Model]) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()  # type: ignore[attr-defined]
    return int(last or 0) + 1


class DemoBuilder:
    """One build of the demo network; methods are the steps, in order."""

    def __init__(self, size: Size, seed: int, progress: Progress) -> None:
        self.size = size
        self.rng = random.Random(seed)
        self.progress = progress
        self.now = timezone.now().replace(microsecond=0)
        self.today = timezone.localdate()

    # -- members -------------------------------------------------------------------------------
    def members(self) -> list[int]:
        user_model = get_user_model()
        password = make_password(DEMO_PASSWORD)  # hashed once: a thousand hashes take minutes
        users, members = [], []
        first_user = _next_id(user_model)
        first_member = _next_id(Member)
        logins = list(DEMO_LOGINS)
        for i in range(self.size.members):
            if i < len(logins):
                username, first, last, role, title = logins[i]
            else:
                name = self._name()
                first, last = (
                    name.given_name,
                    " ".join(p for p in (name.tussenvoegsel, name.family_name) if p),
                )
                username = f"{fold(first).replace(' ', '')[:12]}.{i}"
                role = Role.NETWORK_MANAGER if i % 50 == 7 else Role.NETWORKER
                title = self.rng.choice(
                    (
                        "Accountmanager",
                        "Directeur",
                        "Adviseur",
                        "Partner",
                        "Projectleider",
                        "Bestuurder",
                    )
                )
            uid = first_user + i
            users.append(
                user_model(
                    id=uid,
                    username=username,
                    first_name=first,
                    last_name=last,
                    password=password,
                    email=f"{username}@gilde.example",
                    is_staff=role == Role.ADMINISTRATOR,
                    is_superuser=role == Role.ADMINISTRATOR,
                    is_active=True,
                )
            )
            members.append(
                Member(id=first_member + i, user_id=uid, role=role, job_title=title, language="nl")
            )
        _insert(user_model, users)
        _insert(Member, members)
        _reset_sequences([user_model, Member])
        self.progress(f"{len(members)} colleagues")
        return [m.pk for m in members]

    def _name(self) -> PersonName:
        given = self.rng.choice(data.GIVEN_NAMES)
        family = self.rng.choice(data.FAMILY_NAMES).split(" ")
        cut = 0
        while cut < len(family) - 1 and (family[cut][0].islower() or family[cut] == "'t"):
            cut += 1
        return PersonName(
            given_name=given,
            initials="".join(p[0] + "." for p in given.replace("-", " ").split()),
            tussenvoegsel=" ".join(family[:cut]),
            family_name=" ".join(family[cut:]),
        )

    # -- organisations -------------------------------------------------------------------------
    def organisations(
        self, tiers: dict[str, int], types: dict[str, int]
    ) -> list[tuple[int, str, str]]:
        sectors = list(data.SECTOR_WEIGHTS)
        weights = list(data.SECTOR_WEIGHTS.values())
        first = _next_id(Organisation)
        orgs, type_rows, seen = [], [], set()
        result: list[tuple[int, str, str]] = []
        through = Organisation.stakeholder_types.through
        for i in range(self.size.organisations):
            sector = self.rng.choices(sectors, weights)[0]
            kind, parts, stakeholder = data.SECTOR_PARTS[sector]
            city = self.rng.choice(data.CITIES)
            name = self._organisation_name(sector, parts, city)
            while name in seen:
                name = _with_place(name, self.rng.choice(data.CITIES))
            seen.add(name)
            oid = first + i
            tier = self.rng.choices("ABCD", (10, 35, 25, 30))[0]
            orgs.append(
                Organisation(
                    id=oid,
                    name=name,
                    sort_name=fold(name)[:200],
                    kind=kind,
                    sector=sector,
                    city=city,
                    website=f"https://www.{mail_domain(name)}",
                    tier_id=tiers[tier],
                    source="demo",
                )
            )
            for code in set(
                self.rng.sample(stakeholder, k=min(len(stakeholder), self.rng.choice((1, 1, 2))))
            ):
                type_rows.append(through(organisation_id=oid, stakeholdertype_id=types[code]))
            result.append((oid, kind, name))
        _insert(Organisation, orgs)
        _insert(through, type_rows)
        self._organisation_links(result)
        _reset_sequences([Organisation])
        self.progress(f"{len(orgs)} organisations")
        return result

    def _organisation_name(self, sector: str, parts: tuple[str, ...], city: str) -> str:
        part = self.rng.choice(parts)
        if sector == "government":
            place = self.rng.choice(data.PROVINCES) if part == "Provincie" else city
            return (
                f"{part} {place}"
                if part != "Waterschap"
                else f"Waterschap {self.rng.choice(data.NAME_PREFIXES)}"
            )
        if sector in {"education", "nonprofit", "healthcare"} or part in {
            "Dagblad",
            "Omroep",
            "Theater",
            "Museum",
        }:
            return f"{part} {self.rng.choice(data.NAME_PREFIXES)}{self.rng.choice(('', 'land', 'stad', ' ' + city))}".strip()
        suffix = self.rng.choice(data.COMPANY_SUFFIXES)
        return " ".join(
            p
            for p in (self.rng.choice(data.NAME_PREFIXES) + part.lower().replace(" ", ""), suffix)
            if p
        ).strip()

    def _organisation_links(self, orgs: list[tuple[int, str, str]]) -> None:
        companies = [oid for oid, kind, _ in orgs if kind == "company"]
        links, parents = [], {}
        for oid in companies[: len(companies) // 10]:
            parent = self.rng.choice(companies)
            if parent != oid and parent not in parents:
                parents[oid] = parent
        for oid, parent in parents.items():
            Organisation.objects.filter(pk=oid).update(parent_id=parent)
        seen = set()
        for _ in range(len(orgs) // 5 if len(companies) > 1 else 0):
            a, b = self.rng.sample(companies, 2)
            kind = self.rng.choice(("partner", "competitor", "supplier", "client"))
            if (a, b, kind) not in seen:
                seen.add((a, b, kind))
                links.append(OrganisationLink(source_id=a, target_id=b, kind=kind))
        _insert(OrganisationLink, links)

    # -- persons -------------------------------------------------------------------------------
    def persons(
        self,
        orgs: list[tuple[int, str, str]],
        tiers: dict[str, int],
        types: dict[str, int],
        tag_ids: list[int],
        member_ids: list[int],
    ) -> dict[int, tuple[str, int]]:
        """Returns person id → (tier code, current organisation id)."""
        first = _next_id(Person)
        rows: list[Model] = []
        emails: list[Model] = []
        phones: list[Model] = []
        addresses: list[Model] = []
        affiliations: list[Model] = []
        tag_rows: list[Model] = []
        type_rows: list[Model] = []
        tokens: list[Model] = []
        info: dict[int, tuple[str, int]] = {}
        tag_through = Person.tags.through
        type_through = Person.stakeholder_types.through
        tag_names = dict(Tag.objects.values_list("pk", "name"))
        type_codes = list(types)
        org_kind = {oid: (kind, name) for oid, kind, name in orgs}
        org_ids = [oid for oid, _, _ in orgs]
        for i in range(self.size.persons):
            pid = first + i
            name = self._name()
            tier = self.rng.choices("ABCD", [TIER_SHARES[c] for c in "ABCD"])[0]
            org = self.rng.choice(org_ids)
            kind, org_name = org_kind[org]
            role = self.rng.choice(data.ROLES_BY_SECTOR_KIND[kind])
            start = self.today - dt.timedelta(days=self.rng.randint(60, 15 * 365))
            address = f"{fold(name.given_name).replace(' ', '')[:1]}.{fold(name.family_name).replace(' ', '').replace(chr(39), '')}"
            email = f"{address}{'' if i % 7 else i}@{mail_domain(org_name)}"
            passions = ", ".join(self.rng.sample(data.PASSIONS, self.rng.choice((0, 1, 1, 2, 3))))
            talents = ", ".join(self.rng.sample(data.TALENTS, self.rng.choice((0, 0, 1, 2))))
            interests = ", ".join(self.rng.sample(data.INTERESTS, self.rng.choice((0, 1, 2, 3))))
            tags = self.rng.sample(tag_ids, self.rng.choice((0, 0, 0, 1, 1, 2)))
            person = Person(
                id=pid,
                given_name=name.given_name,
                initials=name.initials,
                tussenvoegsel=name.tussenvoegsel,
                family_name=name.family_name,
                title=self.rng.choice(data.TITLES),
                tier_id=tiers[tier],
                passions=passions,
                talents=talents,
                interests=interests,
                source="demo",
                language="nl" if self.rng.random() < 0.9 else "en",
                owner_id=self.rng.choice(member_ids) if self.rng.random() < 0.6 else None,
                birthday=dt.date(
                    self.rng.randint(1955, 1998), self.rng.randint(1, 12), self.rng.randint(1, 28)
                )
                if self.rng.random() < 0.3
                else None,
                linkedin_url=f"https://www.linkedin.com/in/{address.replace('.', '-')}-{pid}"
                if self.rng.random() < 0.5
                else "",
            )
            person.refresh_names()
            organisations = [org_name]
            affiliations.append(
                Affiliation(person_id=pid, organisation_id=org, role=role, start_date=start)
            )
            if self.rng.random() < 0.25:  # people change jobs: keep the earlier one as history
                old = self.rng.choice(org_ids)
                affiliations.append(
                    Affiliation(
                        person_id=pid,
                        organisation_id=old,
                        role=self.rng.choice(data.ROLES_BY_SECTOR_KIND[org_kind[old][0]]),
                        start_date=start - dt.timedelta(days=self.rng.randint(400, 3000)),
                        end_date=start - dt.timedelta(days=1),
                    )
                )
            person.search_text = person_search_text(
                person,
                emails=[email],
                organisations=organisations,
                tags=[tag_names[t] for t in tags],
            )
            rows.append(person)
            tokens.extend(
                PersonSearchToken(person_id=pid, token=t)
                for t in PersonSearchToken.tokens_of(person.search_text)
            )
            emails.append(EmailAddress(person_id=pid, address=email, is_primary=True))
            # A Dutch mobile number: 06 and then 1 to 5 (067 and 069 are not in use, 066 is
            # for pagers); folded into that range so the generator draws as it always did.
            mobile = (
                10_000_000 + (self.rng.randint(10_000_000, 99_999_999) - 10_000_000) % 50_000_000
            )
            phones.append(PhoneNumber(person_id=pid, number=f"+316{mobile}"))
            if self.rng.random() < 0.3:
                addresses.append(
                    PostalAddress(
                        person_id=pid,
                        street=f"{self.rng.choice(data.STREETS)} {self.rng.randint(1, 200)}",
                        postal_code=f"{self.rng.randint(1000, 9999)} {chr(65 + self.rng.randint(0, 25))}{chr(65 + self.rng.randint(0, 25))}",
                        city=self.rng.choice(data.CITIES),
                    )
                )
            tag_rows.extend(tag_through(person_id=pid, tag_id=t) for t in tags)
            type_rows.append(
                type_through(
                    person_id=pid, stakeholdertype_id=types[self.rng.choice(type_codes[:9])]
                )
            )
            info[pid] = (tier, org)
        for model, batch in (
            (Person, rows),
            (EmailAddress, emails),
            (PhoneNumber, phones),
            (PostalAddress, addresses),
            (Affiliation, affiliations),
            (tag_through, tag_rows),
            (type_through, type_rows),
            (PersonSearchToken, tokens),
        ):
            _insert(model, batch)
        _reset_sequences([Person])
        self.progress(f"{len(rows)} relations")
        return info

    # -- ties ----------------------------------------------------------------------------------
    def ties(
        self, persons: dict[int, tuple[str, int]], member_ids: list[int]
    ) -> dict[int, list[tuple[int, int]]]:
        """Every relation is known by one to four colleagues (key relations by more); colleagues
        in a "team" share part of their networks. Returns person → [(member, strength)]."""
        known: dict[int, list[tuple[int, int]]] = {}
        rows: list[Model] = []
        team_size = 8
        for pid, (tier, _org) in persons.items():
            count = {"A": (2, 4), "B": (1, 3), "C": (1, 2), "D": (0, 1)}[tier]
            n = self.rng.randint(*count)
            if n == 0:
                continue
            anchor = self.rng.randrange(len(member_ids))
            team_start = anchor - anchor % team_size
            chosen = {member_ids[anchor]}
            while len(chosen) < min(n, len(member_ids)):
                if self.rng.random() < 0.7:
                    idx = team_start + self.rng.randrange(team_size)
                    chosen.add(member_ids[min(idx, len(member_ids) - 1)])
                else:
                    chosen.add(self.rng.choice(member_ids))
            entries = []
            for member in chosen:
                strength = self.rng.choices(
                    (1, 2, 3, 4, 5),
                    {
                        "A": (1, 2, 3, 4, 4),
                        "B": (2, 3, 4, 2, 1),
                        "C": (3, 3, 2, 1, 0.5),
                        "D": (4, 2, 1, 0.2, 0.1),
                    }[tier],
                )[0]
                since = self.today - dt.timedelta(days=self.rng.randint(30, 12 * 365))
                rows.append(
                    Tie(
                        person_id=pid,
                        member_id=member,
                        strength=strength,
                        since=since,
                        how_met=self.rng.choice(
                            ("work", "work", "event", "introduction", "study", "board", "private")
                        ),
                    )
                )
                entries.append((member, strength))
            known[pid] = entries
        # Relations know each other too: colleagues at one organisation, and some across.
        by_org: dict[int, list[int]] = {}
        for pid, (_tier, org) in persons.items():
            by_org.setdefault(org, []).append(pid)
        seen: set[tuple[int, int]] = set()
        ids = list(persons)
        for people in by_org.values():
            for a, b in zip(people, people[1:], strict=False):
                seen.add((min(a, b), max(a, b)))
        for _ in range(len(ids) // 4):
            a, b = self.rng.sample(ids, 2)
            seen.add((min(a, b), max(a, b)))
        rows.extend(
            Tie(person_id=a, other_person_id=b, strength=self.rng.randint(1, 5))
            for a, b in sorted(seen)
        )
        _insert(Tie, rows)
        self.progress(f"{len(rows)} ties")
        return known

    # -- contact history -----------------------------------------------------------------------
    def contact_history(
        self,
        persons: dict[int, tuple[str, int]],
        known: dict[int, list[tuple[int, int]]],
        member_ids: list[int],
    ) -> None:
        total_rate = sum(TIER_RATE[tier] for tier, _ in persons.values())
        scale = self.size.contact_moments / total_rate
        first = _next_id(ContactMoment)
        moments: list[Model] = []
        person_links: list[Model] = []
        member_links: list[Model] = []
        follow_ups: list[Model] = []
        person_through = ContactMoment.persons.through
        member_through = ContactMoment.members.through
        kinds = ("meeting", "call", "email", "message", "lunch", "event", "other")
        kind_weights = (22, 28, 25, 8, 10, 6, 1)
        org_names = dict(Organisation.objects.values_list("pk", "name"))
        next_id = first
        for pid, (tier, org) in persons.items():
            count = self._poisson(TIER_RATE[tier] * scale)
            if count == 0:
                continue
            # Some key relations went cold: their history stops months or years ago.
            cold = tier in "AB" and self.rng.random() < 0.15
            newest = self.rng.randint(120, 800) if cold else 0
            knowers = known.get(pid) or [(self.rng.choice(member_ids), 1)]
            for _ in range(count):
                kind = self.rng.choices(kinds, kind_weights)[0]
                occurred = self._working_moment(newest, kind)
                days_ago = (self.today - timezone.localdate(occurred)).days
                topic = self.rng.choice(data.TOPICS)
                summary = self.rng.choice(data.SUMMARIES[kind]).format(t=topic)
                signals = ""
                if self.rng.random() < 0.08:
                    signals = self.rng.choice(data.SIGNALS).format(
                        org=org_names[org], city=self.rng.choice(data.CITIES), topic=topic
                    )
                member = max(knowers, key=lambda k: k[1] + self.rng.random() * 3)[0]
                author = member
                moments.append(
                    ContactMoment(
                        id=next_id,
                        occurred_at=occurred,
                        kind=kind,
                        summary=summary,
                        signals=signals,
                        organisation_id=org if self.rng.random() < 0.3 else None,
                        created_by_id=author,
                    )
                )
                person_links.append(person_through(contactmoment_id=next_id, person_id=pid))
                member_links.append(member_through(contactmoment_id=next_id, member_id=member))
                if len(knowers) > 1 and self.rng.random() < 0.1:
                    other = self.rng.choice([k for k, _ in knowers if k != member])
                    member_links.append(member_through(contactmoment_id=next_id, member_id=other))
                if self.rng.random() < 0.04 and days_ago < 120:
                    due = self.today + dt.timedelta(days=self.rng.randint(-40, 40))
                    follow_ups.append(
                        FollowUp(
                            contact_moment_id=next_id,
                            person_id=pid,
                            owner_id=member,
                            title=f"Opvolgen: {topic}",
                            due_date=due,
                            done_at=self.now if self.rng.random() < 0.3 else None,
                        )
                    )
                next_id += 1
                if len(moments) >= BATCH * 4:
                    self._flush_history(moments, person_links, member_links)
        self._flush_history(moments, person_links, member_links)
        _insert(FollowUp, follow_ups)
        _reset_sequences([ContactMoment, FollowUp])
        self.progress(f"{next_id - first} contact moments, {len(follow_ups)} follow-ups")

    def _working_moment(self, newest: int, kind: str) -> dt.datetime:
        """A moment on a weekday in office hours (lunches at lunchtime), at least ``newest`` days
        ago, a little more often recently than long ago, and never in the future: a network
        built at 9:05 on a Monday has no contacts from "just now"."""
        while True:
            # Half spread evenly, half leaning towards now: recent months hold about three
            # times as many contacts per day as three years ago, with no peak on any one day.
            share = self.rng.random()
            share = share if self.rng.random() < 0.5 else 1 - share**0.5
            days_ago = newest + int(share * (HISTORY_DAYS - newest))
            day = self.today - dt.timedelta(days=days_ago)
            if day.weekday() >= 5:
                continue
            if kind == "lunch":
                minutes = self.rng.randint(12 * 60, 13 * 60 + 30)
            else:
                minutes = self.rng.randint(8 * 60 + 30, 17 * 60 + 30)
            at = timezone.make_aware(dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60)))
            if at <= self.now - dt.timedelta(hours=1):
                return at

    def _flush_history(
        self, moments: list[Model], person_links: list[Model], member_links: list[Model]
    ) -> None:
        _insert(ContactMoment, moments)
        _insert(ContactMoment.persons.through, person_links)
        _insert(ContactMoment.members.through, member_links)
        moments.clear()
        person_links.clear()
        member_links.clear()

    def _poisson(self, mean: float) -> int:
        # Knuth's method is fine for the small means used here; large means use a normal draw.
        if mean > 30:
            return max(0, round(self.rng.gauss(mean, mean**0.5)))
        limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1

    def notes(self, persons: dict[int, tuple[str, int]], member_ids: list[int]) -> None:
        rows = []
        for pid in self.rng.sample(list(persons), k=min(len(persons), max(10, len(persons) // 20))):
            private = self.rng.random() < 0.3
            text = self.rng.choice(
                (
                    "Houdt niet van lange vergaderingen; liever kort bellen.",
                    "Zit in het bestuur van de lokale hockeyclub.",
                    "Dochter studeert in Wageningen.",
                    "Was kritisch over onze laatste offerte.",
                    "Wil graag geïntroduceerd worden bij iemand uit de energiesector.",
                )
            )
            rows.append(
                Note(
                    person_id=pid,
                    author_id=self.rng.choice(member_ids),
                    text=text,
                    is_private=private,
                )
            )
        _insert(Note, rows)

    # -- confidential relations ----------------------------------------------------------------
    def confidential(self, seed: int) -> int:
        """About one relation in two hundred is confidential (a candidate, a sensitive case):
        owned by a colleague who knows them and shared with up to two others who do. Read from
        the rows already stored, with a random stream of its own, so the step gives the same
        result whether it runs in a build or afterwards on a network built before it existed."""
        rng = random.Random(f"confidential-{seed}")
        person_ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
        chosen = sorted(rng.sample(person_ids, k=len(person_ids) // 200))
        knowers: dict[int, list[int]] = {}
        for pid, mid in (
            Tie.objects.filter(person_id__in=chosen, member__isnull=False)
            .order_by("person_id", "member_id")
            .values_list("person_id", "member_id")
        ):
            knowers.setdefault(pid, []).append(mid)
        shared: list[Model] = []
        through = Person.confidential_members.through
        for pid in chosen:
            members = knowers.get(pid, [])
            if not members:
                continue
            owner = rng.choice(members)
            Person.objects.filter(pk=pid).update(confidential=True, owner_id=owner)
            others = [m for m in members if m != owner]
            shared.extend(
                through(person_id=pid, member_id=m)
                for m in rng.sample(others, k=min(len(others), rng.randint(0, 2)))
            )
        _insert(through, shared)
        count = Person.objects.filter(confidential=True).count()
        self.progress(f"{count} confidential relations")
        return count

    # -- goodwill ------------------------------------------------------------------------------
    def favours(
        self,
        persons: dict[int, tuple[str, int]],
        known: dict[int, list[tuple[int, int]]],
        member_ids: list[int],
    ) -> None:
        """A few favours per key relation (and some regular ones and organisations), given and
        received by the colleagues who know them. Each relation leans one way or the other, so
        the "time to give something back" list has something to say."""
        kinds = list(data.FAVOUR_NOTES)
        kind_weights = (3, 2, 5, 3, 2, 3)
        rows: list[Model] = []
        org_ids: set[int] = set()
        for pid, (tier, org) in persons.items():
            if tier == "A":
                count = self.rng.randint(1, 5)
            elif tier == "B" and self.rng.random() < 0.3:
                count = self.rng.randint(1, 2)
            else:
                continue
            received_share = self.rng.choice((0.2, 0.5, 0.5, 0.8, 0.9))
            knowers = [m for m, _ in known.get(pid, [])] or [self.rng.choice(member_ids)]
            for _ in range(count):
                rows.append(
                    self._favour(kinds, kind_weights, received_share, knowers, person_id=pid)
                )
            if tier == "A" and self.rng.random() < 0.2:
                org_ids.add(org)
        for org in sorted(org_ids):
            share = self.rng.choice((0.3, 0.6, 0.9))
            for _ in range(self.rng.randint(1, 3)):
                member = [self.rng.choice(member_ids)]
                rows.append(self._favour(kinds, kind_weights, share, member, organisation_id=org))
        _insert(Favour, rows)
        self.progress(f"{len(rows)} favours")

    def _favour(
        self,
        kinds: list[str],
        weights: tuple[int, ...],
        received_share: float,
        members: list[int],
        **relation: int,
    ) -> Favour:
        kind = self.rng.choices(kinds, weights)[0]
        member = self.rng.choice(members)
        note = self.rng.choice(data.FAVOUR_NOTES[kind]).format(topic=self.rng.choice(data.TOPICS))
        return Favour(
            member_id=member,
            created_by_id=member,
            kind=kind,
            note=note,
            direction="received" if self.rng.random() < received_share else "given",
            occurred_on=self.today
            - dt.timedelta(days=int(self.rng.random() ** 1.5 * HISTORY_DAYS)),
            **relation,
        )


# A member network: 60 members (each with their own relations), a smaller relation file.
NETWORK_SIZE = Size(persons=600, organisations=120, members=60, contact_moments=6_000)


@transaction.atomic
def build_demo(
    *,
    size: str = "medium",
    seed: int = 1,
    report: Callable[[str], None] | None = None,
    kind: str = "organisation",
) -> dict[str, Any]:
    """Fill an empty database with the demo network (an organisation, or with kind "network" a
    member network); returns the counts and the logins."""
    if Person.objects.exists() or Member.objects.exists():
        raise ValueError(
            "The database already holds relations or members; the demo needs an empty one."
        )
    chosen = NETWORK_SIZE if kind == "network" else SIZES[size]
    builder = DemoBuilder(chosen, seed, Progress(report))
    tiers = dict(Tier.objects.values_list("code", "pk"))
    types = dict(StakeholderType.objects.values_list("code", "pk"))
    tag_ids = [Tag.objects.get_or_create(name=name)[0].pk for name in data.TAGS]
    member_ids = builder.members()
    orgs = builder.organisations(tiers, types)
    persons = builder.persons(orgs, tiers, types, tag_ids, member_ids)
    known = builder.ties(persons, member_ids)
    builder.contact_history(persons, known, member_ids)
    builder.notes(persons, member_ids)
    builder.favours(persons, known, member_ids)
    builder.confidential(seed)
    build_events(seed=seed, now=builder.now, report=builder.progress)
    build_strategy(seed=seed, now=builder.now, report=builder.progress)
    # The history went in as bulk rows, past the services that keep statuses and tie strengths
    # current: derive them once, as the nightly recompute would.
    from gilde.maintenance.services import network_recompute

    network_recompute(now=builder.now)
    builder.progress("statuses and tie strengths")
    build_strategy_history(seed=seed, now=builder.now, report=builder.progress)
    if kind == "network":
        from gilde.demo.members import build_member_network

        build_member_network(seed=seed, now=builder.now, report=builder.progress)
    # The tables were filled in bulk: give the query planner their real sizes now, rather than
    # plan against empty tables until the database's own statistics catch up (on PostgreSQL a
    # 2,000-guest balance panel took 320 ms with the stale statistics, 120 ms after).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    builder.progress("statistics for the query planner")
    return {
        "persons": Person.objects.count(),
        "organisations": Organisation.objects.count(),
        "members": Member.objects.count(),
        "contact_moments": ContactMoment.objects.count(),
        "logins": [(login[0], login[3].label) for login in DEMO_LOGINS[: chosen.members]],
        "password": DEMO_PASSWORD,
    }
