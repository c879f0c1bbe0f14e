"""The installation's kind (organisation or member network), read on every page for the words
the pages use (gilde.members.vocabulary): kept in the cache, so a page costs no query for it. A
change of kind clears the cache at once (on save and again on commit)."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gilde.members import vocabulary
from gilde.members.models import Network, NetworkKind

CACHE_KEY = "gilde:network-kind"
# With a cache of its own per process (the default), another web process sees a new kind within
# this many seconds; with a shared cache (CACHES), every process sees it at once.
CACHE_SECONDS = 300


def network_get() -> Network:
    """The installation's one network row, made (as an organisation) when first asked for."""
    network, _created = Network.objects.get_or_create(pk=1)
    return network


def network_kind() -> str:
    kind = cache.get(CACHE_KEY)
    if kind is None:
        found = Network.objects.filter(pk=1).values_list("kind", flat=True).first()
        kind = found or NetworkKind.ORGANISATION
        cache.set(CACHE_KEY, kind, CACHE_SECONDS)
    return str(kind)


def kind_remember(kind: str) -> None:
    cache.set(CACHE_KEY, kind, CACHE_SECONDS)
    vocabulary.kind_changed()


def kind_forget(sender: Any = None, **kwargs: Any) -> None:
    """The network row was saved: read its kind again, now and once the change is committed
    (a page read in between may have cached the old kind). The row made as an organisation when
    first asked for changes nothing: until then the installation was an organisation too."""
    instance = kwargs.get("instance")
    if kwargs.get("created") and getattr(instance, "kind", None) == NetworkKind.ORGANISATION:
        return

    def forget() -> None:
        cache.delete(CACHE_KEY)
        vocabulary.kind_changed()

    forget()
    transaction.on_commit(forget)


def is_member_network() -> bool:
    return network_kind() == NetworkKind.MEMBERS


# The words that differ between the two kinds: (organisation, member network). A page writes
# {{ words.colleagues }}; the member-network word has its own translation context, so "Members"
# and "Leden" are never confused with another "Members".
WORDS: dict[str, tuple[Any, Any]] = {
    "colleagues": (_("Colleagues"), pgettext_lazy("member network", "Members")),
    "colleague": (_("Colleague"), pgettext_lazy("member network", "Member")),
    "organisation": (_("Organisation"), pgettext_lazy("member network", "Network")),
}


def words_for(kind: str) -> dict[str, Any]:
    index = 1 if kind == NetworkKind.MEMBERS else 0
    return {key: pair[index] for key, pair in WORDS.items()}


def network_words(request: HttpRequest) -> dict[str, Any]:
    """Context processor: `words` (read only when a page uses them) and `member_network`."""
    return {
        "words": SimpleLazyObject(lambda: words_for(network_kind())),
        "member_network": SimpleLazyObject(is_member_network),
    }
