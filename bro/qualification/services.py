"""Writes on a participant's case: open, map, plan, start, end, follow up.

Each service checks permissions (bro.qualification.permissions), validates everything before writing
anything, writes in one transaction and records the change in the audit log. Decisions and appeals live
in ``decisions.py``; attendance, tests and the benefit in ``attendance.py``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_countries import countries

from bro.core import audit
from bro.core.models import AuditAction, Organisation, User
from bro.core.roles import OrganisationKind, Role
from bro.people import services as people_services
from bro.people.models import Person, PhaseEvent
from bro.people.phases import AccessBasis, FinishOutcome, Phase
from bro.people.services import Actor
from bro.qualification import permissions, rules
from bro.qualification.messages import ERRORS
from bro.qualification.models import (
    FORMAL_COMPETENCE_MEASURES,
    CompetenceMapping,
    DelayCause,
    Deviation,
    EducationEntry,
    EndReason,
    Measure,
    OneYearStatus,
    Participant,
    PlanVersion,
    Status,
    WorkExperience,
)

__all__ = ["Actor"]

# The adult-education centre reads the case of a participant it teaches. The legal basis is our reading of
# the Integration Act's chapter on Norwegian training given on the municipality's behalf; a lawyer should
# confirm the exact provision (docs/decisions/0013-qualification-record.md).
ADULT_EDUCATION_LEGAL_BASIS = "Integreringsloven kap. 4: opplæring i norsk og samfunnskunnskap for kommunen"
# Causes that make a late start a breach of law to be recorded as a deviation (004:L1283–1285); every late
# start is recorded, these are the ones the issue singles out.
BREACH_CAUSES = frozenset({DelayCause.HEALTH_CHECK, DelayCause.KINDERGARTEN})


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


def _log(actor: Actor, obj, participant: Participant, *, action, before=None, after=None, summary=""):
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


def _check_past(errors: Errors, name: str, day: datetime.date | None, participant: Participant | None = None):
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
    _log(
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
    _log(
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
    _log(
        actor,
        participant,
        participant,
        action=AuditAction.UPDATE,
        before=before,
        after={"adviser": str(adviser or ""), "adult_education": str(adult_education or "")},
    )
    return participant


def mapping_completed_on(participant: Participant) -> datetime.date | None:
    """When the competence mapping was completed (read fresh: pages may hold an older copy)."""
    return (
        CompetenceMapping.objects.filter(participant=participant)
        .values_list("completed_on", flat=True)
        .first()
    )


# --- competence mapping and goals --------------------------------------------------------------------------


@dataclass
class EducationInput:
    level: str
    country: str = ""
    field: str = ""
    years: Decimal | None = None
    recognition: str = "not_applied"


@dataclass
class WorkInput:
    occupation: str
    years: Decimal
    country: str = ""


@dataclass
class MappingInput:
    completed_on: datetime.date | None = None
    skills: str = ""
    norwegian_level: str = ""
    career_guidance: str = ""
    health_limitations: str = ""
    health_consent_on: datetime.date | None = None
    education: list[EducationInput] = field(default_factory=list)
    work: list[WorkInput] = field(default_factory=list)


def _check_country(errors: Errors, name: str, code: str) -> None:
    if code and code.upper() not in dict(countries):
        errors.add(name, "unknown_country")


def _check_years(errors: Errors, name: str, years) -> None:
    if years is not None and not (Decimal(0) <= Decimal(years) <= Decimal(60)):
        errors.add(name, "years_out_of_range")


@transaction.atomic
def save_mapping(actor: Actor, participant: Participant, data: MappingInput) -> CompetenceMapping:
    """Record the competence mapping: education, work, skills, Norwegian level, health with consent."""
    require_manage(actor, participant)
    errors = Errors()
    _check_past(errors, "completed_on", data.completed_on, participant)
    _check_past(errors, "health_consent_on", data.health_consent_on)
    if data.health_limitations.strip() and data.health_consent_on is None:
        errors.add("health_limitations", "health_needs_consent")
    for i, entry in enumerate(data.education):
        _check_country(errors, f"education-{i}-country", entry.country)
        _check_years(errors, f"education-{i}-years", entry.years)
    for i, entry in enumerate(data.work):
        _check_country(errors, f"work-{i}-country", entry.country)
        _check_years(errors, f"work-{i}-years", entry.years)
    errors.raise_if_any()
    mapping, _ = CompetenceMapping.objects.get_or_create(participant=participant)
    participant.mapping = mapping  # keep the caller's copy of the case current
    before = _mapping_snapshot(mapping)
    mapping.completed_on = data.completed_on
    mapping.skills = data.skills.strip()
    mapping.norwegian_level = data.norwegian_level
    mapping.career_guidance = data.career_guidance.strip()
    mapping.health_limitations = data.health_limitations.strip()
    mapping.health_consent_on = data.health_consent_on
    mapping.updated_by = actor.user
    mapping.save()
    mapping.education.all().delete()
    mapping.work.all().delete()
    EducationEntry.objects.bulk_create(
        EducationEntry(
            mapping=mapping,
            level=e.level,
            country=e.country.upper(),
            field=e.field.strip(),
            years=e.years,
            recognition=e.recognition,
        )
        for e in data.education
    )
    WorkExperience.objects.bulk_create(
        WorkExperience(
            mapping=mapping, occupation=w.occupation.strip(), years=w.years, country=w.country.upper()
        )
        for w in data.work
    )
    after = _mapping_snapshot(mapping)
    # Health limitations are logged as changed, never with their content.
    for key in ("health_limitations",):
        before[key], after[key] = bool(before[key]), bool(after[key])
    _log(actor, mapping, participant, action=AuditAction.UPDATE, before=before, after=after)
    return mapping


def _mapping_snapshot(mapping: CompetenceMapping) -> dict:
    return {
        "completed_on": mapping.completed_on,
        "norwegian_level": mapping.norwegian_level,
        "skills": mapping.skills,
        "career_guidance": mapping.career_guidance,
        "health_limitations": mapping.health_limitations,
        "health_consent_on": mapping.health_consent_on,
        "education": mapping.education.count() if mapping.pk else 0,
        "work": mapping.work.count() if mapping.pk else 0,
    }


@transaction.atomic
def set_goals(
    actor: Actor,
    participant: Participant,
    *,
    final_goal: str,
    final_goal_text: str = "",
    norwegian_goal: str = "",
    integration_contract_signed: datetime.date | None = None,
    extension: str | None = None,
) -> Participant:
    require_manage(actor, participant)
    errors = Errors()
    _check_past(errors, "integration_contract_signed", integration_contract_signed, participant)
    errors.raise_if_any()
    fields = ["final_goal", "final_goal_text", "norwegian_goal", "integration_contract_signed"]
    values = [final_goal, final_goal_text.strip(), norwegian_goal, integration_contract_signed]
    if extension is not None:
        fields.append("extension")
        values.append(extension)
    before = {f: getattr(participant, f) for f in fields}
    for name, value in zip(fields, values, strict=True):
        setattr(participant, name, value)
    participant.save(update_fields=fields)
    _log(
        actor,
        participant,
        participant,
        action=AuditAction.UPDATE,
        before=before,
        after=dict(zip(fields, values, strict=True)),
    )
    return participant


# --- the individual plan -----------------------------------------------------------------------------------


@dataclass
class MeasureInput:
    kind: str
    hours_per_week: Decimal
    start: datetime.date
    end: datetime.date
    provider: str = ""
    days_per_week: int | None = None
    key: str | None = None  # the measure this continues from the previous version, if any


def _weekly_overload(measures: list[MeasureInput]) -> bool:
    """True when measures running at the same time add up to more than full time (37.5 h, 004:L378–380)."""
    edges = sorted({m.start for m in measures})
    for day in edges:
        total = sum((m.hours_per_week for m in measures if m.start <= day <= m.end), Decimal(0))
        if total > rules.FULL_TIME_HOURS_PER_WEEK:
            return True
    return False


@transaction.atomic
def save_plan(
    actor: Actor,
    participant: Participant,
    measures: list[MeasureInput],
    *,
    valid_from: datetime.date,
    reason: str = "",
) -> PlanVersion:
    """Add a new version of the individual plan; earlier versions are kept unchanged.

    Formal-competence measures (school, upper secondary, trade certificate) are listed first, as the
    first choice (004:L1522). The competence mapping must be completed first (DOMAIN §5).
    """
    require_manage(actor, participant)
    errors = Errors()
    if mapping_completed_on(participant) is None:
        errors.add("__all__", "plan_before_mapping")
    if not measures:
        errors.add("measures", "plan_needs_measures")
    previous = participant.plan_versions.order_by("-number").first()
    if previous is not None and not reason.strip():
        errors.add("reason", "revision_needs_reason")
    if valid_from < participant.settlement_date:
        errors.add("valid_from", "date_before_settlement")
    for i, m in enumerate(measures):
        if m.end < m.start:
            errors.add(f"measures-{i}-end", "measure_dates")
        if not (Decimal(0) < m.hours_per_week <= rules.FULL_TIME_HOURS_PER_WEEK):
            errors.add(f"measures-{i}-hours_per_week", "measure_hours")
    if not errors.codes and _weekly_overload(measures):
        errors.add("measures", "plan_over_full_time")
    errors.raise_if_any()
    plan = PlanVersion.objects.create(
        participant=participant,
        number=(previous.number + 1) if previous else 1,
        valid_from=valid_from,
        reason=reason.strip(),
        created_by=actor.user,
    )
    known_keys = set(previous.measures.values_list("key", flat=True)) if previous else set()
    ordered = sorted(measures, key=lambda m: (m.kind not in FORMAL_COMPETENCE_MEASURES, m.start))
    rows = []
    for m in ordered:
        row = Measure(
            plan=plan,
            kind=m.kind,
            provider=m.provider.strip(),
            hours_per_week=m.hours_per_week,
            days_per_week=m.days_per_week,
            start=m.start,
            end=m.end,
        )
        if m.key and _uuid_or_none(m.key) in known_keys:
            row.key = _uuid_or_none(m.key)
        rows.append(row)
    Measure.objects.bulk_create(rows)
    _log(
        actor,
        plan,
        participant,
        action=AuditAction.CREATE,
        after={"version": plan.number, "valid_from": valid_from, "measures": [m.kind for m in ordered]},
        summary=reason.strip()[:200],
    )
    return plan


def _uuid_or_none(value):
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


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
    _check_past(errors, "on", on, participant)
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
    _log(
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
    _log(
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
    _check_past(errors, "on", on, participant)
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
    _log(
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
    _check_past(errors, "recorded_on", recorded_on)
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
    _log(
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
