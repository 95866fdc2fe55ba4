"""Pure rules for volunteers: which onboarding steps an activity needs, and whether a volunteer may start.

No Django imports. In 2015 onboarding — information meeting, training, police certificate — took six weeks
for everything before anything, and willing people went elsewhere (003:L2309). Here every activity names
only the steps it needs, so a volunteer starts at once where none is needed; a police certificate is needed
only for activities with children (DOMAIN §9).
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from bro.settlement.rules import add_months

INFORMATION_MEETING = "information_meeting"
TRAINING = "training"
POLICE_CERTIFICATE = "police_certificate"
COMMITMENT = "commitment"
STEPS = (INFORMATION_MEETING, TRAINING, POLICE_CERTIFICATE, COMMITMENT)

RATES = Path(__file__).resolve().parent / "rates" / "onboarding.yaml"


@functools.cache
def _rows() -> tuple[dict, ...]:
    rows = yaml.safe_load(RATES.read_text(encoding="utf-8"))
    for row in rows:
        if "valid_from" not in row or "source" not in row:
            raise ValueError(f"{RATES}: every row needs valid_from and source")
    return tuple(sorted(rows, key=lambda r: r["valid_from"]))


def _row_on(day: datetime.date) -> dict:
    found = [r for r in _rows() if r["valid_from"] <= day]
    return found[-1] if found else _rows()[0]


@dataclass(frozen=True)
class Requirements:
    """What an activity asks of a volunteer before they take part."""

    information_meeting: bool = False
    training: bool = False
    involves_children: bool = False
    commitment: bool = False

    def steps(self) -> tuple[str, ...]:
        wanted = {
            INFORMATION_MEETING: self.information_meeting,
            TRAINING: self.training,
            POLICE_CERTIFICATE: self.involves_children,  # DOMAIN §9: work with children needs it
            COMMITMENT: self.commitment,
        }
        return tuple(step for step in STEPS if wanted[step])


@dataclass(frozen=True)
class Progress:
    """A volunteer's onboarding with one organisation: the day each step was done, if it was."""

    information_meeting: datetime.date | None = None
    training: datetime.date | None = None
    police_certificate: datetime.date | None = None
    commitment: datetime.date | None = None


def police_certificate_valid_until(checked_on: datetime.date) -> datetime.date:
    """The last day a checked police certificate counts (rates/onboarding.yaml, an assumption)."""
    months = int(_row_on(checked_on)["police_certificate_valid_months"])
    return add_months(checked_on, months) - datetime.timedelta(days=1)


def step_done(step: str, progress: Progress, on: datetime.date) -> bool:
    done = getattr(progress, step)
    if done is None or done > on:
        return False
    if step == POLICE_CERTIFICATE:
        return on <= police_certificate_valid_until(done)
    return True


def missing_steps(
    requirements: Requirements, progress: Progress | None, on: datetime.date
) -> tuple[str, ...]:
    """The steps still missing before the volunteer may take part, in order; empty means they may start."""
    progress = progress or Progress()
    return tuple(step for step in requirements.steps() if not step_done(step, progress, on))


def may_start(requirements: Requirements, progress: Progress | None, on: datetime.date) -> bool:
    return not missing_steps(requirements, progress, on)
