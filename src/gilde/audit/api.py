"""JSON API operations of audit."""

from ninja import Router

router = Router(tags=["audit"])
