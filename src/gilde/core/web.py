"""Small pieces every page uses: the member behind the request, 404 for what is out of scope,
and pagination."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from gilde import visibility
from gilde.accounts.models import Member
from gilde.accounts.services import administrator_member_ensure

T = TypeVar("T")
View = Callable[..., HttpResponseBase]


def current_member(request: HttpRequest) -> Member:
    member = visibility.member_of(request.user)
    if member is None and getattr(request.user, "is_superuser", False) and request.user.is_active:
        # First login of a superuser made outside Gilde's createsuperuser (Django's own, the
        # shell): they become the administrator member instead of seeing nothing.
        member = administrator_member_ensure(user=request.user)
    if member is None:
        raise Http404
    return member


def member_required(view: View) -> View:
    """Logged in and a member of the network; a login without a member sees nothing."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        current_member(request)
        return view(request, *args, **kwargs)

    return wrapper


def safe_next(request: HttpRequest, target: str, default: str) -> str:
    """Where a form's `next` may send the user: a path on this site (never another host, and
    never a bare word, which redirect() would take for a view's name); else `default`, a URL
    name or path."""
    if (
        target.startswith("/")
        and "\x00" not in target
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return resolve_url(default)


def get_or_404(getter: Callable[..., T], **kwargs: Any) -> T:
    """Call a scoped selector; anything the user may not see simply does not exist for them, nor
    does an id beyond the database's integer range (SQLite raises OverflowError for one in a
    filter on a related field)."""
    try:
        return getter(**kwargs)
    except (ObjectDoesNotExist, OverflowError) as exc:
        raise Http404 from exc


def paginate(
    request: HttpRequest, qs: QuerySet[Any] | Sequence[Any], per_page: int | None = None
) -> Page:
    paginator = Paginator(qs, per_page or settings.GILDE_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The current filters as a query string, for pagination and sort links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# The largest id a database column holds (64-bit signed, on SQLite and PostgreSQL alike).
MAX_ID = 2**63 - 1


def parse_id(value: str) -> int | None:
    """A record id typed into a link or form, or None: only ASCII digits count ("²" is a digit
    to str.isdigit but not to int), and a number no column can hold matches nothing."""
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if number <= MAX_ID else None


def parse_ids(values: list[str]) -> list[int]:
    return [number for number in map(parse_id, values) if number is not None]


def int_param(request: HttpRequest, name: str) -> int | None:
    return parse_id(request.GET.get(name, ""))


def apply_validation_error(form: BaseForm, error: ValidationError) -> None:
    """Show a service's validation error on the form fields it names (or on the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@dataclass
class FeedPage:
    """A page of a long, newest-first list without counting every row (a count of all signals
    in a million contact moments costs more than the page itself)."""

    items: list[Any]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def feed_page(request: HttpRequest, qs: QuerySet[Any], per_page: int = 25) -> FeedPage:
    number = min(parse_id(request.GET.get("page", "1")) or 1, 10_000)
    start = (number - 1) * per_page
    items = list(qs[start : start + per_page + 1])
    return FeedPage(items=items[:per_page], number=number, has_next=len(items) > per_page)
