"""Settlement API: the same services, selectors and policy as the pages."""

import datetime
import uuid
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from bro.core.api import IsoDate, Text, error_responses
from bro.people import selectors as people_selectors
from bro.people import services as people_services
from bro.settlement import permissions, selectors, services
from bro.settlement.models import DecisionBody, SettlementInterview

router = Router(tags=["settlement"])


def _actor(request) -> services.Actor:
    return services.Actor(user=request.user, channel="api")


def _year(year: int | None) -> int:
    return year or timezone.localdate().year


# Bounds that keep generated or mistaken input out of the database's integer range; the services give
# the domain's own answers (a year from 2000 to next year, minors not above persons) within them.
Count = Annotated[int, Field(ge=0, le=1_000_000)]
Year = Annotated[int, Field(ge=1900, le=2200)]


class CountyIn(Schema):
    county_number: Text = Field(..., max_length=2)
    persons: Count
    unaccompanied_minors: Count = 0


class NeedIn(Schema):
    year: Year
    persons: Count
    unaccompanied_minors: Count = 0
    counties: list[CountyIn] = Field(default_factory=list, max_length=30)
    note: Text = Field("", max_length=500)


class NeedOut(Schema):
    id: int
    year: int
    persons: int
    unaccompanied_minors: int
    counties: list[CountyIn]


class RequestIn(Schema):
    year: Year
    municipality_number: Text = Field(..., max_length=4)
    persons: Count
    unaccompanied_minors: Count = 0
    sent_on: IsoDate
    note: Text = Field("", max_length=500)


class RequestOut(Schema):
    id: int
    year: int
    municipality_id: uuid.UUID
    persons: int
    unaccompanied_minors: int
    sent_on: datetime.date
    revision: int
    is_current: bool
    note: str


class DecisionIn(Schema):
    municipality_id: uuid.UUID | None = Field(None, description="Needed only if you work for several")
    year: Year
    persons: Count
    unaccompanied_minors: Count = 0
    decided_on: IsoDate
    body: DecisionBody
    reference: Text = Field("", max_length=100)


class DecisionOut(Schema):
    id: int
    year: int
    municipality_id: uuid.UUID
    persons: int
    unaccompanied_minors: int
    decided_on: datetime.date
    body: str
    reference: str


class RowOut(Schema):
    label: str
    number: str
    allocation: int | None
    request: int | None
    decision: int | None
    ordinary: int
    family: int
    waiting: int
    exceeds: bool


class CountyRowOut(RowOut):
    municipalities: list[RowOut]


class OverviewOut(Schema):
    year: int
    need_persons: int | None
    need_unaccompanied_minors: int | None
    counties: list[CountyRowOut]
    total: RowOut


class ProposalOut(Schema):
    id: uuid.UUID
    household_id: uuid.UUID | None
    person_ids: list[uuid.UUID]
    municipality_id: uuid.UUID
    municipality: str
    status: str
    persons: int
    proposed_on: datetime.date
    answered_on: datetime.date | None
    answer_reason: str
    settled_on: datetime.date | None
    exceeds_decision: bool
    refused: bool


class MunicipalityOverviewOut(Schema):
    municipality_id: uuid.UUID
    year: int
    request: RequestOut | None
    request_history: list[RequestOut]
    decision: DecisionOut | None
    settled_ordinary: int
    settled_family_reunification: int
    exceeds_decision_by: int
    pending: list[ProposalOut]
    accepted: list[ProposalOut]
    settled_without_housing: list[ProposalOut]


class SettlementUnitOut(Schema):
    id: uuid.UUID = Field(..., description="The household id, or the person id for a person without one")
    person_ids: list[uuid.UUID]
    is_unaccompanied_minor: bool
    permit_date: datetime.date | None
    days_waited: int | None
    all_ready: bool
    open_proposal_id: uuid.UUID | None
    refused: bool


class ProposeIn(Schema):
    unit_id: uuid.UUID
    municipality_number: Text = Field(..., max_length=4)
    note: Text = Field("", max_length=500)
    override_reason: Text = Field("", max_length=500)


class AnswerIn(Schema):
    accept: bool
    reason: Text = Field("", max_length=500)


class SettleIn(Schema):
    date: IsoDate


class RefusalIn(Schema):
    refused_on: IsoDate
    reason: Text = Field("", max_length=500)


class InterviewIn(Schema):
    conducted_on: IsoDate
    education: Text = Field("", max_length=5000)
    work_experience: Text = Field("", max_length=5000)
    family_ties: Text = Field("", max_length=5000)
    network_ties: Text = Field("", max_length=5000)
    health_needs: Text = Field("", max_length=5000)
    health_consent_date: IsoDate | None = None
    wishes: Text = Field("", max_length=5000)
    complete: bool = False


class InterviewOut(Schema):
    person_id: uuid.UUID
    conducted_by: str
    conducted_on: datetime.date
    education: str
    work_experience: str
    family_ties: str
    network_ties: str
    health_needs: str
    health_consent_date: datetime.date | None
    wishes: str
    completed: bool


class WaitingOut(Schema):
    person_id: uuid.UUID
    name: str
    phase: str
    organisation: str | None
    unaccompanied_minor: bool
    permit_date: datetime.date
    target_date: datetime.date
    days_waited: int
    months_waited: int
    status: str
    days_over: int


def _row(row) -> dict:
    return {
        "label": row.label,
        "number": row.number,
        "allocation": row.allocation,
        "request": row.request,
        "decision": row.decision,
        "ordinary": row.ordinary,
        "family": row.family,
        "waiting": row.waiting,
        "exceeds": row.exceeds,
    }


def _proposal(p, members=None) -> dict:
    return {
        "id": p.pk,
        "household_id": p.household_id,
        "person_ids": [m.pk for m in members] if members is not None else [p.person_id],
        "municipality_id": p.municipality_id,
        "municipality": p.municipality.name,
        "status": p.status,
        "persons": p.persons,
        "proposed_on": p.proposed_on,
        "answered_on": p.answered_on,
        "answer_reason": p.answer_reason,
        "settled_on": p.settled_on,
        "exceeds_decision": p.exceeds_decision,
        "refused": p.status == "refused",
    }


@router.get(
    "/overview",
    response={200: OverviewOut, **error_responses(401, 403, 422)},
    summary="Directorate overview: request, decision, settled, waiting per county and municipality",
)
def overview(request, year: Year | None = None):
    if not permissions.can_view_national_overview(request.user):
        raise PermissionDenied
    data = selectors.national_overview(_year(year))
    need = data["need"]
    return {
        "year": data["year"],
        "need_persons": need.persons if need else None,
        "need_unaccompanied_minors": need.unaccompanied_minors if need else None,
        "counties": [
            {**_row(c), "municipalities": [_row(m) for m in c.municipalities]} for c in data["counties"]
        ],
        "total": _row(data["total"]),
    }


@router.get(
    "/municipality",
    response={200: MunicipalityOverviewOut, **error_responses(401, 403, 404, 422)},
    summary="A municipality's own settlement overview",
)
def municipality_overview(request, year: Year | None = None, organisation_id: uuid.UUID | None = None):
    if not permissions.municipal_officer_organisations(request.user):
        raise PermissionDenied
    municipality = selectors.user_municipality(request.user, organisation_id)
    data = selectors.municipality_overview(request.user, municipality, _year(year), channel="api")
    count = data["count"]
    return {
        "municipality_id": municipality.pk,
        "year": data["year"],
        "request": data["request"],
        "request_history": data["request_history"],
        "decision": data["decision"],
        "settled_ordinary": count.ordinary,
        "settled_family_reunification": count.family_reunification,
        "exceeds_decision_by": count.exceeded_by,
        "pending": [_proposal(p, m) for p, m in data["pending"]],
        "accepted": [_proposal(p, m) for p, m in data["accepted"]],
        "settled_without_housing": [_proposal(p, m) for p, m in data["without_housing"]],
    }


@router.post(
    "/needs",
    response={201: NeedOut, **error_responses(400, 401, 403, 422)},
    summary="Set the national need and its county split",
)
def set_need(request, payload: NeedIn):
    need = services.set_national_need(
        _actor(request),
        year=payload.year,
        persons=payload.persons,
        unaccompanied_minors=payload.unaccompanied_minors,
        counties={c.county_number: (c.persons, c.unaccompanied_minors) for c in payload.counties},
        note=payload.note,
    )
    return Status(
        201,
        {
            "id": need.pk,
            "year": need.year,
            "persons": need.persons,
            "unaccompanied_minors": need.unaccompanied_minors,
            "counties": [
                {
                    "county_number": c.county_number,
                    "persons": c.persons,
                    "unaccompanied_minors": c.unaccompanied_minors,
                }
                for c in need.counties.all()
            ],
        },
    )


@router.post(
    "/requests",
    response={201: RequestOut, **error_responses(400, 401, 403, 422)},
    summary="Send or revise a request to a municipality",
)
def send_request(request, payload: RequestIn):
    if not permissions.is_national_officer(request.user):
        raise PermissionDenied
    municipality = people_services.settlement_municipality_by_number(payload.municipality_number)
    result = services.send_request(
        _actor(request),
        year=payload.year,
        municipality=municipality,
        persons=payload.persons,
        unaccompanied_minors=payload.unaccompanied_minors,
        sent_on=payload.sent_on,
        note=payload.note,
    )
    return Status(201, result)


@router.post(
    "/decisions",
    response={201: DecisionOut, **error_responses(400, 401, 403, 422)},
    summary="Record the municipality's council decision",
)
def record_decision(request, payload: DecisionIn):
    orgs = permissions.municipal_officer_organisations(request.user)
    if payload.municipality_id:
        orgs = [o for o in orgs if o.pk == payload.municipality_id]
    if not orgs:
        raise PermissionDenied
    decision = services.record_decision(
        _actor(request),
        municipality=orgs[0],
        year=payload.year,
        persons=payload.persons,
        unaccompanied_minors=payload.unaccompanied_minors,
        decided_on=payload.decided_on,
        body=payload.body.value,
        reference=payload.reference,
    )
    return Status(201, decision)


@router.get(
    "/ready",
    response={200: list[SettlementUnitOut], **error_responses(401, 403, 422)},
    summary="Households ready for settlement",
)
def ready(request):
    if not permissions.is_national_officer(request.user):
        raise PermissionDenied
    return [
        {
            "id": u.id,
            "person_ids": [m.pk for m in u.members],
            "is_unaccompanied_minor": u.is_unaccompanied_minor,
            "permit_date": u.permit_date,
            "days_waited": u.waiting.days if u.waiting else None,
            "all_ready": u.all_ready,
            "open_proposal_id": u.open_proposal.pk if u.open_proposal else None,
            "refused": u.refused,
        }
        for u in selectors.ready_units(request.user, channel="api")
    ]


@router.post(
    "/proposals",
    response={201: ProposalOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Propose a municipality for a ready household",
)
def propose(request, payload: ProposeIn):
    if not permissions.is_national_officer(request.user):
        raise PermissionDenied
    unit = selectors.get_unit(request.user, payload.unit_id, channel="api")
    municipality = people_services.settlement_municipality_by_number(payload.municipality_number)
    proposal = services.propose(
        _actor(request),
        unit.principal,
        municipality=municipality,
        note=payload.note,
        override_reason=payload.override_reason,
    )
    return Status(201, _proposal(proposal, unit.members))


@router.get(
    "/proposals/{proposal_id}",
    response={200: ProposalOut, **error_responses(401, 403, 404, 422)},
    summary="One proposal",
)
def get_proposal(request, proposal_id: uuid.UUID):
    proposal, members = selectors.get_proposal(request.user, proposal_id, channel="api")
    return _proposal(proposal, members)


@router.post(
    "/proposals/{proposal_id}/answer",
    response={200: ProposalOut, **error_responses(400, 401, 403, 404, 422)},
    summary="The municipality accepts or declines a proposal",
)
def answer(request, proposal_id: uuid.UUID, payload: AnswerIn):
    proposal, members = selectors.get_proposal(request.user, proposal_id, channel="api")
    proposal = services.answer_proposal(
        _actor(request), proposal, accept=payload.accept, reason=payload.reason
    )
    return _proposal(proposal, members)


@router.post(
    "/proposals/{proposal_id}/settlement",
    response={200: ProposalOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Record the settlement date of an accepted household",
)
def settle(request, proposal_id: uuid.UUID, payload: SettleIn):
    proposal, members = selectors.get_proposal(request.user, proposal_id, channel="api")
    proposal = services.settle(_actor(request), proposal, on=payload.date)
    return _proposal(proposal, members)


@router.post(
    "/proposals/{proposal_id}/refusal",
    response={200: ProposalOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Record that the household refused its one offer",
)
def refusal(request, proposal_id: uuid.UUID, payload: RefusalIn):
    proposal, members = selectors.get_proposal(request.user, proposal_id, channel="api")
    services.record_refusal(_actor(request), proposal, refused_on=payload.refused_on, reason=payload.reason)
    proposal.refresh_from_db()
    return _proposal(proposal, members)


def _interview(interview: SettlementInterview) -> dict:
    return {
        "person_id": interview.person_id,
        "conducted_by": interview.conducted_by.name,
        "conducted_on": interview.conducted_on,
        "education": interview.education,
        "work_experience": interview.work_experience,
        "family_ties": interview.family_ties,
        "network_ties": interview.network_ties,
        "health_needs": interview.health_needs,
        "health_consent_date": interview.health_consent_date,
        "wishes": interview.wishes,
        "completed": interview.completed_at is not None,
    }


@router.get(
    "/interviews/{subject_id}",
    response={200: InterviewOut, **error_responses(401, 403, 404, 422)},
    summary="A person's settlement interview",
)
def get_interview(request, subject_id: uuid.UUID):
    person, _access = people_selectors.get_person(request.user, subject_id, channel="api")
    interview = SettlementInterview.objects.filter(person=person).select_related("conducted_by").first()
    if interview is None:
        from django.http import Http404

        raise Http404
    return _interview(interview)


@router.put(
    "/interviews/{subject_id}",
    response={200: InterviewOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Save (and optionally complete) a person's settlement interview",
)
def save_interview(request, subject_id: uuid.UUID, payload: InterviewIn):
    person, _access = people_selectors.get_person(request.user, subject_id, channel="api")
    if not permissions.can_conduct_interview(request.user, person):
        raise PermissionDenied
    data = services.InterviewInput(**payload.model_dump(exclude={"complete"}))
    interview = services.save_interview(_actor(request), person, data, complete=payload.complete)
    return _interview(interview)


@router.get(
    "/waiting",
    response={200: list[WaitingOut], **error_responses(401, 403, 422)},
    summary="Waiting times from permit to settlement, against the target",
)
def waiting(request, all: bool = False):  # noqa: A002 - the query parameter's name
    if not permissions.can_view_waiting_list(request.user):
        raise PermissionDenied
    return [
        {
            "person_id": r.person.pk,
            "name": r.person.full_name,
            "phase": r.person.current_phase,
            "organisation": r.person.responsible_organisation.name
            if r.person.responsible_organisation
            else None,
            "unaccompanied_minor": r.is_unaccompanied_minor,
            "permit_date": r.waiting.permit_date,
            "target_date": r.waiting.deadline,
            "days_waited": r.waiting.days,
            "months_waited": r.waiting.months,
            "status": r.waiting.status,
            "days_over": r.waiting.days_over,
        }
        for r in selectors.waiting_list(request.user, include_all=all, channel="api")
    ]
