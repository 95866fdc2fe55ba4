"""What the case services share: error collection, permission and date checks, audit, the person's facts."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bro.core import audit
from bro.people.models import Person, PhaseEvent
from bro.people.phases import Phase
from bro.people.services import Actor
from bro.qualification import permissions, rules
from bro.qualification.messages import ERRORS
from bro.qualification.models import CompetenceMapping, Participant


class Errors:
    """Collects field → code and raises them together, worded in the user's language."""

    def __init__(self):
        self.codes: dict[str, str] = {}

    def add(self, field_name: str, code: str) -> None:
        self.codes.setdefault(field_name, code)

    def raise_if_any(self) -> None:
        if self.codes:
            raise ValidationError(
                {name: ValidationError(ERRORS[code], code=code) for name, code in self.codes.items()}
            )


def _fail(field_name: str, code: str):
    raise ValidationError({field_name: ValidationError(ERRORS[code], code=code)})


def log_change(actor: Actor, obj, participant: Participant, *, action, before=None, after=None, summary=""):
    audit.record(
        user=actor.user,
        organisation=participant.municipality,
        action=action,
        obj=obj,
        person_id=participant.person_id,
        changes=audit.diff(before or {}, after or {}),
        summary=summary,
        channel=actor.channel,
    )


def require_manage(actor: Actor, participant: Participant) -> None:
    if not permissions.can_manage_case(actor.user, participant):
        raise PermissionDenied
    if not participant.is_open:
        _fail("__all__", "case_ended")


def check_past(errors: Errors, name: str, day: datetime.date | None, participant: Participant | None = None):
    if day is None:
        return
    if day > timezone.localdate():
        errors.add(name, "date_in_future")
    elif participant is not None and day < participant.settlement_date:
        errors.add(name, "date_before_settlement")


def person_facts(person: Person, settlement_date: datetime.date | None) -> rules.PersonFacts:
    permit = (
        PhaseEvent.objects.filter(person=person, phase=Phase.PERMIT_GRANTED)
        .order_by("-date")
        .values_list("date", flat=True)
    ).first()
    category = person.immigrant_category
    if category == "asylum_seeker" and permit is not None:
        # The category is recorded at arrival. A granted permit makes the person a refugee or a person with
        # humanitarian grounds; both carry the same rights to the programme and training (rates/rights.yaml).
        category = "refugee"
    return rules.PersonFacts(
        birth_date=person.birth_date,
        immigrant_category=category,
        permit_date=permit,
        settlement_date=settlement_date,
    )


def mapping_completed_on(participant: Participant) -> datetime.date | None:
    """When the competence mapping was completed (read fresh: pages may hold an older copy)."""
    return (
        CompetenceMapping.objects.filter(participant=participant)
        .values_list("completed_on", flat=True)
        .first()
    )
