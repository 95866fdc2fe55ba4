"""Wording of the reception rules' error codes, in the user's language."""

from django.utils.translation import gettext_lazy as _

ERRORS = {
    "unknown_kind": _("Choose what kind of change this is."),
    "count_negative": _("A number of persons cannot be negative."),
    "count_required": _("Give the number of persons in at least one age group."),
    "date_too_far_ahead": _("The date is more than a year ahead."),
    "planned_date_in_past": _("A planned opening or closing must be today or later."),
    "date_too_late": _("Arrivals and departures must be recorded within 30 days."),
    "capacity_negative": _("The capacity cannot be negative."),
    "capacity_too_large": _("The capacity is implausibly large (over 10,000)."),
    "capacity_date_taken": _("A capacity is already recorded from this date. Choose another date."),
    "year_out_of_range": _("Enter a year from 2000 to next year."),
    "week_does_not_exist": _("This year has no such week. ISO weeks run from 1 to 52, or 53 in some years."),
    "week_in_future": _("The week has not started yet."),
    "week_before_arrival": _("The week ended before the person arrived in reception."),
    "hours_negative": _("Hours cannot be negative."),
    "hours_too_many": _("More than 40 hours in a week is not plausible."),
    "attended_more_than_offered": _("Attended hours cannot exceed the hours offered."),
    "social_studies_more_than_offered": _(
        "Social studies hours are part of the hours offered and cannot exceed them."
    ),
    "week_already_recorded": _("Training for this week is already recorded by this organisation."),
    "not_a_centre": _("This is not a reception centre."),
    "not_a_host_municipality": _("This is not a host municipality."),
    "unknown_service": _("Choose a service."),
}
