"""The local search after LP rounding (bro/settlement/matching/improve.py): it only ever improves, keeps
every hard rule (issue 4: capacities, minors, needs, ties, households whole) and wins back what naive
rounding leaves in full municipalities."""

import importlib
import time

import numpy as np
from hypothesis import HealthCheck, given, settings

from bro.settlement.matching.improve import _knapsack, improve
from bro.settlement.matching.problem import (
    Household,
    Instance,
    Municipality,
    feasibility_mask,
    place_self_settlements,
)
from bro.settlement.matching.result import violations
from tests.settlement.matching.test_properties import instances

solve_module = importlib.import_module("bro.settlement.matching.solve")


def _model(instance):
    mask = feasibility_mask(instance)
    fixed, _ = place_self_settlements(instance, mask)
    return solve_module._Model(instance, mask, fixed), fixed


def _assignments(instance, model, fixed, chosen):
    placed = dict(fixed)
    placed.update(zip(model.rows[chosen].tolist(), model.cols[chosen].tolist(), strict=True))
    return {instance.households[i].id: instance.municipalities[j].id for i, j in placed.items()}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_local_search_never_loses_value_and_keeps_every_hard_rule(instance):
    model, fixed = _model(instance)
    if model.A.shape[0] != model.n_households + 2 * len(instance.municipalities):
        return  # housing units: the local search is not used there
    start = solve_module._fill(model, np.array([], dtype=int))  # greedy start
    log = {}
    better = improve(model, instance, start, deadline=time.perf_counter() + 5, stop_gain=np.inf, log=log)
    assert -model.cost[better].sum() >= -model.cost[start].sum() - 1e-9
    assert violations(instance, _assignments(instance, model, fixed, better)) == []
    assert len(set(model.rows[better].tolist())) == len(better)  # each household at most once


def test_repacking_fills_a_full_municipality_exactly():
    # One attractive municipality with 4 places, one plain one with room for all. Greedy by value puts the
    # 3-person household first in A (value 3.0) and leaves one place empty; A is worth most filled with
    # the two couples (2 × 1.8) and the 3-person household does nearly as well in B.
    households = (
        Household("trio", 3, 3, 0),
        Household("couple-1", 2, 2, 0),
        Household("couple-2", 2, 2, 0),
    )
    municipalities = (Municipality("A", 4), Municipality("B", 10))
    scores = np.array([[3.0, 2.9], [1.8, 1.0], [1.8, 1.0]])
    instance = Instance(households, municipalities, scores=scores)
    model, fixed = _model(instance)
    greedy = solve_module._fill(model, np.array([], dtype=int))
    assert _assignments(instance, model, fixed, greedy)["trio"] == "A"
    better = improve(model, instance, greedy, deadline=time.perf_counter() + 5, stop_gain=np.inf, log={})
    result = _assignments(instance, model, fixed, better)
    assert result == {"trio": "B", "couple-1": "A", "couple-2": "A"}
    assert -model.cost[better].sum() > -model.cost[greedy].sum() + 0.5


def test_knapsack_takes_the_best_subset_that_fits():
    weights = np.array([3.0, 1.8, 1.8, -1.0, 0.5])
    sizes = np.array([3, 2, 2, 1, 5])
    assert _knapsack(weights, sizes, 4).tolist() == [False, True, True, False, False]
    assert _knapsack(weights, sizes, 3).tolist() == [True, False, False, False, False]
    assert not _knapsack(weights, sizes, 0).any()
