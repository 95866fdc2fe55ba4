"""Reception and host municipalities API: the same services, selectors and policy as the pages."""

from ninja import Router

router = Router(tags=["reception"])
