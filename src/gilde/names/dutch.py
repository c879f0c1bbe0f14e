"""Dutch names: a *tussenvoegsel* (van, de, van der, 't...) belongs to the family name but is
sorted after it, so "Jan van der Berg" files under B. These functions are plain Python so that
the registry, the importers and the duplicate finder all split and fold names the same way."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Particles that may appear, alone or combined, between given and family name (Dutch, Flemish,
# German and French forms common in Dutch registers).
PARTICLES: frozenset[str] = frozenset(
    {
        "van",
        "de",
        "der",
        "den",
        "het",
        "'t",
        "t",
        "te",
        "ten",
        "ter",
        "in",
        "op",
        "onder",
        "over",
        "aan",
        "bij",
        "uit",
        "voor",
        "la",
        "le",
        "les",
        "du",
        "des",
        "d'",
        "di",
        "da",
        "dal",
        "del",
        "della",
        "dos",
        "das",
        "von",
        "vom",
        "zum",
        "zur",
        "am",
        "auf",
        "l'",
        "'s",
        "s",
        "uijt",
        "uyt",
        "vd",
        "v/d",
        "v.d.",
    }
)

_INITIALS_RE = re.compile(r"^(?:[A-Za-zÀ-ÿ]{1,2}\.)+[A-Za-zÀ-ÿ]?\.?$|^[A-Z]{1,3}$")
_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class PersonName:
    """A name split the Dutch way; any part may be empty."""

    given_name: str = ""
    initials: str = ""
    tussenvoegsel: str = ""
    family_name: str = ""


def fold(text: str) -> str:
    """Lower-case and strip accents, so "Ëlla Ĳsselmeer" is found by "ella ijsselmeer"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ĳ", "ij").replace("Ĳ", "IJ"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACE_RE.sub(" ", stripped.casefold()).strip()


def _is_particle(word: str) -> bool:
    return fold(word) in PARTICLES


def _is_initials(word: str) -> bool:
    return bool(_INITIALS_RE.match(word)) and "." in word or (word.isupper() and len(word) <= 3)


def initials_from(given: str) -> str:
    """The initials of given names: "Jan-Willem" gives "J.W."."""
    parts = [p for p in re.split(r"[\s.\-]+", given) if p]
    return "".join(p[0].upper() + "." for p in parts)


def split_name(full: str) -> PersonName:
    """Split a full name as people write it: "Jan van der Berg", "Berg, Jan van der",
    "J.P. de Vries", "dr. Anna de Wit" (titles are not part of the name)."""
    text = _SPACE_RE.sub(" ", full.replace("\u00a0", " ")).strip()
    if not text:
        return PersonName()
    if "," in text:
        family_part, _, rest = text.partition(",")
        rest_words = [w for w in rest.split() if not _is_title(w)]
        # "Berg, Jan van der": the particles trail the given name.
        cut = len(rest_words)
        while cut > 0 and _is_particle(rest_words[cut - 1]):
            cut -= 1
        given = " ".join(rest_words[:cut])
        # "de Vries, J.P." and register style "Berg van der, J.": particles in the family part.
        lead, family, trail = _peel_particles(family_part.split())
        tussen = " ".join(p for p in (" ".join(rest_words[cut:]), lead, trail) if p)
        return _with_initials(given, tussen, family)
    words = [w for w in text.split() if not _is_title(w)]
    if not words:
        return PersonName()
    if len(words) == 1:
        return PersonName(family_name=words[0])
    # The family name starts at the first particle after the given name, or is the last word;
    # a name that opens with a particle ("van der Berg") has no given name at all.
    start = 0 if _is_particle(words[0]) else _family_start(words)
    given = " ".join(words[:start])
    tail = words[start:]
    cut = 0
    while cut < len(tail) - 1 and _is_particle(tail[cut]):
        cut += 1
    return _with_initials(given, " ".join(tail[:cut]), " ".join(tail[cut:]))


def _family_start(words: list[str]) -> int:
    for i in range(1, len(words) - 1):
        if _is_particle(words[i]):
            return i
    return len(words) - 1


def _is_title(word: str) -> bool:
    return fold(word).rstrip(".") in _TITLES


def _peel_particles(words: list[str]) -> tuple[str, str, str]:
    """Split "de Vries" or "Berg van der" into (leading particles, family name, trailing)."""
    start, end = 0, len(words)
    while start < end - 1 and _is_particle(words[start]):
        start += 1
    while end > start + 1 and _is_particle(words[end - 1]):
        end -= 1
    return " ".join(words[:start]), " ".join(words[start:end]), " ".join(words[end:])


_TITLES = frozenset(
    {"dr", "drs", "ir", "ing", "mr", "prof", "mevr", "dhr", "mw", "ds", "bc", "msc", "bsc", "phd"}
)


def _with_initials(given: str, tussen: str, family: str) -> PersonName:
    if given and all(_is_initials(w) for w in given.split()):
        compact = given.replace(" ", "")
        initials = compact if compact.endswith(".") or len(compact) > 3 else initials_from(compact)
        if not compact.endswith(".") and compact.isupper():
            initials = "".join(c + "." for c in compact)
        return PersonName(initials=initials, tussenvoegsel=tussen.lower(), family_name=family)
    return PersonName(
        given_name=given,
        initials=initials_from(given) if given else "",
        tussenvoegsel=tussen.lower(),
        family_name=family,
    )


def display_name(name: PersonName, *, title: str = "") -> str:
    """The name as written in a letter: "dr. Jan van der Berg"."""
    first = name.given_name or name.initials
    parts = [title, first, name.tussenvoegsel, name.family_name]
    return " ".join(p for p in parts if p)


def sort_key(name: PersonName) -> str:
    """Dutch telephone-book order: family name, then given name, then the particle
    ("Berg, Jan van der" sorts under B)."""
    return "|".join(
        fold(p) for p in (name.family_name, name.given_name or name.initials, name.tussenvoegsel)
    )


def split_title(text: str) -> tuple[str, str]:
    """Take academic and courtesy titles off the front: "dr. ir. Anna de Wit" gives
    ("dr. ir.", "Anna de Wit")."""
    words = text.split()
    cut = 0
    while cut < len(words) - 1 and _is_title(words[cut]):
        cut += 1
    return " ".join(words[:cut]), " ".join(words[cut:])


def is_particles(text: str) -> bool:
    """True when every word is a name particle, as in "van der" or "'t"."""
    words = text.split()
    return bool(words) and all(_is_particle(w) for w in words)


def split_parts(
    given: str, family: str, *, middle: str = "", tussenvoegsel: str | None = None
) -> PersonName:
    """Combine name columns from an address book. Without a tussenvoegsel column the particles
    are found where programs put them: "van der Berg" as last name, "van der" as middle name,
    or "Jan van der" as first name."""
    given_words = [w for w in _SPACE_RE.sub(" ", given).split() if not _is_title(w)]
    middle = _SPACE_RE.sub(" ", middle).strip()
    family = _SPACE_RE.sub(" ", family).strip()
    if tussenvoegsel is not None:
        full_given = " ".join([*given_words, middle]).strip()
        return _with_initials(full_given, tussenvoegsel.strip(), family)
    parts: list[str] = []
    cut = len(given_words)
    while cut > 1 and _is_particle(given_words[cut - 1]):
        cut -= 1
    parts.append(" ".join(given_words[cut:]))
    if middle and is_particles(middle):
        parts.append(middle)
        middle = ""
    lead, family_name, trail = _peel_particles(family.split())
    parts += [lead, trail]
    full_given = " ".join(w for w in [*given_words[:cut], middle] if w)
    return _with_initials(full_given, " ".join(p for p in parts if p), family_name)
