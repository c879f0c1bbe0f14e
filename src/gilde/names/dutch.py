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
        "van", "de", "der", "den", "het", "'t", "t", "te", "ten", "ter", "in", "op", "onder",
        "over", "aan", "bij", "uit", "voor", "la", "le", "les", "du", "des", "d'", "di", "da",
        "dal", "del", "della", "dos", "das", "von", "vom", "zum", "zur", "am", "auf", "l'", "'s",
        "s", "uijt", "uyt", "vd", "v/d", "v.d.",
    }
)  # fmt: skip

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


def _initials_from(given: str) -> str:
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
        rest_words = rest.split()
        # "Berg, Jan van der": the particles trail the given name.
        cut = len(rest_words)
        while cut > 0 and _is_particle(rest_words[cut - 1]):
            cut -= 1
        given = " ".join(rest_words[:cut])
        tussen = " ".join(rest_words[cut:])
        return _with_initials(given, tussen, family_part.strip())
    words = [w for w in text.split() if fold(w).rstrip(".") not in _TITLES]
    if len(words) == 1:
        return PersonName(family_name=words[0])
    # The family name starts at the first particle after the given name, or is the last word.
    start = len(words) - 1
    for i in range(1, len(words) - 1):
        if _is_particle(words[i]):
            start = i
            break
    given = " ".join(words[:start])
    rest = words[start:]
    cut = 0
    while cut < len(rest) - 1 and _is_particle(rest[cut]):
        cut += 1
    return _with_initials(given, " ".join(rest[:cut]), " ".join(rest[cut:]))


_TITLES = frozenset(
    {"dr", "drs", "ir", "ing", "mr", "prof", "mevr", "dhr", "mw", "ds", "bc", "msc", "bsc", "phd"}
)


def _with_initials(given: str, tussen: str, family: str) -> PersonName:
    if given and all(_is_initials(w) for w in given.split()):
        compact = given.replace(" ", "")
        initials = compact if compact.endswith(".") or len(compact) > 3 else _initials_from(compact)
        if not compact.endswith(".") and compact.isupper():
            initials = "".join(c + "." for c in compact)
        return PersonName(initials=initials, tussenvoegsel=tussen.lower(), family_name=family)
    return PersonName(
        given_name=given,
        initials=_initials_from(given) if given else "",
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
    return "|".join(fold(p) for p in (name.family_name, name.given_name or name.initials,
                                       name.tussenvoegsel))  # fmt: skip


def name_search_text(name: PersonName) -> str:
    """All forms a user might type, folded, in one string for substring search: "berg",
    "van der berg", "j. van der berg", "jan van der berg", "berg, jan"."""
    first = name.given_name
    initials = name.initials
    family_full = " ".join(p for p in (name.tussenvoegsel, name.family_name) if p)
    forms = {
        family_full,
        " ".join(p for p in (first, family_full) if p),
        " ".join(p for p in (initials, family_full) if p),
        " ".join(p for p in (initials.replace(".", ""), family_full) if p),
        ", ".join(p for p in (name.family_name, " ".join(q for q in (first, name.tussenvoegsel) if q)) if p),
    }
    return " ~ ".join(sorted(fold(f) for f in forms if f))
