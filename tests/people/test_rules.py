"""The pure rules of the chain, tested without a database."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.no import fodselsnummer

from bro.people import rules

TODAY = datetime.date(2026, 11, 21)
PHASES = sorted(rules.ALLOWED_TRANSITIONS)


def check(
    current,
    target,
    *,
    on=TODAY,
    last=None,
    birth=datetime.date(1990, 1, 1),
    category="asylum_seeker",
    lived_in_reception=True,
    outcome="",
):
    return rules.transition_error(
        current_phase=current,
        target_phase=target,
        on=on,
        today=TODAY,
        last_event_date=last,
        birth_date=birth,
        category=category,
        lived_in_reception=lived_in_reception,
        outcome=outcome,
    )


def test_the_main_chain_is_allowed_step_by_step():
    """DOMAIN §1: arrival → reception → permit → ready for settlement → settled → programme → finished."""
    chain = ["arrival", "reception", "permit_granted", "ready_for_settlement", "settled", "in_programme"]
    assert check(None, chain[0]) is None
    for current, target in zip(chain, chain[1:], strict=False):
        assert check(current, target) is None, (current, target)
    assert check("in_programme", "finished", outcome="work") is None


def test_settling_before_a_permit_skips_the_chain():
    """Issue 2 acceptance 6: a transition that skips the chain (settled before a permit) is refused."""
    assert check("reception", "settled").code == "skips_the_chain"
    assert check("arrival", "settled").code == "skips_the_chain"
    assert check(None, "settled").code == "must_start_at_arrival_or_permit"


def test_the_rejection_branch_leads_to_return_or_undocumented():
    """003:L1644–1680: final rejection → return (or detention) or an undocumented life."""
    assert check("reception", "final_rejection") is None
    assert check("final_rejection", "returned") is None
    assert check("final_rejection", "undocumented") is None
    assert check("undocumented", "returned") is None
    assert check("final_rejection", "settled").code == "skips_the_chain"


def test_a_centre_resident_needs_the_settlement_interview_before_settlement():
    """[public rule] The reception centre's settlement interview makes a person ready for settlement."""
    assert check("permit_granted", "settled", lived_in_reception=True).code == "settlement_interview_first"
    assert check("ready_for_settlement", "settled") is None


@pytest.mark.parametrize("category", ["resettlement_refugee", "family_reunified"])
def test_resettlement_refugees_and_family_reunified_start_with_a_permit_and_settle_directly(category):
    """DOMAIN §2: quota refugees come via UNHCR and family-reunified join a settled refugee."""
    assert check(None, "permit_granted", category=category) is None
    assert check("permit_granted", "settled", category=category, lived_in_reception=False) is None


def test_dates_cannot_be_in_the_future_before_birth_or_before_the_previous_step():
    assert (
        check("reception", "permit_granted", on=TODAY + datetime.timedelta(days=1)).code == "date_in_future"
    )
    assert check("reception", "permit_granted", on=datetime.date(1989, 1, 1)).code == "date_before_birth"
    assert (
        check(
            "reception", "permit_granted", on=datetime.date(2025, 1, 1), last=datetime.date(2025, 2, 1)
        ).code
        == "date_before_previous_event"
    )


def test_finishing_needs_an_outcome_and_only_finishing_has_one():
    """DOMAIN §5: outcomes after the programme are work, education or other."""
    assert check("in_programme", "finished").code == "finish_needs_outcome"
    assert check("settled", "in_programme", outcome="work").code == "outcome_only_when_finished"


@given(st.sampled_from(PHASES), st.sampled_from(PHASES))
def test_a_transition_is_allowed_exactly_when_the_table_says_so(current, target):
    outcome = "other" if target == "finished" else ""
    error = check(current, target, outcome=outcome, category="resettlement_refugee", lived_in_reception=False)
    assert (error is None) == (target in rules.ALLOWED_TRANSITIONS[current])


def test_terminal_phases_have_no_way_out():
    assert rules.ALLOWED_TRANSITIONS["returned"] == frozenset()
    assert rules.ALLOWED_TRANSITIONS["finished"] == frozenset()


def _fnr(day: datetime.date, individual: int, d_number: bool = False) -> str | None:
    dd = day.day + (40 if d_number else 0)
    return rules.complete_identity_number(f"{dd:02d}{day.month:02d}{day.year % 100:02d}{individual:03d}")


@given(
    st.dates(min_value=datetime.date(1940, 1, 1), max_value=datetime.date(1999, 12, 31)),
    st.integers(min_value=0, max_value=499),
    st.booleans(),
)
def test_valid_identity_numbers_and_d_numbers_pass_when_they_match_the_birth_date(day, individual, d_number):
    """python-stdnum validates the checksum; the birth date encoded in the number must match."""
    number = _fnr(day, individual, d_number)
    if number is None:  # some individual numbers give a check digit of 10: no valid number exists
        return
    assert fodselsnummer.is_valid(number)
    assert rules.identity_number_error(number, day) is None
    assert rules.identity_number_kind(number) == ("d_number" if d_number else "fodselsnummer")
    assert rules.identity_number_error(number, day + datetime.timedelta(days=1)) == (
        "identity_number_birth_date_mismatch"
    )


@pytest.mark.parametrize("number", ["15108695077", "1510869508", "abcdefghijk", "", "00000000000"])
def test_invalid_identity_numbers_are_refused(number):
    assert rules.identity_number_error(number, None) == "identity_number_invalid"


@pytest.mark.parametrize(
    ("number", "error"),
    [
        ("201612345678", None),
        ("2016 1234 5678", None),
        ("20161234567", "duf_number_invalid"),
        ("198912345678", "duf_number_invalid"),
        ("202712345678", "duf_number_invalid"),
        ("2016abcd5678", "duf_number_invalid"),
    ],
)
def test_duf_numbers_have_twelve_digits_starting_with_a_plausible_year(number, error):
    assert rules.duf_number_error(number, TODAY) == error


def test_birth_dates_in_the_future_or_over_120_years_ago_are_refused():
    assert rules.birth_date_error(TODAY + datetime.timedelta(days=1), TODAY) == "birth_date_in_future"
    assert rules.birth_date_error(datetime.date(1900, 1, 1), TODAY) == "birth_date_too_old"
    assert rules.birth_date_error(datetime.date(1990, 1, 1), TODAY) is None


def test_age_counts_whole_years():
    assert rules.age_on(datetime.date(2008, 11, 22), TODAY) == 17
    assert rules.age_on(datetime.date(2008, 11, 21), TODAY) == 18


def test_the_centre_and_its_host_municipality_are_responsible_while_the_person_lives_there():
    """000:L78–91: the host municipality gives residents school, health and child welfare."""
    assert rules.responsible_organisations(
        "reception", "centre", is_reception_centre=True, host_municipality="host", directorates=["imdi"]
    ) == {"centre": "phase", "host": "host_municipality"}


def test_the_directorate_joins_while_the_person_is_ready_for_settlement():
    """002:L398; 004:L472: IMDi assigns the settlement municipality."""
    assert rules.responsible_organisations(
        "ready_for_settlement",
        "centre",
        is_reception_centre=True,
        host_municipality="host",
        directorates=["imdi"],
    ) == {"centre": "phase", "host": "host_municipality", "imdi": "settlement_assignment"}


def test_after_settlement_only_the_settlement_municipality_is_responsible():
    assert rules.responsible_organisations(
        "settled", "harstad", is_reception_centre=False, host_municipality="host", directorates=["imdi"]
    ) == {"harstad": "phase"}


def test_responsibility_changes_end_what_no_longer_applies_and_start_what_is_new():
    ending, starting = rules.responsibility_changes(
        {"centre": "phase", "host": "host_municipality", "imdi": "settlement_assignment"},
        {"harstad": "phase", "host": "phase"},
    )
    assert sorted(ending) == ["centre", "host", "imdi"]  # host stays involved, but for a new reason
    assert sorted(starting) == [("harstad", "phase"), ("host", "phase")]
    assert rules.responsibility_changes({"a": "phase"}, {"a": "phase"}) == ([], [])
