"""Teaching groups, weekly attendance, tests and the introduction benefit (issue 5; DOMAIN §5).

Writes (``services``) check bro.qualification.permissions, validate every row before writing any, write in
one transaction and log old → new in the audit log; reads (``selectors``, ``benefit``) are scoped by the same
permissions and logged. The pure checks and the error wording are in ``checks``; what attendance needs to
know about a case (its programme end, its plan's measures) in ``case``.

Choices made here (our reading; the sources give no rule):

* **Hours in a week.** For one measure, attended + absence with valid reason + unexcused absence is at most
  full time, 37.5 hours (004:L378–380), and at most the measure's planned hours plus one working day
  (7.5 h = 37.5 / 5): make-up sessions and extra teaching happen, but more than a day beyond the plan is
  nearly always a typing error (150 for 15.0). All the participant's measures together are also at most
  37.5 hours in the week.
* **Which weeks.** The week must exist (week 53 only in long ISO years), have started (this week may be
  entered) and overlap both the programme and the measure: it ends on or after the programme start and
  the measure's start, and begins on or before the measure's end, the end of the programme period and the
  day the case ended. Without a programme start (training only), the measure's dates decide.
* **Weeks in months, for the benefit.** Attendance is weekly, the benefit monthly: a week counts, whole, in
  the month of its Thursday, as ISO 8601 assigns a week to the year of its Thursday. Every hour counts in
  exactly one month and stays as recorded (no split hours), and each month can name its weeks.
"""

from bro.qualification.attendance.benefit import (
    benefit_months,
    default_benefit_months,
    explain,
    readable_case,
)
from bro.qualification.attendance.case import programme_end
from bro.qualification.attendance.checks import (
    ERRORS,
    FULL_TIME,
    HOUR_FIELDS,
    PLAN_MARGIN_HOURS,
    benefit_month_of_week,
    format_kroner,
    hours_errors,
    last_week,
    months_between,
    shift_week,
    unexcused_by_month,
    week_error,
)
from bro.qualification.attendance.selectors import (
    GroupWeek,
    MemberWeek,
    ParticipantAttendance,
    get_group,
    group_members,
    group_week,
    groups_for,
    member_candidates,
    participant_attendance,
)
from bro.qualification.attendance.services import (
    Actor,
    RowInput,
    add_member,
    create_group,
    record_group_week,
    record_test,
    record_week,
    remove_member,
)

__all__ = [
    "ERRORS",
    "FULL_TIME",
    "HOUR_FIELDS",
    "PLAN_MARGIN_HOURS",
    "Actor",
    "GroupWeek",
    "MemberWeek",
    "ParticipantAttendance",
    "RowInput",
    "add_member",
    "benefit_month_of_week",
    "benefit_months",
    "create_group",
    "default_benefit_months",
    "explain",
    "format_kroner",
    "get_group",
    "group_members",
    "group_week",
    "groups_for",
    "hours_errors",
    "last_week",
    "member_candidates",
    "months_between",
    "participant_attendance",
    "programme_end",
    "readable_case",
    "record_group_week",
    "record_test",
    "record_week",
    "remove_member",
    "shift_week",
    "unexcused_by_month",
    "week_error",
]
