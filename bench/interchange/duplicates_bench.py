"""Benchmark of the duplicate scan: 100,000 synthetic Dutch persons with planted duplicates.

Run ``python bench/interchange/duplicates_bench.py [--size N] [--seed S]``; it writes
bench/interchange/results.json with the median of three runs, the pairs found and the recall
on the planted duplicates."""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

from gilde.interchange.duplicates import Candidate, find_duplicates, match_against
from gilde.names import fold

GIVEN = (
    "Jan",
    "Piet",
    "Kees",
    "Henk",
    "Willem",
    "Johannes",
    "Cornelis",
    "Hendrik",
    "Gerrit",
    "Pieter",
    "Dirk",
    "Klaas",
    "Bram",
    "Daan",
    "Sem",
    "Lucas",
    "Thijs",
    "Ruben",
    "Joris",
    "Maarten",
    "Anna",
    "Maria",
    "Johanna",
    "Cornelia",
    "Elisabeth",
    "Emma",
    "Sophie",
    "Julia",
    "Lotte",
    "Femke",
    "Anouk",
    "Sanne",
    "Marieke",
    "Ingrid",
    "Ellen",
    "Renée",
    "José",
    "Ömer",
    "Fatima",
    "Mohamed",
    "Yasmina",
    "Stéphanie",
    "Geertje",
    "Hanneke",
    "Wouter",
    "Sander",
    "Bas",
    "Niels",
    "Eva",
    "Iris",
    "Noor",
    "Fleur",
    "Tim",
    "Rik",
)
FAMILY = (
    "Jong",
    "Jansen",
    "Vries",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Boer",
    "Mulder",
    "Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Leeuwen",
    "Dekker",
    "Brouwer",
    "Wit",
    "Dijk",
    "Berg",
    "Dijkstra",
    "Smits",
    "Graaf",
    "Linden",
    "Kok",
    "Jacobs",
    "Haan",
    "Vermeulen",
    "Heuvel",
    "Veen",
    "Broek",
    "Bruijn",
    "Schouten",
    "Beek",
    "Willems",
    "Hoekstra",
    "Koster",
    "Prins",
    "Huisman",
    "Postma",
    "Kuiper",
    "Veenstra",
    "Kramer",
    "Wijk",
    "Vink",
    "Schipper",
    "Scholten",
    "Maas",
    "Verhoeven",
    "Yılmaz",
    "Öztürk",
    "Ramdin",
    "Nguyen",
    "Hooft",
    "Horst",
    "Hek",
    "Velde",
    "Zanten",
    "Wal",
    "Ven",
)
TUSSEN = {
    "Jong": "de",
    "Vries": "de",
    "Boer": "de",
    "Groot": "de",
    "Leeuwen": "van",
    "Wit": "de",
    "Dijk": "van",
    "Berg": "van den",
    "Graaf": "de",
    "Linden": "van der",
    "Haan": "de",
    "Heuvel": "van den",
    "Veen": "van",
    "Broek": "van den",
    "Bruijn": "de",
    "Beek": "van",
    "Wijk": "van",
    "Hooft": "'t",
    "Horst": "ter",
    "Hek": "van 't",
    "Velde": "van de",
    "Zanten": "van",
    "Wal": "van der",
    "Ven": "van de",
}
CITIES = (
    "Amsterdam",
    "Rotterdam",
    "Den Haag",
    "Utrecht",
    "Eindhoven",
    "Groningen",
    "Tilburg",
    "Almere",
    "Breda",
    "Nijmegen",
    "Apeldoorn",
    "Haarlem",
    "Arnhem",
    "Enschede",
    "Amersfoort",
    "Zaanstad",
    "’s-Hertogenbosch",
    "Zwolle",
    "Leiden",
    "Maastricht",
    "Dordrecht",
    "Ede",
    "Alphen aan den Rijn",
    "Westland",
    "Alkmaar",
    "Emmen",
    "Delft",
    "Venlo",
    "Deventer",
    "Sittard-Geleen",
    "Leeuwarden",
    "Helmond",
    "Oss",
    "Hilversum",
)
# The long tail of Dutch family names: compounds like Kortekaas, Westerhof, Groenveld.
STEMS = (
    "Kort",
    "Groen",
    "Hoog",
    "Zwart",
    "Wester",
    "Ooster",
    "Brink",
    "Dam",
    "Wit",
    "Klein",
    "Groot",
    "Hout",
    "Stolk",
    "Roos",
    "Zand",
    "Molen",
    "Kamp",
    "Vel",
    "Blom",
    "Lang",
)
ENDINGS = (
    "man",
    "hof",
    "kamp",
    "stra",
    "huis",
    "berg",
    "ink",
    "ing",
    "sma",
    "ema",
    "veld",
    "kaas",
    "broek",
    "beek",
    "dijk",
    "horst",
    "water",
    "laar",
    "hout",
    "meijer",
)
ORG_WORDS = (
    "Advies",
    "Bouw",
    "Zorg",
    "Groep",
    "Logistiek",
    "Partners",
    "Techniek",
    "Media",
    "Consult",
    "Installatie",
    "Vastgoed",
    "Juristen",
    "Accountants",
    "Design",
)


def person(rng: random.Random, index: int, orgs: list[str]) -> Candidate:
    given = rng.choice(GIVEN)
    family = rng.choice(FAMILY) if rng.random() < 0.6 else rng.choice(STEMS) + rng.choice(ENDINGS)
    tussen = TUSSEN.get(family, "")
    org = rng.choice(orgs) if rng.random() < 0.8 else ""
    domain = (org.split()[0].lower() if org else "mail") + ".example"
    local = fold(f"{given[0]}.{family}").encode("ascii", "ignore").decode()
    email = f"{local}{index}@{domain}"
    return Candidate(
        id=index,
        given_name=given,
        initials=given[0] + ".",
        tussenvoegsel=tussen,
        family_name=family,
        emails=(email,) if rng.random() < 0.7 else (),
        phones=(f"+316{rng.randrange(10_000_000, 59_999_999)}",) if rng.random() < 0.5 else (),
        linkedin_url=f"https://www.linkedin.com/in/{given.lower()}-{index}"
        if rng.random() < 0.3
        else "",
        organisation=org,
        city=rng.choice(CITIES),
    )


def typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word + word[-1]
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("swap", "drop", "double"))
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def plant(rng: random.Random, original: Candidate, new_id: int) -> tuple[Candidate, str]:
    """A second record of the same person, the way it turns up in another address book."""
    kind = rng.choice(("email", "initials", "tussen", "typo", "linkedin", "phone"))
    base = replace(original, id=new_id, emails=(), phones=(), linkedin_url="")
    if kind == "email" and original.emails:
        return replace(base, emails=(original.emails[0].upper(),), given_name="", city=""), kind
    if kind == "linkedin" and original.linkedin_url:
        return replace(base, linkedin_url=original.linkedin_url.upper() + "/"), kind
    if kind == "phone" and original.phones:
        return replace(base, phones=original.phones, organisation=""), kind
    if kind == "initials":
        return replace(base, given_name=""), kind
    if kind == "tussen" and original.tussenvoegsel:
        moved = f"{original.tussenvoegsel} {original.family_name}"
        return replace(base, tussenvoegsel="", family_name=moved), kind
    return replace(base, family_name=typo(rng, original.family_name)), "typo"


Planted = dict[frozenset[int], str]


def generate(size: int, seed: int) -> tuple[list[Candidate], Planted]:
    """``size`` candidates of which 5% are planted duplicates of others, with how each was made."""
    rng = random.Random(seed)
    orgs = [f"{rng.choice(FAMILY)} {rng.choice(ORG_WORDS)} BV" for _ in range(size // 40)]
    planted_count = size // 20
    people = [person(rng, i, orgs) for i in range(size - planted_count)]
    planted: Planted = {}
    for new_id in range(size - planted_count, size):
        original = rng.choice(people[: size - planted_count])
        copy, kind = plant(rng, original, new_id)
        people.append(copy)
        planted[frozenset((original.id, new_id))] = kind
    rng.shuffle(people)
    return people, planted


def run(size: int, seed: int, repeats: int) -> dict[str, object]:
    """Time the scan ``repeats`` times and measure recall on the planted pairs."""
    people, planted = generate(size, seed)
    timings = []
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = find_duplicates(people)
        timings.append(time.perf_counter() - start)
    assert result is not None
    found = {frozenset((p.a, p.b)) for p in result.pairs}
    existing, incoming = people[: size - size // 10], people[size - size // 10 :]
    start = time.perf_counter()
    matches = match_against(existing, incoming)
    match_seconds = time.perf_counter() - start
    by_kind: dict[str, list[int]] = {}
    for pair, kind in planted.items():
        by_kind.setdefault(kind, [0, 0])[pair in found] += 1
    return {
        "benchmark": "duplicate scan (gilde.interchange.duplicates.find_duplicates)",
        "candidates": size,
        "seed": seed,
        "planted_duplicates": len(planted),
        "seconds_median": round(statistics.median(timings), 3),
        "seconds_runs": [round(t, 3) for t in timings],
        "pairs_found": len(result.pairs),
        "pairs_exact": sum(p.kind == "exact" for p in result.pairs),
        "pairs_probable": sum(p.kind == "probable" for p in result.pairs),
        # Synthetic people share a small pool of names, so two different people with the same
        # name in the same city are found too; they are pairs by the rules, not misses.
        "pairs_not_planted": len(found - planted.keys()),
        "pairs_compared": result.compared,
        "skipped_blocks": result.skipped_blocks,
        "recall_planted": round(len(planted.keys() & found) / len(planted), 4),
        "recall_by_kind": {k: round(hit / (hit + miss), 4) for k, (miss, hit) in by_kind.items()},
        "match_against": {
            "existing": len(existing),
            "incoming": len(incoming),
            "matches": len(matches),
            "seconds": round(match_seconds, 3),
        },
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(),
        },
    }


def main(argv: list[str]) -> None:
    """Run the benchmark and write results.json next to this file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--output", type=Path, default=Path(__file__).with_name("results.json"))
    options = parser.parse_args(argv)
    figures = run(options.size, options.seed, options.repeats)
    options.output.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
