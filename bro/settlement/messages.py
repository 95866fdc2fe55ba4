"""Wording of the settlement rules' refusals, in the user's language."""

from django.utils.translation import gettext_lazy as _

ERRORS = {
    "year_out_of_range": _("Choose a year from 2000 to next year."),
    "negative": _("The number cannot be negative."),
    "minors_exceed_persons": _("There cannot be more unaccompanied minors than persons."),
    "date_in_future": _("The date cannot be in the future."),
    "split_exceeds_need": _("The counties together get more persons than the national need."),
    "split_minors_exceed_need": _(
        "The counties together get more unaccompanied minors than the national need."
    ),
    "unknown_county": _("Unknown county number: %(number)s."),
    "household_not_ready": _(
        "Every member of the household must be ready for settlement (settlement interview completed)."
    ),
    "proposal_already_open": _(
        "This household already has a proposal that is awaiting an answer or settlement."
    ),
    "offer_already_refused": _(
        "This household has refused its one offer. Give a reason to make a new proposal anyway."
    ),
    "decline_needs_reason": _("Give the reason the municipality declines."),
    "proposal_not_pending": _("This proposal has already been answered."),
    "proposal_not_accepted": _("Only an accepted proposal can be settled or refused."),
    "not_a_settlement_municipality": _("This municipality does not settle refugees."),
    "interview_not_permit": _(
        "The settlement interview is completed for persons with a residence permit who are not yet ready for settlement."
    ),
    "interview_already_completed": _("The settlement interview has already been completed."),
    "health_needs_need_consent": _(
        "Health needs may only be recorded when the person's consent is recorded."
    ),
    "date_before_permit": _("The date cannot be before the residence permit."),
    "date_before_proposal": _("The date cannot be before the proposal."),
    "unknown_answer": _("Answer accept or decline."),
}

# Legal basis recorded on the shared access that lets a proposed municipality read the household.
PROPOSAL_LEGAL_BASIS = "Integreringsloven § 10 – bosetting etter anmodning fra IMDi"
PROPOSAL_PURPOSE = "Vurdere forslag om bosetting"
REFUSAL_CONSEQUENCE = _(
    "The household refused the one offer of a settlement municipality and has forfeited the right to "
    "the introduction programme; they must manage on their own means (004:L1264–1270)."
)
