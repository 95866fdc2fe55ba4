"""Housing and agreed self-settlement API: the same services, selectors and policy as the pages."""

from ninja import Router

router = Router(tags=["housing"])
