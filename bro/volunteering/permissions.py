"""Who may see and do what with civil society, in terms of bro.core.policy memberships.

Volunteering records are not case files: a volunteer's own record is theirs, and of a refugee a volunteer
sees only what the refugee consented to share in a match (bro.volunteering.matches). Needs never carry
personal data, so they are readable by every logged-in user and, when public, by anyone.

* **Coordinators** (volunteer coordinators) manage their organisation's volunteers, onboarding and
  activities, and answer needs for volunteer organisations and centres.
* **Need publishers** — a municipality's settlement officers, programme advisers, volunteer coordinators
  and administrators, a reception centre's staff, a NAV office's programme advisers — publish and close
  needs for their organisation.
* **A volunteer** sees and changes their own sign-up, and sees their own activities and matches.
* **The overview** (who does what, where, for whom) is seen by a municipality's staff, leadership and
  coordinators for their municipality, and by the directorate for every municipality.
"""

from __future__ import annotations

from bro.core import policy
from bro.core.models import Organisation, User
from bro.core.roles import OrganisationKind, Role

R = Role
K = OrganisationKind
COORDINATOR_ROLES = frozenset({R.VOLUNTEER_COORDINATOR})
PUBLISHER_ROLES_BY_KIND = {
    K.MUNICIPALITY: frozenset(
        {R.MUNICIPAL_SETTLEMENT_OFFICER, R.PROGRAMME_ADVISER, R.VOLUNTEER_COORDINATOR, R.ADMINISTRATOR}
    ),
    K.RECEPTION_CENTRE: frozenset({R.RECEPTION_STAFF}),
    K.NAV_OFFICE: frozenset({R.PROGRAMME_ADVISER}),
}
CIVIL_SOCIETY_KINDS = frozenset({K.VOLUNTEER_ORGANISATION, K.VOLUNTEER_CENTRE})
MUNICIPAL_OVERVIEW_ROLES = frozenset(
    {
        R.MUNICIPAL_SETTLEMENT_OFFICER,
        R.PROGRAMME_ADVISER,
        R.VOLUNTEER_COORDINATOR,
        R.ADMINISTRATOR,
        R.LEADERSHIP,
        R.HEALTH_NURSE,
    }
)
NATIONAL_OVERVIEW_ROLES = frozenset({R.NATIONAL_SETTLEMENT_OFFICER, R.LEADERSHIP, R.ADMINISTRATOR})


def _unique(orgs) -> list[Organisation]:
    seen, result = set(), []
    for org in orgs:
        if org.id not in seen:
            seen.add(org.id)
            result.append(org)
    return result


def coordinator_organisations(user: User) -> list[Organisation]:
    """Organisations whose volunteers, onboarding and activities the user manages."""
    return _unique(m.organisation for m in policy.memberships(user) if m.role in COORDINATOR_ROLES)


def answering_organisations(user: User) -> list[Organisation]:
    """Volunteer organisations and centres for which the user answers needs."""
    return [o for o in coordinator_organisations(user) if o.kind in CIVIL_SOCIETY_KINDS]


def publishing_organisations(user: User) -> list[Organisation]:
    """Organisations for which the user publishes needs."""
    return _unique(
        m.organisation
        for m in policy.memberships(user)
        if m.role in PUBLISHER_ROLES_BY_KIND.get(m.organisation.kind, frozenset())
    )


def can_manage_organisation(user: User, organisation: Organisation) -> bool:
    return organisation.id in {o.id for o in coordinator_organisations(user)}


def can_manage_need(user: User, need) -> bool:
    return need.organisation_id in {o.id for o in publishing_organisations(user)}


def own_volunteer(user: User):
    """The user's own volunteer record, if they have one."""
    if not user.is_authenticated:
        return None
    from bro.volunteering.models import Volunteer

    return Volunteer.objects.filter(user=user).first()


def overview_municipality_ids(user: User) -> list | None:
    """Municipality registry ids whose overview the user sees; ``None`` means every municipality."""
    if any(
        m.role in NATIONAL_OVERVIEW_ROLES and m.organisation.kind == K.DIRECTORATE
        for m in policy.memberships(user)
    ):
        return None
    return sorted(
        {
            m.organisation.municipality_id
            for m in policy.memberships(user)
            if m.role in MUNICIPAL_OVERVIEW_ROLES
            and m.organisation.kind == K.MUNICIPALITY
            and m.organisation.municipality_id
        }
    )


def can_see_overview(user: User) -> bool:
    found = overview_municipality_ids(user)
    return found is None or bool(found)
