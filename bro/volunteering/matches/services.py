"""Every write for one-to-one matches: permission-checked, validated, in one transaction, audit-logged.

Services raise ``ValidationError`` (field → messages, nothing saved) or ``PermissionDenied``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from bro.core import audit, policy
from bro.core.models import AuditAction, Organisation
from bro.people.models import HouseholdMember, Person
from bro.people.rules import age_on
from bro.people.services import Actor
from bro.volunteering.matches import permissions, rules
from bro.volunteering.matches.messages import ERRORS, STEPS
from bro.volunteering.matches.models import CheckIn, Match, MatchConsent
from bro.volunteering.models import ActivityKind, Onboarding, Volunteer

__all__ = [
    "Actor",
    "assign_volunteer",
    "current_consent",
    "end_match",
    "log_check_in",
    "record_consent",
    "record_refugee_feedback",
    "record_volunteer_feedback",
    "request_match",
    "start_match",
    "withdraw_consent",
]

START_HORIZON_DAYS = 92


def _raise(errors: dict[str, str], **params) -> None:
    if errors:
        raise ValidationError(
            {field: ValidationError(ERRORS[code], code=code, params=params) for field, code in errors.items()}
        )


def current_consent(match: Match) -> MatchConsent | None:
    return match.consents.filter(withdrawn_on__isnull=True).order_by("-recorded_at").first()


def _household_ages(person: Person, today: datetime.date) -> list[int]:
    membership = HouseholdMember.objects.filter(person=person).first()
    if membership is None:
        return []
    return [
        age_on(birth, today)
        for birth in HouseholdMember.objects.filter(household_id=membership.household_id)
        .exclude(person=person)
        .values_list("person__birth_date", flat=True)
    ]


def progress_of(volunteer: Volunteer, organisation: Organisation) -> rules.Progress | None:
    row = Onboarding.objects.filter(volunteer=volunteer, organisation=organisation).first()
    if row is None:
        return None
    return rules.Progress(
        information_meeting=row.information_meeting_on,
        training=row.training_on,
        police_certificate=row.police_certificate_on,
        commitment=row.commitment_signed_on,
    )


def _log(actor: Actor, organisation, action, match, changes: dict, obj=None, summary: str = "") -> None:
    audit.record(
        user=actor.user,
        organisation=organisation,
        action=action,
        obj=obj or match,
        person_id=match.person_id,
        changes=changes,
        summary=summary,
        channel=actor.channel,
    )


@transaction.atomic
def request_match(
    actor: Actor,
    person: Person,
    *,
    organisation: Organisation,
    kind: str,
    need: str,
    with_household: bool = False,
    agreed_months: int = 6,
) -> Match:
    """A caseworker who may write the person asks an organisation for a volunteer (status "requested")."""
    access = policy.access_to_person(actor.user, person)
    if not access.can_write:
        raise PermissionDenied
    need = (need or "").strip()
    errors = {}
    if not need:
        errors["need"] = "need_required"
    elif len(need) > 300:
        errors["need"] = "need_too_long"
    if kind not in ActivityKind.values:
        errors["kind"] = "unknown_kind"
    if not permissions.is_matching_organisation(organisation):
        errors["organisation"] = "not_an_organisation_for_matches"
    if not 1 <= agreed_months <= rules.MAX_AGREED_MONTHS:
        errors["agreed_months"] = "months_out_of_range"
    _raise(errors)
    today = timezone.localdate()
    match = Match.objects.create(
        person=person,
        with_household=with_household,
        organisation=organisation,
        kind=kind,
        need=need,
        agreed_months=agreed_months,
        involves_children=rules.involves_children(
            age_on(person.birth_date, today), _household_ages(person, today), with_household
        ),
        requested_by=actor.user,
        requested_for=access.organisation,
    )
    _log(
        actor,
        access.organisation,
        AuditAction.CREATE,
        match,
        audit.diff({}, {"organisation": organisation.name, "kind": kind, "with_household": with_household}),
    )
    return match


@transaction.atomic
def record_consent(actor: Actor, match: Match, *, given_on: datetime.date, extra_fields=()) -> MatchConsent:
    """The refugee's consent to what the volunteer sees, recorded by a caseworker who may write the person."""
    access = permissions.person_access(actor.user, match)
    if not access.can_write:
        raise PermissionDenied
    extra = sorted(set(extra_fields))
    errors = {}
    if match.status == Match.Status.ENDED:
        errors["__all__"] = "not_open"
    if any(f not in MatchConsent.EXTRA_FIELDS for f in extra):
        errors["extra_fields"] = "unknown_extra_field"
    if given_on > timezone.localdate():
        errors["given_on"] = "consent_in_future"
    if current_consent(match) is not None:
        errors["__all__"] = "consent_already_current"
    _raise(errors)
    consent = MatchConsent.objects.create(
        match=match,
        given_on=given_on,
        extra_fields=extra,
        recorded_by=actor.user,
        recorded_for=access.organisation,
    )
    _log(
        actor,
        access.organisation,
        AuditAction.GRANT,
        match,
        audit.diff({}, {"given_on": given_on, "extra_fields": extra}),
        obj=consent,
        summary="consent to share with a volunteer",
    )
    return consent


@transaction.atomic
def withdraw_consent(actor: Actor, match: Match, *, on: datetime.date | None = None) -> MatchConsent:
    """Withdrawn consent ends what the volunteer and coordinator see of the refugee at once."""
    access = permissions.person_access(actor.user, match)
    if not access.can_write:
        raise PermissionDenied
    consent = current_consent(match)
    if consent is None:
        _raise({"__all__": "no_current_consent"})
    consent.withdrawn_on = on or timezone.localdate()
    consent.withdrawn_by = actor.user
    consent.save(update_fields=["withdrawn_on", "withdrawn_by"])
    _log(
        actor,
        access.organisation,
        AuditAction.UPDATE,
        match,
        audit.diff({"withdrawn_on": None}, {"withdrawn_on": consent.withdrawn_on}),
        obj=consent,
        summary="consent withdrawn",
    )
    return consent


def wanted_for(match: Match, on: datetime.date) -> rules.Wanted:
    """What proposals are scored against. The refugee's languages count only under a current consent:
    proposals use nothing the coordinator may not see."""
    languages = (
        frozenset(match.person.languages.values_list("language", flat=True))
        if current_consent(match) is not None
        else frozenset()
    )
    responsible = match.person.responsible_organisation
    municipality = responsible.municipality.number if responsible and responsible.municipality_id else ""
    return rules.Wanted(
        languages=languages,
        municipality=municipality,
        kind=match.kind,
        involves_children=match.involves_children,
        starts_on=match.starts_on or on,
        agreed_months=match.agreed_months,
    )


def candidate_for(volunteer: Volunteer, organisation: Organisation) -> rules.Candidate:
    return rules.Candidate(
        key=volunteer.pk,
        languages=frozenset(volunteer.languages),
        municipality=volunteer.municipality.number,
        travel_municipalities=frozenset(m.number for m in volunteer.travel_municipalities.all()),
        interests=frozenset(volunteer.interests),
        availability=frozenset(volunteer.availability),
        available_until=volunteer.available_until,
        progress=progress_of(volunteer, organisation),
    )


def _steps_text(missing) -> str:
    return ", ".join(str(STEPS[s]) for s in missing)


@transaction.atomic
def assign_volunteer(actor: Actor, match: Match, volunteer: Volunteer) -> Match:
    """The coordinator chooses a volunteer onboarded with the organisation who may start on this match."""
    if not permissions.can_manage(actor.user, match):
        raise PermissionDenied
    if match.status not in (Match.Status.REQUESTED, Match.Status.PROPOSED):
        _raise({"__all__": "not_requested_or_proposed"})
    if not Onboarding.objects.filter(volunteer=volunteer, organisation=match.organisation).exists():
        _raise({"volunteer": "volunteer_not_with_organisation"})
    today = timezone.localdate()
    proposal = rules.score(candidate_for(volunteer, match.organisation), wanted_for(match, today))
    if proposal is None:
        _raise({"volunteer": "volunteer_cannot_reach"})
    if proposal.missing:
        _raise({"volunteer": "volunteer_may_not_start"}, steps=_steps_text(proposal.missing))
    before = {"volunteer": str(match.volunteer_id) if match.volunteer_id else None, "status": match.status}
    match.volunteer = volunteer
    match.status = Match.Status.PROPOSED
    match.save(update_fields=["volunteer", "status"])
    _log(
        actor,
        match.organisation,
        AuditAction.UPDATE,
        match,
        audit.diff(before, {"volunteer": str(volunteer.pk), "status": match.status}),
    )
    return match


@transaction.atomic
def start_match(actor: Actor, match: Match, *, starts_on: datetime.date) -> Match:
    """A proposed match starts once the refugee has consented and the volunteer may still start."""
    if not permissions.can_manage(actor.user, match):
        raise PermissionDenied
    if match.status != Match.Status.PROPOSED:
        _raise({"__all__": "not_proposed" if match.status != Match.Status.REQUESTED else "no_volunteer"})
    if current_consent(match) is None:
        _raise({"__all__": "no_consent"})
    if (starts_on - timezone.localdate()).days > START_HORIZON_DAYS:
        _raise({"starts_on": "start_too_far_ahead"})
    missing = rules.missing_steps(
        rules.requirements(match.involves_children),
        progress_of(match.volunteer, match.organisation),
        starts_on,
    )
    if missing:
        _raise({"__all__": "volunteer_may_not_start"}, steps=_steps_text(missing))
    match.status = Match.Status.ACTIVE
    match.starts_on = starts_on
    match.save(update_fields=["status", "starts_on"])
    _log(
        actor,
        match.organisation,
        AuditAction.UPDATE,
        match,
        audit.diff({"status": "proposed"}, {"status": "active", "starts_on": starts_on}),
    )
    return match


@transaction.atomic
def log_check_in(
    actor: Actor, match: Match, *, day: datetime.date, hours: Decimal, note: str = ""
) -> CheckIn:
    """The volunteer logs a meeting while the match is active and the refugee's consent stands."""
    if not permissions.is_own(actor.user, match):
        raise PermissionDenied
    if match.status != Match.Status.ACTIVE:
        _raise({"__all__": "not_active"})
    if current_consent(match) is None:
        _raise({"__all__": "no_consent"})
    code = rules.check_in_error(day, hours, match.starts_on, match.ends_on, timezone.localdate())
    if code:
        _raise({"hours" if code.startswith("hours") else "day": code})
    row = CheckIn.objects.create(
        match=match, date=day, hours=hours, note=(note or "").strip(), recorded_by=actor.user
    )
    _log(
        actor,
        match.organisation,
        AuditAction.CREATE,
        match,
        audit.diff({}, {"date": day, "hours": hours}),
        obj=row,
    )
    return row


@transaction.atomic
def end_match(actor: Actor, match: Match, *, ends_on: datetime.date, refugee_feedback: str = "") -> Match:
    """The coordinator ends an active match, optionally with the refugee's feedback."""
    if not permissions.can_manage(actor.user, match):
        raise PermissionDenied
    if match.status != Match.Status.ACTIVE:
        _raise({"__all__": "not_active"})
    if ends_on < match.starts_on:
        _raise({"ends_on": "end_before_start"})
    if ends_on > timezone.localdate():
        _raise({"ends_on": "end_in_future"})
    match.status = Match.Status.ENDED
    match.ends_on = ends_on
    fields = ["status", "ends_on"]
    if refugee_feedback.strip():
        match.refugee_feedback = refugee_feedback.strip()
        match.refugee_feedback_by = actor.user
        fields += ["refugee_feedback", "refugee_feedback_by"]
    match.save(update_fields=fields)
    _log(
        actor,
        match.organisation,
        AuditAction.UPDATE,
        match,
        audit.diff({"status": "active"}, {"status": "ended", "ends_on": ends_on}),
    )
    return match


def _feedback(text: str) -> str:
    text = (text or "").strip()
    if not text:
        _raise({"feedback": "feedback_required"})
    return text


@transaction.atomic
def record_volunteer_feedback(actor: Actor, match: Match, *, feedback: str) -> Match:
    if not permissions.is_own(actor.user, match):
        raise PermissionDenied
    if match.status not in (Match.Status.ACTIVE, Match.Status.ENDED):
        _raise({"__all__": "not_active"})
    match.volunteer_feedback = _feedback(feedback)
    match.save(update_fields=["volunteer_feedback"])
    _log(actor, match.organisation, AuditAction.UPDATE, match, {"volunteer_feedback": ["", "(text)"]})
    return match


@transaction.atomic
def record_refugee_feedback(actor: Actor, match: Match, *, feedback: str) -> Match:
    """The refugee's feedback, recorded by the coordinator or a caseworker who may write the person."""
    if not permissions.can_record_refugee_feedback(actor.user, match):
        raise PermissionDenied
    if match.status not in (Match.Status.ACTIVE, Match.Status.ENDED):
        _raise({"__all__": "not_active"})
    match.refugee_feedback = _feedback(feedback)
    match.refugee_feedback_by = actor.user
    match.save(update_fields=["refugee_feedback", "refugee_feedback_by"])
    organisation = (
        match.organisation
        if permissions.is_coordinator(actor.user, match)
        else permissions.person_access(actor.user, match).organisation
    )
    _log(actor, organisation, AuditAction.UPDATE, match, {"refugee_feedback": ["", "(text)"]})
    return match
