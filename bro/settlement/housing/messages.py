"""The wording of this app's refusals, in one place so pages and the API say the same thing."""

from django.utils.translation import gettext_lazy as _

ERRORS = {
    "required": _("Fill this in."),
    "too_long": _("Keep this under %(max)s characters."),
    "unknown_target_group": _("Unknown target group: %(code)s."),
    "contact_email_invalid": _("Enter a valid email address."),
    "not_your_municipality": _("You cannot change this municipality's terms."),
    "municipality_unknown": _("No municipality with number %(number)s."),
    "household_unknown": _("No household you may submit a request for."),
    "household_not_ready": _(
        "Only households where everyone has a residence permit (permit granted or ready for settlement) "
        "can apply for agreed self-settlement."
    ),
    "already_pending": _("This household already has a self-settlement request awaiting a decision."),
    "no_self_settlement": _(
        "%(municipality)s does not allow agreed self-settlement (or has not published its terms). "
        "Choose another municipality or use ordinary settlement."
    ),
    "amount_not_positive": _("Enter an amount greater than zero."),
    "amount_negative": _("The amount cannot be negative."),
    "deposit_too_high": _(
        "A deposit may be at most six months' rent (%(limit)s kroner), by the Tenancy Act § 3-5."
    ),
    "rooms_at_least_one": _("Enter at least one room."),
    "date_in_future": _("The date cannot be in the future."),
    "date_out_of_range": _("Enter a date between %(earliest)s and %(latest)s."),
    "date_before_submitted": _("The decision cannot be dated before the request was submitted (%(date)s)."),
    "not_pending": _("This request has already been decided."),
    "reason_required_for_rejection": _("Give the reason for the rejection; the household is told."),
    "unknown_decision": _("Choose approve or reject."),
    "size_positive": _("Enter the size in whole square metres, at least 1."),
    "bedrooms_within_rooms": _(
        "Bedrooms are counted among the rooms, and a unit needs at least one other room."
    ),
    "unit_too_small": _(
        "This unit is too small for the household: it fits %(capacity)s persons and the household has "
        "%(size)s (at most %(per_bedroom)s persons per bedroom and at least %(m2)s m² per person)."
    ),
    "before_available": _("The unit is available from %(date)s."),
    "unit_taken": _("The unit is already allocated in this period (from %(date)s)."),
    "household_housed": _("The household already has housing in this period (from %(date)s). End it first."),
    "household_cannot_be_housed_here": _(
        "You can allocate housing only to households your municipality is responsible for now."
    ),
    "end_before_start": _("The end date cannot be before the start date (%(date)s)."),
    "allocation_ended": _("This allocation has already ended."),
    "unknown_kind": _("Unknown kind: %(code)s."),
}
