"""Pure rules for civil-society grants: eligibility, the amount asked for, attachments and deadlines.

No Django imports. Grants come from many administrators with their own rules (003:L1597–1970). IMDi's
scheme for immigrant organisations names the rules this module knows (003:L1770): the applicant must be
registered in the Voluntary Register, founded at least two years ago, not receive support as a faith
community, and have at least 20 paying members. A scheme keeps its own values of these as data, so a
municipality's simpler scheme (003:L3329: rolling deadlines, at most 30,000 kroner) asks for less.
Informal groups (no registration) are checked like anyone else: the result says what they lack.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

VOLUNTARY_REGISTER = "voluntary_register"
ORGANISATION_AGE = "organisation_age"
PAYING_MEMBERS = "paying_members"
NOT_FAITH_BASED = "not_faith_based"
ORGANISATION_KIND = "organisation_kind"
RULES = (VOLUNTARY_REGISTER, ORGANISATION_AGE, PAYING_MEMBERS, NOT_FAITH_BASED, ORGANISATION_KIND)

FAITH_BASED = "faith_based"  # bro.volunteering.models.CivilSocietyKind.FAITH_BASED

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Extension → the first bytes such a file starts with: PDF, Office Open XML / OpenDocument (zip), legacy Office.
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ATTACHMENT_SIGNATURES = {
    "pdf": b"%PDF-",
    "docx": _ZIP,
    "xlsx": _ZIP,
    "pptx": _ZIP,
    "odt": _ZIP,
    "ods": _ZIP,
    "odp": _ZIP,
    "doc": _OLE,
    "xls": _OLE,
    "ppt": _OLE,
}


@dataclass(frozen=True)
class SchemeRules:
    """A scheme's eligibility rules (003:L1770 names them; each scheme sets its own values)."""

    requires_voluntary_register: bool = False
    minimum_age_years: int = 0
    minimum_paying_members: int = 0
    excludes_faith_based: bool = False
    allowed_kinds: tuple[str, ...] = ()  # empty: any kind


@dataclass(frozen=True)
class OrganisationFacts:
    """What the applicant's profile says; None where it says nothing (an informal group often)."""

    kind: str | None = None
    in_voluntary_register: bool = False
    voluntary_register_since: datetime.date | None = None
    founded_on: datetime.date | None = None
    paying_members: int | None = None


@dataclass(frozen=True)
class RuleResult:
    """One rule's answer: ``code`` names the reason, ``params`` the numbers it speaks of."""

    rule: str
    passed: bool
    code: str
    params: dict = field(default_factory=dict)


def full_years(start: datetime.date, on: datetime.date) -> int:
    """Completed years from ``start`` to ``on``: the anniversary itself counts (founded 1 March 2023 is two
    years old on 1 March 2025); one founded on 29 February completes a year on 1 March."""
    years = on.year - start.year - ((on.month, on.day) < (start.month, start.day))
    return max(years, 0)


def established_on(facts: OrganisationFacts) -> datetime.date | None:
    """The earliest date the organisation is known to have existed: founded, or else registered."""
    known = [d for d in (facts.founded_on, facts.voluntary_register_since) if d is not None]
    return min(known) if known else None


def _register(scheme: SchemeRules, facts: OrganisationFacts, on: datetime.date) -> RuleResult:
    if not scheme.requires_voluntary_register:
        return RuleResult(VOLUNTARY_REGISTER, True, "not_required")
    since = facts.voluntary_register_since
    if not facts.in_voluntary_register or (since is not None and since > on):
        return RuleResult(VOLUNTARY_REGISTER, False, "not_registered")
    return RuleResult(VOLUNTARY_REGISTER, True, "registered", {"since": since.isoformat() if since else None})


def _age(scheme: SchemeRules, facts: OrganisationFacts, on: datetime.date) -> RuleResult:
    required = scheme.minimum_age_years
    if not required:
        return RuleResult(ORGANISATION_AGE, True, "not_required")
    start = established_on(facts)
    if start is None:
        return RuleResult(ORGANISATION_AGE, False, "age_unknown", {"required": required})
    years = full_years(start, on)
    params = {"required": required, "years": years, "since": start.isoformat()}
    return RuleResult(
        ORGANISATION_AGE, years >= required, "old_enough" if years >= required else "too_young", params
    )


def _members(scheme: SchemeRules, facts: OrganisationFacts) -> RuleResult:
    required = scheme.minimum_paying_members
    if not required:
        return RuleResult(PAYING_MEMBERS, True, "not_required")
    if facts.paying_members is None:
        return RuleResult(PAYING_MEMBERS, False, "members_unknown", {"required": required})
    params = {"required": required, "members": facts.paying_members}
    enough = facts.paying_members >= required
    return RuleResult(PAYING_MEMBERS, enough, "enough_members" if enough else "too_few_members", params)


def _faith(scheme: SchemeRules, facts: OrganisationFacts) -> RuleResult:
    if not scheme.excludes_faith_based:
        return RuleResult(NOT_FAITH_BASED, True, "not_required")
    if facts.kind == FAITH_BASED:
        return RuleResult(NOT_FAITH_BASED, False, "faith_based")
    return RuleResult(NOT_FAITH_BASED, True, "not_faith_based")


def _kind(scheme: SchemeRules, facts: OrganisationFacts) -> RuleResult:
    if not scheme.allowed_kinds:
        return RuleResult(ORGANISATION_KIND, True, "not_required")
    params = {"kind": facts.kind, "allowed": list(scheme.allowed_kinds)}
    if facts.kind in scheme.allowed_kinds:
        return RuleResult(ORGANISATION_KIND, True, "kind_allowed", params)
    return RuleResult(ORGANISATION_KIND, False, "kind_not_allowed", params)


def check_eligibility(scheme: SchemeRules, facts: OrganisationFacts, on: datetime.date) -> list[RuleResult]:
    """Every rule of 003:L1770 as the scheme sets it, in a fixed order, each with its reason."""
    return [
        _register(scheme, facts, on),
        _age(scheme, facts, on),
        _members(scheme, facts),
        _faith(scheme, facts),
        _kind(scheme, facts),
    ]


def is_eligible(results: list[RuleResult]) -> bool:
    return all(r.passed for r in results)


def amount_error(amount: Decimal, cap: Decimal | None) -> str | None:
    """An application asks for a positive sum, at most the scheme's cap (e.g. 75,000 kroner, 003:L1950)."""
    if amount <= 0:
        return "amount_not_positive"
    if amount != amount.quantize(Decimal("0.01")):
        return "amount_too_precise"
    if cap is not None and amount > cap:
        return "amount_over_cap"
    return None


def attachment_error(name: str, size: int, head: bytes) -> str | None:
    """PDF and Office documents only, at most 10 MB; the content must look like what the name says."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    signature = ATTACHMENT_SIGNATURES.get(suffix)
    if signature is None:
        return "file_type_not_allowed"
    if size > MAX_ATTACHMENT_BYTES:
        return "file_too_large"
    if size == 0:
        return "file_empty"
    if not head.startswith(signature):
        return "file_content_mismatch"
    return None


def next_deadline(deadlines: list[datetime.date], rolling: bool, on: datetime.date) -> datetime.date | None:
    """The next round's deadline on or after ``on``; None for a rolling scheme or when no round is left
    (003:L1950: three rounds a year; 003:L3329: rolling deadlines)."""
    if rolling:
        return None
    upcoming = sorted(d for d in deadlines if d >= on)
    return upcoming[0] if upcoming else None


def open_for(deadlines: list[datetime.date], rolling: bool, is_open: bool, on: datetime.date) -> bool:
    """Whether an application can be submitted on ``on``: the scheme is open and rolling or has a round left."""
    return is_open and (rolling or next_deadline(deadlines, rolling, on) is not None)
