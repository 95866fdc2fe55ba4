"""The matching engine's pure core: problem, feasibility, solvers and the instance file format.

No Django here: households and municipalities come in as plain data, assignments go out. The product
(runs as jobs, proposals, the outcome model) builds on top of this package.
"""

from bro.settlement.matching.explain import explain_household
from bro.settlement.matching.greedy import solve_greedy
from bro.settlement.matching.problem import (
    Household,
    Instance,
    Municipality,
    Unassigned,
    feasibility_mask,
    feasible_pairs,
    rooms_needed,
)
from bro.settlement.matching.result import MatchingResult, violations
from bro.settlement.matching.solve import solve

__all__ = [
    "Household",
    "Instance",
    "MatchingResult",
    "Municipality",
    "Unassigned",
    "explain_household",
    "feasibility_mask",
    "feasible_pairs",
    "rooms_needed",
    "solve",
    "solve_greedy",
    "violations",
]
