"""JSON API operations of imports."""

from ninja import Router

router = Router(tags=["imports"])
