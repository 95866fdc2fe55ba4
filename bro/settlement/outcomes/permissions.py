"""Who may do what with matching inputs and the outcome model, in terms of bro.core.policy.

* The outcome model (its versions, metrics and retraining) and the municipality profiles are the
  national directorate's: national settlement officers, and system administrators (superusers and
  administrators in the directorate), who look after the platform's models. DOMAIN.md §3: the
  directorate proposes the municipality; the model is its tool.
* A person's matching profile is read by whoever may read the person (``policy.access_to_person``), like
  the settlement interview it complements. It is written, while the person has not yet been settled, by
  the roles that hold the interview: reception staff of the centre responsible for the person now, and
  national settlement officers while the directorate is responsible (ready for settlement).
"""

from __future__ import annotations

from bro.core import policy
from bro.core.models import User
from bro.people.phases import Phase
from bro.settlement import permissions as settlement_permissions

#: Phases in which the matching profile may be changed: before the person is settled.
EDITABLE_PHASES = frozenset(
    {Phase.ARRIVAL, Phase.RECEPTION, Phase.PERMIT_GRANTED, Phase.READY_FOR_SETTLEMENT}
)


def directorate_organisation(user: User):
    """The directorate organisation through which ``user`` manages the model, or None."""
    officer = settlement_permissions.national_officer_organisation(user)
    if officer is not None:
        return officer
    if policy.is_system_administrator(user):
        from bro.core.models import Organisation
        from bro.core.roles import OrganisationKind

        for m in policy.memberships(user):
            if m.organisation.kind == OrganisationKind.DIRECTORATE:
                return m.organisation
        return Organisation.objects.filter(kind=OrganisationKind.DIRECTORATE, is_active=True).first()
    return None


def can_manage_model(user: User) -> bool:
    return settlement_permissions.is_national_officer(user) or policy.is_system_administrator(user)


def can_edit_municipality_profiles(user: User) -> bool:
    return can_manage_model(user)


def can_edit_matching_profile(user: User, person) -> bool:
    if person.current_phase not in EDITABLE_PHASES:
        return False
    if settlement_permissions.can_conduct_interview(user, person):
        return True
    return (
        settlement_permissions.is_national_officer(user) and policy.access_to_person(user, person).can_write
    )
