"""The one place that decides who may see and do what.

A user sees a person only when one of their organisations is responsible for the person now
(read and, for writing roles, write), was responsible before (read-only history), or has been given
shared access with a recorded legal basis or the person's consent (read-only). Only roles that need
case files (``PERSON_READ_ROLES``) get any of this; volunteers, volunteer coordinators, leadership and
administrators see no person records. Every view and API endpoint asks here; the access-matrix test
checks the answers for every role.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from bro.core.models import Membership, Organisation, User
from bro.core.roles import PERSON_READ_ROLES, PERSON_WRITE_ROLES, STAFF_ROLES, OrganisationKind, Role


def memberships(user: User) -> list[Membership]:
    """The user's memberships, cached on the user object for the request."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_bro_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, organisation__is_active=True).select_related("organisation")
        )
        user._bro_memberships = cached
    return cached


def roles(user: User) -> set[str]:
    return {m.role for m in memberships(user)}


def _org_ids_with_roles(user: User, wanted: frozenset[str]) -> set:
    return {m.organisation_id for m in memberships(user) if m.role in wanted}


def is_system_administrator(user: User) -> bool:
    """Superusers, and administrators in the national directorate, administer every organisation."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(
        m.role == Role.ADMINISTRATOR and m.organisation.kind == OrganisationKind.DIRECTORATE
        for m in memberships(user)
    )


def administered_organisations(user: User) -> QuerySet[Organisation]:
    if is_system_administrator(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(id__in=_org_ids_with_roles(user, frozenset({Role.ADMINISTRATOR})))


def can_administer(user: User) -> bool:
    return is_system_administrator(user) or Role.ADMINISTRATOR in roles(user)


def can_read_persons_at_all(user: User) -> bool:
    return bool(roles(user) & PERSON_READ_ROLES)


@dataclass(frozen=True)
class PersonAccess:
    can_read: bool = False
    can_write: bool = False
    organisation: Organisation | None = None  # the organisation through which access is given
    reason: str = ""  # "responsible", "history" or "shared"


NO_ACCESS = PersonAccess()


def _active_shared_access(today: datetime.date):
    from bro.people.models import SharedAccess

    return SharedAccess.objects.filter(revoked_at__isnull=True).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )


def access_to_person(user: User, person) -> PersonAccess:
    """What ``user`` may do with ``person``, and through which of their organisations."""
    from bro.people.models import Responsibility

    read_orgs = _org_ids_with_roles(user, PERSON_READ_ROLES)
    if not read_orgs:
        return NO_ACCESS
    write_orgs = _org_ids_with_roles(user, PERSON_WRITE_ROLES)
    orgs_by_id = {m.organisation_id: m.organisation for m in memberships(user)}

    rows = list(
        Responsibility.objects.filter(person=person, organisation_id__in=read_orgs).values_list(
            "organisation_id", "until"
        )
    )
    current = [org_id for org_id, until in rows if until is None]
    for org_id in current:
        if org_id in write_orgs:
            return PersonAccess(True, True, orgs_by_id[org_id], "responsible")
    if current:
        return PersonAccess(True, False, orgs_by_id[current[0]], "responsible")
    if rows:
        return PersonAccess(True, False, orgs_by_id[rows[0][0]], "history")
    today = timezone.localdate()
    shared = (
        _active_shared_access(today)
        .filter(person=person, organisation_id__in=read_orgs)
        .values_list("organisation_id", flat=True)
        .first()
    )
    if shared:
        return PersonAccess(True, False, orgs_by_id[shared], "shared")
    return NO_ACCESS


def visible_persons(user: User, queryset: QuerySet | None = None, *, current_only: bool = False) -> QuerySet:
    """Persons ``user`` may read.

    ``current_only`` leaves out the read-only history (persons an organisation of theirs was responsible
    for before); persons shared with them stay, since they work with them now.
    """
    from bro.people.models import Person, Responsibility

    queryset = Person.objects.all() if queryset is None else queryset
    read_orgs = _org_ids_with_roles(user, PERSON_READ_ROLES)
    if not read_orgs:
        return queryset.none()
    # IN (subquery) rather than a correlated EXISTS per person: the subqueries use the
    # (organisation, until) index and return the few persons of these organisations, so the cost
    # follows the organisation's caseload, not the national register (benchmarks/bench_person_list.py).
    responsibilities = Responsibility.objects.filter(organisation_id__in=read_orgs)
    if current_only:
        responsibilities = responsibilities.filter(until__isnull=True)
    shared = _active_shared_access(timezone.localdate()).filter(organisation_id__in=read_orgs)
    return queryset.filter(
        Q(pk__in=responsibilities.values("person_id")) | Q(pk__in=shared.values("person_id"))
    )


def registering_organisations(user: User) -> list[Organisation]:
    """Organisations on whose behalf the user may register a new person.

    Reception centres register arrivals; the directorate registers resettlement refugees; settlement
    municipalities register family-reunified persons who come straight to them.
    """
    allowed_kinds = {
        OrganisationKind.RECEPTION_CENTRE,
        OrganisationKind.DIRECTORATE,
        OrganisationKind.MUNICIPALITY,
    }
    seen, result = set(), []
    for m in memberships(user):
        if (
            m.role in PERSON_WRITE_ROLES
            and m.organisation.kind in allowed_kinds
            and m.organisation_id not in seen
        ):
            seen.add(m.organisation_id)
            result.append(m.organisation)
    return result


def can_view_audit_log(user: User) -> bool:
    return can_administer(user)


def audit_log_organisations(user: User) -> QuerySet[Organisation] | None:
    """``None`` means every organisation (system administrators)."""
    if is_system_administrator(user):
        return None
    return administered_organisations(user)


def requires_two_factor(user: User) -> bool:
    """Staff roles must use TOTP when the deployment says so or an organisation of theirs demands it."""
    staff_memberships = [m for m in memberships(user) if m.role in STAFF_ROLES]
    if not staff_memberships:
        return False
    if settings.BRO_TWO_FACTOR_REQUIRED:
        return True
    return any(m.organisation.requires_two_factor for m in staff_memberships)
