"""Every read of personal data: scoped by the access policy, and logged."""

from __future__ import annotations

import uuid

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404

from bro.core import audit, policy
from bro.core.models import AuditAction, AuditEntry, User
from bro.people.models import HouseholdMember, Person, PhaseEvent


def person_queryset(
    user: User, *, query: str = "", phase: str = "", include_history: bool = False
) -> QuerySet:
    """Persons the user may see: by default those their organisations work with now (responsible or shared)."""
    qs = policy.visible_persons(user, current_only=not include_history)
    query = " ".join(query.split())
    if query:
        digits = query.replace(" ", "")
        if digits.isdigit():
            # Only DUF numbers are searchable; identity numbers are never put in a URL or log.
            qs = qs.filter(duf_number=digits)
        else:
            for word in query.split(" ")[:4]:
                qs = qs.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
    if phase:
        qs = qs.filter(current_phase=phase)
    return qs.select_related("responsible_organisation").order_by("family_name", "given_name", "id")


def person_page(
    user: User,
    *,
    query: str = "",
    phase: str = "",
    include_history: bool = False,
    page: int | str = 1,
    per_page: int = 25,
    channel: str = "web",
) -> Page:
    qs = person_queryset(user, query=query, phase=phase, include_history=include_history)
    result = Paginator(qs, per_page).get_page(page)
    audit.record(
        user=user,
        organisation=None,
        action=AuditAction.LIST,
        object_type="people.person",
        summary=f"page {result.number}, {len(result.object_list)} persons",
        channel=channel,
    )
    return result


def get_person(user: User, person_id, *, channel: str = "web") -> tuple[Person, policy.PersonAccess]:
    """The person, if the user may read them; the read is logged with the organisation that gave access.

    Persons the user may not see are reported as missing (404), so their existence does not leak.
    """
    try:
        person_uuid = uuid.UUID(str(person_id))
    except ValueError as exc:
        raise Http404 from exc
    person = Person.objects.select_related("responsible_organisation").filter(pk=person_uuid).first()
    if person is None:
        raise Http404
    access = policy.access_to_person(user, person)
    if not access.can_read:
        raise Http404
    audit.record(
        user=user,
        organisation=access.organisation,
        action=AuditAction.READ,
        obj=person,
        person_id=person.id,
        summary=access.reason,
        channel=channel,
    )
    return person, access


def timeline(person: Person) -> list[PhaseEvent]:
    return list(
        person.phase_events.select_related("organisation", "recorded_by", "recorded_for").order_by(
            "date", "recorded_at"
        )
    )


def household_members(person: Person) -> tuple[HouseholdMember | None, list[HouseholdMember]]:
    """The person's own membership and every member of their household (themselves included)."""
    own = HouseholdMember.objects.filter(person=person).select_related("household").first()
    if own is None:
        return None, []
    members = list(
        HouseholdMember.objects.filter(household=own.household)
        .select_related("person")
        .order_by("relation", "person__birth_date")
    )
    return own, members


def access_log(user: User, person: Person, *, limit: int = 50) -> list[AuditEntry]:
    """Who has read or changed this person, for users responsible for the person now."""
    access = policy.access_to_person(user, person)
    if not (access.can_read and access.reason == "responsible"):
        return []
    return list(
        AuditEntry.objects.filter(person_id=person.id)
        .select_related("organisation")
        .order_by("-at", "-id")[:limit]
    )
