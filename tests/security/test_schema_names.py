"""Every schema the API documents has one name: two classes of one name (in different apps)
would be merged into one in the OpenAPI document, and one operation's answer would be described
by the other's schema."""

from __future__ import annotations

from collections import Counter

from ninja import Schema


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


def test_no_two_api_schemas_share_a_name() -> None:
    import gilde.api  # noqa: F401  (imports every app's API module)

    ours = [c for c in _subclasses(Schema) if c.__module__.startswith("gilde.")]
    names = Counter(c.__name__ for c in ours)
    twice = {
        name: sorted(c.__module__ for c in ours if c.__name__ == name)
        for name, n in names.items()
        if n > 1
    }
    assert not twice, f"API schemas that share a name: {twice}"
