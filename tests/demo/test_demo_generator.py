"""The demo generator: a valid, complete, deterministic national picture with Harstad in focus."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Count, Q
from django.utils import timezone
from stdnum.no import fodselsnummer

from bro.core import policy
from bro.core.models import AuditEntry, Membership, Municipality, Organisation, User
from bro.core.roles import ROLE_ORGANISATION_KINDS, CentreType, OperatorKind, OrganisationKind, Role
from bro.demo import generator
from bro.demo.__main__ import main
from bro.people import rules, services
from bro.people.models import Household, Person, PhaseEvent, Responsibility, SharedAccess
from bro.people.phases import FinishOutcome, ImmigrantCategory, Phase
from tests.demo.conftest import PERSONS, SEED, TODAY


def _timeline(person: Person) -> list[PhaseEvent]:
    return list(person.phase_events.select_related("organisation").order_by("date", "recorded_at"))


def test_builds_the_national_picture(demo):
    assert demo.persons == Person.objects.count() == PERSONS
    municipalities = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
    assert municipalities.count() == Municipality.objects.valid_on(TODAY).count() == 357
    assert municipalities.filter(is_settlement_municipality=True).count() > 300
    assert (
        Organisation.objects.filter(kind=OrganisationKind.DIRECTORATE, name__startswith="IMDi").count() == 1
    )
    centres = Organisation.objects.filter(kind=OrganisationKind.RECEPTION_CENTRE)
    assert 25 <= centres.count() <= 35
    assert set(centres.values_list("centre_type", flat=True)) == set(CentreType.values)
    assert set(centres.values_list("operator_kind", flat=True)) == set(OperatorKind.values)
    assert centres.filter(operator_kind=OperatorKind.MUNICIPAL).count() < centres.count() / 4  # 000:L84
    # Every centre's municipality is a host municipality.
    for centre in centres:
        assert municipalities.get(municipality=centre.municipality).is_host_municipality
    harstad = municipalities.get(municipality__number="5503")
    assert harstad.name == "Harstad kommune" and harstad.is_settlement_municipality
    for kind in (
        OrganisationKind.ADULT_EDUCATION,
        OrganisationKind.NAV_OFFICE,
        OrganisationKind.HEALTH_SERVICE,
        OrganisationKind.VOLUNTEER_CENTRE,
        OrganisationKind.VOLUNTEER_ORGANISATION,
    ):
        assert Organisation.objects.filter(kind=kind, municipality=harstad.municipality).exists()
    assert not Organisation.objects.filter(requires_two_factor=True).exists()


def test_persons_are_spread_over_every_phase_and_category(demo):
    phases = Counter(Person.objects.values_list("current_phase", flat=True))
    assert set(phases) == set(Phase.values)
    outcomes = set(PhaseEvent.objects.filter(phase=Phase.FINISHED).values_list("outcome", flat=True))
    assert outcomes == set(FinishOutcome.values)
    categories = set(Person.objects.values_list("immigrant_category", flat=True))
    assert categories >= set(ImmigrantCategory.values) - {ImmigrantCategory.LABOUR_IMMIGRANT}
    nationalities = Counter(str(c) for p in Person.objects.all() for c in p.nationalities)
    assert {"UA", "SY", "AF", "ER"} <= set(nationalities)
    assert nationalities.most_common(1)[0][0] == "UA"  # 001:L17
    # Most persons are in households of more than one; every household has exactly one principal.
    sizes = Counter(Household.objects.annotate(n=Count("members")).values_list("n", flat=True))
    assert sizes[0] == 0 and max(sizes) >= 4
    assert not Household.objects.annotate(n=Count("members")).filter(n=0).exists()


def test_unaccompanied_minors_are_households_of_one_under_18(demo):
    minors = Household.objects.filter(is_unaccompanied_minor=True).prefetch_related("members__person")
    assert minors.exists()
    share = minors.count() / PERSONS
    assert 0.01 <= share <= 0.06  # between 9 % and 18 % of asylum seekers (003:L627–628, L660)
    for household in minors:
        members = list(household.members.all())
        assert len(members) == 1
        assert rules.age_on(members[0].person.birth_date, TODAY) < rules.ADULT_AGE


def test_every_timeline_is_a_valid_walk_through_the_rules(demo):
    persons = Person.objects.prefetch_related("phase_events__organisation").select_related(
        "responsible_organisation"
    )
    for person in persons:
        events = sorted(person.phase_events.all(), key=lambda e: (e.date, e.recorded_at))
        assert events, person
        current, last_date, lived_in_reception, organisation = None, None, False, None
        for event in events:
            error = rules.transition_error(
                current_phase=current,
                target_phase=event.phase,
                on=event.date,
                today=TODAY,
                last_event_date=last_date,
                birth_date=person.birth_date,
                category=person.immigrant_category,
                lived_in_reception=lived_in_reception,
                outcome=event.outcome,
            )
            assert error is None, (person.pk, event.phase, error)
            assert person.birth_date <= event.date <= TODAY
            # The services' convention for the event's organisation.
            if event.phase in (Phase.ARRIVAL, Phase.RECEPTION):
                assert event.organisation.kind == OrganisationKind.RECEPTION_CENTRE
            elif event.phase == Phase.SETTLED:
                assert event.organisation.kind == OrganisationKind.MUNICIPALITY
                assert event.organisation.is_settlement_municipality
            elif current is not None:
                assert event.organisation == organisation, (person.pk, event.phase)
            current, last_date, organisation = event.phase, event.date, event.organisation
            lived_in_reception = lived_in_reception or event.phase == Phase.RECEPTION
        assert person.current_phase == current
        assert person.current_phase_since == last_date
        assert person.responsible_organisation == organisation


def test_entry_paths_match_the_category(demo):
    for person in Person.objects.prefetch_related("phase_events__organisation"):
        first = min(person.phase_events.all(), key=lambda e: (e.date, e.recorded_at))
        if person.immigrant_category == ImmigrantCategory.RESETTLEMENT_REFUGEE:
            assert (
                first.phase == Phase.PERMIT_GRANTED
                and first.organisation.kind == OrganisationKind.DIRECTORATE
            )
        elif person.immigrant_category == ImmigrantCategory.FAMILY_REUNIFIED:
            assert (
                first.phase == Phase.PERMIT_GRANTED
                and first.organisation.kind == OrganisationKind.MUNICIPALITY
            )
        else:
            assert first.phase == Phase.ARRIVAL and first.organisation.centre_type == CentreType.ARRIVAL


def _rows(person: Person) -> set:
    return set(person.responsibilities.values_list("organisation_id", "reason", "since", "until"))


def test_responsibility_rows_are_what_the_services_would_have_written(demo):
    persons = list(Person.objects.order_by("pk"))
    sample = persons[:: max(1, len(persons) // 60)]
    # Make sure the sample covers every phase.
    for phase in Phase.values:
        sample.append(next(p for p in persons if p.current_phase == phase))
    for person in sample:
        generated = _rows(person)
        assert generated, person.pk
        person.responsibilities.all().delete()
        for event in _timeline(person):
            services._move_responsibility(person, event.phase, event.organisation, event.date)
        assert _rows(person) == generated, person.pk
        # The open rows follow the current phase.
        open_orgs = set(
            person.responsibilities.filter(until__isnull=True).values_list("organisation_id", flat=True)
        )
        assert person.responsible_organisation_id in open_orgs


def test_identity_numbers_are_valid_unique_and_absent_where_expected(demo):
    persons = list(Person.objects.prefetch_related("phase_events"))
    numbers = [p.national_identity_number for p in persons if p.national_identity_number]
    assert len(numbers) == len(set(numbers))
    for person in persons:
        if person.national_identity_number:
            assert rules.identity_number_error(person.national_identity_number, person.birth_date) is None
            assert fodselsnummer.get_gender(person.national_identity_number) == (
                "M" if person.sex == "male" else "F"
            )
        first_year = min(e.date for e in person.phase_events.all()).year
        assert person.duf_number and rules.duf_number_error(person.duf_number, TODAY) is None
        assert int(person.duf_number[:4]) == first_year
    assert len({p.duf_number for p in persons}) == len(persons)

    settled = [p for p in persons if p.current_phase in (Phase.SETTLED, Phase.IN_PROGRAMME, Phase.FINISHED)]
    with_fnr = [
        p
        for p in settled
        if p.national_identity_number
        and rules.identity_number_kind(p.national_identity_number) == "fodselsnummer"
    ]
    assert len(with_fnr) >= 0.85 * len(settled)
    waiting = [p for p in persons if p.current_phase in (Phase.ARRIVAL, Phase.RECEPTION)]
    assert waiting
    for person in waiting:
        number = person.national_identity_number
        assert number is None or rules.identity_number_kind(number) == "d_number"
    assert any(p.national_identity_number is None for p in waiting)
    assert any(p.national_identity_number for p in waiting)


def test_recent_arrivals_mostly_need_an_interpreter(demo):
    recent = Person.objects.filter(
        current_phase__in=[Phase.ARRIVAL, Phase.RECEPTION],
        birth_date__lte=datetime.date(TODAY.year - 18, 1, 1),
    )
    preferred = [p.languages.get(is_preferred=True) for p in recent]
    assert preferred and sum(lang.needs_interpreter for lang in preferred) > 0.6 * len(preferred)


def test_every_role_has_a_demo_user_who_can_log_in_without_two_factor(demo, client):
    for role in Role.values:
        membership = Membership.objects.select_related("user", "organisation").get(
            role=role, user__username__in=[u.username for u in generator.DEMO_USERS]
        )
        assert membership.organisation.kind in ROLE_ORGANISATION_KINDS[role]
        user = membership.user
        assert not policy.requires_two_factor(user)
        response = client.post("/login/", {"username": user.username, "password": generator.DEMO_PASSWORD})
        assert response.status_code == 302, user.username
        assert client.get("/").status_code == 200, user.username
        client.logout()
    assert policy.is_system_administrator(User.objects.get(username="admin"))


def test_harstad_settles_about_sixty_a_year_and_its_staff_see_their_persons(demo):
    harstad = Organisation.objects.get(kind=OrganisationKind.MUNICIPALITY, municipality__number="5503")
    per_year = round(PERSONS * 0.02)  # 60 a year (004:L426), scaled to a small demo
    by_year = demo.harstad_settled_by_year  # the last 4 years, latest first
    assert all(n > 0 for n in by_year), by_year
    assert 4 * per_year <= sum(by_year) <= 8 * per_year, by_year  # family reunification comes on top
    current = Responsibility.objects.filter(organisation=harstad, until__isnull=True)
    assert current.exists()
    mine = Person.objects.filter(responsible_organisation=harstad)
    assert mine.filter(current_phase=Phase.IN_PROGRAMME).exists()
    assert mine.filter(current_phase=Phase.FINISHED).exists()

    teacher = User.objects.get(username="teacher")
    visible = set(policy.visible_persons(teacher).values_list("pk", flat=True))
    in_programme = set(mine.filter(current_phase=Phase.IN_PROGRAMME).values_list("pk", flat=True))
    assert visible == in_programme
    grant = SharedAccess.objects.filter(person_id__in=in_programme).first()
    assert grant.legal_basis.startswith("Integreringsloven § 40") and grant.purpose

    officer = User.objects.get(username="harstad")
    # Harstad works with the persons it is responsible for now and those shared with it (proposals
    # and self-settlement requests awaiting its answer).
    today = timezone.localdate()
    shared = SharedAccess.objects.filter(organisation=harstad, revoked_at__isnull=True).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )
    expected = set(current.values_list("person", flat=True)) | set(shared.values_list("person", flat=True))
    assert set(policy.visible_persons(officer, current_only=True).values_list("pk", flat=True)) == expected
    reception = User.objects.get(username="reception")
    assert policy.visible_persons(reception, current_only=True).exists()
    assert policy.visible_persons(User.objects.get(username="volunteer")).count() == 0


def test_demo_data_writes_no_audit_entries(demo):
    assert not AuditEntry.objects.exists()


def _snapshot():
    return (
        list(
            Person.objects.order_by("pk").values_list(
                "pk",
                "given_name",
                "family_name",
                "birth_date",
                "national_identity_number",
                "duf_number",
                "current_phase",
            )
        ),
        list(
            PhaseEvent.objects.order_by("pk").values_list(
                "pk", "person_id", "phase", "date", "organisation_id", "recorded_at"
            )
        ),
        sorted(
            Responsibility.objects.values_list("person_id", "organisation_id", "reason", "since", "until")
        ),
        list(Organisation.objects.order_by("pk").values_list("pk", "name", "created_at")),
        list(User.objects.order_by("pk").values_list("pk", "username")),
    )


def test_the_same_seed_and_day_give_the_same_data(db):
    generator.build(seed=SEED, persons=120, today=TODAY)
    first = _snapshot()
    generator.reset()
    assert not Person.objects.exists() and not Organisation.objects.exists()
    generator.build(seed=SEED, persons=120, today=TODAY)
    assert _snapshot() == first
    generator.reset()
    generator.build(seed=SEED + 1, persons=120, today=TODAY)
    assert _snapshot()[0] != first[0]


def test_reset_removes_demo_data_and_what_points_into_it(demo):
    generator.reset()
    assert not Person.objects.exists()
    assert not Household.objects.exists()
    assert not Organisation.objects.exists()
    assert not User.objects.exists()
    assert Municipality.objects.count() == 471


def test_building_twice_without_reset_is_refused(demo):
    try:
        generator.build(seed=SEED, persons=10, today=TODAY)
    except generator.DemoDataError as exc:
        assert "--reset" in str(exc)
    else:
        raise AssertionError("a second build should be refused")


def test_command_line(demo, capsys):
    assert main(["--print-logins"]) == 0
    table = capsys.readouterr().out
    for spec in generator.DEMO_USERS:
        assert spec.username in table
    assert generator.DEMO_PASSWORD in table and "Harstad kommune" in table
    assert main(["--if-empty", "--persons", "50"]) == 0
    out = capsys.readouterr().out
    assert "leaving the database" in out
    assert "bro-demo-2026" in out  # `make run` relies on the logins being printed either way
    assert Person.objects.count() == PERSONS
    assert main(["--reset", "--persons", "40", "--seed", str(SEED)]) == 0
    out = capsys.readouterr().out
    assert "Built 40 persons" in out and "bro-demo-2026" in out
    assert Person.objects.count() == 40
    # With the persons gone, --if-empty builds again over the leftover demo organisations and users.
    Person.objects.all().delete()
    assert main(["--if-empty", "--persons", "30"]) == 0
    assert Person.objects.count() == 30 and User.objects.count() == len(generator.DEMO_USERS)
