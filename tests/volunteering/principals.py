"""The principals both volunteering access matrices use beyond the `users` fixture (one per role)."""

from __future__ import annotations

from bro.core.roles import OrganisationKind, Role
from tests.conftest import make_org, make_user

OTHER_VOLUNTEER = "second volunteer"
COORDINATOR_ELSEWHERE = "coordinator elsewhere"
MUNICIPAL_COORDINATOR = "municipal coordinator"
STAFF_ELSEWHERE = "settlement officer elsewhere"
ANONYMOUS = "anonymous"


def extra_principals(chain, users) -> tuple[dict, object]:
    """Every role's user plus a second volunteer and a coordinator at a Tromsø volunteer centre, a volunteer
    coordinator in Harstad kommune and a Tromsø settlement officer; and that Tromsø centre."""
    tromso_centre = make_org(OrganisationKind.VOLUNTEER_CENTRE, "Tromsø frivilligsentral", "5501")
    found = dict(users)
    found[OTHER_VOLUNTEER] = make_user("volunteer2", tromso_centre, Role.VOLUNTEER)
    found[COORDINATOR_ELSEWHERE] = make_user("coordinator-tromso", tromso_centre, Role.VOLUNTEER_COORDINATOR)
    found[MUNICIPAL_COORDINATOR] = make_user("coordinator-harstad", chain.harstad, Role.VOLUNTEER_COORDINATOR)
    found[STAFF_ELSEWHERE] = make_user("tromso", chain.tromso, Role.MUNICIPAL_SETTLEMENT_OFFICER)
    return found, tromso_centre
