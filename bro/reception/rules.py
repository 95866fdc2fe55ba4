"""Pure rules for reception centres and host municipalities: no Django imports, dates and numbers in.

Error codes are returned (not messages); ``bro.reception.messages`` words them in the user's language.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from bro.people.rules import RECEPTION_PHASES, age_on

# --- stays and occupancy ------------------------------------------------------------------------


@dataclass(frozen=True)
class Stay:
    """A person living in one reception centre from ``since`` (inclusive) to ``until`` (exclusive)."""

    person_id: object
    centre_id: object
    since: datetime.date
    until: datetime.date | None = None


def stays_from_events(person_id, events: Sequence[tuple[datetime.date, str, object]]) -> list[Stay]:
    """The centre stays in one person's timeline of (date, phase, organisation id), in order.

    A person lives in the centre named by the phase event while their phase is one of the reception
    phases (arrival, reception, permit granted, ready for settlement, final rejection — the phases in
    which the centre and its host municipality are responsible, 000:L78–91; DOMAIN §1). A stay ends on
    the day of the next event that leaves the reception phases or names another organisation (a move
    between centres, settlement, return). Same-day moves give an empty stay, which is dropped.
    """
    stays: list[Stay] = []
    current: tuple[object, datetime.date] | None = None
    for day, phase, organisation_id in events:
        living_at = organisation_id if phase in RECEPTION_PHASES else None
        if current is not None and current[0] != living_at:
            if day > current[1]:
                stays.append(Stay(person_id, current[0], current[1], day))
            current = None
        if living_at is not None and current is None:
            current = (living_at, day)
    if current is not None:
        stays.append(Stay(person_id, current[0], current[1], None))
    return stays


def residents_on(stays: Iterable[Stay], day: datetime.date) -> int:
    """How many stays cover ``day``: begun on or before it, not ended on or before it."""
    return sum(1 for s in stays if s.since <= day and (s.until is None or day < s.until))


def occupancy_series(stays: Iterable[Stay], days: Sequence[datetime.date]) -> list[int]:
    """Residents on each of ``days``."""
    stays = list(stays)
    return [residents_on(stays, day) for day in days]


def month_starts(today: datetime.date, months: int) -> list[datetime.date]:
    """The first day of each of the last ``months`` months, oldest first, the current month last."""
    result = []
    year, month = today.year, today.month
    for _ in range(months):
        result.append(datetime.date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(result))


# --- age groups ---------------------------------------------------------------------------------

# The groups in which centres announce arrivals: pre-school, compulsory school age, upper-secondary
# age (still minors, so child welfare applies), adults. Host municipalities plan school, kindergarten
# and child welfare by these (002:L1256–1266; the "47 extra persons" with no notice, 000:L388).
AGE_0_5, AGE_6_15, AGE_16_17, AGE_18_PLUS = "age_0_5", "age_6_15", "age_16_17", "age_18_plus"
AGE_GROUPS = (AGE_0_5, AGE_6_15, AGE_16_17, AGE_18_PLUS)


def age_group(birth_date: datetime.date, on: datetime.date) -> str:
    return group_for_age(age_on(birth_date, on))


def group_for_age(age: int) -> str:
    if age <= 5:
        return AGE_0_5
    if age <= 15:
        return AGE_6_15
    if age <= 17:
        return AGE_16_17
    return AGE_18_PLUS


# --- statutory services and demand ---------------------------------------------------------------

SCHOOL, KINDERGARTEN, HEALTH, CHILD_WELFARE = "school", "kindergarten", "health", "child_welfare"
SERVICES = (SCHOOL, KINDERGARTEN, HEALTH, CHILD_WELFARE)

# Who needs which service, by age in whole years. ASSUMPTIONS, each with the rule it follows:
# - kindergarten 1–5: the right to a kindergarten place starts at age 1 (barnehageloven § 16) and
#   ends when school starts;
# - school 6–15: compulsory primary and lower-secondary school, which children who will stay more
#   than three months have a right and duty to (opplæringslova § 2-1); upper secondary is the county's;
# - health: every resident (helse- og omsorgstjenesteloven § 3-1, the municipality where one stays);
# - child welfare: every minor, 0–17 (barnevernsloven § 1-3).
SERVICE_AGES: dict[str, tuple[int, int | None]] = {
    KINDERGARTEN: (1, 5),
    SCHOOL: (6, 15),
    HEALTH: (0, None),
    CHILD_WELFARE: (0, 17),
}
# For announced arrivals only the age group is known. ASSUMPTION: a group counts in full towards a
# service when the service's ages overlap it, so 0–5 counts fully for kindergarten (an upper bound:
# infants under 1 have no right to a place yet).
SERVICE_AGE_GROUPS: dict[str, frozenset[str]] = {
    KINDERGARTEN: frozenset({AGE_0_5}),
    SCHOOL: frozenset({AGE_6_15}),
    HEALTH: frozenset(AGE_GROUPS),
    CHILD_WELFARE: frozenset({AGE_0_5, AGE_6_15, AGE_16_17}),
}


def needs_service(service: str, age: int) -> bool:
    low, high = SERVICE_AGES[service]
    return age >= low and (high is None or age <= high)


def demand_from_ages(ages: Iterable[int]) -> dict[str, int]:
    """Residents who need each statutory service, from their ages."""
    ages = list(ages)
    return {service: sum(1 for age in ages if needs_service(service, age)) for service in SERVICES}


def demand_from_groups(counts: dict[str, int]) -> dict[str, int]:
    """Persons who need each service, from counts by age group (announced arrivals)."""
    return {
        service: sum(counts.get(group, 0) for group in SERVICE_AGE_GROUPS[service]) for service in SERVICES
    }


def add_demand(*parts: dict[str, int]) -> dict[str, int]:
    """Sum of demands per service, never below zero (announced departures subtract)."""
    return {service: max(0, sum(part.get(service, 0) for part in parts)) for service in SERVICES}


def over_capacity(demand: int, capacity: int | None) -> bool:
    """Demand exceeds a recorded capacity. No capacity recorded is not a shortage, but unknown."""
    return capacity is not None and demand > capacity


# --- occupancy changes --------------------------------------------------------------------------

PLANNED_OPENING, PLANNED_CLOSING, ARRIVALS, DEPARTURES = (
    "planned_opening",
    "planned_closing",
    "arrivals",
    "departures",
)
OCCUPANCY_CHANGE_KINDS = (PLANNED_OPENING, PLANNED_CLOSING, ARRIVALS, DEPARTURES)
# Arrivals and departures may be recorded up to this many days after they happened; planned openings
# and closings only ahead of time. The point is notice (000:L388), not history.
LATE_RECORDING_DAYS = 30
# Further ahead than a year is not a plan anyone can act on.
PLANNING_HORIZON_DAYS = 366


def occupancy_change_errors(
    kind: str, effective_date: datetime.date, counts: dict[str, int], today: datetime.date
) -> dict[str, str]:
    """Field → error code for an announced change of occupancy; empty when it is acceptable."""
    errors: dict[str, str] = {}
    if kind not in OCCUPANCY_CHANGE_KINDS:
        errors["kind"] = "unknown_kind"
    for group in AGE_GROUPS:
        if counts.get(group, 0) < 0:
            errors[group] = "count_negative"
    total = sum(max(0, counts.get(group, 0)) for group in AGE_GROUPS)
    if kind in (ARRIVALS, DEPARTURES) and total == 0 and not errors:
        errors[AGE_0_5] = "count_required"
    if (effective_date - today).days > PLANNING_HORIZON_DAYS:
        errors["effective_date"] = "date_too_far_ahead"
    elif kind in (PLANNED_OPENING, PLANNED_CLOSING) and effective_date < today:
        errors["effective_date"] = "planned_date_in_past"
    elif kind in (ARRIVALS, DEPARTURES) and (today - effective_date).days > LATE_RECORDING_DAYS:
        errors["effective_date"] = "date_too_late"
    return errors


def signed_counts(kind: str, counts: dict[str, int]) -> dict[str, int]:
    """How a change moves the number of residents by age group: departures and closings subtract."""
    sign = -1 if kind in (DEPARTURES, PLANNED_CLOSING) else 1
    return {group: sign * counts.get(group, 0) for group in AGE_GROUPS}


# --- capacity -------------------------------------------------------------------------------------

MAX_PLACES = 10_000


def capacity_error(value: int) -> str | None:
    if value < 0:
        return "capacity_negative"
    if value > MAX_PLACES:
        return "capacity_too_large"
    return None


def value_on(history: Iterable[tuple[datetime.date, int]], day: datetime.date) -> int | None:
    """The value of a dated history (valid_from, value) on ``day``: the latest that had started."""
    best = None
    for valid_from, value in history:
        if valid_from <= day and (best is None or valid_from >= best[0]):
            best = (valid_from, value)
    return best[1] if best else None


# --- Norwegian training in reception ---------------------------------------------------------------

# Hours are counted per ISO week. Hours offered vary between centres (002:L19–93); a full-time
# programme is 37.5 h a week (004:L378–380), so more than 40 hours of training a week is a typing error.
MAX_WEEKLY_HOURS = Decimal("40")


def weeks_in_iso_year(year: int) -> int:
    """52 or 53: 28 December is always in the last ISO week of its year."""
    return datetime.date(year, 12, 28).isocalendar()[1]


def iso_week_monday(year: int, week: int) -> datetime.date:
    return datetime.date.fromisocalendar(year, week, 1)


def training_week_errors(
    *,
    iso_year: int,
    iso_week: int,
    hours_offered: Decimal,
    hours_attended: Decimal,
    social_studies_hours: Decimal | None,
    today: datetime.date,
    arrived_on: datetime.date | None,
) -> dict[str, str]:
    """Field → error code for one week of training; empty when it is acceptable.

    Attended hours cannot exceed offered ones, and social studies are part of the hours offered (only
    58 % of centres offer them, 002:L19–93, so they are recorded apart). The week may be the current
    one but not a later one, nor one that ended before the person arrived in reception.
    """
    errors: dict[str, str] = {}
    if iso_year < 2000 or iso_year > today.year + 1:
        errors["iso_year"] = "year_out_of_range"
    elif iso_week < 1 or iso_week > weeks_in_iso_year(iso_year):
        errors["iso_week"] = "week_does_not_exist"
    else:
        monday = iso_week_monday(iso_year, iso_week)
        if monday > today:
            errors["iso_week"] = "week_in_future"
        elif arrived_on is not None and monday + datetime.timedelta(days=6) < arrived_on:
            errors["iso_week"] = "week_before_arrival"
    for name, value in (("hours_offered", hours_offered), ("hours_attended", hours_attended)):
        if value < 0:
            errors[name] = "hours_negative"
        elif value > MAX_WEEKLY_HOURS:
            errors[name] = "hours_too_many"
    if "hours_attended" not in errors and "hours_offered" not in errors and hours_attended > hours_offered:
        errors["hours_attended"] = "attended_more_than_offered"
    if social_studies_hours is not None:
        if social_studies_hours < 0:
            errors["social_studies_hours"] = "hours_negative"
        elif social_studies_hours > hours_offered:
            errors["social_studies_hours"] = "social_studies_more_than_offered"
    return errors


@dataclass(frozen=True)
class TrainingTotals:
    weeks: int
    hours_offered: Decimal
    hours_attended: Decimal
    social_studies_hours: Decimal
    weeks_with_social_studies: int

    @property
    def attendance_percent(self) -> int | None:
        """Attended as a whole percentage of offered; None when nothing was offered."""
        if not self.hours_offered:
            return None
        return int((self.hours_attended * 100 / self.hours_offered).to_integral_value())


def training_totals(weeks: Iterable[tuple[Decimal, Decimal, Decimal | None]]) -> TrainingTotals:
    """Totals of (offered, attended, social studies) over a person's weeks."""
    count, offered, attended, social, social_weeks = 0, Decimal(0), Decimal(0), Decimal(0), 0
    for week_offered, week_attended, week_social in weeks:
        count += 1
        offered += week_offered
        attended += week_attended
        if week_social:
            social += week_social
            social_weeks += 1
    return TrainingTotals(count, offered, attended, social, social_weeks)
