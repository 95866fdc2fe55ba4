"""Demo data for matching inputs and the outcome model (filled in below)."""


def build(seed, today, log=None):
    return None


def reset(log=None):
    return None
