"""Who may do what in the settlement cycle, in terms of bro.core.policy's functions.

Kept here (not in bro.core.policy) while the issue is built; the lead may move it into the policy.

* National settlement officers (in the directorate) set the national need and its county split, send
  requests, propose municipalities for ready households and record a refused offer.
* Municipal settlement officers record their own municipality's council decision, answer proposals
  made to it and record the settlement date.
* Reception staff conduct the settlement interview for persons their centre is responsible for.
* The directorate overview is for national settlement officers and the directorate's leadership
  (aggregates only); a municipality's overview is for its settlement officers.
* Reading persons (ready list, waiting list, interview, proposals) follows ``policy.access_to_person``
  and ``policy.visible_persons``: a proposed municipality reads the household through the shared
  access the proposal grants (Integreringsloven § 10), until it answers.
"""

from __future__ import annotations

from bro.core import policy
from bro.core.models import Organisation, User
from bro.core.roles import OrganisationKind, Role


def _orgs(user: User, role: str, kind: str) -> list[Organisation]:
    seen, result = set(), []
    for m in policy.memberships(user):
        if m.role == role and m.organisation.kind == kind and m.organisation_id not in seen:
            seen.add(m.organisation_id)
            result.append(m.organisation)
    return result


def national_officer_organisation(user: User) -> Organisation | None:
    orgs = _orgs(user, Role.NATIONAL_SETTLEMENT_OFFICER, OrganisationKind.DIRECTORATE)
    return orgs[0] if orgs else None


def is_national_officer(user: User) -> bool:
    return national_officer_organisation(user) is not None


def can_view_national_overview(user: User) -> bool:
    return is_national_officer(user) or bool(_orgs(user, Role.LEADERSHIP, OrganisationKind.DIRECTORATE))


def municipal_officer_organisations(user: User) -> list[Organisation]:
    return [
        o
        for o in _orgs(user, Role.MUNICIPAL_SETTLEMENT_OFFICER, OrganisationKind.MUNICIPALITY)
        if o.is_settlement_municipality
    ]


def is_municipal_officer_of(user: User, municipality: Organisation) -> bool:
    return any(o.pk == municipality.pk for o in municipal_officer_organisations(user))


def reception_staff_organisations(user: User) -> list[Organisation]:
    return _orgs(user, Role.RECEPTION_STAFF, OrganisationKind.RECEPTION_CENTRE)


def can_view_waiting_list(user: User) -> bool:
    return (
        is_national_officer(user)
        or bool(municipal_officer_organisations(user))
        or bool(reception_staff_organisations(user))
    )


def can_conduct_interview(user: User, person) -> bool:
    """Reception staff of a centre that is responsible for the person now."""
    centres = {o.pk for o in reception_staff_organisations(user)}
    if not centres:
        return False
    from bro.people.models import Responsibility

    return Responsibility.objects.filter(
        person=person, organisation_id__in=centres, until__isnull=True
    ).exists()
