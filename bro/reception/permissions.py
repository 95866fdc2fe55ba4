"""Who may see and change reception data, written in terms of bro.core.policy (memberships, person access).

Centre and host-municipality figures are aggregates (counts, capacities), not case files, so leadership
and administrators see them for their own organisation; person-level training records follow the
person policy (``policy.access_to_person``).

* A **centre** is seen by its own staff, leadership and administrators; by the host municipality's
  staff (settlement officers, programme advisers, health nurses, administrators, leadership) for the
  centres in their municipality; and by the directorate's settlement officers, administrators and
  leadership for every centre. Its capacity and occupancy changes are recorded by its reception
  staff, or by a national settlement officer in the directorate.
* A **host municipality**'s load, service capacities and demand are seen by its staff as above and by
  the directorate; its service capacities are recorded by its settlement officers, programme
  advisers, health nurses and administrators (leadership only reads).
* A person's **training record** is read by anyone who may read the person (so the settlement
  municipality sees it after settlement, 002:L91), and written by the reception staff of the centre
  the person lives in, or by a settlement officer or programme adviser of that centre's host
  municipality, while that responsibility is open.

The lead may move these predicates into bro.core.policy.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from bro.core import policy
from bro.core.models import Organisation, User
from bro.core.roles import OrganisationKind, Role

R = Role
CENTRE_VIEW_ROLES = frozenset({R.RECEPTION_STAFF, R.LEADERSHIP, R.ADMINISTRATOR})
CENTRE_WRITE_ROLES = frozenset({R.RECEPTION_STAFF})
HOST_WRITE_ROLES = frozenset(
    {R.MUNICIPAL_SETTLEMENT_OFFICER, R.PROGRAMME_ADVISER, R.HEALTH_NURSE, R.ADMINISTRATOR}
)
HOST_VIEW_ROLES = HOST_WRITE_ROLES | {R.LEADERSHIP}
DIRECTORATE_VIEW_ROLES = frozenset({R.NATIONAL_SETTLEMENT_OFFICER, R.ADMINISTRATOR, R.LEADERSHIP})
DIRECTORATE_WRITE_ROLES = frozenset({R.NATIONAL_SETTLEMENT_OFFICER})
# Training is recorded by those who give it: the centre's staff or the host municipality's case workers.
TRAINING_CENTRE_ROLES = frozenset({R.RECEPTION_STAFF})
TRAINING_HOST_ROLES = frozenset({R.MUNICIPAL_SETTLEMENT_OFFICER, R.PROGRAMME_ADVISER})


def _orgs(user: User, kind: str, roles: frozenset, *, host_only: bool = False) -> list[Organisation]:
    return [
        m.organisation
        for m in policy.memberships(user)
        if m.role in roles
        and m.organisation.kind == kind
        and (not host_only or m.organisation.is_host_municipality)
    ]


def is_directorate_viewer(user: User) -> bool:
    return bool(_orgs(user, OrganisationKind.DIRECTORATE, DIRECTORATE_VIEW_ROLES))


def is_directorate_writer(user: User) -> bool:
    return bool(_orgs(user, OrganisationKind.DIRECTORATE, DIRECTORATE_WRITE_ROLES))


def own_centres(user: User) -> list[Organisation]:
    """Centres the user works in (staff, leadership, administrator)."""
    return _orgs(user, OrganisationKind.RECEPTION_CENTRE, CENTRE_VIEW_ROLES)


def viewable_host_municipalities(user: User) -> QuerySet[Organisation]:
    hosts = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, is_host_municipality=True)
    if is_directorate_viewer(user):
        return hosts
    ids = {o.id for o in _orgs(user, OrganisationKind.MUNICIPALITY, HOST_VIEW_ROLES, host_only=True)}
    return hosts.filter(id__in=ids)


def own_host_municipalities(user: User) -> list[Organisation]:
    """Host municipalities the user works in (not the directorate's view of all)."""
    return _orgs(user, OrganisationKind.MUNICIPALITY, HOST_VIEW_ROLES, host_only=True)


def viewable_centres(user: User) -> QuerySet[Organisation]:
    centres = Organisation.objects.filter(kind=OrganisationKind.RECEPTION_CENTRE)
    if is_directorate_viewer(user):
        return centres
    own = {o.id for o in own_centres(user)}
    host_municipalities = {o.municipality_id for o in own_host_municipalities(user)}
    return centres.filter(Q(id__in=own) | Q(municipality_id__in=host_municipalities))


def can_view_centre(user: User, centre: Organisation) -> bool:
    return viewable_centres(user).filter(pk=centre.pk).exists()


def can_manage_centre(user: User, centre: Organisation) -> bool:
    """Record capacity and occupancy changes for ``centre``."""
    if centre.kind != OrganisationKind.RECEPTION_CENTRE:
        return False
    if is_directorate_writer(user):
        return True
    return any(o.id == centre.id for o in _orgs(user, OrganisationKind.RECEPTION_CENTRE, CENTRE_WRITE_ROLES))


def can_view_host(user: User, municipality: Organisation) -> bool:
    return viewable_host_municipalities(user).filter(pk=municipality.pk).exists()


def can_manage_host(user: User, municipality: Organisation) -> bool:
    """Record the host municipality's service capacities."""
    return any(
        o.id == municipality.id
        for o in _orgs(user, OrganisationKind.MUNICIPALITY, HOST_WRITE_ROLES, host_only=True)
    )


def training_organisations(user: User, person) -> list[Organisation]:
    """The user's organisations that may record training for ``person`` now (empty: none)."""
    from bro.people.models import Responsibility
    from bro.people.rules import RECEPTION_PHASES

    if person.current_phase not in RECEPTION_PHASES:
        return []  # a person who has left reception (settled, returned) gets no more reception training
    open_rows = set(
        Responsibility.objects.filter(person=person, until__isnull=True).values_list(
            "organisation_id", "reason"
        )
    )
    result = []
    for org in _orgs(user, OrganisationKind.RECEPTION_CENTRE, TRAINING_CENTRE_ROLES):
        if (org.id, Responsibility.Reason.PHASE) in open_rows and org not in result:
            result.append(org)
    for org in _orgs(user, OrganisationKind.MUNICIPALITY, TRAINING_HOST_ROLES):
        if (org.id, Responsibility.Reason.HOST_MUNICIPALITY) in open_rows and org not in result:
            result.append(org)
    return result
