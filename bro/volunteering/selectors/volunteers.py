"""Reads of volunteers' sign-ups (personal data: scoped and logged) and of surges.

A coordinator sees the volunteers who live in or can travel to the municipality of one of their
organisations, and those onboarding with one of them. A volunteer sees their own record.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from bro.core import audit
from bro.core.models import AuditAction, Organisation, User
from bro.volunteering import permissions
from bro.volunteering.models import Need, NeedAssignment, Onboarding, Surge, Volunteer


def visible_volunteers(user: User) -> QuerySet[Volunteer]:
    organisations = permissions.coordinator_organisations(user)
    if not organisations:
        return Volunteer.objects.none()
    places = {o.municipality_id for o in organisations if o.municipality_id}
    numbers = set(
        Organisation.objects.filter(pk__in=[o.pk for o in organisations])
        .exclude(municipality=None)
        .values_list("municipality__number", flat=True)
    )
    near = (
        Q(municipality_id__in=places)
        | Q(travel_municipalities__in=places)
        | Q(municipality__number__in=numbers)  # an older version of the same municipality
    )
    onboarding = Q(onboardings__organisation__in=[o.pk for o in organisations])
    return Volunteer.objects.filter(near | onboarding).distinct()


def _acting(user: User) -> Organisation | None:
    found = permissions.coordinator_organisations(user)
    return found[0] if found else None


def volunteer_list(user: User, *, query: str = "") -> list[Volunteer]:
    """The coordinator's volunteers, newest first, optionally filtered by name; the listing is logged."""
    volunteers = visible_volunteers(user).select_related("municipality")
    query = query.strip()
    for word in query.split():
        volunteers = volunteers.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
    rows = list(volunteers.order_by("-created_at", "family_name"))
    audit.record(
        user=user,
        organisation=_acting(user),
        action=AuditAction.LIST,
        object_type="volunteering.volunteer",
        summary=f"{len(rows)} volunteers",
    )
    return rows


def volunteer_for_coordinator(user: User, volunteer_id) -> Volunteer:
    """One volunteer the coordinator may see (404 otherwise, so others cannot tell it exists); logged."""
    volunteer = visible_volunteers(user).select_related("municipality").filter(pk=volunteer_id).first()
    if volunteer is None:
        raise Http404
    audit.record(user=user, organisation=_acting(user), action=AuditAction.READ, obj=volunteer)
    return volunteer


def own_volunteer(user: User) -> Volunteer:
    """The user's own sign-up (404 when they have none); logged like any read of personal data."""
    volunteer = permissions.own_volunteer(user)
    if volunteer is None:
        raise Http404
    audit.record(user=user, organisation=None, action=AuditAction.READ, obj=volunteer)
    return volunteer


def onboardings_for(volunteer: Volunteer, organisations=None) -> list[Onboarding]:
    rows = Onboarding.objects.filter(volunteer=volunteer).select_related("organisation")
    if organisations is not None:
        rows = rows.filter(organisation__in=[o.pk for o in organisations])
    return list(rows.order_by("organisation__name"))


def offers_for(volunteer: Volunteer) -> list[NeedAssignment]:
    return list(
        NeedAssignment.objects.filter(volunteer=volunteer)
        .select_related("need", "need__organisation", "need__municipality")
        .order_by("-assigned_at")
    )


# --- surges and routing -----------------------------------------------------------------------------------


def active_surges(today: datetime.date | None = None) -> QuerySet[Surge]:
    today = today or timezone.localdate()
    return (
        Surge.objects.filter(declared_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))  # ended today: over
        .select_related("organisation", "municipality")
    )


def need_score(
    volunteer_skills, volunteer_languages, volunteer_interests, need_skills, need_languages, need_kind
) -> int:
    """How well a newcomer fits an open need: shared skills count most, then a wanted language, then
    interest in the kind of activity. A need that wants nothing in particular fits anyone a little (1)."""
    skills = len(set(volunteer_skills) & set(need_skills))
    languages = len(set(volunteer_languages) & set(need_languages))
    interest = 1 if need_kind in set(volunteer_interests) else 0
    if need_languages and not languages:
        return 0  # the need names languages, and the volunteer speaks none of them
    if need_skills and not skills and not interest:
        return 0
    return 1 + 3 * skills + 2 * languages + interest


def _places(volunteer: Volunteer) -> set:
    return {volunteer.municipality_id, *volunteer.travel_municipalities.values_list("pk", flat=True)}


def surge_needs_for(volunteer: Volunteer, today: datetime.date | None = None) -> list[Need]:
    """Open public needs in a municipality with an active surge that the volunteer can reach, best fit first
    (those that fit not at all are left out)."""
    today = today or timezone.localdate()
    surge_places = set(active_surges(today).values_list("municipality_id", flat=True))
    places = _places(volunteer) & surge_places
    if not places:
        return []
    needs = Need.objects.filter(status=Need.Status.OPEN, is_public=True, municipality_id__in=places)
    scored = [
        (
            need_score(
                volunteer.skills, volunteer.languages, volunteer.interests, n.skills, n.languages, n.kind
            ),
            n,
        )
        for n in needs.select_related("organisation", "municipality")
    ]
    scored = [(s, n) for s, n in scored if s > 0]
    scored.sort(key=lambda pair: (-pair[0], pair[1].published_on, pair[1].title))
    return [n for _, n in scored]


@dataclass
class SurgeScope:
    """The active surges a user works on: declared by one of their organisations, or in the municipality of
    an organisation they coordinate volunteers for (the volunteer centre routes the newcomers)."""

    surges: list[Surge] = field(default_factory=list)

    @property
    def municipality_ids(self) -> set:
        return {s.municipality_id for s in self.surges}

    def volunteers(self) -> QuerySet[Volunteer]:
        """Volunteers who signed up since the surge began, living in or able to travel to its place."""
        if not self.surges:
            return Volunteer.objects.none()
        since = min(s.declared_on for s in self.surges)
        return Volunteer.objects.filter(
            Q(municipality_id__in=self.municipality_ids) | Q(travel_municipalities__in=self.municipality_ids),
            created_at__date__gte=since,
        ).distinct()

    def open_needs(self) -> QuerySet[Need]:
        return Need.objects.filter(status=Need.Status.OPEN, municipality_id__in=self.municipality_ids)


def surge_scope(user: User, today: datetime.date | None = None) -> SurgeScope:
    publishing = {o.pk for o in permissions.publishing_organisations(user)}
    coordinating = {
        o.municipality_id for o in permissions.coordinator_organisations(user) if o.municipality_id
    }
    return SurgeScope(
        surges=[
            s
            for s in active_surges(today)
            if s.organisation_id in publishing or s.municipality_id in coordinating
        ]
    )


@dataclass
class QueueRow:
    volunteer: Volunteer
    offers: int
    accepted: int
    best: list[Need]


def surge_queue(user: User, today: datetime.date | None = None) -> tuple[SurgeScope, list[QueueRow], list]:
    """The coordinator's queue during a surge: new volunteers (fewest offers first) with the needs that fit
    them best, and the open needs with how many volunteers each has been offered. The listing is logged."""
    today = today or timezone.localdate()
    scope = surge_scope(user, today)
    volunteers = list(
        scope.volunteers()
        .select_related("municipality")
        .annotate(
            n_offers=Count("assignments", distinct=True),
            n_accepted=Count(
                "assignments", filter=Q(assignments__status=NeedAssignment.Status.ACCEPTED), distinct=True
            ),
        )
        .order_by("n_offers", "created_at")
    )
    needs = list(
        scope.open_needs()
        .select_related("organisation", "municipality")
        .annotate(n_offered=Count("assignments"))
        .order_by("-published_on", "title")
    )
    rows = []
    for v in volunteers:
        fits = sorted(
            (
                (need_score(v.skills, v.languages, v.interests, n.skills, n.languages, n.kind), n)
                for n in needs
                if n.municipality_id in _places(v)
            ),
            key=lambda pair: -pair[0],
        )
        rows.append(
            QueueRow(
                volunteer=v, offers=v.n_offers, accepted=v.n_accepted, best=[n for s, n in fits[:2] if s]
            )
        )
    if scope.surges:
        audit.record(
            user=user,
            organisation=scope.surges[0].organisation,
            action=AuditAction.LIST,
            object_type="volunteering.volunteer",
            summary=f"surge queue: {len(rows)} volunteers",
        )
    return scope, rows, needs
