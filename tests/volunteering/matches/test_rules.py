"""Pure match rules (bro/volunteering/matches/rules.py): children, requirements, proposals, consented fields,
check-ins and hours."""

import datetime
from decimal import Decimal

from bro.volunteering.matches import rules
from bro.volunteering.rules import Progress

DAY = datetime.date(2025, 3, 1)
DONE = Progress(information_meeting=DAY, commitment=DAY)


def wanted(**values):
    base = {
        "languages": frozenset({"ar"}),
        "municipality": "5503",
        "kind": "friend_family",
        "involves_children": False,
        "starts_on": DAY + datetime.timedelta(days=10),
        "agreed_months": 6,
    }
    base.update(values)
    return rules.Wanted(**base)


def candidate(key, **values):
    base = {
        "languages": frozenset({"ar", "no"}),
        "municipality": "5503",
        "travel_municipalities": frozenset(),
        "interests": frozenset({"friend_family"}),
        "availability": frozenset({"weekend"}),
        "available_until": None,
        "progress": DONE,
    }
    base.update(values)
    return rules.Candidate(key=key, **base)


def test_a_household_with_a_child_makes_a_match_with_children_only_when_the_household_is_met():
    assert rules.involves_children(35, [8, 36], with_household=True)
    assert not rules.involves_children(35, [8, 36], with_household=False)
    assert rules.involves_children(16, [], with_household=False)


def test_a_match_with_children_needs_the_police_certificate_and_one_without_does_not():
    assert rules.requirements(True).steps() == ("information_meeting", "police_certificate", "commitment")
    assert "police_certificate" not in rules.requirements(False).steps()


def test_proposals_rank_shared_language_and_place_first_and_leave_out_those_who_cannot_reach():
    near = candidate("near")
    traveller = candidate("traveller", municipality="5501", travel_municipalities=frozenset({"5503"}))
    far = candidate("far", municipality="0301")
    mute = candidate("mute", languages=frozenset({"no"}))
    ready, waiting = rules.propose([mute, far, traveller, near], wanted())
    assert [p.key for p in ready] == ["near", "traveller", "mute"]
    assert waiting == []
    assert (rules.SHARED_LANGUAGE, ("ar",)) in ready[0].reasons
    assert (rules.NO_SHARED_LANGUAGE, ()) in ready[2].reasons


def test_a_volunteer_without_the_certificate_waits_for_a_match_with_children():
    ready, waiting = rules.propose([candidate("kari")], wanted(involves_children=True))
    assert ready == [] and waiting[0].missing == ("police_certificate",)


def test_a_volunteer_who_commits_too_briefly_gets_no_commitment_reason():
    short = candidate("short", available_until=DAY + datetime.timedelta(days=30))
    proposal = rules.score(short, wanted())
    assert rules.COMMITS_LONG_ENOUGH not in [code for code, _ in proposal.reasons]


def test_without_consent_nothing_is_shared_and_extras_only_when_ticked():
    assert rules.shared_fields(None) == ()
    assert rules.shared_fields([]) == ("given_name", "languages", "need")
    assert rules.shared_fields(["phone", "bogus"]) == ("given_name", "languages", "need", "phone")


def test_agreed_end_is_the_day_before_the_same_date_months_later():
    assert rules.agreed_end(datetime.date(2025, 1, 15), 6) == datetime.date(2025, 7, 14)


def test_check_ins_must_fall_inside_the_match_and_have_plausible_hours():
    start, today = datetime.date(2025, 1, 1), datetime.date(2025, 2, 1)
    assert rules.check_in_error(datetime.date(2025, 1, 5), Decimal("2"), start, None, today) is None
    assert rules.check_in_error(datetime.date(2024, 12, 31), Decimal("2"), start, None, today) == (
        "check_in_before_start"
    )
    assert (
        rules.check_in_error(datetime.date(2025, 2, 2), Decimal("2"), start, None, today)
        == "check_in_in_future"
    )
    assert rules.check_in_error(
        datetime.date(2025, 1, 20), Decimal("2"), start, datetime.date(2025, 1, 10), today
    ) == ("check_in_after_end")
    assert (
        rules.check_in_error(datetime.date(2025, 1, 5), Decimal("0"), start, None, today)
        == "hours_not_positive"
    )
    assert (
        rules.check_in_error(datetime.date(2025, 1, 5), Decimal("24.5"), start, None, today)
        == "hours_too_many"
    )
    assert rules.total_hours([Decimal("2.5"), Decimal("3")]) == Decimal("5.5")
