"""The realistic national instance the matching benchmark runs on (issue 4, "The benchmark")."""

import json

import numpy as np
import pytest

from bro.demo import matching_instance as M
from bro.settlement.matching import features as F
from bro.settlement.matching.io import instance_from_dict
from bro.settlement.matching.problem import feasibility_mask


@pytest.fixture(scope="module")
def national():
    return M.national_instance(5000, seed=3)


def test_municipalities_are_those_valid_today_less_utsira():
    valid = M.valid_municipalities()
    assert len(valid) == 357  # 2024 register rows with an empty valid_to
    assert "0301" in valid and "5503" in valid and "5402" not in valid  # Harstad's old number expired
    ids = [m.id for m in M.national_instance(1000, seed=0).instance.municipalities]
    assert len(ids) == 356 and set(ids) == set(valid) - {M.NOT_SETTLING}
    assert len(M.national_instance(1000, seed=0, n_municipalities=357).instance.municipalities) == 357


def test_deterministic_for_a_seed_and_different_for_another():
    a, b = M.national_instance(1000, seed=5), M.national_instance(1000, seed=5)
    assert a.instance.households == b.instance.households
    assert a.instance.municipalities == b.instance.municipalities
    np.testing.assert_array_equal(a.instance.score_matrix, b.instance.score_matrix)
    assert M.national_instance(1000, seed=6).instance.households != a.instance.households


def test_totals(national):
    instance = national.instance
    assert int(instance.sizes.sum()) == 5000
    lo, hi = M.CAPACITY_RATIO
    assert lo * 5000 - 1 <= instance.capacity_persons.sum() <= hi * 5000 + 1
    with_room = int((instance.capacity_persons > 0).sum())
    # about one municipality asked per PERSONS_PER_ASKED persons, and at least FULL_SHARE without room
    assert with_room <= min((1 - M.FULL_SHARE) * 356, hi * 5000 / M.PERSONS_PER_ASKED) + 1
    assert with_room >= 0.8 * min((1 - M.FULL_SHARE) * 356, lo * 5000 / M.PERSONS_PER_ASKED)
    assert instance.capacity_persons.max() <= max(150, 0.04 * hi * 5000)
    assert national.decisions.min() >= M.DECISION_MIN
    left = instance.capacity_persons[national.decisions > 0] / national.decisions[national.decisions > 0]
    assert left[left > 0].min() >= 1 - M.SETTLED_SO_FAR[1] - 0.05  # early in the year: most still open
    assert np.all(national.decisions >= instance.capacity_persons)
    minors = instance.minors.sum()
    assert 0.05 * 5000 <= minors <= 0.08 * 5000
    assert 0.95 * minors <= instance.capacity_minors.sum() <= 1.05 * minors  # the tight spot
    accepting = (instance.capacity_minors > 0).mean()
    assert 0.12 <= accepting <= 0.18
    assert np.all(instance.capacity_minors <= instance.capacity_persons)
    assert instance.wait_weight == M.WAIT_WEIGHT


def test_ratios_roughly_as_specified(national):
    households = national.instance.households
    n = len(households)
    assert 2.0 <= 5000 / n <= 2.6  # mean household size as in the demo's mix
    for need, (share, offered) in M.NEEDS.items():
        needing = sum(need in h.needs for h in households) / n
        assert 0.5 * share <= needing <= 1.6 * share, need
        offering = np.mean([need in m.services for m in national.instance.municipalities])
        assert abs(offering - offered) < 0.02, need
    ties = sum(h.tie_municipality is not None for h in households) / n
    assert 0.06 <= ties <= 0.10
    fixed = sum(h.fixed_municipality is not None for h in households) / n
    assert 0.02 <= fixed <= 0.06
    assert not any(h.fixed_municipality for h in households if h.unaccompanied_minor)
    waits = [h.days_waited for h in households]
    assert min(waits) >= 0 and max(waits) <= 300
    assert sum(h.size == 1 for h in households) / n > 0.3  # singles
    assert any(h.adults == 2 and h.children > 0 for h in households)  # parents with children
    assert all(h.adults >= 1 for h in households if not h.unaccompanied_minor)


def test_every_household_feasible_or_knowingly_not(national):
    mask = feasibility_mask(national.instance)
    never = {national.instance.households[i].id for i in np.flatnonzero(~mask.any(axis=1))}
    assert never == set(national.infeasible_by_design)
    assert national.infeasible_by_design  # the generator does make some (ties to full municipalities)
    index = national.instance.municipality_index
    for household in national.instance.households:
        if household.id in national.infeasible_by_design:
            municipality = national.instance.municipalities[index[household.tie_municipality]]
            assert municipality.capacity_persons == 0


def test_scores_are_the_synthetic_process_summed_over_adults(national):
    instance = national.instance
    municipality_rows = F.municipality_matrix(national.municipality_features)
    for k in (0, 17, len(instance.households) - 1):
        household = instance.households[k]
        scored = national.person_features[k]
        assert len(scored) == (household.size if household.unaccompanied_minor else household.adults)
        expected = F.synthetic_probability(F.person_matrix(scored), municipality_rows).sum(axis=0)
        np.testing.assert_allclose(instance.score_matrix[k], expected)
    # Rescoring with another model replaces the scores and nothing else.
    rescored = national.with_scores(national.score_matrix(lambda p, m: np.full((len(p), len(m)), 0.5)))
    adults = [len(group) for group in national.person_features]
    np.testing.assert_allclose(rescored.score_matrix[:, 0], 0.5 * np.array(adults))
    assert rescored.households == instance.households


def test_command_line_writes_the_documented_format(tmp_path):
    out = tmp_path / "instance.json"
    assert M.main(["--persons", "300", "--seed", "2", "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "bro-matching/1"
    loaded = instance_from_dict(data)
    original = M.national_instance(300, seed=2).instance
    assert loaded.households == original.households
    np.testing.assert_allclose(loaded.score_matrix, original.score_matrix)


def test_the_benchmark_runs_on_a_tiny_instance_and_ends_with_the_summary_line(tmp_path, capsys):
    import importlib.util
    import re
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "benchmarks" / "bench_matching.py"
    spec = importlib.util.spec_from_file_location("bench_matching", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    out = tmp_path / "matching.json"
    argv = ["--sizes", "200", "--municipalities", "40", "--milp-limit", "1", "--bro-limit", "1"]
    assert bench.main([*argv, "--out", str(out)]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    number = r"(-?\d+(\.\d+)?|nan)"
    assert re.fullmatch(
        rf"matching gap_pct_max={number} speedup_vs_milp={number} greedy_gain_pct={number} national_s={number}",
        last,
    ), last
    report = json.loads(out.read_text(encoding="utf-8"))
    assert {"machine", "summary", "instances", "definitions"} <= set(report)
    assert {"gap_pct_max", "speedup_vs_milp", "greedy_gain_pct", "national_s"} <= set(report["summary"])
    (instance,) = report["instances"]
    assert instance["persons"] == 200 and instance["municipalities"] == 40
    assert set(instance["methods"]) == {"bro", "milp", "geomatch", "greedy"}
    for name in ("bro", "greedy", "geomatch"):
        method = instance["methods"][name]
        assert {"time_s", "objective", "gap_pct", "assigned", "unassigned"} <= set(method), name
    assert instance["methods"]["bro"]["violations"] == 0 and instance["methods"]["greedy"]["violations"] == 0
    assert "persons_over_capacity" in instance["methods"]["geomatch"]
    assert {"incumbents", "mip_dual_bound", "time_to_bro_objective_s"} <= set(instance["methods"]["milp"])
    # Every method's objective is below the LP bound, except GeoMatch where it breaks capacities.
    assert instance["methods"]["bro"]["objective"] <= instance["lp_bound"] + 1e-6
