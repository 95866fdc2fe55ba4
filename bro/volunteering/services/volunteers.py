"""Every write for volunteers: the public sign-up, their own details, onboarding with an organisation,
taking part in activities, answering offered needs, and surges.

Services raise ``ValidationError`` (field → messages, nothing saved) or ``PermissionDenied``. Volunteers are
not persons in the case-file sense, so audit entries carry no ``person_id``; their email and phone are
personal data and never appear in an entry's summary or changes (only the fact that they changed).

The login story: the sign-up sets a password (Django's validators, at least 12 characters; Argon2 hashing),
so the volunteer logs in to "My volunteering" with their email as user name. The user gets no membership
until an organisation takes them on — named in the sign-up, or started by a coordinator — and then only the
VOLUNTEER role in a volunteer organisation or centre (bro.core.roles.ROLE_ORGANISATION_KINDS).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bro.core import audit
from bro.core.models import AuditAction, Membership, Municipality, Organisation, User
from bro.core.roles import ROLE_ORGANISATION_KINDS, Role
from bro.people.languages import LANGUAGE_CODES
from bro.people.phases import Sex
from bro.volunteering import permissions, rules
from bro.volunteering.models import (
    Activity,
    ActivityKind,
    Availability,
    Need,
    NeedAssignment,
    Onboarding,
    Skill,
    Surge,
    Volunteer,
)

ERRORS = {
    "required": _("Fill in this field."),
    "email_invalid": _("Enter a valid email address."),
    "email_taken": _("This email address has already signed up. Log in to change your details."),
    "unknown_municipality": _("We do not know that municipality. Give its four-digit number, e.g. 5503."),
    "no_language": _("Choose at least one language you speak."),
    "unknown_choice": _("Choose from the list."),
    "no_availability": _("Choose when you are available."),
    "date_in_past": _("This date has passed. Choose a day from today on."),
    "date_in_future": _("This date is in the future."),
    "birth_year": _("Give a year of birth between %(low)s and %(high)s."),
    "not_a_volunteer_organisation": _("Choose a volunteer organisation or volunteer centre."),
    "not_onboarded": _("Not onboarded for this activity. Missing: %(missing)s."),
    "activity_ended": _("This activity has ended."),
    "already_answered": _("You have already answered this offer."),
    "surge_active": _("A surge is already active for this organisation."),
    "surge_ended": _("This surge has already ended."),
    "need_not_open": _("This need is not open."),
    "nothing_chosen": _("Choose at least one volunteer and one need."),
    "not_in_surge": _("This volunteer or need is not in your surge queue."),
}

STEP_LABELS = {
    rules.INFORMATION_MEETING: _("information meeting"),
    rules.TRAINING: _("training"),
    rules.POLICE_CERTIFICATE: _("police certificate"),
    rules.COMMITMENT: _("signed commitment"),
}
# Onboarding step → the Onboarding field holding its date.
STEP_FIELDS = {
    rules.INFORMATION_MEETING: "information_meeting_on",
    rules.TRAINING: "training_on",
    rules.POLICE_CERTIFICATE: "police_certificate_on",
    rules.COMMITMENT: "commitment_signed_on",
}
# Fields of a volunteer whose values never go to the audit log.
PRIVATE_FIELDS = frozenset({"email", "phone", "birth_year", "sex", "has_refugee_background"})
# During a surge a newcomer is offered at once up to this many open needs that fit them, so that nobody
# waits (003:L1033, L2309: in 2015 willing people went elsewhere); the coordinator routes the rest in bulk.
SURGE_OFFERS = 3
OLDEST_AGE = 110


def _error(code: str, **params) -> ValidationError:
    message = ERRORS[code] % params if params else ERRORS[code]
    return ValidationError(message, code=code)


def _raise(errors: dict[str, ValidationError]) -> None:
    if errors:
        raise ValidationError(errors)


@dataclass
class VolunteerInput:
    given_name: str
    family_name: str
    email: str
    municipality: str  # a number ("5503"), "5503 Harstad" or a name
    languages: list[str]
    availability: list[str]
    phone: str = ""
    sex: str = ""
    birth_year: int | None = None
    skills: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    travel_municipalities: list[str] = field(default_factory=list)
    available_until: datetime.date | None = None
    has_refugee_background: bool = False


def find_municipality(text: str, on: datetime.date) -> Municipality | None:
    """A municipality valid on ``on`` from its number, "number name" or its name (case-insensitive)."""
    text = (text or "").strip()
    if not text:
        return None
    found = Municipality.objects.valid_on(on)
    head = text.split()[0]
    if head.isdigit():
        return found.filter(number=head.zfill(4)).first()
    return found.filter(name__iexact=text).first()


def _email_taken(email: str, except_user: User | None = None) -> bool:
    users = User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email))
    volunteers = Volunteer.objects.filter(email__iexact=email)
    if except_user is not None:
        users = users.exclude(pk=except_user.pk)
        volunteers = volunteers.exclude(user=except_user)
    return users.exists() or volunteers.exists()


def _clean(data: VolunteerInput, today: datetime.date, *, except_user: User | None = None):
    """Validated field values, the home municipality and the travel municipalities; errors raised."""
    errors: dict[str, ValidationError] = {}
    given, family = data.given_name.strip(), data.family_name.strip()
    if not given:
        errors["given_name"] = _error("required")
    if not family:
        errors["family_name"] = _error("required")
    email = data.email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _error("email_invalid")
    else:
        if _email_taken(email, except_user):
            errors["email"] = _error("email_taken")
    home = find_municipality(data.municipality, today)
    if home is None:
        errors["municipality"] = _error("unknown_municipality")
    travel = []
    for text in data.travel_municipalities:
        found = find_municipality(text, today)
        if found is None:
            errors["travel_municipalities"] = _error("unknown_municipality")
        elif found != home and found not in travel:
            travel.append(found)
    languages = list(dict.fromkeys(data.languages))
    if not languages:
        errors["languages"] = _error("no_language")
    elif set(languages) - set(LANGUAGE_CODES):
        errors["languages"] = _error("unknown_choice")
    for name, values, allowed in (
        ("skills", data.skills, Skill.values),
        ("interests", data.interests, ActivityKind.values),
        ("availability", data.availability, Availability.values),
    ):
        if set(values) - set(allowed):
            errors[name] = _error("unknown_choice")
    if not data.availability:
        errors["availability"] = _error("no_availability")
    if data.sex and data.sex not in (Sex.FEMALE, Sex.MALE):
        errors["sex"] = _error("unknown_choice")
    if data.birth_year is not None and not (today.year - OLDEST_AGE <= data.birth_year <= today.year):
        errors["birth_year"] = _error("birth_year", low=today.year - OLDEST_AGE, high=today.year)
    if data.available_until is not None and data.available_until < today:
        errors["available_until"] = _error("date_in_past")
    _raise(errors)
    values = {
        "given_name": given,
        "family_name": family,
        "email": email,
        "phone": data.phone.strip(),
        "sex": data.sex or "",
        "birth_year": data.birth_year,
        "languages": languages,
        "skills": list(dict.fromkeys(data.skills)),
        "interests": list(dict.fromkeys(data.interests)),
        "municipality": home,
        "availability": list(dict.fromkeys(data.availability)),
        "available_until": data.available_until,
        "has_refugee_background": bool(data.has_refugee_background),
    }
    return values, travel


def _snapshot(volunteer: Volunteer) -> dict:
    values = {
        name: getattr(volunteer, name)
        for name in (
            "given_name",
            "family_name",
            "email",
            "phone",
            "sex",
            "birth_year",
            "languages",
            "skills",
            "interests",
            "availability",
            "available_until",
            "has_refugee_background",
        )
    }
    values["municipality"] = volunteer.municipality.number
    values["travel_municipalities"] = sorted(m.number for m in volunteer.travel_municipalities.all())
    return values


def _logged_changes(before: dict, after: dict) -> dict:
    """The diff for the audit log, with private values replaced by a mark that they changed."""
    changes = audit.diff(before, after)
    for name in PRIVATE_FIELDS & set(changes):
        old, new = changes[name]
        changes[name] = [audit.MASK if old not in (None, "", False) else None, audit.MASK]
    return changes


def _volunteer_organisation(organisation: Organisation | None) -> Organisation | None:
    if organisation is None:
        return None
    if organisation.kind not in permissions.CIVIL_SOCIETY_KINDS or not organisation.is_active:
        _raise({"organisation": _error("not_a_volunteer_organisation")})
    return organisation


def _add_volunteer_membership(volunteer: Volunteer, organisation: Organisation) -> None:
    """The VOLUNTEER role where it exists (volunteer organisations and centres), so they can log in there."""
    if volunteer.user_id is None or organisation.kind not in ROLE_ORGANISATION_KINDS[Role.VOLUNTEER]:
        return
    Membership.objects.get_or_create(user=volunteer.user, organisation=organisation, role=Role.VOLUNTEER)


@transaction.atomic
def sign_up(
    data: VolunteerInput,
    password: str,
    *,
    organisation: Organisation | None = None,
    today: datetime.date | None = None,
) -> tuple[Volunteer, list[NeedAssignment]]:
    """Anyone signs up — refugees and immigrants too — with a login of their own (email and password).

    Naming an organisation starts onboarding there. During a surge in their area the newcomer is offered
    the open needs that fit them best at once. Returns the volunteer and those offers.
    """
    today = today or timezone.localdate()
    organisation = _volunteer_organisation(organisation)
    values, travel = _clean(data, today)
    candidate = User(
        username=values["email"],
        email=values["email"],
        first_name=values["given_name"],
        last_name=values["family_name"],
    )
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from None
    candidate.set_password(password)
    candidate.save()
    volunteer = Volunteer.objects.create(user=candidate, **values)
    volunteer.travel_municipalities.set(travel)
    audit.record(
        user=candidate,
        organisation=organisation,
        action=AuditAction.CREATE,
        obj=volunteer,
        changes=_logged_changes({}, _snapshot(volunteer)),
        summary="volunteer signed up",
    )
    if organisation is not None:
        _start_onboarding(candidate, volunteer, organisation)
    offers = _offer_surge_needs(volunteer, today)
    return volunteer, offers


@transaction.atomic
def update_own_details(user: User, volunteer: Volunteer, data: VolunteerInput) -> Volunteer:
    """A volunteer changes their own sign-up (and with the email, their user name)."""
    if volunteer.user_id is None or volunteer.user_id != user.pk:
        raise PermissionDenied
    today = timezone.localdate()
    values, travel = _clean(data, today, except_user=user)
    before = _snapshot(volunteer)
    for name, value in values.items():
        setattr(volunteer, name, value)
    volunteer.save()
    volunteer.travel_municipalities.set(travel)
    user.username = user.email = values["email"]
    user.first_name, user.last_name = values["given_name"], values["family_name"]
    user.save(update_fields=["username", "email", "first_name", "last_name"])
    changes = _logged_changes(before, _snapshot(volunteer))
    if changes:
        audit.record(user=user, organisation=None, action=AuditAction.UPDATE, obj=volunteer, changes=changes)
    return volunteer


# --- onboarding -------------------------------------------------------------------------------------------


def _check_coordinator(user: User, organisation: Organisation, volunteer: Volunteer | None = None) -> None:
    from bro.volunteering.selectors.volunteers import visible_volunteers

    if not permissions.can_manage_organisation(user, organisation):
        raise PermissionDenied
    if volunteer is not None and not visible_volunteers(user).filter(pk=volunteer.pk).exists():
        raise PermissionDenied


def _start_onboarding(user: User, volunteer: Volunteer, organisation: Organisation) -> Onboarding:
    onboarding, created = Onboarding.objects.get_or_create(volunteer=volunteer, organisation=organisation)
    _add_volunteer_membership(volunteer, organisation)
    if created:
        audit.record(
            user=user,
            organisation=organisation,
            action=AuditAction.CREATE,
            obj=onboarding,
            changes={"organisation": [None, organisation.name]},
        )
    return onboarding


@transaction.atomic
def start_onboarding(user: User, volunteer: Volunteer, organisation: Organisation) -> Onboarding:
    """A coordinator takes a volunteer on in their organisation (once; starting again changes nothing)."""
    _check_coordinator(user, organisation, volunteer)
    return _start_onboarding(user, volunteer, organisation)


@transaction.atomic
def record_onboarding_steps(
    user: User, onboarding: Onboarding, *, today: datetime.date | None = None, **dates
) -> Onboarding:
    """Record the day each step was done (``information_meeting_on``, ``training_on``,
    ``police_certificate_on``, ``commitment_signed_on``; None clears it). Only the date the police certificate
    was checked is kept — never the certificate itself."""
    _check_coordinator(user, onboarding.organisation)
    today = today or timezone.localdate()
    fields = set(STEP_FIELDS.values())
    unknown = set(dates) - fields
    if unknown:
        raise TypeError(f"unknown onboarding steps: {sorted(unknown)}")
    _raise({name: _error("date_in_future") for name, day in dates.items() if day is not None and day > today})
    before = {name: getattr(onboarding, name) for name in fields}
    for name, day in dates.items():
        setattr(onboarding, name, day)
    onboarding.save(update_fields=list(dates) or None)
    changes = audit.diff(before, {name: getattr(onboarding, name) for name in fields})
    if changes:
        audit.record(
            user=user,
            organisation=onboarding.organisation,
            action=AuditAction.UPDATE,
            obj=onboarding,
            changes=changes,
        )
    return onboarding


def requirements_of(activity: Activity) -> rules.Requirements:
    return rules.Requirements(
        information_meeting=activity.needs_information_meeting,
        training=activity.needs_training,
        involves_children=activity.involves_children,
        commitment=activity.needs_commitment,
    )


def progress_of(onboarding: Onboarding | None) -> rules.Progress | None:
    if onboarding is None:
        return None
    return rules.Progress(
        information_meeting=onboarding.information_meeting_on,
        training=onboarding.training_on,
        police_certificate=onboarding.police_certificate_on,
        commitment=onboarding.commitment_signed_on,
    )


@dataclass(frozen=True)
class OpenActivity:
    """An activity of an organisation, and what the volunteer still lacks before taking part."""

    activity: Activity
    missing: tuple[str, ...]
    taking_part: bool = False

    @property
    def can_start(self) -> bool:
        return not self.missing

    @property
    def missing_labels(self) -> list[str]:
        return [str(STEP_LABELS[step]) for step in self.missing]


def activities_open_to(
    volunteer: Volunteer, organisation: Organisation, on: datetime.date | None = None
) -> list[OpenActivity]:
    """Every running activity of ``organisation``, each with the onboarding steps the volunteer still
    misses on ``on`` (none: they can start now; 003:L2309)."""
    on = on or timezone.localdate()
    onboarding = Onboarding.objects.filter(volunteer=volunteer, organisation=organisation).first()
    progress = progress_of(onboarding)
    taking_part = set(volunteer.activities.values_list("pk", flat=True))
    activities = Activity.objects.filter(organisation=organisation).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on)
    )
    return [
        OpenActivity(
            activity=a,
            missing=rules.missing_steps(requirements_of(a), progress, on),
            taking_part=a.pk in taking_part,
        )
        for a in activities.order_by("name")
    ]


@transaction.atomic
def add_to_activity(
    user: User, volunteer: Volunteer, activity: Activity, *, today: datetime.date | None = None
) -> None:
    """A coordinator adds a volunteer to one of their organisation's activities — refused, with the missing
    steps, until the volunteer is onboarded for it (an activity with children needs the police certificate)."""
    _check_coordinator(user, activity.organisation, volunteer)
    today = today or timezone.localdate()
    if activity.ends_on is not None and activity.ends_on < today:
        _raise({"activity": _error("activity_ended")})
    onboarding = Onboarding.objects.filter(volunteer=volunteer, organisation=activity.organisation).first()
    missing = rules.missing_steps(requirements_of(activity), progress_of(onboarding), today)
    if missing:
        labels = ", ".join(str(STEP_LABELS[step]) for step in missing)
        _raise({"activity": _error("not_onboarded", missing=labels)})
    if activity.volunteers.filter(pk=volunteer.pk).exists():
        return
    if onboarding is None:  # an activity that needs no onboarding: they are with the organisation now
        _start_onboarding(user, volunteer, activity.organisation)
    activity.volunteers.add(volunteer)
    audit.record(
        user=user,
        organisation=activity.organisation,
        action=AuditAction.UPDATE,
        obj=activity,
        changes={"volunteers": [None, str(volunteer.pk)]},
        summary="volunteer added to activity",
    )


# --- needs offered to a volunteer -------------------------------------------------------------------------


@transaction.atomic
def answer_offer(user: User, assignment: NeedAssignment, *, accept: bool) -> NeedAssignment:
    """The volunteer accepts or declines a need they were offered."""
    if assignment.volunteer.user_id is None or assignment.volunteer.user_id != user.pk:
        raise PermissionDenied
    if assignment.status != NeedAssignment.Status.OFFERED:
        _raise({"status": _error("already_answered")})
    before = assignment.status
    assignment.status = NeedAssignment.Status.ACCEPTED if accept else NeedAssignment.Status.DECLINED
    assignment.save(update_fields=["status"])
    audit.record(
        user=user,
        organisation=assignment.need.organisation,
        action=AuditAction.UPDATE,
        obj=assignment,
        changes={"status": [before, assignment.status]},
    )
    return assignment


def _offer(user: User | None, volunteer: Volunteer, need: Need) -> NeedAssignment | None:
    assignment, created = NeedAssignment.objects.get_or_create(
        need=need, volunteer=volunteer, defaults={"assigned_by": user}
    )
    if not created:
        return None
    audit.record(
        user=user,
        organisation=need.organisation,
        action=AuditAction.CREATE,
        obj=assignment,
        changes={"need": [None, str(need.pk)], "volunteer": [None, str(volunteer.pk)]},
        summary="volunteer offered a need",
    )
    return assignment


def _offer_surge_needs(volunteer: Volunteer, today: datetime.date) -> list[NeedAssignment]:
    from bro.volunteering.selectors.volunteers import surge_needs_for

    offers = []
    for need in surge_needs_for(volunteer, today)[:SURGE_OFFERS]:
        if (made := _offer(None, volunteer, need)) is not None:
            offers.append(made)
    return offers


# --- surges -----------------------------------------------------------------------------------------------


@transaction.atomic
def declare_surge(
    user: User, organisation: Organisation, *, message: str, today: datetime.date | None = None
) -> Surge:
    """A municipality or centre declares a surge in its own municipality (003:L1033)."""
    if organisation.pk not in {o.pk for o in permissions.publishing_organisations(user)}:
        raise PermissionDenied
    today = today or timezone.localdate()
    message = message.strip()
    errors = {}
    if not message:
        errors["message"] = _error("required")
    if organisation.municipality_id is None:
        errors["organisation"] = _error("unknown_municipality")
    if Surge.objects.filter(organisation=organisation, ended_on__isnull=True).exists():
        errors["organisation"] = _error("surge_active")
    _raise(errors)
    surge = Surge.objects.create(
        organisation=organisation,
        municipality_id=organisation.municipality_id,
        message=message,
        declared_on=today,
        declared_by=user,
    )
    audit.record(
        user=user,
        organisation=organisation,
        action=AuditAction.CREATE,
        obj=surge,
        changes=audit.diff({}, {"municipality": surge.municipality.number, "declared_on": today}),
    )
    return surge


@transaction.atomic
def end_surge(user: User, surge: Surge, *, today: datetime.date | None = None) -> Surge:
    if surge.organisation_id not in {o.pk for o in permissions.publishing_organisations(user)}:
        raise PermissionDenied
    if surge.ended_on is not None:
        _raise({"surge": _error("surge_ended")})
    surge.ended_on = max(today or timezone.localdate(), surge.declared_on)
    surge.save(update_fields=["ended_on"])
    audit.record(
        user=user,
        organisation=surge.organisation,
        action=AuditAction.UPDATE,
        obj=surge,
        changes=audit.diff({"ended_on": None}, {"ended_on": surge.ended_on}),
    )
    return surge


@transaction.atomic
def assign_in_bulk(
    user: User, volunteers: list[Volunteer], needs: list[Need], *, today: datetime.date | None = None
) -> list[NeedAssignment]:
    """Offer every chosen volunteer every chosen need, all in one transaction: any volunteer or need outside
    the user's surge queue refuses the lot. Pairs offered before are left as they are."""
    from bro.volunteering.selectors.volunteers import surge_scope

    today = today or timezone.localdate()
    if not volunteers or not needs:
        _raise({"volunteers": _error("nothing_chosen")})
    scope = surge_scope(user, today)
    if not scope.surges:
        raise PermissionDenied
    if any(n.status != Need.Status.OPEN for n in needs):
        _raise({"needs": _error("need_not_open")})
    need_ids = set(scope.open_needs().values_list("pk", flat=True))
    volunteer_ids = set(scope.volunteers().values_list("pk", flat=True))
    if {n.pk for n in needs} - need_ids or {v.pk for v in volunteers} - volunteer_ids:
        _raise({"volunteers": _error("not_in_surge")})
    made = []
    for volunteer in volunteers:
        for need in needs:
            if (assignment := _offer(user, volunteer, need)) is not None:
                made.append(assignment)
    return made
