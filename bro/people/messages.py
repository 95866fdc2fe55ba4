"""Wording of the rule and validation errors, in the user's language."""

from django.utils.translation import gettext_lazy as _

ERRORS = {
    "date_in_future": _("The date cannot be in the future."),
    "date_before_birth": _("The date cannot be before the person's birth date."),
    "date_before_previous_event": _("The date cannot be before the previous step on the timeline."),
    "must_start_at_arrival_or_permit": _(
        "A new person starts at arrival or, if they came with a permit, at permit granted."
    ),
    "skips_the_chain": _(
        "This step does not follow from the current phase (%(current)s). Record the steps in between first."
    ),
    "settlement_interview_first": _(
        "A person living in a reception centre must be ready for settlement (settlement interview done) before being settled."
    ),
    "finish_needs_outcome": _("Say how the person finished: work, education or other."),
    "outcome_only_when_finished": _("An outcome is only recorded when the person finishes."),
    "identity_number_invalid": _(
        "This is not a valid national identity number or D-number (11 digits with correct check digits)."
    ),
    "identity_number_birth_date_mismatch": _("The national identity number does not match the birth date."),
    "identity_number_taken": _("Another person is already registered with this national identity number."),
    "duf_number_invalid": _("A DUF number has 12 digits and starts with the year it was issued."),
    "duf_number_taken": _("Another person is already registered with this DUF number."),
    "birth_date_in_future": _("The birth date cannot be in the future."),
    "birth_date_too_old": _("The birth date is more than 120 years ago."),
    "unknown_language": _("Unknown language code: %(code)s."),
    "unknown_country": _("Unknown nationality code: %(code)s."),
    "name_required": _("Enter the name."),
    "organisation_required": _("Choose the organisation responsible for this step."),
    "organisation_wrong_kind": _("This step needs an organisation of the kind: %(kind)s."),
    "not_a_settlement_municipality": _("This municipality does not settle refugees."),
    "organisation_not_yours": _("You cannot register persons on behalf of this organisation."),
    "unknown_municipality": _("There is no municipality with number %(number)s."),
    "unaccompanied_minor_household": _(
        "An unaccompanied minor's household has exactly one member, under 18."
    ),
    "already_in_household": _("This person already belongs to a household."),
    "shared_access_needs_basis": _("Record the legal basis, or the date the person consented."),
}
