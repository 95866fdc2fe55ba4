"""From the database to the pure matching problem: who is ready, where there is room, what each would gain.

- Households: every household (or person without one) whose members are all ready for settlement, with
  no open proposal and no refused offer (a refused offer needs a reason to override, given by hand:
  004:L1264–1270). Needs and family or network ties come from the matching profiles
  (``bro.settlement.outcomes.inputs``); an approved agreed self-settlement fixes the municipality.
- Municipalities: settlement municipalities with a current council decision for the year. Remaining
  capacity = decided persons − ordinary persons settled this year − persons in proposals awaiting an
  answer or settlement (family reunifications come on top of the decision: 004:L1307–1313). Places for
  unaccompanied minors likewise, counted from the households flagged as unaccompanied minors.
- Scores: the active outcome model's prediction, summed over the household's adults (for an unaccompanied
  minor, the minor), per municipality (issue 4).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from bro.core.models import Organisation
from bro.people.models import Household
from bro.settlement import rules as settlement_rules
from bro.settlement.housing.models import RequestStatus, SelfSettlementRequest
from bro.settlement.matching import features, outcome
from bro.settlement.matching.problem import Household as MatchHousehold
from bro.settlement.matching.problem import Instance
from bro.settlement.matching.problem import Municipality as MatchMunicipality
from bro.settlement.models import CouncilDecision, ProposalStatus, SettlementProposal
from bro.settlement.outcomes import inputs
from bro.settlement.outcomes.models import OutcomeModelVersion
from bro.settlement.selectors import first_settlements

#: Objective points per day waited. A year's wait (365 days) weighs as much as 0.37 expected persons in
#: work or education: enough to put long waits first when places are short (issue 4: "a priority for long
#: waits when capacity is short"), far too little to move a household away from where it would do best
#: when there is room for everyone (then every household is placed and the wait terms are a constant).
WAIT_WEIGHT = 0.001


class NoOutcomeModel(Exception):
    """No outcome model has been trained yet: a run cannot be scored."""


@dataclass
class BuiltRun:
    instance: Instance
    units: dict[str, object] = field(default_factory=dict)  # household id -> selectors.Unit
    organisations: dict[str, Organisation] = field(default_factory=dict)  # municipality number -> org
    left_out: list[dict] = field(default_factory=list)  # ready households not in the run, with why
    model_version: str = ""


def active_model() -> tuple[OutcomeModelVersion, outcome.OutcomeModel]:
    version = OutcomeModelVersion.objects.filter(is_active=True).first()
    if version is None:
        raise NoOutcomeModel
    return version, outcome.deserialise(bytes(version.model))


def _remaining_capacities(year: int) -> dict[Organisation, tuple[int, int]]:
    decisions = (
        CouncilDecision.objects.filter(
            year=year, is_current=True, municipality__is_settlement_municipality=True
        )
        .select_related("municipality__municipality")
        .exclude(municipality__municipality__isnull=True)
    )
    settled: dict = defaultdict(int)
    for row in first_settlements(year):
        if not settlement_rules.is_family_reunification(row["person__immigrant_category"]):
            settled[row["organisation_id"]] += 1
    open_persons: dict = defaultdict(int)
    minors_used: dict = defaultdict(int)
    minor_households = set(Household.objects.filter(is_unaccompanied_minor=True).values_list("pk", flat=True))
    proposals = SettlementProposal.objects.filter(
        status__in=[ProposalStatus.PENDING, ProposalStatus.ACCEPTED, ProposalStatus.SETTLED]
    ).values_list("municipality_id", "status", "ordinary_persons", "persons", "household_id", "settled_on")
    for org_id, status, ordinary, persons, household_id, settled_on in proposals:
        if status == ProposalStatus.SETTLED:
            if settled_on and settled_on.year == year and household_id in minor_households:
                minors_used[org_id] += persons
            continue
        open_persons[org_id] += ordinary
        if household_id in minor_households:
            minors_used[org_id] += persons
    result = {}
    for decision in decisions:
        org = decision.municipality
        persons = max(0, decision.persons - settled[org.pk] - open_persons[org.pk])
        minors = max(0, decision.unaccompanied_minors - minors_used[org.pk])
        result[org] = (persons, min(minors, persons))
    return result


def _fixed_municipalities(household_ids) -> dict:
    """household id -> municipality number of its approved agreed self-settlement."""
    return {
        r.household_id: r.municipality.municipality.number
        for r in SelfSettlementRequest.objects.filter(
            household_id__in=household_ids, status=RequestStatus.APPROVED
        ).select_related("municipality__municipality")
        if r.municipality.municipality_id
    }


def _scored_members(unit, today: datetime.date) -> list:
    """Whose outcome the household's score sums: its adults, or the minor when it is one."""
    adults = [m for m in unit.members if inputs.age_on(m.birth_date, today) >= 18]
    return adults or ([unit.principal] if unit.is_unaccompanied_minor else [])


def build_run(units, year: int, *, today: datetime.date) -> BuiltRun:
    """The matching instance for ``units`` (from ``selectors.ready_units``) and the year's capacities."""
    version, model = active_model()
    capacities = _remaining_capacities(year)
    municipality_data = inputs.municipality_inputs(year)
    organisations = {org.municipality.number: org for org in capacities}
    numbers = sorted(organisations)
    municipalities = []
    for number in numbers:
        persons, minors = capacities[organisations[number]]
        _features, services = municipality_data.get(number, (inputs.DEFAULT_MUNICIPALITY, frozenset()))
        municipalities.append(
            MatchMunicipality(id=number, capacity_persons=persons, capacity_minors=minors, services=services)
        )

    left_out, chosen = [], []
    for unit in units:
        if unit.open_proposal is not None:
            continue  # already proposed: not part of a new run
        if not unit.all_ready:
            left_out.append({"unit": str(unit.id), "reason": "not_all_ready"})
        elif unit.refused:
            left_out.append({"unit": str(unit.id), "reason": "refused_offer"})
        else:
            chosen.append(unit)
    fixed = _fixed_municipalities([u.id for u in chosen])

    households, person_rows, household_of_person, by_id = [], [], [], {}
    profiles = inputs.profiles_for([m for u in chosen for m in u.members])
    for index, unit in enumerate(chosen):
        members = [unit.principal] + [m for m in unit.members if m.pk != unit.principal.pk]
        needs, tie = inputs.household_inputs(members)
        adults = sum(1 for m in members if inputs.age_on(m.birth_date, today) >= 18)
        household_id = str(unit.id)
        households.append(
            MatchHousehold(
                id=household_id,
                size=len(members),
                adults=adults,
                children=len(members) - adults,
                unaccompanied_minor=unit.is_unaccompanied_minor,
                needs=needs,
                tie_municipality=tie,
                fixed_municipality=fixed.get(unit.id),
                days_waited=unit.waiting.days if unit.waiting else 0,
            )
        )
        by_id[household_id] = unit
        for member in _scored_members(unit, today):
            person_rows.append(inputs.person_features(member, profiles.get(member.pk), on=today))
            household_of_person.append(index)

    municipality_rows = features.municipality_matrix(
        [municipality_data.get(n, (inputs.DEFAULT_MUNICIPALITY, None))[0] for n in numbers]
    )
    if households and numbers:
        scores = outcome.predict_matrix(
            model,
            features.person_matrix(person_rows),
            np.asarray(household_of_person, dtype=int),
            municipality_rows,
            n_households=len(households),
        )
    else:
        scores = np.zeros((len(households), len(numbers)))
    instance = Instance(tuple(households), tuple(municipalities), scores=scores, wait_weight=WAIT_WEIGHT)
    return BuiltRun(instance, by_id, organisations, left_out, version.version)
