"""Matching benchmark (issue 4, "The benchmark"; acceptance 1): ``make bench-matching``.

Realistic national instances from ``bro.demo.matching_instance`` (1,000, 5,000 and 30,000 persons
against 356 municipalities) and, side by side in one run on each:

- Bro's solver: ``solve(instance)``, its default method;
- an exact MILP of the same model by HiGHS through highspy: one binary per feasible pair
  (``feasibility_mask``), at most one municipality per household, person and minors capacity rows per
  municipality, approved self-settlements placed first as the solver does (``place_self_settlements``),
  the same placement bonus and relative gap as Bro's solver; a callback on every improving MIP solution
  records its time and objective, so we know when the MILP first reached Bro's objective; time limit
  300 s (``--milp-limit``), 60 s at 30,000 persons (``--milp-limit-national``: a 2.3-million-binary
  model for which HiGHS has returned no assignment within 150 s);
- GeoMatch's slot assignment (``bro.settlement.matching.geomatch``), with the person capacities it breaks;
- first come, first served (``solve_greedy``), a stand-in for today's manual practice.

Numbers discipline: every method runs in the same process on the same instance, one after the other,
and the summary line gives ratios and gaps, not absolute times alone. Every gap is to the same LP bound,
the LP relaxation of the full model that Bro's solver reports.

The last line of output is exactly
``matching gap_pct_max=G speedup_vs_milp=S greedy_gain_pct=Q national_s=T``:

- G: the largest gap of Bro's objective to the LP bound over the instances, in %;
- S: the MILP's time to reach Bro's objective (its time limit if it never did) divided by Bro's time, at
  the largest instance the MILP *finished*. "Finished" means: the model was built and HiGHS returned an
  incumbent (a feasible assignment) within its time limit, whether or not it proved optimality.
  "Reached" means an incumbent within 0.01 % of Bro's objective (the relative gap both are run with);
- Q: Bro's gain over greedy at the largest instance, in % of greedy, on the *score part* of the
  objective only (expected persons in work or education one year after the programme), not the wait
  bonus;
- T: Bro's wall time at the largest instance, in seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import scipy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import highspy  # noqa: E402

from bro.demo.matching_instance import national_instance  # noqa: E402
from bro.settlement.matching.geomatch import TooLarge, solve_geomatch  # noqa: E402
from bro.settlement.matching.greedy import solve_greedy  # noqa: E402
from bro.settlement.matching.problem import Instance, feasibility_mask, place_self_settlements  # noqa: E402
from bro.settlement.matching.result import violations  # noqa: E402
from bro.settlement.matching.solve import PLACEMENT_BONUS, solve  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "matching.json"
SIZES = (1000, 5000, 30000)
REACH_TOLERANCE = 1e-4  # an incumbent within 0.01 % of Bro's objective has reached it


def score_part(instance: Instance, assignments: dict[str, str]) -> float:
    """The expected persons in work or education of an assignment: its objective without the wait bonus."""
    scores = instance.score_matrix
    return float(
        sum(
            scores[instance.household_index[h], instance.municipality_index[m]]
            for h, m in assignments.items()
        )
    )


def milp_highspy(instance: Instance, *, time_limit: float, target: float | None, gap: float = 1e-4) -> dict:
    """The plain MILP by HiGHS, with each improving incumbent's wall time (from the start, model build
    included, as Bro's time includes its own) and true objective."""
    started = time.perf_counter()
    mask = feasibility_mask(instance)
    fixed, _ = place_self_settlements(instance, mask)
    for i, household in enumerate(instance.households):
        if household.fixed_municipality:
            mask[i] = False
    values = instance.value_matrix
    constant = float(sum(values[i, j] for i, j in fixed.items()))
    persons_left = instance.capacity_persons.astype(float)
    minors_left = instance.capacity_minors.astype(float)
    for i, j in fixed.items():
        persons_left[j] -= instance.sizes[i]
        minors_left[j] -= instance.minors[i]

    cols_by_pair = np.nonzero(mask.T)  # column-major: pairs grouped by municipality
    munis, households = cols_by_pair
    n_pairs = len(households)
    n_households, n_munis = len(instance.households), len(instance.municipalities)
    # Each pair (column) has up to three entries: its household row, its municipality's person row and,
    # for an unaccompanied minor, its municipality's minors row.
    minor = instance.minors[households] > 0
    counts = 2 + minor.astype(np.int64)
    start = np.zeros(n_pairs + 1, dtype=np.int64)
    np.cumsum(counts, out=start[1:])
    index = np.empty(start[-1], dtype=np.int32)
    value = np.empty(start[-1], dtype=float)
    index[start[:-1]] = households
    value[start[:-1]] = 1.0
    index[start[:-1] + 1] = n_households + munis
    value[start[:-1] + 1] = instance.sizes[households]
    minor_at = start[:-1][minor] + 2
    index[minor_at] = n_households + n_munis + munis[minor]
    value[minor_at] = instance.minors[households][minor]

    lp = highspy.HighsLp()
    lp.num_col_ = n_pairs
    lp.num_row_ = n_households + 2 * n_munis
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = values[households, munis] + PLACEMENT_BONUS
    lp.col_lower_ = np.zeros(n_pairs)
    lp.col_upper_ = np.ones(n_pairs)
    lp.row_lower_ = np.full(lp.num_row_, -highspy.kHighsInf)
    lp.row_upper_ = np.concatenate([np.ones(n_households), persons_left, minors_left])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_ = n_pairs
    lp.a_matrix_.num_row_ = lp.num_row_
    lp.a_matrix_.start_ = start
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_pairs

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(max(time_limit - (time.perf_counter() - started), 1.0)))
    h.setOptionValue("mip_rel_gap", gap)
    h.passModel(lp)
    build_s = time.perf_counter() - started
    incumbents: list[dict] = []

    def improving(event):
        # The objective includes the placement bonus (at most 1e-6 per placed household): negligible here.
        incumbents.append(
            {
                "t_s": round(time.perf_counter() - started, 3),
                "objective": constant + float(event.data_out.objective_function_value),
            }
        )

    h.cbMipImprovingSolution.subscribe(improving)
    h.run()
    elapsed = time.perf_counter() - started
    status = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    out = {
        "method": "milp-highspy",
        "time_s": round(elapsed, 3),
        "build_s": round(build_s, 3),
        "time_limit_s": time_limit,
        "status": status,
        "pairs": int(n_pairs),
        "incumbents": incumbents,
        "objective": None,
        "mip_dual_bound": None,
        "finished": False,
    }
    if info.primal_solution_status >= 1 or incumbents:  # a feasible assignment was returned
        x = np.asarray(h.getSolution().col_value)
        chosen = np.flatnonzero(x > 0.5)
        placed = dict(fixed)
        placed.update(zip(households[chosen].tolist(), munis[chosen].tolist(), strict=True))
        assignments = {instance.households[i].id: instance.municipalities[j].id for i, j in placed.items()}
        out.update(
            objective=float(sum(values[i, j] for i, j in placed.items())),
            score_part=score_part(instance, assignments),
            mip_dual_bound=constant + float(info.mip_dual_bound),
            assigned=len(placed),
            unassigned=len(instance.households) - len(placed),
            violations=len(violations(instance, assignments)),
            finished=True,
        )
    reached = None
    if target is not None:
        for incumbent in incumbents:
            if incumbent["objective"] >= target - REACH_TOLERANCE * abs(target):
                reached = incumbent["t_s"]
                break
    out["time_to_bro_objective_s"] = reached
    return out


def _gap(lp_bound: float, objective: float | None) -> float | None:
    if objective is None or not lp_bound:
        return None
    return round(100.0 * (lp_bound - objective) / abs(lp_bound), 5)


def run_instance(
    persons: int,
    *,
    seed: int,
    milp_limit: float,
    log,
    n_municipalities: int = 356,
    bro_limit: float | None = None,
) -> dict:
    built = time.perf_counter()
    national = national_instance(persons, seed=seed, n_municipalities=n_municipalities)
    instance = national.instance
    entry = {
        "persons": persons,
        "seed": seed,
        "households": len(instance.households),
        "municipalities": len(instance.municipalities),
        "municipalities_with_room": int((instance.capacity_persons > 0).sum()),
        "capacity_persons": int(instance.capacity_persons.sum()),
        "unaccompanied_minors": int(instance.minors.sum()),
        "capacity_minors": int(instance.capacity_minors.sum()),
        "never_feasible_households": len(national.infeasible_by_design),
        "instance_s": round(time.perf_counter() - built, 3),
        "methods": {},
    }
    log(f"[{persons}] {entry['households']} households, capacity {entry['capacity_persons']}")

    bro = solve(instance) if bro_limit is None else solve(instance, time_limit=bro_limit)
    lp_bound = float(bro.lp_bound)
    entry["lp_bound"] = lp_bound
    methods = entry["methods"]
    methods["bro"] = {
        "method": bro.method,
        "status": bro.status,
        "time_s": round(bro.time_s, 3),
        "objective": bro.objective,
        "score_part": score_part(instance, bro.assignments),
        "gap_pct": _gap(lp_bound, bro.objective),
        "assigned": len(bro.assignments),
        "unassigned": len(bro.unassigned),
        "violations": len(violations(instance, bro.assignments)),
    }
    log(f"[{persons}] bro {bro.time_s:.2f} s objective {bro.objective:.3f} gap {methods['bro']['gap_pct']} %")

    greedy = solve_greedy(instance)
    methods["greedy"] = {
        "method": greedy.method,
        "time_s": round(greedy.time_s, 3),
        "objective": greedy.objective,
        "score_part": score_part(instance, greedy.assignments),
        "gap_pct": _gap(lp_bound, greedy.objective),
        "assigned": len(greedy.assignments),
        "unassigned": len(greedy.unassigned),
        "violations": len(violations(instance, greedy.assignments)),
    }
    log(f"[{persons}] greedy {greedy.time_s:.2f} s objective {greedy.objective:.3f}")

    try:
        geo = solve_geomatch(instance)
    except TooLarge as error:
        methods["geomatch"] = {"method": "geomatch-lsa", "skipped": str(error)}
        log(f"[{persons}] geomatch skipped: {error}")
    else:
        methods["geomatch"] = {
            "method": geo.result.method,
            "time_s": round(geo.result.time_s, 3),
            "objective": geo.result.objective,
            "score_part": score_part(instance, geo.result.assignments),
            "gap_pct": _gap(lp_bound, geo.result.objective),
            "assigned": len(geo.result.assignments),
            "unassigned": len(geo.result.unassigned),
            **geo.summary(),
        }
        log(
            f"[{persons}] geomatch {geo.result.time_s:.2f} s objective {geo.result.objective:.3f}, "
            f"{geo.municipalities_over_persons} municipalities over person capacity by {geo.persons_over}"
        )

    if milp_limit > 0:
        milp = milp_highspy(instance, time_limit=milp_limit, target=bro.objective)
        milp["gap_pct"] = _gap(lp_bound, milp["objective"])
        methods["milp"] = milp
        log(
            f"[{persons}] milp {milp['time_s']:.1f} s ({milp['status']}) objective {milp['objective']} "
            f"reached Bro's at {milp['time_to_bro_objective_s']} s"
        )
    else:
        methods["milp"] = {"method": "milp-highspy", "skipped": "time limit 0"}
    return entry


def machine() -> dict:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "highspy": getattr(highspy, "__version__", None) or _version("highspy"),
    }


def _version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


def summarise(instances: list[dict]) -> dict:
    largest = max(instances, key=lambda e: e["persons"])
    gap_max = max(e["methods"]["bro"]["gap_pct"] for e in instances)
    finished = [e for e in instances if e["methods"]["milp"].get("finished")]
    speedup = at = None
    if finished:
        milp_instance = max(finished, key=lambda e: e["persons"])
        milp = milp_instance["methods"]["milp"]
        reach = milp["time_to_bro_objective_s"]
        reach = reach if reach is not None else milp["time_limit_s"]
        speedup = reach / milp_instance["methods"]["bro"]["time_s"]
        at = milp_instance["persons"]
    # The same ratio at every instance where the MILP returned an assignment, for the reader.
    per_instance = {
        str(e["persons"]): round(
            (
                e["methods"]["milp"]["time_to_bro_objective_s"]
                if e["methods"]["milp"]["time_to_bro_objective_s"] is not None
                else e["methods"]["milp"]["time_limit_s"]
            )
            / e["methods"]["bro"]["time_s"],
            2,
        )
        for e in finished
    }
    bro_score = largest["methods"]["bro"]["score_part"]
    greedy_score = largest["methods"]["greedy"]["score_part"]
    return {
        "gap_pct_max": gap_max,
        "speedup_vs_milp": speedup,
        "speedup_at_persons": at,
        "speedup_by_persons": per_instance,
        "speedup_note": "MILP time to reach Bro's objective, or its time limit if it never did, over Bro's time",
        "greedy_gain_pct": 100.0 * (bro_score - greedy_score) / greedy_score,
        "greedy_gain_measure": "score part only: expected persons in work or education one year after "
        "the programme (sum of the synthetic probabilities), without the wait bonus",
        "national_s": largest["methods"]["bro"]["time_s"],
        "national_persons": largest["persons"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default=",".join(map(str, SIZES)), help="persons per instance, comma-separated"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--milp-limit", type=float, default=300.0, help="MILP time limit below 30,000 persons"
    )
    parser.add_argument(
        "--milp-limit-national",
        type=float,
        default=60.0,
        help="at 30,000 persons and above (HiGHS has returned no assignment there within 150 s)",
    )
    parser.add_argument("--municipalities", type=int, default=356)
    parser.add_argument(
        "--bro-limit", type=float, default=120.0, help="Bro's time limit (it stops earlier when done)"
    )
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]

    def log(message: str) -> None:
        print(message, flush=True)

    started = time.perf_counter()
    instances = []
    for persons in sizes:
        limit = args.milp_limit_national if persons >= 30000 else args.milp_limit
        instances.append(
            run_instance(
                persons,
                seed=args.seed,
                milp_limit=limit,
                log=log,
                n_municipalities=args.municipalities,
                bro_limit=args.bro_limit,
            )
        )
    summary = summarise(instances)
    report = {
        "benchmark": "matching",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "milp_limit_s": args.milp_limit,
        "milp_limit_national_s": args.milp_limit_national,
        "bro_limit_s": args.bro_limit,
        "total_s": round(time.perf_counter() - started, 1),
        "definitions": {
            "gap_pct": "100 × (LP bound − objective) / LP bound; the LP bound is the LP relaxation of the full "
            "model, as Bro's solver reports it; negative for GeoMatch where it breaks capacities",
            "objective": "score (expected persons in work or education) + wait_weight × days waited",
            "milp_finished": "the model was built and HiGHS returned an incumbent within its time limit",
            "milp_reached": f"an incumbent within {100 * REACH_TOLERANCE:g} % of Bro's objective",
            "time_s": "wall time of one run in this process, model building included",
        },
        "summary": summary,
        "instances": instances,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    log(f"wrote {out} in {report['total_s']} s")
    speedup = summary["speedup_vs_milp"]
    print(
        f"matching gap_pct_max={summary['gap_pct_max']:.4f} "
        f"speedup_vs_milp={'nan' if speedup is None else f'{speedup:.1f}'} "
        f"greedy_gain_pct={summary['greedy_gain_pct']:.2f} national_s={summary['national_s']:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
