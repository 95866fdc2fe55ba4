"""Teaching groups, weekly attendance for a whole group, single weeks and tests (issue 5; DOMAIN §5).

The hour rules are ours where the sources are silent (bro/qualification/attendance/__init__.py): full time
is 37.5 hours a week (004:L378–380), a measure's week at most its planned hours plus a working day.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bro.core.models import AuditAction, AuditEntry
from bro.core.roles import OrganisationKind, Role
from bro.people.phases import Phase
from bro.qualification import attendance as att
from bro.qualification import models as qm
from bro.qualification import services as q
from bro.qualification.models import AttendanceWeek, Participant
from tests.browser.conftest import (  # noqa: F401 - fixtures for the accessibility test
    _restore_reference_data,
    browser,
    log_in,
    new_context,
    reference_data,
)
from tests.conftest import days_ago, make_org, make_user

D = Decimal


def fresh(participant) -> Participant:
    return Participant.objects.get(pk=participant.pk)


def plan_measures(start, end) -> list[q.MeasureInput]:
    """Norwegian 15 h + social studies 5 h + work placement 15 h a week (004:L1370–1423)."""
    return [
        q.MeasureInput(kind="norwegian", hours_per_week=D("15"), start=start, end=end),
        q.MeasureInput(kind="social_studies", hours_per_week=D("5"), start=start, end=end),
        q.MeasureInput(kind="work_placement", hours_per_week=D("15"), start=start, end=end, days_per_week=2),
    ]


def build_case(arrive, adviser, adult_education, *, name="Amina", birth_date=None, start_ago=190):
    """A refugee settled in Harstad 200 days ago: case opened, mapped, planned and started through the
    services."""
    extra = {"birth_date": birth_date} if birth_date else {}
    person = arrive(Phase.SETTLED, given_name=name, immigrant_category="refugee", **extra)
    case = q.open_case(adviser, person, adult_education=adult_education)
    q.save_mapping(adviser, fresh(case), q.MappingInput(completed_on=days_ago(start_ago + 6)))
    q.save_plan(
        adviser, fresh(case), plan_measures(days_ago(start_ago), days_ago(-500)), valid_from=days_ago(192)
    )
    q.start_programme(adviser, fresh(case), on=days_ago(start_ago))
    return fresh(case)


@pytest.fixture
def adviser(users) -> att.Actor:
    return att.Actor(users[Role.PROGRAMME_ADVISER])


@pytest.fixture
def teacher(users) -> att.Actor:
    return att.Actor(users[Role.TEACHER])


@pytest.fixture
def case(arrive, adviser, chain) -> Participant:
    return build_case(arrive, adviser, chain.adult_education)


@pytest.fixture
def other_teacher(chain) -> att.Actor:
    tromso_school = make_org(OrganisationKind.ADULT_EDUCATION, "Tromsø voksenopplæring", "5501")
    return att.Actor(make_user("teacher-tromso", tromso_school, Role.TEACHER))


@pytest.fixture
def group(teacher, chain, case):
    group = att.create_group(
        teacher, organisation=chain.adult_education, name="Norsk A1 morgen", measure_kind="norwegian"
    )
    att.add_member(teacher, group, case)
    return group


def last_week():
    return att.last_week(timezone.localdate())


def row(participant, attended="15", valid="0", unexcused="0") -> att.RowInput:
    return att.RowInput(participant, D(attended), D(valid), D(unexcused))


def codes(exc: ValidationError) -> dict[str, list[str]]:
    return {name: [e.code for e in errors] for name, errors in exc.error_dict.items()}


# --- the hour and week rules -----------------------------------------------------------------------------


def test_a_measure_week_may_exceed_the_plan_by_one_working_day_but_not_more():
    """Our reading: planned hours + 7.5 (a day of the 37.5-hour week, 004:L378–380)."""
    hours = {"hours_attended": D("15"), "valid_absence_hours": D("4"), "unexcused_absence_hours": D("3.5")}
    assert att.hours_errors(hours, planned=D("15")) == {}
    hours["unexcused_absence_hours"] = D("3.6")
    assert att.hours_errors(hours, planned=D("15"))["hours"][0] == "hours_over_plan"


def test_a_week_never_holds_more_than_full_time_in_one_measure_or_in_all_together():
    """Full time is 37.5 hours a week (004:L378–380), in one measure and summed over the measures."""
    full = {"hours_attended": D("30"), "valid_absence_hours": D("7.5"), "unexcused_absence_hours": D("0.1")}
    assert att.hours_errors(full, planned=D("37.5"))["hours"][0] == "hours_over_full_time"
    fifteen = {"hours_attended": D("15"), "valid_absence_hours": D(0), "unexcused_absence_hours": D(0)}
    assert att.hours_errors(fifteen, planned=D("15"), other_measures=D("22.5")) == {}
    found = att.hours_errors(fifteen, planned=D("15"), other_measures=D("23"))
    assert found["hours"] == ("week_over_full_time", {"total": D("38")})


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("hours_attended", "-1", "hours_negative"),
        ("valid_absence_hours", "38", "hours_over_full_time"),
        ("unexcused_absence_hours", "1.25", "hours_precision"),
    ],
)
def test_each_hour_field_is_checked_on_its_own(field, value, code):
    hours = {"hours_attended": D(0), "valid_absence_hours": D(0), "unexcused_absence_hours": D(0)}
    hours[field] = D(value)
    assert att.hours_errors(hours, planned=D("15"))[field][0] == code


def test_week_53_exists_only_in_long_iso_years_and_a_week_must_have_started():
    today = datetime.date(2026, 11, 22)  # a Sunday in week 47
    assert att.week_error(2020, 53, today) is None
    assert att.week_error(2025, 53, today) == ("iso_week", "week_does_not_exist")
    assert att.week_error(2026, 47, today) is None  # this week may be entered
    assert att.week_error(2026, 48, today) == ("iso_week", "week_in_future")
    assert att.week_error(1999, 10, today) == ("iso_year", "year_out_of_range")
    assert att.last_week(today) == (2026, 46)
    assert att.last_week(datetime.date(2027, 1, 6)) == (2026, 53)


# --- groups ----------------------------------------------------------------------------------------------


def test_a_teacher_creates_a_group_for_their_centre_and_it_is_audit_logged(teacher, chain):
    group = att.create_group(
        teacher, organisation=chain.adult_education, name=" Norsk B1 ", measure_kind="norwegian"
    )
    assert group.name == "Norsk B1" and group.organisation == chain.adult_education
    entry = AuditEntry.objects.get(object_id=str(group.pk))
    assert entry.action == AuditAction.CREATE and entry.changes["name"] == [None, "Norsk B1"]


def test_an_adviser_keeps_groups_for_their_municipality_but_not_for_another(adviser, chain):
    assert att.create_group(
        adviser, organisation=chain.harstad, name="Arbeidspraksis", measure_kind="work_placement"
    )
    with pytest.raises(PermissionDenied):
        att.create_group(
            adviser, organisation=chain.tromso, name="Arbeidspraksis", measure_kind="work_placement"
        )


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.LEADERSHIP, Role.MUNICIPAL_SETTLEMENT_OFFICER])
def test_those_who_teach_or_advise_nobody_cannot_create_groups(users, chain, role):
    with pytest.raises(PermissionDenied):
        att.create_group(
            att.Actor(users[role]), organisation=chain.adult_education, name="X", measure_kind="norwegian"
        )


def test_a_group_needs_a_unique_name_and_a_known_measure(teacher, chain, group):
    with pytest.raises(ValidationError) as exc:
        att.create_group(
            teacher, organisation=chain.adult_education, name="norsk a1 MORGEN", measure_kind="x"
        )
    assert codes(exc.value) == {"name": ["group_name_taken"], "measure_kind": ["unknown_measure_kind"]}


def test_members_are_cases_the_user_records_for_and_the_groups_organisation_follows(
    teacher, other_teacher, adviser, chain, group, case, arrive
):
    assert list(group.members.all()) == [case]
    with pytest.raises(ValidationError) as exc:
        att.add_member(teacher, group, case)
    assert codes(exc.value) == {"participant": ["already_member"]}
    other_group = att.create_group(
        other_teacher,
        organisation=other_teacher.user.memberships.get().organisation,
        name="T",
        measure_kind="norwegian",
    )
    with pytest.raises(PermissionDenied):
        att.add_member(other_teacher, other_group, case)
    municipal = att.create_group(
        adviser, organisation=chain.harstad, name="Praksis", measure_kind="work_placement"
    )
    att.add_member(adviser, municipal, case)
    assert AuditEntry.objects.filter(object_id=str(municipal.pk), person_id=case.person_id).exists()
    att.remove_member(adviser, municipal, case)
    assert not municipal.members.exists()


def test_the_candidates_are_open_cases_of_the_centre_not_yet_in_the_group(
    teacher, group, case, arrive, adviser, chain
):
    second = build_case(arrive, adviser, chain.adult_education, name="Omar")
    assert att.member_candidates(teacher.user, group) == [second]
    assert AuditEntry.objects.filter(action=AuditAction.LIST, summary__startswith="candidates").exists()


# --- a group's week --------------------------------------------------------------------------------------


def test_a_groups_week_saves_every_row_with_person_measure_and_kind(teacher, group, case):
    year, week = last_week()
    saved = att.record_group_week(
        teacher, group, iso_year=year, iso_week=week, rows=[row(case, "12", "1.5", "1.5")]
    )
    stored = AttendanceWeek.objects.get()
    assert saved == [stored]
    norwegian = case.plan_versions.get().measures.get(kind="norwegian")
    assert (stored.person_id, stored.measure_key, stored.measure_kind) == (
        case.person_id,
        norwegian.key,
        "norwegian",
    )
    assert (stored.hours_attended, stored.valid_absence_hours, stored.unexcused_absence_hours) == (
        12,
        D("1.5"),
        D("1.5"),
    )
    assert stored.recorded_for == group.organisation
    assert AuditEntry.objects.filter(
        object_id=str(stored.pk), action=AuditAction.CREATE, person_id=case.person_id
    ).exists()


def test_one_invalid_row_saves_nothing_and_names_the_row(teacher, group, case, arrive, adviser, chain):
    second = build_case(arrive, adviser, chain.adult_education, name="Omar")
    att.add_member(teacher, group, second)
    year, week = last_week()
    with pytest.raises(ValidationError) as exc:
        att.record_group_week(
            teacher, group, iso_year=year, iso_week=week, rows=[row(case), row(second, "30", "0", "0")]
        )
    assert codes(exc.value) == {"rows-1-hours": ["hours_over_plan"]}
    assert not AttendanceWeek.objects.exists()


def test_entering_a_week_again_updates_the_row_and_logs_old_and_new(teacher, group, case):
    year, week = last_week()
    att.record_group_week(teacher, group, iso_year=year, iso_week=week, rows=[row(case, "15")])
    att.record_group_week(teacher, group, iso_year=year, iso_week=week, rows=[row(case, "7.5", "0", "7.5")])
    stored = AttendanceWeek.objects.get()
    assert (stored.hours_attended, stored.unexcused_absence_hours) == (D("7.5"), D("7.5"))
    update = AuditEntry.objects.get(object_id=str(stored.pk), action=AuditAction.UPDATE)
    assert update.changes == {"hours_attended": ["15.0", "7.5"], "unexcused_absence_hours": ["0.0", "7.5"]}
    att.record_group_week(teacher, group, iso_year=year, iso_week=week, rows=[row(case, "7.5", "0", "7.5")])
    assert AuditEntry.objects.filter(object_id=str(stored.pk)).count() == 2  # unchanged: nothing to log


def test_weeks_outside_the_programme_or_in_the_future_are_refused(teacher, adviser, group, case):
    start = case.programme_start
    before = (start - datetime.timedelta(days=7)).isocalendar()
    with pytest.raises(ValidationError) as exc:
        att.record_group_week(teacher, group, iso_year=before[0], iso_week=before[1], rows=[row(case)])
    assert codes(exc.value) == {"rows-0-hours": ["week_before_start"]}
    future = (timezone.localdate() + datetime.timedelta(days=7)).isocalendar()
    with pytest.raises(ValidationError) as exc:
        att.record_group_week(teacher, group, iso_year=future[0], iso_week=future[1], rows=[row(case)])
    assert codes(exc.value) == {"iso_week": ["week_in_future"]}
    q.end_programme(adviser, fresh(case), on=days_ago(30), reason="work")
    after = days_ago(20).isocalendar()
    with pytest.raises(ValidationError) as exc:
        att.record_group_week(teacher, group, iso_year=after[0], iso_week=after[1], rows=[row(case)])
    assert codes(exc.value) == {"rows-0-hours": ["week_after_end"]}
    assert not AttendanceWeek.objects.exists()


def test_a_member_without_a_measure_of_the_groups_kind_is_shown_and_skipped_with_the_reason(
    teacher, chain, case
):
    group = att.create_group(
        teacher, organisation=chain.adult_education, name="Språkpraksis", measure_kind="language_practice"
    )
    att.add_member(teacher, group, case)
    year, week = last_week()
    page = att.group_week(teacher.user, group, iso_year=year, iso_week=week)
    assert [(r.participant, r.skip) for r in page.rows] == [(case, "no_measure")]
    assert page.editable == [] and page.rows[0].skip_reason == str(att.ERRORS["no_measure"])
    with pytest.raises(ValidationError) as exc:
        att.record_group_week(teacher, group, iso_year=year, iso_week=week, rows=[row(case)])
    assert codes(exc.value) == {"rows-0-hours": ["no_measure"]}


def test_the_groups_week_shows_what_is_recorded_and_the_read_is_logged(teacher, group, case):
    year, week = last_week()
    att.record_group_week(teacher, group, iso_year=year, iso_week=week, rows=[row(case, "14")])
    page = att.group_week(teacher.user, group, iso_year=year, iso_week=week)
    assert page.rows[0].recorded.hours_attended == 14 and page.rows[0].measure.hours_per_week == 15
    assert AuditEntry.objects.filter(
        action=AuditAction.LIST, object_type="qualification.attendanceweek", user=teacher.user
    ).exists()


def test_a_teacher_elsewhere_cannot_use_the_group(other_teacher, group, case):
    year, week = last_week()
    with pytest.raises(PermissionDenied):
        att.record_group_week(other_teacher, group, iso_year=year, iso_week=week, rows=[row(case)])
    with pytest.raises(Exception) as exc:
        att.get_group(other_teacher.user, group.pk)
    assert exc.typename == "Http404"


# --- one week, one measure; tests ------------------------------------------------------------------------


def test_a_single_week_counts_the_other_measures_towards_full_time(adviser, case):
    year, week = last_week()
    keys = {m.kind: m.key for m in case.plan_versions.get().measures.all()}
    att.record_week(
        adviser,
        case,
        measure_key=keys["work_placement"],
        iso_year=year,
        iso_week=week,
        hours_attended=D("22.5"),
    )
    att.record_week(
        adviser, case, measure_key=keys["social_studies"], iso_year=year, iso_week=week, hours_attended=D("5")
    )
    with pytest.raises(ValidationError) as exc:
        att.record_week(
            adviser,
            case,
            measure_key=keys["norwegian"],
            iso_year=year,
            iso_week=week,
            hours_attended=D("10.5"),
        )
    assert codes(exc.value) == {"hours": ["week_over_full_time"]}
    stored = att.record_week(
        adviser, case, measure_key=keys["norwegian"], iso_year=year, iso_week=week, hours_attended=D("10")
    )
    assert stored.recorded_for == case.municipality and AttendanceWeek.objects.count() == 3


def test_a_single_week_needs_a_measure_of_the_current_plan(adviser, case):
    year, week = last_week()
    with pytest.raises(ValidationError) as exc:
        att.record_week(adviser, case, measure_key="not-a-key", iso_year=year, iso_week=week)
    assert codes(exc.value) == {"measure": ["unknown_measure"]}


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.LEADERSHIP, Role.MUNICIPAL_SETTLEMENT_OFFICER])
def test_only_teachers_and_advisers_of_the_case_record_weeks_and_tests(users, case, role):
    actor = att.Actor(users[role])
    year, week = last_week()
    key = case.plan_versions.get().measures.first().key
    with pytest.raises(PermissionDenied):
        att.record_week(actor, case, measure_key=key, iso_year=year, iso_week=week)
    with pytest.raises(PermissionDenied):
        att.record_test(actor, case, kind="norwegian_oral", taken_on=days_ago(1), level="A2", passed=True)


def test_a_teacher_records_a_test_on_the_person_for_their_centre(teacher, other_teacher, case, chain):
    result = att.record_test(
        teacher, case, kind="norwegian_oral", taken_on=days_ago(3), level="A2", passed=True
    )
    assert (result.person_id, result.participant, result.organisation) == (
        case.person_id,
        case,
        chain.adult_education,
    )
    assert AuditEntry.objects.filter(object_id=str(result.pk), action=AuditAction.CREATE).exists()
    with pytest.raises(ValidationError) as exc:
        att.record_test(teacher, case, kind="chess", taken_on=days_ago(-1), level="Z9", passed=False)
    assert codes(exc.value) == {
        "kind": ["unknown_test"],
        "level": ["unknown_level"],
        "taken_on": ["date_in_future"],
    }
    with pytest.raises(PermissionDenied):
        att.record_test(
            other_teacher, case, kind="social_studies", taken_on=days_ago(3), level="", passed=True
        )
    assert qm.TestResult.objects.count() == 1


# --- pages -----------------------------------------------------------------------------------------------


def week_url(group) -> str:
    return f"/qualification/groups/{group.pk}/attendance/"


def test_a_class_of_20_is_entered_on_one_page_with_one_post(client, teacher, adviser, chain, arrive):
    """Acceptance 6: attendance for a class of 20 on one page."""
    group = att.create_group(
        teacher, organisation=chain.adult_education, name="Norsk 2B", measure_kind="norwegian"
    )
    cases = [
        build_case(
            arrive,
            adviser,
            chain.adult_education,
            name=f"Elev{i:02d}",
            birth_date=datetime.date(1990, 1, i + 1),
        )
        for i in range(20)
    ]
    for c in cases:
        att.add_member(teacher, group, c)
    client.force_login(teacher.user)
    year, week = last_week()
    page = client.get(week_url(group), HTTP_ACCEPT_LANGUAGE="en")  # last week by default
    body = page.content.decode()
    assert page.status_code == 200 and "20 members" in body
    assert body.count('name="') >= 60 and f'name="{cases[0].pk}-hours_attended"' in body
    data = {"iso_year": year, "iso_week": week}
    for i, c in enumerate(cases):
        data[f"{c.pk}-hours_attended"] = "13,5" if i == 0 else "15"  # bokmål decimal comma
        data[f"{c.pk}-valid_absence_hours"] = "1,5" if i == 0 else ""
        data[f"{c.pk}-unexcused_absence_hours"] = ""
    response = client.post(week_url(group), data, HTTP_ACCEPT_LANGUAGE="nb")
    assert response.status_code == 302, response.content.decode()[:2000]
    weeks = AttendanceWeek.objects.filter(iso_year=year, iso_week=week)
    assert weeks.count() == 20
    assert {w.person_id for w in weeks} == {c.person_id for c in cases}
    first = weeks.get(participant=cases[0])
    assert (first.hours_attended, first.valid_absence_hours, first.measure_kind) == (
        D("13.5"),
        D("1.5"),
        "norwegian",
    )
    again = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "er lagret for 20 deltakere i Norsk 2B" in again and 'value="13.5"' in again


def test_one_wrong_row_on_the_page_saves_nothing_and_shows_the_error_on_that_row(
    client, teacher, group, case, arrive, adviser, chain
):
    second = build_case(arrive, adviser, chain.adult_education, name="Omar")
    att.add_member(teacher, group, second)
    client.force_login(teacher.user)
    year, week = last_week()
    data = {
        "iso_year": year,
        "iso_week": week,
        f"{case.pk}-hours_attended": "15",
        f"{second.pk}-hours_attended": "30",
    }
    response = client.post(week_url(group), data, HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 400 and not AttendanceWeek.objects.exists()
    assert "Omar Haddad: Attended and absent hours add up to 30" in body  # the summary names the row
    assert 'data-testid="error-summary"' in body
    data[f"{second.pk}-hours_attended"] = "-2"
    body = client.post(week_url(group), data, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Hours cannot be negative." in body and f'id="id_{second.pk}-hours_attended_error"' in body
    no_week = client.post(week_url(group), {f"{case.pk}-hours_attended": "15"}, HTTP_ACCEPT_LANGUAGE="en")
    assert no_week.status_code == 400 and "That year has no such week number." in no_week.content.decode()
    assert not AttendanceWeek.objects.exists()


def test_a_week_that_has_not_started_shows_why_and_offers_no_inputs(client, teacher, group):
    client.force_login(teacher.user)
    future = (timezone.localdate() + datetime.timedelta(days=14)).isocalendar()
    body = client.get(
        week_url(group), {"iso_year": future[0], "iso_week": future[1]}, HTTP_ACCEPT_LANGUAGE="en"
    )
    text = body.content.decode()
    assert "The week has not started yet." in text and "hours_attended" not in text


def test_the_group_pages_add_and_remove_members(client, teacher, chain, case):
    client.force_login(teacher.user)
    response = client.post(
        "/qualification/groups/",
        {"organisation": str(chain.adult_education.pk), "name": "Kveld", "measure_kind": "norwegian"},
    )
    group = qm.TeachingGroup.objects.get(name="Kveld")
    assert response.status_code == 302 and response["Location"].endswith(f"/groups/{group.pk}/")
    assert client.post(f"/qualification/groups/{group.pk}/", {"participant": str(case.pk)}).status_code == 302
    listing = client.get("/qualification/groups/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Kveld" in listing and f"/qualification/groups/{group.pk}/attendance/" in listing
    detail = client.get(f"/qualification/groups/{group.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "15.0 hours a week" in detail and case.person.full_name in detail
    assert client.post(f"/qualification/groups/{group.pk}/members/{case.pk}/remove/").status_code == 302
    assert not group.members.exists()


def test_a_teacher_records_a_week_and_a_test_on_the_participants_page(client, teacher, case):
    client.force_login(teacher.user)
    url = f"/qualification/participants/{case.pk}/attendance/"
    year, week = last_week()
    key = case.plan_versions.get().measures.get(kind="social_studies").key
    data = {
        "form": "week",
        "measure": str(key),
        "iso_year": year,
        "iso_week": week,
        "hours_attended": "4",
        "unexcused_absence_hours": "1",
    }
    assert client.post(url, data).status_code == 302
    test = {
        "form": "test",
        "kind": "social_studies",
        "taken_on": days_ago(2).isoformat(),
        "level": "",
        "passed": "on",
    }
    assert client.post(url, test).status_code == 302
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Social-studies test" in body and "Passed" in body and f"Week {week}, {year}" in body
    assert AuditEntry.objects.filter(
        action=AuditAction.READ, person_id=case.person_id, summary="attendance"
    ).exists()
    bad = client.post(url, {**data, "hours_attended": "20"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and "more than the planned 5 hours" in bad.content.decode()


@pytest.mark.parametrize(
    ("who", "group_list", "group_page", "participant_page"),
    [
        ("teacher", 200, 200, 200),
        ("adviser", 200, 404, 200),  # the centre's group is the centre's; the adviser reads the case
        ("other_teacher", 200, 404, 404),
        (Role.VOLUNTEER, 403, 404, 404),
        (Role.LEADERSHIP, 403, 404, 404),
    ],
)
def test_who_may_open_the_attendance_pages(
    client, users, teacher, adviser, other_teacher, group, case, who, group_list, group_page, participant_page
):
    user = {"teacher": teacher.user, "adviser": adviser.user, "other_teacher": other_teacher.user}.get(
        who
    ) or users[who]
    client.force_login(user)
    assert client.get("/qualification/groups/").status_code == group_list
    assert client.get(week_url(group)).status_code == group_page
    assert client.get(f"/qualification/groups/{group.pk}/").status_code == group_page
    assert client.get(f"/qualification/participants/{case.pk}/attendance/").status_code == participant_page
    year, week = last_week()
    posted = client.post(
        week_url(group), {"iso_year": year, "iso_week": week, f"{case.pk}-hours_attended": "15"}
    )
    assert posted.status_code == (302 if who == "teacher" else group_page)
    assert AttendanceWeek.objects.count() == (1 if who == "teacher" else 0)


def test_the_menu_offers_attendance_to_teachers_and_advisers_only(client, users):
    for role, shown in [
        (Role.TEACHER, True),
        (Role.PROGRAMME_ADVISER, True),
        (Role.VOLUNTEER, False),
        (Role.LEADERSHIP, False),
    ]:
        client.force_login(users[role])
        assert ('href="/qualification/groups/"' in client.get("/").content.decode()) is shown, role


# --- accessibility ---------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.usefixtures("reference_data", "live_server")
def test_the_attendance_pages_pass_axe_also_with_errors(request, chain, users, arrive, report_line):
    """Acceptance 6: axe-core (WCAG 2.1 A/AA) and reflow at 320 px on every attendance page, including a
    group's week with errors on two rows, a week with no inputs, the benefit in English."""
    from tests.browser.test_accessibility import AxeTally, Crawler

    adviser, teacher = att.Actor(users[Role.PROGRAMME_ADVISER]), att.Actor(users[Role.TEACHER])
    cases = [build_case(arrive, adviser, chain.adult_education, name=n) for n in ("Amina", "Omar", "Sara")]
    group = att.create_group(
        teacher, organisation=chain.adult_education, name="Norsk A1", measure_kind="norwegian"
    )
    practice = att.create_group(
        teacher, organisation=chain.adult_education, name="Praksis", measure_kind="language_practice"
    )
    for c in cases:
        att.add_member(teacher, group, c)
    att.add_member(teacher, practice, cases[0])
    year, week = last_week()
    key = cases[0].plan_versions.get().measures.get(kind="norwegian").key
    att.record_week(
        teacher,
        cases[0],
        measure_key=key,
        iso_year=year,
        iso_week=week,
        hours_attended=D("7.5"),
        unexcused_absence_hours=D("7.5"),
    )
    att.record_test(
        teacher, cases[0], kind="norwegian_oral", taken_on=cases[0].programme_start, level="A2", passed=True
    )

    tally = AxeTally()
    page = request.getfixturevalue("new_context")().new_page()
    crawler = Crawler(page, "teacher", tally)
    log_in(page, teacher.user.username)
    crawler.visit("/qualification/groups/", "groups")
    crawler.submit_invalid("new group, invalid", clear=("#id_name",))
    crawler.visit(f"/qualification/groups/{group.pk}/", "group")
    crawler.visit(f"/qualification/groups/{practice.pk}/", "group whose member has no such measure")
    crawler.visit(week_url(group), "group's week")
    crawler.submit_invalid(
        "group's week, invalid",
        fill={f"#id_{cases[1].pk}-hours_attended": "30", f"#id_{cases[2].pk}-hours_attended": "-1"},
    )
    crawler.visit(week_url(practice), "group's week, nobody to enter")
    crawler.visit(f"{week_url(group)}?iso_year=2099&iso_week=1", "group's week out of range")
    crawler.visit(f"/qualification/participants/{cases[0].pk}/attendance/", "participant's attendance")
    crawler.submit_invalid("participant's week, invalid", fill={"#id_hours_attended": "40"})
    crawler.visit(f"/qualification/participants/{cases[0].pk}/benefit/", "benefit")
    crawler.switch_language("en")
    crawler.check("benefit (English)")
    report_line(f"attendance axe: {len(tally.pages)} pages checked, {len(tally.violations)} violations")
    assert not crawler.report(), "\n" + crawler.report()
