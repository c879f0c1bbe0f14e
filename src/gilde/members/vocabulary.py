"""The words of a member network on every page, e-mail and message: where an organisation says
*collega's* / *colleagues*, a member network says *leden* / *members*.

One mechanism for all of Gilde: the catalogs in `members/vocabulary/<language>/` hold the member
network's wording of every message that speaks of colleagues, and while the installation is a
member network they are laid over the ordinary catalogs whenever a language is activated (for a
page by the locale middleware, for an e-mail by `translation.override`). Code and templates go
on writing `_("Choose a colleague")`; nothing else changes. A test fails when a Dutch message
says *collega* and has no member-network wording here."""

from __future__ import annotations

import gettext as gettext_module
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import DatabaseError
from django.utils.translation import to_locale, trans_real

CATALOGS = Path(__file__).resolve().parent / "vocabulary"

_lock = threading.Lock()
_variants: dict[str, Any] = {}
_ordinary: Callable[[str], Any] | None = None


def _is_member_network() -> bool:
    from gilde.members.network import is_member_network

    try:
        return is_member_network()
    except (DatabaseError, RuntimeError):  # no database (yet, or not in this test): organisation
        return False


def member_network_translation(language: str) -> Any:
    """The ordinary translation of a language with the member network's words laid over it
    (made once per language and process)."""
    variant = _variants.get(language)
    if variant is None:
        with _lock:
            variant = _variants.get(language)
            if variant is None:
                variant = trans_real.DjangoTranslation(language)  # a fresh one: merge changes it
                overlay = gettext_module.translation(
                    "django", str(CATALOGS), [to_locale(language)], fallback=True
                )
                variant.merge(overlay)
                _variants[language] = variant
    return variant


def translation(language: str) -> Any:
    """trans_real.translation, in a member network with the member network's words."""
    assert _ordinary is not None
    if _is_member_network():
        return member_network_translation(language)
    return _ordinary(language)


def install() -> None:
    """Route Django's choice of a language's translation through `translation` (at start-up)."""
    global _ordinary
    if _ordinary is None:
        _ordinary = trans_real.translation
        trans_real.translation = translation


def kind_changed() -> None:
    """After the kind changes: the language active now and the default are chosen again."""
    setattr(trans_real, "_default", None)  # noqa: B010 - Django keeps it private
    language = trans_real.get_language()
    if language:
        trans_real.activate(language)


def reset() -> None:
    """Forget the made translations (when the catalogs or the languages change in a test)."""
    _variants.clear()


def settings_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"}:
        reset()
