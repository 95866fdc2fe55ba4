"""Error wording and the pure checks for attendance and the benefit (choices: see the package docstring)."""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy

from bro.qualification import rules
from bro.reception.rules import iso_week_monday, weeks_in_iso_year

if TYPE_CHECKING:
    from bro.qualification.models import Measure

FULL_TIME = rules.FULL_TIME_HOURS_PER_WEEK
PLAN_MARGIN_HOURS = FULL_TIME / 5  # one working day beyond the plan (see the package docstring)
HOUR_FIELDS = ("hours_attended", "valid_absence_hours", "unexcused_absence_hours")
BENEFIT_MONTHS_SHOWN = 24
TENTH = Decimal("0.1")


ERRORS = {
    "group_name_required": gettext_lazy("Give the group a name."),
    "group_name_taken": gettext_lazy("The organisation already has a group with this name."),
    "unknown_measure_kind": gettext_lazy("Choose a measure."),
    "already_member": gettext_lazy("The participant is already in the group."),
    "not_a_member": gettext_lazy("The participant is not in the group."),
    "outside_organisation": gettext_lazy(
        "The participant is not followed by the organisation that keeps the group."
    ),
    "case_ended": gettext_lazy("The case has ended."),
    "not_allowed": gettext_lazy("You may not record attendance for this participant."),
    "duplicate_row": gettext_lazy("The participant is listed twice."),
    "no_plan": gettext_lazy("The participant has no plan yet."),
    "no_measure": gettext_lazy("The participant's plan has no measure of this kind."),
    "unknown_measure": gettext_lazy("Choose one of the measures in the plan."),
    "year_out_of_range": gettext_lazy("Give a year from 2000 to next year."),
    "week_does_not_exist": gettext_lazy("That year has no such week number."),
    "week_in_future": gettext_lazy("The week has not started yet."),
    "week_before_start": gettext_lazy("The week is before the programme started."),
    "week_before_measure": gettext_lazy("The week is before the measure started."),
    "week_after_measure": gettext_lazy("The week is after the measure ended."),
    "week_after_end": gettext_lazy("The week is after the end of the programme."),
    "hours_negative": gettext_lazy("Hours cannot be negative."),
    "hours_precision": gettext_lazy("Give hours with at most one decimal."),
    "hours_over_full_time": gettext_lazy(
        "Attended and absent hours add up to more than 37.5 (full time) in the week."
    ),
    "hours_over_plan": gettext_lazy(
        "Attended and absent hours add up to %(total)s, more than the planned %(planned)s hours plus "
        "%(margin)s."
    ),
    "week_over_full_time": gettext_lazy(
        "With the other measures this week the participant would have %(total)s hours, more than 37.5."
    ),
    "unknown_test": gettext_lazy("Choose a test."),
    "unknown_level": gettext_lazy("Choose a level."),
    "date_in_future": gettext_lazy("The date cannot be in the future."),
    "date_before_settlement": gettext_lazy("The date cannot be before the settlement date."),
    "date_after_end": gettext_lazy("The date cannot be after the case ended."),
}


def _localised(params: dict) -> dict | None:
    """Hours in the user's number format (7,5 in bokmål) for the error text."""
    return {
        k: formats.number_format(v.normalize() if v % 1 else v.quantize(Decimal(1)))
        if isinstance(v, Decimal)
        else v
        for k, v in params.items()
    } or None


def raise_errors(errors: dict[str, tuple[str, dict]]) -> None:
    """Raise field → (code, params) as a ValidationError worded in the user's language; nothing when empty."""
    if errors:
        raise ValidationError(
            {
                name: ValidationError(ERRORS[code], code=code, params=_localised(params))
                for name, (code, params) in errors.items()
            }
        )


# --- pure checks -------------------------------------------------------------------------------------------


def week_bounds(iso_year: int, iso_week: int) -> tuple[datetime.date, datetime.date]:
    monday = iso_week_monday(iso_year, iso_week)
    return monday, monday + datetime.timedelta(days=6)


def last_week(today: datetime.date) -> tuple[int, int]:
    year, week, _day = (today - datetime.timedelta(days=7)).isocalendar()
    return year, week


def shift_week(iso_year: int, iso_week: int, weeks: int) -> tuple[int, int]:
    """The ISO week ``weeks`` weeks later (earlier when negative)."""
    year, week, _day = (iso_week_monday(iso_year, iso_week) + datetime.timedelta(weeks=weeks)).isocalendar()
    return year, week


def week_error(iso_year: int, iso_week: int, today: datetime.date) -> tuple[str, str] | None:
    """(field, code) when the week cannot be recorded at all: out of range, not existing, not started."""
    if not 2000 <= iso_year <= today.year + 1:
        return "iso_year", "year_out_of_range"
    if not 1 <= iso_week <= weeks_in_iso_year(iso_year):
        return "iso_week", "week_does_not_exist"
    if iso_week_monday(iso_year, iso_week) > today:
        return "iso_week", "week_in_future"
    return None


def period_error(
    monday: datetime.date,
    sunday: datetime.date,
    *,
    measure_start: datetime.date,
    measure_end: datetime.date,
    programme_start: datetime.date | None,
    programme_end: datetime.date | None,
) -> str | None:
    """The code when the week lies outside the programme or the measure (module docstring)."""
    if programme_end is not None and monday > programme_end:
        return "week_after_end"
    if monday > measure_end:
        return "week_after_measure"
    if programme_start is not None and sunday < programme_start:
        return "week_before_start"
    if sunday < measure_start:
        return "week_before_measure"
    return None


def to_decimal(value) -> Decimal:
    if value is None or value == "":
        return Decimal(0)
    if isinstance(value, float):
        raise TypeError("hours must be Decimal, int or str, not float")
    return Decimal(value)


def hours_errors(
    hours: dict[str, Decimal], *, planned: Decimal, other_measures: Decimal = Decimal(0)
) -> dict[str, tuple[str, dict]]:
    """Field → (code, params) for one measure's hours in one week (rules in the module docstring)."""
    errors: dict[str, tuple[str, dict]] = {}
    for name in HOUR_FIELDS:
        value = hours[name]
        if not value.is_finite() or value < 0:
            errors[name] = ("hours_negative", {})
        elif value > FULL_TIME:
            errors[name] = ("hours_over_full_time", {})
        elif value != value.quantize(TENTH):
            errors[name] = ("hours_precision", {})
    if errors:
        return errors
    total = sum((hours[name] for name in HOUR_FIELDS), Decimal(0))
    if total > FULL_TIME:
        errors["hours"] = ("hours_over_full_time", {})
    elif total > planned + PLAN_MARGIN_HOURS:
        errors["hours"] = (
            "hours_over_plan",
            {"total": total, "planned": planned.normalize(), "margin": PLAN_MARGIN_HOURS},
        )
    elif total + other_measures > FULL_TIME:
        errors["hours"] = ("week_over_full_time", {"total": total + other_measures})
    return errors


def benefit_month_of_week(iso_year: int, iso_week: int) -> tuple[int, int]:
    """The (year, month) a week's hours count in for the benefit: the month of its Thursday."""
    thursday = datetime.date.fromisocalendar(iso_year, iso_week, 4)
    return thursday.year, thursday.month


def unexcused_by_month(weeks: Iterable[tuple[int, int, Decimal]]) -> dict[tuple[int, int], Decimal]:
    """Unexcused hours per (year, month) from (iso_year, iso_week, hours) rows."""
    result: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for iso_year, iso_week, hours in weeks:
        result[benefit_month_of_week(iso_year, iso_week)] += hours
    return dict(result)


def months_between(first: datetime.date, last: datetime.date, *, limit: int = BENEFIT_MONTHS_SHOWN):
    """(year, month) from ``last``'s month back to ``first``'s, newest first, at most ``limit``."""
    result = []
    year, month = last.year, last.month
    while (year, month) >= (first.year, first.month) and len(result) < limit:
        result.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return result


def format_kroner(amount: Decimal) -> str:
    """Norwegian style: '21 693 kr', '133,50 kr' (non-breaking spaces)."""
    amount = Decimal(amount)
    text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return text.replace(",", "\u00a0").replace(".", ",") + "\u00a0kr"


def measure_for(measures: list[Measure], kind: str, monday, sunday) -> Measure | None:
    """The plan's measure of ``kind`` for the week: one running that week, else the latest started before
    it, else the first."""
    found = [m for m in measures if m.kind == kind]
    running = [m for m in found if m.start <= sunday and m.end >= monday]
    before = [m for m in found if m.start <= sunday]
    return (running or before[-1:] or found or [None])[0]


def parse_uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
