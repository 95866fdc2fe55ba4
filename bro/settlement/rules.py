"""Pure rules for the yearly settlement cycle: no Django imports, dates and numbers in, answers out.

Error codes are returned (not messages) so that pages and the API can word them in the user's
language; ``bro.settlement.messages`` holds the wording.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

ORDINARY = "ordinary"
UNACCOMPANIED_MINOR = "unaccompanied_minor"
TARGET_GROUPS = (ORDINARY, UNACCOMPANIED_MINOR)

# Persons this close to their deadline are listed as "near the target" on the waiting-time list, so
# that the directorate can act before the target is missed.
NEAR_TARGET_DAYS = 30

# Family-reunified persons come on top of the decided figure (004:L1307–1313).
FAMILY_REUNIFIED = "family_reunified"


# --- dates -----------------------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus whole calendar months, clamped to the last day of a shorter month.

    31 August + 6 months is 28 February (29 in a leap year); 30 November + 3 months likewise. This is
    how a deadline "within N months of the permit" is read [public rule; the Public Administration
    Act § 30 counts months the same way: the same date, or the month's last day when there is none].
    """
    index = day.month - 1 + months
    year = day.year + index // 12
    month = index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def whole_months_between(start: datetime.date, end: datetime.date) -> int:
    """How many whole months have passed from ``start`` to ``end`` (0 when ``end`` is before ``start``)."""
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + (end.month - start.month)
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return months


def days_between(start: datetime.date, end: datetime.date) -> int:
    return max(0, (end - start).days)


@dataclass(frozen=True)
class TargetRule:
    """One dated value of the settlement-time target (bro/settlement/rates/settlement_targets.yaml)."""

    group: str
    months: int
    valid_from: datetime.date
    source: str


def target_for(rules: Iterable[TargetRule], group: str, on: datetime.date) -> TargetRule | None:
    """The target for ``group`` in force on ``on`` (the newest rule whose ``valid_from`` is not after it)."""
    candidates = [r for r in rules if r.group == group and r.valid_from <= on]
    return max(candidates, key=lambda r: r.valid_from) if candidates else None


def target_group(is_unaccompanied_minor: bool) -> str:
    # Unaccompanied minors have the shorter target, 3 months (DOMAIN.md §3 [public rule]).
    return UNACCOMPANIED_MINOR if is_unaccompanied_minor else ORDINARY


WITHIN = "within"
NEAR = "near"
OVER = "over"


@dataclass(frozen=True)
class Waiting:
    """How long a person has waited for settlement since the permit, against the target."""

    permit_date: datetime.date
    until: datetime.date  # today, or the settlement date
    target_months: int
    deadline: datetime.date
    days: int
    months: int
    status: str  # WITHIN, NEAR or OVER
    days_over: int  # 0 unless OVER

    @property
    def days_left(self) -> int:
        return max(0, (self.deadline - self.until).days)


def waiting(permit_date: datetime.date, until: datetime.date, target_months: int) -> Waiting:
    """The wait from the permit to ``until`` against a target of ``target_months``.

    Settled on the deadline day is within the target; the day after is over it (DOMAIN.md §3:
    "settled within 6 months of the permit, 3 months for unaccompanied minors" [public rule]).
    """
    deadline = add_months(permit_date, target_months)
    if until > deadline:
        status = OVER
    elif (deadline - until).days <= NEAR_TARGET_DAYS:
        status = NEAR
    else:
        status = WITHIN
    return Waiting(
        permit_date=permit_date,
        until=until,
        target_months=target_months,
        deadline=deadline,
        days=days_between(permit_date, until),
        months=whole_months_between(permit_date, until),
        status=status,
        days_over=max(0, (until - deadline).days),
    )


# --- counting against the council decision ---------------------------------------------------------


@dataclass(frozen=True)
class DecisionCount:
    decided: int | None
    ordinary: int
    family_reunification: int
    exceeded_by: int  # ordinary settlements beyond the decision

    @property
    def total(self) -> int:
        return self.ordinary + self.family_reunification

    @property
    def remaining(self) -> int | None:
        return None if self.decided is None else max(0, self.decided - self.ordinary)

    @property
    def exceeds(self) -> bool:
        return self.exceeded_by > 0


def is_family_reunification(category: str) -> bool:
    return category == FAMILY_REUNIFIED


def flag_settlements(decided: int | None, family_flags: Sequence[bool]) -> list[bool]:
    """For settlements in the order they happened (True = family reunification), which exceed the decision.

    The municipality settles the number IMDi asks for up to the decided figure; family reunifications
    come on top and never count against it; settling more than decided must go back for a political
    or administrative decision (004:L1307–1313). Without a decision every ordinary settlement exceeds
    it (the council has agreed to none).
    """
    limit = decided or 0
    ordinary = 0
    flags = []
    for family in family_flags:
        if family:
            flags.append(False)
            continue
        ordinary += 1
        flags.append(ordinary > limit)
    return flags


def count_against_decision(decided: int | None, family_flags: Sequence[bool]) -> DecisionCount:
    family = sum(1 for f in family_flags if f)
    ordinary = len(family_flags) - family
    return DecisionCount(
        decided=decided,
        ordinary=ordinary,
        family_reunification=family,
        exceeded_by=max(0, ordinary - (decided or 0)),
    )


def would_exceed(decided: int | None, ordinary_so_far: int, ordinary_added: int) -> bool:
    """Whether settling ``ordinary_added`` more ordinary persons takes the year past the decision."""
    return ordinary_added > 0 and ordinary_so_far + ordinary_added > (decided or 0)


# --- input checks ------------------------------------------------------------------------------------

FIRST_YEAR = 2000


def year_error(year: int, today: datetime.date) -> str | None:
    """Settlement years run from 2000 to next year (requests for next year go out in the autumn)."""
    if year < FIRST_YEAR or year > today.year + 1:
        return "year_out_of_range"
    return None


def count_error(persons: int, minors: int) -> tuple[str, str] | None:
    """(field, code) when a figure is impossible: negative, or more minors than persons."""
    if persons < 0:
        return ("persons", "negative")
    if minors < 0:
        return ("unaccompanied_minors", "negative")
    if minors > persons:
        return ("unaccompanied_minors", "minors_exceed_persons")
    return None


def date_error(day: datetime.date, today: datetime.date) -> str | None:
    if day > today:
        return "date_in_future"
    return None


def county_split_error(need_persons: int, need_minors: int, split: dict[str, tuple[int, int]]) -> str | None:
    """The county split may leave part of the need unallocated, but not hand out more than it."""
    if sum(p for p, _m in split.values()) > need_persons:
        return "split_exceeds_need"
    if sum(m for _p, m in split.values()) > need_minors:
        return "split_minors_exceed_need"
    return None


def proposal_error(
    *, all_ready: bool, has_open_proposal: bool, refused: bool, override_reason: str
) -> str | None:
    """Why the directorate may not propose a municipality for a household now, or ``None``.

    Only households ready for settlement (interview done) are proposed; one proposal at a time; and the
    person gets one offer: after a refusal no new ordinary proposal is made unless the directorate
    records why (004:L1264–1270).
    """
    if not all_ready:
        return "household_not_ready"
    if has_open_proposal:
        return "proposal_already_open"
    if refused and not override_reason.strip():
        return "offer_already_refused"
    return None
