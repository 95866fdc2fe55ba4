"""The NIR export and its validation report (issue 5, acceptance 5; DOMAIN.md §5 [public rule]: decisions,
hours, measures, absence, final goals, end reasons and appeals are registered in NIR)."""

from __future__ import annotations

import copy
import datetime
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from bro.core.models import AuditAction, AuditEntry
from bro.core.roles import Role
from bro.people.phases import Phase
from bro.qualification import nir, rules
from bro.qualification import services as q
from bro.qualification.models import Appeal, AttendanceWeek, Decision, Participant
from tests.conftest import days_ago, make_user
from tests.people.numbers import duf_number, identity_number

BIRTH_DATE = datetime.date(1990, 5, 17)


# --- fixtures: a complete case, built through the services ------------------------------------------------


def _fresh(p: Participant) -> Participant:
    # A new instance, so that no related object cached by an earlier step is read stale.
    return Participant.objects.get(pk=p.pk)


def _decision(p: Participant, kind: str, decided_on, **extra) -> Decision:
    # Decisions are created directly until bro.qualification.decisions offers a service for them.
    return Decision.objects.create(
        participant=p,
        kind=kind,
        decided_on=decided_on,
        effective_from=extra.pop("effective_from", decided_on),
        outcome_text="Innvilget.",
        reasons="Vilkårene er oppfylt.",
        letter_pdf=b"%PDF-test",
        **extra,
    )


def _period():
    today = timezone.localdate()
    return nir.month_period(*nir.last_month(today), today)


def _weeks(start, end):
    """The ISO weeks (year, week) that overlap the period."""
    weeks, day = [], start - datetime.timedelta(days=start.weekday())
    while day <= end:
        weeks.append(day.isocalendar()[:2])
        day += datetime.timedelta(days=7)
    return weeks


@pytest.fixture
def adviser_actor(users) -> q.Actor:
    return q.Actor(users[Role.PROGRAMME_ADVISER])


def _case(arrive, chain, actor, **person) -> Participant:
    person = arrive(
        Phase.SETTLED,
        immigrant_category="refugee",
        birth_date=BIRTH_DATE,
        national_identity_number=identity_number(BIRTH_DATE),
        duf_number=duf_number(),
        **person,
    )
    return q.open_case(actor, person, adult_education=chain.adult_education)


@pytest.fixture
def complete_case(arrive, chain, adviser_actor):
    """Settled in Harstad 200 days ago; mapped, goals and contract, a plan, a programme decision, started
    in time; last month: a plan decision with a pending appeal and every week's hours with one unexcused
    hour of absence."""
    actor = adviser_actor
    p = _case(arrive, chain, actor)
    q.save_mapping(actor, p, q.MappingInput(completed_on=days_ago(196), norwegian_level="A1"))
    p = _fresh(p)
    q.set_goals(actor, p, final_goal="work", norwegian_goal="B1", integration_contract_signed=days_ago(185))
    measures = [
        q.MeasureInput(kind="norwegian", hours_per_week=Decimal(15), start=days_ago(190), end=days_ago(-500)),
        q.MeasureInput(
            kind="social_studies", hours_per_week=Decimal(5), start=days_ago(190), end=days_ago(-500)
        ),
        q.MeasureInput(
            kind="work_placement",
            hours_per_week=Decimal(15),
            days_per_week=2,
            start=days_ago(190),
            end=days_ago(-500),
            provider="Coop",
        ),
    ]
    plan = q.save_plan(actor, p, measures, valid_from=days_ago(192))
    _decision(p, "programme", days_ago(192), effective_from=days_ago(190), plan=plan)
    q.start_programme(actor, p, on=days_ago(190))
    p = _fresh(p)
    start, end = _period()
    decision = _decision(p, "plan", start, plan=plan)
    Appeal.objects.create(decision=decision, received_on=start + datetime.timedelta(days=5), grounds="Uenig.")
    keys = {m.kind: m.key for m in plan.measures.all()}
    for year, week in _weeks(start, end):
        for kind, attended, unexcused in (("norwegian", "14", "1"), ("work_placement", "15", "0")):
            AttendanceWeek.objects.create(
                participant=p,
                person=p.person,
                measure_key=keys[kind],
                measure_kind=kind,
                iso_year=year,
                iso_week=week,
                hours_attended=Decimal(attended),
                unexcused_absence_hours=Decimal(unexcused),
            )
    return p


def _export(users, chain):
    start, end = _period()
    return nir.build_export(users[Role.PROGRAMME_ADVISER], chain.harstad, period_start=start, period_end=end)


def _only(document, participant):
    found = [row for row in document["participants"] if row["ref"] == str(participant.pk)]
    assert len(found) == 1
    return found[0]


# --- building -------------------------------------------------------------------------------------------


def test_a_months_export_of_a_complete_case_passes_its_own_validator(complete_case, users, chain):
    document = _export(users, chain)
    assert [row["ref"] for row in document["participants"]] == [str(complete_case.pk)]
    assert nir.validate(document) == []


def test_the_export_holds_decisions_hours_measures_absence_goals_and_appeals(complete_case, users, chain):
    document = _export(users, chain)
    start, end = _period()
    assert document["format"] == "bro-nir" and document["version"] == 1
    assert document["municipality"] == {"number": "5503", "name": "Harstad kommune"}
    assert document["period"] == {"start": start.isoformat(), "end": end.isoformat()}
    row = _only(document, complete_case)
    person = complete_case.person
    assert row["person"] == {
        "identity_number": person.national_identity_number,
        "duf_number": person.duf_number,
        "birth_date": "1990-05-17",
        "sex": "female",
        "immigrant_category": "refugee",
    }
    assert row["settlement_date"] == days_ago(200).isoformat()
    assert row["rights"] == {
        "programme": "right_and_duty",
        "training": "right_and_duty",
        "temporary_rules": False,
    }
    assert row["goals"] == {
        "final_goal": "work",
        "norwegian_goal": "B1",
        "integration_contract_signed": days_ago(185).isoformat(),
    }
    assert row["programme"]["decided_on"] == days_ago(192).isoformat()
    assert row["programme"]["start"] == days_ago(190).isoformat()
    assert row["programme"]["planned_end"] == (rules.programme_end(days_ago(190)).isoformat())
    # Only the decision made in the period is listed; the programme decision is summarised above.
    assert [(d["kind"], d["decided_on"]) for d in row["decisions"]] == [("plan", start.isoformat())]
    assert [(a["decision_kind"], a["outcome"], a["outcome_on"]) for a in row["appeals"]] == [
        ("plan", "pending", None)
    ]
    assert [m["kind"] for m in row["plans"][0]["measures"]] == [
        "norwegian",
        "social_studies",
        "work_placement",
    ]
    assert row["plans"][0]["measures"][0]["hours_per_week"] == "15.0"
    weeks = _weeks(start, end)
    assert len(row["attendance"]) == 2 * len(weeks)
    norwegian = [w for w in row["attendance"] if w["measure_kind"] == "norwegian"]
    assert {(w["iso_year"], w["iso_week"]) for w in norwegian} == set(weeks)
    assert {
        (w["hours_attended"], w["valid_absence_hours"], w["unexcused_absence_hours"]) for w in norwegian
    } == {("14.0", "0.0", "1.0")}
    assert row["end"] == {"date": None, "reason": None}


def test_the_export_round_trips_through_a_json_file(complete_case, users, chain):
    document = _export(users, chain)
    loaded = json.loads(json.dumps(document, ensure_ascii=False, indent=1))
    assert loaded == document
    assert nir.validate(loaded) == nir.validate(document) == []


def test_the_export_includes_the_cases_active_in_the_period_and_no_others(
    complete_case, arrive, chain, adviser_actor, users
):
    ended_early = _case(arrive, chain, adviser_actor, given_name="Omar")
    q.end_programme(adviser_actor, ended_early, on=days_ago(150), reason="moved")
    start, end = _period()
    ended_in_period = _case(arrive, chain, adviser_actor, given_name="Lina")
    q.end_programme(adviser_actor, ended_in_period, on=start, reason="own_wish")
    tromso = make_user("tromso-adviser", chain.tromso, Role.PROGRAMME_ADVISER)
    in_tromso = _case(arrive, chain, q.Actor(tromso), given_name="Samir", settle_in=chain.tromso)

    refs = {row["ref"] for row in _export(users, chain)["participants"]}

    assert refs == {str(complete_case.pk), str(ended_in_period.pk)}
    assert str(ended_early.pk) not in refs and str(in_tromso.pk) not in refs


def test_a_participant_ended_without_end_reason_is_reported_with_that_code(
    complete_case, arrive, chain, adviser_actor, users
):
    start, _end = _period()
    ended = _case(arrive, chain, adviser_actor, given_name="Lina")
    q.end_programme(adviser_actor, ended, on=start, reason="own_wish")
    document = _export(users, chain)
    assert not [i for i in nir.validate(document) if i.code == "end_reason_missing"]
    # The model forbids an ended case without a reason; a file edited by hand can still have one.
    edited = json.loads(json.dumps(document))
    _only(edited, ended)["end"]["reason"] = ""

    issues = nir.validate(edited)

    assert [(i.severity, i.ref, i.field, i.code) for i in issues if i.severity == nir.ERROR] == [
        ("error", str(ended.pk), "end.reason", "end_reason_missing")
    ]


def test_a_bad_period_is_refused_and_nothing_is_logged(complete_case, users, chain):
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as raised:
        nir.build_export(
            users[Role.PROGRAMME_ADVISER], chain.harstad, period_start=days_ago(1), period_end=days_ago(10)
        )
    assert [e.code for e in raised.value.error_list] == ["period_reversed"]
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    "role",
    [Role.TEACHER, Role.LEADERSHIP, Role.MUNICIPAL_SETTLEMENT_OFFICER, Role.NATIONAL_SETTLEMENT_OFFICER],
)
def test_only_the_municipalitys_programme_advisers_may_export(complete_case, users, chain, role):
    start, end = _period()
    with pytest.raises(PermissionDenied):
        nir.build_export(users[role], chain.harstad, period_start=start, period_end=end)


def test_an_adviser_in_another_municipality_may_not_export_harstad(complete_case, chain):
    tromso = make_user("tromso-adviser", chain.tromso, Role.PROGRAMME_ADVISER)
    start, end = _period()
    with pytest.raises(PermissionDenied):
        nir.build_export(tromso, chain.harstad, period_start=start, period_end=end)


def test_building_is_logged_with_a_count_and_a_read_per_case_without_identity_numbers(
    complete_case, users, chain
):
    since = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    _export(users, chain)
    entries = AuditEntry.objects.filter(id__gt=since)
    listing = entries.get(action=AuditAction.LIST, object_type="qualification.nir_export")
    assert listing.summary.endswith(": 1 participants")
    assert listing.organisation == chain.harstad
    reads = entries.filter(action=AuditAction.READ, person_id=complete_case.person_id)
    assert reads.count() == 1
    number = complete_case.person.national_identity_number
    assert number
    everything = json.dumps(list(AuditEntry.objects.values("summary", "changes", "object_id")), default=str)
    assert number not in everything


# --- validation (pure: no database) ----------------------------------------------------------------------

REF = "3f1c2a6e-9a51-4c39-9d3b-2f3a1b7c0d11"
VALID = {
    "format": "bro-nir",
    "version": 1,
    "municipality": {"number": "5503", "name": "Harstad kommune"},
    "period": {"start": "2025-01-01", "end": "2025-01-31"},
    "generated_at": "2025-02-03T09:00:00+01:00",
    "participants": [
        {
            "ref": REF,
            "person": {
                "identity_number": "17059012345",
                "duf_number": None,
                "birth_date": "1990-05-17",
                "sex": "female",
                "immigrant_category": "refugee",
            },
            "settlement_date": "2024-01-10",
            "permit_date": None,
            "rights": {"programme": "right_and_duty", "training": "right_and_duty", "temporary_rules": False},
            "mapping_completed_on": "2024-02-01",
            "goals": {"final_goal": "work", "norwegian_goal": "B1", "integration_contract_signed": None},
            "programme": {
                "decided_on": "2024-02-15",
                "start": "2024-03-01",
                "start_delay_cause": None,
                "extension": "none",
                "planned_end": "2026-02-28",
            },
            "leave": [],
            "decisions": [],
            "appeals": [],
            "plans": [
                {
                    "version": 1,
                    "valid_from": "2024-02-15",
                    "valid_to": None,
                    "measures": [
                        {
                            "key": "k1",
                            "kind": "norwegian",
                            "hours_per_week": "15.0",
                            "days_per_week": None,
                            "start": "2024-03-01",
                            "end": "2026-02-28",
                        }
                    ],
                }
            ],
            "attendance": [
                {
                    "measure_key": "k1",
                    "measure_kind": "norwegian",
                    "iso_year": 2025,
                    "iso_week": 3,
                    "hours_attended": "14.0",
                    "valid_absence_hours": "0.0",
                    "unexcused_absence_hours": "1.0",
                }
            ],
            "end": {"date": None, "reason": None},
            "one_year_after": {"status": None, "weekly_work_hours": None, "recorded_on": None},
        }
    ],
}


def _doc(change=None):
    document = copy.deepcopy(VALID)
    if change:
        change(document["participants"][0])
    return document


def _codes(document) -> list[tuple[str, str, str]]:
    return [(i.severity, i.field, i.code) for i in nir.validate(document)]


def test_the_hand_made_reference_document_is_valid():
    assert nir.validate(_doc()) == []


def test_missing_identity_number_and_duf_number_is_an_error():
    def change(p):
        p["person"]["identity_number"] = ""

    assert _codes(_doc(change)) == [("error", "person.identity_number", "no_identity")]


def test_a_duf_number_alone_identifies_the_person():
    def change(p):
        p["person"].update(identity_number=None, duf_number="202300000001")

    assert _codes(_doc(change)) == []


def test_a_started_programme_without_a_programme_decision_is_an_error():
    def change(p):
        p["programme"]["decided_on"] = None

    assert _codes(_doc(change)) == [("error", "programme.decided_on", "no_programme_decision")]


def test_a_programme_decision_in_the_periods_decisions_counts():
    def change(p):
        p["programme"]["decided_on"] = None
        p["decisions"] = [
            {"ref": "d", "kind": "programme", "decided_on": "2025-01-10", "effective_from": "2025-01-10"}
        ]
        p["programme"]["start"] = "2025-01-13"
        p["programme"]["start_delay_cause"] = "capacity"

    assert _codes(_doc(change)) == []


def test_a_programme_decision_before_the_mapping_is_an_error():
    def change(p):
        p["mapping_completed_on"] = "2024-02-20"

    issues = nir.validate(_doc(change))
    assert [(i.field, i.code) for i in issues] == [("programme.decided_on", "decision_before_mapping")]
    with translation.override("en"):
        assert nir.describe(issues[0]) == (
            "The programme decision (2024-02-15) was made before the competence mapping was completed (2024-02-20)."
        )


def test_a_programme_decision_without_any_mapping_is_an_error():
    def change(p):
        p["mapping_completed_on"] = None

    assert _codes(_doc(change)) == [("error", "mapping_completed_on", "decision_without_mapping")]


@pytest.mark.parametrize("hours", [None, "", "0", "0.0"])
def test_a_measure_without_hours_is_an_error(hours):
    def change(p):
        p["plans"][0]["measures"][0]["hours_per_week"] = hours

    assert _codes(_doc(change)) == [("error", "plans[0].measures[0].hours_per_week", "measure_without_hours")]


def test_programme_hours_outside_the_programme_period_are_errors():
    def change(p):
        p["attendance"][0].update(measure_kind="work_placement", iso_year=2024, iso_week=8)  # before 1 March
        p["attendance"].append({**p["attendance"][0], "iso_year": 2026, "iso_week": 10})  # after the end

    assert _codes(_doc(change)) == [
        ("error", "attendance[0].iso_week", "attendance_outside_programme"),
        ("error", "attendance[1].iso_week", "attendance_outside_programme"),
    ]


def test_the_week_the_programme_starts_in_is_inside_the_period():
    def change(p):
        p["attendance"][0].update(measure_kind="work_placement", iso_year=2024, iso_week=9)  # 26 Feb–3 Mar

    assert _codes(_doc(change)) == []


def test_norwegian_training_before_the_programme_start_belongs_to_the_case_not_the_programme():
    def change(p):
        p["attendance"][0].update(iso_year=2024, iso_week=5)  # after settlement, before the programme

    assert _codes(_doc(change)) == []


def test_hours_after_the_case_ended_are_errors():
    def change(p):
        p["end"] = {"date": "2025-01-10", "reason": "work"}
        p["attendance"][0]["iso_week"] = 4  # 20–26 January

    assert _codes(_doc(change)) == [("error", "attendance[0].iso_week", "attendance_outside_programme")]


def test_a_week_over_full_time_across_measures_is_an_error():
    """Full time is 37.5 hours a week (004:L378–380): attended and absent together may not exceed it."""

    def change(p):
        p["attendance"].append(
            {
                **p["attendance"][0],
                "measure_kind": "work_placement",
                "hours_attended": "22.0",
                "unexcused_absence_hours": "1.0",
            }
        )  # 14 + 1 + 22 + 1 = 38

    issues = nir.validate(_doc(change))
    assert [(i.field, i.code, i.params) for i in issues] == [
        ("attendance", "week_over_full_time", {"year": 2025, "week": 3, "hours": Decimal("38.0")})
    ]


def test_exactly_full_time_is_allowed():
    def change(p):
        p["attendance"].append(
            {
                **p["attendance"][0],
                "measure_kind": "work_placement",
                "hours_attended": "22.5",
                "unexcused_absence_hours": "0",
            }
        )

    assert _codes(_doc(change)) == []


def _appeal(received, outcome="pending", outcome_on=None):
    return {
        "ref": "a",
        "decision": "d",
        "decision_kind": "plan",
        "decided_on": "2024-09-01",
        "received_on": received,
        "outcome": outcome,
        "outcome_on": outcome_on,
    }


def test_an_appeal_without_outcome_after_three_months_is_a_warning():
    def change(p):
        p["appeals"] = [_appeal("2024-10-30"), _appeal("2024-10-31")]  # 3 months: 30 and 31 January

    assert _codes(_doc(change)) == [("warning", "appeals[0].outcome", "appeal_without_outcome")]


def test_an_appeal_with_an_outcome_needs_its_date():
    def change(p):
        p["appeals"] = [_appeal("2024-06-01", "upheld", "2024-08-01"), _appeal("2024-06-01", "upheld")]

    assert _codes(_doc(change)) == [("error", "appeals[1].outcome_on", "missing_value")]


def test_a_start_later_than_three_months_after_settlement_without_cause_is_a_warning():
    """The programme must start within 3 months of settlement (004:L1275)."""

    def change(p):
        p["programme"]["start"] = "2024-04-11"  # settled 10 January: due 10 April

    assert _codes(_doc(change)) == [("warning", "programme.start_delay_cause", "late_start_without_cause")]

    def with_cause(p):
        change(p)
        p["programme"]["start_delay_cause"] = "health_check"

    assert _codes(_doc(with_cause)) == []


def test_a_started_programme_without_final_goal_is_a_warning():
    def change(p):
        p["goals"]["final_goal"] = None

    assert _codes(_doc(change)) == [("warning", "goals.final_goal", "no_final_goal")]


def test_a_case_not_yet_started_needs_no_decision_or_final_goal():
    def change(p):
        p["programme"].update(decided_on=None, start=None, planned_end=None)
        p["goals"]["final_goal"] = None
        p["plans"] = []

    assert _codes(_doc(change)) == []


def test_unknown_codes_and_malformed_values_are_errors_not_crashes():
    def change(p):
        p["person"]["sex"] = "x"
        p["person"]["birth_date"] = "17.05.1990"
        p["end"] = {"date": "2025-01-20", "reason": "retired"}
        p["plans"][0]["measures"][0]["hours_per_week"] = "many"
        p["attendance"][0]["iso_week"] = 54
        p["decisions"] = "none"

    assert sorted(_codes(_doc(change))) == sorted(
        [
            ("error", "person.sex", "unknown_code"),
            ("error", "person.birth_date", "invalid_date"),
            ("error", "end.reason", "unknown_code"),
            ("error", "plans[0].measures[0].hours_per_week", "invalid_number"),
            ("error", "plans[0].measures[0].hours_per_week", "measure_without_hours"),
            ("error", "attendance[0].iso_week", "invalid_week"),
            ("error", "decisions", "invalid_value"),
        ]
    )


@pytest.mark.parametrize(
    ("document", "code"),
    [
        ([], "not_an_object"),
        ({"format": "other", "version": 1, "participants": []}, "wrong_format"),
        ({**VALID, "version": 2}, "wrong_version"),
        ({**VALID, "participants": {}}, "no_participants"),
        ({**VALID, "period": {"start": "2025-01-01"}}, "no_period"),
    ],
)
def test_a_document_of_another_format_gets_one_document_level_error(document, code):
    assert [(i.ref, i.code) for i in nir.validate(document)] == [("", code)]


def test_the_same_case_twice_is_an_error():
    document = _doc()
    document["participants"].append(copy.deepcopy(document["participants"][0]))
    assert _codes(document) == [("error", "ref", "duplicate_ref")]


def test_every_issue_code_has_wording_that_takes_its_parameters():
    for code, message in nir.MESSAGES.items():
        params = dict.fromkeys(re.findall(r"%\((\w+)\)s", str(message)), "X")
        text = nir.describe(nir.Issue("error", REF, "f", code, params))
        assert text and "%(" not in text


def test_the_report_groups_issues_by_participant_name_with_the_document_first():
    issues = [
        nir.Issue("warning", "b", "goals.final_goal", "no_final_goal"),
        nir.Issue("error", "a", "end.reason", "end_reason_missing"),
        nir.Issue("error", "b", "person.identity_number", "no_identity"),
        nir.Issue("error", "", "participants[3]", "invalid_value"),
        nir.Issue("error", "zz", "ref", "duplicate_ref"),
    ]
    groups = nir.report_groups(issues, {"a": "Omar Ali", "b": "Amina Haddad"})
    assert [(g.ref, g.name) for g in groups] == [
        ("", None),
        ("b", "Amina Haddad"),
        ("a", "Omar Ali"),
        ("zz", None),
    ]
    assert [i.severity for i in groups[1].issues] == ["error", "warning"]


# --- the period -------------------------------------------------------------------------------------------

TODAY = datetime.date(2025, 3, 15)


@pytest.mark.parametrize(
    ("start", "end", "problems"),
    [
        ("2025-02-01", "2025-02-28", []),
        ("2025-02-28", "2025-02-01", ["period_reversed"]),
        ("2024-02-01", "2025-02-28", []),  # 13 months
        ("2024-01-31", "2025-02-28", []),  # no 31 Feb: 13 months end on the month's last day
        ("2024-01-31", "2025-03-01", ["period_too_long"]),
        ("2024-01-01", "2025-02-01", ["period_too_long"]),
        ("2025-03-01", "2025-03-15", []),  # up to today
        ("2025-03-01", "2025-03-16", ["period_in_future"]),
    ],
)
def test_period_rules(start, end, problems):
    d = datetime.date.fromisoformat
    assert nir.period_problems(d(start), d(end), TODAY) == problems


def test_the_default_month_is_last_month_and_january_looks_back_to_december():
    assert nir.last_month(TODAY) == (2025, 2)
    assert nir.last_month(datetime.date(2025, 1, 1)) == (2024, 12)
    assert nir.month_period(2024, 2, TODAY) == (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))


def test_the_current_month_ends_today():
    assert nir.month_period(2025, 3, TODAY) == (datetime.date(2025, 3, 1), TODAY)


def test_the_file_is_named_after_the_municipality_and_the_period():
    assert nir.file_name(VALID) == "bro-nir-5503-2025-01-01-2025-01-31.json"


# --- the documentation ----------------------------------------------------------------------------------


def test_the_documentation_lists_every_code_and_every_issue():
    text = (Path(__file__).resolve().parents[2] / "docs" / "nir-export.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([A-Za-z0-9_]+)`", text))
    missing = {
        f"{name}: {code}"
        for name, codes in nir.CODE_LISTS.items()
        for code in codes
        if code not in documented
    }
    missing |= {code for code in nir.MESSAGES if not code.startswith("period_") and code not in documented}
    assert not missing


# --- the pages --------------------------------------------------------------------------------------------


def _client(client, user):
    client.force_login(user)
    return client


def _query(chain, **overrides):
    year, month = nir.last_month(timezone.localdate())
    values = {
        "municipality": str(chain.harstad.pk),
        "month": f"{year:04d}-{month:02d}",
        "date_from": "",
        "date_to": "",
    }
    values.update(overrides)
    return values


def test_the_export_page_offers_the_advisers_municipality_and_last_month(client, users, chain):
    year, month = nir.last_month(timezone.localdate())
    response = _client(client, users[Role.PROGRAMME_ADVISER]).get("/qualification/export/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'value="{year:04d}-{month:02d}"' in body
    assert "Harstad kommune" in body and "Tromsø kommune" not in body


def test_the_report_groups_problems_by_name_links_to_the_case_and_offers_the_file(
    complete_case, client, users, chain
):
    complete_case.decisions.filter(kind="programme").delete()
    response = _client(client, users[Role.PROGRAMME_ADVISER]).get("/qualification/export/", _query(chain))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'href="/qualification/participants/{complete_case.pk}/"' in body
    assert complete_case.person.full_name in body
    assert "no decision on introduction programme" in body or "vedtak om introduksjonsprogram" in body
    assert "/qualification/export/file/?municipality=" in body
    assert complete_case.person.national_identity_number not in body
    assert complete_case.person.duf_number not in body


def test_the_download_is_a_json_attachment_named_after_municipality_and_period(
    complete_case, client, users, chain
):
    start, end = _period()
    response = _client(client, users[Role.PROGRAMME_ADVISER]).get(
        "/qualification/export/file/", _query(chain)
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="bro-nir-5503-{start.isoformat()}-{end.isoformat()}.json"'
    )
    document = json.loads(response.content)
    assert [p["ref"] for p in document["participants"]] == [str(complete_case.pk)]
    assert nir.validate(document) == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date_from": days_ago(5).isoformat(), "date_to": days_ago(40).isoformat()}, "date_to"),
        ({"date_from": days_ago(500).isoformat(), "date_to": days_ago(1).isoformat()}, "date_to"),
        ({"date_from": days_ago(10).isoformat(), "date_to": days_ago(-1).isoformat()}, "date_to"),
        ({"date_from": days_ago(10).isoformat()}, "date_to"),
        ({"month": "2025-13"}, "month"),
        ({"month": f"{days_ago(-40).year:04d}-{days_ago(-40).month:02d}"}, "month"),
    ],
)
def test_a_bad_period_is_shown_on_the_form_and_nothing_is_exported(client, users, chain, overrides, field):
    since = AuditEntry.objects.count()
    c = _client(client, users[Role.PROGRAMME_ADVISER])
    for url in ("/qualification/export/", "/qualification/export/file/"):
        response = c.get(url, _query(chain, **overrides))
        assert response.status_code == 400
        assert response.context["form"].errors[field]
    assert not AuditEntry.objects.filter(id__gt=since, object_type="qualification.nir_export").exists()


@pytest.mark.parametrize(
    "role", [Role.TEACHER, Role.LEADERSHIP, Role.MUNICIPAL_SETTLEMENT_OFFICER, Role.VOLUNTEER]
)
def test_users_who_are_not_programme_advisers_get_403(client, users, chain, role):
    c = _client(client, users[role])
    assert c.get("/qualification/export/").status_code == 403
    assert c.get("/qualification/export/file/", _query(chain)).status_code == 403
    upload = SimpleUploadedFile("x.json", json.dumps(VALID).encode(), content_type="application/json")
    assert c.post("/qualification/export/check/", {"file": upload}).status_code == 403


def test_an_adviser_in_another_municipality_gets_403_for_harstad(complete_case, client, chain):
    tromso = make_user("tromso-adviser", chain.tromso, Role.PROGRAMME_ADVISER)
    c = _client(client, tromso)
    assert c.get("/qualification/export/").status_code == 200
    assert c.get("/qualification/export/", _query(chain)).status_code == 403
    assert c.get("/qualification/export/file/", _query(chain)).status_code == 403


def test_an_uploaded_export_gets_its_report_and_nothing_is_stored(complete_case, client, users, chain):
    c = _client(client, users[Role.PROGRAMME_ADVISER])
    document = json.loads(c.get("/qualification/export/file/", _query(chain)).content)
    _only(document, complete_case)["end"] = {"date": _period()[1].isoformat(), "reason": ""}
    participants, decisions = Participant.objects.count(), Decision.objects.count()
    upload = SimpleUploadedFile(
        "bro-nir.json", json.dumps(document).encode(), content_type="application/json"
    )

    response = c.post("/qualification/export/check/", {"file": upload})

    assert response.status_code == 200
    body = response.content.decode()
    assert complete_case.person.full_name in body
    assert "end.reason" in body
    assert response.context["report"]["errors"] == 1
    assert (Participant.objects.count(), Decision.objects.count()) == (participants, decisions)
    complete_case.refresh_from_db()
    assert complete_case.ended_on is None


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xff\xfe not text", "not JSON"),
        (b"{ not json", "not JSON"),
        (b'{"format": "something-else", "version": 1, "participants": []}', "bro-nir"),
        (b"[1, 2, 3]", "JSON object"),
    ],
)
def test_a_bad_file_gets_a_clear_message(client, users, content, expected):
    upload = SimpleUploadedFile("x.json", content, content_type="application/json")
    with translation.override("en"):
        response = _client(client, users[Role.PROGRAMME_ADVISER]).post(
            "/qualification/export/check/", {"file": upload}, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 400
        assert expected in " ".join(str(e) for e in response.context["check_form"].errors["file"])


def test_a_file_over_20_mb_is_refused_before_it_is_read(client, users):
    big = SimpleUploadedFile("x.json", b" " * (nir.MAX_UPLOAD_BYTES + 1), content_type="application/json")
    response = _client(client, users[Role.PROGRAMME_ADVISER]).post(
        "/qualification/export/check/", {"file": big}
    )
    assert response.status_code == 400
    assert response.context["check_form"].errors["file"]


def test_the_identity_number_never_reaches_the_audit_log(complete_case, client, users, chain):
    c = _client(client, users[Role.PROGRAMME_ADVISER])
    c.get("/qualification/export/", _query(chain))
    file = c.get("/qualification/export/file/", _query(chain)).content
    c.post("/qualification/export/check/", {"file": SimpleUploadedFile("f.json", file)})
    number = complete_case.person.national_identity_number
    assert number.encode() in file
    logged = AuditEntry.objects.filter(username="programme")
    assert logged.filter(object_type="qualification.nir_export").count() == 2
    dump = json.dumps(list(AuditEntry.objects.values()), default=str)
    assert number not in dump


# --- registration deadlines: a decision counts as registered once a file covering it was handed out ------------


def test_a_decision_is_due_for_registration_until_an_export_covering_it_is_downloaded(
    client, users, chain, settle
):
    """Decisions must be registered in NIR (DOMAIN §5 [public rule]) within the deadline of
    rules.nir_registration_deadline; downloading the export file that covers the decision meets it."""
    from bro.qualification import decisions, selectors
    from bro.qualification.models import NirExport

    adviser = users[Role.PROGRAMME_ADVISER]
    actor = q.Actor(adviser)
    case = q.open_case(actor, settle(120))
    q.save_mapping(actor, case, q.MappingInput(completed_on=days_ago(110)))
    decided = days_ago(40)
    decisions.create_decision(
        actor,
        case,
        kind="programme",
        decided_on=decided,
        effective_from=days_ago(35),
        outcome_text="Introduksjonsprogram.",
        reasons="Rett og plikt.",
    )

    def registration():
        [row] = [
            r for r in selectors.case_deadlines(case, timezone.localdate()) if r.code == "nir_registration"
        ]
        return row

    row = registration()
    assert row.due == rules.nir_registration_deadline(decided).due
    assert row.state == rules.LATE and row.done_on is None
    assert "introduksjonsprogram" in row.label.lower()

    client.force_login(adviser)
    month = f"{decided.year}-{decided.month:02d}"
    response = client.get("/qualification/export/file/", {"municipality": chain.harstad.pk, "month": month})
    assert response.status_code == 200
    export = NirExport.objects.get()
    assert export.period_start <= decided <= export.period_end
    row = registration()
    assert row.done_on == timezone.localdate()
    assert row.state == rules.DONE_LATE  # handed over, after the 14 days


def test_looking_at_the_report_is_not_a_handover(client, users, chain):
    from bro.qualification.models import NirExport

    client.force_login(users[Role.PROGRAMME_ADVISER])
    assert client.get("/qualification/export/", {"municipality": chain.harstad.pk}).status_code in (200, 400)
    assert not NirExport.objects.exists()
