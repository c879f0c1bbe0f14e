"""JSON API operations of privacy."""

from ninja import Router

router = Router(tags=["privacy"])
