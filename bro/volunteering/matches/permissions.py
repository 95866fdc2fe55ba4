"""Who may see and do what with one-to-one matches. The access matrix
(tests/volunteering/matches/test_access_matrix.py) takes its expectations from these rules.

* **The volunteer** of a match sees it in their list and on its page, and logs check-ins and their own
  feedback while it is active. Of the refugee they see exactly the fields of the current consent (first
  name, languages and the need; household size, phone or email only if ticked) and nothing without one.
* **Coordinators** (volunteer coordinators) of the match's organisation see its matches, choose a
  volunteer among the proposals, start and end a match and record the refugee's feedback. Coordinators see
  no person records (bro.core.policy): of the refugee they too see only the consented fields.
* **Caseworkers** who may read the person (bro.core.policy.access_to_person) see the person's matches in
  full, from the person's page. Those who may write the person ask an organisation for a match, record and
  withdraw the refugee's consent and record the refugee's feedback.
* **Nobody else** sees a match: other volunteers, coordinators of other organisations, leadership,
  administrators, teachers and nurses without access to the person.
"""

from __future__ import annotations

from bro.core import policy
from bro.core.models import Organisation, User
from bro.volunteering.permissions import CIVIL_SOCIETY_KINDS, coordinator_organisations


def person_access(user: User, match) -> policy.PersonAccess:
    cache = getattr(user, "_bro_match_access", None)
    if cache is None:
        cache = user._bro_match_access = {}
    if match.person_id not in cache:
        cache[match.person_id] = policy.access_to_person(user, match.person)
    return cache[match.person_id]


def is_coordinator(user: User, match) -> bool:
    return match.organisation_id in {o.id for o in coordinator_organisations(user)}


def is_own(user: User, match) -> bool:
    return (
        user.is_authenticated
        and match.volunteer_id is not None
        and match.volunteer.user_id is not None
        and match.volunteer.user_id == user.id
    )


def is_caseworker(user: User, match) -> bool:
    return person_access(user, match).can_read


def can_view(user: User, match) -> bool:
    return is_own(user, match) or is_coordinator(user, match) or is_caseworker(user, match)


def can_request(user: User, person) -> bool:
    return policy.access_to_person(user, person).can_write


def can_record_consent(user: User, match) -> bool:
    return person_access(user, match).can_write


def can_manage(user: User, match) -> bool:
    """Choose the volunteer, start and end the match."""
    return is_coordinator(user, match)


def can_record_refugee_feedback(user: User, match) -> bool:
    return is_coordinator(user, match) or person_access(user, match).can_write


def matching_organisations() -> list[str]:
    """Organisation kinds a caseworker may ask for a match."""
    return sorted(CIVIL_SOCIETY_KINDS)


def can_list(user: User) -> bool:
    """The match list is for volunteers, coordinators and caseworkers."""
    from bro.volunteering.permissions import own_volunteer

    return (
        bool(coordinator_organisations(user))
        or own_volunteer(user) is not None
        or policy.can_read_persons_at_all(user)
    )


def is_matching_organisation(organisation: Organisation) -> bool:
    return organisation.kind in CIVIL_SOCIETY_KINDS and organisation.is_active
