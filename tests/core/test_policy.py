"""The access policy: responsibility follows the phase, history is read-only, shared access needs a basis."""

import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from bro.core import policy
from bro.core.roles import Role
from bro.people.models import Responsibility, SharedAccess
from bro.people.phases import AccessBasis, Phase
from tests.conftest import make_user


def access(users, role, person):
    return policy.access_to_person(users[role], person)


def test_reception_centre_and_its_host_municipality_are_responsible_for_residents(arrive, chain, users):
    """000:L78–91: the host municipality must give residents school, health and child welfare."""
    person = arrive(Phase.RECEPTION)
    open_orgs = set(
        Responsibility.objects.filter(person=person, until__isnull=True).values_list(
            "organisation", flat=True
        )
    )
    assert open_orgs == {chain.centre_harstad.id, chain.harstad.id}
    assert access(users, Role.RECEPTION_STAFF, person).can_write
    assert access(users, Role.MUNICIPAL_SETTLEMENT_OFFICER, person).can_write


def test_the_directorate_is_responsible_while_a_person_waits_for_a_municipality(arrive, chain, users):
    """002:L398; 004:L472: IMDi assigns each ready household to a municipality."""
    person = arrive(Phase.READY_FOR_SETTLEMENT)
    assert access(users, Role.NATIONAL_SETTLEMENT_OFFICER, person).can_write
    settled = arrive(Phase.SETTLED, duf_number="", national_identity_number="")
    history = access(users, Role.NATIONAL_SETTLEMENT_OFFICER, settled)
    assert history.can_read and not history.can_write and history.reason == "history"


def test_after_settlement_elsewhere_the_centre_keeps_read_only_history(arrive, chain, users):
    person = arrive(Phase.SETTLED, settle_in=chain.tromso)
    centre = access(users, Role.RECEPTION_STAFF, person)
    assert (centre.can_read, centre.can_write, centre.reason) == (True, False, "history")
    tromso_officer = make_user("tromso", chain.tromso, Role.MUNICIPAL_SETTLEMENT_OFFICER)
    assert policy.access_to_person(tromso_officer, person).can_write
    assert person in policy.visible_persons(tromso_officer, current_only=True)
    assert person not in policy.visible_persons(users[Role.RECEPTION_STAFF], current_only=True)
    assert person in policy.visible_persons(users[Role.RECEPTION_STAFF])


def test_another_municipality_sees_nothing(arrive, chain, users):
    """DOMAIN §12: a caseworker in one municipality never sees another municipality's people."""
    person = arrive(Phase.SETTLED)
    tromso_officer = make_user("tromso", chain.tromso, Role.MUNICIPAL_SETTLEMENT_OFFICER)
    assert policy.access_to_person(tromso_officer, person) == policy.NO_ACCESS
    assert not policy.visible_persons(tromso_officer).filter(pk=person.pk).exists()


@pytest.mark.parametrize(
    "role", [Role.VOLUNTEER, Role.VOLUNTEER_COORDINATOR, Role.LEADERSHIP, Role.ADMINISTRATOR]
)
def test_roles_without_case_files_see_no_person(arrive, users, chain, role):
    person = arrive(Phase.IN_PROGRAMME)
    user = users[role]
    # Even in the responsible organisation itself, these roles read no person records.
    from bro.core.models import Membership

    Membership.objects.get_or_create(user=user, organisation=chain.harstad, role=role)
    user._bro_memberships = None
    assert policy.access_to_person(user, person) == policy.NO_ACCESS
    assert not policy.visible_persons(user).exists()


def test_shared_access_needs_a_recorded_basis_and_ends(arrive, chain, users):
    person = arrive(Phase.IN_PROGRAMME)
    teacher = users[Role.TEACHER]
    assert not policy.access_to_person(teacher, person).can_read
    with pytest.raises(IntegrityError):
        SharedAccess.objects.create(
            person=person,
            organisation=chain.adult_education,
            basis=AccessBasis.LEGAL_BASIS,
            legal_basis="",
            purpose="Norwegian training",
        )


def test_shared_access_gives_read_only_until_it_expires_or_is_revoked(arrive, chain, users):
    person = arrive(Phase.IN_PROGRAMME)
    teacher = users[Role.TEACHER]
    grant = SharedAccess.objects.create(
        person=person,
        organisation=chain.adult_education,
        basis=AccessBasis.CONSENT,
        consent_date=timezone.localdate(),
        purpose="Norwegian training",
    )
    shared = policy.access_to_person(teacher, person)
    assert (shared.can_read, shared.can_write, shared.reason) == (True, False, "shared")
    assert person in policy.visible_persons(teacher, current_only=True)  # "my persons" for the teacher
    grant.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    grant.save()
    assert not policy.access_to_person(teacher, person).can_read
    grant.valid_until = None
    grant.revoked_at = timezone.now()
    grant.save()
    assert not policy.access_to_person(teacher, person).can_read
    assert not policy.visible_persons(teacher).exists()


def test_read_roles_in_the_responsible_organisation_cannot_write(arrive, chain, users):
    person = arrive(Phase.SETTLED)
    nurse = make_user("kommunenurse", chain.harstad, Role.HEALTH_NURSE)
    result = policy.access_to_person(nurse, person)
    assert result.can_read and not result.can_write


def test_two_factor_is_required_for_staff_when_the_organisation_demands_it(chain, users, settings):
    settings.BRO_TWO_FACTOR_REQUIRED = False
    officer = users[Role.MUNICIPAL_SETTLEMENT_OFFICER]
    assert not policy.requires_two_factor(officer)
    chain.harstad.requires_two_factor = True
    chain.harstad.save()
    officer._bro_memberships = None
    assert policy.requires_two_factor(officer)
    assert not policy.requires_two_factor(users[Role.VOLUNTEER])
    settings.BRO_TWO_FACTOR_REQUIRED = True
    assert policy.requires_two_factor(users[Role.TEACHER])
    assert not policy.requires_two_factor(users[Role.VOLUNTEER])


def test_only_directorate_administrators_administer_every_organisation(chain, users):
    assert policy.is_system_administrator(users[Role.ADMINISTRATOR])
    local = make_user("localadmin", chain.harstad, Role.ADMINISTRATOR)
    assert not policy.is_system_administrator(local)
    assert list(policy.administered_organisations(local)) == [chain.harstad]
