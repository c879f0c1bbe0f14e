"""JSON API operations of goodwill."""

from ninja import Router

router = Router(tags=["goodwill"])
