"""Demo data for this app, built after the persons and households (see bro.demo.generator._extensions)."""


def build(*, seed: int, today, log) -> None:
    """Deterministic from ``seed`` and ``today``."""


def reset(*, log) -> None:
    """Delete what ``build`` wrote."""
