"""Who may see and change qualification records, in terms of bro.core.policy.

* A participant's **case** (mapping, plan, decisions, attendance, benefit) is read by programme advisers,
  municipal settlement officers and teachers who may read the person under the person policy: the
  municipality responsible now, the municipality responsible before (read-only history after a move),
  and the adult-education centre the case is assigned to (shared access with a legal basis, given when
  the case is assigned). Nobody else: not volunteers, not leadership (they get aggregates), not a third
  municipality.
* A case is **managed** (mapping, plan, decisions, start, end) by the programme advisers of the case's
  municipality while that municipality is responsible for the person.
* **Attendance and tests** are recorded by those who manage the case and by the teachers of the
  adult-education centre the case is assigned to.
* The **training history** (reception training, attendance in training measures, tests) is read by anyone
  who may read the person (002:L91–93), through the same policy.
* **Aggregates** (the monitor, the leadership overview) are seen by a municipality's programme advisers
  and leadership for their own municipality, and by the directorate's leadership and settlement
  officers for every municipality.
* The **NIR export** is made by a municipality's programme advisers for their own municipality.
"""

from __future__ import annotations

from bro.core import policy
from bro.core.models import Organisation, User
from bro.core.roles import OrganisationKind, Role

R = Role
CASE_READ_ROLES = frozenset({R.PROGRAMME_ADVISER, R.MUNICIPAL_SETTLEMENT_OFFICER, R.TEACHER})
MANAGE_ROLES = frozenset({R.PROGRAMME_ADVISER})
TEACHING_ROLES = frozenset({R.TEACHER})
MUNICIPAL_OVERVIEW_ROLES = frozenset({R.PROGRAMME_ADVISER, R.LEADERSHIP})
NATIONAL_OVERVIEW_ROLES = frozenset({R.LEADERSHIP, R.NATIONAL_SETTLEMENT_OFFICER})


def _orgs(user: User, roles: frozenset, kind: str | None = None) -> list[Organisation]:
    seen, result = set(), []
    for m in policy.memberships(user):
        if (
            m.role in roles
            and (kind is None or m.organisation.kind == kind)
            and m.organisation_id not in seen
        ):
            seen.add(m.organisation_id)
            result.append(m.organisation)
    return result


def adviser_municipalities(user: User) -> list[Organisation]:
    """Municipalities in which the user is a programme adviser."""
    return _orgs(user, MANAGE_ROLES, OrganisationKind.MUNICIPALITY)


def teaching_organisations(user: User) -> list[Organisation]:
    return _orgs(user, TEACHING_ROLES, OrganisationKind.ADULT_EDUCATION)


def overview_municipalities(user: User) -> list[Organisation] | None:
    """Municipalities whose aggregates the user sees; ``None`` means all of them (the directorate)."""
    if _orgs(user, NATIONAL_OVERVIEW_ROLES, OrganisationKind.DIRECTORATE):
        return None
    return _orgs(user, MUNICIPAL_OVERVIEW_ROLES, OrganisationKind.MUNICIPALITY)


def can_see_overview(user: User) -> bool:
    found = overview_municipalities(user)
    return found is None or bool(found)


def can_read_case(user: User, participant) -> bool:
    if not policy.roles(user) & CASE_READ_ROLES:
        return False
    return policy.access_to_person(user, participant.person).can_read


def can_manage_case(user: User, participant) -> bool:
    if participant.municipality_id not in {o.id for o in adviser_municipalities(user)}:
        return False
    access = policy.access_to_person(user, participant.person)
    return (
        access.can_write
        and access.organisation is not None
        and access.organisation.id == participant.municipality_id
    )


def can_record_attendance(user: User, participant) -> bool:
    if participant.adult_education_id and participant.adult_education_id in {
        o.id for o in teaching_organisations(user)
    }:
        return can_read_case(user, participant)
    return can_manage_case(user, participant)


def can_open_case(user: User, person) -> Organisation | None:
    """The municipality for which the user may open a case for ``person``, if any."""
    access = policy.access_to_person(user, person)
    if not access.can_write or access.organisation is None:
        return None
    if access.organisation.id in {o.id for o in adviser_municipalities(user)}:
        return access.organisation
    return None


def group_organisations(user: User) -> list[Organisation]:
    """Organisations whose teaching groups the user keeps: their adult-education centres and, for
    advisers, their municipalities."""
    return teaching_organisations(user) + adviser_municipalities(user)


def can_use_group(user: User, group) -> bool:
    return group.organisation_id in {o.id for o in group_organisations(user)}


def can_export(user: User, municipality: Organisation) -> bool:
    return municipality.id in {o.id for o in adviser_municipalities(user)}


def can_read_training_history(user: User, person) -> bool:
    return policy.access_to_person(user, person).can_read
