"""Programme results for leadership: share in work or education one year after, by sex, with hours
(004:L1568–1585), aggregates only, with small cells suppressed."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from bro.core.roles import Role
from bro.people.models import Person
from bro.qualification import overview as o
from bro.qualification.models import Participant

pytestmark = pytest.mark.django_db

YEAR = 2024


def ended_case(municipality, *, sex: str, status: str = "", hours=None, reason="completed", year=YEAR):
    """A hand-made case whose programme ended in ``year`` with the status recorded one year after."""
    person = Person.objects.create(
        given_name=f"Deltaker{Person.objects.count()}",
        family_name="Resultat",
        birth_date=datetime.date(1990, 1, 1),
        sex=sex,
        immigrant_category="refugee",
    )
    return Participant.objects.create(
        person=person,
        municipality=municipality,
        settlement_date=datetime.date(year - 2, 3, 1),
        programme_status="right_and_duty",
        training_status="right_and_duty",
        programme_start=datetime.date(year - 2, 5, 1),
        ended_on=datetime.date(year, 6, 30),
        end_reason=reason,
        one_year_status=status,
        one_year_weekly_work_hours=None if hours is None else Decimal(hours),
        one_year_recorded_on=datetime.date(year + 1, 7, 1) if status else None,
    )


# --- the pure aggregate ---------------------------------------------------------------------------------


def test_three_of_four_women_in_work_is_75_percent():
    """Share in work or education among those with a status one year after (004:L1568–1570)."""
    rows = [
        ("female", "work", Decimal(20)),
        ("female", "work", Decimal(37.5)),
        ("female", "education", None),
        ("female", "other", None),
        ("male", "work", Decimal(37.5)),
        ("male", "other", None),
    ]
    found = o.aggregate(YEAR, rows)

    assert found.groups["female"].share == Decimal("75.0")
    assert found.groups["male"].share == Decimal("50.0")
    assert found.all.share == Decimal("66.7")
    assert found.groups["female"].meets_target is True
    assert found.all.meets_target is False


def test_persons_without_a_recorded_status_are_counted_but_not_in_the_share():
    found = o.aggregate(YEAR, [("male", "work", Decimal(10)), ("male", "", None), ("male", "", None)])

    male = found.groups["male"]
    assert (male.ended, male.with_status, male.without_status) == (3, 1, 2)
    assert male.share == Decimal("100.0")


def test_a_person_of_unknown_sex_counts_in_all_only():
    found = o.aggregate(YEAR, [("unknown", "work", Decimal(5))])

    assert found.all.in_work == 1
    assert found.groups["female"].ended == found.groups["male"].ended == 0


def test_working_hours_are_banded_and_the_median_shown_since_one_hour_counts_as_work():
    """A one-hour job counts as work (004:L1579), so hours are shown: <15, 15–29.9, ≥30, and the median."""
    rows = [("female", "work", Decimal(h)) for h in ("1", "14.9", "15", "29.9", "30")]
    rows.append(("female", "work_and_education", Decimal("37.5")))
    found = o.aggregate(YEAR, rows).groups["female"]

    assert found.bands == {"under_15": 2, "15_to_29": 2, "30_or_more": 2}
    assert found.median_hours == Decimal("22.5")
    assert found.in_work == 6


def test_no_status_at_all_gives_no_share():
    assert o.aggregate(YEAR, [("female", "", None)]).groups["female"].share is None


# --- small-number suppression ---------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "shown"), [(0, 0), (1, "<5"), (4, "<5"), (5, 5), (12, 12)])
def test_counts_of_one_to_four_persons_are_shown_as_under_five(n, shown):
    assert o.cell(n) == shown


def test_a_share_resting_on_fewer_than_five_persons_is_hidden():
    four_women = o.aggregate(YEAR, [("female", "work", Decimal(20))] * 3 + [("female", "other", None)])

    assert four_women.groups["female"].share == Decimal("75.0")
    assert o.share_cell(four_women.groups["female"]) is None


def test_a_share_whose_numerator_is_suppressed_is_hidden_too():
    """3 of 10 in work: the share (30 %) would give the suppressed count back."""
    rows = [("male", "work", Decimal(20))] * 3 + [("male", "other", None)] * 7
    group = o.aggregate(YEAR, rows).groups["male"]

    assert group.share == Decimal("30.0")
    assert o.share_cell(group) is None


def test_a_share_on_five_or_more_is_shown():
    rows = [("male", "work", Decimal(20))] * 6 + [("male", "other", None)] * 2
    group = o.aggregate(YEAR, rows).groups["male"]

    assert o.share_cell(group) == Decimal("75.0")
    assert o.median_cell(group) == Decimal("20.0")


def test_the_median_of_fewer_than_five_persons_in_work_is_hidden():
    group = o.aggregate(YEAR, [("male", "work", Decimal(20))] * 4).groups["male"]
    assert o.median_cell(group) is None


# --- from the database ----------------------------------------------------------------------------------


def test_results_from_hand_made_cases_by_sex_in_the_chosen_municipality(chain):
    """3 of 4 women and 1 of 2 men in work or education; Tromsø's case and another year are not counted;
    a programme left by moving is not an ending (the new municipality's case continues)."""
    for status in ("work", "education", "work_and_education", "other"):
        ended_case(chain.harstad, sex="female", status=status, hours="20" if "work" in status else None)
    ended_case(chain.harstad, sex="male", status="work", hours="37.5")
    ended_case(chain.harstad, sex="male", status="other")
    ended_case(chain.harstad, sex="male")  # no status recorded yet
    ended_case(chain.harstad, sex="male", status="work", hours="37.5", reason="moved")
    ended_case(chain.harstad, sex="female", status="other", year=YEAR - 1)
    ended_case(chain.tromso, sex="female", status="other")

    found = o.results([chain.harstad], YEAR)

    assert found.groups["female"].share == Decimal("75.0")
    assert found.groups["male"].share == Decimal("50.0")
    assert (found.all.ended, found.all.with_status, found.all.without_status) == (7, 6, 1)
    assert found.all.in_work == 3
    assert sorted(found.all.hours) == [Decimal("20.0"), Decimal("20.0"), Decimal("37.5")]
    assert o.results(None, YEAR).all.ended == 8


def test_the_default_year_is_the_last_year_with_a_recorded_status(chain):
    ended_case(chain.harstad, sex="female", status="work", hours="10", year=2023)
    ended_case(chain.harstad, sex="female", year=2025)  # ended, status not yet due

    assert o.default_year([chain.harstad], fallback=2030) == 2023
    assert o.years([chain.harstad]) == [2025, 2023]
    assert o.default_year([chain.tromso], fallback=2030) == 2030


def test_results_by_year_give_the_trend_newest_first(chain):
    ended_case(chain.harstad, sex="female", status="work", hours="10", year=2022)
    ended_case(chain.harstad, sex="male", status="other", year=2023)

    trend = o.results_by_year([chain.harstad])

    assert [(r.year, r.all.share) for r in trend] == [(2023, Decimal("0.0")), (2022, Decimal("100.0"))]


# --- the page -------------------------------------------------------------------------------------------


def _get(client, user, **params):
    client.force_login(user)
    return client.get(reverse("qualification:overview"), params)


def test_the_results_page_shows_the_shares_by_sex_without_names(client, chain, users):
    """6 of 8 women (75 %) and 5 of 5 men in work or education; no name on the page; the chart's limit
    line is the 70 % target."""
    for i in range(8):
        ended_case(
            chain.harstad, sex="female", status="work" if i < 6 else "other", hours="20" if i < 6 else None
        )
    for _i in range(5):
        ended_case(chain.harstad, sex="male", status="work", hours="37.5")

    response = _get(client, users[Role.LEADERSHIP], year=YEAR)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Resultat" not in page and "Deltaker" not in page
    share_row = next(values for label, values, percent in response.context["rows"] if percent)
    assert share_row == [Decimal("75.0"), Decimal("100.0"), Decimal("84.6")]
    assert "<svg" in page and "75,0 %" in page


def test_the_results_page_suppresses_small_cells(client, chain, users):
    """3 of 4 women in work: 75 %, but the cells are under 5 persons, so "<5" and no share are shown."""
    for status in ("work", "work", "work", "other"):
        ended_case(chain.harstad, sex="female", status=status, hours="20" if status == "work" else None)

    client.cookies["django_language"] = "en"  # the row labels are read in English below
    response = _get(client, users[Role.LEADERSHIP], year=YEAR)

    rows = {str(label): values for label, values, _percent in response.context["rows"]}
    women = 0
    assert rows["Programmes ended"][women] == "<5"
    assert rows["In work or education"][women] == "<5"
    share = next(values for label, values, percent in response.context["rows"] if percent)
    assert share[women] is None
    assert "&lt;5" in response.content.decode()
    assert "75,0" not in response.content.decode() and "75.0" not in response.content.decode()


def test_the_default_year_on_the_page_is_the_last_with_a_status(client, chain, users):
    ended_case(chain.harstad, sex="male", status="work", hours="10", year=2023)
    ended_case(chain.harstad, sex="male", year=2025)

    assert _get(client, users[Role.LEADERSHIP]).context["year"] == 2023
    assert _get(client, users[Role.LEADERSHIP], year="2025").context["year"] == 2025
    assert _get(client, users[Role.LEADERSHIP], year="1999").context["year"] == 2023


def test_municipal_leadership_sees_only_its_own_municipality(client, chain, users):
    ended_case(chain.tromso, sex="female", status="work", hours="10")

    response = _get(client, users[Role.LEADERSHIP], year=YEAR)
    assert response.context["found"].all.ended == 0
    assert _get(client, users[Role.LEADERSHIP], municipality=str(chain.tromso.pk)).status_code == 404


def test_the_directorate_sees_every_municipality_or_chooses_one(client, chain, users):
    ended_case(chain.tromso, sex="female", status="work", hours="10")
    ended_case(chain.harstad, sex="female", status="other")
    officer = users[Role.NATIONAL_SETTLEMENT_OFFICER]

    assert _get(client, officer, year=YEAR).context["found"].all.ended == 2
    assert _get(client, officer, year=YEAR, municipality=str(chain.tromso.pk)).context["found"].all.ended == 1


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.TEACHER, Role.MUNICIPAL_SETTLEMENT_OFFICER])
def test_roles_without_the_overview_are_refused(client, users, role):
    assert _get(client, users[role]).status_code == 403


def test_the_programme_adviser_may_see_the_results_of_their_municipality(client, users):
    assert _get(client, users[Role.PROGRAMME_ADVISER]).status_code == 200
