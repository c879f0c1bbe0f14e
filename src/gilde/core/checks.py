"""System checks: the front-end files the pages load are in place (a checkout needs
`make frontend`; a built wheel carries them)."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Warning, register

from gilde.core import frontend


@register()
def frontend_files_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    missing = frontend.missing_files()
    if not missing:
        return []
    return [
        Warning(
            f"The front-end files {', '.join(missing)} are missing from {frontend.VENDOR_DIR}: "
            "pages will have no styles or htmx.",
            hint="In a checkout run `make frontend` (npm ci, then the copy); or install a wheel "
            "built with `python -m build`.",
            id="gilde.W001",
        )
    ]
