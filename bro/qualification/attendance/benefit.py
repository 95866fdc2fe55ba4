"""The introduction benefit per month, with unexcused absence from the attendance weeks, and its wording."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext as _

from bro.core import audit, policy
from bro.core.models import AuditAction, User
from bro.qualification import permissions, rules
from bro.qualification.attendance.case import (
    programme_end,
)
from bro.qualification.attendance.checks import (
    format_kroner,
    months_between,
    parse_uuid,
    unexcused_by_month,
)
from bro.qualification.models import (
    Participant,
)

# --- the introduction benefit ------------------------------------------------------------------------------


def readable_case(user: User, participant_id) -> Participant:
    """The case for a page whose selector logs the read itself (404 when the user may not read it)."""
    pk = parse_uuid(participant_id)
    participant = (
        Participant.objects.select_related("person", "municipality").filter(pk=pk).first() if pk else None
    )
    if participant is None or not permissions.can_read_case(user, participant):
        raise Http404
    return participant


def default_benefit_months(participant: Participant, today: datetime.date) -> list[tuple[int, int]]:
    """From the programme start to this month (or the end), newest first, at most 24 months."""
    if participant.programme_start is None or participant.programme_start > today:
        return []
    end = programme_end(participant)
    last = today if end is None else min(today, end)
    return months_between(participant.programme_start, last)


def benefit_months(
    user: User, participant: Participant, *, months: Iterable[tuple[int, int]], channel: str = "web"
) -> list[rules.BenefitMonth]:
    """The introduction benefit per month (rules.benefit_month) with the month's unexcused hours, counted by
    the weeks' Thursdays (module docstring). Empty before the programme has started. The read is logged."""
    if not permissions.can_read_case(user, participant):
        raise Http404
    months = list(months)
    result = []
    if participant.programme_start is not None and months:
        years = {y for y, _m in months}
        weeks = participant.attendance.filter(
            iso_year__gte=min(years) - 1, iso_year__lte=max(years) + 1
        ).values_list("iso_year", "iso_week", "unexcused_absence_hours")
        hours = unexcused_by_month(weeks)
        end = programme_end(participant)
        for year, month in months:
            result.append(
                rules.benefit_month(
                    birth_date=participant.person.birth_date,
                    year=year,
                    month=month,
                    programme_start=participant.programme_start,
                    programme_end=end,
                    unexcused_hours=hours.get((year, month), Decimal(0)),
                )
            )
    access = policy.access_to_person(user, participant.person)
    audit.record(
        user=user,
        organisation=access.organisation,
        action=AuditAction.READ,
        obj=participant,
        object_type="qualification.benefit",
        person_id=participant.person_id,
        summary=f"{len(result)} months",
        channel=channel,
    )
    return result


def _hours_text(value: str) -> str:
    return formats.number_format(Decimal(value), decimal_pos=1 if Decimal(value) % 1 else 0)


def explain(month: rules.BenefitMonth) -> list[str]:
    """The month's explanation codes (rules.benefit_month) in the user's language."""
    lines = []
    for code, p in month.explanation:
        if code == "basic_amount":
            text = _("G is %(g)s, in force from %(date)s.") % {
                "g": format_kroner(Decimal(p["g"])),
                "date": formats.date_format(
                    datetime.date.fromisoformat(p["valid_from"]), "SHORT_DATE_FORMAT"
                ),
            }
        elif code == "rate_under_25":
            text = _(
                "Age %(age)s on the first day of the month, under 25: %(fraction)s of %(g_per_year)s G, "
                "%(yearly)s a year."
            ) % {**p, "yearly": format_kroner(Decimal(p["yearly"]))}
        elif code == "rate_full":
            text = _("Age %(age)s on the first day of the month: %(g_per_year)s G, %(yearly)s a year.") % {
                **p,
                "yearly": format_kroner(Decimal(p["yearly"])),
            }
        elif code == "not_in_programme":
            text = _("Not in the programme this month: no benefit.")
        elif code == "prorated":
            text = _("In the programme %(days)s of %(of)s days: %(gross)s.") % {
                **p,
                "gross": format_kroner(Decimal(p["gross"])),
            }
        elif code == "full_month":
            text = _("In the programme the whole month: a twelfth of the yearly rate, %(gross)s.") % {
                "gross": format_kroner(Decimal(p["gross"]))
            }
        elif code == "reduction":
            text = _(
                "%(hours)s hours of unexcused absence × %(rate)s an hour (the yearly rate / %(divisor)s "
                "hours) = %(amount)s deducted."
            ) % {
                "hours": _hours_text(p["hours"]),
                "rate": format_kroner(Decimal(p["hourly_rate"])),
                "divisor": _hours_text(p["divisor"]),
                "amount": format_kroner(Decimal(p["amount"])),
            }
        elif code == "reduction_capped":
            text = _(
                "The deduction (%(reduction)s) is more than the month's benefit; it is limited to %(gross)s."
            ) % {
                "reduction": format_kroner(Decimal(p["reduction"])),
                "gross": format_kroner(Decimal(p["gross"])),
            }
        elif code == "net":
            text = _("To be paid: %(amount)s.") % {"amount": format_kroner(Decimal(p["amount"]))}
        else:
            continue
        lines.append(text)
    return lines
