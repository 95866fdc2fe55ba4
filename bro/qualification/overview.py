"""Programme results for leadership: status one year after the programme, by sex, with working hours.

The national target is 70 % in work or education one year after the programme; men reach it, women are
below 50 % (004:L1568–1572). The measure hides how much people work: a job of one hour a week counts
(004:L1579), so the hours of those in work are shown beside the share.

Aggregates only, never names. Counts of 1–4 persons are shown as "<5" (small-number suppression), and a
share is hidden when it rests on such a count or on fewer than 5 persons, so that nobody can be recognised.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from bro.core.models import Organisation
from bro.people.phases import Sex
from bro.qualification.models import EndReason, OneYearStatus, Participant

# The national target: 70 % in work or education one year after the programme (004:L1568–1570).
TARGET_PERCENT = 70
# Cells with fewer persons than this (and more than none) are not shown.
SMALL_CELL = 5
SUPPRESSED = "<5"

IN_WORK = frozenset({OneYearStatus.WORK, OneYearStatus.WORK_AND_EDUCATION})
IN_WORK_OR_EDUCATION = frozenset(
    {OneYearStatus.WORK, OneYearStatus.EDUCATION, OneYearStatus.WORK_AND_EDUCATION}
)
# Weekly working hours among those in work (004:L1579: a one-hour job counts): (code, from, below).
HOUR_BANDS = (
    ("under_15", Decimal(0), Decimal(15)),
    ("15_to_29", Decimal(15), Decimal(30)),
    ("30_or_more", Decimal(30), None),
)
HOUR_BAND_LABELS = {
    "under_15": _("Under 15 hours a week"),
    "15_to_29": _("15–29.9 hours a week"),
    "30_or_more": _("30 hours a week or more"),
}
GROUPS = ("female", "male", "all")
GROUP_LABELS = {"female": _("Women"), "male": _("Men"), "all": _("All")}
# A programme left by moving continues in the new municipality's case, so it does not end a programme
# [our reading: counting it would count the same person twice].
NOT_ENDINGS = frozenset({EndReason.MOVED})


def hour_band(hours: Decimal) -> str:
    for code, low, below in HOUR_BANDS:
        if hours >= low and (below is None or hours < below):
            return code
    raise ValueError(f"negative working hours: {hours}")


@dataclass
class GroupResult:
    """The outcome for one group (women, men, all) of those whose programme ended in the year."""

    key: str
    ended: int = 0
    with_status: int = 0
    in_work_or_education: int = 0
    in_work: int = 0
    in_education_only: int = 0
    other: int = 0
    hours: list[Decimal] = field(default_factory=list)

    @property
    def label(self):
        return GROUP_LABELS[self.key]

    @property
    def without_status(self) -> int:
        return self.ended - self.with_status

    @property
    def share(self) -> Decimal | None:
        """Percent in work or education among those with a recorded status (one decimal)."""
        if not self.with_status:
            return None
        value = Decimal(100 * self.in_work_or_education) / Decimal(self.with_status)
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def meets_target(self) -> bool | None:
        share = self.share
        return None if share is None else share >= TARGET_PERCENT

    @property
    def bands(self) -> dict[str, int]:
        counts = {code: 0 for code, _low, _below in HOUR_BANDS}
        for h in self.hours:
            counts[hour_band(h)] += 1
        return counts

    @property
    def median_hours(self) -> Decimal | None:
        if not self.hours:
            return None
        return Decimal(statistics.median(self.hours)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Results:
    year: int
    groups: dict[str, GroupResult]

    @property
    def all(self) -> GroupResult:
        return self.groups["all"]


def aggregate(year: int, rows) -> Results:
    """Results from (sex, one-year status or "", weekly work hours or None) per ended programme."""
    groups = {key: GroupResult(key) for key in GROUPS}
    for sex, status, hours in rows:
        targets = [groups["all"]]
        if sex in (Sex.FEMALE, Sex.MALE):
            targets.append(groups[sex])
        for g in targets:
            g.ended += 1
            if not status:
                continue
            g.with_status += 1
            if status in IN_WORK_OR_EDUCATION:
                g.in_work_or_education += 1
            else:
                g.other += 1
            if status in IN_WORK:
                g.in_work += 1
                if hours is not None:
                    g.hours.append(Decimal(hours))
            elif status == OneYearStatus.EDUCATION:
                g.in_education_only += 1
    return Results(year, groups)


def ended_cases(municipalities: list[Organisation] | None):
    """Programmes that ended (not by moving) in the municipalities; ``None``: in every municipality."""
    qs = Participant.objects.filter(ended_on__isnull=False).exclude(end_reason__in=NOT_ENDINGS)
    if municipalities is not None:
        qs = qs.filter(municipality__in=municipalities)
    return qs


def results(municipalities: list[Organisation] | None, year: int) -> Results:
    rows = (
        ended_cases(municipalities)
        .filter(ended_on__year=year)
        .values_list("person__sex", "one_year_status", "one_year_weekly_work_hours")
    )
    return aggregate(year, rows)


def years(municipalities: list[Organisation] | None) -> list[int]:
    """Years in which programmes ended, newest first."""
    found = ended_cases(municipalities).values_list("ended_on__year", flat=True).distinct()
    return sorted(set(found), reverse=True)


def default_year(municipalities: list[Organisation] | None, fallback: int) -> int:
    """The last year of programme end with a recorded status one year after; else the last year a
    programme ended; else ``fallback``."""
    with_status = (
        ended_cases(municipalities).exclude(one_year_status="").values_list("ended_on__year", flat=True)
    )
    found = max(with_status, default=None)
    if found is None:
        found = max(years(municipalities), default=None)
    return found if found is not None else fallback


def results_by_year(municipalities: list[Organisation] | None) -> list[Results]:
    """Every year's results, newest first (the trend under the chosen year)."""
    by_year: dict[int, list] = {}
    for year, sex, status, hours in ended_cases(municipalities).values_list(
        "ended_on__year", "person__sex", "one_year_status", "one_year_weekly_work_hours"
    ):
        by_year.setdefault(year, []).append((sex, status, hours))
    return [aggregate(y, by_year[y]) for y in sorted(by_year, reverse=True)]


# --- small-number suppression -----------------------------------------------------------------------------


def is_small(n: int) -> bool:
    return 0 < n < SMALL_CELL


def cell(n: int) -> int | str:
    """A count as shown: "<5" for 1–4 persons."""
    return SUPPRESSED if is_small(n) else n


def share_cell(group: GroupResult) -> Decimal | None:
    """The share as shown: hidden (None) when it rests on fewer than 5 persons with a status, or on a
    suppressed count of persons in work or education (it would give the count back)."""
    if group.with_status < SMALL_CELL or is_small(group.in_work_or_education):
        return None
    return group.share


def median_cell(group: GroupResult) -> Decimal | None:
    """The median working hours, hidden when fewer than 5 persons in work have hours recorded."""
    return group.median_hours if len(group.hours) >= SMALL_CELL else None
