"""The demo network's strategy: goals with their values, themes with what we want and offer,
relations and organisations linked to them in a role, an activity plan per segment, a few
occasions, signal subscriptions, and two quarters of history (relations registered over the
years, and the reports of the last two quarters), so every strategy page shows something real.

Read from the rows already stored, with a random stream of its own."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from gilde.accounts.models import Member, Role
from gilde.relations.models import Affiliation, Organisation, Person, Tier
from gilde.strategy.models import (
    ActivityPlan,
    Goal,
    OccasionKind,
    Report,
    SignalSubscription,
    Theme,
    ThemeLink,
    ThemeRole,
)

GOALS = (
    (
        "Een duurzame regio",
        "Verantwoordelijkheid, samenwerking, lange adem",
        (
            (
                "Energietransitie in de regio",
                ("energy", "government", "construction"),
                "Vroeg weten waar netcongestie en subsidies spelen",
                "Ons netwerk van installateurs en kennis van aanbestedingen",
            ),
            (
                "Circulair bouwen",
                ("construction", "industry"),
                "Partners voor pilots met hergebruik van materialen",
                "Een podium op onze bijeenkomsten",
            ),
        ),
    ),
    (
        "Talent voor de techniek",
        "Vakmanschap, gelijke kansen",
        (
            (
                "Arbeidsmarkt techniek",
                ("education", "industry", "ict"),
                "Stageplekken en zicht op tekorten",
                "Gastlessen en een mentorprogramma",
            ),
            (
                "Leven lang ontwikkelen",
                ("education", "government"),
                "Inzicht in scholingsbudgetten",
                "Onze opleidingsdagen voor hun medewerkers",
            ),
        ),
    ),
    (
        "Een gezonde, digitale economie",
        "Vertrouwen, openheid",
        (
            (
                "Zorg in de wijk",
                ("healthcare", "government", "nonprofit"),
                "Signalen over zorgvraag en financiering",
                "Data-expertise en een onafhankelijke blik",
            ),
            (
                "Digitale weerbaarheid mkb",
                ("ict", "finance", "retail"),
                "Toegang tot ondernemersverenigingen",
                "Workshops en een helpdesk",
            ),
        ),
    ),
)
# Stakeholder types a theme has not reached yet (no one of them linked): its gaps, for which
# the theme's page names candidates two steps away.
NOT_YET = {
    "Energietransitie in de regio": ("press",),
    "Circulair bouwen": ("knowledge-institute", "investor"),
    "Arbeidsmarkt techniek": ("government",),
    "Leven lang ontwikkelen": ("press", "investor"),
    "Zorg in de wijk": ("investor",),
    "Digitale weerbaarheid mkb": ("press", "knowledge-institute"),
}
# Share of roles among linked relations (partners and experts most, critics few).
ROLES = (
    (ThemeRole.PARTNER, 5),
    (ThemeRole.DECISION_MAKER, 2),
    (ThemeRole.INFLUENCER, 2),
    (ThemeRole.EXPERT, 3),
    (ThemeRole.CRITIC, 1),
    (ThemeRole.INFORMANT, 2),
)
PLANS = (
    ("A", None, "Een persoonlijk bezoek per kwartaal en het jaarlijkse diner", 4, 3, False),
    ("B", None, "Twee keer per jaar contact en de themabijeenkomst", 2, 2, False),
    ("C", None, "Jaarlijks contact en de nieuwjaarsreceptie", 1, 1, False),
    ("D", None, "Alleen de nieuwsbrief", 0, 0, True),
    ("A", 0, "Maandelijks afstemmen en het regiodiner", 8, 4, False),
)


def _backdate(rng: random.Random, now: dt.datetime) -> None:
    """Relations were registered over the years: most long ago, a steady few per month in the
    last half year (the growth the report shows)."""
    Person.objects.update(created_at=now - dt.timedelta(days=1100))
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    recent = rng.sample(ids, k=len(ids) // 12)
    for day in range(0, 360, 15):
        chunk = recent[day // 15 :: 24]
        Person.objects.filter(pk__in=chunk).update(created_at=now - dt.timedelta(days=day + 3))


def _links(rng: random.Random, themes: list[tuple[Theme, tuple[str, ...]]]) -> int:
    rows: list[ThemeLink] = []
    tiers = dict(Tier.objects.values_list("pk", "code"))
    roles, weights = zip(*ROLES, strict=True)
    for theme, sectors in themes:
        not_yet = NOT_YET.get(theme.name, ())
        orgs = list(
            Organisation.objects.filter(sector__in=sectors)
            .exclude(stakeholder_types__code__in=not_yet)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for org in rng.sample(orgs, k=min(len(orgs), 6)):
            rows.append(
                ThemeLink(
                    theme=theme,
                    organisation_id=org,
                    role=rng.choice(roles),
                    importance=rng.choice((2, 3)),
                )
            )
        people = list(
            Affiliation.objects.current()
            .filter(organisation__sector__in=sectors)
            .exclude(person__stakeholder_types__code__in=not_yet)
            .order_by("person_id", "person__tier_id")
            .values_list("person_id", "person__tier_id")
            .distinct()
        )
        rng.shuffle(people)
        seen: set[int] = set()
        for pid, tier in people[: max(25, len(people) // 8)]:
            if pid in seen:
                continue
            seen.add(pid)
            code = tiers.get(tier, "C")
            importance = (
                3 if code == "A" else rng.choice((1, 2, 2, 3) if code == "B" else (1, 1, 2))
            )
            rows.append(
                ThemeLink(
                    theme=theme,
                    person_id=pid,
                    importance=importance,
                    role=rng.choices(roles, weights)[0],
                )
            )
    ThemeLink.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _plans(themes: list[Theme]) -> None:
    tiers = {t.code: t for t in Tier.objects.all()}
    ActivityPlan.objects.bulk_create(
        [
            ActivityPlan(
                tier=tiers[code],
                theme=themes[theme] if theme is not None else None,
                activities=text,
                contacts_per_year=contacts,
                invitations_per_year=invites,
                newsletter_only=newsletter,
            )
            for code, theme, text, contacts, invites, newsletter in PLANS
            if code in tiers
        ]
    )


def _occasions(rng: random.Random) -> None:
    from gilde.strategy.services import occasion_record

    key = list(
        Person.objects.filter(tier__code__in=["A", "B"], confidential=False)
        .order_by("pk")
        .values_list("pk", flat=True)[:400]
    )
    kinds = (OccasionKind.JUBILEE, OccasionKind.NEW_JOB, OccasionKind.FAREWELL, OccasionKind.BIRTH)
    notes = {
        "jubilee": "25 jaar in dienst",
        "new_job": "Nieuwe functie",
        "farewell": "Met pensioen",
        "birth": "Dochter geboren",
    }
    for pid in rng.sample(key, k=min(len(key), 8)):
        kind = rng.choice(kinds)
        occasion_record(
            actor=None,
            person=Person.objects.get(pk=pid),
            kind=kind,
            occurred_on=timezone.localdate() - dt.timedelta(days=rng.randint(0, 20)),
            note=notes[kind],
            detected=kind == OccasionKind.NEW_JOB,
        )


def _subscriptions(rng: random.Random, themes: list[Theme]) -> None:
    members = list(Member.objects.filter(user__is_active=True).order_by("pk"))
    rows = [SignalSubscription(member=m, theme=rng.choice(themes)) for m in members[:12]]
    rows += [
        SignalSubscription(member=m, sector=rng.choice(("energy", "ict", "healthcare")))
        for m in members[12:20]
    ]
    SignalSubscription.objects.bulk_create(rows)


def _reports(now: dt.datetime) -> int:
    """The reports of the last two completed quarters, as the network manager drew them up."""
    from gilde.strategy.pdf import report_pdf
    from gilde.strategy.report import previous_report, report_figures

    manager = Member.objects.filter(role=Role.NETWORK_MANAGER).order_by("pk").first()
    if manager is None:
        return 0
    day = timezone.localdate(now)
    year, quarter = day.year, (day.month - 1) // 3 + 1
    quarters = []
    for _i in range(2):
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
        quarters.append((year, quarter))
    for year, quarter in reversed(quarters):
        report = Report.objects.create(year=year, quarter=quarter, created_by=manager)
        report.figures = report_figures(user=manager.user, year=year, quarter=quarter)
        report.pdf = report_pdf(report, previous_report(report))
        report.save(update_fields=["figures", "pdf"])
    return len(quarters)


@transaction.atomic
def build_strategy(*, seed: int, now: dt.datetime, report: Callable[[str], None]) -> None:
    rng = random.Random(f"strategy-{seed}")
    _backdate(rng, now)
    owners = list(
        Member.objects.filter(role__in=[Role.NETWORK_MANAGER, Role.NETWORKER]).order_by("pk")[:6]
    )
    themes: list[tuple[Theme, tuple[str, ...]]] = []
    start = timezone.localdate(now).replace(month=1, day=1)
    for order, (title, values, theme_rows) in enumerate(GOALS):
        goal = Goal.objects.create(title=title, values=values, order=order)
        for name, sectors, want, offer in theme_rows:
            theme = Theme.objects.create(
                goal=goal,
                name=name,
                we_want=want,
                we_offer=offer,
                owner=owners[len(themes) % len(owners)] if owners else None,
                starts_on=start,
                ends_on=start.replace(year=start.year + 2) - dt.timedelta(days=1),
            )
            themes.append((theme, sectors))
    linked = _links(rng, themes)
    _plans([t for t, _s in themes])
    _subscriptions(rng, [t for t, _s in themes])
    report(f"{len(GOALS)} goals, {len(themes)} themes, {linked} theme links")


def _tier_reviews(rng: random.Random, now: dt.datetime) -> tuple[int, int]:
    """Last quarter's tier review, decided and completed (most proposals accepted, some
    rejected: those do not return without news; a move to D of a relation with favours is
    rejected), and this quarter's, open with its ranked proposals. Returns (decided last
    quarter, proposed now)."""
    from gilde.maintenance.models import SuggestionState, TierReview
    from gilde.maintenance.review import (
        tier_review_complete,
        tier_review_start,
        tier_suggestions_decide,
    )

    manager = Member.objects.filter(role=Role.NETWORK_MANAGER).order_by("pk").first()
    if manager is None:
        return 0, 0
    then = now - dt.timedelta(days=91)
    review = tier_review_start(actor=manager, now=then)
    from gilde.goodwill.models import Favour

    rows = list(
        review.suggestions.order_by("pk").values_list("pk", "person_id", "to_tier__code")[:60]
    )
    rng.shuffle(rows)
    # A relation one still exchanges favours with is not moved down to D: rejected.
    owed = set(
        Favour.objects.filter(person_id__in=[p for _s, p, _t in rows]).values_list(
            "person_id", flat=True
        )
    )
    kept = [s for s, p, to in rows if to == "D" and p in owed]
    rest = [s for s, p, to in rows if not (to == "D" and p in owed)]
    rejected = kept + rest[: len(rest) // 4]
    accepted = rest[len(rest) // 4 :]
    decided = tier_suggestions_decide(
        actor=manager, review=review, suggestion_ids=accepted, accept=True
    )
    decided += tier_suggestions_decide(
        actor=manager, review=review, suggestion_ids=rejected, accept=False
    )
    tier_review_complete(actor=manager, review=review)
    TierReview.objects.filter(pk=review.pk).update(started_at=then, completed_at=then)
    review.suggestions.exclude(state=SuggestionState.OPEN).update(decided_at=then)
    current = tier_review_start(actor=manager, now=now)
    return decided, current.suggestions.count()


@transaction.atomic
def build_strategy_history(*, seed: int, now: dt.datetime, report: Callable[[str], None]) -> None:
    """After the statuses and strengths are derived: occasions for the colleagues who look after
    the relations, and the last two quarters' reports."""
    rng = random.Random(f"strategy-history-{seed}")
    _occasions(rng)
    decided, proposed = _tier_reviews(rng, now)
    report(f"tier reviews: {decided} proposals decided last quarter, {proposed} open now")
    report(f"{_reports(now)} quarterly reports")
