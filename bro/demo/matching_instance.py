"""A realistic national matching instance, drawn the way the demo data looks: ``national_instance``.

For the matching benchmark (issue 4, "The benchmark") and for anyone who needs a whole-country instance
without a database. Pure Python + numpy: no Django imports, so the municipality register is read from
``bro/core/data/municipalities.csv`` with the csv module and the settlement weights from
``bro/demo/data.py`` by parsing its source (that module imports Django through ``bro.core.roles``).

What it draws, deterministically for a seed (the numbers marked "assumption" are ours, the rest come
from ``bro.demo.proportions``, which cites its sources):

- Municipalities: the 357 municipalities valid today (register rows with an empty ``valid_to``). By
  default 356 of them: Utsira, Norway's smallest municipality (~200 inhabitants), is left out as the one
  that does not settle. Fewer than 356 gives a seeded sample (Utsira last). Ids are municipality numbers.
  Their features come from ``features.sample_municipalities`` (seeded), re-ordered so that the larger
  municipalities (by settlement weight) tend to be the more central ones.
- Households: paths and household sizes and compositions as in the demo (``PATH_PERSON_SHARES``,
  ``HOUSEHOLD_SIZES``, ``SPOUSE_SHARE``, ``GRANDPARENT_SHARE``), except that unaccompanied minors make
  ``MINOR_SHARE`` (6 %) of persons instead of the demo's 3 %: the benchmark wants the tight spot. Minors
  come alone or, now and then, as two siblings.
- Scores: the sum over a household's adults (for unaccompanied minors: over the minors) of
  ``features.synthetic_probability``, the known synthetic process, i.e. the expected number of persons in
  work or education one year after the programme. Person features from ``features.sample_persons``, with
  the nationality group, sex and (for grandparents) age set from the household drawn.
- Remaining capacities, as in the yearly national run early in the year: the directorate asks about one
  municipality per ``PERSONS_PER_ASKED`` persons of the national figure (all of them in a big year, a few
  dozen in a small one: it spreads a small figure over fewer municipalities rather than asking each for a
  handful); at least ``FULL_SHARE`` of municipalities have no room (not asked, said no, or already full).
  Council decisions are roughly proportional to the demo's settlement weight (population^0.8) with noise,
  ``DECISION_MIN``–150 persons, or up to 4 % of the national figure for the largest cities when that is
  more (Oslo decides a few per cent of the country's figure); ``SETTLED_SO_FAR`` of each decision is
  already used; the total remaining capacity is 100–110 % of the persons to place. (A run late in the
  year, with many municipalities down to their last one to four places, packs households of up to eight
  persons much less neatly: the LP bound is then a few tenths of a per cent above the best assignment;
  see docs/decisions/0011-matching-solver.md.)
- Places for unaccompanied minors in ``MINOR_MUNICIPALITY_SHARE`` (~15 %) of the municipalities with room,
  in total about as many as there are minors (97–103 %): a tight spot.
- Needs and the services that meet them (assumption): see ``NEEDS``.
- Ties to a municipality for ``TIE_SHARE`` of households, to one with room and the services the household
  needs, except ``TIE_TO_FULL_SHARE`` of them, tied to a full municipality: those cannot be placed, and
  ``NationalInstance.infeasible_by_design`` lists them. Approved self-settlements (fixed) for
  ``SELF_SETTLEMENT_SHARE`` of households, never for minors (the demo gives minors none either).
- Days waited 0–300; ``WAIT_WEIGHT`` objective points per day.

``python -m bro.demo.matching_instance --persons 5000 --seed 0 --out X.json`` writes the instance in the
documented format (docs/matching-format.md).
"""

from __future__ import annotations

import argparse
import ast
import csv
import dataclasses
import json
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from bro.demo import proportions as P
from bro.settlement.matching import features as F
from bro.settlement.matching.problem import Household, Instance, Municipality, feasibility_mask

REGISTER = Path(__file__).resolve().parent.parent / "core" / "data" / "municipalities.csv"
DEMO_DATA = Path(__file__).resolve().parent / "data.py"
NOT_SETTLING = "1151"  # Utsira

MINOR_SHARE = 0.06  # of persons (brief for the benchmark: 5–8 %); the demo draws 3 %
SIBLING_SHARE = 0.08  # of unaccompanied-minor households: two siblings (assumption)
FULL_SHARE = 0.30  # of municipalities, at least: no room (not asked, said no, or full) (assumption)
PERSONS_PER_ASKED = 20  # persons of the national figure per municipality asked (assumption)
DECISION_MIN = 10  # smallest council decision among those asked (assumption; 000:L244–251 shows 10)
SETTLED_SO_FAR = (0.0, 0.4)  # share of each decision already settled when the run starts
CAPACITY_RATIO = (1.05, 1.15)
DECISION_CAP = 150  # total remaining capacity / persons to place
MINOR_MUNICIPALITY_SHARE = 0.15
MINOR_CAPACITY_RATIO = (0.97, 1.03)  # places for minors / minors
# need → (share of households that need it, share of municipalities that offer it); assumption.
NEEDS = {"health": (0.05, 0.10), "wheelchair": (0.02, 0.20), "upper_secondary": (0.10, 0.60)}
TIE_SHARE = 0.08
TIE_TO_FULL_SHARE = 0.05  # of ties: to a municipality that is already full
SELF_SETTLEMENT_SHARE = 0.04
DAYS_WAITED = (0, 300)
WAIT_WEIGHT = 0.0005

_NATIONALITY_GROUP = {"UA": "ukraine", "SY": "syria", "AF": "afghanistan", "ER": "eritrea", "SO": "somalia"}


@dataclass(frozen=True)
class NationalInstance:
    """The instance and what it was scored from, so that a trained model can rescore it.

    ``person_features[k]`` are the scored persons of household ``k`` (adults; for an unaccompanied minor,
    the minors); ``municipality_features[j]`` belongs to ``instance.municipalities[j]``.
    """

    instance: Instance
    municipality_features: tuple[F.MunicipalityFeatures, ...]
    person_features: tuple[tuple[F.PersonFeatures, ...], ...]
    decisions: np.ndarray  # council decision per municipality (persons this year)
    infeasible_by_design: frozenset[str]  # households tied to a full municipality

    def score_matrix(self, probability=F.synthetic_probability) -> np.ndarray:
        """Households × municipalities: the sum over scored persons of ``probability(persons, munis)``."""
        persons = [p for group in self.person_features for p in group]
        owner = np.repeat(np.arange(len(self.person_features)), [len(g) for g in self.person_features])
        probabilities = probability(
            F.person_matrix(persons), F.municipality_matrix(self.municipality_features)
        )
        out = np.zeros((len(self.person_features), len(self.municipality_features)))
        np.add.at(out, owner, probabilities)
        return out

    def with_scores(self, scores: np.ndarray) -> Instance:
        """The same instance with another score matrix (e.g. a trained model's predictions)."""
        return dataclasses.replace(self.instance, scores=np.asarray(scores, dtype=float))


@cache
def valid_municipalities() -> tuple[str, ...]:
    """Numbers of the municipalities valid today (register rows without ``valid_to``), sorted."""
    with REGISTER.open(encoding="utf-8", newline="") as handle:
        return tuple(sorted(row["number"] for row in csv.DictReader(handle) if not row["valid_to"]))


@cache
def _population_thousands() -> dict[str, int]:
    """``POPULATION_THOUSANDS`` from bro/demo/data.py, read without importing it (it imports Django)."""
    tree = ast.parse(DEMO_DATA.read_text(encoding="utf-8"))
    for node in tree.body:
        target = getattr(node, "target", None) or (getattr(node, "targets", None) or [None])[0]
        if isinstance(target, ast.Name) and target.id == "POPULATION_THOUSANDS":
            return ast.literal_eval(node.value)
    raise RuntimeError(f"POPULATION_THOUSANDS not found in {DEMO_DATA}")


def settlement_weight(number: str) -> float:
    """The demo's settlement weight: population in thousands to the power 0.8 (bro/demo/data.py)."""
    default = 5  # data.DEFAULT_SETTLEMENT_WEIGHT
    return float(_population_thousands().get(number, default) ** P.SETTLEMENT_WEIGHT_POWER)


def _choose_municipalities(rng: np.random.Generator, n: int) -> list[str]:
    numbers = list(valid_municipalities())
    if not 1 <= n <= len(numbers):
        raise ValueError(f"n_municipalities must be 1–{len(numbers)}")
    others = [number for number in numbers if number != NOT_SETTLING]
    order = [others[k] for k in rng.permutation(len(others))] + [NOT_SETTLING]
    return sorted(order[:n])


def _municipality_features(rng, weights: np.ndarray) -> list[F.MunicipalityFeatures]:
    """Sampled profiles, the more central ones given (noisily) to the larger municipalities."""
    drawn = F.sample_municipalities(rng, len(weights))
    by_centrality = sorted(drawn, key=lambda m: m.centrality)
    rank = np.argsort(np.argsort(-(np.log(weights) + rng.normal(0, 0.5, len(weights)))))
    return [by_centrality[r] for r in rank]


def _paths(rng: np.random.Generator, persons: int) -> list[tuple[str, int]]:
    """(path, size) per household until exactly ``persons`` persons, in the demo's shares."""
    shares = {path: share for path, share in P.PATH_PERSON_SHARES.items() if path != P.UNACCOMPANIED}
    total = sum(shares.values())
    person_share = {path: (1 - MINOR_SHARE) * share / total for path, share in shares.items()}
    person_share[P.UNACCOMPANIED] = MINOR_SHARE
    mean_size = {
        path: (
            (1 + SIBLING_SHARE)
            if path == P.UNACCOMPANIED
            else sum(s * w for s, w in P.HOUSEHOLD_SIZES[path].items())
            / sum(P.HOUSEHOLD_SIZES[path].values())
        )
        for path in person_share
    }
    names = list(person_share)
    household_weights = np.array([person_share[p] / mean_size[p] for p in names])
    household_weights /= household_weights.sum()
    out, left = [], persons
    while left > 0:
        path = names[rng.choice(len(names), p=household_weights)]
        if path == P.UNACCOMPANIED:
            size = 2 if rng.random() < SIBLING_SHARE else 1
        else:
            sizes = P.HOUSEHOLD_SIZES[path]
            keys = list(sizes)
            size = keys[rng.choice(len(keys), p=np.array(list(sizes.values())) / sum(sizes.values()))]
        size = min(size, left)
        out.append((path, size))
        left -= size
    return out


def _adults(rng: np.random.Generator, path: str, size: int) -> list[tuple[str, str]]:
    """(role, sex) of the adults in a household of ``size`` (the demo's ``_composition``)."""
    if size == 1:
        return [("principal", "male" if rng.random() < P.SINGLE_MALE_SHARE[path] else "female")]
    principal_female = rng.random() < (0.85 if path == P.UKRAINE else 0.25)
    adults = [("principal", "female" if principal_female else "male")]
    room = size - 1
    if rng.random() < P.SPOUSE_SHARE[path]:
        adults.append(("spouse", "male" if principal_female else "female"))
        room -= 1
    if room >= 2 and rng.random() < P.GRANDPARENT_SHARE[path]:
        adults.append(("grandparent", "female" if rng.random() < 2 / 3 else "male"))
    return adults


def _nationality_group(rng: np.random.Generator, path: str) -> str:
    table = P.NATIONALITIES[path]
    codes = list(table)
    weights = np.array(list(table.values()), dtype=float)
    code = codes[rng.choice(len(codes), p=weights / weights.sum())]
    return _NATIONALITY_GROUP.get(code, "other")


def _weighted_pick(rng, candidates: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    k = min(k, len(candidates))
    p = weights[candidates] / weights[candidates].sum()
    return rng.choice(candidates, size=k, replace=False, p=p)


def _capacities(rng, weights: np.ndarray, persons: int) -> tuple[np.ndarray, np.ndarray]:
    """(council decision, remaining capacity) per municipality; total remaining 100–110 % of persons."""
    n = len(weights)
    target = int(round(persons * rng.uniform(*CAPACITY_RATIO)))
    # A small national figure is spread over fewer municipalities: about one per PERSONS_PER_ASKED.
    n_full = max(int(round(FULL_SHARE * n)), n - max(1, target // PERSONS_PER_ASKED))
    full = np.zeros(n, dtype=bool)
    full[rng.choice(n, size=n_full, replace=False)] = True
    if full.all():
        full[np.argmax(weights)] = False
    left_share = np.where(full, 0.0, 1.0 - rng.uniform(*SETTLED_SO_FAR, n))
    raw = weights * rng.lognormal(0.0, 0.35, n)
    # Scale decisions so that the remaining capacity adds up to the target; no municipality decides more
    # than DECISION_CAP persons or 4 % of the national figure, whichever is larger (Oslo's order of size).
    cap = max(DECISION_CAP, int(round(0.04 * target)))
    scale = target / float((raw * left_share).sum())
    for _ in range(30):
        decisions = np.clip(np.round(raw * scale), DECISION_MIN, cap).astype(np.int64)
        remaining = np.where(full, 0, np.maximum(1, np.round(decisions * left_share))).astype(np.int64)
        scale *= target / max(int(remaining.sum()), 1)
    # Rounding and the minimum of 5 move the total a little: settle the difference one person at a time
    # on the largest (for a tiny instance, taking a small municipality down to 0 if need be).
    difference = target - int(remaining.sum())
    while difference:
        step = 1 if difference > 0 else -1
        for j in np.argsort(-remaining, kind="stable")[: max(20, n // 4)]:
            if difference == 0 or (step < 0 and remaining[j] == 0):
                continue
            remaining[j] += step
            difference -= step
    decisions = np.maximum(decisions, remaining)
    return decisions, remaining


def national_instance(persons: int, *, seed: int = 0, n_municipalities: int = 356) -> NationalInstance:
    """A whole-country instance of ``persons`` persons in households against ``n_municipalities``."""
    if persons < 1:
        raise ValueError("persons must be at least 1")
    rng = np.random.default_rng([seed, 4])
    numbers = _choose_municipalities(rng, n_municipalities)
    n = len(numbers)
    weights = np.array([settlement_weight(number) for number in numbers])
    municipality_features = _municipality_features(rng, weights)
    decisions, remaining = _capacities(rng, weights, persons)
    has_room = remaining > 0

    # Places for unaccompanied minors in ~15 % of the municipalities with room.
    plan = _paths(rng, persons)
    n_minors = sum(size for path, size in plan if path == P.UNACCOMPANIED)
    minors_capacity = np.zeros(n, dtype=np.int64)
    if n_minors:
        places = max(1, int(round(n_minors * rng.uniform(*MINOR_CAPACITY_RATIO))))
        count = min(places, max(1, int(round(MINOR_MUNICIPALITY_SHARE * n))))
        accepting = _weighted_pick(rng, np.flatnonzero(has_room), weights, count)
        share = weights[accepting] * rng.lognormal(0, 0.3, len(accepting))
        split = np.maximum(1, np.floor(places * share / share.sum())).astype(np.int64)
        split = np.minimum(split, remaining[accepting])
        while split.sum() > places and split.max() > 1:  # the minimum of 1 each overshot
            split[np.argmax(split)] -= 1
        for k in np.argsort(-share):  # hand out what flooring left over, within person capacity
            extra = min(places - int(split.sum()), int(remaining[accepting[k]] - split[k]))
            if extra > 0:
                split[k] += extra
        minors_capacity[accepting] = split

    # Services: the rarer ones mostly where the municipality is large (specialist health in the cities).
    services: list[set[str]] = [set() for _ in range(n)]
    for need, (_, offered) in NEEDS.items():
        bias = weights if need == "health" else np.sqrt(weights)
        for j in _weighted_pick(rng, np.arange(n), bias, max(1, int(round(offered * n)))):
            services[j].add(need)

    households, person_features, designed = [], [], set()
    room_index = np.flatnonzero(has_room)
    full_index = np.flatnonzero(~has_room)
    for k, (path, size) in enumerate(plan):
        hid = f"h{k + 1:05d}"
        minor = path == P.UNACCOMPANIED
        if minor:
            adults, children = 0, size
            drawn = F.sample_persons(rng, size, minors=True)
            group = _nationality_group(rng, path)
            scored = tuple(dataclasses.replace(p, nationality_group=group) for p in drawn)
        else:
            roles = _adults(rng, path, size)
            adults, children = len(roles), size - len(roles)
            group = _nationality_group(rng, path)
            drawn = F.sample_persons(rng, adults)
            scored = tuple(
                dataclasses.replace(
                    p,
                    female=sex == "female",
                    nationality_group=group,
                    age=int(rng.integers(55, 81)) if role == "grandparent" else p.age,
                )
                for p, (role, sex) in zip(drawn, roles, strict=True)
            )
        needs = set()
        for need, (share, _) in NEEDS.items():
            boost = 2.0 if need == "upper_secondary" and (minor or children) else 1.0
            if need == "upper_secondary" and not (minor or children):
                boost = 0.4
            if rng.random() < share * boost:
                needs.add(need)
        tie = fixed = None
        if not minor and rng.random() < TIE_SHARE:
            if len(full_index) and rng.random() < TIE_TO_FULL_SHARE:
                tie = numbers[int(rng.choice(full_index))]
                designed.add(hid)
            else:
                fits = [j for j in room_index if needs <= services[j] and remaining[j] >= size]
                if fits:
                    tie = numbers[int(_weighted_pick(rng, np.array(fits), weights, 1)[0])]
        elif not minor and rng.random() < SELF_SETTLEMENT_SHARE / (1 - TIE_SHARE):
            fits = [j for j in room_index if needs <= services[j] and remaining[j] >= size]
            if fits:
                fixed = numbers[int(_weighted_pick(rng, np.array(fits), weights, 1)[0])]
        households.append(
            Household(
                id=hid,
                size=size,
                adults=adults,
                children=children,
                unaccompanied_minor=minor,
                needs=frozenset(needs),
                tie_municipality=tie,
                fixed_municipality=fixed,
                days_waited=int(rng.integers(DAYS_WAITED[0], DAYS_WAITED[1] + 1)),
            )
        )
        person_features.append(scored)

    municipalities = tuple(
        Municipality(
            id=number,
            capacity_persons=int(remaining[j]),
            capacity_minors=int(minors_capacity[j]),
            services=frozenset(services[j]),
        )
        for j, number in enumerate(numbers)
    )
    national = NationalInstance(
        instance=Instance(households=tuple(households), municipalities=municipalities),
        municipality_features=tuple(municipality_features),
        person_features=tuple(person_features),
        decisions=decisions,
        infeasible_by_design=frozenset(designed),
    )
    households = _drop_unmeetable_needs(national.instance, designed)
    instance = Instance(
        households=households,
        municipalities=municipalities,
        scores=national.score_matrix(),
        wait_weight=WAIT_WEIGHT,
    )
    return dataclasses.replace(national, instance=instance)


def _drop_unmeetable_needs(instance: Instance, designed: set[str]) -> tuple[Household, ...]:
    """A household that no municipality could take (a rare mix of needs, or a minor with a need no
    municipality taking minors meets) drops its needs: only ties to full municipalities are left
    infeasible, on purpose."""
    mask = feasibility_mask(instance)
    out = []
    for i, household in enumerate(instance.households):
        if not mask[i].any() and household.id not in designed and household.needs:
            household = dataclasses.replace(household, needs=frozenset())
        out.append(household)
    return tuple(out)


def main(argv: list[str] | None = None) -> int:
    from bro.settlement.matching.io import instance_to_dict

    parser = argparse.ArgumentParser(
        prog="python -m bro.demo.matching_instance",
        description="Write a realistic national matching instance (docs/matching-format.md).",
    )
    parser.add_argument("--persons", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--municipalities", type=int, default=356)
    parser.add_argument("--out", required=True, help="JSON file to write ('-' for standard output)")
    args = parser.parse_args(argv)
    national = national_instance(args.persons, seed=args.seed, n_municipalities=args.municipalities)
    text = json.dumps(instance_to_dict(national.instance), ensure_ascii=False)
    if args.out == "-":
        sys.stdout.write(text + "\n")
    else:
        Path(args.out).write_text(text, encoding="utf-8")
        instance = national.instance
        print(
            f"wrote {args.out}: {int(instance.sizes.sum())} persons in {len(instance.households)} households, "
            f"{len(instance.municipalities)} municipalities, capacity {int(instance.capacity_persons.sum())} "
            f"persons and {int(instance.capacity_minors.sum())} places for minors"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
