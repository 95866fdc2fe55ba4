"""Wording of the matches' error codes and proposal reasons, in the user's language."""

from django.utils.translation import gettext_lazy as _

ERRORS = {
    "need_required": _("Describe the need in a short sentence, without sensitive details."),
    "need_too_long": _("Keep the need to at most 300 characters."),
    "unknown_kind": _("Choose a kind of match."),
    "not_an_organisation_for_matches": _("Choose a volunteer organisation or volunteer centre."),
    "months_out_of_range": _("The agreed duration must be from 1 to 36 months."),
    "unknown_extra_field": _("Choose only fields from the list."),
    "consent_in_future": _("The consent cannot be dated in the future."),
    "consent_already_current": _("A consent is already recorded. Withdraw it first to record a new one."),
    "no_current_consent": _("There is no current consent to withdraw."),
    "not_open": _("This match has ended."),
    "not_requested_or_proposed": _("A volunteer can only be chosen before the match starts."),
    "volunteer_not_with_organisation": _("This volunteer is not onboarded with the organisation."),
    "volunteer_cannot_reach": _("This volunteer neither lives in nor travels to the refugee's municipality."),
    "volunteer_may_not_start": _(
        "The volunteer has not completed the onboarding this match needs: %(steps)s."
    ),
    "no_volunteer": _("Choose a volunteer before starting the match."),
    "no_consent": _(
        "The refugee has not consented to what is shared. A caseworker records the consent first."
    ),
    "not_proposed": _("Only a proposed match can be started."),
    "start_too_far_ahead": _("The start date is more than three months ahead."),
    "not_active": _("Check-ins and the end are recorded for an active match only."),
    "end_before_start": _("The end date cannot be before the start."),
    "end_in_future": _("The end date cannot be in the future."),
    "feedback_required": _("Write the feedback."),
    "hours_not_positive": _("Hours must be more than 0."),
    "hours_too_many": _("At most 24 hours in one check-in."),
    "check_in_in_future": _("A check-in cannot be dated in the future."),
    "check_in_before_start": _("A check-in cannot be dated before the match started."),
    "check_in_after_end": _("A check-in cannot be dated after the match ended."),
}

REASONS = {
    "shared_language": _("Speaks %(details)s"),
    "no_shared_language": _("No shared language"),
    "lives_there": _("Lives in the municipality"),
    "travels_there": _("Can travel to the municipality"),
    "interested": _("Interested in this kind of activity"),
    "available": _("Available at the times wanted"),
    "commits_long_enough": _("Can commit for the agreed period"),
}

STEPS = {
    "information_meeting": _("information meeting"),
    "training": _("training"),
    "police_certificate": _("police certificate"),
    "commitment": _("signed commitment"),
}

FIELDS = {
    "household_size": _("Household size"),
    "phone": _("Phone"),
    "email": _("Email"),
}
