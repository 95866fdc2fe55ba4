"""The outcome model (issue 4, "The outcome model"): trained on a synthetic history drawn from the known
process ``features.synthetic_probability``, it must recover it — held-out AUC close to the AUC of the
true probabilities, small calibration error — and score households × municipalities fast and exactly.
"""

from __future__ import annotations

import datetime
import time

import numpy as np
import pytest

from bro.settlement.matching import features, outcome


@pytest.fixture(scope="module")
def history():
    return outcome.synthetic_history(np.random.default_rng(20240), 6000)


@pytest.fixture(scope="module")
def trained(history):
    persons, munis, outcomes, truth, _ = history
    return outcome.train(persons, munis, outcomes, true_probability=truth, seed=3)


def test_held_out_auc_is_within_002_of_the_true_probabilities_auc(trained):
    _, metrics = trained
    assert metrics["evaluation"] == "stratified k-fold"
    assert metrics["rows"] == 6000
    assert metrics["true"]["auc"] - metrics["auc"] < 0.02
    assert metrics["auc"] > 0.65  # the process is informative; a constant would score 0.5


def test_model_is_calibrated_and_close_to_the_true_probabilities(trained):
    _, metrics = trained
    assert metrics["ece"] < 0.03
    assert metrics["true"]["correlation"] > 0.95
    assert metrics["true"]["mae"] < 0.04
    table = metrics["calibration"]
    assert len(table) == 10
    assert sum(row["count"] for row in table) == 6000
    assert metrics["brier"] < 0.25


def test_the_model_recovers_the_sign_of_the_known_interactions(trained):
    model, _ = trained
    coef = dict(zip(outcome.DESIGN_COLUMNS, model.coef, strict=True))
    # synthetic_logit: −0.25·(edu−1.5)·(centrality−3.5), −0.25·health·(centrality−3.5),
    # −0.20·female·(unemployment−3.5)
    assert coef["education*centrality"] < 0
    assert coef["health_limitation*centrality"] < 0
    assert coef["female*unemployment_pct"] < 0


def test_predict_matrix_agrees_with_row_by_row_predict_proba(trained):
    model, _ = trained
    rng = np.random.default_rng(5)
    persons = features.person_matrix(features.sample_persons(rng, 7))
    munis = features.municipality_matrix(features.sample_municipalities(rng, 4))
    households = np.array([0, 0, 1, 2, 2, 2, 4])
    result = outcome.predict_matrix(model, persons, households, munis, chunk=3)
    assert result.shape == (5, 4)
    estimator = model.estimator()
    for h in range(5):
        for j in range(4):
            members = persons[households == h]
            rows = model.design(members, np.repeat(munis[j : j + 1], len(members), axis=0))
            expected = estimator.predict_proba(rows)[:, 1].sum() if len(members) else 0.0
            assert result[h, j] == pytest.approx(expected, abs=1e-10)
    assert (result[3] == 0).all()  # a household without scored persons


def test_predict_matrix_scores_30000_persons_against_356_municipalities_in_about_a_second(trained):
    model, _ = trained
    rng = np.random.default_rng(6)
    persons = features.person_matrix(features.sample_persons(rng, 30_000))
    munis = features.municipality_matrix(features.sample_municipalities(rng, 356))
    households = np.sort(rng.integers(0, 12_000, 30_000))
    started = time.perf_counter()
    result = outcome.predict_matrix(model, persons, households, munis, n_households=12_000)
    elapsed = time.perf_counter() - started
    assert result.shape == (12_000, 356)
    assert elapsed < 5.0, elapsed
    sizes = np.bincount(households, minlength=12_000)
    assert (result <= sizes[:, None] + 1e-9).all() and (result >= 0).all()


def test_serialised_model_round_trips_with_its_version_and_sklearn_version(trained):
    model, _ = trained
    data = outcome.serialise(model)
    assert isinstance(data, bytes)
    back = outcome.deserialise(data)
    assert back.version == model.version
    assert back.sklearn_version == model.sklearn_version
    rng = np.random.default_rng(7)
    persons = features.person_matrix(features.sample_persons(rng, 20))
    munis = features.municipality_matrix(features.sample_municipalities(rng, 20))
    assert np.allclose(back.predict_proba(persons, munis), model.predict_proba(persons, munis))


def test_version_string_has_the_time_and_a_hash_of_the_coefficients(trained):
    model, _ = trained
    when = datetime.datetime(2025, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)
    version = outcome.version_string(model, when)
    assert version.startswith("outcome-20250304050607-")
    assert len(version.rsplit("-", 1)[1]) == 8
    assert outcome.version_string(model, when) == version


def test_deserialise_refuses_bytes_that_are_not_a_model():
    with pytest.raises(ValueError, match="not a serialised outcome model"):
        outcome.deserialise(b"hello")


def _rows(n, rng=None):
    rng = rng or np.random.default_rng(1)
    return (
        features.person_matrix(features.sample_persons(rng, n)),
        features.municipality_matrix(features.sample_municipalities(rng, n)),
    )


def test_empty_history_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="empty"):
        outcome.train(np.zeros((0, len(features.PERSON_COLUMNS))), np.zeros((0, 3)), np.zeros(0))


def test_history_with_one_outcome_class_is_refused():
    persons, munis = _rows(100)
    with pytest.raises(ValueError, match="only one outcome class"):
        outcome.train(persons, munis, np.ones(100))


def test_history_with_wrong_shapes_is_refused():
    persons, munis = _rows(100)
    y = np.arange(100) % 2
    with pytest.raises(ValueError, match="person_rows must be a 2-D array with 12 columns"):
        outcome.train(persons[:, :5], munis, y)
    with pytest.raises(ValueError, match="differ in length"):
        outcome.train(persons, munis[:90], y)
    with pytest.raises(ValueError, match="0 or 1"):
        outcome.train(persons, munis, np.arange(100))
    persons[3, 0] = np.nan
    with pytest.raises(ValueError, match="missing"):
        outcome.train(persons, munis, y)


def test_predict_matrix_refuses_bad_household_indices(trained):
    model, _ = trained
    persons, munis = _rows(3)
    with pytest.raises(ValueError, match="one entry per person row"):
        outcome.predict_matrix(model, persons, np.array([0, 1]), munis)
    with pytest.raises(ValueError, match="household indices"):
        outcome.predict_matrix(model, persons, np.array([0, -1, 1]), munis)
    with pytest.raises(ValueError, match="refers to household 2"):
        outcome.predict_matrix(model, persons, np.array([0, 1, 2]), munis, n_households=2)
