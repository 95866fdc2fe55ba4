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


RARE_SERVICE = "specialist_health"


def structured_instance(
    n_persons: int = 5000,
    n_municipalities: int = 356,
    *,
    seed: int = 0,
    capacity_ratio: float = 1.05,
    wait_weight: float = 0.0005,
    housing: bool = False,
) -> Instance:
    """A national-like instance with *structured* scores (not real data).

    Scores are sums, over the household's adults (or the unaccompanied minor), of the known synthetic
    probability of work or education (``features.synthetic_probability``) in each municipality, so
    municipalities are ranked alike by similar persons and differ by the interaction terms. Remaining
    capacities are skewed like council decisions (a few large, many small, about a fifth with nothing
    left), adding up to ``capacity_ratio`` of the persons; places for unaccompanied minors only in about
    15 % of municipalities, adding up to about the number of minors; a rare service few offer. With
    ``housing`` each municipality with room also lists housing units by bedrooms, roughly enough for
    its capacity but short of large units.
    """
    from bro.settlement.matching.features import (
        municipality_matrix,
        person_matrix,
        sample_municipalities,
        sample_persons,
        synthetic_probability,
    )

    rng = np.random.default_rng(seed)
    services = (*SERVICES, RARE_SERVICE)
    municipality_ids = [f"k{j:04d}" for j in range(n_municipalities)]
    drafts = []
    persons = 0
    while persons < n_persons:
        if rng.random() < 0.04:
            size, adults, minor = 1, 0, True
        else:
            size = int(min(7, 1 + rng.poisson(1.9)))
            adults = int(min(size, 1 + (rng.random() < 0.6)))
            minor = False
        drafts.append((size, adults, minor))
        persons += size

    weights = rng.lognormal(0, 1.1, n_municipalities)
    weights[rng.random(n_municipalities) < 0.2] = 0.0
    capacity = np.floor(weights / weights.sum() * capacity_ratio * persons).astype(int)
    capacity[np.argmax(weights)] += int(round(capacity_ratio * persons)) - int(capacity.sum())
    n_minors = sum(1 for d in drafts if d[2])
    takes_minors = np.flatnonzero((rng.random(n_municipalities) < 0.15) & (capacity > 0))
    minors_capacity = np.zeros(n_municipalities, dtype=int)
    if len(takes_minors):
        share = rng.dirichlet(np.ones(len(takes_minors)) * 2)
        minors_capacity[takes_minors] = np.minimum(
            np.round(share * n_minors).astype(int), capacity[takes_minors]
        )
    offers = {
        s: rng.random(n_municipalities) < p for s, p in zip(services, (0.4, 0.25, 0.5, 0.06), strict=True)
    }

    households: list[Household] = []
    for i, (size, adults, minor) in enumerate(drafts):
        needs = frozenset(
            s for s, p in zip(services, (0.06, 0.03, 0.05, 0.01), strict=True) if rng.random() < p
        )
        tie = municipality_ids[rng.integers(n_municipalities)] if rng.random() < 0.04 else None
        fixed = municipality_ids[rng.integers(n_municipalities)] if rng.random() < 0.01 else None
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

    members = np.array([h.adults or 1 for h in households])
    adults_rows = person_matrix(sample_persons(rng, int(members.sum())))
    is_minor = np.repeat([h.unaccompanied_minor for h in households], members)
    if is_minor.any():
        adults_rows[is_minor] = person_matrix(sample_persons(rng, int(is_minor.sum()), minors=True))
    probability = synthetic_probability(
        adults_rows, municipality_matrix(sample_municipalities(rng, n_municipalities))
    )
    starts = np.r_[0, np.cumsum(members)[:-1]]
    scores = np.round(np.add.reduceat(probability, starts, axis=0), 4)

    def units(j):
        if not housing or capacity[j] == 0:
            return None
        n_units = max(1, int(capacity[j] / 2.6))
        mix = rng.multinomial(n_units, (0.2, 0.3, 0.3, 0.15, 0.05))
        return {r: int(u) for r, u in enumerate(mix.tolist()) if u}

    municipalities = tuple(
        Municipality(
            id=municipality_ids[j],
            capacity_persons=int(capacity[j]),
            capacity_minors=int(minors_capacity[j]),
            services=frozenset(s for s in services if offers[s][j]),
            housing_units=units(j),
        )
        for j in range(n_municipalities)
    )
    return Instance(tuple(households), municipalities, scores=scores, wait_weight=wait_weight)
