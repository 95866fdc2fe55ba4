"""Qualification API: the introduction programme and Norwegian training through the same services,
selectors and permissions as the pages (bro.qualification.permissions decides; nothing is re-decided here).

Cases and persons the user may not read answer 404, as everywhere; a write the user may not make on a case
they can read answers 403; bad input answers 422 with the services' messages and changes nothing.
Identity numbers appear only in the NIR export document, which needs them.
"""

from ninja import Router

from bro.qualification.api import attendance, cases, decisions, reports

router = Router(tags=["qualification"])
router.add_router("", cases.router)
router.add_router("", decisions.router)
router.add_router("", attendance.router)
router.add_router("", reports.router)
