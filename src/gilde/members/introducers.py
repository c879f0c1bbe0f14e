"""Who introduced an applicant: the name they typed on the public page matched to members with
the project's Dutch name rules ("jan vd berg" finds "Jan van der Berg", "Celik" finds "Çelik"),
not as exact text. One member found: that is the introducer; several: the coordinator chooses."""

from __future__ import annotations

from django.db.models import QuerySet

from gilde.accounts.models import Member
from gilde.accounts.selectors import member_sort_key
from gilde.names import fold, name_search_text, query_words, search_words
from gilde.names.dutch import split_parts


def _words_of(member: Member) -> tuple[set[str], set[str], str]:
    """A member's search words, the whole forms of their name, and their folded family name."""
    user = member.user
    name = split_parts(user.first_name, user.last_name)
    text = name_search_text(name)
    return search_words(text), set(text.split(" ~ ")), fold(name.family_name)


def introducer_candidates(typed: str, *, among: QuerySet[Member] | None = None) -> list[Member]:
    """The active members the typed name may mean, in Dutch name order. Every word typed must
    be a word of the member's name (in any of the forms a Dutch user writes it), the family name
    among them; when some members' names are exactly what was typed (more than a family name),
    only those. A page passes
    `among` (the reader's visibility scope); the public form matches against every member."""
    words = query_words(typed)[:8]
    if not words:
        return []
    typed_form = " ".join(words)
    found: list[tuple[bool, Member]] = []
    members = (Member.objects.all() if among is None else among).filter(user__is_active=True)
    members = members.select_related("user")
    for member in members:
        member_words, forms, family = _words_of(member)
        if family and family in words and all(w in member_words for w in words):
            found.append((typed_form in forms, member))
    # a family name alone ("berg") is exactly the name of Jan Berg but may mean any Berg
    exact = [member for is_exact, member in found if is_exact] if len(words) > 1 else []
    chosen = exact or [member for _exact, member in found]
    return sorted(
        chosen,
        key=lambda m: (member_sort_key(m.user.first_name, m.user.last_name), m.pk),
    )


def introducer_match(typed: str) -> Member | None:
    """The one member the typed name means, or None (no one, or more than one)."""
    candidates = introducer_candidates(typed)
    return candidates[0] if len(candidates) == 1 else None
