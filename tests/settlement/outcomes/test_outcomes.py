"""Matching inputs and the outcome model in the product (issue 4, "The outcome model"): training and
switching versions, the inputs' defaults, the matching-profile page's access, and the demo extension."""

from __future__ import annotations

import datetime
import time
from decimal import Decimal

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from bro.core.models import AuditEntry, Municipality
from bro.core.roles import Role
from bro.people.phases import Phase
from bro.settlement.matching import features, outcome
from bro.settlement.models import SettlementInterview
from bro.settlement.outcomes import demo, inputs, selectors, services
from bro.settlement.outcomes.models import (
    MatchingProfile,
    MunicipalityProfile,
    OutcomeModelVersion,
    ProgrammeOutcome,
)
from tests.conftest import days_ago

R = Role
TODAY = datetime.date(2025, 6, 1)


def _history(n=600, seed=1):
    rng = np.random.default_rng(seed)
    municipalities = list(Municipality.objects.valid_on(datetime.date.today()).order_by("number")[:20])
    persons, munis, outcomes, _truth, where = outcome.synthetic_history(
        rng, n, [inputs.DEFAULT_MUNICIPALITY] * len(municipalities)
    )
    offset = len(features.PERSON_NUMERIC)
    ProgrammeOutcome.objects.bulk_create(
        ProgrammeOutcome(
            age=int(p[0]), female=bool(p[1]), education=int(p[2]), norwegian=int(p[3]), work_years=int(p[4]),
            health_limitation=bool(p[5]),
            nationality_group=features.NATIONALITY_GROUPS[int(np.argmax(p[offset:]))],
            municipality=municipalities[where[i]], year_finished=2023,
            in_work_or_education_one_year_after=bool(outcomes[i]), synthetic=True,
            process=features.SYNTHETIC_PROCESS,
        )
        for i, p in enumerate(persons)
    )  # fmt: skip


# --- training and versions ------------------------------------------------------------------------------


def test_training_stores_an_active_version_with_metrics_and_an_audit_entry(db, users):
    _history()
    imdi = services.Actor(users[R.NATIONAL_SETTLEMENT_OFFICER])
    version = services.train_outcome_model(imdi)
    assert version.is_active and version.rows == 600 and version.synthetic_share == 1.0
    assert version.version.startswith("outcome-")
    assert {"auc", "brier", "ece", "calibration", "true"} <= set(version.metrics)
    assert 0.5 < version.metrics["auc"] < 1
    assert AuditEntry.objects.filter(object_id=str(version.pk), action="create").exists()
    model = selectors.active_model()
    assert model.version == version.version


def test_retraining_switches_the_active_version_and_an_old_one_can_be_reactivated(db, users):
    _history()
    imdi = services.Actor(users[R.NATIONAL_SETTLEMENT_OFFICER])
    first = services.train_outcome_model(imdi)
    _history(200, seed=2)
    second = services.train_outcome_model(imdi)
    assert list(OutcomeModelVersion.objects.filter(is_active=True)) == [second]
    assert second.rows == 800
    services.activate_version(imdi, first)
    assert list(OutcomeModelVersion.objects.filter(is_active=True)) == [first]
    assert selectors.active_version() == first


def test_only_the_directorate_may_train(db, users):
    _history()
    for role in (R.RECEPTION_STAFF, R.MUNICIPAL_SETTLEMENT_OFFICER, R.LEADERSHIP):
        with pytest.raises(PermissionDenied):
            services.train_outcome_model(services.Actor(users[role]))
    assert services.train_outcome_model(services.Actor(users[R.ADMINISTRATOR])).is_active


def test_training_on_an_empty_history_is_refused_clearly(db, users):
    with pytest.raises(ValidationError, match="empty"):
        services.train_outcome_model(services.Actor(users[R.NATIONAL_SETTLEMENT_OFFICER]))
    assert not OutcomeModelVersion.objects.exists()


def test_retrain_job_runs_through_the_job_interface(db, users, settings, chain):
    from bro.core import jobs

    settings.BRO_JOBS_RUNNER = "eager"
    _history()
    job = jobs.submit(
        "outcomes.retrain",
        "bro.settlement.outcomes.services.retrain_job",
        user=users[R.NATIONAL_SETTLEMENT_OFFICER],
        organisation=chain.directorate,
        params={},
    )
    assert job.status == "done", job.error
    assert job.result["version"] == selectors.active_version().version
    assert job.result["url"] == "/settlement/outcomes/models/"


# --- inputs ---------------------------------------------------------------------------------------------


def test_person_features_use_documented_defaults_without_a_profile(arrive):
    person = arrive(Phase.READY_FOR_SETTLEMENT, birth_date=datetime.date(1990, 5, 17), sex="female")
    f = inputs.person_features(person, None, on=datetime.date(2025, 5, 16))
    assert f == features.PersonFeatures(
        age=34, female=True, education=2, norwegian=0, work_years=6, health_limitation=False,
        nationality_group="syria",
    )  # fmt: skip
    young = arrive(Phase.RECEPTION, birth_date=datetime.date(2005, 1, 1), sex="male", nationalities=["NO"])
    g = inputs.person_features(young, None, on=datetime.date(2025, 1, 1))
    assert (g.age, g.female, g.work_years, g.nationality_group) == (20, False, 2, "other")


def test_person_features_and_household_inputs_come_from_the_profiles(arrive):
    tromso = Municipality.objects.valid_on(datetime.date.today()).get(number="5501")
    a = arrive(Phase.READY_FOR_SETTLEMENT)
    b = arrive(Phase.READY_FOR_SETTLEMENT, given_name="Omar")
    pa = MatchingProfile.objects.create(
        person=a, education=3, norwegian=2, work_years=10, needs=["wheelchair"]
    )
    MatchingProfile.objects.create(person=b, needs=["health", "bogus"], tie_municipality=tromso)
    f = inputs.person_features(a, pa, on=TODAY)
    assert (f.education, f.norwegian, f.work_years) == (3, 2, 10)
    assert inputs.household_inputs([a, b]) == (frozenset({"wheelchair", "health"}), "5501")
    assert inputs.household_inputs([a]) == (frozenset({"wheelchair"}), None)


def test_municipality_inputs_fall_back_to_earlier_profiles_then_defaults(db):
    harstad = Municipality.objects.valid_on(datetime.date(2024, 1, 1)).get(number="5503")
    MunicipalityProfile.objects.create(
        municipality=harstad, year=2023, centrality=3, unemployment_pct=Decimal("2.1"),
        programme_result_pct=Decimal("71.0"), services=["health"],
    )  # fmt: skip
    result = inputs.municipality_inputs(2024)
    assert len(result) == Municipality.objects.valid_on(datetime.date(2024, 1, 1)).count()
    assert result["5503"] == (features.MunicipalityFeatures(3, 2.1, 71.0), frozenset({"health"}))
    assert result["5501"] == (inputs.DEFAULT_MUNICIPALITY, frozenset())
    # A profile for a later year is not used for an earlier one.
    assert inputs.municipality_inputs(2024)["5503"][0] == features.MunicipalityFeatures(3, 2.1, 71.0)
    MunicipalityProfile.objects.create(
        municipality=Municipality.objects.valid_on(datetime.date(2024, 1, 1)).get(number="5501"), year=2025,
        centrality=1, unemployment_pct=Decimal("3.0"), programme_result_pct=Decimal("60.0"),
    )  # fmt: skip
    assert inputs.municipality_inputs(2024)["5501"] == (inputs.DEFAULT_MUNICIPALITY, frozenset())
    assert inputs.municipality_inputs(2025)["5501"][0].centrality == 1


# --- the matching profile --------------------------------------------------------------------------------


def test_health_limitation_needs_the_consent_recorded_in_the_interview(arrive, users, chain):
    person = arrive(Phase.READY_FOR_SETTLEMENT)
    staff = services.Actor(users[R.RECEPTION_STAFF])
    data = services.MatchingProfileInput(education=2, health_limitation=True, needs=["health"])
    with pytest.raises(ValidationError) as exc:
        services.save_matching_profile(staff, person, data)
    assert "health_limitation" in exc.value.message_dict
    SettlementInterview.objects.create(
        person=person, conducted_by=chain.centre_harstad, conducted_on=days_ago(10),
        health_consent_date=days_ago(10),
    )  # fmt: skip
    profile = services.save_matching_profile(staff, person, data)
    assert profile.health_limitation
    entry = AuditEntry.objects.get(object_id=str(profile.pk))
    assert entry.person_id == person.pk and entry.changes["health_limitation"] == ["…", "…"]


def test_unknown_tie_municipality_and_need_are_refused(arrive, users):
    person = arrive(Phase.READY_FOR_SETTLEMENT)
    staff = services.Actor(users[R.RECEPTION_STAFF])
    with pytest.raises(ValidationError) as exc:
        services.save_matching_profile(
            staff, person, services.MatchingProfileInput(needs=["pool"], tie_municipality_number="9999")
        )
    assert {"needs", "tie_municipality"} <= set(exc.value.message_dict)
    assert not MatchingProfile.objects.exists()


def _status(client, method, path, data=None):
    response = client.post(path, data or {}) if method == "POST" else client.get(path)
    return response.status_code


def test_profile_page_access_matrix(arrive, users, chain, report_line):
    """Read: whoever may read the person (else 404). Write: reception staff of the responsible centre and
    national settlement officers while the directorate is responsible; other readers get 403."""
    ready = arrive(Phase.READY_FOR_SETTLEMENT)
    settled = arrive(Phase.SETTLED, given_name="Sara")
    other_centre = arrive(Phase.READY_FOR_SETTLEMENT, centre=chain.centre_tromso, given_name="Ali")
    MatchingProfile.objects.create(person=settled, education=1)
    post = {"education": "2", "norwegian": "1", "work_years": "3", "needs": ["upper_secondary"]}
    expected = {
        # role: (ready GET, ready POST, settled GET, settled POST, other centre GET)
        R.ADMINISTRATOR: (404, 404, 404, 404, 404),
        R.NATIONAL_SETTLEMENT_OFFICER: (200, 302, 200, 403, 200),
        # Harstad hosts the Harstad centre: its staff read the person there, but do not write the profile.
        R.MUNICIPAL_SETTLEMENT_OFFICER: (200, 403, 200, 403, 404),
        R.PROGRAMME_ADVISER: (200, 403, 200, 403, 404),
        R.TEACHER: (404, 404, 404, 404, 404),
        R.HEALTH_NURSE: (404, 404, 404, 404, 404),
        R.RECEPTION_STAFF: (200, 302, 200, 403, 404),
        R.VOLUNTEER_COORDINATOR: (404, 404, 404, 404, 404),
        R.VOLUNTEER: (404, 404, 404, 404, 404),
        R.LEADERSHIP: (404, 404, 404, 404, 404),
    }
    got, cases = {}, 0
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        url = f"/settlement/outcomes/persons/{ready.pk}/"
        got[role] = (
            _status(client, "GET", url),
            _status(client, "POST", url, post),
            _status(client, "GET", f"/settlement/outcomes/persons/{settled.pk}/"),
            _status(client, "POST", f"/settlement/outcomes/persons/{settled.pk}/", post),
            _status(client, "GET", f"/settlement/outcomes/persons/{other_centre.pk}/"),
        )
        cases += 5
    assert got == expected
    assert MatchingProfile.objects.get(person=settled).education == 1  # refused writes changed nothing
    assert MatchingProfile.objects.get(person=ready).needs == ["upper_secondary"]
    anonymous = Client().get(f"/settlement/outcomes/persons/{ready.pk}/")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    report_line(f"outcomes access matrix: {cases + 1} cases")


def test_profile_page_is_linked_from_the_person_page(arrive, users, client):
    person = arrive(Phase.READY_FOR_SETTLEMENT)
    client.force_login(users[R.RECEPTION_STAFF])
    page = client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert f"/settlement/outcomes/persons/{person.pk}/" in page


def test_directorate_pages_are_for_the_directorate_only(db, users, client):
    _history()
    services.train_outcome_model(services.Actor(users[R.NATIONAL_SETTLEMENT_OFFICER]))
    pages = ["/settlement/outcomes/models/", "/settlement/outcomes/municipalities/",
             "/settlement/outcomes/municipalities/5503/2025/"]  # fmt: skip
    for role, user in users.items():
        c = Client()
        c.force_login(user)
        wanted = 200 if role in (R.NATIONAL_SETTLEMENT_OFFICER, R.ADMINISTRATOR) else 403
        for page in pages:
            assert c.get(page).status_code == wanted, (role, page)
        if wanted == 403:
            assert c.post("/settlement/outcomes/models/retrain/").status_code == 403
    client.force_login(users[R.NATIONAL_SETTLEMENT_OFFICER])
    page = client.get("/settlement/outcomes/models/").content.decode()
    assert "<svg" in page and "<table" in page and 'action="/settlement/outcomes/models/retrain/"' in page


def test_municipality_profile_form_saves_and_refuses_bad_input(db, users, client):
    client.force_login(users[R.NATIONAL_SETTLEMENT_OFFICER])
    url = "/settlement/outcomes/municipalities/5503/2025/"
    bad = client.post(url, {"centrality": "9", "unemployment_pct": "x", "programme_result_pct": "50"})
    assert bad.status_code == 400 and not MunicipalityProfile.objects.exists()
    ok = client.post(url, {"centrality": "4", "unemployment_pct": "2.5", "programme_result_pct": "64",
                           "services": ["health", "wheelchair"]})  # fmt: skip
    assert ok.status_code == 302
    profile = MunicipalityProfile.objects.get()
    assert (profile.centrality, profile.services, profile.synthetic) == (4, ["health", "wheelchair"], False)


def test_retrain_button_starts_a_job_and_goes_to_its_page(db, users, client, settings):
    settings.BRO_JOBS_RUNNER = "eager"
    _history()
    client.force_login(users[R.NATIONAL_SETTLEMENT_OFFICER])
    response = client.post("/settlement/outcomes/models/retrain/")
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    assert OutcomeModelVersion.objects.filter(is_active=True).count() == 1


# --- the demo extension ------------------------------------------------------------------------------------


def test_demo_extension_builds_profiles_history_and_a_model_then_resets(db):
    lines = []
    started = time.perf_counter()
    demo.build(seed=7, today=TODAY, log=lines.append)
    elapsed = time.perf_counter() - started
    municipalities = Municipality.objects.valid_on(TODAY).count()
    assert MunicipalityProfile.objects.filter(synthetic=True).count() == municipalities * 4
    assert ProgrammeOutcome.objects.filter(synthetic=True, process=features.SYNTHETIC_PROCESS).count() == 6000
    version = OutcomeModelVersion.objects.get(is_active=True)
    assert version.synthetic_share == 1.0
    assert version.metrics["true"]["auc"] - version.metrics["auc"] < 0.02
    assert version.metrics["ece"] < 0.03
    assert elapsed < 10, elapsed
    demo.reset(log=lines.append)
    assert not (
        MunicipalityProfile.objects.exists()
        or ProgrammeOutcome.objects.exists()
        or OutcomeModelVersion.objects.exists()
    )
    assert "deleted" in lines[-1]
