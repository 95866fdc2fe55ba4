"""Who may see and do what with profiles, agreements and grants (in terms of bro.core.policy memberships).

* A civil-society profile is kept by the organisation's volunteer coordinators and administrators; any staff
  user may read it (it holds no personal data). Volunteers see none of this area.
* Agreements and dialogue meetings are made by the public body's administrators and volunteer coordinators
  and read by both parties' staff.
* A grant scheme is kept by its administrator organisation's administrators and, in a municipality, its
  volunteer coordinators; every staff user may read the catalogue.
* An application is made by the organisation's coordinators, read by them and the scheme's keepers, and
  decided by the scheme's keepers only.
"""

from __future__ import annotations

from bro.core import policy
from bro.core.models import Organisation, User
from bro.core.roles import STAFF_ROLES, OrganisationKind, Role
from bro.volunteering.permissions import CIVIL_SOCIETY_KINDS

K = OrganisationKind
R = Role
PROFILE_ROLES = frozenset({R.VOLUNTEER_COORDINATOR, R.ADMINISTRATOR})
AGREEMENT_ROLES = frozenset({R.VOLUNTEER_COORDINATOR, R.ADMINISTRATOR})
SCHEME_ADMINISTRATOR_KINDS = frozenset({K.DIRECTORATE, K.MUNICIPALITY})


def is_staff(user: User) -> bool:
    """Volunteers (and anonymous users) have no business in this area."""
    return bool(policy.roles(user) & STAFF_ROLES)


def _orgs(user: User, roles: frozenset, kinds: frozenset | None = None) -> list[Organisation]:
    seen, found = set(), []
    for m in policy.memberships(user):
        if (
            m.role in roles
            and (kinds is None or m.organisation.kind in kinds)
            and m.organisation.id not in seen
        ):
            seen.add(m.organisation.id)
            found.append(m.organisation)
    return found


def civil_society_organisations(user: User) -> list[Organisation]:
    """Volunteer organisations and centres whose profile and applications the user keeps."""
    return _orgs(user, PROFILE_ROLES, CIVIL_SOCIETY_KINDS)


def can_view_profile(user: User, organisation: Organisation) -> bool:
    return is_staff(user) and organisation.kind in CIVIL_SOCIETY_KINDS


def can_edit_profile(user: User, organisation: Organisation) -> bool:
    return organisation.id in {o.id for o in civil_society_organisations(user)}


def agreement_organisations(user: User) -> list[Organisation]:
    """Public bodies for which the user makes agreements (every kind but civil society)."""
    return [o for o in _orgs(user, AGREEMENT_ROLES) if o.kind not in CIVIL_SOCIETY_KINDS]


def can_manage_agreement(user: User, agreement) -> bool:
    return agreement.public_body_id in {o.id for o in agreement_organisations(user)}


def can_view_agreement(user: User, agreement) -> bool:
    if not is_staff(user):
        return False
    own = {m.organisation_id for m in policy.memberships(user) if m.role in STAFF_ROLES}
    return agreement.public_body_id in own or agreement.organisation_id in own


def visible_agreement_party_ids(user: User) -> set:
    return {m.organisation_id for m in policy.memberships(user) if m.role in STAFF_ROLES}


def scheme_organisations(user: User) -> list[Organisation]:
    """Administrator organisations whose schemes the user keeps."""
    found = _orgs(user, frozenset({R.ADMINISTRATOR}), SCHEME_ADMINISTRATOR_KINDS)
    found += _orgs(user, frozenset({R.VOLUNTEER_COORDINATOR}), frozenset({K.MUNICIPALITY}))
    return list({o.id: o for o in found}.values())


def can_keep_scheme(user: User, scheme) -> bool:
    return scheme.administrator_id in {o.id for o in scheme_organisations(user)}


def can_view_schemes(user: User) -> bool:
    return is_staff(user)


def can_apply(user: User, organisation: Organisation) -> bool:
    return can_edit_profile(user, organisation)


def can_view_application(user: User, application) -> bool:
    return can_apply(user, application.organisation) or can_keep_scheme(user, application.scheme)


def can_decide(user: User, application) -> bool:
    return can_keep_scheme(user, application.scheme)


def can_report(user: User, application) -> bool:
    return can_apply(user, application.organisation)
