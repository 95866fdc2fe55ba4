"""The qualification API's main flows, through the same services and policy as the pages."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.test import Client

from bro.core.models import AuditEntry
from bro.core.roles import Role
from bro.people.phases import Phase
from bro.qualification import selectors
from bro.qualification import services as q
from bro.qualification.models import Deviation, Participant, PlanVersion
from tests.conftest import days_ago, make_user

BASE = "/api/qualification"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _send(client, method, url, data):
    return client.generic(method, url, json.dumps(data), content_type="application/json")


@pytest.fixture
def adviser(users):
    return _client(users[Role.PROGRAMME_ADVISER])


@pytest.fixture
def assigned(participant, adviser_actor, chain, users):
    """The started case, assigned to Harstad's adult education (whose teachers then record attendance)."""
    q.assign(
        adviser_actor,
        participant,
        adviser=users[Role.PROGRAMME_ADVISER],
        adult_education=chain.adult_education,
    )
    participant.refresh_from_db()
    return participant


def _measures(start, end):
    return [
        {
            "kind": "norwegian",
            "hours_per_week": "15",
            "start": start,
            "end": end,
            "provider": "Voksenopplæringen",
        },
        {"kind": "social_studies", "hours_per_week": "5", "start": start, "end": end},
        {"kind": "primary_school", "hours_per_week": "10", "start": start, "end": end},
    ]


def test_an_adviser_opens_maps_plans_and_starts_a_case_through_the_api(adviser, arrive, chain, users):
    person = arrive(Phase.SETTLED)
    opened = _send(
        adviser,
        "POST",
        f"{BASE}/persons/{person.id}/case",
        {"adult_education_id": str(chain.adult_education.id)},
    )
    assert opened.status_code == 201, opened.content
    case = opened.json()
    assert case["stage"] == "mapping"
    assert case["programme_status"] == "right_and_duty"
    assert case["adviser_id"] == str(users[Role.PROGRAMME_ADVISER].id)
    assert "mapping" in {d["code"] for d in case["deadlines"]}
    url = f"{BASE}/participants/{case['id']}"
    assert case["adult_education"] == "Harstad voksenopplæring"
    assigned = _send(adviser, "PUT", f"{url}/assignment", {"adviser_id": case["adviser_id"]})
    assert (assigned.json()["adviser_id"], assigned.json()["adult_education"]) == (case["adviser_id"], None)

    mapping = {
        "completed_on": days_ago(190).isoformat(),
        "norwegian_level": "A1",
        "education": [{"level": "upper_secondary", "country": "sy", "years": "3"}],
        "work": [{"occupation": "Sveiser", "years": "4.5", "country": "SY"}],
    }
    saved = _send(adviser, "PUT", f"{url}/mapping", mapping)
    assert saved.status_code == 200, saved.content
    assert saved.json()["education"][0]["country"] == "SY"

    start, end = days_ago(180).isoformat(), days_ago(-400).isoformat()
    plan = _send(
        adviser,
        "POST",
        f"{url}/plans",
        {"valid_from": days_ago(185).isoformat(), "measures": _measures(start, end)},
    )
    assert plan.status_code == 201, plan.content
    # Formal competence first (004:L1522).
    assert [m["kind"] for m in plan.json()["measures"]][0] == "primary_school"
    revised_measures = [{**m, "key": m["key"]} for m in plan.json()["measures"]][:2]
    revision = _send(
        adviser,
        "POST",
        f"{url}/plans",
        {"valid_from": days_ago(10).isoformat(), "reason": "Skole avsluttet", "measures": revised_measures},
    )
    assert revision.status_code == 201, revision.content
    assert revision.json()["number"] == 2
    assert {m["key"] for m in revision.json()["measures"]} <= {m["key"] for m in plan.json()["measures"]}
    versions = adviser.get(f"{url}/plans").json()
    assert [v["number"] for v in versions] == [2, 1]

    started = _send(adviser, "POST", f"{url}/start", {"on": start})
    assert started.status_code == 200, started.content
    assert started.json()["stage"] == "in_programme"
    start_deadline = next(d for d in started.json()["deadlines"] if d["code"] == "programme_start")
    assert start_deadline["state"] == "done"

    goals = _send(
        adviser,
        "PUT",
        f"{url}/goals",
        {"final_goal": "work", "norwegian_goal": "B1", "extension": "third_year"},
    )
    assert goals.status_code == 200
    assert (goals.json()["final_goal"], goals.json()["extension"]) == ("work", "third_year")

    listed = adviser.get(f"{BASE}/participants").json()
    assert [row["id"] for row in listed] == [case["id"]]
    assert "national_identity_number" not in listed[0]


def test_a_late_start_needs_its_cause_and_is_recorded_as_a_deviation(adviser, users, settle, adviser_actor):
    person = settle(150)  # the 3-month deadline has passed
    participant = q.open_case(adviser_actor, person)
    q.save_mapping(adviser_actor, participant, q.MappingInput(completed_on=days_ago(140)))
    url = f"{BASE}/participants/{participant.id}/start"

    refused = _send(adviser, "POST", url, {"on": days_ago(1).isoformat()})
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["detail"]] == ["delay_cause"]
    participant.refresh_from_db()
    assert participant.programme_start is None

    started = _send(adviser, "POST", url, {"on": days_ago(1).isoformat(), "delay_cause": "health_check"})
    assert started.status_code == 200
    deadline = next(d for d in started.json()["deadlines"] if d["code"] == "programme_start")
    assert deadline["state"] == "done_late"
    assert deadline["deviation"]["cause"] == "health_check"
    assert Deviation.objects.get(participant=participant).cause == "health_check"


def test_bad_input_is_refused_with_the_services_messages_and_saves_nothing(adviser, open_participant):
    url = f"{BASE}/participants/{open_participant.id}"
    plans = PlanVersion.objects.count()
    # The mapping is not completed yet, so no plan; the hours are beyond full time as well.
    response = _send(
        adviser,
        "POST",
        f"{url}/plans",
        {
            "valid_from": days_ago(5).isoformat(),
            "measures": [
                {
                    "kind": "norwegian",
                    "hours_per_week": "40",
                    "start": days_ago(5).isoformat(),
                    "end": days_ago(1).isoformat(),
                }
            ],
        },
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["detail"]}
    assert fields == {None, "measures.0.hours_per_week"}
    assert PlanVersion.objects.count() == plans

    health = _send(adviser, "PUT", f"{url}/mapping", {"health_limitations": "Ryggplager"})
    assert health.status_code == 422
    assert health.json()["detail"][0]["field"] == "health_limitations"
    open_participant.mapping.refresh_from_db()
    assert open_participant.mapping.health_limitations == ""

    schema = _send(adviser, "POST", f"{url}/end", {"on": "yesterday", "reason": "finished"})
    assert schema.status_code == 422
    assert {e["field"] for e in schema.json()["detail"]} == {"on", "reason"}
    unknown = _send(adviser, "PUT", f"{url}/assignment", {"adult_education_id": str(open_participant.id)})
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["field"] == "adult_education_id"
    open_participant.refresh_from_db()
    assert open_participant.ended_on is None


def test_norwegian_messages_for_a_norwegian_client(users, open_participant):
    client = _client(users[Role.PROGRAMME_ADVISER])
    response = client.generic(
        "PUT",
        f"{BASE}/participants/{open_participant.id}/mapping",
        json.dumps({"health_limitations": "Ryggplager"}),
        content_type="application/json",
        headers={"accept-language": "nb"},
    )
    assert response.status_code == 422
    assert "samtykke" in response.json()["detail"][0]["message"]


def test_a_teacher_of_the_assigned_centre_reads_the_case_but_may_not_change_it(users, assigned):
    participant = assigned
    teacher = _client(users[Role.TEACHER])
    url = f"{BASE}/participants/{participant.id}"
    read = teacher.get(url)
    assert read.status_code == 200
    assert (read.json()["can_manage"], read.json()["can_record_attendance"]) == (False, True)
    assert _send(teacher, "PUT", f"{url}/goals", {"final_goal": "work"}).status_code == 403
    assert [row["id"] for row in teacher.get(f"{BASE}/participants").json()] == [str(participant.id)]


def test_a_teacher_or_adviser_elsewhere_finds_nothing(chain, participant):
    other_centre = chain.adult_education.__class__.objects.create(
        kind="adult_education", name="Tromsø voksenopplæring"
    )
    elsewhere = [
        _client(make_user("tromso-teacher", other_centre, Role.TEACHER)),
        _client(make_user("tromso-adviser", chain.tromso, Role.PROGRAMME_ADVISER)),
    ]
    for client in elsewhere:
        url = f"{BASE}/participants/{participant.id}"
        assert client.get(url).status_code == 404
        assert client.get(f"{url}/plans").status_code == 404
        assert _send(client, "PUT", f"{url}/goals", {"final_goal": "work"}).status_code == 404
        assert client.get(f"{BASE}/persons/{participant.person_id}/training").status_code == 404
        assert client.get(f"{BASE}/participants").json() == []
    assert _send(elsewhere[1], "POST", f"{BASE}/persons/{participant.person_id}/case", {}).status_code == 404


def test_ending_and_the_status_one_year_after(users, adviser, participant):
    url = f"{BASE}/participants/{participant.id}"
    ended = _send(adviser, "POST", f"{url}/end", {"on": days_ago(400).isoformat(), "reason": "work"})
    assert ended.status_code == 422  # before the start
    ended = _send(adviser, "POST", f"{url}/end", {"on": days_ago(10).isoformat(), "reason": "work"})
    assert ended.status_code == 200, ended.content
    assert ended.json()["stage"] == "ended"
    assert _send(adviser, "PUT", f"{url}/goals", {"final_goal": "work"}).status_code == 422
    early = _send(
        adviser,
        "PUT",
        f"{url}/one-year-status",
        {"status": "work", "weekly_work_hours": "30", "recorded_on": days_ago(1).isoformat()},
    )
    assert early.status_code == 422
    assert early.json()["detail"][0]["field"] == "recorded_on"
    teacher = _client(users[Role.TEACHER])
    assert (
        _send(
            teacher,
            "PUT",
            f"{url}/one-year-status",
            {"status": "other", "recorded_on": days_ago(1).isoformat()},
        ).status_code
        == 403
    )
    assert Participant.objects.get(pk=participant.pk).one_year_status == ""


def test_reads_through_the_api_are_logged_with_the_channel(adviser, participant):
    adviser.get(f"{BASE}/participants/{participant.id}")
    entry = AuditEntry.objects.filter(person_id=participant.person_id, action="read").latest("pk")
    assert entry.channel == "api"


# --- the NIR export --------------------------------------------------------------------------------------


def test_the_nir_export_gives_the_document_with_its_report_and_a_hand_edited_file_is_checked(
    adviser, users, chain, participant
):
    q.end_programme(q.Actor(users[Role.PROGRAMME_ADVISER]), participant, on=days_ago(3), reason="work")
    period = {"period_start": days_ago(40).isoformat(), "period_end": days_ago(1).isoformat()}
    response = adviser.get(f"{BASE}/nir/export", {"municipality_id": str(chain.harstad.id), **period})
    assert response.status_code == 200, response.content
    export = response.json()
    assert export["file_name"] == f"bro-nir-5503-{period['period_start']}-{period['period_end']}.json"
    [row] = export["document"]["participants"]
    assert row["ref"] == str(participant.id)
    assert row["end"] == {"date": days_ago(3).isoformat(), "reason": "work"}
    assert export["report"]["participants"] == 1

    row["end"]["reason"] = None  # the model cannot hold this; a file edited by hand can
    checked = _send(adviser, "POST", f"{BASE}/nir/validation", export["document"])
    assert checked.status_code == 200, checked.content
    [group] = [g for g in checked.json()["groups"] if g["ref"] == str(participant.id)]
    assert group["name"] == participant.person.full_name
    assert "end.reason" in {i["field"] for i in group["issues"] if i["severity"] == "error"}

    wrong = _send(adviser, "POST", f"{BASE}/nir/validation", {**export["document"], "format": "csv"})
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["field"] is None


def test_the_nir_export_refuses_a_bad_period_and_other_municipalities(adviser, users, chain):
    reversed_period = {"period_start": days_ago(1).isoformat(), "period_end": days_ago(30).isoformat()}
    assert adviser.get(f"{BASE}/nir/export", reversed_period).status_code == 422
    assert adviser.get(f"{BASE}/nir/export", {"period_start": days_ago(1).isoformat()}).status_code == 422
    assert adviser.get(f"{BASE}/nir/export", {"municipality_id": str(chain.tromso.id)}).status_code == 403
    assert adviser.get(f"{BASE}/nir/export").status_code == 200  # last month, the adviser's municipality
    for role in (Role.TEACHER, Role.LEADERSHIP, Role.MUNICIPAL_SETTLEMENT_OFFICER):
        client = _client(users[role])
        assert client.get(f"{BASE}/nir/export").status_code == 403
        assert (
            _send(
                client,
                "POST",
                f"{BASE}/nir/validation",
                {"format": "bro-nir", "version": 1, "period": {}, "participants": []},
            ).status_code
            == 403
        )


# --- the monitor and the programme results ----------------------------------------------------------------


def test_the_monitor_shows_a_late_start_with_its_cause_by_name_to_advisers_and_as_counts_to_leadership(
    adviser, users, settle, adviser_actor
):
    person = settle(150)
    participant = q.open_case(adviser_actor, person)
    q.save_mapping(adviser_actor, participant, q.MappingInput(completed_on=days_ago(140)))
    q.start_programme(adviser_actor, participant, on=days_ago(20), delay_cause="health_check")

    found = adviser.get(f"{BASE}/monitor")
    assert found.status_code == 200, found.content
    body = found.json()
    assert body["municipality"] == "Harstad kommune"
    [case] = [c for g in body["groups"] for c in g["cases"] if c["participant_id"] == str(participant.id)]
    start = next(d for d in case["deadlines"] if d["code"] == "programme_start")
    assert (start["state"], start["cause"]) == ("done_late", "health_check")
    assert start["days_late"] > 0
    assert [(c["cause"], c["count"]) for c in body["deviations"]["by_cause"]] == [("health_check", 1)]
    assert body["my_week"] is not None

    leader = _client(users[Role.LEADERSHIP]).get(f"{BASE}/monitor").json()
    assert leader["case_count"] == body["case_count"] == 1
    assert [c for g in leader["groups"] for c in g["cases"]] == []
    assert leader["deviations"]["rows"] == []
    assert person.full_name not in json.dumps(leader)
    assert leader["my_week"] is None


def test_the_monitor_and_results_are_refused_outside_their_scope(users, chain):
    for role in (Role.VOLUNTEER, Role.TEACHER, Role.RECEPTION_STAFF):
        client = _client(users[role])
        assert client.get(f"{BASE}/monitor").status_code == 403
        assert client.get(f"{BASE}/overview").status_code == 403
    adviser = _client(users[Role.PROGRAMME_ADVISER])
    assert adviser.get(f"{BASE}/monitor", {"municipality_id": str(chain.tromso.id)}).status_code == 404
    assert adviser.get(f"{BASE}/overview", {"municipality_id": str(chain.tromso.id)}).status_code == 404
    assert adviser.get(f"{BASE}/monitor", {"adviser": "someone"}).status_code == 422
    directorate = _client(make_user("imdi-leader", chain.directorate, Role.LEADERSHIP))
    choose = directorate.get(f"{BASE}/monitor")
    assert choose.status_code == 422
    assert choose.json()["detail"][0]["field"] == "municipality_id"
    assert directorate.get(f"{BASE}/monitor", {"municipality_id": str(chain.tromso.id)}).status_code == 200


def test_the_results_count_by_sex_and_suppress_small_cells(users, settle, adviser_actor):
    for i, (sex, status) in enumerate(
        [("female", "work")] * 3 + [("female", "other")] + [("male", "education")] * 2
    ):
        person = settle(900, sex=sex, given_name=f"P{i}")
        p = q.open_case(adviser_actor, person)
        q.save_mapping(adviser_actor, p, q.MappingInput(completed_on=days_ago(890)))
        q.start_programme(adviser_actor, p, on=days_ago(880))
        q.end_programme(adviser_actor, p, on=days_ago(400), reason="completed")
        hours = "30" if status == "work" else None
        q.record_one_year_status(
            adviser_actor,
            p,
            status=status,
            weekly_work_hours=hours and Decimal(hours),
            recorded_on=days_ago(1),
        )
    leader = _client(users[Role.LEADERSHIP])
    body = leader.get(f"{BASE}/overview").json()
    assert body["year"] == days_ago(400).year
    groups = {g["key"]: g for g in body["groups"]}
    assert groups["all"]["ended"] == 6
    assert groups["all"]["in_work_or_education"] == 5
    assert groups["all"]["share_percent"] == "83.3"
    assert groups["female"]["ended"] == "<5"
    assert groups["female"]["share_percent"] is None
    assert "P0" not in json.dumps(body)


# --- decisions, appeals and the certificate ---------------------------------------------------------------


def test_a_decision_is_made_with_its_letter_appealed_late_and_the_outcome_recorded(adviser, users, assigned):
    url = f"{BASE}/participants/{assigned.id}/decisions"
    body = {
        "kind": "programme",
        "decided_on": days_ago(100).isoformat(),
        "effective_from": days_ago(100).isoformat(),
        "outcome_text": "Du får introduksjonsprogram.",
        "reasons": "Du har rett og plikt til program.",
    }
    made = _send(adviser, "POST", url, body)
    assert made.status_code == 201, made.content
    decision = made.json()
    assert (decision["kind"], decision["plan_version"], decision["letter_language"]) == ("programme", 1, "nb")

    letter = adviser.get(f"{BASE}/decisions/{decision['id']}/letter")
    assert letter.status_code == 200
    assert letter["Content-Type"] == "application/pdf"
    assert letter.content.startswith(b"%PDF")
    assert assigned.person.family_name not in letter["Content-Disposition"]

    appeal = _send(
        adviser,
        "POST",
        f"{BASE}/decisions/{decision['id']}/appeals",
        {"received_on": days_ago(50).isoformat(), "grounds": "Uenig i planen."},
    )
    assert appeal.status_code == 201, appeal.content
    assert (appeal.json()["is_late"], appeal.json()["outcome"]) == (True, "pending")
    outcome = _send(
        adviser,
        "POST",
        f"{BASE}/appeals/{appeal.json()['id']}/outcome",
        {"outcome": "upheld", "outcome_on": days_ago(10).isoformat()},
    )
    assert outcome.status_code == 200, outcome.content
    assert (outcome.json()["outcome"], outcome.json()["is_open"]) == ("upheld", False)

    teacher = _client(users[Role.TEACHER])
    listed = teacher.get(url)
    assert listed.status_code == 200
    [row] = listed.json()["decisions"]
    assert [a["outcome"] for a in row["appeals"]] == ["upheld"]
    assert teacher.get(f"{BASE}/decisions/{decision['id']}/letter").status_code == 200
    assert _send(teacher, "POST", url, body).status_code == 403
    assert (
        _send(
            teacher,
            "POST",
            f"{BASE}/decisions/{decision['id']}/appeals",
            {"received_on": days_ago(1).isoformat(), "grounds": "x"},
        ).status_code
        == 403
    )


def test_a_bad_decision_is_refused_and_makes_no_letter(adviser, open_participant):
    from bro.qualification.models import Decision

    response = _send(
        adviser,
        "POST",
        f"{BASE}/participants/{open_participant.id}/decisions",
        {
            "kind": "leave",
            "decided_on": days_ago(-3).isoformat(),
            "effective_from": days_ago(5).isoformat(),
            "outcome_text": "Permisjon",
            "reasons": " ",
        },
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["detail"]}
    assert {"decided_on", "reasons", "effective_to"} <= fields
    assert Decision.objects.count() == 0


def test_the_certificate_is_there_once_the_programme_has_ended(adviser, participant, adviser_actor):
    url = f"{BASE}/participants/{participant.id}/certificate"
    before = adviser.get(url)
    assert before.status_code == 404
    assert before.json()["detail"]
    q.end_programme(adviser_actor, participant, on=days_ago(1), reason="completed")
    after = adviser.get(url, {"lang": "en"})
    assert after.status_code == 200
    assert after.content.startswith(b"%PDF")


# --- groups, attendance, tests and the benefit --------------------------------------------------------------


def _class_of(n, arrive, adviser_actor, chain):
    from tests.qualification.conftest import standard_measures

    cases = []
    for i in range(n):
        person = arrive(Phase.SETTLED, given_name=f"Elev{i}")
        p = q.open_case(adviser_actor, person, adult_education=chain.adult_education)
        q.save_mapping(adviser_actor, p, q.MappingInput(completed_on=days_ago(196)))
        q.save_plan(
            adviser_actor, p, standard_measures(days_ago(190), days_ago(-500)), valid_from=days_ago(192)
        )
        q.start_programme(adviser_actor, p, on=days_ago(190))
        cases.append(p)
    return cases


def _last_week():
    year, week, _day = days_ago(7).isocalendar()
    return year, week


def test_a_teacher_enters_a_whole_groups_week_at_once_and_one_bad_row_saves_nothing(
    users, chain, arrive, adviser_actor
):
    from bro.qualification.models import AttendanceWeek

    cases = _class_of(3, arrive, adviser_actor, chain)
    teacher = _client(users[Role.TEACHER])
    created = _send(teacher, "POST", f"{BASE}/groups", {"name": "Norsk 2B", "measure_kind": "norwegian"})
    assert created.status_code == 201, created.content
    group = created.json()
    assert group["organisation"] == "Harstad voksenopplæring"
    for p in cases:
        added = _send(teacher, "POST", f"{BASE}/groups/{group['id']}/members", {"participant_id": str(p.id)})
        assert added.status_code == 201, added.content
    assert added.json()["member_count"] == 3
    assert [g["member_count"] for g in teacher.get(f"{BASE}/groups").json()] == [3]

    year, week = _last_week()
    url = f"{BASE}/groups/{group['id']}/weeks/{year}/{week}"
    rows = [
        {"participant_id": str(p.id), "hours_attended": "12", "unexcused_absence_hours": "3"} for p in cases
    ]
    bad = [*rows[:2], {**rows[2], "hours_attended": "36"}]  # 39 hours: more than full time
    refused = _send(teacher, "PUT", url, {"rows": bad})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"].startswith("rows.2.")
    assert AttendanceWeek.objects.count() == 0

    saved = _send(teacher, "PUT", url, {"rows": rows})
    assert saved.status_code == 200, saved.content
    assert [r["recorded"]["hours_attended"] for r in saved.json()["rows"]] == ["12.0"] * 3
    assert AttendanceWeek.objects.filter(measure_kind="norwegian", iso_year=year, iso_week=week).count() == 3
    assert teacher.get(url).json()["rows"][0]["recorded"]["unexcused_absence_hours"] == "3.0"

    removed = teacher.delete(f"{BASE}/groups/{group['id']}/members/{cases[0].id}")
    assert removed.status_code == 204
    assert teacher.delete(f"{BASE}/groups/{group['id']}/members/{cases[0].id}").status_code == 404
    elsewhere = _client(
        make_user(
            "tromso-teacher",
            chain.adult_education.__class__.objects.create(kind="adult_education", name="Tromsø vo"),
            Role.TEACHER,
        )
    )
    assert elsewhere.get(url).status_code == 404
    assert _send(elsewhere, "PUT", url, {"rows": rows}).status_code == 404


def test_a_participants_week_and_test_and_the_benefit_with_its_reduction(users, chain, arrive, adviser_actor):
    [p] = _class_of(1, arrive, adviser_actor, chain)
    adviser = _client(users[Role.PROGRAMME_ADVISER])
    norwegian = next(m for m in selectors.current_plan(p).measures.all() if m.kind == "norwegian")
    year, week = _last_week()
    url = f"{BASE}/participants/{p.id}"
    body = {
        "measure_key": str(norwegian.key),
        "iso_year": year,
        "iso_week": week,
        "hours_attended": "7.5",
        "unexcused_absence_hours": "7.5",
    }
    recorded = _send(adviser, "POST", f"{url}/attendance", body)
    assert recorded.status_code == 200, recorded.content
    assert recorded.json()["measure_kind"] == "norwegian"
    wrong = _send(adviser, "POST", f"{url}/attendance", {**body, "measure_key": str(p.id)})
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["field"] == "measure_key"

    teacher = _client(users[Role.TEACHER])
    test = _send(
        teacher,
        "POST",
        f"{url}/tests",
        {"kind": "norwegian_oral", "taken_on": days_ago(2).isoformat(), "level": "A2"},
    )
    assert test.status_code == 201, test.content
    assert test.json()["organisation"] == "Harstad voksenopplæring"
    record = teacher.get(f"{url}/attendance").json()
    assert record["can_record"] is True
    [measure] = record["measures"]
    assert measure["totals"]["unexcused_absence_hours"] == "7.5"
    assert [t["level"] for t in record["tests"]] == ["A2"]

    months = adviser.get(f"{url}/benefit")
    assert months.status_code == 200
    thursday = datetime.date.fromisocalendar(year, week, 4)
    month = next(m for m in months.json() if (m["year"], m["month"]) == (thursday.year, thursday.month))
    assert month["unexcused_hours"] == "7.5"
    assert Decimal(month["reduction"]) > 0
    assert Decimal(month["net"]) == Decimal(month["gross"]) - Decimal(month["reduction"])
    assert any("7" in line for line in month["explanation"])
    assert _client(users[Role.VOLUNTEER]).get(f"{url}/benefit").status_code == 404
