"""Eligibility and input rules for civil-society grants, without a database.

The rules are those of IMDi's scheme for immigrant organisations (003:L1770): registered in the Voluntary
Register, founded at least two years ago, not supported as a faith community, at least 20 paying members;
caps such as NOK 75,000 with three rounds a year (003:L1950) or rolling deadlines (003:L3329).
"""

import datetime
from decimal import Decimal

from bro.volunteering.grants import rules

TODAY = datetime.date(2025, 6, 15)
IMDI = rules.SchemeRules(
    requires_voluntary_register=True,
    minimum_age_years=2,
    minimum_paying_members=20,
    excludes_faith_based=True,
)


def facts(**overrides):
    values = {
        "kind": "immigrant",
        "in_voluntary_register": True,
        "voluntary_register_since": datetime.date(2020, 1, 1),
        "founded_on": datetime.date(2019, 3, 1),
        "paying_members": 25,
    }
    values.update(overrides)
    return rules.OrganisationFacts(**values)


def by_rule(results):
    return {r.rule: r for r in results}


def test_an_organisation_meeting_every_rule_of_003_L1770_is_eligible():
    results = rules.check_eligibility(IMDI, facts(), TODAY)
    assert [r.rule for r in results] == list(rules.RULES)
    assert rules.is_eligible(results)


def test_not_in_the_voluntary_register_fails_only_that_rule():
    found = by_rule(
        rules.check_eligibility(
            IMDI, facts(in_voluntary_register=False, voluntary_register_since=None), TODAY
        )
    )
    assert not found[rules.VOLUNTARY_REGISTER].passed
    assert found[rules.VOLUNTARY_REGISTER].code == "not_registered"
    assert all(r.passed for k, r in found.items() if k != rules.VOLUNTARY_REGISTER)


def test_a_register_date_after_the_check_does_not_count():
    found = by_rule(
        rules.check_eligibility(
            IMDI, facts(voluntary_register_since=TODAY + datetime.timedelta(days=1)), TODAY
        )
    )
    assert not found[rules.VOLUNTARY_REGISTER].passed


def test_two_years_old_exactly_on_the_anniversary_passes_and_the_day_before_fails():
    """003:L1770: 'opprettet for minst to år siden' — the second anniversary itself counts."""
    founded = datetime.date(2023, 6, 15)
    on_day = by_rule(
        rules.check_eligibility(IMDI, facts(founded_on=founded, voluntary_register_since=founded), TODAY)
    )
    day_before = by_rule(
        rules.check_eligibility(
            IMDI,
            facts(founded_on=founded, voluntary_register_since=founded),
            TODAY - datetime.timedelta(days=1),
        )
    )
    assert on_day[rules.ORGANISATION_AGE].passed
    assert on_day[rules.ORGANISATION_AGE].params["years"] == 2
    assert not day_before[rules.ORGANISATION_AGE].passed
    assert day_before[rules.ORGANISATION_AGE].params == {"required": 2, "years": 1, "since": "2023-06-15"}


def test_an_organisation_founded_one_year_ago_is_too_young_for_two_years():
    founded = datetime.date(2024, 6, 15)
    found = by_rule(
        rules.check_eligibility(IMDI, facts(founded_on=founded, voluntary_register_since=founded), TODAY)
    )
    assert found[rules.ORGANISATION_AGE].code == "too_young"
    assert not rules.is_eligible(list(found.values()))


def test_age_counts_from_the_earlier_of_founding_and_registration():
    found = by_rule(
        rules.check_eligibility(
            IMDI, facts(founded_on=None, voluntary_register_since=datetime.date(2020, 1, 1)), TODAY
        )
    )
    assert found[rules.ORGANISATION_AGE].passed


def test_a_founding_on_29_february_completes_its_year_on_1_march():
    assert rules.full_years(datetime.date(2024, 2, 29), datetime.date(2025, 2, 28)) == 0
    assert rules.full_years(datetime.date(2024, 2, 29), datetime.date(2025, 3, 1)) == 1


def test_paying_members_boundary_at_twenty():
    assert by_rule(rules.check_eligibility(IMDI, facts(paying_members=20), TODAY))[
        rules.PAYING_MEMBERS
    ].passed
    nineteen = by_rule(rules.check_eligibility(IMDI, facts(paying_members=19), TODAY))[rules.PAYING_MEMBERS]
    assert not nineteen.passed
    assert nineteen.params == {"required": 20, "members": 19}


def test_a_faith_community_is_excluded_when_the_scheme_says_so():
    assert not by_rule(rules.check_eligibility(IMDI, facts(kind="faith_based"), TODAY))[
        rules.NOT_FAITH_BASED
    ].passed
    open_scheme = rules.SchemeRules()
    assert rules.is_eligible(rules.check_eligibility(open_scheme, facts(kind="faith_based"), TODAY))


def test_allowed_kinds_limit_who_may_apply():
    scheme = rules.SchemeRules(allowed_kinds=("immigrant", "volunteer_centre"))
    assert rules.is_eligible(rules.check_eligibility(scheme, facts(kind="immigrant"), TODAY))
    result = by_rule(rules.check_eligibility(scheme, facts(kind="sports_club"), TODAY))[
        rules.ORGANISATION_KIND
    ]
    assert (result.passed, result.code) == (False, "kind_not_allowed")


def test_an_informal_group_fails_registration_age_and_members_but_fits_a_simple_scheme():
    """Informal groups take part without registration (issue 6); they see what they lack."""
    group = rules.OrganisationFacts(kind="network")
    found = by_rule(rules.check_eligibility(IMDI, group, TODAY))
    assert [k for k, r in found.items() if not r.passed] == [
        rules.VOLUNTARY_REGISTER,
        rules.ORGANISATION_AGE,
        rules.PAYING_MEMBERS,
    ]
    assert found[rules.ORGANISATION_AGE].code == "age_unknown"
    assert found[rules.PAYING_MEMBERS].code == "members_unknown"
    municipal = rules.SchemeRules()  # 003:L3329: a municipality's low-threshold scheme
    assert rules.is_eligible(rules.check_eligibility(municipal, group, TODAY))


def test_the_amount_must_be_positive_and_within_the_cap_of_003_L1950():
    cap = Decimal("75000")
    assert rules.amount_error(Decimal("75000.00"), cap) is None
    assert rules.amount_error(Decimal("75000.01"), cap) == "amount_over_cap"
    assert rules.amount_error(Decimal("0"), cap) == "amount_not_positive"
    assert rules.amount_error(Decimal("10.005"), cap) == "amount_too_precise"
    assert rules.amount_error(Decimal("1000000"), None) is None


def test_attachments_are_pdf_or_office_up_to_ten_megabytes():
    assert rules.attachment_error("budsjett.pdf", 2000, b"%PDF-1.7\n") is None
    assert rules.attachment_error("plan.DOCX", 2000, b"PK\x03\x04rest") is None
    assert rules.attachment_error("gammel.xls", 2000, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") is None
    assert rules.attachment_error("virus.exe", 2000, b"MZ") == "file_type_not_allowed"
    assert rules.attachment_error("noext", 2000, b"%PDF-") == "file_type_not_allowed"
    assert rules.attachment_error("big.pdf", rules.MAX_ATTACHMENT_BYTES + 1, b"%PDF-") == "file_too_large"
    assert rules.attachment_error("big.pdf", rules.MAX_ATTACHMENT_BYTES, b"%PDF-") is None
    assert rules.attachment_error("fake.pdf", 2000, b"<html>") == "file_content_mismatch"


def test_next_deadline_for_rounds_and_rolling_schemes():
    rounds = [datetime.date(2025, 2, 1), datetime.date(2025, 6, 15), datetime.date(2025, 10, 1)]
    assert rules.next_deadline(rounds, False, TODAY) == datetime.date(2025, 6, 15)
    assert rules.next_deadline(rounds, False, datetime.date(2025, 10, 2)) is None
    assert rules.next_deadline([], True, TODAY) is None
    assert rules.open_for([], True, True, TODAY)
    assert not rules.open_for(rounds, False, True, datetime.date(2025, 10, 2))
    assert not rules.open_for(rounds, False, False, TODAY)
