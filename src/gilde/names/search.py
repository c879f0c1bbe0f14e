"""Search words: every form of a name a Dutch user might type, the words a person's search text
is found by, and the words of a query, all folded the same way. No Django imports."""

from __future__ import annotations

from gilde.names.dutch import PersonName, fold, initials_from

# Phones and word processors type a curly apostrophe in "’t Hooft"; stored names and queries
# both get the straight one, so either spelling finds the other.
_APOSTROPHES = str.maketrans("\u2019\u2018`\u00b4", "''''")

# "vd", "v.d." and "v/d" stand for any of van de, van der and van den; "v." for van.
_VD = ("vd", "v.d.", "v/d")
_SHORT_FORMS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("van de", "van der", "van den", "vd", "v.d.", "v.d", "v/d"), _VD),
    "van": ("v.",),
}
# A register that stored the short form itself is found by every particle it may stand for.
_LONG_FORMS = dict.fromkeys(("vd", "v.d.", "v.d", "v/d"), ("van de", "van der", "van den"))


def straighten(text: str) -> str:
    """Curly and other typed apostrophes as the straight one."""
    return text.translate(_APOSTROPHES)


def name_search_text(name: PersonName) -> str:
    """All forms a user might type, folded, in one string: "berg", "van der berg",
    "j. van der berg", "jan van der berg", "berg, jan", the abbreviated "vd berg" and
    "j.v.d. berg", a half of "vries-ijsselmuiden", and "'t hooft" as "t hooft" or "thooft"."""
    given, tussen, family = (
        fold(straighten(part)) for part in (name.given_name, name.tussenvoegsel, name.family_name)
    )
    initials = fold(name.initials or (initials_from(name.given_name) if name.given_name else ""))
    family_full = " ".join(p for p in (tussen, family) if p)
    forms = {
        family_full,
        " ".join(p for p in (given, family_full) if p),
        " ".join(p for p in (initials, family_full) if p),
        " ".join(p for p in (initials.replace(".", ""), family_full) if p),
        ", ".join(p for p in (family, " ".join(q for q in (given, tussen) if q)) if p),
    }
    if family:
        forms |= _short_particle_forms(initials, tussen, family)
        forms |= _elided_forms(tussen, family)
    full = " ".join(p for p in (given, family_full) if p)
    if "-" in full:  # "Vries-Ĳsselmuiden", "Jan-Willem": each half is a word of its own
        forms.add(full.replace("-", " "))
    return " ~ ".join(sorted(fold(f) for f in forms if f))


def _short_particle_forms(initials: str, tussen: str, family: str) -> set[str]:
    """ "vd berg", "v.d. berg", "v/d berg" and, glued to the initials as in letters,
    "j.v.d. berg"; a stored "vd" also as "van der berg", "van de berg" and "van den berg"."""
    shorts = _SHORT_FORMS.get(tussen, ())
    forms = {f"{short} {family}" for short in shorts}
    forms |= {f"{long} {family}" for long in _LONG_FORMS.get(tussen, ())}
    if initials:
        dotted = initials if initials.endswith(".") else initials + "."
        forms |= {f"{dotted}{short} {family}" for short in shorts if short.endswith(".")}
    return forms


def _elided_forms(tussen: str, family: str) -> set[str]:
    """A name with an apostrophe as typed without it: "'t hooft" as "t hooft" and "thooft",
    "van 't hek" as "van t hek", "d'ancona" as "dancona", "d'hondt" as "dhondt"."""
    family_full = " ".join(p for p in (tussen, family) if p)
    if "'" not in family_full:
        return set()
    forms = {family_full.replace("'", "")}
    words = tussen.split()
    if words and "'" in words[-1]:
        rest, elided = " ".join(words[:-1]), words[-1]
        glued = {elided.replace("'", "") + family}
        if elided.endswith("'"):  # "d' Ancona" is mostly written "d'Ancona"
            glued.add(elided + family)
        forms |= {" ".join(p for p in (rest, g) if p) for g in glued}
    return forms


def search_words(search_text: str) -> set[str]:
    """The words a search text is found by: each of its words, and for an e-mail address also
    its domain ("jan@mail.example.nl" gives "mail.example.nl" and "example.nl", not "nl")."""
    words = {word for word in search_text.split() if word != "~"}
    return words | {domain for word in words if "@" in word for domain in _domains(word)}


def _domains(address: str) -> list[str]:
    labels = address.rpartition("@")[2].split(".")
    if len(labels) < 2 or not all(labels):
        return []
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


def query_words(query: str) -> list[str]:
    """The words of a query as search words are stored: folded, commas as spaces, apostrophes
    straight, and a domain typed as "@example.nl" without its "@"."""
    words = (word.lstrip("@") for word in fold(straighten(query)).replace(",", " ").split())
    return [word for word in words if word]
