"""The outcome model: the probability that an adult is in work or education one year after the
introduction programme, for a person in a municipality (issue 4, "The outcome model").

A logistic regression on the standardised person features, the standardised municipality features and
their products (person numeric × municipality). It is chosen because it is calibrated by construction,
recovers the known synthetic process (``features.synthetic_logit`` is of this family) and — the reason
that matters for matching — its linear predictor splits into a person part, a municipality part and a
low-rank product, so scoring every household against all 356 municipalities is a few matrix products
instead of millions of feature rows (``predict_matrix``).

Evaluation (``evaluate``) uses out-of-fold predictions from stratified k-fold cross-validation, so every
history row is held out once: AUC, Brier score, a 10-bin calibration table with its expected calibration
error (ECE), and, when the true probabilities are known (a synthetic history), their own AUC and the
correlation and mean absolute error between predicted and true probabilities. The served model is then
fitted on all rows.

The model is serialised without pickle (``numpy.savez`` of its arrays plus JSON metadata), with the
scikit-learn version it was fitted with and a version string ``outcome-YYYYmmddHHMMSS-<hash8>``.

Pure: numpy, SciPy and scikit-learn; no Django.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
from dataclasses import dataclass, field

import numpy as np
import sklearn
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold

from bro.settlement.matching import features

FORMAT = "bro-outcome-model/1"
N_PERSON = len(features.PERSON_COLUMNS)
N_PERSON_NUMERIC = len(features.PERSON_NUMERIC)
N_MUNICIPALITY = len(features.MUNICIPALITY_COLUMNS)
#: Columns of the design matrix, in order: person, municipality, person numeric × municipality.
DESIGN_COLUMNS = (
    features.PERSON_COLUMNS
    + features.MUNICIPALITY_COLUMNS
    + tuple(f"{p}*{m}" for p in features.PERSON_NUMERIC for m in features.MUNICIPALITY_COLUMNS)
)
CALIBRATION_BINS = 10
MIN_ROWS = 50
MIN_PER_CLASS = 10


@dataclass
class OutcomeModel:
    """A fitted outcome model: the standardisation and the logistic regression's coefficients."""

    version: str
    sklearn_version: str
    person_mean: np.ndarray
    person_scale: np.ndarray
    municipality_mean: np.ndarray
    municipality_scale: np.ndarray
    coef: np.ndarray  # one per DESIGN_COLUMNS
    intercept: float
    rows: int
    meta: dict = field(default_factory=dict)

    # -- the parts of the linear predictor --------------------------------------------------------------

    def _z_person(self, person_rows: np.ndarray) -> np.ndarray:
        return (person_rows - self.person_mean) / self.person_scale

    def _z_municipality(self, municipality_rows: np.ndarray) -> np.ndarray:
        return (municipality_rows - self.municipality_mean) / self.municipality_scale

    @property
    def _weights(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        w_person = self.coef[:N_PERSON]
        w_municipality = self.coef[N_PERSON : N_PERSON + N_MUNICIPALITY]
        w_product = self.coef[N_PERSON + N_MUNICIPALITY :].reshape(N_PERSON_NUMERIC, N_MUNICIPALITY)
        return w_person, w_municipality, w_product

    def design(self, person_rows, municipality_rows) -> np.ndarray:
        """The design matrix for aligned rows (row i: person i in municipality i)."""
        p = _check_rows(person_rows, N_PERSON, "person_rows")
        m = _check_rows(municipality_rows, N_MUNICIPALITY, "municipality_rows")
        if len(p) != len(m):
            raise ValueError(f"person_rows has {len(p)} rows but municipality_rows has {len(m)}")
        return _design(self._z_person(p), self._z_municipality(m))

    def estimator(self) -> LogisticRegression:
        """A scikit-learn estimator with this model's coefficients, for row-by-row ``predict_proba``."""
        est = LogisticRegression()
        est.classes_ = np.array([0, 1])
        est.coef_ = self.coef.reshape(1, -1).copy()
        est.intercept_ = np.array([self.intercept])
        est.n_features_in_ = len(DESIGN_COLUMNS)
        return est

    def predict_proba(self, person_rows, municipality_rows) -> np.ndarray:
        """Probability of work or education one year after, for aligned person/municipality rows."""
        return self.estimator().predict_proba(self.design(person_rows, municipality_rows))[:, 1]


def _check_rows(rows, width: int, name: str) -> np.ndarray:
    a = np.asarray(rows, dtype=float)
    if a.ndim != 2 or a.shape[1] != width:
        raise ValueError(f"{name} must be a 2-D array with {width} columns, got shape {a.shape}")
    if not np.isfinite(a).all():
        raise ValueError(f"{name} contains missing or infinite values")
    return a


def _design(z_person: np.ndarray, z_municipality: np.ndarray) -> np.ndarray:
    products = (z_person[:, :N_PERSON_NUMERIC, None] * z_municipality[:, None, :]).reshape(
        len(z_person), N_PERSON_NUMERIC * N_MUNICIPALITY
    )
    return np.hstack([z_person, z_municipality, products])


def _scale(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = a.mean(axis=0)
    scale = a.std(axis=0)
    # A constant column (e.g. a nationality group absent from the history) keeps scale 1: it adds nothing.
    scale[scale < 1e-9] = 1.0
    return mean, scale


def _check_history(person_rows, municipality_rows, outcomes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    p = _check_rows(person_rows, N_PERSON, "person_rows")
    m = _check_rows(municipality_rows, N_MUNICIPALITY, "municipality_rows")
    y = np.asarray(outcomes)
    if y.ndim != 1:
        raise ValueError(f"outcomes must be 1-D, got shape {y.shape}")
    if not (len(p) == len(m) == len(y)):
        raise ValueError(
            f"the history's parts differ in length: {len(p)} person rows, {len(m)} municipality rows, "
            f"{len(y)} outcomes"
        )
    if len(y) == 0:
        raise ValueError("the history is empty: there is nothing to train on")
    if not np.isin(y, (0, 1, True, False)).all():
        raise ValueError("outcomes must be 0 or 1")
    y = y.astype(int)
    positives = int(y.sum())
    if positives == 0 or positives == len(y):
        raise ValueError("the history has only one outcome class; a model needs both 0 and 1")
    if len(y) < MIN_ROWS or min(positives, len(y) - positives) < MIN_PER_CLASS:
        raise ValueError(
            f"the history is too small: at least {MIN_ROWS} rows and {MIN_PER_CLASS} of each outcome are "
            f"needed, got {len(y)} rows with {positives} positive"
        )
    return p, m, y


def _fit(p: np.ndarray, m: np.ndarray, y: np.ndarray, c: float) -> OutcomeModel:
    person_mean, person_scale = _scale(p)
    municipality_mean, municipality_scale = _scale(m)
    model = OutcomeModel(
        version="",
        sklearn_version=sklearn.__version__,
        person_mean=person_mean,
        person_scale=person_scale,
        municipality_mean=municipality_mean,
        municipality_scale=municipality_scale,
        coef=np.zeros(len(DESIGN_COLUMNS)),
        intercept=0.0,
        rows=len(y),
    )
    est = LogisticRegression(C=c, max_iter=2000)
    est.fit(model.design(p, m), y)
    model.coef = est.coef_.ravel().astype(float)
    model.intercept = float(est.intercept_[0])
    return model


def calibration_table(outcomes, predicted, bins: int = CALIBRATION_BINS) -> tuple[list[dict], float]:
    """Rows of equal-width probability bins (count, mean predicted, observed rate) and the ECE.

    ECE = Σ (bin count / n) · |mean predicted − observed rate|, over non-empty bins.
    """
    y = np.asarray(outcomes, dtype=float)
    p = np.asarray(predicted, dtype=float)
    index = np.minimum((p * bins).astype(int), bins - 1)
    table, ece = [], 0.0
    for b in range(bins):
        mask = index == b
        n = int(mask.sum())
        row = {"lower": b / bins, "upper": (b + 1) / bins, "count": n, "predicted": None, "observed": None}
        if n:
            row["predicted"] = float(p[mask].mean())
            row["observed"] = float(y[mask].mean())
            ece += n / len(y) * abs(row["predicted"] - row["observed"])
        table.append(row)
    return table, float(ece)


def evaluate(outcomes, predicted, true_probability=None) -> dict:
    """AUC, Brier score, calibration table and ECE of ``predicted`` against ``outcomes``.

    With ``true_probability`` (a synthetic history) also the AUC the true probabilities reach on the same
    rows, and the correlation and mean absolute error between predicted and true probabilities.
    """
    y = np.asarray(outcomes, dtype=int)
    p = np.asarray(predicted, dtype=float)
    table, ece = calibration_table(y, p)
    metrics = {
        "rows": int(len(y)),
        "positive_rate": float(y.mean()),
        "auc": float(roc_auc_score(y, p)),
        "brier": float(brier_score_loss(y, p)),
        "ece": ece,
        "calibration": table,
    }
    if true_probability is not None:
        t = np.asarray(true_probability, dtype=float)
        metrics["true"] = {
            "auc": float(roc_auc_score(y, t)),
            "brier": float(brier_score_loss(y, t)),
            "correlation": float(np.corrcoef(p, t)[0, 1]),
            "mae": float(np.abs(p - t).mean()),
        }
    return metrics


def train(
    person_rows,
    municipality_rows,
    outcomes,
    *,
    true_probability=None,
    folds: int = 5,
    c: float = 1.0,
    seed: int = 0,
    now: datetime.datetime | None = None,
) -> tuple[OutcomeModel, dict]:
    """Fit the outcome model on a history and evaluate it held-out.

    ``person_rows`` (n × ``features.PERSON_COLUMNS``), ``municipality_rows`` (n ×
    ``features.MUNICIPALITY_COLUMNS``) and ``outcomes`` (n of 0/1) are one row per finished programme.
    Returns the model fitted on all rows and the metrics of its out-of-fold predictions (``evaluate``),
    with ``"evaluation": "stratified k-fold"`` and ``"folds"``. Raises ``ValueError`` with a clear message
    on an empty or one-class history, mismatched shapes or missing values.
    """
    p, m, y = _check_history(person_rows, municipality_rows, outcomes)
    if true_probability is not None:
        true_probability = np.asarray(true_probability, dtype=float)
        if true_probability.shape != y.shape:
            raise ValueError("true_probability must have one value per history row")
    folds = max(2, min(folds, int(min(y.sum(), len(y) - y.sum()))))
    out_of_fold = np.zeros(len(y))
    for train_idx, test_idx in StratifiedKFold(folds, shuffle=True, random_state=seed).split(p, y):
        fold_model = _fit(p[train_idx], m[train_idx], y[train_idx], c)
        out_of_fold[test_idx] = fold_model.predict_proba(p[test_idx], m[test_idx])
    metrics = evaluate(y, out_of_fold, true_probability)
    metrics.update({"evaluation": "stratified k-fold", "folds": folds})
    model = _fit(p, m, y, c)
    model.version = version_string(model, now)
    return model, metrics


def version_string(model: OutcomeModel, now: datetime.datetime | None = None) -> str:
    """``outcome-YYYYmmddHHMMSS-<hash8>``: when it was trained, and a hash of its coefficients."""
    digest = hashlib.sha256()
    for a in (model.person_mean, model.person_scale, model.municipality_mean, model.municipality_scale):
        digest.update(np.ascontiguousarray(a, dtype=float).tobytes())
    digest.update(np.ascontiguousarray(model.coef, dtype=float).tobytes())
    digest.update(np.float64(model.intercept).tobytes())
    stamp = (now or datetime.datetime.now(datetime.UTC)).strftime("%Y%m%d%H%M%S")
    return f"outcome-{stamp}-{digest.hexdigest()[:8]}"


# -- scoring at national scale ---------------------------------------------------------------------------


def predict_person_matrix(model: OutcomeModel, person_rows, municipality_rows) -> np.ndarray:
    """Probability for every person × municipality (persons × municipalities), without design rows.

    logit = intercept + z_p·w_p (person part) + z_m·w_m (municipality part) + z_p,num · W · z_mᵀ.
    """
    p = _check_rows(person_rows, N_PERSON, "person_rows")
    m = _check_rows(municipality_rows, N_MUNICIPALITY, "municipality_rows")
    w_person, w_municipality, w_product = model._weights
    zp, zm = model._z_person(p), model._z_municipality(m)
    person_part = zp @ w_person + model.intercept
    municipality_part = zm @ w_municipality
    logit = zp[:, :N_PERSON_NUMERIC] @ (w_product @ zm.T)
    logit += person_part[:, None]
    logit += municipality_part[None, :]
    # In place: at 30,000 × 356 the matrix is 85 MB, and copies would double it.
    np.negative(logit, out=logit)
    np.exp(logit, out=logit)
    logit += 1.0
    np.reciprocal(logit, out=logit)
    return logit


def predict_matrix(
    model: OutcomeModel,
    person_rows,
    household_of_person,
    municipality_rows,
    *,
    n_households: int | None = None,
    chunk: int = 8192,
) -> np.ndarray:
    """Expected outcome per household × municipality: the sum over the household's scored persons of
    their predicted probability (issue 4: "sum over adults").

    ``household_of_person[i]`` is the household index (0 … H−1) of person row ``i``; H is
    ``n_households`` or the largest index + 1. A household with no scored person gets zeros.
    Persons are scored in chunks so the memory stays bounded at national scale.
    """
    p = _check_rows(person_rows, N_PERSON, "person_rows")
    m = _check_rows(municipality_rows, N_MUNICIPALITY, "municipality_rows")
    households = np.asarray(household_of_person)
    if households.ndim != 1 or len(households) != len(p):
        raise ValueError(
            f"household_of_person must have one entry per person row ({len(p)}), got shape {households.shape}"
        )
    if len(households) and (not np.issubdtype(households.dtype, np.integer) or households.min() < 0):
        raise ValueError("household_of_person must hold household indices 0, 1, 2, …")
    h = int(n_households if n_households is not None else (households.max() + 1 if len(households) else 0))
    if len(households) and households.max() >= h:
        raise ValueError(f"household_of_person refers to household {households.max()}, but there are {h}")
    result = np.zeros((h, len(m)))
    for start in range(0, len(p), chunk):
        stop = min(start + chunk, len(p))
        probabilities = predict_person_matrix(model, p[start:stop], m)
        members = sparse.csr_matrix(
            (np.ones(stop - start), (households[start:stop], np.arange(stop - start))),
            shape=(h, stop - start),
        )
        result += members @ probabilities
    return result


# -- serialisation -----------------------------------------------------------------------------------------


def serialise(model: OutcomeModel) -> bytes:
    """The model as bytes: its arrays (``numpy.savez``, no pickle) and JSON metadata."""
    meta = {
        "format": FORMAT,
        "version": model.version,
        "sklearn_version": model.sklearn_version,
        "rows": model.rows,
        "intercept": model.intercept,
        "columns": list(DESIGN_COLUMNS),
        "meta": model.meta,
    }
    buffer = io.BytesIO()
    np.savez(
        buffer,
        meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
        person_mean=model.person_mean,
        person_scale=model.person_scale,
        municipality_mean=model.municipality_mean,
        municipality_scale=model.municipality_scale,
        coef=model.coef,
    )
    return buffer.getvalue()


def deserialise(data: bytes) -> OutcomeModel:
    try:
        with np.load(io.BytesIO(bytes(data)), allow_pickle=False) as arrays:
            meta = json.loads(arrays["meta"].tobytes().decode())
            parts = {k: arrays[k].astype(float) for k in arrays.files if k != "meta"}
    except (OSError, ValueError, KeyError) as exc:
        raise ValueError(f"not a serialised outcome model: {exc}") from exc
    if meta.get("format") != FORMAT or meta.get("columns") != list(DESIGN_COLUMNS):
        raise ValueError(f"unsupported outcome model format {meta.get('format')!r} or columns")
    return OutcomeModel(
        version=meta["version"],
        sklearn_version=meta["sklearn_version"],
        person_mean=parts["person_mean"],
        person_scale=parts["person_scale"],
        municipality_mean=parts["municipality_mean"],
        municipality_scale=parts["municipality_scale"],
        coef=parts["coef"],
        intercept=float(meta["intercept"]),
        rows=int(meta["rows"]),
        meta=meta.get("meta") or {},
    )


def synthetic_history(rng: np.random.Generator, n: int, municipalities=None) -> tuple:
    """``n`` finished programmes drawn from ``features.synthetic_probability``: person rows, municipality
    rows, outcomes and the true probabilities. Persons are placed in random municipalities from
    ``municipalities`` (a list of ``MunicipalityFeatures``; 356 sampled ones by default)."""
    persons = features.person_matrix(features.sample_persons(rng, n))
    if municipalities is None:
        municipalities = features.sample_municipalities(rng, 356)
    table = features.municipality_matrix(municipalities)
    where = rng.integers(0, len(table), n)
    munis = table[where]
    truth = np.zeros(n)
    for j in np.unique(where):
        here = where == j
        truth[here] = features.synthetic_probability(persons[here], table[j : j + 1])[:, 0]
    outcomes = (rng.random(n) < truth).astype(int)
    return persons, munis, outcomes, truth, where
