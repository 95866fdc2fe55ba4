"""A synthetic national instance for measuring the solvers (not real data; uniform random scores).

Households of 1–6 persons (about 3.1 on average), some unaccompanied minors, rare needs, a few family
ties and approved self-settlements, against ``n_municipalities`` municipalities whose capacities add up
to ``capacity_ratio`` of the persons to place, with few places for minors and rare services.
"""

from __future__ import annotations

import numpy as np

from bro.settlement.matching.problem import Household, Instance, Municipality

SERVICES = ("health", "wheelchair", "upper_secondary")


def synthetic_instance(
    n_persons: int = 5000,
    n_municipalities: int = 356,
    *,
    seed: int = 0,
    capacity_ratio: float = 0.9,
    wait_weight: float = 0.001,
) -> Instance:
    rng = np.random.default_rng(seed)
    municipality_ids = [f"m{j:03d}" for j in range(n_municipalities)]
    households: list[Household] = []
    persons = 0
    while persons < n_persons:
        i = len(households)
        if rng.random() < 0.05:
            size, adults, minor = 1, 0, True
        else:
            size = int(min(6, 1 + rng.poisson(2.2)))
            adults = int(min(size, 1 + rng.integers(0, 2)))
            minor = False
        needs = frozenset(s for s, p in zip(SERVICES, (0.06, 0.03, 0.05), strict=True) if rng.random() < p)
        tie = municipality_ids[rng.integers(n_municipalities)] if rng.random() < 0.05 else None
        fixed = municipality_ids[rng.integers(n_municipalities)] if rng.random() < 0.02 else None
        households.append(
            Household(
                id=f"h{i:05d}",
                size=size,
                adults=adults,
                children=size - adults,
                unaccompanied_minor=minor,
                needs=needs,
                tie_municipality=tie,
                fixed_municipality=fixed,
                days_waited=int(rng.integers(0, 400)),
            )
        )
        persons += size
    weights = rng.lognormal(0, 1, n_municipalities)
    capacity = np.maximum(np.round(weights / weights.sum() * capacity_ratio * persons), 1).astype(int)
    takes_minors = rng.random(n_municipalities) < 0.15
    minors_capacity = np.where(takes_minors, rng.integers(1, 6, n_municipalities), 0)
    municipalities = tuple(
        Municipality(
            id=municipality_ids[j],
            capacity_persons=int(capacity[j]),
            capacity_minors=int(minors_capacity[j]),
            services=frozenset(
                s for s, p in zip(SERVICES, (0.4, 0.25, 0.5), strict=True) if rng.random() < p
            ),
        )
        for j in range(n_municipalities)
    )
    scores = (
        rng.random((len(households), n_municipalities)) * np.array([h.adults for h in households])[:, None]
    )
    scores += rng.random((len(households), 1)) * 0.2
    return Instance(tuple(households), municipalities, scores=scores, wait_weight=wait_weight)
