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
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

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


def _lp(cost: np.ndarray, constraint: LinearConstraint):
    """The LP relaxation by HiGHS: optimum and each pair's reduced cost (how far its use lowers the bound).

    For ``min c·x, A x <= b, 0 <= x <= 1`` with duals ``y <= 0``, every feasible ``x`` has
    ``c·x >= LP + sum(z_p x_p)`` with ``z = max(c - Aᵀy, 0)``: an integer solution that uses pair ``p`` is
    at least ``z_p`` below the LP bound. That is what makes pruning provably safe below.
    """
    lp = linprog(cost, A_ub=constraint.A, b_ub=constraint.ub, bounds=(0, 1), method="highs")
    if lp.status != 0:
        raise RuntimeError(f"LP relaxation failed: {lp.message}")
    duals = lp.ineqlin.marginals
    reduced = np.maximum(cost - constraint.A.T @ duals, 0.0)
    return lp.fun, lp.x, reduced


def _sub_milp(cost, constraint, keep: np.ndarray, upper: np.ndarray, time_limit: float, gap: float):
    """The MILP on the pairs in ``keep`` with constraint right-hand sides ``upper``; chosen pair indices."""
    index = np.flatnonzero(keep)
    if not len(index):
        return np.array([], dtype=int), "optimal"
    matrix = constraint.A[:, index]
    used = np.flatnonzero(matrix.getnnz(axis=1))
    sub = LinearConstraint(matrix[used], -np.inf, upper[used])
    result = milp(
        cost[index],
        constraints=sub,
        bounds=Bounds(0, 1),
        integrality=np.ones(len(index)),
        options={"time_limit": max(time_limit, 1.0), "mip_rel_gap": gap},
    )
    status = _STATUS.get(result.status, "error")
    if result.x is None:
        return np.array([], dtype=int), f"{status}_no_incumbent"
    return index[result.x > 0.5], status


def _fill(constraint, chosen: np.ndarray, cost: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Add, best first, any pair whose household is unplaced and that still fits (a greedy repair)."""
    matrix = constraint.A.tocsc()
    load = np.asarray(matrix[:, chosen].sum(axis=1)).ravel()
    slack = constraint.ub - load
    placed = np.zeros(int(rows.max()) + 1 if len(rows) else 0, dtype=bool)
    placed[rows[chosen]] = True
    extra = []
    for p in np.argsort(cost, kind="stable"):
        if placed[rows[p]] or cost[p] >= 0:
            continue
        start, end = matrix.indptr[p], matrix.indptr[p + 1]
        rows_p, values = matrix.indices[start:end], matrix.data[start:end]
        if np.all(values <= slack[rows_p] + 1e-9):
            slack[rows_p] -= values
            placed[rows[p]] = True
            extra.append(p)
    return np.concatenate([chosen, np.array(extra, dtype=int)])


def _bro(cost, constraint, rows, lp_fun, x_lp, reduced, *, top_k, time_limit, gap, started):
    """LP rounding and repair for an incumbent, then the MILP on the pairs that could still beat it.

    1. Fix every pair the LP sets to 1; solve a small MILP for the households the LP splits, on their
       LP-used and top-k pairs, within the capacity left; greedily place anyone still out. (Incumbent.)
    2. Keep the top-k pairs per household, every pair the LP uses, and every pair whose reduced cost is
       below the incumbent's gap to the LP bound. A pair left out has ``z_p >= bound - incumbent``, so no
       solution using it beats the incumbent: the pruned MILP's optimum is the full MILP's optimum.
    """
    n_pairs = len(rows)
    order = np.lexsort((cost, rows))  # per household, best pair first
    first = np.r_[0, np.flatnonzero(np.diff(rows[order])) + 1]
    rank = np.empty(n_pairs, dtype=int)
    rank[order] = np.arange(n_pairs) - np.repeat(first, np.diff(np.r_[first, n_pairs]))
    top = rank < top_k
    support = x_lp > 1e-9

    ones = x_lp > 1 - 1e-6
    split = np.zeros(int(rows.max()) + 1, dtype=bool)
    split[rows[support & ~ones]] = True
    load = np.asarray(constraint.A[:, ones].sum(axis=1)).ravel()
    sub, status = _sub_milp(
        cost, constraint, split[rows] & (top | support), constraint.ub - load, time_limit / 4, gap
    )
    chosen = _fill(constraint, np.concatenate([np.flatnonzero(ones), sub]), cost, rows)
    incumbent = -cost[chosen].sum()
    bound = -lp_fun

    # Pairs that could still beat the incumbent; when there are too many (a weak LP bound), keep only the
    # top-k and LP pairs: the answer is then a heuristic on a pruned model, its gap still to the full LP.
    could_improve = reduced < bound - incumbent + 1e-9
    keep = top | support
    proven = could_improve.sum() <= 4 * keep.sum()
    if proven:
        keep |= could_improve
    remaining = time_limit - (time.perf_counter() - started)
    candidate, status = _sub_milp(cost, constraint, keep, constraint.ub, remaining, gap)
    if len(candidate):
        candidate = _fill(constraint, candidate, cost, rows)
        if -cost[candidate].sum() >= incumbent:
            chosen = candidate
    if not proven and status == "optimal":
        status = "optimal_on_pruned_pairs"
    return chosen, status


def solve(
    instance: Instance,
    *,
    method: str = "bro",
    time_limit: float = 60.0,
    mip_rel_gap: float = 1e-4,
    top_k: int = 5,
) -> MatchingResult:
    """Solve the LP relaxation (the bound, always over every feasible pair), then the integer problem.

    ``method="bro"`` (default): LP rounding and repair, then the MILP on provably sufficient pairs.
    ``method="milp"``: the plain MILP over every feasible pair, for comparison.
    """
    if method not in ("bro", "milp"):
        raise ValueError(f"unknown method {method!r}: use 'bro' or 'milp'")
    started = time.perf_counter()
    mask = feasibility_mask(instance)
    fixed, left_out = place_self_settlements(instance, mask)
    rows, cols, gains, constraint = _model(instance, mask.copy(), fixed)
    constant = objective_of(instance, fixed)
    placed = dict(fixed)
    status, lp_bound, dual_bound = "optimal", constant, None

    if len(rows):
        cost = -(gains + PLACEMENT_BONUS)  # milp minimises
        # With the bonus the LP optimum is still an upper bound on the true objective (over by at most
        # 1e-6 per household), so the reported gap can only be overstated.
        lp_fun, x_lp, reduced = _lp(cost, constraint)
        lp_bound = constant - lp_fun
        remaining = max(time_limit - (time.perf_counter() - started), 1.0)
        if method == "bro":
            chosen, status = _bro(
                cost,
                constraint,
                rows,
                lp_fun,
                x_lp,
                reduced,
                top_k=top_k,
                time_limit=remaining,
                gap=mip_rel_gap,
                started=started,
            )
        else:
            mip = milp(
                cost,
                constraints=constraint,
                bounds=Bounds(0, 1),
                integrality=np.ones(len(rows)),
                options={"time_limit": remaining, "mip_rel_gap": mip_rel_gap},
            )
            status = _STATUS.get(mip.status, "error")
            chosen = np.array([], dtype=int)
            if mip.x is None:
                status = f"{status}_no_incumbent"
            else:
                chosen = np.flatnonzero(mip.x > 0.5)
                dual = getattr(mip, "mip_dual_bound", None)
                if dual is not None and np.isfinite(dual):
                    dual_bound = constant - dual  # includes the placement bonus: at most 1e-6 per household
        placed.update(zip(rows[chosen].tolist(), cols[chosen].tolist(), strict=True))

    objective = objective_of(instance, placed)
    gap_pct = 100.0 * (lp_bound - objective) / abs(lp_bound) if abs(lp_bound) > 1e-12 else 0.0
    unassigned, binding = explain_unassigned(
        instance, mask, placed, left_out, stopped_early=status not in ("optimal", "optimal_on_pruned_pairs")
    )
    return MatchingResult(
        method="bro-lp-prune" if method == "bro" else "milp-highs",
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
