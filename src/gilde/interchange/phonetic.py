"""A sound key for Dutch family names, so spelling variants land in the same block."""

from __future__ import annotations

import re

from gilde.names import fold

# Applied in order; Dutch spellings that sound alike (ij/y/ei, ch/g, dt/d/t, ou/au, c/k...).
_RULES: tuple[tuple[str, str], ...] = (
    ("sch", "s"),
    ("ij", "y"),
    ("ei", "y"),
    ("ey", "y"),
    ("ph", "f"),
    ("th", "t"),
    ("ch", "g"),
    ("ck", "k"),
    ("dt", "t"),
    ("au", "ou"),
    ("ae", "a"),
    ("ie", "i"),
    ("oe", "u"),
    ("c", "k"),
    ("z", "s"),
    ("v", "f"),
    ("q", "k"),
    ("x", "ks"),
    ("w", "v"),
)
_DOUBLE_RE = re.compile(r"(.)\1+")


def dutch_phonetic(name: str) -> str:
    """ "Janssen", "Jansen" and "Jansz" do not all agree, but "Dijkstra"/"Dykstra",
    "Schouten"/"Souten" and "Smit"/"Smidt" do: a cheap key, not a full phonetic algorithm."""
    text = re.sub(r"[^a-z]", "", fold(name))
    for old, new in _RULES:
        text = text.replace(old, new)
    text = _DOUBLE_RE.sub(r"\1", text)
    if text.endswith("d"):
        text = text[:-1] + "t"
    return text
