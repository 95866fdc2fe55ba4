"""Every write to persons, households and the timeline: validated, permission-checked, audit-logged.

Services raise ``ValidationError`` (field → messages, nothing saved) or ``PermissionDenied``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_countries import countries

from bro.core import audit, policy
from bro.core.models import AuditAction, Organisation, User
from bro.core.roles import OrganisationKind
from bro.people import rules
from bro.people.languages import LANGUAGE_CODES
from bro.people.messages import ERRORS
from bro.people.models import (
    Household,
    HouseholdMember,
    Person,
    PersonLanguage,
    PhaseEvent,
    Responsibility,
    SharedAccess,
)
from bro.people.phases import AccessBasis, Phase, Relation


@dataclass(frozen=True)
class Actor:
    """Who is acting, and through which channel ("web" or "api")."""

    user: User
    channel: str = "web"


@dataclass
class LanguageInput:
    language: str
    is_preferred: bool = False
    needs_interpreter: bool = False


@dataclass
class PersonInput:
    given_name: str
    family_name: str
    birth_date: datetime.date
    sex: str
    immigrant_category: str
    birth_date_is_estimated: bool = False
    nationalities: list[str] = field(default_factory=list)
    languages: list[LanguageInput] = field(default_factory=list)
    national_identity_number: str = ""
    duf_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


PERSON_FIELDS = [
    "given_name",
    "family_name",
    "birth_date",
    "birth_date_is_estimated",
    "sex",
    "immigrant_category",
    "national_identity_number",
    "duf_number",
    "phone",
    "email",
    "address",
]


def _error(code: str, /, **params) -> ValidationError:
    # Positional-only: some messages take a ``code`` parameter of their own (the unknown value).
    message = ERRORS[code]
    return ValidationError(message % params if params else message, code=code)


def _clean_person_input(data: PersonInput, *, existing: Person | None = None) -> dict:
    """Validate at the edge; return the model values or raise ValidationError with every problem."""
    errors: dict[str, list[ValidationError]] = {}
    today = timezone.localdate()

    def add(field_name, code, /, **params):
        errors.setdefault(field_name, []).append(_error(code, **params))

    given_name = (data.given_name or "").strip()
    family_name = (data.family_name or "").strip()
    if not given_name:
        add("given_name", "name_required")
    if not family_name:
        add("family_name", "name_required")
    if data.birth_date and (code := rules.birth_date_error(data.birth_date, today)):
        add("birth_date", code)

    nin = "".join((data.national_identity_number or "").split())
    if nin:
        if code := rules.identity_number_error(nin, data.birth_date):
            add("national_identity_number", code)
        else:
            taken = Person.objects.filter(national_identity_number=nin)
            if existing is not None:
                taken = taken.exclude(pk=existing.pk)
            if taken.exists():
                add("national_identity_number", "identity_number_taken")

    duf = "".join((data.duf_number or "").split())
    if duf:
        if code := rules.duf_number_error(duf, today):
            add("duf_number", code)
        else:
            taken = Person.objects.filter(duf_number=duf)
            if existing is not None:
                taken = taken.exclude(pk=existing.pk)
            if taken.exists():
                add("duf_number", "duf_number_taken")

    nationalities = [c.strip().upper() for c in data.nationalities if c.strip()]
    for code in nationalities:
        if code not in countries:
            add("nationalities", "unknown_country", code=code)
    for lang in data.languages:
        if lang.language not in LANGUAGE_CODES:
            add("languages", "unknown_language", code=lang.language)

    if errors:
        raise ValidationError(errors)
    return {
        "given_name": given_name,
        "family_name": family_name,
        "birth_date": data.birth_date,
        "birth_date_is_estimated": data.birth_date_is_estimated,
        "sex": data.sex,
        "immigrant_category": data.immigrant_category,
        "nationalities": list(dict.fromkeys(nationalities)),
        "national_identity_number": nin or None,
        "duf_number": duf or None,
        "phone": data.phone.strip(),
        "email": data.email.strip(),
        "address": data.address.strip(),
    }


def _snapshot(person: Person) -> dict:
    values = {name: getattr(person, name) for name in PERSON_FIELDS}
    values["nationalities"] = [str(c) for c in person.nationalities]
    values["languages"] = [
        f"{pl.language}{' (interpreter)' if pl.needs_interpreter else ''}{' *' if pl.is_preferred else ''}"
        for pl in person.languages.all()
    ]
    return values


def _set_languages(person: Person, languages: list[LanguageInput]) -> None:
    person.languages.all().delete()
    seen = set()
    rows = []
    for lang in languages:
        if lang.language in seen:
            continue
        seen.add(lang.language)
        rows.append(
            PersonLanguage(
                person=person,
                language=lang.language,
                is_preferred=lang.is_preferred,
                needs_interpreter=lang.needs_interpreter,
            )
        )
    PersonLanguage.objects.bulk_create(rows)


def _check_phase_organisation(phase: str, organisation: Organisation) -> None:
    if phase in (Phase.ARRIVAL, Phase.RECEPTION) and organisation.kind != OrganisationKind.RECEPTION_CENTRE:
        raise ValidationError(
            {"organisation": _error("organisation_wrong_kind", kind=OrganisationKind.RECEPTION_CENTRE.label)}
        )
    if phase == Phase.SETTLED:
        if organisation.kind != OrganisationKind.MUNICIPALITY:
            raise ValidationError(
                {"organisation": _error("organisation_wrong_kind", kind=OrganisationKind.MUNICIPALITY.label)}
            )
        if not organisation.is_settlement_municipality:
            raise ValidationError({"organisation": _error("not_a_settlement_municipality")})


def _responsible_set(phase: str, organisation: Organisation) -> dict:
    """Organisation id → reason during ``phase``: the rule in ``rules.responsible_organisations``."""
    is_centre = organisation.kind == OrganisationKind.RECEPTION_CENTRE
    host = None
    if is_centre and phase in rules.RECEPTION_PHASES:
        host = (
            Organisation.objects.filter(
                kind=OrganisationKind.MUNICIPALITY,
                municipality_id=organisation.municipality_id,
                is_active=True,
            )
            .values_list("id", flat=True)
            .first()
        )
    directorates = ()
    if phase == Phase.READY_FOR_SETTLEMENT:
        directorates = list(
            Organisation.objects.filter(kind=OrganisationKind.DIRECTORATE, is_active=True).values_list(
                "id", flat=True
            )
        )
    return rules.responsible_organisations(
        phase,
        organisation.id,
        is_reception_centre=is_centre,
        host_municipality=host,
        directorates=directorates,
    )


def _move_responsibility(person: Person, phase: str, organisation: Organisation, on: datetime.date) -> None:
    open_rows = {r.organisation_id: r for r in person.responsibilities.filter(until__isnull=True)}
    ending, starting = rules.responsibility_changes(
        {org_id: row.reason for org_id, row in open_rows.items()}, _responsible_set(phase, organisation)
    )
    for org_id in ending:
        open_rows[org_id].until = on
        open_rows[org_id].save(update_fields=["until"])
    for org_id, reason in starting:
        Responsibility.objects.create(person=person, organisation_id=org_id, reason=reason, since=on)


def _add_event(
    actor: Actor, person: Person, *, phase, on, organisation, outcome="", note="", acting_org=None
):
    event = PhaseEvent.objects.create(
        person=person,
        phase=phase,
        date=on,
        organisation=organisation,
        outcome=outcome,
        note=note,
        recorded_by=actor.user,
        recorded_for=acting_org,
    )
    person.current_phase = phase
    person.current_phase_since = on
    person.responsible_organisation = organisation
    person.save(
        update_fields=["current_phase", "current_phase_since", "responsible_organisation", "updated_at"]
    )
    _move_responsibility(person, phase, organisation, on)
    return event


@transaction.atomic
def register_person(
    actor: Actor,
    data: PersonInput,
    *,
    organisation: Organisation,
    initial_phase: str,
    phase_date: datetime.date,
    family_of: Person | None = None,
    relation: str = "",
    unaccompanied_minor: bool = False,
) -> Person:
    """Register a new person on behalf of one of the actor's organisations, with the first timeline step.

    ``family_of`` puts the new person in that person's household (created if they have none), with
    ``relation`` to them; ``unaccompanied_minor`` makes a household of one with that flag.
    """
    if organisation not in policy.registering_organisations(actor.user):
        raise PermissionDenied(ERRORS["organisation_not_yours"])
    if family_of is not None:
        _require_write(actor, family_of)
    values = _clean_person_input(data)
    if unaccompanied_minor and (
        family_of is not None or rules.age_on(data.birth_date, timezone.localdate()) >= rules.ADULT_AGE
    ):
        raise ValidationError({"unaccompanied_minor": _error("unaccompanied_minor_household")})
    error = rules.transition_error(
        current_phase=None,
        target_phase=initial_phase,
        on=phase_date,
        today=timezone.localdate(),
        last_event_date=None,
        birth_date=data.birth_date,
        category=data.immigrant_category,
        lived_in_reception=False,
    )
    if error:
        # Named after the inputs (form and API alike) so the message sits on the field to correct.
        field_name = "phase_date" if error.code.startswith("date_") else "initial_phase"
        raise ValidationError({field_name: _error(error.code)})
    if initial_phase == Phase.ARRIVAL:
        _check_phase_organisation(Phase.ARRIVAL, organisation)
    person = Person(**values)
    person.full_clean(exclude=["national_identity_number", "duf_number", "nationalities"])
    person.save()
    _set_languages(person, data.languages)
    _add_event(
        actor, person, phase=initial_phase, on=phase_date, organisation=organisation, acting_org=organisation
    )
    audit.record(
        user=actor.user,
        organisation=organisation,
        action=AuditAction.CREATE,
        obj=person,
        person_id=person.id,
        changes=audit.diff({}, _snapshot(person)),
        channel=actor.channel,
    )
    if unaccompanied_minor:
        household = Household.objects.create(is_unaccompanied_minor=True)
        HouseholdMember.objects.create(household=household, person=person, relation=Relation.PRINCIPAL)
    elif family_of is not None:
        own = HouseholdMember.objects.filter(person=family_of).select_related("household").first()
        if own is None:
            household = Household.objects.create()
            HouseholdMember.objects.create(household=household, person=family_of, relation=Relation.PRINCIPAL)
        elif own.household.is_unaccompanied_minor:
            raise ValidationError({"relation": _error("unaccompanied_minor_household")})
        else:
            household = own.household
        HouseholdMember.objects.create(
            household=household, person=person, relation=Relation(relation or "other")
        )
    return person


def _require_write(actor: Actor, person: Person) -> policy.PersonAccess:
    access = policy.access_to_person(actor.user, person)
    if not access.can_write:
        raise PermissionDenied
    return access


@transaction.atomic
def update_person(actor: Actor, person: Person, data: PersonInput) -> Person:
    access = _require_write(actor, person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = _snapshot(person)
    values = _clean_person_input(data, existing=person)
    for name, value in values.items():
        setattr(person, name, value)
    person.save()
    _set_languages(person, data.languages)
    changes = audit.diff(before, _snapshot(person))
    if changes:
        audit.record(
            user=actor.user,
            organisation=access.organisation,
            action=AuditAction.UPDATE,
            obj=person,
            person_id=person.id,
            changes=changes,
            channel=actor.channel,
        )
    return person


@transaction.atomic
def record_transition(
    actor: Actor,
    person: Person,
    *,
    phase: str,
    on: datetime.date,
    organisation: Organisation | None = None,
    outcome: str = "",
    note: str = "",
) -> PhaseEvent:
    """Move a person one step along the chain; responsibility follows the new phase."""
    access = _require_write(actor, person)
    return _transition(
        actor,
        person,
        acting_org=access.organisation,
        phase=phase,
        on=on,
        organisation=organisation,
        outcome=outcome,
        note=note,
    )


@transaction.atomic
def record_settlement_of_accepted_proposal(
    actor: Actor, person: Person, *, on: datetime.date, municipality: Organisation, note: str = ""
) -> PhaseEvent:
    """Record SETTLED in ``municipality`` for a person whose settlement proposal it has accepted.

    Only ``bro.settlement.services.settle`` calls this, after checking that the actor is a settlement
    officer of ``municipality`` and that the municipality accepted IMDi's proposal for the person's
    household. That municipality is not yet responsible (it becomes so by this very step), so
    ``record_transition``'s write check would refuse it; every chain rule still applies.
    """
    return _transition(
        actor,
        person,
        acting_org=municipality,
        phase=Phase.SETTLED,
        on=on,
        organisation=municipality,
        note=note,
    )


def _transition(actor, person, *, acting_org, phase, on, organisation, outcome="", note="") -> PhaseEvent:
    person = Person.objects.select_for_update().get(pk=person.pk)
    last = person.phase_events.order_by("-date", "-recorded_at").first()
    lived_in_reception = person.phase_events.filter(phase=Phase.RECEPTION).exists()
    error = rules.transition_error(
        current_phase=person.current_phase or None,
        target_phase=phase,
        on=on,
        today=timezone.localdate(),
        last_event_date=last.date if last else None,
        birth_date=person.birth_date,
        category=person.immigrant_category,
        lived_in_reception=lived_in_reception,
        outcome=outcome,
    )
    if error:
        message = ERRORS[error.code]
        if error.code == "skips_the_chain":
            message = message % {
                "current": Phase(person.current_phase).label if person.current_phase else "—"
            }
        field_name = (
            "date" if error.code.startswith("date_") else ("outcome" if "outcome" in error.code else "phase")
        )
        raise ValidationError({field_name: ValidationError(message, code=error.code)})
    if phase in rules.PHASES_NAMING_ORGANISATION:
        if organisation is None:
            raise ValidationError({"organisation": _error("organisation_required")})
        _check_phase_organisation(phase, organisation)
    else:
        organisation = person.responsible_organisation
    before = {"phase": person.current_phase, "responsible_organisation": str(person.responsible_organisation)}
    event = _add_event(
        actor,
        person,
        phase=phase,
        on=on,
        organisation=organisation,
        outcome=outcome,
        note=note,
        acting_org=acting_org,
    )
    audit.record(
        user=actor.user,
        organisation=acting_org,
        action=AuditAction.TRANSITION,
        obj=event,
        person_id=person.id,
        changes=audit.diff(before, {"phase": phase, "responsible_organisation": str(organisation)}),
        summary=f"{phase} {on.isoformat()}",
        channel=actor.channel,
    )
    return event


@transaction.atomic
def grant_shared_access(
    actor: Actor,
    person: Person,
    *,
    organisation: Organisation,
    basis: str,
    purpose: str,
    legal_basis: str = "",
    consent_date: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> SharedAccess:
    access = _require_write(actor, person)
    if (basis == AccessBasis.LEGAL_BASIS and not legal_basis.strip()) or (
        basis == AccessBasis.CONSENT and consent_date is None
    ):
        raise ValidationError({"basis": _error("shared_access_needs_basis")})
    if consent_date and consent_date > timezone.localdate():
        raise ValidationError({"consent_date": _error("date_in_future")})
    grant = SharedAccess.objects.create(
        person=person,
        organisation=organisation,
        basis=basis,
        legal_basis=legal_basis.strip(),
        consent_date=consent_date,
        purpose=purpose.strip(),
        valid_until=valid_until,
        granted_by=actor.user,
    )
    audit.record(
        user=actor.user,
        organisation=access.organisation,
        action=AuditAction.GRANT,
        obj=grant,
        person_id=person.id,
        changes={"shared_with": [None, organisation.name], "basis": [None, basis]},
        channel=actor.channel,
    )
    return grant


def settlement_municipality_by_number(number: str) -> Organisation:
    """The settlement-municipality organisation for a municipality number valid today."""
    from bro.core.municipalities import municipality_by_number

    try:
        municipality = municipality_by_number(number)
    except ValidationError as exc:
        raise ValidationError({"municipality_number": _error("unknown_municipality", number=number)}) from exc
    org = Organisation.objects.filter(
        kind=OrganisationKind.MUNICIPALITY, municipality=municipality, is_active=True
    ).first()
    if org is None or not org.is_settlement_municipality:
        raise ValidationError({"municipality_number": _error("not_a_settlement_municipality")})
    return org


def reception_centre_by_id(centre_id) -> Organisation:
    org = Organisation.objects.filter(
        pk=centre_id, kind=OrganisationKind.RECEPTION_CENTRE, is_active=True
    ).first()
    if org is None:
        raise ValidationError(
            {"organisation": _error("organisation_wrong_kind", kind=OrganisationKind.RECEPTION_CENTRE.label)}
        )
    return org
