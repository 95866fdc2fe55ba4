"""Who may do what with housing and self-settlement, written in terms of bro.core.policy.

These predicates only combine ``policy.memberships``, ``policy.access_to_person`` and
``policy.visible_persons``; the lead may move them into policy.py. The rules (docs/decisions/0009):

- **Terms**: anyone (also anonymous) reads published terms; a municipality's municipal settlement
  officer or administrator edits its own terms.
- **Self-settlement requests**: reception staff submit for households at their centre, national
  settlement officers for households the directorate is responsible for; in both cases the submitting
  organisation must be able to *write* every member. The requested municipality's settlement officers
  decide. A request is visible to the submitting organisation's submitters and to the municipality's
  settlement officers.
- **Housing units**: the municipality's settlement officers see and change their own units.
- **A household's housing page**: municipal settlement officers and programme advisers who can read
  *every* member of the household now (responsible now or shared; not history). Writes (allocate, end,
  support, guidance) need a settlement officer in the municipality that can *write* every member.
"""

from __future__ import annotations

from bro.core import policy
from bro.core.models import Organisation, User
from bro.core.roles import OrganisationKind, Role

TERMS_EDITOR_ROLES = frozenset({Role.MUNICIPAL_SETTLEMENT_OFFICER, Role.ADMINISTRATOR})
HOUSEHOLD_READ_ROLES = frozenset({Role.MUNICIPAL_SETTLEMENT_OFFICER, Role.PROGRAMME_ADVISER})
# Role → the kind of organisation it submits self-settlement requests from.
SUBMITTER_ROLES = {
    Role.RECEPTION_STAFF: OrganisationKind.RECEPTION_CENTRE,
    Role.NATIONAL_SETTLEMENT_OFFICER: OrganisationKind.DIRECTORATE,
}


def _orgs(user: User, roles, kind=OrganisationKind.MUNICIPALITY) -> list[Organisation]:
    seen, result = set(), []
    for m in policy.memberships(user):
        if m.role in roles and m.organisation.kind == kind and m.organisation_id not in seen:
            seen.add(m.organisation_id)
            result.append(m.organisation)
    return result


def terms_organisations(user: User) -> list[Organisation]:
    """Municipalities whose self-settlement terms the user may edit."""
    return _orgs(user, TERMS_EDITOR_ROLES)


def housing_municipalities(user: User) -> list[Organisation]:
    """Municipalities whose housing units and self-settlement decisions the user handles."""
    return _orgs(user, {Role.MUNICIPAL_SETTLEMENT_OFFICER})


def submitting_organisations(user: User) -> list[Organisation]:
    """Reception centres and directorates through which the user submits self-settlement requests."""
    seen, result = set(), []
    for m in policy.memberships(user):
        if SUBMITTER_ROLES.get(m.role) == m.organisation.kind and m.organisation_id not in seen:
            seen.add(m.organisation_id)
            result.append(m.organisation)
    return result


def can_use_requests(user: User) -> bool:
    return bool(submitting_organisations(user) or housing_municipalities(user))


def can_see_request(user: User, request) -> bool:
    submitting = {o.id for o in submitting_organisations(user)}
    deciding = {o.id for o in housing_municipalities(user)}
    return request.submitted_by_id in submitting or request.municipality_id in deciding


def can_decide_request(user: User, request) -> bool:
    return request.municipality_id in {o.id for o in housing_municipalities(user)}


def submitting_organisation_for(user: User, persons) -> Organisation | None:
    """The submitting organisation through which the user may write every one of ``persons``."""
    allowed = {o.id: o for o in submitting_organisations(user)}
    chosen = None
    for person in persons:
        access = policy.access_to_person(user, person)
        if not access.can_write or access.organisation is None or access.organisation.id not in allowed:
            return None
        if chosen is not None and chosen.id != access.organisation.id:
            return None
        chosen = access.organisation
    return chosen


def can_read_household_housing(user: User, persons) -> bool:
    """Every member readable now (responsible or shared, not history), by a housing-reading role."""
    if not persons or not (policy.roles(user) & HOUSEHOLD_READ_ROLES):
        return False
    ids = {p.pk for p in persons}
    visible = policy.visible_persons(user, current_only=True).filter(pk__in=ids).count()
    return visible == len(ids)


def household_housing_writer(user: User, persons) -> Organisation | None:
    """The municipality through which the user may change this household's housing, if any."""
    allowed = {o.id: o for o in housing_municipalities(user)}
    if not persons or not allowed:
        return None
    accepted_by = _municipality_that_accepted(persons, allowed)
    if accepted_by is not None:
        return accepted_by
    chosen = None
    for person in persons:
        access = policy.access_to_person(user, person)
        if not access.can_write or access.organisation is None or access.organisation.id not in allowed:
            return None
        if chosen is not None and chosen.id != access.organisation.id:
            return None
        chosen = access.organisation
    return chosen


def _municipality_that_accepted(persons, allowed: dict) -> Organisation | None:
    """A municipality that has accepted the household's settlement proposal finds its housing before
    the settlement date, while it still only reads the household through the proposal's shared access.
    """
    from bro.people.models import HouseholdMember
    from bro.settlement.models import ProposalStatus, SettlementProposal

    person_ids = {p.id for p in persons}
    households = set(
        HouseholdMember.objects.filter(person_id__in=person_ids).values_list("household_id", flat=True)
    )
    if len(households) > 1:
        return None
    unit = households.pop() if households else (next(iter(person_ids)) if len(person_ids) == 1 else None)
    if unit is None:
        return None
    proposal = (
        SettlementProposal.objects.filter(
            unit=unit, status=ProposalStatus.ACCEPTED, municipality_id__in=allowed
        )
        .only("municipality_id")
        .first()
    )
    return allowed[proposal.municipality_id] if proposal is not None else None
