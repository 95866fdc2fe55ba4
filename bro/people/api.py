"""Persons API: the same selectors, services and policy as the pages."""

import datetime
import uuid

from django.core.exceptions import PermissionDenied
from ninja import Field, Router, Schema, Status

from bro.core.api import IsoDate, Text, error_responses
from bro.people import selectors, services
from bro.people.phases import FinishOutcome, ImmigrantCategory, Phase, Sex

router = Router(tags=["persons"])


class LanguageSchema(Schema):
    language: Text = Field(..., description="ISO 639 code, e.g. ar, ti, prs")
    is_preferred: bool = False
    needs_interpreter: bool = False


class PersonListItem(Schema):
    """No identity numbers in lists."""

    id: uuid.UUID
    given_name: str
    family_name: str
    birth_date: datetime.date
    current_phase: str
    current_phase_since: datetime.date | None
    responsible_organisation: str | None


class PhaseEventOut(Schema):
    id: uuid.UUID
    phase: Phase
    date: datetime.date
    organisation_id: uuid.UUID
    organisation: str
    outcome: str
    note: str
    recorded_by: str | None


class HouseholdMemberOut(Schema):
    person_id: uuid.UUID
    relation: str


class PersonOut(Schema):
    id: uuid.UUID
    given_name: str
    family_name: str
    birth_date: datetime.date
    birth_date_is_estimated: bool
    sex: Sex
    immigrant_category: ImmigrantCategory
    nationalities: list[str]
    languages: list[LanguageSchema]
    national_identity_number: str | None
    duf_number: str | None
    phone: str
    email: str
    address: str
    current_phase: str
    responsible_organisation_id: uuid.UUID | None
    timeline: list[PhaseEventOut]
    household_id: uuid.UUID | None
    household_is_unaccompanied_minor: bool
    household: list[HouseholdMemberOut]


class PersonIn(Schema):
    given_name: Text = Field(..., max_length=150)
    family_name: Text = Field(..., max_length=150)
    birth_date: IsoDate
    birth_date_is_estimated: bool = False
    sex: Sex
    immigrant_category: ImmigrantCategory
    nationalities: list[Text] = Field(default_factory=list, max_length=10)
    languages: list[LanguageSchema] = Field(default_factory=list, max_length=20)
    national_identity_number: Text = Field("", max_length=13)
    duf_number: Text = Field("", max_length=14)
    phone: Text = Field("", max_length=32)
    email: Text = Field("", max_length=254)
    address: Text = Field("", max_length=300)

    def to_input(self) -> services.PersonInput:
        # Only the person's own fields: subclasses (RegisterIn) add fields PersonInput does not take.
        data = self.model_dump(include=set(PersonIn.model_fields))
        data["languages"] = [services.LanguageInput(**lang) for lang in data["languages"]]
        data["sex"] = str(self.sex.value)
        data["immigrant_category"] = str(self.immigrant_category.value)
        return services.PersonInput(**data)


class RegisterIn(PersonIn):
    organisation_id: uuid.UUID = Field(..., description="One of your organisations that registers the person")
    initial_phase: Phase = Phase.ARRIVAL
    phase_date: IsoDate
    unaccompanied_minor: bool = False


class TransitionIn(Schema):
    phase: Phase
    date: IsoDate
    reception_centre_id: uuid.UUID | None = Field(None, description="When moving into a reception centre")
    municipality_number: Text = Field("", max_length=4, description="When settled: the municipality number")
    outcome: FinishOutcome | None = None
    note: Text = Field("", max_length=500)


class PersonPage(Schema):
    count: int
    page: int
    pages: int
    items: list[PersonListItem]


def _actor(request) -> services.Actor:
    return services.Actor(user=request.user, channel="api")


def _person_out(person) -> dict:
    own, members = selectors.household_members(person)
    return {
        "id": person.id,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "birth_date": person.birth_date,
        "birth_date_is_estimated": person.birth_date_is_estimated,
        "sex": person.sex,
        "immigrant_category": person.immigrant_category,
        "nationalities": [str(c.code) for c in person.nationalities],
        "languages": [
            {
                "language": pl.language,
                "is_preferred": pl.is_preferred,
                "needs_interpreter": pl.needs_interpreter,
            }
            for pl in person.languages.all()
        ],
        "national_identity_number": person.national_identity_number,
        "duf_number": person.duf_number,
        "phone": person.phone,
        "email": person.email,
        "address": person.address,
        "current_phase": person.current_phase,
        "responsible_organisation_id": person.responsible_organisation_id,
        "timeline": [
            {
                "id": e.id,
                "phase": e.phase,
                "date": e.date,
                "organisation_id": e.organisation_id,
                "organisation": e.organisation.name,
                "outcome": e.outcome,
                "note": e.note,
                "recorded_by": e.recorded_by.username if e.recorded_by else None,
            }
            for e in selectors.timeline(person)
        ],
        "household_id": own.household_id if own else None,
        "household_is_unaccompanied_minor": bool(own and own.household.is_unaccompanied_minor),
        "household": [{"person_id": m.person_id, "relation": m.relation} for m in members],
    }


@router.get(
    "",
    response={200: PersonPage, **error_responses(401, 403, 422)},
    summary="My persons (search, filter by phase, paginated)",
)
def list_persons(request, q: Text = "", phase: Phase | None = None, history: bool = False, page: int = 1):
    from bro.core import policy

    if not policy.can_read_persons_at_all(request.user):
        raise PermissionDenied  # as the page does: roles without case files have no person list
    result = selectors.person_page(
        request.user,
        query=q,
        phase=phase.value if phase else "",
        include_history=history,
        page=page,
        channel="api",
    )
    return {
        "count": result.paginator.count,
        "page": result.number,
        "pages": result.paginator.num_pages,
        "items": [
            {
                "id": p.id,
                "given_name": p.given_name,
                "family_name": p.family_name,
                "birth_date": p.birth_date,
                "current_phase": p.current_phase,
                "current_phase_since": p.current_phase_since,
                "responsible_organisation": p.responsible_organisation.name
                if p.responsible_organisation
                else None,
            }
            for p in result.object_list
        ],
    }


@router.post(
    "", response={201: PersonOut, **error_responses(400, 401, 403, 422)}, summary="Register a person"
)
def register_person(request, payload: RegisterIn):
    from bro.core import policy

    organisations = {o.id: o for o in policy.registering_organisations(request.user)}
    organisation = organisations.get(payload.organisation_id)
    if organisation is None:
        raise PermissionDenied
    person = services.register_person(
        _actor(request),
        payload.to_input(),
        organisation=organisation,
        initial_phase=payload.initial_phase.value,
        phase_date=payload.phase_date,
        unaccompanied_minor=payload.unaccompanied_minor,
    )
    return Status(201, _person_out(person))


@router.get(
    "/{person_id}",
    response={200: PersonOut, **error_responses(401, 403, 404, 422)},
    summary="One person with timeline and household",
)
def get_person(request, person_id: uuid.UUID):
    person, _access = selectors.get_person(request.user, person_id, channel="api")
    return _person_out(person)


@router.put(
    "/{person_id}",
    response={200: PersonOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Change a person's details",
)
def update_person(request, person_id: uuid.UUID, payload: PersonIn):
    person, access = selectors.get_person(request.user, person_id, channel="api")
    if not access.can_write:
        raise PermissionDenied
    person = services.update_person(_actor(request), person, payload.to_input())
    return _person_out(person)


@router.post(
    "/{person_id}/transitions",
    response={201: PhaseEventOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Record a phase transition",
)
def record_transition(request, person_id: uuid.UUID, payload: TransitionIn):
    person, access = selectors.get_person(request.user, person_id, channel="api")
    if not access.can_write:
        raise PermissionDenied
    organisation = None
    if payload.phase == Phase.SETTLED:
        organisation = services.settlement_municipality_by_number(payload.municipality_number)
    elif payload.phase == Phase.RECEPTION and payload.reception_centre_id:
        organisation = services.reception_centre_by_id(payload.reception_centre_id)
    event = services.record_transition(
        _actor(request),
        person,
        phase=payload.phase.value,
        on=payload.date,
        organisation=organisation,
        outcome=payload.outcome.value if payload.outcome else "",
        note=payload.note,
    )
    return Status(
        201,
        {
            "id": event.id,
            "phase": event.phase,
            "date": event.date,
            "organisation_id": event.organisation_id,
            "organisation": event.organisation.name,
            "outcome": event.outcome,
            "note": event.note,
            "recorded_by": request.user.username,
        },
    )
