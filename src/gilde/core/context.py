from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gilde import visibility


def gilde(request: HttpRequest) -> dict[str, Any]:
    """The acting member for every template (None on the login page)."""
    return {"current_member": visibility.member_of(getattr(request, "user", None))}
