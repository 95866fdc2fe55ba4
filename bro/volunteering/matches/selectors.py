"""Reads of matches. What a match shows of the refugee is decided here, once, from the permissions and the
current consent; every read of a match that shows personal data is logged with the person's id."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from bro.core import audit, policy
from bro.core.models import AuditAction, User
from bro.people.models import HouseholdMember
from bro.volunteering.matches import permissions, rules
from bro.volunteering.matches.messages import REASONS, STEPS
from bro.volunteering.matches.models import Match
from bro.volunteering.matches.services import candidate_for, current_consent, wanted_for
from bro.volunteering.models import Volunteer
from bro.volunteering.permissions import coordinator_organisations, own_volunteer


@dataclass
class PersonView:
    """What the viewer sees of the refugee: only the fields named in ``fields`` are filled."""

    full: bool = False  # a caseworker who may read the person
    fields: tuple[str, ...] = ()
    given_name: str = ""
    family_name: str = ""
    languages: list[str] = field(default_factory=list)
    need: str = ""
    household_size: int | None = None
    phone: str = ""
    email: str = ""

    @property
    def awaiting_consent(self) -> bool:
        return not self.full and not self.fields


def match_or_404(match_id) -> Match:
    match = (
        Match.objects.select_related("person", "organisation", "volunteer", "volunteer__user")
        .filter(pk=match_id)
        .first()
    )
    if match is None:
        raise Http404
    return match


def person_view(user: User, match: Match, consent=...) -> PersonView:
    """The refugee as the viewer may see them (issue 6, acceptance 4)."""
    person = match.person
    consent = current_consent(match) if consent is ... else consent
    full = permissions.is_caseworker(user, match)
    fields = (
        rules.DEFAULT_SHARED + rules.EXTRA_SHARED
        if full
        else rules.shared_fields(consent.extra_fields if consent is not None else None)
    )
    view = PersonView(full=full, fields=fields)
    if not fields:
        return view
    view.given_name = person.given_name
    view.family_name = person.family_name if full else ""
    view.languages = sorted(person.languages.values_list("language", flat=True))
    view.need = match.need
    if "household_size" in fields:
        membership = HouseholdMember.objects.filter(person=person).first()
        view.household_size = (
            HouseholdMember.objects.filter(household_id=membership.household_id).count() if membership else 1
        )
    if "phone" in fields:
        view.phone = person.phone
    if "email" in fields:
        view.email = person.email
    return view


def _visible_q(user: User) -> Q | None:
    q = Q(pk__in=[])
    any_access = False
    orgs = [o.id for o in coordinator_organisations(user)]
    if orgs:
        q |= Q(organisation_id__in=orgs)
        any_access = True
    volunteer = own_volunteer(user)
    if volunteer is not None:
        q |= Q(volunteer=volunteer)
        any_access = True
    if policy.can_read_persons_at_all(user):
        q |= Q(person__in=policy.visible_persons(user))
        any_access = True
    return q if any_access else None


@dataclass
class Row:
    match: Match
    person: PersonView


def match_rows(user: User) -> list[Row]:
    """The matches the user may see, each with what they may see of the refugee; logged as a list read."""
    q = _visible_q(user)
    if q is None:
        raise PermissionDenied
    matches = list(
        Match.objects.filter(q).select_related("person", "organisation", "volunteer", "volunteer__user")
    )
    rows = [Row(m, person_view(user, m)) for m in matches]
    shown = [r for r in rows if r.person.fields]
    if shown:
        audit.record(
            user=user,
            organisation=None,
            action=AuditAction.LIST,
            object_type="volunteering_matches.match",
            summary=f"{len(shown)} matches with personal data",
        )
    return rows


@dataclass
class ProposalRow:
    volunteer: Volunteer
    score: int
    reasons: list[str]
    missing: list[str]


def _reason_text(code: str, details: tuple[str, ...]) -> str:
    if code == rules.SHARED_LANGUAGE:
        return str(REASONS[code]) % {"details": ", ".join(details)}
    return str(REASONS[code])


def proposals(user: User, match: Match, on: datetime.date) -> tuple[list[ProposalRow], list[ProposalRow]]:
    """For the coordinator: the organisation's volunteers who may start, best first, with reasons; and those
    who could after the onboarding steps named."""
    if not permissions.can_manage(user, match):
        raise PermissionDenied
    volunteers = {
        v.pk: v
        for v in Volunteer.objects.filter(onboardings__organisation=match.organisation)
        .select_related("municipality")
        .prefetch_related("travel_municipalities")
        .order_by("family_name", "given_name", "pk")
    }
    wanted = wanted_for(match, on)
    ready, waiting = rules.propose(
        (candidate_for(v, match.organisation) for v in volunteers.values()), wanted
    )

    def row(p) -> ProposalRow:
        return ProposalRow(
            volunteers[p.key],
            p.score,
            [_reason_text(code, details) for code, details in p.reasons],
            [str(STEPS[s]) for s in p.missing],
        )

    return [row(p) for p in ready], [row(p) for p in waiting]


@dataclass
class MatchView:
    match: Match
    person: PersonView
    consent: object
    consents: list
    check_ins: list
    hours: object
    agreed_end: datetime.date | None
    is_own: bool
    is_coordinator: bool
    can_record_consent: bool
    can_record_refugee_feedback: bool


def match_detail(user: User, match_id) -> MatchView:
    """One match as the user may see it; the read is logged with the person's id when anything of the
    person is shown."""
    match = match_or_404(match_id)
    if not permissions.can_view(user, match):
        raise PermissionDenied
    consent = current_consent(match)
    view = person_view(user, match, consent)
    check_ins = list(match.check_ins.all())
    if view.fields:
        audit.record(
            user=user,
            organisation=(
                permissions.person_access(user, match).organisation if view.full else match.organisation
            ),
            action=AuditAction.READ,
            obj=match,
            person_id=match.person_id,
            summary="match: " + ", ".join(view.fields),
        )
    caseworker_writes = permissions.can_record_consent(user, match)
    return MatchView(
        match=match,
        person=view,
        consent=consent,
        consents=list(match.consents.all()) if view.full else [],
        check_ins=check_ins,
        hours=rules.total_hours(c.hours for c in check_ins),
        agreed_end=rules.agreed_end(match.starts_on, match.agreed_months) if match.starts_on else None,
        is_own=permissions.is_own(user, match),
        is_coordinator=permissions.is_coordinator(user, match),
        can_record_consent=caseworker_writes,
        can_record_refugee_feedback=permissions.can_record_refugee_feedback(user, match),
    )


def matches_of_person(user: User, person) -> list[Match]:
    """For the person's page: their matches, to caseworkers who may read the person."""
    if not policy.access_to_person(user, person).can_read:
        return []
    return list(Match.objects.filter(person=person).select_related("organisation"))
