"""Read and write matching instances and results in the JSON format of docs/matching-format.md.

Every error names the row (list and index, with the id where there is one) and the field, so that
whoever exported the file can find the line to fix.
"""

from __future__ import annotations

import json
from pathlib import Path

from bro.settlement.matching.problem import Household, Instance, Municipality

FORMAT = "bro-matching/1"


class InstanceFormatError(ValueError):
    """The file does not follow docs/matching-format.md."""


def _where(section: str, index: int, row: object) -> str:
    if isinstance(row, dict) and isinstance(row.get("id"), str):
        return f"{section}[{index}] (id {row['id']!r})"
    return f"{section}[{index}]"


def _field(row: dict, where: str, name: str, kind: str, *, required: bool = True, default=None):
    if name not in row:
        if required:
            raise InstanceFormatError(f"{where}: field {name!r} is missing")
        return default
    value = row[name]
    ok = {
        "str": isinstance(value, str) and value != "",
        "int": isinstance(value, int) and not isinstance(value, bool) and value >= 0,
        "bool": isinstance(value, bool),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
        "optional str": value is None or (isinstance(value, str) and value != ""),
        "str list": isinstance(value, list) and all(isinstance(v, str) for v in value),
    }[kind]
    if not ok:
        expected = {
            "str": "a non-empty string",
            "int": "a non-negative integer",
            "bool": "true or false",
            "number": "a number",
            "optional str": "a non-empty string or null",
            "str list": "a list of strings",
        }[kind]
        raise InstanceFormatError(f"{where}: field {name!r} must be {expected}, got {value!r}")
    return value


def _rows(data: dict, section: str, *, required: bool = True) -> list:
    if section not in data:
        if required:
            raise InstanceFormatError(f"field {section!r} is missing")
        return []
    rows = data[section]
    if not isinstance(rows, list):
        raise InstanceFormatError(f"field {section!r} must be a list")
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            raise InstanceFormatError(f"{section}[{index}]: must be an object")
    return rows


def instance_from_dict(data: object) -> Instance:
    if not isinstance(data, dict):
        raise InstanceFormatError("the file must hold one JSON object")
    if data.get("format", FORMAT) != FORMAT:
        raise InstanceFormatError(f"field 'format' must be {FORMAT!r}, got {data['format']!r}")
    wait_weight = _field(data, "instance", "wait_weight", "number", required=False, default=0.0)

    households = []
    for index, row in enumerate(_rows(data, "households")):
        where = _where("households", index, row)
        size, adults, children = (_field(row, where, name, "int") for name in ("size", "adults", "children"))
        if adults + children != size:
            raise InstanceFormatError(
                f"{where}: field 'size' must equal adults + children ({adults + children}), got {size}"
            )
        if size < 1:
            raise InstanceFormatError(f"{where}: field 'size' must be at least 1")
        households.append(
            Household(
                id=_field(row, where, "id", "str"),
                size=size,
                adults=adults,
                children=children,
                unaccompanied_minor=_field(
                    row, where, "unaccompanied_minor", "bool", required=False, default=False
                ),
                needs=frozenset(_field(row, where, "needs", "str list", required=False, default=[])),
                tie_municipality=_field(row, where, "tie_municipality", "optional str", required=False),
                fixed_municipality=_field(row, where, "fixed_municipality", "optional str", required=False),
                days_waited=_field(row, where, "days_waited", "int", required=False, default=0),
            )
        )

    municipalities = []
    for index, row in enumerate(_rows(data, "municipalities")):
        where = _where("municipalities", index, row)
        municipalities.append(
            Municipality(
                id=_field(row, where, "id", "str"),
                capacity_persons=_field(row, where, "capacity_persons", "int"),
                capacity_minors=_field(row, where, "capacity_minors", "int", required=False, default=0),
                services=frozenset(_field(row, where, "services", "str list", required=False, default=[])),
            )
        )

    for section, items in (("households", households), ("municipalities", municipalities)):
        seen = set()
        for index, item in enumerate(items):
            if item.id in seen:
                raise InstanceFormatError(f"{section}[{index}] (id {item.id!r}): field 'id' is a duplicate")
            seen.add(item.id)

    household_ids = {h.id for h in households}
    municipality_ids = {m.id for m in municipalities}
    scores: dict[tuple[str, str], float] = {}
    for index, row in enumerate(_rows(data, "scores", required=False)):
        where = f"scores[{index}]"
        household = _field(row, where, "household", "str")
        municipality = _field(row, where, "municipality", "str")
        score = _field(row, where, "score", "number")
        if household not in household_ids:
            raise InstanceFormatError(f"{where}: field 'household': unknown household {household!r}")
        if municipality not in municipality_ids:
            raise InstanceFormatError(f"{where}: field 'municipality': unknown municipality {municipality!r}")
        if (household, municipality) in scores:
            raise InstanceFormatError(f"{where}: pair ({household!r}, {municipality!r}) is scored twice")
        scores[(household, municipality)] = float(score)

    return Instance(tuple(households), tuple(municipalities), scores=scores, wait_weight=float(wait_weight))


def load_instance(path: str | Path) -> Instance:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise InstanceFormatError(f"cannot read {path}: {error.strerror}") from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InstanceFormatError(
            f"not valid JSON: line {error.lineno}, column {error.colno}: {error.msg}"
        ) from error
    return instance_from_dict(data)


def instance_to_dict(instance: Instance) -> dict:
    scores = instance.score_matrix
    return {
        "format": FORMAT,
        "wait_weight": instance.wait_weight,
        "households": [
            {
                "id": h.id,
                "size": h.size,
                "adults": h.adults,
                "children": h.children,
                "unaccompanied_minor": h.unaccompanied_minor,
                "needs": sorted(h.needs),
                "tie_municipality": h.tie_municipality,
                "fixed_municipality": h.fixed_municipality,
                "days_waited": h.days_waited,
            }
            for h in instance.households
        ],
        "municipalities": [
            {
                "id": m.id,
                "capacity_persons": m.capacity_persons,
                "capacity_minors": m.capacity_minors,
                "services": sorted(m.services),
            }
            for m in instance.municipalities
        ],
        "scores": [
            {"household": h.id, "municipality": m.id, "score": float(scores[i, j])}
            for i, h in enumerate(instance.households)
            for j, m in enumerate(instance.municipalities)
            if scores[i, j] != 0
        ],
    }
