"""Volunteering API: needs, activities, the overview, matches and grant schemes through the same
selectors and permissions as the pages (bro.volunteering.permissions and the sub-apps' permissions decide;
nothing is re-decided here).

Read operations only for now. What the user may not read answers 404, as everywhere in the API (the pages
answer some of these with 403). A match shows only the fields of the refugee the viewer may see (the same
selector as the page). Writes (publishing, sign-up, onboarding, matches, grant applications) stay on the
pages; grant attachments will stay page-only.
"""

from ninja import Router

from bro.volunteering.api import grants, matches, needs

router = Router(tags=["volunteering"])
router.add_router("", needs.router)
router.add_router("", matches.router)
router.add_router("", grants.router)
