"""The features the outcome model sees, and the *synthetic* process the demo's history is drawn from.

The outcome to predict (issue 4, DOMAIN.md §3 and §6): is an adult in work or education one year after
the introduction programme. Person features are what the settlement interview and the competence mapping
record; municipality features are what the directorate weighs in settlement — centrality, the labour
market and the municipality's own programme results (004:L531–536: "60 % results and jobs").

``synthetic_logit`` is a *known* generating process, not an estimate of the real world: the demo writes
a history drawn from it, clearly labelled synthetic, so tests can check that a model trained on that
history recovers it (held-out AUC and calibration against the true probabilities). Its interaction terms
make the best municipality differ from person to person, which is what makes matching worth doing.

Pure: numpy only, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Version of the synthetic generating process; stored with every synthetic history row.
SYNTHETIC_PROCESS = "bro-synthetic-outcome/1"

NATIONALITY_GROUPS = ("ukraine", "syria", "afghanistan", "eritrea", "somalia", "other")
EDUCATION_LEVELS = ("none", "primary", "secondary", "higher")  # ordinal 0–3
NORWEGIAN_LEVELS = ("none", "A1", "A2", "B1", "B2")  # ordinal 0–4 (B2 and above as 4)

#: Numeric person columns, in this order, then one column per nationality group (one-hot).
PERSON_NUMERIC = ("age", "female", "education", "norwegian", "work_years", "health_limitation")
PERSON_COLUMNS = PERSON_NUMERIC + tuple(f"nationality_{g}" for g in NATIONALITY_GROUPS)
#: Municipality columns, in this order.
MUNICIPALITY_COLUMNS = ("centrality", "unemployment_pct", "programme_result_pct")


@dataclass(frozen=True)
class PersonFeatures:
    age: int
    female: bool
    education: int  # index into EDUCATION_LEVELS
    norwegian: int  # index into NORWEGIAN_LEVELS
    work_years: int
    health_limitation: bool
    nationality_group: str

    def __post_init__(self):
        if not 0 <= self.education < len(EDUCATION_LEVELS):
            raise ValueError(f"education must be 0–{len(EDUCATION_LEVELS) - 1}")
        if not 0 <= self.norwegian < len(NORWEGIAN_LEVELS):
            raise ValueError(f"norwegian must be 0–{len(NORWEGIAN_LEVELS) - 1}")
        if self.nationality_group not in NATIONALITY_GROUPS:
            raise ValueError(f"unknown nationality group {self.nationality_group!r}")
        if self.age < 0 or self.work_years < 0:
            raise ValueError("age and work_years must not be negative")


@dataclass(frozen=True)
class MunicipalityFeatures:
    centrality: int  # Statistics Norway's centrality index, 1 (most central) – 6 (least)
    unemployment_pct: float  # registered unemployment, % of the labour force
    programme_result_pct: float  # share of participants in work or education one year after

    def __post_init__(self):
        if not 1 <= self.centrality <= 6:
            raise ValueError("centrality must be 1–6")
        if not 0 <= self.unemployment_pct <= 100 or not 0 <= self.programme_result_pct <= 100:
            raise ValueError("percentages must be 0–100")


def person_matrix(persons: list[PersonFeatures] | tuple[PersonFeatures, ...]) -> np.ndarray:
    """One row per person, columns ``PERSON_COLUMNS``."""
    out = np.zeros((len(persons), len(PERSON_COLUMNS)))
    offset = len(PERSON_NUMERIC)
    for i, p in enumerate(persons):
        out[i, :offset] = (
            p.age,
            p.female,
            p.education,
            p.norwegian,
            min(p.work_years, 40),
            p.health_limitation,
        )
        out[i, offset + NATIONALITY_GROUPS.index(p.nationality_group)] = 1.0
    return out


def municipality_matrix(municipalities) -> np.ndarray:
    """One row per municipality, columns ``MUNICIPALITY_COLUMNS``."""
    return np.array(
        [(m.centrality, m.unemployment_pct, m.programme_result_pct) for m in municipalities], dtype=float
    ).reshape(-1, len(MUNICIPALITY_COLUMNS))


_NATIONALITY_EFFECT = np.array([0.30, 0.0, -0.10, 0.20, -0.30, 0.0])


def synthetic_logit(person_rows: np.ndarray, municipality_rows: np.ndarray) -> np.ndarray:
    """The known log-odds of work or education one year after, for every person × municipality."""
    p = np.asarray(person_rows, dtype=float)
    m = np.asarray(municipality_rows, dtype=float)
    age, female, edu, nor, work, health = (p[:, k][:, None] for k in range(len(PERSON_NUMERIC)))
    nationality = (p[:, len(PERSON_NUMERIC) :] @ _NATIONALITY_EFFECT)[:, None]
    centrality, unemployment, results = (m[:, k][None, :] for k in range(len(MUNICIPALITY_COLUMNS)))
    person_part = (
        -0.2
        - 0.03 * (age - 35)
        - 0.35 * female
        + 0.30 * edu
        + 0.35 * nor
        + 0.06 * np.minimum(work, 15)
        - 0.90 * health
        + nationality
    )
    municipality_part = -0.25 * (unemployment - 3.5) + 0.03 * (results - 60)
    interactions = (
        # the highly educated find matching work in central labour markets, the others rather outside them
        -0.25 * (edu - 1.5) * (centrality - 3.5)
        # health limitations are followed up better where specialist services are near
        - 0.25 * health * (centrality - 3.5)
        # women's employment suffers more where unemployment is high
        - 0.20 * female * (unemployment - 3.5)
    )
    return person_part + municipality_part + interactions


def synthetic_probability(person_rows: np.ndarray, municipality_rows: np.ndarray) -> np.ndarray:
    """``synthetic_logit`` through the logistic function: a probability per person × municipality."""
    return 1.0 / (1.0 + np.exp(-synthetic_logit(person_rows, municipality_rows)))


def sample_persons(rng: np.random.Generator, n: int, *, minors: bool = False) -> list[PersonFeatures]:
    """Draw ``n`` plausible adults (or unaccompanied minors aged 15–17) for synthetic data."""
    groups = rng.choice(len(NATIONALITY_GROUPS), size=n, p=(0.45, 0.2, 0.12, 0.08, 0.05, 0.10))
    ages = rng.integers(15, 18, n) if minors else np.clip(np.round(rng.gamma(6.0, 6.0, n) + 12), 18, 67)
    education = rng.choice(4, size=n, p=(0.12, 0.30, 0.33, 0.25))
    norwegian = rng.choice(5, size=n, p=(0.45, 0.25, 0.15, 0.10, 0.05))
    return [
        PersonFeatures(
            age=int(ages[i]),
            female=bool(rng.random() < (0.15 if minors else 0.55)),
            education=int(min(education[i], 1) if minors else education[i]),
            norwegian=int(norwegian[i]),
            work_years=0 if minors else int(max(0, min(ages[i] - 18, rng.poisson(6)))),
            health_limitation=bool(rng.random() < 0.12),
            nationality_group=NATIONALITY_GROUPS[groups[i]],
        )
        for i in range(n)
    ]


def sample_municipalities(rng: np.random.Generator, n: int) -> list[MunicipalityFeatures]:
    """Draw ``n`` plausible municipality profiles for synthetic data (most municipalities are small)."""
    centrality = rng.choice(np.arange(1, 7), size=n, p=(0.02, 0.06, 0.14, 0.22, 0.28, 0.28))
    return [
        MunicipalityFeatures(
            centrality=int(centrality[i]),
            unemployment_pct=round(float(np.clip(rng.normal(3.2, 1.0), 0.8, 7.5)), 1),
            programme_result_pct=round(float(np.clip(rng.normal(60, 9), 30, 85)), 1),
        )
        for i in range(n)
    ]
