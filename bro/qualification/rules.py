"""Pure rules for the qualification record: rights, deadlines and the introduction benefit.

No Django imports: dates and numbers in, answers out. Rule values that change with the law (ages, months,
G, the benefit's rate) live as dated data in ``bro/qualification/rates/*.yaml``, one row per value with
``valid_from`` and ``source``; a calculation takes its date and finds the row in force.

Answers carry codes (reasons, deadline codes, explanation steps), never wording, so that pages and the
API can word them in the user's language.
"""

from __future__ import annotations

import calendar
import datetime
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType

import yaml

# Month arithmetic is shared with settlement: the same date N months later, clamped to a shorter
# month's last day (31 Aug + 3 months = 30 Nov).
from bro.settlement.rules import add_months

RIGHT_AND_DUTY = "right_and_duty"
RIGHT_ONLY = "right_only"
DUTY_ONLY = "duty_only"
NONE = "none"
STATUSES = (RIGHT_AND_DUTY, RIGHT_ONLY, DUTY_ONLY, NONE)

# The strings of bro.people.phases.ImmigrantCategory (not imported: this module stays free of Django).
CATEGORIES = (
    "asylum_seeker",
    "resettlement_refugee",
    "refugee",
    "humanitarian",
    "family_reunified",
    "collective_protection",
    "labour_immigrant",
)
COLLECTIVE_PROTECTION = "collective_protection"

INTRODUCTION_PROGRAMME = "introduction_programme"
NORWEGIAN_TRAINING = "norwegian_training"

# Full time in the programme is 37.5 hours a week, all year (004:L378-380, L1466-1467; DOMAIN.md §5).
FULL_TIME_HOURS_PER_WEEK = Decimal("37.5")

# Programme-period extensions (004:L1356-1357 third year; 004:L1689-1690 upper-secondary goals).
EXTENSION_NONE = "none"
EXTENSION_THIRD_YEAR = "third_year"
EXTENSION_UPPER_SECONDARY = "upper_secondary"
EXTENSIONS = (EXTENSION_NONE, EXTENSION_THIRD_YEAR, EXTENSION_UPPER_SECONDARY)

# Deadline codes.
MAPPING = "mapping"
PROGRAMME_START = "programme_start"
PROGRAMME_END = "programme_end"
PROGRAMME_END_MAX = "programme_end_max"
TRAINING_END = "training_end"
NIR_REGISTRATION = "nir_registration"

# Deadline states; a deadline this close is "due soon" (a working-list choice, not a legal rule).
DONE = "done"
DONE_LATE = "done_late"
LATE = "late"
DUE_SOON = "due_soon"
OPEN = "open"
DUE_SOON_DAYS = 14

# Reason codes that ``rights`` can give (the age codes carry the age limits of the row in force, so with
# today's data they are age_under_18, age_over_55 and age_over_67).
REASON_CATEGORY_WITHOUT_PROGRAMME = "category_without_programme"
REASON_CATEGORY_WITHOUT_TRAINING = "category_without_training"
REASON_COLLECTIVE_PROTECTION = "collective_protection"
REASON_TRAINING_RIGHT_EXPIRED = "training_right_expired"

RATES_DIR = Path(__file__).resolve().parent / "rates"
RIGHTS_FILE = RATES_DIR / "rights.yaml"
DEADLINES_FILE = RATES_DIR / "deadlines.yaml"
BASIC_AMOUNT_FILE = RATES_DIR / "basic_amount.yaml"
BENEFIT_FILE = RATES_DIR / "benefit.yaml"

ONE_DAY = datetime.timedelta(days=1)
KRONE = Decimal("1")
ORE = Decimal("0.01")


# --- dated rule data ----------------------------------------------------------------------------------


@functools.cache
def load_rows(path: Path) -> tuple[Mapping, ...]:
    """The rows of a rate file, oldest first, read once per path. Every row needs valid_from and source."""
    rows = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    result = []
    for row in rows:
        if not isinstance(row, dict) or not row.get("source") or "valid_from" not in row:
            raise ValueError(f"{path}: every row needs valid_from and source: {row!r}")
        valid_from = row["valid_from"]
        if not isinstance(valid_from, datetime.date):
            valid_from = datetime.date.fromisoformat(str(valid_from))
        result.append(MappingProxyType({**row, "valid_from": valid_from}))
    return tuple(sorted(result, key=lambda r: r["valid_from"]))


def row_on(path: Path, on: datetime.date, *, earliest_before_first: bool = False, **match) -> Mapping:
    """The row in force on ``on``: the newest whose valid_from is not after it, among rows matching ``match``.

    Before the first row there is no rule: ``LookupError``, unless ``earliest_before_first`` says to use the
    first row (for rules that the law carried over from before the data starts).
    """
    rows = [r for r in load_rows(path) if all(r.get(k) == v for k, v in match.items())]
    if not rows:
        raise LookupError(f"{path.name}: no row for {match!r}")
    in_force = [r for r in rows if r["valid_from"] <= on]
    if in_force:
        return in_force[-1]
    if earliest_before_first:
        return rows[0]
    raise LookupError(f"{path.name}: no row for {match!r} in force on {on.isoformat()}")


# --- dates ---------------------------------------------------------------------------------------------


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Age in whole years on ``day``. Someone born on 29 February turns a year older on 1 March in common
    years (the birthday has not come until 28 February has passed)."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (1 if before_birthday else 0)


def birthday(birth_date: datetime.date, age: int) -> datetime.date:
    """The day the person turns ``age`` (1 March for a 29 February birth in a common year, as ``age_on``)."""
    year = birth_date.year + age
    if birth_date.month == 2 and birth_date.day == 29 and not calendar.isleap(year):
        return datetime.date(year, 3, 1)
    return birth_date.replace(year=year)


def period_end(start: datetime.date, months: int) -> datetime.date:
    """The last day of a period of ``months`` months that starts on ``start``: the day before the anniversary.

    Start 1 March 2025, 24 months: ends 28 February 2027; 36 months: 29 February 2028. When the anniversary
    date does not exist (a 29 February start in a common year, a 31st in a shorter month) the anniversary is
    read as the first day of the next month, as for birthdays (``birthday``), so the period ends on the
    month's last day: start 29 February 2024, 24 months -> ends 28 February 2026 [our reading of "2 years"].
    """
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if start.day > last:
        return datetime.date(year, month, last)
    return datetime.date(year, month, start.day) - ONE_DAY


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


# --- rights --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonFacts:
    birth_date: datetime.date
    immigrant_category: str
    permit_date: datetime.date | None
    settlement_date: datetime.date | None


@dataclass(frozen=True)
class Rights:
    introduction_programme: str  # RIGHT_AND_DUTY / RIGHT_ONLY / NONE
    norwegian_training: str  # RIGHT_AND_DUTY / RIGHT_ONLY / DUTY_ONLY / NONE
    temporary_rules: bool  # collective protection under the temporary rules
    reasons: tuple[str, ...]  # codes explaining the answer
    programme_eligible_from: datetime.date | None  # first day of the programme right; None when never
    training_right_until: datetime.date | None  # last day of a time-limited training right


def _scheme_row(scheme: str, category: str, day: datetime.date) -> Mapping | None:
    try:
        # The data starts with the Integration Act 2021; earlier dates use its first rows.
        return row_on(RIGHTS_FILE, day, earliest_before_first=True, scheme=scheme, category=category)
    except LookupError:
        return None


def _add_reason(reasons: list[str], code: str) -> None:
    if code not in reasons:
        reasons.append(code)


def rights(facts: PersonFacts, on: datetime.date) -> Rights:
    """Which schemes the person has a right and/or duty to on ``on`` (rows in rates/rights.yaml).

    Introduction programme (004:L378-380; DOMAIN.md §5 [public rule] ages 18-55): the age limits are read
    on the settlement date, or on ``on`` while the person is not settled [our reading]. A person settled at
    17 has no right yet and gets it on the 18th birthday (``programme_eligible_from``) [our reading]; one
    who is 55 on the settlement date keeps the right after turning 56. Collective protection follows the
    temporary rules (programme of at most 12 months).

    Norwegian and social-studies training: the upper age is read on the permit date (the settlement date,
    or ``on``, when there is no permit date); under 18 today means no right yet [our reading]. A right
    limited to ``right_months`` (collective protection: 12 months, DOMAIN.md §5) runs from the permit date
    (or the settlement date) and ends the day before its anniversary.
    """
    if facts.immigrant_category not in CATEGORIES:
        raise ValueError(f"unknown immigrant category {facts.immigrant_category!r}")
    category = facts.immigrant_category
    reasons: list[str] = []

    # Introduction programme.
    reference = facts.settlement_date or on
    row = _scheme_row(INTRODUCTION_PROGRAMME, category, reference)
    temporary = bool(row and row.get("temporary_rules"))
    if temporary:
        _add_reason(reasons, REASON_COLLECTIVE_PROTECTION)
    programme = NONE
    eligible_from = None
    if row is None or row["status"] == NONE:
        _add_reason(reasons, REASON_CATEGORY_WITHOUT_PROGRAMME)
    elif age_on(facts.birth_date, reference) > row["max_age"]:
        _add_reason(reasons, f"age_over_{row['max_age']}")
    else:
        adult_from = birthday(facts.birth_date, row["min_age"])
        eligible_from = max(reference, adult_from)
        if on < adult_from:
            _add_reason(reasons, f"age_under_{row['min_age']}")
        else:
            programme = row["status"]

    # Norwegian and social-studies training.
    reference = facts.permit_date or facts.settlement_date or on
    row = _scheme_row(NORWEGIAN_TRAINING, category, reference)
    training = NONE
    right_until = None
    if row is None or row["status"] == NONE:
        _add_reason(reasons, REASON_CATEGORY_WITHOUT_TRAINING)
    elif row.get("max_age") is not None and age_on(facts.birth_date, reference) > row["max_age"]:
        _add_reason(reasons, f"age_over_{row['max_age']}")
    else:
        adult_from = birthday(facts.birth_date, row["min_age"])
        right_start = facts.permit_date or facts.settlement_date
        if row.get("right_months") and right_start is not None:
            right_until = period_end(right_start, int(row["right_months"]))
        if on < adult_from:
            _add_reason(reasons, f"age_under_{row['min_age']}")
        elif right_until is not None and on > right_until:
            _add_reason(reasons, REASON_TRAINING_RIGHT_EXPIRED)
        else:
            training = row["status"]

    return Rights(
        introduction_programme=programme,
        norwegian_training=training,
        temporary_rules=temporary,
        reasons=tuple(reasons),
        programme_eligible_from=eligible_from,
        training_right_until=right_until,
    )


# --- deadlines -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    code: str
    due: datetime.date
    source: str


def _deadline_row(code: str, day: datetime.date) -> Mapping:
    return row_on(DEADLINES_FILE, day, earliest_before_first=True, code=code)


def programme_start_deadline(settlement_date: datetime.date) -> Deadline:
    """The programme must be offered within 3 months of settlement (004:L1275): the same date 3 months
    later, or that month's last day (settled 30 Nov 2023 -> 29 Feb 2024)."""
    row = _deadline_row(PROGRAMME_START, settlement_date)
    return Deadline(PROGRAMME_START, add_months(settlement_date, int(row["months"])), row["source"])


def mapping_deadline(settlement_date: datetime.date) -> Deadline:
    """Competence mapping comes before the programme decision (DOMAIN.md §5; 004:L1522 context). The sources
    give it no date of its own; we require it by the programme-start deadline [our reading]."""
    row = _deadline_row(MAPPING, settlement_date)
    return Deadline(MAPPING, add_months(settlement_date, int(row["months"])), row["source"])


def _programme_row(start: datetime.date, extension: str, temporary_rules: bool) -> Mapping:
    if extension not in EXTENSIONS:
        raise ValueError(f"unknown programme extension {extension!r}")
    if temporary_rules:
        if extension != EXTENSION_NONE:
            raise ValueError("the temporary rules have no programme extension")
        return _deadline_row("programme_temporary", start)
    return _deadline_row(f"programme_{extension}", start)


def programme_end(
    start: datetime.date,
    *,
    extension: str = EXTENSION_NONE,
    leave_days: int = 0,
    temporary_rules: bool = False,
) -> datetime.date:
    """The last day of the programme period.

    2 years normally (004:L1356), 3 with a third year (004:L1357), 4 when the goal is upper-secondary
    school (004:L1689-1690); 12 months under the temporary rules for collective protection [our reading of
    DOMAIN.md §5]. The period ends the day before its anniversary (see ``period_end``: start 1 Mar 2025 ->
    28 Feb 2027; start 29 Feb 2024 -> 28 Feb 2026). Approved leave moves the end by its days [our reading:
    leave pauses the programme].
    """
    if leave_days < 0:
        raise ValueError("leave_days cannot be negative")
    row = _programme_row(start, extension, temporary_rules)
    return period_end(start, int(row["months"])) + datetime.timedelta(days=leave_days)


def leave_days(periods: Iterable[tuple[datetime.date, datetime.date]]) -> int:
    """Days of leave, each period counted inclusive of both ends; a day covered twice counts once."""
    spans = []
    for first, last in periods:
        if last < first:
            raise ValueError(f"leave ends before it starts: {first} - {last}")
        spans.append((first, last))
    total = 0
    current: tuple[datetime.date, datetime.date] | None = None
    for first, last in sorted(spans):
        if current is None or first > current[1] + ONE_DAY:
            if current is not None:
                total += (current[1] - current[0]).days + 1
            current = (first, last)
        else:
            current = (current[0], max(current[1], last))
    if current is not None:
        total += (current[1] - current[0]).days + 1
    return total


def nir_registration_deadline(event_date: datetime.date) -> Deadline:
    """Registration in NIR within N days of a decision or event (DOMAIN.md §5 [public rule] that it must be
    registered). N is our working assumption (14 days, rates/deadlines.yaml) until the register's own rule
    is confirmed."""
    row = _deadline_row(NIR_REGISTRATION, event_date)
    return Deadline(NIR_REGISTRATION, event_date + datetime.timedelta(days=int(row["days"])), row["source"])


def _programme_rights(facts: PersonFacts) -> Rights:
    """The person's rights once the programme right can apply: on the settlement date, or on the 18th
    birthday for someone settled as a minor."""
    reference = facts.settlement_date
    first = rights(facts, reference)
    if first.programme_eligible_from is not None and first.programme_eligible_from > reference:
        return rights(facts, first.programme_eligible_from)
    return first


def deadlines(
    facts: PersonFacts,
    *,
    programme_start: datetime.date | None = None,
    extension: str = EXTENSION_NONE,
    leave: Iterable[tuple[datetime.date, datetime.date]] = (),
    temporary_rules: bool = False,
) -> list[Deadline]:
    """Every deadline that applies to the person, earliest first.

    - mapping and programme_start: from the settlement date when the person has the programme right; for
      someone settled as a minor, from the 18th birthday [our reading: the 3 months of 004:L1275 start when
      the right does];
    - programme_end (with the extension and approved leave) and programme_end_max (4 years plus leave; 12
      months under the temporary rules) once the programme has started;
    - training_end when the person has a training right: the end of a time-limited right (collective
      protection, 12 months) or else the 3-year training-grant period from the permit (004:L2065-2071).
    """
    result: list[Deadline] = []
    if facts.settlement_date is not None:
        found = _programme_rights(facts)
        temporary = temporary_rules or found.temporary_rules
        if found.introduction_programme != NONE:
            basis = found.programme_eligible_from or facts.settlement_date
            result.append(mapping_deadline(basis))
            result.append(programme_start_deadline(basis))
        if programme_start is not None:
            days = leave_days(leave)
            ext = EXTENSION_NONE if temporary else extension
            end_row = _programme_row(programme_start, ext, temporary)
            result.append(
                Deadline(
                    PROGRAMME_END,
                    programme_end(programme_start, extension=ext, leave_days=days, temporary_rules=temporary),
                    end_row["source"],
                )
            )
            max_ext = EXTENSION_NONE if temporary else EXTENSION_UPPER_SECONDARY
            max_row = _programme_row(programme_start, max_ext, temporary)
            result.append(
                Deadline(
                    PROGRAMME_END_MAX,
                    programme_end(
                        programme_start, extension=max_ext, leave_days=days, temporary_rules=temporary
                    ),
                    max_row["source"],
                )
            )
        on = facts.settlement_date
    else:
        found = None
        on = facts.permit_date
    if on is not None:
        training = rights(facts, on) if found is None else found
        if training.norwegian_training in (RIGHT_AND_DUTY, RIGHT_ONLY):
            if training.training_right_until is not None:
                row = row_on(
                    RIGHTS_FILE,
                    facts.permit_date or facts.settlement_date,
                    earliest_before_first=True,
                    scheme=NORWEGIAN_TRAINING,
                    category=facts.immigrant_category,
                )
                result.append(Deadline(TRAINING_END, training.training_right_until, row["source"]))
            elif facts.permit_date is not None:
                row = _deadline_row(TRAINING_END, facts.permit_date)
                result.append(
                    Deadline(TRAINING_END, period_end(facts.permit_date, int(row["months"])), row["source"])
                )
    return sorted(result, key=lambda d: (d.due, d.code))


def deadline_state(due: datetime.date, done_on: datetime.date | None, today: datetime.date) -> str:
    """done (on or before the due date), done_late, late (past due and not done), due_soon (at most
    DUE_SOON_DAYS left, the due day included) or open."""
    if done_on is not None:
        return DONE if done_on <= due else DONE_LATE
    if today > due:
        return LATE
    if (due - today).days <= DUE_SOON_DAYS:
        return DUE_SOON
    return OPEN


# --- introduction benefit ------------------------------------------------------------------------------


def basic_amount(on: datetime.date) -> tuple[Decimal, datetime.date]:
    """G in force on ``on`` and the date it took effect (rates/basic_amount.yaml; nav.no). G changes on
    1 May; before the first row there is no G in the data (``LookupError``)."""
    row = row_on(BASIC_AMOUNT_FILE, on)
    return Decimal(str(row["amount"])), row["valid_from"]


def kroner(amount: Decimal | Fraction) -> Decimal:
    """Whole kroner, half up."""
    if isinstance(amount, Fraction):
        amount = Decimal(amount.numerator) / Decimal(amount.denominator)
    return Decimal(amount).quantize(KRONE, rounding=ROUND_HALF_UP)


def _as_decimal(value) -> Decimal:
    if isinstance(value, float):
        raise TypeError("hours must be Decimal or int, not float")
    return Decimal(value)


@dataclass(frozen=True)
class BenefitMonth:
    year: int
    month: int
    g: Decimal
    g_valid_from: datetime.date
    under_25: bool
    yearly_rate: Decimal  # 2G or 2/3 of 2G, whole kroner
    days_in_programme: int
    days_in_month: int
    gross: Decimal  # yearly_rate / 12, prorated by days in the programme this month
    unexcused_hours: Decimal
    hourly_rate: Decimal  # yearly_rate / (37.5 x 52), in øre: what an hour of unexcused absence costs
    reduction: Decimal  # unexcused_hours x hourly_rate, never more than gross
    net: Decimal
    explanation: tuple[tuple[str, dict], ...]  # (code, params), params JSON-friendly


def benefit_month(
    *,
    birth_date: datetime.date,
    year: int,
    month: int,
    programme_start: datetime.date,
    programme_end: datetime.date | None,
    unexcused_hours: Decimal | int,
) -> BenefitMonth:
    """The introduction benefit for one calendar month (rates/benefit.yaml, rates/basic_amount.yaml).

    - 2 G a year; two thirds of that under 25 (004:L384-389). G is the one in force on the month's first day.
    - Age: under 25 on the first day of the month gives two thirds for that whole month; the full rate
      starts with the month after the 25th birthday, or with the birthday month when the birthday is on
      the 1st [our reading].
    - A month partly in the programme gets yearly_rate / 12 x days in the programme / days in the month.
    - Unexcused absence reduces the benefit hour for hour [our reading of the public rule]: an hour costs
      yearly_rate / (37.5 x 52) (full time all year, 004:L1466-1467). The reduction never exceeds the gross.

    Amounts are whole kroner (half up); the hourly rate is kept in øre so the reduction can be checked by
    hand as hours x hourly rate.
    """
    hours = _as_decimal(unexcused_hours)
    if hours < 0:
        raise ValueError("unexcused_hours cannot be negative")
    first, last = month_bounds(year, month)
    g, g_from = basic_amount(first)
    rule = row_on(BENEFIT_FILE, first, earliest_before_first=True)
    age = age_on(birth_date, first)
    under_age = age < int(rule["age_limit"])
    multiplier = Fraction(str(rule["g_per_year"]))
    fraction = Fraction(str(rule["under_age_fraction"])) if under_age else Fraction(1)
    yearly_rate = kroner(Fraction(g) * multiplier * fraction)
    explanation: list[tuple[str, dict]] = [
        ("basic_amount", {"g": str(g), "valid_from": g_from.isoformat()}),
    ]
    if under_age:
        explanation.append(
            (
                "rate_under_25",
                {
                    "age": age,
                    "g_per_year": str(multiplier),
                    "fraction": str(fraction),
                    "yearly": str(yearly_rate),
                },
            )
        )
    else:
        explanation.append(
            ("rate_full", {"age": age, "g_per_year": str(multiplier), "yearly": str(yearly_rate)})
        )

    in_from = max(first, programme_start)
    in_to = last if programme_end is None else min(last, programme_end)
    days = max(0, (in_to - in_from).days + 1)
    days_in_month = last.day
    gross = kroner(Fraction(yearly_rate) * days / (12 * days_in_month))
    if days == 0:
        explanation.append(("not_in_programme", {}))
    elif days < days_in_month:
        explanation.append(("prorated", {"days": days, "of": days_in_month, "gross": str(gross)}))
    else:
        explanation.append(("full_month", {"gross": str(gross)}))

    yearly_hours = Decimal(str(rule["hours_per_week"])) * int(rule["weeks_per_year"])
    hourly_rate = (yearly_rate / yearly_hours).quantize(ORE, rounding=ROUND_HALF_UP)
    reduction = kroner(hours * hourly_rate)
    if hours:
        explanation.append(
            (
                "reduction",
                {
                    "hours": str(hours),
                    "hourly_rate": str(hourly_rate),
                    "divisor": str(yearly_hours),
                    "amount": str(reduction),
                },
            )
        )
    if reduction > gross:
        explanation.append(("reduction_capped", {"reduction": str(reduction), "gross": str(gross)}))
        reduction = gross
    net = gross - reduction
    explanation.append(("net", {"amount": str(net)}))
    return BenefitMonth(
        year=year,
        month=month,
        g=g,
        g_valid_from=g_from,
        under_25=under_age,
        yearly_rate=yearly_rate,
        days_in_programme=days,
        days_in_month=days_in_month,
        gross=gross,
        unexcused_hours=hours,
        hourly_rate=hourly_rate,
        reduction=reduction,
        net=net,
        explanation=tuple(explanation),
    )
