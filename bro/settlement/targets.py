"""The dated settlement-time targets (rates/settlement_targets.yaml), read once."""

from __future__ import annotations

import datetime
import functools
from pathlib import Path

import yaml

from bro.settlement import rules

TARGETS_FILE = Path(__file__).resolve().parent / "rates" / "settlement_targets.yaml"


@functools.cache
def target_rules() -> tuple[rules.TargetRule, ...]:
    rows = yaml.safe_load(TARGETS_FILE.read_text(encoding="utf-8"))
    result = []
    for row in rows:
        if row["group"] not in rules.TARGET_GROUPS or not row.get("source"):
            raise ValueError(f"bad settlement target row: {row!r}")
        valid_from = row["valid_from"]
        if not isinstance(valid_from, datetime.date):
            valid_from = datetime.date.fromisoformat(str(valid_from))
        result.append(rules.TargetRule(row["group"], int(row["months"]), valid_from, row["source"]))
    return tuple(result)


def target_months(is_unaccompanied_minor: bool, permit_date: datetime.date) -> int:
    """The target that applied when the permit was granted."""
    rule = rules.target_for(target_rules(), rules.target_group(is_unaccompanied_minor), permit_date)
    if rule is None:  # permits older than the first rule: use the earliest one
        group = rules.target_group(is_unaccompanied_minor)
        rule = min((r for r in target_rules() if r.group == group), key=lambda r: r.valid_from)
    return rule.months
