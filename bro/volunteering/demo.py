"""Demo data for civil society (placeholder until the demo lands)."""

import datetime


def build(*, seed: int, today: datetime.date, log) -> None:
    return None


def reset(*, log) -> None:
    return None
