"""Requests per client address, counted in the cache: the public pages (RSVP, the member
network's page to apply and its drop-in door) answer 429 when one address asks too often."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def over_limit(request: HttpRequest, scope: str, limit: int, *, seconds: int = 60) -> bool:
    """Count this request for its client address in the current window of `seconds`; True once
    there have been more than `limit` in it."""
    window = int(timezone.now().timestamp() // seconds)
    key = f"gilde:{scope}:{client_address(request)}:{window}"
    if cache.add(key, 1, timeout=seconds + 30):
        return limit < 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this is the first again
        return False
    return count > limit
