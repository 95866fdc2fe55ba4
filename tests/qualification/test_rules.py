"""The qualification record's pure rules: rights by category and age, deadlines and the introduction benefit.

Each test cites the rule it checks: a seed line (``004:L1275``), DOMAIN.md, or "[our reading]" where Bro
reads an open point in a stated way (rules.py and rates/*.yaml say the same).
"""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bro.people.phases import ImmigrantCategory
from bro.qualification import rules

D = datetime.date
SETTLED = D(2025, 3, 1)
PERMIT = D(2024, 11, 1)
BORN_1990 = D(1990, 1, 1)
JAN_2025 = D(2025, 1, 1)


def facts(birth, category="refugee", permit=PERMIT, settled=SETTLED):
    return rules.PersonFacts(
        birth_date=birth, immigrant_category=category, permit_date=permit, settlement_date=settled
    )


def born_aged(age, on=SETTLED, days_before_birthday=0):
    """A birth date giving ``age`` on ``on``; with days_before_birthday > 0 the next birthday is that close."""
    birth = on.replace(year=on.year - age)
    if days_before_birthday:
        birth = on.replace(year=on.year - age - 1) + datetime.timedelta(days=days_before_birthday)
    return birth


def codes(deadline_list):
    return {d.code: d for d in deadline_list}


# --- rates data and vocabulary ------------------------------------------------------------------------


def test_categories_match_the_people_vocabulary():
    """rules.py cannot import Django; its category strings must be those of ImmigrantCategory (DOMAIN.md §2)."""
    assert set(rules.CATEGORIES) == set(ImmigrantCategory.values)


@pytest.mark.parametrize(
    "path", [rules.RIGHTS_FILE, rules.DEADLINES_FILE, rules.BASIC_AMOUNT_FILE, rules.BENEFIT_FILE]
)
def test_every_rate_row_has_a_date_and_a_source(path):
    """ARCHITECTURE.md: rules that change live as data with valid_from, each value with its source."""
    rows = rules.load_rows(path)
    assert rows
    for row in rows:
        assert isinstance(row["valid_from"], datetime.date)
        assert row["source"].strip()


def test_rights_data_covers_every_category_for_both_schemes():
    """DOMAIN.md §5: every category has an answer for the programme and for training (a row, maybe 'none')."""
    rows = rules.load_rows(rules.RIGHTS_FILE)
    for scheme in (rules.INTRODUCTION_PROGRAMME, rules.NORWEGIAN_TRAINING):
        assert {r["category"] for r in rows if r["scheme"] == scheme} == set(rules.CATEGORIES)
        assert {r["status"] for r in rows if r["scheme"] == scheme} <= set(rules.STATUSES)


def test_a_missing_source_is_refused(tmp_path):
    """Each row must carry its source; an undocumented value is a loading error, not a silent rule."""
    path = tmp_path / "bad.yaml"
    path.write_text("- valid_from: 2025-01-01\n  amount: 1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="source"):
        rules.load_rows(path)


def test_full_time_is_37_5_hours_in_code_and_in_the_benefit_data():
    """004:L1466-1467: full time is 37.5 hours a week; the benefit's hour divisor uses the same figure."""
    row = rules.row_on(rules.BENEFIT_FILE, D(2025, 6, 1))
    assert rules.FULL_TIME_HOURS_PER_WEEK == Decimal(str(row["hours_per_week"])) == Decimal("37.5")


# --- ages ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (D(2000, 6, 15), D(2025, 6, 14), 24),
        (D(2000, 6, 15), D(2025, 6, 15), 25),
        (D(2004, 2, 29), D(2022, 2, 28), 17),  # 29 Feb birthday: the 18th birthday is 1 Mar in a common year
        (D(2004, 2, 29), D(2022, 3, 1), 18),
        (D(2004, 2, 29), D(2024, 2, 29), 20),
    ],
)
def test_age_counts_whole_years_and_29_february_birthdays_turn_on_1_march(birth, day, age):
    """The age limits (004:L378-380 18-55; 004:L388 under 25) count whole years; a leap-day birth turns a
    year older on 1 March in common years [our reading]."""
    assert rules.age_on(birth, day) == age
    assert rules.age_on(birth, rules.birthday(birth, age)) == age


# --- programme right ----------------------------------------------------------------------------------


def test_a_17_year_old_has_no_programme_right_until_the_18th_birthday():
    """004:L378-380 (ages 18-55): settled at 17, the right starts on the 18th birthday [our reading]."""
    birth = born_aged(17, days_before_birthday=40)
    found = rules.rights(facts(birth), SETTLED)
    assert found.introduction_programme == rules.NONE
    assert "age_under_18" in found.reasons
    assert found.programme_eligible_from == rules.birthday(birth, 18)
    later = rules.rights(facts(birth), rules.birthday(birth, 18))
    assert later.introduction_programme == rules.RIGHT_AND_DUTY


@pytest.mark.parametrize("age", [18, 25, 55])
def test_ages_18_to_55_on_the_settlement_date_have_right_and_duty_to_the_programme(age):
    """004:L378-380; DOMAIN.md §5: the programme is for ages 18-55 inclusive."""
    found = rules.rights(facts(born_aged(age)), SETTLED)
    assert found.introduction_programme == rules.RIGHT_AND_DUTY
    assert found.programme_eligible_from == SETTLED
    assert not found.temporary_rules


def test_a_56_year_old_has_no_programme_right():
    """004:L378-380: 55 is the oldest age; from the 56th birthday there is no programme right."""
    found = rules.rights(facts(born_aged(56)), SETTLED)
    assert found.introduction_programme == rules.NONE
    assert "age_over_55" in found.reasons
    assert found.programme_eligible_from is None


def test_55_on_the_settlement_date_keeps_the_right_after_turning_56():
    """004:L378-380 read on the settlement date [our reading]: the age at settlement decides."""
    birth = born_aged(55, days_before_birthday=10)  # turns 56 ten days after settlement
    assert rules.rights(facts(birth), SETTLED + datetime.timedelta(days=30)).introduction_programme == (
        rules.RIGHT_AND_DUTY
    )


def test_the_56th_birthday_on_the_settlement_date_itself_is_too_late():
    """004:L378-380: 'until the 56th birthday' — settled on that birthday means no right."""
    birth = born_aged(56)
    assert rules.age_on(birth, SETTLED) == 56
    assert rules.rights(facts(birth), SETTLED).introduction_programme == rules.NONE


def test_an_unsettled_person_is_judged_on_the_day_asked():
    """DOMAIN.md §5; [our reading]: before settlement the age is read on the day asked."""
    birth = born_aged(18)
    found = rules.rights(facts(birth, settled=None), D(2025, 5, 1))
    assert found.introduction_programme == rules.RIGHT_AND_DUTY
    assert found.programme_eligible_from == D(2025, 5, 1)


@pytest.mark.parametrize("category", ["refugee", "resettlement_refugee", "humanitarian", "family_reunified"])
def test_protection_and_family_categories_have_programme_and_training(category):
    """004:L370-396 (refugees, humanitarian grounds, family immigrants); DOMAIN.md §5."""
    found = rules.rights(facts(born_aged(30), category=category), SETTLED)
    assert (found.introduction_programme, found.norwegian_training) == (
        rules.RIGHT_AND_DUTY,
        rules.RIGHT_AND_DUTY,
    )
    assert found.reasons == ()


def test_asylum_seekers_have_training_in_reception_but_no_programme():
    """002:L19-93: training for adults in reception; the programme needs settlement (DOMAIN.md §1)."""
    found = rules.rights(facts(born_aged(30), category="asylum_seeker", permit=None, settled=None), SETTLED)
    assert found.introduction_programme == rules.NONE
    assert found.norwegian_training == rules.RIGHT_AND_DUTY
    assert "category_without_programme" in found.reasons


def test_labour_immigrants_have_a_duty_but_no_right_to_training_and_no_programme():
    """[our reading] of the Integration Act 2021 (rates/rights.yaml): duty only, no programme."""
    found = rules.rights(facts(born_aged(30), category="labour_immigrant", settled=None), SETTLED)
    assert (found.introduction_programme, found.norwegian_training) == (rules.NONE, rules.DUTY_ONLY)


def test_an_unknown_category_is_an_error_not_a_silent_no():
    """DOMAIN.md §2: the category vocabulary is closed; a typo must not read as 'no rights'."""
    with pytest.raises(ValueError, match="unknown immigrant category"):
        rules.rights(facts(born_aged(30), category="refugees"), SETTLED)


# --- training right -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "status"),
    [
        (17, rules.NONE),
        (18, rules.RIGHT_AND_DUTY),
        (55, rules.RIGHT_AND_DUTY),
        (56, rules.RIGHT_AND_DUTY),
        (67, rules.RIGHT_AND_DUTY),
        (68, rules.NONE),
    ],
)
def test_training_right_and_duty_runs_from_18_to_67(age, status):
    """[public rule] Integration Act 2021 (rates/rights.yaml): right and duty to training for ages 18-67,
    the upper age read on the permit date; 56-year-olds keep training although the programme ends at 55."""
    permit = D(2024, 11, 1)
    found = rules.rights(facts(born_aged(age, on=permit), permit=permit), permit)
    assert found.norwegian_training == status
    if age == 17:
        assert "age_under_18" in found.reasons
    if age == 68:
        assert "age_over_67" in found.reasons


# --- collective protection ----------------------------------------------------------------------------


def test_collective_protection_follows_the_temporary_rules():
    """DOMAIN.md §5 [our reading]: right and duty to a programme of at most 12 months, a 12-month right
    only to training counted from the permit date."""
    permit = D(2025, 3, 1)
    person = facts(born_aged(40), category="collective_protection", permit=permit, settled=D(2025, 4, 15))
    found = rules.rights(person, D(2025, 5, 1))
    assert found.temporary_rules
    assert found.introduction_programme == rules.RIGHT_AND_DUTY
    assert found.norwegian_training == rules.RIGHT_ONLY
    assert found.training_right_until == D(2026, 2, 28)
    assert "collective_protection" in found.reasons


def test_the_12_month_training_right_ends_the_day_before_its_anniversary():
    """[public rule] DOMAIN.md §5: a 12-month right to Norwegian training; afterwards no right."""
    permit = D(2025, 3, 1)
    person = facts(born_aged(40), category="collective_protection", permit=permit, settled=None)
    assert rules.rights(person, D(2026, 2, 28)).norwegian_training == rules.RIGHT_ONLY
    after = rules.rights(person, D(2026, 3, 1))
    assert after.norwegian_training == rules.NONE
    assert "training_right_expired" in after.reasons


def test_the_temporary_programme_lasts_12_months_and_has_no_extension():
    """DOMAIN.md §5 temporary rules [our reading]: a programme of at most 12 months."""
    assert rules.programme_end(D(2025, 5, 1), temporary_rules=True) == D(2026, 4, 30)
    with pytest.raises(ValueError):
        rules.programme_end(D(2025, 5, 1), temporary_rules=True, extension="third_year")


def test_collective_protection_deadlines_use_the_12_month_periods():
    """DOMAIN.md §5: 12-month programme and 12-month training right; start within 3 months (004:L1275)."""
    person = facts(
        born_aged(40), category="collective_protection", permit=D(2025, 3, 1), settled=D(2025, 4, 15)
    )
    found = codes(rules.deadlines(person, programme_start=D(2025, 6, 1)))
    assert found["programme_start"].due == D(2025, 7, 15)
    assert found["programme_end"].due == D(2026, 5, 31)
    assert found["programme_end_max"].due == D(2026, 5, 31)
    assert found["training_end"].due == D(2026, 2, 28)


# --- deadlines: programme start and mapping -----------------------------------------------------------


@pytest.mark.parametrize(
    ("settled", "due"),
    [
        (D(2025, 8, 31), D(2025, 11, 30)),
        (D(2025, 1, 31), D(2025, 4, 30)),
        (D(2025, 11, 30), D(2026, 2, 28)),
        (D(2023, 11, 30), D(2024, 2, 29)),  # leap year
        (D(2024, 11, 30), D(2025, 2, 28)),  # the year after
        (D(2024, 2, 29), D(2024, 5, 29)),  # settled on the leap day
        (D(2025, 12, 31), D(2026, 3, 31)),
    ],
)
def test_the_programme_starts_within_3_months_of_settlement_clamped_to_month_ends(settled, due):
    """004:L1275 'innen tre måneder': the same date 3 months later, or that month's last day."""
    deadline = rules.programme_start_deadline(settled)
    assert (deadline.code, deadline.due) == ("programme_start", due)
    assert deadline.source == "004:L1275"


def test_mapping_is_due_by_the_programme_start_deadline():
    """DOMAIN.md §5 (mapping before the programme decision; 004:L1522 context) [our reading]: by the
    programme-start deadline."""
    deadline = rules.mapping_deadline(D(2025, 8, 31))
    assert (deadline.code, deadline.due) == ("mapping", D(2025, 11, 30))
    assert "004:L1522" in deadline.source


def test_a_person_settled_at_17_gets_the_3_months_from_the_18th_birthday():
    """004:L1275 with the right starting at 18 (004:L378-380) [our reading]."""
    birth = D(2007, 5, 10)  # 17 on the settlement date, 18 on 10 May 2025
    found = codes(rules.deadlines(facts(birth)))
    assert found["programme_start"].due == D(2025, 8, 10)
    assert found["mapping"].due == D(2025, 8, 10)


def test_no_programme_deadlines_without_a_programme_right():
    """004:L378-380: a 56-year-old has no programme, so no start deadline; training still has its end."""
    found = codes(rules.deadlines(facts(born_aged(56))))
    assert "programme_start" not in found and "mapping" not in found
    assert found["training_end"].due == D(2027, 10, 31)


# --- deadlines: programme end -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "extension", "end"),
    [
        (D(2025, 3, 1), "none", D(2027, 2, 28)),  # the day before the anniversary
        (D(2025, 3, 1), "third_year", D(2028, 2, 29)),  # ends in a leap year
        (D(2025, 3, 1), "upper_secondary", D(2029, 2, 28)),
        (D(2024, 2, 29), "none", D(2026, 2, 28)),  # a leap-day start still ends on 28 Feb
        (D(2024, 2, 29), "upper_secondary", D(2028, 2, 28)),  # the day before 29 Feb 2028
        (D(2024, 3, 1), "none", D(2026, 2, 28)),
        (D(2025, 8, 31), "none", D(2027, 8, 30)),
        (D(2025, 1, 1), "none", D(2026, 12, 31)),
    ],
)
def test_programme_period_is_2_3_or_4_years_ending_the_day_before_the_anniversary(start, extension, end):
    """004:L1356 (up to 2 years), 004:L1357 (a 3rd year), 004:L1689-1690 (up to 4 years for upper-secondary
    goals). A leap-day start ends on 28 February [our reading, rules.period_end]."""
    assert rules.programme_end(start, extension=extension) == end


def test_unknown_extension_is_an_error():
    """004:L1356-1357, L1689-1690 name three period lengths only."""
    with pytest.raises(ValueError):
        rules.programme_end(D(2025, 3, 1), extension="fifth_year")


def test_approved_leave_extends_the_programme_end_day_for_day():
    """DOMAIN.md §5 / issue 5: the programme period is extended by approved leave [our reading: day for day]."""
    assert rules.programme_end(D(2025, 3, 1), leave_days=10) == D(2027, 3, 10)


@pytest.mark.parametrize(
    ("periods", "days"),
    [
        ([], 0),
        ([(D(2025, 5, 1), D(2025, 5, 1))], 1),  # a single day counts
        ([(D(2025, 5, 1), D(2025, 5, 10)), (D(2025, 5, 6), D(2025, 5, 15))], 15),  # overlap counted once
        ([(D(2025, 5, 1), D(2025, 5, 10)), (D(2025, 5, 11), D(2025, 5, 12))], 12),  # adjacent
        ([(D(2025, 6, 1), D(2025, 6, 30)), (D(2025, 6, 10), D(2025, 6, 12))], 30),  # contained
        ([(D(2024, 2, 28), D(2024, 3, 1))], 3),  # across a leap day
    ],
)
def test_leave_days_count_inclusive_and_overlaps_once(periods, days):
    """Issue 5 (end 'extended by approved leave'): a day of leave counts once however many periods cover it."""
    assert rules.leave_days(periods) == days


def test_leave_ending_before_it_starts_is_an_error():
    """Bad input changes nothing (ARCHITECTURE.md): a reversed period is rejected, not counted as 0."""
    with pytest.raises(ValueError):
        rules.leave_days([(D(2025, 5, 10), D(2025, 5, 1))])


def test_deadlines_once_started_include_the_end_with_leave_and_the_4_year_maximum():
    """004:L1275, L1356-1357, L1689-1690, L2065-2071: all of a participant's deadlines, earliest first;
    overlapping leave counted once."""
    person = facts(born_aged(30), permit=D(2024, 11, 1), settled=D(2025, 3, 1))
    leave = [(D(2025, 9, 1), D(2025, 9, 10)), (D(2025, 9, 5), D(2025, 9, 14))]  # 14 days
    found = rules.deadlines(person, programme_start=D(2025, 4, 1), extension="third_year", leave=leave)
    by_code = codes(found)
    assert by_code["mapping"].due == by_code["programme_start"].due == D(2025, 6, 1)
    assert by_code["programme_end"].due == D(2028, 3, 31) + datetime.timedelta(days=14)
    assert by_code["programme_end_max"].due == D(2029, 3, 31) + datetime.timedelta(days=14)
    assert by_code["training_end"].due == D(2027, 10, 31)
    assert [d.due for d in found] == sorted(d.due for d in found)
    assert all(d.source for d in found)


def test_training_end_is_3_years_from_the_permit():
    """004:L2065-2071: the training grant runs 3 years from the residence permit."""
    person = facts(born_aged(30), permit=D(2023, 8, 31), settled=D(2024, 1, 15))
    assert codes(rules.deadlines(person))["training_end"].due == D(2026, 8, 30)


def test_nir_registration_deadline_is_data_driven():
    """DOMAIN.md §5 [public rule] registration in NIR; the 14 days are our assumption in rates/deadlines.yaml."""
    deadline = rules.nir_registration_deadline(D(2025, 12, 20))
    assert (deadline.code, deadline.due) == ("nir_registration", D(2026, 1, 3))
    assert "assumption" in deadline.source


@pytest.mark.parametrize(
    ("done_on", "today", "state"),
    [
        (D(2025, 6, 1), D(2025, 7, 1), "done"),  # on the due day is in time
        (D(2025, 6, 2), D(2025, 7, 1), "done_late"),
        (None, D(2025, 6, 2), "late"),
        (None, D(2025, 6, 1), "due_soon"),  # the due day itself is not late
        (None, D(2025, 5, 18), "due_soon"),  # 14 days left
        (None, D(2025, 5, 17), "open"),  # 15 days left
    ],
)
def test_deadline_state_around_the_due_day(done_on, today, state):
    """004:L1283-1285: a missed start is a deviation, so 'late' must begin the day after the due day."""
    assert rules.deadline_state(D(2025, 6, 1), done_on, today) == state


# --- introduction benefit -----------------------------------------------------------------------------


def benefit(birth=BORN_1990, year=2025, month=6, start=JAN_2025, end=None, hours=0):
    return rules.benefit_month(
        birth_date=birth,
        year=year,
        month=month,
        programme_start=start,
        programme_end=end,
        unexcused_hours=hours,
    )


@pytest.mark.parametrize(
    ("day", "g", "valid_from"),
    [
        (D(2025, 4, 30), Decimal("124028"), D(2024, 5, 1)),
        (D(2025, 5, 1), Decimal("130160"), D(2025, 5, 1)),
        (D(2019, 5, 1), Decimal("99858"), D(2019, 5, 1)),
        (D(2031, 1, 1), Decimal("130160"), D(2025, 5, 1)),  # no invented future G
    ],
)
def test_g_switches_on_1_may(day, g, valid_from):
    """rates/basic_amount.yaml (nav.no 'Grunnbeløpet i folketrygden'; 004:L386 for 2019): G changes on 1 May."""
    assert rules.basic_amount(day) == (g, valid_from)


def test_no_g_before_the_data_starts():
    """A date before the first G row has no rule; guessing one would be worse than an error."""
    with pytest.raises(LookupError):
        rules.basic_amount(D(2019, 4, 30))


def test_the_benefit_uses_the_g_in_force_on_the_first_day_of_the_month():
    """004:L384-387 (2 G a year): April 2025 uses G 2024 (124 028), May 2025 the new G (130 160)."""
    april, may = benefit(month=4), benefit(month=5)
    assert (april.g, april.yearly_rate, april.gross) == (
        Decimal("124028"),
        Decimal("248056"),
        Decimal("20671"),
    )
    assert (may.g, may.yearly_rate, may.gross) == (Decimal("130160"), Decimal("260320"), Decimal("21693"))
    assert may.net == may.gross and may.reduction == 0


def test_under_25_gets_two_thirds():
    """004:L388-389: under 25 receives 2/3 of the benefit; 2/3 x 2G 2025 = 173 546.67 -> 173 547."""
    month = benefit(birth=D(2001, 1, 1))  # 24 on 1 June 2025
    assert month.under_25
    assert month.yearly_rate == Decimal("173547")
    assert month.gross == Decimal("14462")  # 173 547 / 12 = 14 462.25
    assert month.explanation[1][0] == "rate_under_25" and month.explanation[1][1]["age"] == 24


def test_the_25th_birthday_month_is_still_two_thirds_and_the_next_month_full():
    """004:L388 'under 25' read on the first day of the month [our reading]: the birthday month stays at 2/3."""
    birth = D(2000, 6, 15)
    assert benefit(birth=birth, month=6).under_25
    assert not benefit(birth=birth, month=7).under_25
    assert benefit(birth=birth, month=7).yearly_rate == Decimal("260320")


def test_a_25th_birthday_on_the_first_gives_the_full_rate_that_month():
    """004:L388 [our reading]: 25 on the first day of the month means the full rate for the whole month."""
    assert not benefit(birth=D(2000, 6, 1), month=6).under_25


@pytest.mark.parametrize(("age", "under_25"), [(18, True), (24, True), (25, False), (55, False), (56, False)])
def test_benefit_rate_by_age(age, under_25):
    """004:L384-389: 2/3 under 25, full 2 G from 25 (also for those kept in the programme past 55)."""
    month = benefit(birth=D(2025 - age, 6, 1))
    assert month.under_25 is under_25
    assert month.yearly_rate == (Decimal("173547") if under_25 else Decimal("260320"))


def test_a_month_partly_in_the_programme_is_prorated_by_days():
    """004:L384-387 with proration by days [our reading]: 12 of 30 days of 260 320 / 12 -> 8 677."""
    month = benefit(start=D(2025, 6, 19))
    assert (month.days_in_programme, month.days_in_month) == (12, 30)
    assert month.gross == Decimal("8677")
    assert ("prorated", {"days": 12, "of": 30, "gross": "8677"}) in month.explanation


def test_the_programme_end_prorates_the_last_month_and_months_after_pay_nothing():
    """The benefit is paid while the programme runs (004:L386-387)."""
    end = D(2025, 2, 14)
    assert benefit(month=2, end=end).days_in_programme == 14
    after = benefit(month=3, end=end)
    assert (after.days_in_programme, after.gross, after.net) == (0, Decimal("0"), Decimal("0"))
    assert after.explanation[2][0] == "not_in_programme"


def test_unexcused_absence_reduces_hour_for_hour():
    """[our reading] of the public rule: an hour costs the yearly rate / (37.5 x 52) = 260 320 / 1 950 =
    133.50; 7.5 hours -> 1 001.25 -> 1 001 kroner (004:L1466-1467 for 37.5 hours)."""
    month = benefit(hours=Decimal("7.5"))
    assert month.hourly_rate == Decimal("133.50")
    assert month.reduction == Decimal("1001")
    assert month.net == Decimal("21693") - Decimal("1001")
    reduction = dict(month.explanation)["reduction"]
    assert reduction == {"hours": "7.5", "hourly_rate": "133.50", "divisor": "1950.0", "amount": "1001"}


def test_the_reduction_never_exceeds_the_gross():
    """A benefit cannot go below zero: the reduction is capped at the month's gross."""
    month = benefit(start=D(2025, 6, 19), hours=100)
    assert month.reduction == month.gross == Decimal("8677")
    assert month.net == 0
    assert dict(month.explanation)["reduction_capped"] == {"reduction": "13350", "gross": "8677"}


def test_negative_or_float_hours_are_refused():
    """Bad input changes nothing; money and hours are Decimal, never float (ARCHITECTURE.md)."""
    with pytest.raises(ValueError):
        benefit(hours=-1)
    with pytest.raises(TypeError):
        benefit(hours=7.5)


# --- properties ---------------------------------------------------------------------------------------

dates = st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31))


@given(dates, st.integers(min_value=0, max_value=120))
def test_add_months_never_overflows_a_month(day, months):
    """004:L1275 deadlines: the result is in the month N months later and never past the original day."""
    result = rules.add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day


@given(dates, st.sampled_from(rules.EXTENSIONS), st.integers(0, 400), st.integers(0, 400))
def test_programme_end_is_monotone_in_leave_days(start, extension, a, b):
    """Issue 5: more approved leave never moves the programme end earlier."""
    low, high = sorted((a, b))
    assert rules.programme_end(start, extension=extension, leave_days=low) <= rules.programme_end(
        start, extension=extension, leave_days=high
    )


@given(dates, st.sampled_from(rules.EXTENSIONS))
def test_programme_period_is_whole_years_to_within_a_day(start, extension):
    """004:L1356, L1357, L1689-1690: 2/3/4 years; 365 or 366 days a year, one more for a leap-day start."""
    years = {"none": 2, "third_year": 3, "upper_secondary": 4}[extension]
    days = (rules.programme_end(start, extension=extension) - start).days + 1
    assert 365 * years <= days <= 366 * years + 1


@given(st.lists(st.tuples(dates, st.integers(0, 60)), max_size=6))
def test_leave_days_lie_between_the_longest_period_and_the_sum(raw):
    """Overlapping leave counts once: never more than the sum of the periods, never less than the longest."""
    periods = [(first, first + datetime.timedelta(days=length)) for first, length in raw]
    lengths = [length + 1 for _first, length in raw]
    assert max(lengths, default=0) <= rules.leave_days(periods) <= sum(lengths)


@given(
    st.dates(min_value=D(1960, 1, 1), max_value=D(2007, 12, 31)),
    st.dates(min_value=D(2020, 5, 1), max_value=D(2030, 12, 31)),
    st.integers(0, 200),
)
def test_benefit_net_lies_between_zero_and_gross(birth, start, hours):
    """004:L384-389 and the capped reduction: 0 <= net <= gross <= yearly_rate / 12 (rounded)."""
    month = benefit(birth=birth, year=start.year, month=start.month, start=start, hours=hours)
    assert 0 <= month.net <= month.gross
    assert month.gross <= (month.yearly_rate / 12).quantize(Decimal("1")) + 1
    assert month.net == month.gross - month.reduction
