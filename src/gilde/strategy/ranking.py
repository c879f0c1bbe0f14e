"""The tier review's ranking: every relation gets a score from what the data says about it, the
scores are ranked against the tier guideline (about 10% A, 35% B, 15% C, 40% D), and a relation
whose score lies clearly in another tier's band is proposed for that tier, up or down, with the
factors that weighed most as its reasons.

Plain Python and NumPy, no Django: `gilde.strategy.tiering` reads the figures and
`gilde.maintenance.review` turns the proposals into suggestions.

Weights (sum 100):
- theme importance 25: the highest importance of the relation's links to strategic themes;
- tie strength 20: the strongest colleague's tie;
- trend 10: contact moments in the last half year against the half year before (5 is steady);
- contact history 15: contact moments in the last year, on a log scale (12 is full);
- goodwill 10: favours either way in the last two years (4 is full);
- signals 10: contact moments with market signals in the last year (3 is full);
- events 10: events attended in the last year (2 is full).

Bands come from the guideline when there are at least MIN_FOR_RANKING relations with a tier (the
score of the relation at each cumulative share); in a small network from fixed scores. A move
needs the score MARGIN past the band's edge, so a relation on the edge does not flip each
quarter."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

MIN_FOR_RANKING = 50
MARGIN = 4.0
FIXED_EDGES = (60.0, 35.0, 15.0)  # lowest score of A, B and C in a small network
WEIGHTS = {
    "theme": 25.0,
    "strength": 20.0,
    "trend": 10.0,
    "contacts": 15.0,
    "goodwill": 10.0,
    "signals": 10.0,
    "events": 10.0,
}

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Inputs:
    """One row per relation with a tier; `tier` is its index among the tiers (0 = A)."""

    person_ids: Ints
    tier: Ints
    theme_importance: Ints  # 0 none, 1 low … 3 high
    strength: Ints  # best colleague tie 0–100
    contacts_recent: Ints  # last half year
    contacts_before: Ints  # the half year before
    favours: Ints
    signals: Ints
    events: Ints


@dataclass(frozen=True)
class Proposal:
    person_id: int
    from_tier: int
    to_tier: int
    score: float
    reasons: tuple[tuple[str, float], ...]  # (factor, its points), strongest first


def parts(inputs: Inputs) -> dict[str, Floats]:
    """Each factor's points per relation (0 to its weight)."""
    recent = inputs.contacts_recent.astype(float)
    before = inputs.contacts_before.astype(float)
    year = recent + before
    trend = np.where(year > 0, (recent - before) / np.maximum(year, 1.0), 0.0)
    return {
        "theme": WEIGHTS["theme"] * inputs.theme_importance / 3.0,
        "strength": WEIGHTS["strength"] * np.clip(inputs.strength, 0, 100) / 100.0,
        "trend": WEIGHTS["trend"] * (trend + 1.0) / 2.0,
        "contacts": WEIGHTS["contacts"] * np.minimum(np.log1p(year) / np.log1p(12.0), 1.0),
        "goodwill": WEIGHTS["goodwill"] * np.minimum(inputs.favours / 4.0, 1.0),
        "signals": WEIGHTS["signals"] * np.minimum(inputs.signals / 3.0, 1.0),
        "events": WEIGHTS["events"] * np.minimum(inputs.events / 2.0, 1.0),
    }


def edges(scores: Floats, shares: tuple[float, ...]) -> tuple[float, ...]:
    """The lowest score of each tier but the last: from the guideline's cumulative shares in a
    large network, fixed in a small one."""
    if len(scores) < MIN_FOR_RANKING:
        return FIXED_EDGES[: len(shares) - 1]
    ordered = np.sort(scores)[::-1]
    found = []
    cumulative = 0.0
    for share in shares[:-1]:
        cumulative += share
        index = min(int(round(cumulative * len(ordered))) - 1, len(ordered) - 1)
        found.append(float(ordered[max(index, 0)]))
    return tuple(found)


def _target(score: float, current: int, cut: tuple[float, ...]) -> int:
    """The tier a score belongs to, moving only when clearly past an edge."""
    tier = current
    while tier > 0 and score >= cut[tier - 1] + MARGIN:  # up: past the edge of the tier above
        tier -= 1
    if tier == current:
        while tier < len(cut) and score < cut[tier] - MARGIN:  # down: below its own edge
            tier += 1
    return tier


def rank(inputs: Inputs, shares: tuple[float, ...]) -> list[Proposal]:
    """Proposals for every relation whose score lies clearly in another tier's band. `shares`
    are the guideline shares of the tiers in order (summing to 1)."""
    if len(inputs.person_ids) == 0:
        return []
    points = parts(inputs)
    scores = sum(points.values(), np.zeros(len(inputs.person_ids)))
    cut = edges(scores, shares)
    names = list(points)
    table = np.stack([points[n] for n in names], axis=1)
    found = []
    for i, score in enumerate(scores):
        current = int(inputs.tier[i])
        target = _target(float(score), current, cut)
        if target == current:
            continue
        row = table[i]
        if target < current:  # up: what weighs most; down: what is missing most
            order = np.argsort(-row)
            reasons = tuple((names[j], round(float(row[j]), 1)) for j in order[:3] if row[j] > 0)
        else:
            gaps = np.array([WEIGHTS[n] for n in names]) - row
            order = np.argsort(-gaps)
            reasons = tuple((names[j], round(float(row[j]), 1)) for j in order[:3])
        found.append(
            Proposal(int(inputs.person_ids[i]), current, target, round(float(score), 1), reasons)
        )
    return found
