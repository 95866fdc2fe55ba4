"""Acceptance 4: a participant who moves arrives with their training history, visible to the new
municipality after the move and to no other (002:L91–93: the training record breaks at the move today)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.http import Http404
from django.test import Client

from bro.core.roles import OrganisationKind, Role
from bro.people import services as people_services
from bro.people.phases import Phase
from bro.qualification import selectors
from bro.qualification import services as q
from bro.qualification.models import AttendanceWeek, Participant
from bro.reception import services as reception_services
from tests.conftest import days_ago, make_org, make_user

pytestmark = pytest.mark.django_db


def _week(day: datetime.date) -> tuple[int, int]:
    year, week, _ = day.isocalendar()
    return year, week


@pytest.fixture
def moved(arrive, chain, users, adviser_actor):
    """Trained in reception (Harstad's centre), then in Harstad's programme, then moved to Tromsø."""
    person = arrive(Phase.READY_FOR_SETTLEMENT)
    staff = people_services.Actor(users[Role.RECEPTION_STAFF])
    year, week = _week(days_ago(300))
    reception_services.record_training_week(
        staff, person, iso_year=year, iso_week=week, hours_offered=Decimal(12), hours_attended=Decimal(10)
    )
    people_services.record_transition(
        staff, person, phase=Phase.SETTLED, on=days_ago(200), organisation=chain.harstad
    )
    person.refresh_from_db()
    case = q.open_case(adviser_actor, person, adult_education=chain.adult_education)
    q.save_mapping(adviser_actor, case, q.MappingInput(completed_on=days_ago(195)))
    plan = q.save_plan(
        adviser_actor,
        case,
        [
            q.MeasureInput(
                kind="norwegian", hours_per_week=Decimal(15), start=days_ago(190), end=days_ago(-300)
            )
        ],
        valid_from=days_ago(190),
    )
    q.start_programme(adviser_actor, case, on=days_ago(190))
    measure = plan.measures.get()
    for ago in (150, 143, 136):
        year, week = _week(days_ago(ago))
        AttendanceWeek.objects.create(
            participant=case,
            person=person,
            measure_key=measure.key,
            measure_kind="norwegian",
            iso_year=year,
            iso_week=week,
            hours_attended=Decimal("13.5"),
            unexcused_absence_hours=Decimal("1.5"),
        )
    officer = people_services.Actor(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    people_services.record_transition(
        officer, person, phase=Phase.SETTLED, on=days_ago(30), organisation=chain.tromso
    )
    person.refresh_from_db()
    return person


def test_the_new_municipality_sees_the_hours_given_before_the_move(moved, chain):
    tromso_adviser = make_user("tromso-adviser", chain.tromso, Role.PROGRAMME_ADVISER)
    history = selectors.training_history(tromso_adviser, moved)
    by_source = {(w.source, w.organisation): w.hours_attended for w in history.weeks}
    assert by_source[("reception", "Harstad mottak")] == Decimal(10)
    assert history.by_organisation["Harstad kommune"] == Decimal("40.5")
    assert history.total_hours == Decimal("50.5")
    client = Client()
    client.force_login(tromso_adviser)
    page = client.get(f"/qualification/persons/{moved.pk}/training/")
    assert page.status_code == 200
    assert "Harstad kommune" in page.content.decode() and "40.5" in page.content.decode().replace(",", ".")


def test_no_other_municipality_sees_the_history(moved, chain):
    bodo = make_org(OrganisationKind.MUNICIPALITY, "Bodø kommune", "1804", is_settlement_municipality=True)
    bodo_adviser = make_user("bodo-adviser", bodo, Role.PROGRAMME_ADVISER)
    with pytest.raises(Http404):
        selectors.training_history(bodo_adviser, moved)
    client = Client()
    client.force_login(bodo_adviser)
    assert client.get(f"/qualification/persons/{moved.pk}/training/").status_code == 404


def test_the_earlier_municipality_keeps_read_only_history(moved, users):
    adviser = users[Role.PROGRAMME_ADVISER]
    case = Participant.objects.get(person=moved)
    assert selectors.training_history(adviser, moved).total_hours == Decimal("50.5")
    assert selectors.get_participant(adviser, case.pk)
    from bro.qualification import permissions

    assert not permissions.can_manage_case(adviser, case)


def test_the_new_municipality_opens_its_case_and_the_old_one_ends_as_moved(moved, chain):
    tromso_adviser = make_user("tromso-adviser", chain.tromso, Role.PROGRAMME_ADVISER)
    new = q.open_case(q.Actor(tromso_adviser), moved)
    old = Participant.objects.exclude(pk=new.pk).get(person=moved)
    assert old.end_reason == "moved"
    assert old.ended_on == days_ago(30)
    assert new.municipality == chain.tromso
    assert new.settlement_date == days_ago(30)
