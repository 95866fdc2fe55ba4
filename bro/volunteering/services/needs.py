"""Every write for needs, answers to needs and activities: validated, permission-checked, in one
transaction, audit-logged.

Needs carry no personal data (DOMAIN §9): a need's title and description, and an answer's message, are
refused when they contain what looks like an identity number, a phone number or an email address.
Services raise ``ValidationError`` (field → messages, nothing saved) or ``PermissionDenied``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.no import fodselsnummer

from bro.core import audit
from bro.core.models import AuditAction, Municipality, Organisation
from bro.core.roles import OrganisationKind
from bro.people.services import Actor
from bro.volunteering import permissions
from bro.volunteering.models import Activity, ActivityKind, ChainPhase, Need, NeedResponse, Skill, TargetSex

__all__ = [
    "Actor",
    "answer_need",
    "personal_data_codes",
    "publish_need",
    "record_activity",
    "record_activity_progress",
    "set_need_status",
    "update_activity",
]

ERRORS = {
    "identity_number": _(
        "Remove the identity number: needs and answers are public to many and must not contain personal data."
    ),
    "phone_number": _(
        "Remove the phone number: needs and answers must not contain personal data. "
        "Volunteers answer through Bro."
    ),
    "email": _(
        "Remove the email address: needs and answers must not contain personal data. "
        "Volunteers answer through Bro."
    ),
    "unknown_kind": _("Choose a kind of activity."),
    "unknown_choice": _("Choose one of the options."),
    "volunteers_wanted": _("Ask for between 1 and 500 volunteers."),
    "not_open": _("Only an open need can be answered."),
    "unknown_status": _("Choose open, filled or closed."),
    "ages": _("The youngest age cannot be above the oldest."),
    "age_range": _("Ages run from 0 to 120."),
    "dates": _("An activity cannot end before it starts."),
    "not_a_centre": _("This is not a reception centre."),
    "own_partner": _("The organiser cannot be its own partner."),
    "negative": _("The number cannot be negative."),
    "hours_went_down": _("Volunteer hours add up over time; give the new total, not less than before."),
    "not_your_activity": _("The activity must be one of your organisation's."),
}

MAX_VOLUNTEERS_WANTED = 500
MAX_AGE = 120

# Eleven digits, perhaps with a space after the birth date: checked with python-stdnum (birth and D numbers).
_ELEVEN_DIGITS = re.compile(r"(?<!\d)(\d{6})[ ]?(\d{5})(?!\d)")
# Eight digits (a Norwegian phone number), with single spaces or hyphens, optionally +47/0047 first.
_PHONE = re.compile(r"(?<![\d+])(?:(?:\+|00)\d{2}[ -]?)?\d(?:[ -]?\d){7}(?![\d])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def personal_data_codes(text: str) -> list[str]:
    """Error codes for what in ``text`` looks like personal data (pure; DOMAIN §9: needs carry none)."""
    codes = []
    if any(fodselsnummer.is_valid(a + b) for a, b in _ELEVEN_DIGITS.findall(text or "")):
        codes.append("identity_number")
    else:
        stripped = _ELEVEN_DIGITS.sub(" ", text or "")
        if _PHONE.search(stripped):
            codes.append("phone_number")
    if _EMAIL.search(text or ""):
        codes.append("email")
    return codes


def _raise(errors: dict[str, list[str] | str]) -> None:
    if errors:
        raise ValidationError(
            {
                field: [
                    ValidationError(ERRORS[c], code=c) for c in ([codes] if isinstance(codes, str) else codes)
                ]
                for field, codes in errors.items()
            }
        )


def _check_text(errors: dict, **texts: str) -> None:
    for field, text in texts.items():
        if codes := personal_data_codes(text):
            errors[field] = codes


def _publishing(actor: Actor, organisation: Organisation) -> None:
    if organisation.id not in {o.id for o in permissions.publishing_organisations(actor.user)}:
        raise PermissionDenied


def _coordinating(actor: Actor, organisation: Organisation) -> None:
    if not permissions.can_manage_organisation(actor.user, organisation):
        raise PermissionDenied


# --- needs ---------------------------------------------------------------------------------------------


@transaction.atomic
def publish_need(
    actor: Actor,
    organisation: Organisation,
    *,
    title: str,
    description: str,
    kind: str,
    municipality: Municipality,
    languages: list[str] = (),
    skills: list[str] = (),
    volunteers_wanted: int = 1,
    involves_children: bool = False,
    is_public: bool = True,
) -> Need:
    """Publish a need for ``organisation`` (a municipality, reception centre or NAV office the actor
    publishes for; 003:L198–201: organisations ask municipalities to map needs)."""
    _publishing(actor, organisation)
    errors = {}
    title, description = title.strip(), description.strip()
    _check_text(errors, title=title, description=description)
    if kind not in ActivityKind.values:
        errors["kind"] = "unknown_kind"
    if not 1 <= volunteers_wanted <= MAX_VOLUNTEERS_WANTED:
        errors["volunteers_wanted"] = "volunteers_wanted"
    if any(s not in Skill.values for s in skills):
        errors["skills"] = "unknown_choice"
    _raise(errors)
    need = Need.objects.create(
        organisation=organisation,
        title=title,
        description=description,
        kind=kind,
        municipality=municipality,
        languages=sorted(set(languages)),
        skills=sorted(set(skills)),
        volunteers_wanted=volunteers_wanted,
        involves_children=involves_children,
        is_public=is_public,
        published_on=timezone.localdate(),
        created_by=actor.user,
    )
    audit.record(
        user=actor.user,
        organisation=organisation,
        action=AuditAction.CREATE,
        obj=need,
        changes=audit.diff({}, {"title": title, "kind": kind, "municipality": municipality.number}),
        channel=actor.channel,
    )
    return need


@transaction.atomic
def set_need_status(actor: Actor, need: Need, status: str) -> Need:
    """Close a need, mark it filled, or open it again — only its publisher's staff."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    if not permissions.can_manage_need(actor.user, need):
        raise PermissionDenied
    if status not in Need.Status.values:
        _raise({"status": "unknown_status"})
    before = need.status
    if before != status:
        need.status = status
        need.save(update_fields=["status"])
        audit.record(
            user=actor.user,
            organisation=need.organisation,
            action=AuditAction.UPDATE,
            obj=need,
            changes=audit.diff({"status": before}, {"status": status}),
            channel=actor.channel,
        )
    return need


@transaction.atomic
def answer_need(
    actor: Actor, need: Need, organisation: Organisation, *, message: str, activity: Activity | None = None
) -> NeedResponse:
    """An organisation answers a need with what it can do and, optionally, the activity it plans. One answer
    per organisation; answering again replaces its answer. Every answer is visible to the publisher and to
    the other organisations, so they do not duplicate each other (003:L1045)."""
    if organisation.id not in {o.id for o in permissions.answering_organisations(actor.user)}:
        raise PermissionDenied
    need = Need.objects.select_for_update().get(pk=need.pk)  # the status as it stands now
    errors = {}
    message = message.strip()
    _check_text(errors, message=message)
    if need.status != Need.Status.OPEN:
        errors["message"] = [*errors.get("message", []), "not_open"]
    if activity is not None and activity.organisation_id != organisation.id:
        errors["activity"] = "not_your_activity"
    _raise(errors)
    existing = NeedResponse.objects.filter(need=need, organisation=organisation).first()
    before = {"message": existing.message, "activity": existing.activity_id} if existing else {}
    response, _created = NeedResponse.objects.update_or_create(
        need=need,
        organisation=organisation,
        defaults={"message": message, "activity": activity, "created_by": actor.user},
    )
    audit.record(
        user=actor.user,
        organisation=organisation,
        action=AuditAction.UPDATE if existing else AuditAction.CREATE,
        obj=response,
        changes=audit.diff(before, {"message": message, "activity": activity.pk if activity else None}),
        channel=actor.channel,
    )
    return response


# --- activities ----------------------------------------------------------------------------------------

ACTIVITY_FIELDS = (
    "name",
    "kind",
    "phase",
    "target_sex",
    "target_age_min",
    "target_age_max",
    "languages",
    "municipality",
    "reception_centre",
    "place",
    "schedule",
    "starts_on",
    "ends_on",
    "involves_children",
    "needs_information_meeting",
    "needs_training",
    "needs_commitment",
)


def _activity_errors(organisation: Organisation, values: dict, partners) -> dict:
    errors = {}
    if values.get("kind") not in ActivityKind.values:
        errors["kind"] = "unknown_kind"
    if values.get("phase") not in ChainPhase.values:
        errors["phase"] = "unknown_choice"
    if values.get("target_sex") not in TargetSex.values:
        errors["target_sex"] = "unknown_choice"
    low, high = values.get("target_age_min"), values.get("target_age_max")
    for field, age in (("target_age_min", low), ("target_age_max", high)):
        if age is not None and not 0 <= age <= MAX_AGE:
            errors[field] = "age_range"
    if low is not None and high is not None and low > high and "target_age_min" not in errors:
        errors["target_age_min"] = "ages"
    starts, ends = values.get("starts_on"), values.get("ends_on")
    if starts and ends and ends < starts:
        errors["ends_on"] = "dates"
    centre = values.get("reception_centre")
    if centre is not None and centre.kind != OrganisationKind.RECEPTION_CENTRE:
        errors["reception_centre"] = "not_a_centre"
    if any(p.id == organisation.id for p in partners):
        errors["partners"] = "own_partner"
    return errors


def _activity_snapshot(activity: Activity) -> dict:
    values = {f: getattr(activity, f) for f in ACTIVITY_FIELDS}
    values["municipality"] = activity.municipality.number if activity.municipality_id else None
    values["reception_centre"] = activity.reception_centre.name if activity.reception_centre_id else None
    values["partners"] = sorted(p.name for p in activity.partners.all()) if activity.pk else []
    return values


@transaction.atomic
def record_activity(actor: Actor, organisation: Organisation, *, partners=(), **values) -> Activity:
    """A coordinator records one of their organisation's activities (issue 6: kind, phase, target group,
    place, schedule, organiser and partners; the requirements drive onboarding, bro.volunteering.rules)."""
    _coordinating(actor, organisation)
    values = {k: v for k, v in values.items() if k in ACTIVITY_FIELDS}
    values.setdefault("starts_on", timezone.localdate())
    _raise(_activity_errors(organisation, values, partners))
    activity = Activity.objects.create(organisation=organisation, **values)
    activity.partners.set(partners)
    audit.record(
        user=actor.user,
        organisation=organisation,
        action=AuditAction.CREATE,
        obj=activity,
        changes=audit.diff({}, _activity_snapshot(activity)),
        channel=actor.channel,
    )
    return activity


@transaction.atomic
def update_activity(actor: Actor, activity: Activity, *, partners=None, **values) -> Activity:
    """Change an activity's description; the log keeps old → new."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _coordinating(actor, activity.organisation)
    before = _activity_snapshot(activity)
    merged = {f: getattr(activity, f) for f in ACTIVITY_FIELDS}
    merged.update({k: v for k, v in values.items() if k in ACTIVITY_FIELDS})
    partner_list = list(partners) if partners is not None else list(activity.partners.all())
    _raise(_activity_errors(activity.organisation, merged, partner_list))
    for field, value in merged.items():
        setattr(activity, field, value)
    activity.save()
    activity.partners.set(partner_list)
    audit.record(
        user=actor.user,
        organisation=activity.organisation,
        action=AuditAction.UPDATE,
        obj=activity,
        changes=audit.diff(before, _activity_snapshot(activity)),
        channel=actor.channel,
    )
    return activity


@transaction.atomic
def record_activity_progress(
    actor: Actor, activity: Activity, *, participants_reached: int, volunteer_hours: Decimal
) -> Activity:
    """Update the participants reached and the running total of volunteer hours (the overview sums them by
    organisation). Hours only grow: a lower total is refused, so nobody loses recorded effort by mistake."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _coordinating(actor, activity.organisation)
    errors = {}
    if participants_reached < 0:
        errors["participants_reached"] = "negative"
    if volunteer_hours < 0:
        errors["volunteer_hours"] = "negative"
    elif volunteer_hours < activity.volunteer_hours:
        errors["volunteer_hours"] = "hours_went_down"
    _raise(errors)
    before = {
        "participants_reached": activity.participants_reached,
        "volunteer_hours": activity.volunteer_hours,
    }
    activity.participants_reached = participants_reached
    activity.volunteer_hours = volunteer_hours
    activity.save(update_fields=["participants_reached", "volunteer_hours"])
    audit.record(
        user=actor.user,
        organisation=activity.organisation,
        action=AuditAction.UPDATE,
        obj=activity,
        changes=audit.diff(
            before, {"participants_reached": participants_reached, "volunteer_hours": volunteer_hours}
        ),
        channel=actor.channel,
    )
    return activity
