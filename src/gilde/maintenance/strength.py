"""Tie strength from contact history, for many ties at once with NumPy. No Django here: the
caller hands over one row per (tie, contact moment) as arrays and gets one score per tie.

The score (0–100) combines
- contact activity: each contact counts by its kind (a meeting or lunch 1.0, a call 0.6, an event
  0.3, an e-mail 0.25, a message 0.2), divided by the square root of the number of other people
  in it (a one-to-one meeting counts fully, a group event far less), and halves in value every
  HALF_LIFE_DAYS, so recent and frequent contact both raise it;
- the strength the member declared (1–5);
- how long the tie has lasted (since the declared start or the first contact, up to 10 years).

Who started a contact is not recorded, so "two-way" is approximated by the kind: meetings, lunches
and calls are conversations and weigh more than e-mails and messages, which may go one way."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

KINDS: tuple[str, ...] = ("meeting", "lunch", "call", "event", "email", "message", "other")
KIND_WEIGHTS = np.array([1.0, 1.0, 0.6, 0.3, 0.25, 0.2, 0.3])
MEETING_KINDS = np.array([True, True, False, False, False, False, False])
CALL_KIND = KINDS.index("call")
HALF_LIFE_DAYS = 120.0
ACTIVITY_SCALE = 1.5
WEIGHT_HISTORY, WEIGHT_DECLARED, WEIGHT_DURATION = 0.6, 0.3, 0.1
YEAR = 365.0

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Contacts:
    """One row per contact of a tie: which tie (0…n-1), how many days ago, the kind (index in
    KINDS) and how many other people took part besides the member and this person."""

    tie: IntArray
    age_days: FloatArray
    kind: IntArray
    others: IntArray


@dataclass(frozen=True)
class Strengths:
    """Per tie: the score and the facts that explain it (ages in days, NaN when no contact)."""

    score: IntArray
    contacts_year: IntArray
    meetings_year: IntArray
    calls_year: IntArray
    contacts_total: IntArray
    last_age: FloatArray
    last_kind: IntArray
    first_age: FloatArray


def compute(contacts: Contacts, declared: IntArray, known_days: FloatArray) -> Strengths:
    """Scores for n ties; `declared` is 1–5 per tie, `known_days` the days since the declared
    start of the tie (NaN when unknown)."""
    n = len(declared)
    tie, age = contacts.tie, np.maximum(contacts.age_days, 0.0)
    weight = KIND_WEIGHTS[contacts.kind] / np.sqrt(1.0 + np.maximum(contacts.others, 0))
    activity = np.bincount(tie, weights=weight * np.power(0.5, age / HALF_LIFE_DAYS), minlength=n)
    in_year = age <= YEAR
    contacts_year = np.bincount(tie, weights=in_year, minlength=n).astype(np.int64)
    meetings = in_year & MEETING_KINDS[contacts.kind]
    meetings_year = np.bincount(tie, weights=meetings, minlength=n).astype(np.int64)
    calls = in_year & (contacts.kind == CALL_KIND)
    calls_year = np.bincount(tie, weights=calls, minlength=n).astype(np.int64)
    total = np.bincount(tie, minlength=n).astype(np.int64)

    last_age = np.full(n, np.nan)
    first_age = np.full(n, np.nan)
    last_kind = np.full(n, -1, dtype=np.int64)
    if len(tie):
        order = np.lexsort((age, tie))  # by tie, youngest contact first
        sorted_tie = tie[order]
        starts = np.flatnonzero(np.r_[True, sorted_tie[1:] != sorted_tie[:-1]])
        ends = np.r_[starts[1:], len(order)] - 1
        last_age[sorted_tie[starts]] = age[order[starts]]
        last_kind[sorted_tie[starts]] = contacts.kind[order[starts]]
        first_age[sorted_tie[starts]] = age[order[ends]]

    history = 100.0 * (1.0 - np.exp(-activity / ACTIVITY_SCALE))
    declared_part = (np.clip(declared, 1, 5) - 1) / 4.0 * 100.0
    known = np.fmax(np.nan_to_num(known_days, nan=0.0), np.nan_to_num(first_age, nan=0.0))
    duration = np.minimum(known / YEAR, 10.0) / 10.0 * 100.0
    score = np.rint(
        WEIGHT_HISTORY * history + WEIGHT_DECLARED * declared_part + WEIGHT_DURATION * duration
    )
    return Strengths(
        score=np.clip(score, 0, 100).astype(np.int64),
        contacts_year=contacts_year,
        meetings_year=meetings_year,
        calls_year=calls_year,
        contacts_total=total,
        last_age=last_age,
        last_kind=last_kind,
        first_age=first_age,
    )


def band(score: int) -> str:
    """strong / moderate / weak, for the words on the page."""
    if score >= 65:
        return "strong"
    if score >= 35:
        return "moderate"
    return "weak"
