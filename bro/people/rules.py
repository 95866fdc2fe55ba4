"""Pure rules for persons and the chain: no Django imports, dates and strings in, answers out.

Error codes are returned (not messages) so that pages and the API can word them in the user's
language; ``bro.people.messages`` holds the wording.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import fodselsnummer

ARRIVAL = "arrival"
RECEPTION = "reception"
PERMIT_GRANTED = "permit_granted"
READY_FOR_SETTLEMENT = "ready_for_settlement"
SETTLED = "settled"
IN_PROGRAMME = "in_programme"
FINISHED = "finished"
FINAL_REJECTION = "final_rejection"
RETURNED = "returned"
UNDOCUMENTED = "undocumented"

# The chain (DOMAIN §1): arrival → reception → permit → ready for settlement → settled → programme →
# finished, with the rejection branch final rejection → return or undocumented (003:L1644–1680).
# Persons who come with a permit already — resettlement refugees via UNHCR and family-reunified
# (DOMAIN §2) — start at "permit granted" and are settled directly; the settlement municipality may
# later be left for another (secondary move), hence settled → settled, also during the programme
# (in programme → settled elsewhere; the new municipality continues the programme).
INITIAL_PHASES = frozenset({ARRIVAL, PERMIT_GRANTED})
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    ARRIVAL: frozenset({RECEPTION}),
    RECEPTION: frozenset({RECEPTION, PERMIT_GRANTED, FINAL_REJECTION}),
    PERMIT_GRANTED: frozenset({RECEPTION, READY_FOR_SETTLEMENT, SETTLED}),
    READY_FOR_SETTLEMENT: frozenset({RECEPTION, SETTLED}),
    SETTLED: frozenset({SETTLED, IN_PROGRAMME, FINISHED}),
    IN_PROGRAMME: frozenset({FINISHED, SETTLED}),
    FINISHED: frozenset(),
    FINAL_REJECTION: frozenset({PERMIT_GRANTED, RETURNED, UNDOCUMENTED}),
    UNDOCUMENTED: frozenset({RETURNED}),
    RETURNED: frozenset(),
}
# Phases during which a person lives in a reception centre, so that centre and its host municipality
# are responsible (000:L78–91).
RECEPTION_PHASES = frozenset({ARRIVAL, RECEPTION, PERMIT_GRANTED, READY_FOR_SETTLEMENT, FINAL_REJECTION})
# Phases whose event must name a new organisation; the others carry the current one forward.
PHASES_NAMING_ORGANISATION = frozenset({RECEPTION, SETTLED})
# Persons without a reception stay (resettlement, family reunification) may go permit → settled;
# everyone who lives in a centre must first have the settlement interview (ready for settlement).
DIRECT_SETTLEMENT_CATEGORIES = frozenset({"resettlement_refugee", "family_reunified"})

# Why an organisation is responsible for a person (the values of Responsibility.Reason).
BECAUSE_OF_PHASE = "phase"
BECAUSE_HOST_MUNICIPALITY = "host_municipality"
BECAUSE_SETTLEMENT_ASSIGNMENT = "settlement_assignment"


def responsible_organisations(
    phase: str,
    organisation,
    *,
    is_reception_centre: bool,
    host_municipality=None,
    directorates=(),
) -> dict:
    """Organisation → reason, for who is responsible for a person during ``phase`` (DOMAIN §1).

    The phase event's organisation always is; the host municipality of the reception centre too while
    the person lives there (school, health and child welfare for residents, 000:L78–91); and the
    directorate while the person is ready for settlement, since it assigns the municipality
    (002:L398; 004:L472).
    """
    responsible = {organisation: BECAUSE_OF_PHASE}
    if phase in RECEPTION_PHASES and is_reception_centre and host_municipality is not None:
        responsible.setdefault(host_municipality, BECAUSE_HOST_MUNICIPALITY)
    if phase == READY_FOR_SETTLEMENT:
        for directorate in directorates:
            responsible.setdefault(directorate, BECAUSE_SETTLEMENT_ASSIGNMENT)
    return responsible


def responsibility_changes(open_now: dict, wanted: dict) -> tuple[list, list]:
    """Which open responsibilities end and which start when ``wanted`` replaces ``open_now``.

    Both map organisation → reason; a changed reason ends the old row and starts a new one, so the
    history says why an organisation had access at each time.
    """
    ending = [org for org, reason in open_now.items() if wanted.get(org) != reason]
    starting = [(org, reason) for org, reason in wanted.items() if open_now.get(org) != reason]
    return ending, starting


# Introduction programme age band, 18–55 (004:L378–380 and the Integration Act).
ADULT_AGE = 18


@dataclass(frozen=True)
class TransitionError:
    code: str


def transition_error(
    *,
    current_phase: str | None,
    target_phase: str,
    on: datetime.date,
    today: datetime.date,
    last_event_date: datetime.date | None,
    birth_date: datetime.date | None,
    category: str,
    lived_in_reception: bool,
    outcome: str = "",
) -> TransitionError | None:
    """Why a phase transition is not allowed, or ``None`` when it is."""
    if on > today:
        return TransitionError("date_in_future")
    if birth_date is not None and on < birth_date:
        return TransitionError("date_before_birth")
    if last_event_date is not None and on < last_event_date:
        return TransitionError("date_before_previous_event")
    if current_phase is None:
        if target_phase not in INITIAL_PHASES:
            return TransitionError("must_start_at_arrival_or_permit")
    elif target_phase not in ALLOWED_TRANSITIONS.get(current_phase, frozenset()):
        return TransitionError("skips_the_chain")
    if (
        target_phase == SETTLED
        and current_phase == PERMIT_GRANTED
        and lived_in_reception
        and category not in DIRECT_SETTLEMENT_CATEGORIES
    ):
        return TransitionError("settlement_interview_first")
    if target_phase == FINISHED and not outcome:
        return TransitionError("finish_needs_outcome")
    if target_phase != FINISHED and outcome:
        return TransitionError("outcome_only_when_finished")
    return None


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def identity_number_error(number: str, birth_date: datetime.date | None) -> str | None:
    """Validate a national identity number or D-number (python-stdnum) against the birth date."""
    try:
        compact = fodselsnummer.validate(number)
    except StdnumError:
        return "identity_number_invalid"
    if birth_date is not None and fodselsnummer.get_birth_date(compact) != birth_date:
        return "identity_number_birth_date_mismatch"
    return None


def identity_number_kind(number: str) -> str:
    """'d_number' when the first digit carries the D-number offset (+4), else 'fodselsnummer'."""
    compact = fodselsnummer.compact(number)
    return "d_number" if int(compact[0]) >= 4 else "fodselsnummer"


def complete_identity_number(first_nine: str) -> str | None:
    """Append both check digits to birth date + individual number, or ``None`` when a check digit
    would be 10 (no valid number exists for that individual number)."""
    first = fodselsnummer.calc_check_digit1(first_nine)
    if len(first) != 1:
        return None
    second = fodselsnummer.calc_check_digit2(first_nine + first)
    if len(second) != 1:
        return None
    return first_nine + first + second


DUF_PATTERN = re.compile(r"^\d{12}$")


def duf_number_error(number: str, today: datetime.date) -> str | None:
    """A DUF number is 12 digits; the first four are the year it was issued (UDI's data format)."""
    compact = number.replace(" ", "")
    if not DUF_PATTERN.match(compact):
        return "duf_number_invalid"
    year = int(compact[:4])
    if year < 1990 or year > today.year:
        return "duf_number_invalid"
    return None


def birth_date_error(birth_date: datetime.date, today: datetime.date) -> str | None:
    if birth_date > today:
        return "birth_date_in_future"
    if age_on(birth_date, today) > 120:
        return "birth_date_too_old"
    return None
