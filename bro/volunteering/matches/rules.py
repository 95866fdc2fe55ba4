"""Pure rules for one-to-one matches: what a match asks of a volunteer, who is proposed and why, what the
volunteer sees of the refugee, the agreed end and the hours. No Django imports.

Sources: matches are proposed from languages, place, interests and availability (issue 6); "a good
neighbour" runs for a year (DOMAIN §9); work with children needs a police certificate and nobody should wait
six weeks for steps an activity does not need (003:L2309); volunteers see only what the refugee agreed to
share, by default first name, languages and the need (DOMAIN §12, issue 6).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from bro.settlement.rules import add_months
from bro.volunteering.rules import Progress, Requirements, missing_steps

ADULT_AGE = 18
MAX_CHECK_IN_HOURS = Decimal("24")
MAX_AGREED_MONTHS = 36

# Reason codes (worded in messages.REASONS) and their weights. A shared language matters most: the
# relationship is the point (seed 001); then place (volunteers meet at home), interest in the kind, time.
SHARED_LANGUAGE = "shared_language"
NO_SHARED_LANGUAGE = "no_shared_language"
LIVES_THERE = "lives_there"
TRAVELS_THERE = "travels_there"
INTERESTED = "interested"
AVAILABLE = "available"
COMMITS_LONG_ENOUGH = "commits_long_enough"
WEIGHTS = {
    SHARED_LANGUAGE: 3,
    LIVES_THERE: 3,
    TRAVELS_THERE: 1,
    INTERESTED: 2,
    AVAILABLE: 1,
    COMMITS_LONG_ENOUGH: 1,
}

# Fields a consent may add beyond first name, languages and the need (MatchConsent.EXTRA_FIELDS).
DEFAULT_SHARED = ("given_name", "languages", "need")
EXTRA_SHARED = ("household_size", "phone", "email")


def involves_children(person_age: int, household_ages: Iterable[int], with_household: bool) -> bool:
    """A match involves children when the refugee is a minor, or the volunteer meets a household with one
    (DOMAIN §9: work with children needs a police certificate)."""
    if person_age < ADULT_AGE:
        return True
    return with_household and any(age < ADULT_AGE for age in household_ages)


def requirements(involves_children: bool) -> Requirements:
    """What a one-to-one match asks before it starts. [assumption] A volunteer meets a refugee alone and at
    home, so the organisation's information meeting and a signed commitment come first; the police
    certificate only when children are involved (DOMAIN §9; 003:L2309). Training is not required."""
    return Requirements(information_meeting=True, commitment=True, involves_children=involves_children)


@dataclass(frozen=True)
class Wanted:
    """What the match asks for: the refugee's languages and municipality, the kind, the agreed period."""

    languages: frozenset[str]
    municipality: str  # municipality number
    kind: str
    involves_children: bool
    starts_on: datetime.date
    agreed_months: int
    availability: frozenset[str] = frozenset()  # empty: any time


@dataclass(frozen=True)
class Candidate:
    key: object
    languages: frozenset[str]
    municipality: str
    travel_municipalities: frozenset[str]
    interests: frozenset[str]
    availability: frozenset[str]
    available_until: datetime.date | None
    progress: Progress | None  # onboarding with the match's organisation


@dataclass(frozen=True)
class Proposal:
    key: object
    score: int
    reasons: tuple[tuple[str, tuple[str, ...]], ...]  # (reason code, details such as the languages)
    missing: tuple[str, ...] = field(default=())  # onboarding steps still missing; empty means may start

    @property
    def may_start(self) -> bool:
        return not self.missing


def agreed_end(starts_on: datetime.date, months: int) -> datetime.date:
    """The last day of the agreed period."""
    return add_months(starts_on, months) - datetime.timedelta(days=1)


def score(candidate: Candidate, wanted: Wanted) -> Proposal | None:
    """The candidate's score and its reasons, or ``None`` when they cannot reach the refugee's municipality.

    Onboarding steps still missing for this match (bro.volunteering.rules) are returned, not scored: the
    coordinator sees who could start after what.
    """
    reasons: list[tuple[str, tuple[str, ...]]] = []
    if candidate.municipality == wanted.municipality:
        reasons.append((LIVES_THERE, ()))
    elif wanted.municipality in candidate.travel_municipalities:
        reasons.append((TRAVELS_THERE, ()))
    else:
        return None
    shared = tuple(sorted(candidate.languages & wanted.languages))
    reasons.insert(0, (SHARED_LANGUAGE, shared) if shared else (NO_SHARED_LANGUAGE, ()))
    if wanted.kind in candidate.interests:
        reasons.append((INTERESTED, ()))
    times = tuple(sorted(candidate.availability & wanted.availability)) if wanted.availability else ()
    if times or (not wanted.availability and candidate.availability):
        reasons.append((AVAILABLE, times))
    end = agreed_end(wanted.starts_on, wanted.agreed_months)
    if candidate.available_until is None or candidate.available_until >= end:
        reasons.append((COMMITS_LONG_ENOUGH, ()))
    total = sum(
        WEIGHTS.get(code, 0) * max(1, len(details) if code == SHARED_LANGUAGE else 1)
        for code, details in reasons
    )
    missing = missing_steps(requirements(wanted.involves_children), candidate.progress, wanted.starts_on)
    return Proposal(candidate.key, total, tuple(reasons), missing)


def propose(candidates: Iterable[Candidate], wanted: Wanted) -> tuple[list[Proposal], list[Proposal]]:
    """Candidates who may start, best first, and those who could after the missing onboarding steps.

    Ties keep the order given (the caller passes volunteers in a stable order).
    """
    scored = [p for c in candidates if (p := score(c, wanted)) is not None]
    ready = sorted((p for p in scored if p.may_start), key=lambda p: -p.score)
    waiting = sorted((p for p in scored if not p.may_start), key=lambda p: (len(p.missing), -p.score))
    return ready, waiting


def shared_fields(consent_extra: Iterable[str] | None) -> tuple[str, ...]:
    """Which of the refugee's fields the volunteer sees: nothing without a current consent; else the
    defaults and the ticked extras (issue 6, acceptance 4)."""
    if consent_extra is None:
        return ()
    return DEFAULT_SHARED + tuple(f for f in EXTRA_SHARED if f in set(consent_extra))


def total_hours(hours: Iterable[Decimal]) -> Decimal:
    return sum(hours, Decimal("0"))


def check_in_error(
    day: datetime.date, hours: Decimal, starts_on, ends_on, today: datetime.date
) -> str | None:
    """A check-in is a meeting that happened while the match ran: not before the start, not after the end or
    today, more than nothing and at most a day."""
    if hours <= 0:
        return "hours_not_positive"
    if hours > MAX_CHECK_IN_HOURS:
        return "hours_too_many"
    if day > today:
        return "check_in_in_future"
    if starts_on is None or day < starts_on:
        return "check_in_before_start"
    if ends_on is not None and day > ends_on:
        return "check_in_after_end"
    return None
