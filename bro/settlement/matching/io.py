"""Read and write matching instances in the JSON or CSV format of docs/matching-format.md.

Every error names the row (JSON: list and index; CSV: file and line; with the id where there is one)
and the field, so that whoever exported the file can find the line to fix.
"""

from __future__ import annotations

import csv
import io
import json
import re
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
        "units": value is None
        or (
            isinstance(value, dict)
            and all(isinstance(k, str) and k.isdigit() for k in value)
            and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value.values())
        ),
    }[kind]
    if not ok:
        expected = {
            "str": "a non-empty string",
            "int": "a non-negative integer",
            "bool": "true or false",
            "number": "a number",
            "optional str": "a non-empty string or null",
            "str list": "a list of strings",
            "units": 'null or an object of bedrooms to units, e.g. {"1": 3, "2": 5}',
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


def instance_from_dict(data: object, where=_where) -> Instance:
    """Build an instance from the JSON structure; ``where(section, index, row)`` names a row in errors."""
    if not isinstance(data, dict):
        raise InstanceFormatError("the file must hold one JSON object")
    if data.get("format", FORMAT) != FORMAT:
        raise InstanceFormatError(f"field 'format' must be {FORMAT!r}, got {data['format']!r}")
    where_ = where
    wait_weight = _field(data, "instance", "wait_weight", "number", required=False, default=0.0)

    households = []
    for index, row in enumerate(_rows(data, "households")):
        where = where_("households", index, row)
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
        where = where_("municipalities", index, row)
        units = _field(row, where, "housing_units", "units", required=False)
        municipalities.append(
            Municipality(
                id=_field(row, where, "id", "str"),
                capacity_persons=_field(row, where, "capacity_persons", "int"),
                capacity_minors=_field(row, where, "capacity_minors", "int", required=False, default=0),
                services=frozenset(_field(row, where, "services", "str list", required=False, default=[])),
                housing_units=None if units is None else {int(k): v for k, v in units.items()},
            )
        )

    for section, items in (("households", households), ("municipalities", municipalities)):
        seen = set()
        for index, item in enumerate(items):
            if item.id in seen:
                place = where_(section, index, {"id": item.id})
                raise InstanceFormatError(f"{place}: field 'id' is a duplicate")
            seen.add(item.id)

    household_ids = {h.id for h in households}
    municipality_ids = {m.id for m in municipalities}
    scores: dict[tuple[str, str], float] = {}
    for index, row in enumerate(_rows(data, "scores", required=False)):
        where = where_("scores", index, {})
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
    """A JSON file, or a CSV directory (or the path of its ``households.csv``)."""
    path = Path(path)
    if path.is_dir():
        return load_csv_instance(path)
    if path.suffix.lower() == ".csv":
        return load_csv_instance(path.parent)
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
                "housing_units": (
                    None
                    if m.housing_units is None
                    else {str(k): v for k, v in sorted(m.housing_units.items())}
                ),
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


# CSV: one file per section; list columns hold ``;``-separated values (see docs/matching-format.md).
CSV_COLUMNS = {
    "households": {
        "id": "str",
        "size": "int",
        "adults": "int",
        "children": "int",
        "unaccompanied_minor": "bool",
        "needs": "str list",
        "tie_municipality": "optional str",
        "fixed_municipality": "optional str",
        "days_waited": "int",
    },
    "municipalities": {
        "id": "str",
        "capacity_persons": "int",
        "capacity_minors": "int",
        "services": "str list",
        "housing_units": "units",
    },
    "scores": {"household": "str", "municipality": "str", "score": "number"},
    "instance": {"format": "str", "wait_weight": "number"},
}
_BOOLS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
_EXPECTED = {
    "int": "a non-negative integer",
    "number": "a number",
    "bool": "true or false",
    "units": "bedrooms:units pairs separated by ';', e.g. 1:3;2:5",
}


def _csv_value(text: str, kind: str):
    """The typed value of one CSV cell, ``None`` for an empty optional cell; ValueError when malformed."""
    text = text.strip()
    if kind in ("str", "optional str"):
        return text or None
    if kind == "str list":
        return [part.strip() for part in text.split(";") if part.strip()]
    if text == "":
        return None
    if kind == "int":
        if not re.fullmatch(r"\d+", text):
            raise ValueError
        return int(text)
    if kind == "number":
        return float(text)
    if kind == "bool":
        return _BOOLS[text.lower()]
    units = {}
    for part in text.split(";"):
        rooms, _, count = part.partition(":")
        if not re.fullmatch(r"\d+", rooms.strip()) or not re.fullmatch(r"\d+", count.strip()):
            raise ValueError
        units[rooms.strip()] = int(count)
    return units


def _read_csv(path: Path, section: str, *, required: bool) -> tuple[list[dict], list[str]]:
    """Rows of one CSV file as typed dictionaries, and a description of each row for error messages."""
    if not path.exists():
        if required:
            raise InstanceFormatError(f"{path.name}: file is missing")
        return [], []
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InstanceFormatError(
            f"{path.name} line {line}: not UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start})"
        ) from error
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = CSV_COLUMNS[section]
    if not reader.fieldnames:
        raise InstanceFormatError(f"{path.name}: file is empty (expected a header line)")
    header = [name.strip() for name in reader.fieldnames]
    unknown = [name for name in header if name not in columns]
    if unknown:
        raise InstanceFormatError(f"{path.name} line 1: unknown column {unknown[0]!r}")
    rows, places = [], []
    for raw_row in reader:
        line = reader.line_num
        row = {}
        for name, cell in zip(header, (raw_row.get(f) for f in reader.fieldnames), strict=True):
            if cell is None:
                raise InstanceFormatError(f"{path.name} line {line}: field {name!r} is missing (short row)")
            try:
                value = _csv_value(cell, columns[name])
            except (ValueError, KeyError):
                raise InstanceFormatError(
                    f"{path.name} line {line}: field {name!r} must be {_EXPECTED[columns[name]]}, got {cell!r}"
                ) from None
            if value is not None:
                row[name] = value
        if None in raw_row:
            raise InstanceFormatError(f"{path.name} line {line}: more fields than columns in the header")
        rows.append(row)
        place = f"{path.name} line {line}"
        places.append(place + (f" (id {row['id']!r})" if isinstance(row.get("id"), str) else ""))
    return rows, places


def load_csv_instance(directory: str | Path) -> Instance:
    """An instance from ``households.csv``, ``municipalities.csv`` and optional ``scores.csv`` and
    ``instance.csv`` (one row: ``format``, ``wait_weight``) in ``directory``."""
    directory = Path(directory)
    data: dict = {}
    places: dict[str, list[str]] = {}
    for section, required in (("households", True), ("municipalities", True), ("scores", False)):
        data[section], places[section] = _read_csv(directory / f"{section}.csv", section, required=required)
    settings, _ = _read_csv(directory / "instance.csv", "instance", required=False)
    if len(settings) > 1:
        raise InstanceFormatError("instance.csv line 3: expected one row")
    if settings:
        data.update(settings[0])
    return instance_from_dict(data, where=lambda section, index, row: places[section][index])


def save_csv_instance(instance: Instance, directory: str | Path) -> None:
    """Write ``instance`` as a CSV directory (the inverse of ``load_csv_instance``)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    data = instance_to_dict(instance)

    def cell(value):
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list):
            return ";".join(value)
        if isinstance(value, dict):
            return ";".join(f"{k}:{v}" for k, v in value.items())
        return str(value)

    for section in ("households", "municipalities", "scores"):
        with (directory / f"{section}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            columns = list(CSV_COLUMNS[section])
            writer.writerow(columns)
            for row in data[section]:
                writer.writerow([cell(row.get(name)) for name in columns])
    with (directory / "instance.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["format", "wait_weight"], [FORMAT, repr(instance.wait_weight)]])
