"""My volunteering: the volunteer's own sign-up, onboarding per organisation with what each activity still
needs (003:L2309: nobody waits for every step), their activities and offered needs. 404 without a sign-up."""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone
from ninja import Field, Router, Schema

from bro.core.api import error_responses
from bro.volunteering.selectors import volunteers as selectors
from bro.volunteering.services import volunteers as services

router = Router()


class VolunteeringOpenActivityOut(Schema):
    id: uuid.UUID
    name: str
    missing_steps: list[str] = Field(..., description="Empty: the volunteer can start now")
    taking_part: bool


class VolunteeringOnboardingOut(Schema):
    organisation_id: uuid.UUID
    organisation: str
    information_meeting_on: datetime.date | None
    training_on: datetime.date | None
    police_certificate_on: datetime.date | None
    commitment_signed_on: datetime.date | None
    activities: list[VolunteeringOpenActivityOut]


class VolunteeringOfferOut(Schema):
    id: uuid.UUID
    need_id: uuid.UUID
    title: str
    municipality: str
    status: str


class VolunteeringMeOut(Schema):
    id: uuid.UUID
    given_name: str
    family_name: str
    email: str
    phone: str
    languages: list[str]
    skills: list[str]
    interests: list[str]
    availability: list[str]
    municipality: str
    available_until: datetime.date | None
    onboardings: list[VolunteeringOnboardingOut]
    activity_ids: list[uuid.UUID]
    offers: list[VolunteeringOfferOut]


@router.get(
    "/me",
    response={200: VolunteeringMeOut, **error_responses(401, 404)},
    summary="My volunteering: details, onboarding, activities and offered needs",
)
def get_me(request):
    today = timezone.localdate()
    volunteer = selectors.own_volunteer(request.user)
    onboardings = [
        {
            "organisation_id": o.organisation_id,
            "organisation": o.organisation.name,
            "information_meeting_on": o.information_meeting_on,
            "training_on": o.training_on,
            "police_certificate_on": o.police_certificate_on,
            "commitment_signed_on": o.commitment_signed_on,
            "activities": [
                {
                    "id": row.activity.id,
                    "name": row.activity.name,
                    "missing_steps": list(row.missing),
                    "taking_part": row.taking_part,
                }
                for row in services.activities_open_to(volunteer, o.organisation, today)
            ],
        }
        for o in selectors.onboardings_for(volunteer)
    ]
    return {
        "id": volunteer.id,
        "given_name": volunteer.given_name,
        "family_name": volunteer.family_name,
        "email": volunteer.email,
        "phone": volunteer.phone,
        "languages": list(volunteer.languages),
        "skills": list(volunteer.skills),
        "interests": list(volunteer.interests),
        "availability": list(volunteer.availability),
        "municipality": volunteer.municipality.name,
        "available_until": volunteer.available_until,
        "onboardings": onboardings,
        "activity_ids": list(volunteer.activities.values_list("id", flat=True)),
        "offers": [
            {
                "id": a.id,
                "need_id": a.need_id,
                "title": a.need.title,
                "municipality": a.need.municipality.name,
                "status": a.status,
            }
            for a in selectors.offers_for(volunteer)
        ],
    }
