"""A new Gilde, empty but for its administrator: no page answers 404 or 500 to them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Answers that are no dead end: a page, a redirect, "use POST" (forms and buttons), an htmx
# fragment or the admin's autocomplete asking for its parameters, the API asking for its token.
FINE = {200, 302, 400, 401, 403, 405}
# Single sign-on's pages exist only once it is configured (GILDE_OIDC_CLIENT_ID): 404 until then.
# Single sign-on needs configuring; the public page to apply exists only in a member network
# (tests/members/test_applications.py).
OFF_UNLESS_CONFIGURED = {"oidc_start", "oidc_callback", "join", "join_thanks"}


def _paths(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Every (path, name) the URL configuration answers without a value in the path."""
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        if pattern.regex.groups or getattr(pattern, "converters", None):
            continue  # needs an id or a value: reached from the pages below, tested with data
        route = str(pattern).removeprefix("^").removesuffix("$").replace("\\", "")
        if isinstance(entry, URLResolver):
            yield from _paths(entry, prefix + route)
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + route, entry.name or ""


def test_the_walk_reaches_the_main_pages() -> None:
    names = {name for _path, name in _paths(get_resolver())}

    assert {"dashboard", "person_list", "organisation_list", "import_list", "member_list"} <= names
    assert "/admin/" in {path for path, _name in _paths(get_resolver())}


def test_no_page_answers_404_or_500_to_the_administrator_of_an_empty_gilde(administrator):
    answers = {}
    for path, name in sorted(set(_paths(get_resolver()))):
        if name in OFF_UNLESS_CONFIGURED:
            continue
        response = administrator.get(path)
        if response.status_code == 302:
            target = response["Location"]
            answers[f"{path} -> {target}"] = administrator.get(target).status_code
        answers[path] = response.status_code

    wrong = {path: status for path, status in answers.items() if status not in FINE}
    assert wrong == {}
    assert answers["/"] == 200


@pytest.mark.parametrize(
    "name", ["person_list", "organisation_list", "member_list", "import_list", "audit_list"]
)
def test_the_list_pages_answer_an_empty_gilde_with_filters_and_pages(administrator, name):
    url = reverse(name)

    for query in ("", "?q=berg", "?page=2", "?page=999&q=van+der&sort=-name", "?tier=A&page=x"):
        assert administrator.get(url + query).status_code == 200, url + query
