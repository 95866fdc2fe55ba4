"""First come, first served: today's practice as a baseline for the benchmark.

Households are taken longest wait first (input order breaks ties); each goes to the feasible
municipality with the best score that still has room. Approved self-settlements are placed first, as
in the exact solver.
"""

from __future__ import annotations

import time

import numpy as np

from bro.settlement.matching.problem import (
    Instance,
    feasibility_mask,
    housing_fits,
    housing_left,
    place_self_settlements,
    room_level,
)
from bro.settlement.matching.result import MatchingResult, heuristic_result


def solve_greedy(instance: Instance) -> MatchingResult:
    started = time.perf_counter()
    mask = feasibility_mask(instance)
    placed, left_out = place_self_settlements(instance, mask)
    persons_left = instance.capacity_persons.copy()
    minors_left = instance.capacity_minors.copy()
    for i, j in placed.items():
        persons_left[j] -= instance.sizes[i]
        minors_left[j] -= instance.minors[i]
    units_left = housing_left(instance, placed)
    scores = instance.score_matrix
    order = sorted(range(len(instance.households)), key=lambda i: (-instance.households[i].days_waited, i))
    for i in order:
        if instance.households[i].fixed_municipality or not mask[i].any():
            continue
        room = mask[i] & (persons_left >= instance.sizes[i]) & (minors_left >= instance.minors[i])
        room &= housing_fits(instance, i, units_left)
        candidates = np.flatnonzero(room)
        if not len(candidates):
            continue
        j = int(candidates[np.argmax(scores[i, candidates])])
        placed[i] = j
        persons_left[j] -= instance.sizes[i]
        minors_left[j] -= instance.minors[i]
        if len(instance.room_levels):
            units_left[: room_level(instance, i) + 1, j] -= 1
    return heuristic_result(instance, mask, placed, left_out, method="greedy-fcfs", started=started)
