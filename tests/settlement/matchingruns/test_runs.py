"""Matching runs in the product (issue 4, "In the product"): a background job over the households ready
for settlement and the municipalities' remaining capacities; proposals with explanations; approval into
the proposal step of the settlement flow, visible to the municipalities concerned."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bro.core.models import AuditEntry, Job, JobStatus, Notification
from bro.core.roles import Role
from bro.people.services import Actor
from bro.settlement.matchingruns import services
from bro.settlement.matchingruns.models import MatchingProposal, MatchingProposalStatus, MatchingRun
from bro.settlement.models import SettlementProposal


@pytest.fixture(autouse=True)
def eager(settings):
    settings.BRO_JOBS_RUNNER = "eager"


@pytest.fixture
def imdi(users):
    return Actor(users[Role.NATIONAL_SETTLEMENT_OFFICER])


def run_now(imdi, year, time_limit=10) -> MatchingRun:
    run = services.start_run(imdi, year=year, time_limit=time_limit)
    run.refresh_from_db()
    return run


def test_a_run_places_every_ready_household_within_the_decided_capacities(
    chain, imdi, decisions, ready, outcome_model
):
    run = run_now(imdi, decisions)
    assert run.job.status == JobStatus.DONE, run.job.error
    assert (run.households, run.persons, run.assigned) == (3, 3, 3)
    assert run.model_version == outcome_model.version
    assert run.gap_pct is not None and run.gap_pct <= 0.1
    assert run.objective <= run.lp_bound + 1e-9
    # The input is kept as solved: both municipalities with a decision, their remaining capacities.
    capacities = {m["id"]: m["capacity_persons"] for m in run.instance["municipalities"]}
    assert capacities == {"5503": 10, "5501": 3}
    proposals = list(run.proposals.select_related("municipality"))
    assert {p.person_id for p in proposals} == {p.pk for p in ready}
    for p in proposals:
        assert p.status == MatchingProposalStatus.OPEN
        assert 0 < p.predicted < 1  # one adult: a probability
        assert p.municipality in (chain.harstad, chain.tromso)
        # the next best: the other municipality, with its own prediction
        assert [a["municipality"] for a in p.alternatives] == [
            "5501" if p.municipality == chain.harstad else "5503"
        ]


def test_a_run_leaves_out_households_over_capacity_and_says_which_constraint_binds(
    chain, imdi, decisions, arrive, outcome_model
):
    from bro.people.phases import Phase

    persons = [arrive(Phase.READY_FOR_SETTLEMENT, given_name=f"P{i}") for i in range(15)]
    run = run_now(imdi, decisions)
    assert run.assigned == 13  # 10 + 3 places
    unassigned = run.result["unassigned"]
    assert len(unassigned) == 2
    assert {u["constraint"] for u in unassigned} == {"capacity_persons"}
    binding = run.result["binding_constraints"]
    assert binding and binding[0]["constraint"] == "capacity_persons"
    placed = set(run.proposals.values_list("person_id", flat=True))
    left = {u["household"] for u in unassigned}
    assert len(placed) + len(left) == len(persons)  # nobody dropped silently


def test_starting_a_run_needs_a_trained_outcome_model_and_a_national_officer(chain, users, imdi, decisions):
    with pytest.raises(ValidationError, match="Ingen utfallsmodell er trent"):
        services.start_run(imdi, year=decisions)
    assert not MatchingRun.objects.exists() and not Job.objects.exists()
    with pytest.raises(PermissionDenied):
        services.start_run(Actor(users[Role.MUNICIPAL_SETTLEMENT_OFFICER]), year=decisions)


def test_a_run_refuses_other_years_and_unoffered_time_limits(imdi, decisions, outcome_model):
    with pytest.raises(ValidationError):
        services.start_run(imdi, year=decisions - 1)
    with pytest.raises(ValidationError):
        services.start_run(imdi, year=decisions, time_limit=7)
    assert not MatchingRun.objects.exists()


def test_bulk_approval_creates_settlement_proposals_the_municipalities_see(
    client, chain, users, imdi, decisions, ready, outcome_model
):
    run = run_now(imdi, decisions)
    approved, failed = services.approve(imdi, run, run.proposals.values_list("pk", flat=True))
    assert len(approved) == 3 and failed == []
    for p in MatchingProposal.objects.filter(run=run):
        assert p.status == MatchingProposalStatus.APPROVED
        sp = p.settlement_proposal
        assert (
            sp.status == "pending" and sp.municipality_id == p.municipality_id and sp.person_id == p.person_id
        )
    # The municipality sees its pending proposals and was notified once.
    harstad_count = SettlementProposal.objects.filter(municipality=chain.harstad).count()
    officer = users[Role.MUNICIPAL_SETTLEMENT_OFFICER]
    notes = Notification.objects.filter(user=officer, kind="matchingruns.proposed")
    assert notes.count() == (1 if harstad_count else 0)
    if harstad_count:
        assert notes.get().params["households"] == harstad_count
        client.force_login(officer)
        page = client.get(reverse("settlement:municipality")).content.decode()
        for sp in SettlementProposal.objects.filter(municipality=chain.harstad).select_related("person"):
            assert sp.person.given_name in page
    # Approving again changes nothing: they are no longer open.
    again, _ = services.approve(imdi, run, run.proposals.values_list("pk", flat=True))
    assert again == [] and SettlementProposal.objects.count() == 3


def test_a_household_proposed_by_hand_meanwhile_is_reported_not_proposed_twice(
    chain, imdi, decisions, ready, outcome_model
):
    from bro.settlement import services as settlement_services

    run = run_now(imdi, decisions)
    settlement_services.propose(imdi, ready[0], municipality=chain.tromso)
    approved, failed = services.approve(imdi, run, run.proposals.values_list("pk", flat=True))
    assert len(approved) == 2 and len(failed) == 1
    problem = MatchingProposal.objects.get(run=run, person=ready[0])
    assert problem.status == MatchingProposalStatus.NOT_POSSIBLE and problem.problem
    assert SettlementProposal.objects.filter(person=ready[0]).count() == 1


def test_run_pages_start_show_and_approve(client, chain, users, decisions, ready, outcome_model):
    client.force_login(users[Role.NATIONAL_SETTLEMENT_OFFICER])
    response = client.post(reverse("matchingruns:runs"), {"time_limit": "10"})
    run = MatchingRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("core:job", args=[run.job_id])
    # The job is done (eager runner): the job page moves on to the result.
    assert client.get(response.url).url == reverse("matchingruns:run", args=[run.pk])
    page = client.get(reverse("matchingruns:run", args=[run.pk])).content.decode()
    for person in ready:
        assert person.given_name in person.full_name and person.full_name in page
    assert "Tromsø" in page and "Harstad" in page
    assert AuditEntry.objects.filter(object_id=str(run.pk), action="list").count() >= 3
    # Approving with nothing ticked is refused with a message and changes nothing.
    refused = client.post(reverse("matchingruns:run", args=[run.pk]), {"action": "selected"})
    assert refused.status_code == 200 and not SettlementProposal.objects.exists()
    one = run.proposals.first()
    client.post(
        reverse("matchingruns:run", args=[run.pk]), {"action": "selected", "proposals": [str(one.pk)]}
    )
    assert SettlementProposal.objects.count() == 1
    client.post(reverse("matchingruns:run", args=[run.pk]), {"action": "all"})
    assert SettlementProposal.objects.count() == 3


@pytest.mark.parametrize(
    "role",
    [r for r in Role.values if r != Role.NATIONAL_SETTLEMENT_OFFICER],
)
def test_only_national_settlement_officers_may_use_matching_runs(
    client, chain, users, imdi, decisions, ready, outcome_model, role
):
    run = run_now(imdi, decisions)
    client.force_login(users[role])
    assert client.get(reverse("matchingruns:runs")).status_code == 403
    assert client.post(reverse("matchingruns:runs"), {"time_limit": "10"}).status_code == 403
    assert client.get(reverse("matchingruns:run", args=[run.pk])).status_code == 403
    assert client.post(reverse("matchingruns:run", args=[run.pk]), {"action": "all"}).status_code == 403
    assert MatchingRun.objects.count() == 1 and not SettlementProposal.objects.exists()


def test_matching_pages_refuse_other_methods(client, users, imdi, decisions, ready, outcome_model):
    run = run_now(imdi, decisions)
    client.force_login(users[Role.NATIONAL_SETTLEMENT_OFFICER])
    for path in (reverse("matchingruns:runs"), reverse("matchingruns:run", args=[run.pk])):
        for method in ("PUT", "PATCH", "DELETE"):
            assert client.generic(method, path).status_code == 405
    assert MatchingRun.objects.count() == 1


def test_a_run_input_downloads_in_the_documented_format_and_solves_again(
    client, users, imdi, decisions, ready, outcome_model
):
    from bro.settlement.matching.io import instance_from_dict
    from bro.settlement.matching.solve import solve

    run = run_now(imdi, decisions)
    client.force_login(users[Role.NATIONAL_SETTLEMENT_OFFICER])
    response = client.get(reverse("matchingruns:run_file", args=[run.pk, "instance"]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    instance = instance_from_dict(response.json())
    assert len(instance.households) == run.households
    again = solve(instance, time_limit=10)
    assert abs(again.objective - run.objective) <= 1e-6 * max(1.0, run.objective)
    assert (
        client.get(reverse("matchingruns:run_file", args=[run.pk, "result"])).json()["objective"]
        == run.objective
    )
    assert client.get(reverse("matchingruns:run_file", args=[run.pk, "other"])).status_code == 404
    reads = AuditEntry.objects.filter(object_id=str(run.pk), summary="matching run instance file")
    assert {e.person_id for e in reads} == {p.pk for p in ready}
    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    assert client.get(reverse("matchingruns:run_file", args=[run.pk, "instance"])).status_code == 403
