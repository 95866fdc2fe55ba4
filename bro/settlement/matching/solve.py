"""The exact solver: a mixed-integer programme solved by HiGHS through SciPy, with its LP bound.

One binary variable per feasible (household, municipality) pair. Each household goes to at most one
municipality (households are whole by construction: a variable moves all its persons), each municipality
takes at most its remaining persons and, separately, its remaining places for unaccompanied minors. The
objective is the sum of placed households' scores plus their wait priority. The LP relaxation is solved
first: its optimum bounds every integer solution from above, so the reported gap is honest whatever the
MILP's own tolerance. See docs/decisions/0011-matching-solver.md.
"""

from __future__ import annotations

import time

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from bro.settlement.matching.problem import Instance, feasibility_mask, place_self_settlements
from bro.settlement.matching.result import MatchingResult, explain_unassigned, objective_of

# scipy.optimize.milp status codes.
# A tiny bonus per placed household, so that a household whose score and wait priority are zero is still
# placed when there is room, rather than left out at no cost; far below any score difference that matters.
PLACEMENT_BONUS = 1e-6

_STATUS = {0: "optimal", 1: "time_limit", 2: "infeasible", 3: "unbounded", 4: "error"}


def _model(instance: Instance, mask: np.ndarray, fixed: dict[int, int]):
    """Pairs, objective and sparse constraints for the households the solver decides."""
    for i, household in enumerate(instance.households):
        if household.fixed_municipality:
            mask[i] = False  # placed beforehand (or reported); their capacity is taken below
    rows, cols = np.nonzero(mask)
    n_pairs = len(rows)
    n_households, n_municipalities = mask.shape
    persons_left = instance.capacity_persons.copy()
    minors_left = instance.capacity_minors.copy()
    for i, j in fixed.items():
        persons_left[j] -= instance.sizes[i]
        minors_left[j] -= instance.minors[i]

    pair = np.arange(n_pairs)
    one_each = sparse.csr_matrix((np.ones(n_pairs), (rows, pair)), shape=(n_households, n_pairs))
    persons = sparse.csr_matrix(
        (instance.sizes[rows].astype(float), (cols, pair)), shape=(n_municipalities, n_pairs)
    )
    minor_pairs = instance.minors[rows] > 0
    minors = sparse.csr_matrix(
        (instance.minors[rows][minor_pairs].astype(float), (cols[minor_pairs], pair[minor_pairs])),
        shape=(n_municipalities, n_pairs),
    )
    matrix = sparse.vstack([one_each, persons, minors], format="csr")
    upper = np.concatenate([np.ones(n_households), persons_left, minors_left]).astype(float)
    constraint = LinearConstraint(matrix, -np.inf, upper)
    gains = instance.value_matrix[rows, cols]
    return rows, cols, gains, constraint


def solve(
    instance: Instance,
    *,
    time_limit: float = 60.0,
    mip_rel_gap: float = 1e-4,
) -> MatchingResult:
    """Solve the LP relaxation (the bound), then the MILP within ``time_limit`` seconds."""
    started = time.perf_counter()
    mask = feasibility_mask(instance)
    fixed, left_out = place_self_settlements(instance, mask)
    rows, cols, gains, constraint = _model(instance, mask.copy(), fixed)
    constant = objective_of(instance, fixed)
    placed = dict(fixed)
    status, lp_bound, dual_bound = "optimal", constant, None

    if len(rows):
        cost = -(gains + PLACEMENT_BONUS)  # milp minimises
        bounds = Bounds(0, 1)
        lp = milp(cost, constraints=constraint, bounds=bounds, integrality=np.zeros(len(rows)))
        if lp.status != 0:
            raise RuntimeError(f"LP relaxation failed: {lp.message}")
        # With the bonus the LP optimum is still an upper bound on the true objective (over by at most
        # 1e-6 per household), so the reported gap can only be overstated.
        lp_bound = constant - lp.fun
        remaining = max(time_limit - (time.perf_counter() - started), 1.0)
        mip = milp(
            cost,
            constraints=constraint,
            bounds=bounds,
            integrality=np.ones(len(rows)),
            options={"time_limit": remaining, "mip_rel_gap": mip_rel_gap},
        )
        status = _STATUS.get(mip.status, "error")
        if mip.x is None:
            status = f"{status}_no_incumbent"
        else:
            chosen = np.flatnonzero(mip.x > 0.5)
            placed.update(zip(rows[chosen].tolist(), cols[chosen].tolist(), strict=True))
            dual = getattr(mip, "mip_dual_bound", None)
            if dual is not None and np.isfinite(dual):
                dual_bound = constant - dual  # includes the placement bonus: at most 1e-6 per household

    objective = objective_of(instance, placed)
    gap_pct = 100.0 * (lp_bound - objective) / abs(lp_bound) if abs(lp_bound) > 1e-12 else 0.0
    unassigned, binding = explain_unassigned(
        instance, mask, placed, left_out, stopped_early=status != "optimal"
    )
    return MatchingResult(
        method="milp-highs",
        status=status,
        objective=objective,
        time_s=time.perf_counter() - started,
        assignments={
            instance.households[i].id: instance.municipalities[j].id for i, j in sorted(placed.items())
        },
        unassigned=unassigned,
        lp_bound=lp_bound,
        gap_pct=max(gap_pct, 0.0),
        mip_dual_bound=dual_bound,
        binding_constraints=binding,
    )
