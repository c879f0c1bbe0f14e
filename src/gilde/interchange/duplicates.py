"""Finding duplicate persons without comparing every pair: candidates are grouped by blocking
keys (e-mail, phone, LinkedIn profile, and family-name keys within one organisation or city),
and only candidates that share a key are scored."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from rapidfuzz.fuzz import ratio

from gilde.interchange.keys import fold_email, normalise_linkedin
from gilde.interchange.phonetic import dutch_phonetic
from gilde.interchange.records import ContactRecord
from gilde.names import fold
from gilde.names.dutch import PARTICLES

DEFAULT_THRESHOLD = 70
# A block this large says little (a switchboard number, "J. de Jong" in Amsterdam) and would
# cost quadratic time; it is skipped and counted instead.
MAX_BLOCK = 60
_LEGAL_FORMS = frozenset({"bv", "nv", "vof", "cv", "ltd", "inc", "gmbh", "bvba", "holding"})


@dataclass(frozen=True)
class Candidate:
    """A person as the duplicate finder sees it; ``id`` is whatever the caller uses."""

    id: Hashable
    given_name: str = ""
    initials: str = ""
    tussenvoegsel: str = ""
    family_name: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    linkedin_url: str = ""
    organisation: str = ""
    city: str = ""


@dataclass(frozen=True)
class Reason:
    """Why two persons look alike: a stable code and an English text."""

    code: str
    text: str


@dataclass(frozen=True)
class DuplicatePair:
    """Two candidates that are probably one person, with a score from 0 to 100."""

    a: Hashable
    b: Hashable
    score: int
    kind: str  # "exact" (shared e-mail, phone or LinkedIn) or "probable" (similar names)
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class ScanResult:
    """All pairs at or above the threshold, best first, and how much work it took."""

    pairs: tuple[DuplicatePair, ...]
    compared: int
    skipped_blocks: int


@dataclass(frozen=True)
class _Prepared:
    candidate: Candidate
    family: str
    tussen: str
    given: str
    initials: str
    emails: frozenset[str]
    phones: frozenset[str]
    linkedin: str
    organisation: str
    city: str


def candidate_from_record(record: ContactRecord, id: Hashable) -> Candidate:
    """A Candidate from an imported record, for matching an import against the registry."""
    return Candidate(
        id,
        record.given_name,
        record.initials,
        record.tussenvoegsel,
        record.family_name,
        record.emails,
        record.phones,
        record.linkedin_url,
        record.organisation,
        record.city,
    )


# Names, places and organisations repeat a lot across a registry; folding each once saves most
# of the preparation time of a large scan.
_fold = lru_cache(maxsize=262_144)(fold)
_sound = lru_cache(maxsize=262_144)(dutch_phonetic)


@lru_cache(maxsize=65_536)
def _place(text: str) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", _fold(text).replace(".", "")).split()
    return " ".join(w for w in words if w not in _LEGAL_FORMS)


def _prepare(candidate: Candidate) -> _Prepared:
    family_words = _fold(candidate.family_name).split()
    tussen = _fold(candidate.tussenvoegsel).split()
    # "van der Berg" typed in the family-name field: the particles are not the family name.
    while len(family_words) > 1 and family_words[0] in PARTICLES:
        tussen.append(family_words.pop(0))
    initials = re.sub(r"[^a-z]", "", _fold(candidate.initials))
    given = _fold(candidate.given_name)
    return _Prepared(
        candidate=candidate,
        family=" ".join(family_words),
        tussen=" ".join(tussen),
        given=given,
        initials=initials or "".join(w[0] for w in re.split(r"[\s\-]+", given) if w),
        emails=frozenset(fold_email(e) for e in candidate.emails if e.strip()),
        phones=frozenset(p for p in candidate.phones if p),
        linkedin=normalise_linkedin(candidate.linkedin_url),
        organisation=_place(candidate.organisation),
        city=_place(candidate.city),
    )


def _keys(p: _Prepared) -> Iterable[tuple[str, ...]]:
    yield from (("e", e) for e in p.emails)
    yield from (("p", phone) for phone in p.phones)
    if p.linkedin:
        yield ("l", p.linkedin)
    if not p.family:
        return
    first = p.initials[:1]
    compact = p.family.replace(" ", "").replace("-", "")
    # Every name one typo away (a letter dropped, added, changed or two swapped) shares one of
    # these single-deletion variants with it; the sound key adds spelling variants such as
    # Dijkstra/Dykstra that are further apart.
    variants = {compact} | {compact[:i] + compact[i + 1 :] for i in range(len(compact))}
    sound = _sound(p.family)
    for place in {p.organisation, p.city} - {""}:
        for variant in variants:
            yield ("f", variant, first, place)
        yield ("h", sound, first, place)


def _given_score(a: _Prepared, b: _Prepared) -> tuple[float, Reason | None]:
    if a.given and b.given:
        if a.given == b.given:
            return 100.0, None
        first_a, first_b = a.given.split()[0], b.given.split()[0]
        if first_a == first_b:
            return 90.0, None  # "Jan" and "Jan Willem"
        return ratio(a.given, b.given), None
    if a.given or b.given:
        given, other = (a, b) if a.given else (b, a)
        if other.initials and given.initials.startswith(other.initials[:1]):
            same = other.initials == given.initials or len(other.initials) == 1
            text = (
                f"Initials {other.candidate.initials or other.initials} fit given name "
                f"{given.candidate.given_name}"
            )
            return (85.0 if same else 75.0), Reason("initials_match", text)
        return (60.0 if not other.initials else 0.0), None
    if a.initials and b.initials:
        if a.initials == b.initials:
            return 85.0, None
        return (70.0 if a.initials[0] == b.initials[0] else 0.0), None
    return 60.0, None


def _probable(a: _Prepared, b: _Prepared, family: float, reasons: list[Reason]) -> int:
    """Name likeness at one organisation or in one city; appends its reasons."""
    given, given_reason = _given_score(a, b)
    same_org = bool(a.organisation) and a.organisation == b.organisation
    same_city = bool(a.city) and a.city == b.city
    # One swapped pair of letters in a four-letter name ("Vink"/"Vnik") scores 75.
    family_floor = 75 if given >= 90 else 80
    if family < family_floor or given < 70 or not (same_org or same_city):
        return 0
    tussen_penalty = _tussen_penalty(a.tussen, b.tussen)
    raw = 0.55 * family + 0.45 * given - tussen_penalty
    raw += (6 if same_org else 0) + (3 if same_city else 0)
    code = "same_name" if family == 100 and given == 100 else "similar_name"
    reasons.append(Reason(code, f"Names alike: {_name(a)} / {_name(b)}"))
    if given_reason:
        reasons.append(given_reason)
    if tussen_penalty:
        text = f"Tussenvoegsel differs: {a.tussen or '-'} / {b.tussen or '-'}"
        reasons.append(Reason("tussenvoegsel_differs", text))
    if same_org:
        reasons.append(Reason("same_organisation", f"Both at {a.candidate.organisation}"))
    if same_city:
        reasons.append(Reason("same_city", f"Both in {a.candidate.city}"))
    return min(round(raw), 99)


def _tussen_penalty(a: str, b: str) -> int:
    if a == b:
        return 0
    if not (a and b):
        return 4
    # "v.d." abbreviates "van der", "van den" and "van de" alike.
    return 0 if _initial_letters(a) == _initial_letters(b) else 8


def _initial_letters(text: str) -> str:
    return "".join(w[0] for w in re.split(r"[\s./']+", text) if w)


def _name(p: _Prepared) -> str:
    c = p.candidate
    return " ".join(x for x in (c.given_name or c.initials, c.tussenvoegsel, c.family_name) if x)


def score_pair(a: _Prepared, b: _Prepared) -> tuple[int, str, list[Reason]]:
    """Score two prepared candidates; returns (score, kind, reasons)."""
    reasons: list[Reason] = []
    exact = 0
    family = ratio(a.family, b.family) if a.family and b.family else 0.0
    names_clash = bool(a.family and b.family) and family < 60
    if shared := a.emails & b.emails:
        reasons.append(Reason("same_email", f"Same e-mail address: {min(shared)}"))
        exact = max(exact, 75 if names_clash else 100)
    if a.linkedin and a.linkedin == b.linkedin:
        reasons.append(Reason("same_linkedin", f"Same LinkedIn profile: {a.linkedin}"))
        exact = max(exact, 100)
    if shared := a.phones & b.phones:
        reasons.append(Reason("same_phone", f"Same phone number: {min(shared)}"))
        # A shared office number with different names is a switchboard, not one person.
        exact = max(exact, 55 if names_clash else 95)
    if names_clash and exact:
        reasons.append(Reason("names_differ", f"But the names differ: {_name(a)} / {_name(b)}"))
    probable = _probable(a, b, family, reasons)
    if exact and probable:
        exact = min(100, max(exact, probable) + 5)
    score = max(exact, probable)
    return score, ("exact" if exact >= probable and exact else "probable"), reasons


def _blocks(prepared: Sequence[_Prepared]) -> dict[tuple[str, ...], list[int]]:
    blocks: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, p in enumerate(prepared):
        for key in set(_keys(p)):
            blocks[key].append(index)
    return blocks


def find_duplicates(
    candidates: Iterable[Candidate],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    not_duplicates: Collection[frozenset[Hashable]] = (),
) -> ScanResult:
    """Scan a whole set for duplicate pairs; pairs marked "not a duplicate" (as frozensets of
    two ids) are left out."""
    prepared = [_prepare(c) for c in candidates]
    pairs: set[tuple[int, int]] = set()
    skipped = 0
    for members in _blocks(prepared).values():
        if len(members) < 2:
            continue
        if len(members) > MAX_BLOCK:
            skipped += 1
            continue
        pairs.update(combinations(members, 2))
    found = []
    for i, j in pairs:
        a, b = prepared[i], prepared[j]
        if frozenset((a.candidate.id, b.candidate.id)) in not_duplicates:
            continue
        score, kind, reasons = score_pair(a, b)
        if score >= threshold:
            found.append(DuplicatePair(a.candidate.id, b.candidate.id, score, kind, tuple(reasons)))
    found.sort(key=lambda p: (-p.score, str(p.a), str(p.b)))
    return ScanResult(tuple(found), len(pairs), skipped)


def match_against(
    existing: Iterable[Candidate],
    incoming: Iterable[Candidate],
    *,
    threshold: int = DEFAULT_THRESHOLD,
) -> list[DuplicatePair]:
    """For each incoming candidate, the existing ones it probably is (``a`` is the incoming id,
    ``b`` the existing id), best first per incoming candidate."""
    prepared = [_prepare(c) for c in existing]
    blocks = _blocks(prepared)
    matches: list[DuplicatePair] = []
    for new in incoming:
        p = _prepare(new)
        seen: set[int] = set()
        for key in set(_keys(p)):
            members = blocks.get(key, ())
            if len(members) <= MAX_BLOCK:
                seen.update(members)
        scored = []
        for index in seen:
            score, kind, reasons = score_pair(p, prepared[index])
            if score >= threshold:
                scored.append(
                    DuplicatePair(new.id, prepared[index].candidate.id, score, kind, tuple(reasons))
                )
        matches += sorted(scored, key=lambda m: -m.score)
    return matches
