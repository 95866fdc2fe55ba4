"""Wording of the qualification error codes, in the user's language."""

from django.utils.translation import gettext_lazy as _

ERRORS = {
    "not_settled": _("The person must be settled in the municipality before a programme case is opened."),
    "case_exists": _("The person already has an open programme case."),
    "no_settlement_date": _("No settlement in this municipality is recorded for the person."),
    "not_adult_education": _("Choose an adult-education centre."),
    "not_an_adviser": _("Choose a programme adviser in this municipality."),
    "case_ended": _("The case has ended and can no longer be changed."),
    "date_in_future": _("The date cannot be in the future."),
    "date_before_settlement": _("The date cannot be before the settlement date."),
    "health_needs_consent": _("Health limitations can only be recorded with the participant's consent."),
    "unknown_country": _("Unknown country code."),
    "years_out_of_range": _("Give a number of years from 0 to 60."),
    "plan_needs_measures": _("A plan needs at least one measure."),
    "measure_dates": _("A measure must end on or after its start."),
    "measure_hours": _("Planned hours per week must be more than 0 and at most 37.5."),
    "plan_over_full_time": _("The measures add up to more than 37.5 hours in a week."),
    "revision_needs_reason": _("Say why the plan is revised."),
    "plan_before_mapping": _("Complete the competence mapping before the plan and the programme decision."),
    "already_started": _("The programme has already started."),
    "no_programme_right": _("The participant has no right to the introduction programme."),
    "late_start_needs_cause": _("The start is after the deadline: record the cause of the delay."),
    "not_started": _("The programme has not started."),
    "end_before_start": _("The programme cannot end before it started."),
    "end_reason_required": _("Choose an end reason."),
    "not_ended": _("Record the end of the programme first."),
    "one_year_too_early": _("The status one year after can be recorded from one year after the end."),
    "work_hours_required": _("Give the weekly working hours for a participant in work."),
    "work_hours_range": _("Weekly working hours must be from 0 to 75."),
    "no_work_hours_without_work": _("Weekly working hours only apply to a participant in work."),
}

DEADLINE_LABELS = {
    "mapping": _("Competence mapping"),
    "programme_start": _("Programme start"),
    "programme_end": _("Programme end"),
    "programme_end_max": _("Latest possible programme end"),
    "training_end": _("End of the Norwegian-training period"),
    "nir_registration": _("Registration in NIR"),
}

STATE_LABELS = {
    "done": _("Done"),
    "done_late": _("Done late"),
    "late": _("Late"),
    "due_soon": _("Due soon"),
    "open": _("Open"),
}
