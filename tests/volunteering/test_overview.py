"""The municipality's overview: overlaps (003:L1045) and gaps (003:L4268–4279), as pure functions on
hand-made facts, on model rows, and on the page with its SVG map."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from bro.core.municipalities import municipality_by_number
from bro.core.roles import Role
from bro.volunteering import map as activity_map
from bro.volunteering import overview
from bro.volunteering.models import Activity, Need, NeedResponse
from bro.volunteering.overview import ActivityFact, CentreFact, NeedFact, VolunteerFact
from tests.conftest import days_ago

DAY = datetime.date(2025, 3, 1)


def fact(n, organisation, kind="language_cafe", sex="any", phase="settled", municipality="H", **extra):
    return ActivityFact(
        id=n,
        name=f"Activity {n}",
        organisation_id=organisation,
        organisation_name=f"Org {organisation}",
        kind=kind,
        phase=phase,
        target_sex=sex,
        municipality_id=municipality,
        **extra,
    )


def test_two_organisations_with_the_same_kind_target_and_place_overlap():
    """003:L1045: organisations do not talk across about activities for the same target group."""
    found = overview.find_overlaps([fact(1, "a"), fact(2, "b"), fact(3, "c", municipality="T")])
    assert len(found) == 1
    assert found[0].organisation_names == ("Org a", "Org b")
    assert set(found[0].activity_ids) == {1, 2}


def test_one_organisation_running_two_alike_activities_is_no_overlap():
    assert overview.find_overlaps([fact(1, "a"), fact(2, "a")]) == []


def test_a_different_sex_or_phase_is_a_different_target_group():
    assert overview.find_overlaps([fact(1, "a", sex="women"), fact(2, "b", sex="men")]) == []
    assert overview.find_overlaps([fact(1, "a", phase="reception"), fact(2, "b", phase="settled")]) == []


def test_a_centre_with_no_activity_is_a_gap():
    centres = [CentreFact(id="c1", name="Harstad mottak", municipality_id="H"), CentreFact("c2", "Bodø", "B")]
    found = overview.centres_without_activity([fact(1, "a", reception_centre_id="c1")], centres)
    assert [c.id for c in found] == ["c2"]


def test_more_women_only_than_men_only_offers_is_few_offers_for_men():
    """003:L4277: few offers for men, young and old."""
    activities = [fact(1, "a", sex="women", kind="womens_group"), fact(2, "b", sex="any")]
    gaps = overview.municipality_gaps("H", activities, [])
    assert gaps.women_only == 1 and gaps.men_only == 0
    assert gaps.few_offers_for_men is True
    balanced = overview.municipality_gaps("H", [*activities, fact(3, "c", sex="men")], [])
    assert balanced.few_offers_for_men is False


def test_few_male_volunteers_below_the_threshold():
    """003:L4278: many volunteers are women; more men are needed."""
    volunteers = (
        [VolunteerFact("H", "female")] * 7 + [VolunteerFact("H", "male")] * 2 + [VolunteerFact("H", "")]
    )
    gaps = overview.municipality_gaps("H", [], volunteers)
    assert (gaps.male_volunteers, gaps.volunteers_with_sex) == (2, 9)
    assert gaps.few_male_volunteers is True
    even = [VolunteerFact("H", "female"), VolunteerFact("H", "male")]
    assert overview.municipality_gaps("H", [], even).few_male_volunteers is False


def test_no_work_oriented_offer_among_many_is_a_gap():
    """003:L4268: too few offers tied to work training and work placements."""
    ten = [fact(n, "a") for n in range(10)]
    assert overview.municipality_gaps("H", ten, []).few_work_oriented is True
    assert (
        overview.municipality_gaps("H", [*ten[:9], fact(9, "b", kind="work_oriented")], []).few_work_oriented
        is False
    )


def test_analyse_counts_hours_skips_ended_activities_and_lists_unanswered_needs():
    activities = [
        fact(1, "a", volunteer_hours=Decimal("12.5"), participants_reached=8),
        fact(2, "a", volunteer_hours=Decimal("2"), participants_reached=1),
        fact(3, "b", volunteer_hours=Decimal("100"), ends_on=DAY - datetime.timedelta(days=1)),
    ]
    needs = [
        NeedFact(1, "Guide", "H", "open", 0),
        NeedFact(2, "Help", "H", "open", 2),
        NeedFact(3, "X", "H", "closed", 0),
    ]
    result = overview.analyse(activities, [], needs, [], on=DAY)
    assert [a.id for a in result.activities] == [1, 2]
    assert result.hours_by_organisation == [("Org a", Decimal("14.5"), 9, 2)]
    assert [n.id for n in result.needs_without_answer] == [1]
    assert result.by_target == {("any", "settled"): 2}
    assert result.has_gaps


def _activity(org, name, kind="language_cafe", sex="any", phase="settled", **extra):
    return Activity.objects.create(
        organisation=org,
        name=name,
        kind=kind,
        target_sex=sex,
        phase=phase,
        municipality=municipality_by_number("5503"),
        starts_on=days_ago(30),
        **extra,
    )


@pytest.fixture
def harstad_data(chain, make_volunteer):
    _activity(chain.volunteer_centre, "Språkkafé på biblioteket", volunteer_hours=Decimal("40"))
    _activity(chain.volunteer_org, "Røde Kors språkkafé", volunteer_hours=Decimal("25.5"))
    _activity(chain.volunteer_org, "Kvinnegruppe", kind="womens_group", sex="women")
    need = Need.objects.create(
        organisation=chain.harstad,
        title="Flyktningguide for familie på fem",
        kind="refugee_guide",
        municipality=municipality_by_number("5503"),
        published_on=days_ago(3),
    )
    answered = Need.objects.create(
        organisation=chain.harstad,
        title="Leksehjelp",
        kind="homework_help",
        municipality=municipality_by_number("5503"),
        published_on=days_ago(3),
    )
    NeedResponse.objects.create(need=answered, organisation=chain.volunteer_org, message="Vi kan")
    make_volunteer(sex="female")
    return need


def test_analyse_on_model_rows_finds_the_overlap_and_the_gaps(chain, harstad_data):
    from bro.core.models import Organisation
    from bro.core.roles import OrganisationKind
    from bro.volunteering.models import Volunteer

    result = overview.analyse(
        Activity.objects.select_related("organisation"),
        Organisation.objects.filter(kind=OrganisationKind.RECEPTION_CENTRE),
        Need.objects.all(),
        Volunteer.objects.all(),
    )
    assert [o.organisation_names for o in result.overlaps] == [
        ("Harstad frivilligsentral", "Røde Kors Harstad")
    ]
    assert {c.name for c in result.centres_without_activity} == {"Harstad mottak", "Tromsø mottak"}
    assert [n.title for n in result.needs_without_answer] == ["Flyktningguide for familie på fem"]
    harstad_gaps = result.gaps_by_municipality[municipality_by_number("5503").pk]
    assert (
        harstad_gaps.few_offers_for_men
        and harstad_gaps.few_work_oriented
        and harstad_gaps.few_male_volunteers
    )


def test_the_overview_page_shows_map_overlap_and_gaps_for_harstad_only(client, users, chain, harstad_data):
    _activity(chain.volunteer_org, "Tromsø-tur", kind="outdoor").__class__.objects.filter(
        name="Tromsø-tur"
    ).update(municipality=municipality_by_number("5501"))
    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    response = client.get("/volunteering/overview/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="img"' in html and 'data-municipality="5503"' in html
    assert "Tromsø-tur" not in html  # Harstad's staff see Harstad's overview
    assert "Harstad frivilligsentral, Røde Kors Harstad" in html
    assert "Harstad mottak" in html and "Tromsø mottak" not in html
    assert "Flyktningguide for familie på fem" in html
    assert "Few work-oriented offers" in html


def test_the_directorate_sees_every_municipality_and_a_volunteer_sees_no_overview(
    client, users, harstad_data
):
    client.force_login(users[Role.NATIONAL_SETTLEMENT_OFFICER])
    assert "Tromsø mottak" in client.get("/volunteering/overview/").content.decode()
    client.force_login(users[Role.VOLUNTEER])
    assert client.get("/volunteering/overview/").status_code == 403


def test_the_map_places_2024_numbers_through_their_predecessors_and_sizes_by_count():
    harstad = activity_map.point("5503", ("5402",))
    assert harstad is not None and 16 < harstad[0] < 17 and 68 < harstad[1] < 69
    assert activity_map.point("9999") is None
    assert activity_map.radius(1, 4) == activity_map.MAX_RADIUS / 2
    assert activity_map.radius(4, 4) == activity_map.MAX_RADIUS
    svg = activity_map.svg(
        [activity_map.MapPoint("5503", "Harstad <&>", 3, ("5402",))], title="T & t", description="D"
    )
    assert 'role="img"' in svg and '<title id="activity-map-title">T &amp; t</title>' in svg
    assert "Harstad &lt;&amp;&gt;: 3" in svg
