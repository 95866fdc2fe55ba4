"""Competence mapping, goals and the versioned individual plan (DOMAIN §5; 004:L1522)."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django_countries import countries

from bro.core.models import AuditAction
from bro.people.services import Actor
from bro.qualification import rules
from bro.qualification.models import (
    FORMAL_COMPETENCE_MEASURES,
    CompetenceMapping,
    EducationEntry,
    Measure,
    Participant,
    PlanVersion,
    WorkExperience,
)
from bro.qualification.services.common import (
    Errors,
    check_past,
    log_change,
    mapping_completed_on,
    require_manage,
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
    check_past(errors, "completed_on", data.completed_on, participant)
    check_past(errors, "health_consent_on", data.health_consent_on)
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
    log_change(actor, mapping, participant, action=AuditAction.UPDATE, before=before, after=after)
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
    check_past(errors, "integration_contract_signed", integration_contract_signed, participant)
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
    log_change(
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
    log_change(
        actor,
        plan,
        participant,
        action=AuditAction.CREATE,
        after={"version": plan.number, "valid_from": valid_from, "measures": [m.kind for m in ordered]},
        summary=reason.strip()[:200],
    )
    return plan


def _uuid_or_none(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
