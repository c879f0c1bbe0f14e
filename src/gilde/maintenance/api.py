"""JSON API operations of maintenance."""

from ninja import Router

router = Router(tags=["maintenance"])
