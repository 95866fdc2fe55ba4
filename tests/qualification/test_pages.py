"""The case pages: what an adviser sees and submits, and what bad input does (nothing)."""

from __future__ import annotations

import pytest

from bro.core.roles import Role
from bro.qualification.models import Deviation, Participant, PlanVersion
from tests.conftest import days_ago

pytestmark = pytest.mark.django_db


def _as(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "nb"
    return client


def _formset(prefix: str, rows: list[dict], extra_fields=()) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def test_an_adviser_opens_a_case_from_the_person(client, settle, users, chain):
    person = settle(30)
    c = _as(client, users[Role.PROGRAMME_ADVISER])
    person_page = c.get(f"/persons/{person.pk}/").content.decode()
    assert f"/qualification/persons/{person.pk}/open/" in person_page
    response = c.post(
        f"/qualification/persons/{person.pk}/open/",
        {"adviser": users[Role.PROGRAMME_ADVISER].pk, "adult_education": chain.adult_education.pk},
    )
    case = Participant.objects.get(person=person)
    assert response.status_code == 302 and response["Location"].endswith(f"/participants/{case.pk}/")
    page = c.get(response["Location"]).content.decode()
    assert "Frister" in page and "Kartlegging" in page
    assert person.national_identity_number is None or person.national_identity_number not in page


def test_the_list_shows_the_municipalitys_participants_only(client, open_participant, users, settle, chain):
    other = settle(30, municipality=chain.tromso, given_name="Omar")
    c = _as(client, users[Role.PROGRAMME_ADVISER])
    page = c.get("/qualification/").content.decode()
    assert open_participant.person.full_name in page
    assert other.full_name not in page
    assert c.get("/qualification/?mine=1").status_code == 200


def test_mapping_page_saves_education_and_refuses_health_without_consent(client, open_participant, users):
    c = _as(client, users[Role.PROGRAMME_ADVISER])
    url = f"/qualification/participants/{open_participant.pk}/mapping/"
    assert c.get(url).status_code == 200
    base = {
        "completed_on": days_ago(5).isoformat(),
        "norwegian_level": "A2",
        **_formset("education", [{"level": "bachelor", "country": "SY", "field": "Sykepleie", "years": "3"}]),
        **_formset("work", [{"occupation": "Sykepleier", "country": "SY", "years": "4"}]),
    }
    refused = c.post(url, {**base, "health_limitations": "Astma"})
    assert refused.status_code == 400
    assert "samtykke" in refused.content.decode()
    open_participant.mapping.refresh_from_db()
    assert open_participant.mapping.completed_on is None
    saved = c.post(url, base)
    assert saved.status_code == 302
    mapping = Participant.objects.get(pk=open_participant.pk).mapping
    assert mapping.completed_on == days_ago(5)
    assert mapping.education.get().field == "Sykepleie"
    assert mapping.work.get().occupation == "Sykepleier"


def test_plan_page_adds_a_version_and_shows_every_version(client, participant, users):
    c = _as(client, users[Role.PROGRAMME_ADVISER])
    url = f"/qualification/participants/{participant.pk}/plan/"
    page = c.get(url)
    assert page.status_code == 200 and "Versjon 1" in page.content.decode()
    rows = [
        {
            "kind": "norwegian",
            "hours_per_week": "20",
            "start": days_ago(10).isoformat(),
            "end": days_ago(-200).isoformat(),
        },
        {
            "kind": "work_placement",
            "hours_per_week": "15",
            "days_per_week": "2",
            "start": days_ago(10).isoformat(),
            "end": days_ago(-200).isoformat(),
        },
    ]
    no_reason = c.post(url, {"valid_from": days_ago(10).isoformat(), **_formset("measures", rows)})
    assert no_reason.status_code == 400
    assert PlanVersion.objects.filter(participant=participant).count() == 1
    saved = c.post(
        url, {"valid_from": days_ago(10).isoformat(), "reason": "Mer norsk", **_formset("measures", rows)}
    )
    assert saved.status_code == 302
    page = c.get(url).content.decode()
    assert "Versjon 2" in page and "Versjon 1" in page and "Mer norsk" in page


def test_a_late_start_without_cause_is_refused_on_the_page(client, open_participant, users, adviser_actor):
    from bro.qualification import services as q

    q.save_mapping(adviser_actor, open_participant, q.MappingInput(completed_on=days_ago(150)))
    c = _as(client, users[Role.PROGRAMME_ADVISER])
    url = f"/qualification/participants/{open_participant.pk}/start/"
    refused = c.post(url, {"on": days_ago(10).isoformat()})
    assert refused.status_code == 400
    assert "årsaken" in refused.content.decode()
    assert Participant.objects.get(pk=open_participant.pk).programme_start is None
    saved = c.post(url, {"on": days_ago(10).isoformat(), "delay_cause": "kindergarten"})
    assert saved.status_code == 302
    assert Deviation.objects.get(participant=open_participant).cause == "kindergarten"


def test_a_teacher_reads_the_case_but_gets_no_forms(client, participant, users):
    c = _as(client, users[Role.TEACHER])
    page = c.get(f"/qualification/participants/{participant.pk}/")
    assert page.status_code == 200
    assert f"/participants/{participant.pk}/start/" not in page.content.decode()
    assert c.get(f"/qualification/participants/{participant.pk}/mapping/").status_code == 403
    assert (
        c.post(
            f"/qualification/participants/{participant.pk}/end/", {"on": days_ago(1), "reason": "work"}
        ).status_code
        == 403
    )
    assert Participant.objects.get(pk=participant.pk).ended_on is None


def test_volunteers_and_other_municipalities_see_nothing(client, participant, users, chain):
    from tests.conftest import make_user

    assert (
        _as(client, users[Role.VOLUNTEER]).get(f"/qualification/participants/{participant.pk}/").status_code
        == 404
    )
    tromso = make_user("tromso-adviser", chain.tromso, Role.PROGRAMME_ADVISER)
    assert _as(client, tromso).get(f"/qualification/participants/{participant.pk}/").status_code == 404
    assert (
        _as(client, tromso).get(f"/qualification/persons/{participant.person_id}/training/").status_code
        == 404
    )


def test_end_and_one_year_status_pages(client, participant, users):
    c = _as(client, users[Role.PROGRAMME_ADVISER])
    url = f"/qualification/participants/{participant.pk}/end/"
    assert c.post(url, {"on": days_ago(-3).isoformat(), "reason": "work"}).status_code == 400
    assert c.post(url, {"on": days_ago(2).isoformat(), "reason": "work"}).status_code == 302
    detail = c.get(f"/qualification/participants/{participant.pk}/").content.decode()
    assert "Deltakerbevis" in detail and "Status ett år etter" in detail
    too_early = c.post(
        f"/qualification/participants/{participant.pk}/one-year/",
        {"status": "work", "weekly_work_hours": "20", "recorded_on": days_ago(1).isoformat()},
    )
    assert too_early.status_code == 400
