"""Wording of the grants area: error codes and the reasons of the eligibility rules, in the user's language."""

import datetime

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from bro.volunteering.grants import rules
from bro.volunteering.models import CivilSocietyKind

ERRORS = {
    "amount_not_positive": gettext_lazy("The amount must be more than zero."),
    "amount_too_precise": gettext_lazy("Give the amount in kroner with at most two decimals."),
    "amount_over_cap": gettext_lazy("The amount is more than this scheme gives per application."),
    "scheme_closed": gettext_lazy("This scheme takes no applications now."),
    "not_civil_society": gettext_lazy("Only volunteer organisations and centres can apply."),
    "activity_not_own": gettext_lazy("Choose only your own organisation's activities."),
    "file_type_not_allowed": gettext_lazy(
        "Attach PDF or Office documents only (pdf, doc, docx, xls, xlsx, ppt, pptx, odt, ods, odp)."
    ),
    "file_too_large": gettext_lazy("The file is larger than 10 MB."),
    "file_empty": gettext_lazy("The file is empty."),
    "file_content_mismatch": gettext_lazy("The file's content does not match its type."),
    "invalid_orgnr": gettext_lazy(
        "This is not a valid organisation number (nine digits with a check digit)."
    ),
    "orgnr_taken": gettext_lazy("Another organisation in Bro has this organisation number."),
    "register_date_without_register": gettext_lazy("A date in the Voluntary Register needs the box ticked."),
    "date_in_future": gettext_lazy("The date cannot be in the future."),
    "unknown_county": gettext_lazy("Choose counties from the list."),
    "parent_is_self": gettext_lazy("An organisation cannot be its own parent."),
    "already_decided": gettext_lazy("This application has already been decided."),
    "approved_amount_required": gettext_lazy("Give the amount granted."),
    "approved_over_applied": gettext_lazy("The amount granted cannot be more than the amount applied for."),
    "rejection_reason_required": gettext_lazy("Give the reason for the rejection."),
    "not_approved": gettext_lazy("Only an approved grant can be reported on."),
    "already_reported": gettext_lazy("This grant has already been reported on."),
    "spent_negative": gettext_lazy("Spending cannot be negative."),
    "not_a_public_body": gettext_lazy("Agreements are made by public bodies."),
    "not_a_volunteer_organisation": gettext_lazy("Choose a volunteer organisation or centre."),
    "amount_not_positive_agreement": gettext_lazy(
        "An amount must be more than zero; leave it empty for an agreement without money."
    ),
    "ends_before_start": gettext_lazy("The end cannot be before the start."),
    "not_an_administrator_organisation": gettext_lazy(
        "Grant schemes are kept by a directorate or a municipality."
    ),
    "deadline_required": gettext_lazy("Give at least one deadline, or make the deadline rolling."),
    "budget_line_invalid": gettext_lazy(
        "Write each budget line as: what it is; amount (for example: Rent of hall; 4500)."
    ),
}

RULE_NAMES = {
    rules.VOLUNTARY_REGISTER: gettext_lazy("Registered in the Voluntary Register"),
    rules.ORGANISATION_AGE: gettext_lazy("Age of the organisation"),
    rules.PAYING_MEMBERS: gettext_lazy("Paying members"),
    rules.NOT_FAITH_BASED: gettext_lazy("Not a faith community"),
    rules.ORGANISATION_KIND: gettext_lazy("Kind of organisation"),
}


def _date(iso: str | None) -> str:
    return formats.date_format(datetime.date.fromisoformat(iso), "SHORT_DATE_FORMAT") if iso else ""


def _kinds(codes) -> str:
    labels = dict(CivilSocietyKind.choices)
    return ", ".join(str(labels.get(c, c)) for c in codes)


def reason(code: str, params: dict) -> str:
    """The reason of one rule's answer, with its numbers."""
    p = params or {}
    if code == "not_required":
        return _("The scheme does not ask for this.")
    if code == "registered":
        return (
            _("Registered since %(date)s.") % {"date": _date(p.get("since"))}
            if p.get("since")
            else _("Registered.")
        )
    if code == "not_registered":
        return _("Not registered in the Voluntary Register; the scheme requires it.")
    if code == "age_unknown":
        return (
            ngettext(
                "The founding date is not given; the scheme requires %(required)d year.",
                "The founding date is not given; the scheme requires %(required)d years.",
                p["required"],
            )
            % p
        )
    if code in ("old_enough", "too_young"):
        years = ngettext("%(years)d year old", "%(years)d years old", p["years"]) % p
        required = ngettext("%(required)d year", "%(required)d years", p["required"]) % p
        text = _("Established %(date)s, %(years)s; the scheme requires %(required)s.")
        return text % {"date": _date(p["since"]), "years": years, "required": required}
    if code == "members_unknown":
        return _("The number of paying members is not given; the scheme requires %(required)d.") % p
    if code in ("enough_members", "too_few_members"):
        return _("%(members)d paying members; the scheme requires %(required)d.") % p
    if code == "faith_based":
        return _("A faith-based organisation; the scheme does not support faith communities.")
    if code == "not_faith_based":
        return _("Not a faith community.")
    if code in ("kind_allowed", "kind_not_allowed"):
        kind = _kinds([p["kind"]]) if p.get("kind") else _("not given")
        return _("Kind: %(kind)s; the scheme is for: %(allowed)s.") % {
            "kind": kind,
            "allowed": _kinds(p["allowed"]),
        }
    return code


def describe(results) -> list[dict]:
    """Rule results (RuleResult or their stored dicts) as rows for a page: name, passed, reason."""
    rows = []
    for r in results:
        item = (
            r
            if isinstance(r, dict)
            else {"rule": r.rule, "passed": r.passed, "code": r.code, "params": r.params}
        )
        rows.append(
            {
                "rule": item["rule"],
                "name": RULE_NAMES.get(item["rule"], item["rule"]),
                "passed": item["passed"],
                "reason": reason(item["code"], item.get("params") or {}),
            }
        )
    return rows
