"""Volunteering API: needs, activities, the overview, matches and grant schemes through the same
services, selectors and permissions as the pages (bro.volunteering.permissions and the sub-apps' permissions
decide; nothing is re-decided here).

Open public needs are read without login. What the user may not read answers 404, as everywhere in the API
(the pages answer some of these with 403); a write the user may not make on what they can read answers 403;
bad input answers 422 with the services' wording and changes nothing. A match shows only the fields of the
refugee the viewer may see (the page's selector).

Reads also My volunteering. Writes so far: a need's status, an organisation's answer to a need, a
volunteer's check-in. Sign-up, onboarding, activities, the rest of the matches and grant applications are on the pages only for now;
grant attachments stay page-only.
"""

from ninja import Router

from bro.volunteering.api import grants, matches, needs, volunteers

router = Router(tags=["volunteering"])
router.add_router("", needs.router)
router.add_router("", volunteers.router)
router.add_router("", matches.router)
router.add_router("", grants.router)
