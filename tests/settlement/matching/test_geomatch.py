"""GeoMatch's slot assignment as the benchmark's baseline (issue 4, "The benchmark")."""

import numpy as np
import pytest

from bro.demo.matching_instance import national_instance
from bro.settlement.matching.geomatch import TooLarge, slots_per_municipality, solve_geomatch
from bro.settlement.matching.problem import Household, Instance, Municipality, feasibility_mask


def test_slots_are_capacity_over_mean_household_size_at_least_one():
    slots = slots_per_municipality(np.array([0, 1, 5, 9, 100]), 2.5)
    assert slots.tolist() == [0, 1, 2, 4, 40]


def test_slots_hold_whole_households_so_person_capacity_breaks():
    # Two slots in A (4 persons / mean size 2): the best value puts both families of 3 there.
    households = (
        Household("big1", 3, 2, 1),
        Household("big2", 3, 2, 1),
        Household("s1", 1, 1, 0),
        Household("s2", 1, 1, 0),
    )
    municipalities = (Municipality("A", 4), Municipality("B", 4))
    scores = np.array([[2.0, 1.0], [2.0, 1.0], [0.5, 0.5], [0.5, 0.5]])
    geo = solve_geomatch(Instance(households, municipalities, scores=scores))
    assert geo.slots == 4
    assert geo.result.assignments["big1"] == "A" and geo.result.assignments["big2"] == "A"
    assert geo.over_persons == [{"municipality": "A", "capacity": 4, "placed": 6, "over": 2}]
    assert geo.persons_over == 2 and geo.municipalities_over_persons == 1
    assert geo.result.objective == pytest.approx(5.0)


def test_forbidden_pairs_and_self_settlements_are_respected():
    households = (
        Household("needs", 1, 1, 0, needs=frozenset({"health"})),
        Household("tied", 1, 1, 0, tie_municipality="B"),
        Household("fixed", 2, 2, 0, fixed_municipality="B"),
        Household("minor", 1, 0, 1, unaccompanied_minor=True),
    )
    municipalities = (
        Municipality("A", 3, capacity_minors=1),
        Municipality("B", 4, services=frozenset({"health"})),
    )
    scores = np.array([[9.0, 1.0], [9.0, 1.0], [9.0, 1.0], [1.0, 9.0]])
    geo = solve_geomatch(Instance(households, municipalities, scores=scores))
    assert geo.result.assignments == {"needs": "B", "tied": "B", "fixed": "B", "minor": "A"}
    instance = Instance(households, municipalities, scores=scores)
    mask = feasibility_mask(instance)
    for household_id, municipality_id in geo.result.assignments.items():
        assert mask[instance.household_index[household_id], instance.municipality_index[municipality_id]]


def test_a_household_with_no_feasible_slot_stays_unassigned():
    households = (Household("x", 1, 1, 0, needs=frozenset({"wheelchair"})), Household("y", 1, 1, 0))
    geo = solve_geomatch(Instance(households, (Municipality("A", 2),), scores=np.ones((2, 1))))
    assert geo.result.assignments == {"y": "A"}
    assert [u.constraint for u in geo.result.unassigned] == ["needs"]


def test_national_instance_breaks_person_capacities_and_refuses_when_too_large():
    instance = national_instance(1000, seed=1).instance
    geo = solve_geomatch(instance)
    assert geo.municipalities_over_persons > 0 and geo.persons_over > 0
    placed = sum(instance.sizes[instance.household_index[h]] for h in geo.result.assignments)
    assert geo.persons_over >= placed - instance.capacity_persons.sum()
    with pytest.raises(TooLarge, match="households ×"):
        solve_geomatch(instance, max_entries=1000)
