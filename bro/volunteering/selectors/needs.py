"""Reads for needs, answers and activities.

Needs and answers carry no personal data (the services refuse it), so every logged-in user may read them
and public needs are open to anyone. Activities are organisations' offers; who takes part is not shown
here (a volunteer's own activities are theirs to see).
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from bro.core import policy
from bro.core.models import Municipality, User
from bro.core.roles import OrganisationKind, Role
from bro.volunteering import permissions
from bro.volunteering.models import Activity, Need, NeedResponse

STAFF_LIST_LIMIT = 300


def need_or_404(need_id) -> Need:
    need = Need.objects.select_related("organisation", "municipality").filter(pk=need_id).first()
    if need is None:
        raise Http404
    return need


def is_need_staff(user: User) -> bool:
    """Publishers and coordinators use the staff pages for needs."""
    return bool(permissions.publishing_organisations(user) or permissions.coordinator_organisations(user))


def staff_needs(
    user: User, *, status: str = "", municipality_id=None, kind: str = "", mine: bool = False
) -> QuerySet[Need]:
    """Needs for the staff list, newest first, with their number of answers."""
    needs = Need.objects.select_related("organisation", "municipality").annotate(
        answer_count=Count("responses")
    )
    if status:
        needs = needs.filter(status=status)
    if municipality_id:
        needs = needs.filter(municipality_id=municipality_id)
    if kind:
        needs = needs.filter(kind=kind)
    if mine:
        own = [o.id for o in permissions.publishing_organisations(user)]
        answering = [o.id for o in permissions.answering_organisations(user)]
        needs = needs.filter(
            Q(organisation_id__in=own) | Q(responses__organisation_id__in=answering)
        ).distinct()
    return needs.order_by("-published_on", "title")[:STAFF_LIST_LIMIT]


def need_answers(need: Need) -> list[NeedResponse]:
    """Every organisation's answer: the publisher and the other organisations all see them (003:L1045)."""
    return list(need.responses.select_related("organisation", "activity"))


def public_needs(*, municipality_id=None, kind: str = "") -> QuerySet[Need]:
    """Open needs marked public, for the sign-up side (no login)."""
    needs = Need.objects.filter(status=Need.Status.OPEN, is_public=True).select_related("municipality")
    if municipality_id:
        needs = needs.filter(municipality_id=municipality_id)
    if kind:
        needs = needs.filter(kind=kind)
    return needs.order_by("municipality__name", "-published_on", "title")


def public_need_municipalities() -> list[Municipality]:
    ids = Need.objects.filter(status=Need.Status.OPEN, is_public=True).values("municipality_id")
    return list(Municipality.objects.filter(pk__in=ids).order_by("name"))


def municipalities_on(day: datetime.date) -> QuerySet[Municipality]:
    return Municipality.objects.valid_on(day).order_by("name")


# --- activities ----------------------------------------------------------------------------------------


def activity_or_404(activity_id) -> Activity:
    found = (
        Activity.objects.select_related("organisation", "municipality", "reception_centre")
        .filter(pk=activity_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def visible_activities(user: User) -> QuerySet[Activity]:
    """Activities the user may see: their organisations' (as organiser or partner), a volunteer's own,
    those at a reception centre where they work, and every activity in their overview's municipalities."""
    if not user.is_authenticated:
        return Activity.objects.none()
    coordinated = [o.id for o in permissions.coordinator_organisations(user)]
    condition = Q(organisation_id__in=coordinated) | Q(partners__id__in=coordinated)
    volunteer = permissions.own_volunteer(user)
    if volunteer is not None:
        condition |= Q(volunteers=volunteer)
    centres = [
        m.organisation_id
        for m in policy.memberships(user)
        if m.role == Role.RECEPTION_STAFF and m.organisation.kind == OrganisationKind.RECEPTION_CENTRE
    ]
    if centres:
        condition |= Q(reception_centre_id__in=centres)
    scope = permissions.overview_municipality_ids(user)
    if scope is None:
        return Activity.objects.select_related("organisation", "municipality").all()
    if scope:
        condition |= Q(municipality_id__in=scope)
    ids = Activity.objects.filter(condition).values("id")
    return Activity.objects.filter(id__in=ids).select_related("organisation", "municipality")


def can_view_activity(user: User, activity: Activity) -> bool:
    return visible_activities(user).filter(pk=activity.pk).exists()
