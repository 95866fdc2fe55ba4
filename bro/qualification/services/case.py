"""The case from opening to the status one year after: open, assign, start (with deviations), end."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from bro.core.models import AuditAction, Organisation, User
from bro.core.roles import OrganisationKind, Role
from bro.people import services as people_services
from bro.people.models import Person, PhaseEvent
from bro.people.phases import AccessBasis, FinishOutcome, Phase
from bro.people.services import Actor
from bro.qualification import permissions, rules
from bro.qualification.models import (
    CompetenceMapping,
    Deviation,
    EndReason,
    OneYearStatus,
    Participant,
    Status,
)
from bro.qualification.services.common import (
    Errors,
    _fail,
    check_past,
    log_change,
    mapping_completed_on,
    person_facts,
    require_manage,
)

# The adult-education centre reads the case of a participant it teaches. The legal basis is our reading of
# the Integration Act's chapter on Norwegian training given on the municipality's behalf; a lawyer should
# confirm the exact provision (docs/decisions/0013-qualification-record.md).
ADULT_EDUCATION_LEGAL_BASIS = "Integreringsloven kap. 4: opplæring i norsk og samfunnskunnskap for kommunen"

# --- opening and assigning ---------------------------------------------------------------------------------


@transaction.atomic
def open_case(
    actor: Actor, person: Person, *, adviser: User | None = None, adult_education: Organisation | None = None
) -> Participant:
    """Open the programme and training case for a person settled in the adviser's municipality.

    The rights are assessed from category, age, permit and settlement date (rules.rights) and kept on the
    case; the deadlines follow from them (rules.deadlines).
    """
    municipality = permissions.can_open_case(actor.user, person)
    if municipality is None:
        raise PermissionDenied
    if person.current_phase != Phase.SETTLED:
        _fail("person", "not_settled")
    settled = (
        PhaseEvent.objects.filter(person=person, phase=Phase.SETTLED, organisation=municipality)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    if settled is None:
        _fail("person", "no_settlement_date")
    earlier = Participant.objects.filter(person=person, ended_on__isnull=True).first()
    if earlier is not None:
        if earlier.municipality_id == municipality.id:
            _fail("person", "case_exists")
        _end_on_move(actor, earlier, settled)
    errors = Errors()
    _check_adviser(errors, adviser, municipality)
    _check_adult_education(errors, adult_education)
    errors.raise_if_any()
    facts = person_facts(person, settled)
    found = rules.rights(facts, settled)
    participant = Participant.objects.create(
        person=person,
        municipality=municipality,
        adviser=adviser or (actor.user if actor.user.pk else None),
        adult_education=adult_education,
        settlement_date=settled,
        permit_date=facts.permit_date,
        programme_status=found.introduction_programme,
        training_status=found.norwegian_training,
        temporary_rules=found.temporary_rules,
        created_by=actor.user,
    )
    CompetenceMapping.objects.create(participant=participant, updated_by=actor.user)
    log_change(
        actor,
        participant,
        participant,
        action=AuditAction.CREATE,
        after={
            "programme_status": participant.programme_status,
            "training_status": participant.training_status,
            "settlement_date": settled,
        },
    )
    if adult_education is not None:
        _share_with_adult_education(actor, participant, adult_education)
    return participant


def _end_on_move(actor: Actor, earlier: Participant, moved_on: datetime.date) -> None:
    """A person who moved has left the earlier municipality's case, which can no longer write to it; the
    new municipality's case ends it with the reason "moved" on the day of the move (the history stays)."""
    earlier.ended_on = max(moved_on, earlier.programme_start or moved_on)
    earlier.end_reason = EndReason.MOVED
    earlier.save(update_fields=["ended_on", "end_reason"])
    log_change(
        actor,
        earlier,
        earlier,
        action=AuditAction.UPDATE,
        after={"ended_on": earlier.ended_on, "end_reason": EndReason.MOVED},
        summary="ended by the move",
    )


def _check_adviser(errors: Errors, adviser: User | None, municipality: Organisation) -> None:
    if adviser is None:
        return
    if not adviser.memberships.filter(organisation=municipality, role=Role.PROGRAMME_ADVISER).exists():
        errors.add("adviser", "not_an_adviser")


def _check_adult_education(errors: Errors, organisation: Organisation | None) -> None:
    if organisation is not None and (
        organisation.kind != OrganisationKind.ADULT_EDUCATION or not organisation.is_active
    ):
        errors.add("adult_education", "not_adult_education")


def _share_with_adult_education(actor: Actor, participant: Participant, organisation: Organisation) -> None:
    from bro.people.models import SharedAccess

    already = SharedAccess.objects.filter(
        person=participant.person, organisation=organisation, revoked_at__isnull=True
    ).exists()
    if not already:
        people_services.grant_shared_access(
            actor,
            participant.person,
            organisation=organisation,
            basis=AccessBasis.LEGAL_BASIS,
            legal_basis=ADULT_EDUCATION_LEGAL_BASIS,
            purpose="Opplæring i norsk og samfunnskunnskap",
        )


@transaction.atomic
def assign(
    actor: Actor, participant: Participant, *, adviser: User | None, adult_education: Organisation | None
) -> Participant:
    """Set the programme adviser and the adult-education centre (which then may read the case)."""
    require_manage(actor, participant)
    errors = Errors()
    _check_adviser(errors, adviser, participant.municipality)
    _check_adult_education(errors, adult_education)
    errors.raise_if_any()
    before = {
        "adviser": str(participant.adviser or ""),
        "adult_education": str(participant.adult_education or ""),
    }
    participant.adviser = adviser
    participant.adult_education = adult_education
    participant.save(update_fields=["adviser", "adult_education"])
    if adult_education is not None:
        _share_with_adult_education(actor, participant, adult_education)
    log_change(
        actor,
        participant,
        participant,
        action=AuditAction.UPDATE,
        before=before,
        after={"adviser": str(adviser or ""), "adult_education": str(adult_education or "")},
    )
    return participant


# --- start and end -----------------------------------------------------------------------------------------


@transaction.atomic
def start_programme(
    actor: Actor, participant: Participant, *, on: datetime.date, delay_cause: str = "", note: str = ""
) -> Participant:
    """Record the programme start. A start after the 3-month deadline (004:L1275) needs its cause and is
    recorded as a deviation; missing health checks and kindergarten places are breaches (004:L1283–1285)."""
    require_manage(actor, participant)
    errors = Errors()
    if participant.programme_start is not None:
        errors.add("on", "already_started")
    if participant.programme_status == Status.NONE:
        errors.add("__all__", "no_programme_right")
    if mapping_completed_on(participant) is None:
        errors.add("__all__", "plan_before_mapping")
    check_past(errors, "on", on, participant)
    deadline = rules.programme_start_deadline(participant.settlement_date)
    late_days = (on - deadline.due).days
    if late_days > 0 and not delay_cause:
        errors.add("delay_cause", "late_start_needs_cause")
    errors.raise_if_any()
    participant.programme_start = on
    participant.start_delay_cause = delay_cause if late_days > 0 else ""
    participant.save(update_fields=["programme_start", "start_delay_cause"])
    if late_days > 0:
        record_deviation(
            actor,
            participant,
            kind=Deviation.Kind.LATE_PROGRAMME_START,
            cause=delay_cause,
            due=deadline.due,
            days_late=late_days,
            note=note,
        )
    person = participant.person
    if person.current_phase == Phase.SETTLED:
        people_services.record_transition(actor, person, phase=Phase.IN_PROGRAMME, on=on)
    log_change(
        actor,
        participant,
        participant,
        action=AuditAction.UPDATE,
        after={"programme_start": on, "delay_cause": delay_cause},
    )
    return participant


def record_deviation(
    actor: Actor,
    participant: Participant,
    *,
    kind: str,
    cause: str,
    due: datetime.date,
    days_late: int,
    note: str = "",
) -> Deviation:
    """Record (or update) a deviation of this kind for the case; the monitor lists it with its cause."""
    deviation, created = Deviation.objects.update_or_create(
        participant=participant,
        kind=kind,
        defaults={
            "cause": cause,
            "due": due,
            "days_late": max(days_late, 0),
            "detected_on": timezone.localdate(),
            "note": note.strip()[:500],
            "recorded_by": actor.user,
        },
    )
    log_change(
        actor,
        deviation,
        participant,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        after={"kind": kind, "cause": cause, "due": due, "days_late": days_late},
    )
    return deviation


# End reasons → the outcome on the person's timeline when the programme finishes.
_FINISH_OUTCOME = {
    EndReason.WORK: FinishOutcome.WORK,
    EndReason.EDUCATION: FinishOutcome.EDUCATION,
}


@transaction.atomic
def end_programme(actor: Actor, participant: Participant, *, on: datetime.date, reason: str) -> Participant:
    """End the case with its end reason (registered nationally, DOMAIN §5); the person's timeline gets
    "finished" unless they moved (then the new municipality continues)."""
    require_manage(actor, participant)
    errors = Errors()
    if reason not in EndReason.values:
        errors.add("reason", "end_reason_required")
    check_past(errors, "on", on, participant)
    if participant.programme_start and on < participant.programme_start:
        errors.add("on", "end_before_start")
    errors.raise_if_any()
    participant.ended_on = on
    participant.end_reason = reason
    participant.save(update_fields=["ended_on", "end_reason"])
    person = participant.person
    if reason != EndReason.MOVED and person.current_phase in (Phase.IN_PROGRAMME, Phase.SETTLED):
        people_services.record_transition(
            actor,
            person,
            phase=Phase.FINISHED,
            on=on,
            outcome=_FINISH_OUTCOME.get(reason, FinishOutcome.OTHER),
        )
    log_change(
        actor,
        participant,
        participant,
        action=AuditAction.UPDATE,
        after={"ended_on": on, "end_reason": reason},
    )
    return participant


@transaction.atomic
def record_one_year_status(
    actor: Actor,
    participant: Participant,
    *,
    status: str,
    weekly_work_hours: Decimal | None,
    recorded_on: datetime.date,
) -> Participant:
    """Status one year after the programme (004:L1568–1585), with working hours, since a one-hour job
    counts towards the 70 % target but tells little (004:L1579). Real outcomes also feed the matching
    engine's history (bro.settlement.outcomes)."""
    if not permissions.adviser_municipalities(actor.user) or participant.municipality_id not in {
        o.id for o in permissions.adviser_municipalities(actor.user)
    }:
        raise PermissionDenied
    if not permissions.can_read_case(actor.user, participant):
        raise PermissionDenied
    errors = Errors()
    if participant.ended_on is None:
        errors.add("__all__", "not_ended")
    elif recorded_on < rules.add_months(participant.ended_on, 12):
        errors.add("recorded_on", "one_year_too_early")
    check_past(errors, "recorded_on", recorded_on)
    in_work = status in (OneYearStatus.WORK, OneYearStatus.WORK_AND_EDUCATION)
    if in_work and weekly_work_hours is None:
        errors.add("weekly_work_hours", "work_hours_required")
    elif weekly_work_hours is not None and not in_work:
        errors.add("weekly_work_hours", "no_work_hours_without_work")
    elif weekly_work_hours is not None and not (Decimal(0) <= weekly_work_hours <= Decimal(75)):
        errors.add("weekly_work_hours", "work_hours_range")
    errors.raise_if_any()
    first_time = not participant.one_year_status
    participant.one_year_status = status
    participant.one_year_weekly_work_hours = weekly_work_hours
    participant.one_year_recorded_on = recorded_on
    participant.save(update_fields=["one_year_status", "one_year_weekly_work_hours", "one_year_recorded_on"])
    if first_time and participant.municipality.municipality_id:
        _feed_matching_history(participant, status != OneYearStatus.OTHER)
    log_change(
        actor,
        participant,
        participant,
        action=AuditAction.UPDATE,
        after={"one_year_status": status, "weekly_work_hours": weekly_work_hours},
    )
    return participant


def _feed_matching_history(participant: Participant, in_work_or_education: bool) -> None:
    from bro.settlement.outcomes.inputs import person_features, profiles_for
    from bro.settlement.outcomes.services import record_programme_outcome

    person = participant.person
    # The features as they were at settlement, which is when the matching engine predicts.
    profile = profiles_for([person]).get(person.pk)
    record_programme_outcome(
        person=person,
        person_features=person_features(person, profile, on=participant.settlement_date),
        municipality=participant.municipality.municipality,
        year_finished=participant.ended_on.year,
        in_work_or_education_one_year_after=in_work_or_education,
    )
