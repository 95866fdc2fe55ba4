"""The instance file format (docs/matching-format.md) and `python -m bro.settlement.matching solve`.

Issue 4, acceptance 5: the command-line solver reads the documented format; a malformed file gets an
error naming the row and field (exit code 2).
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest

from bro.settlement.matching.__main__ import main
from bro.settlement.matching.io import instance_from_dict, instance_to_dict

GOOD = {
    "format": "bro-matching/1",
    "wait_weight": 0.001,
    "households": [
        {"id": "h1", "size": 3, "adults": 2, "children": 1, "needs": ["wheelchair"], "days_waited": 200},
        {"id": "h2", "size": 1, "adults": 0, "children": 1, "unaccompanied_minor": True, "days_waited": 30},
        {"id": "h3", "size": 2, "adults": 2, "children": 0, "tie_municipality": "1804"},
        {"id": "h4", "size": 1, "adults": 0, "children": 1, "unaccompanied_minor": True},
    ],
    "municipalities": [
        {"id": "5401", "capacity_persons": 5, "capacity_minors": 1, "services": ["wheelchair"]},
        {"id": "1804", "capacity_persons": 4, "capacity_minors": 0, "services": []},
    ],
    "scores": [
        {"household": "h1", "municipality": "5401", "score": 1.4},
        {"household": "h2", "municipality": "5401", "score": 0.3},
        {"household": "h3", "municipality": "1804", "score": 1.1},
        {"household": "h4", "municipality": "5401", "score": 0.25},
    ],
}


def write(tmp_path, data, name="instance.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_solve_writes_assignments_bound_and_unassigned_households_with_reasons(tmp_path):
    out = tmp_path / "result.json"
    assert main(["solve", str(write(tmp_path, GOOD)), "--out", str(out)]) == 0
    result = json.loads(out.read_text())
    assert result["status"] == "optimal"
    assert {(a["household"], a["municipality"]) for a in result["assignments"]} == {
        ("h1", "5401"),
        ("h2", "5401"),
        ("h3", "1804"),
    }
    assert result["unassigned"] == [
        {
            "household": "h4",
            "constraint": "capacity_minors",
            "detail": "capacity for unaccompanied minors is used up in every municipality that could take it (1)",
        }
    ]
    assert result["objective"] == pytest.approx(1.4 + 0.2 + 0.3 + 0.03 + 1.1)
    assert result["lp_bound"] >= result["objective"] - 1e-9
    assert result["gap_pct"] < 0.1


def test_greedy_method_runs_from_the_command_line(tmp_path):
    out = tmp_path / "result.json"
    assert main(["solve", str(write(tmp_path, GOOD)), "--out", str(out), "--method", "greedy"]) == 0
    assert json.loads(out.read_text())["method"] == "greedy-fcfs"


def test_module_entry_point_runs(tmp_path):
    completed = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "bro.settlement.matching", "solve", str(write(tmp_path, GOOD))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["status"] == "optimal"
    assert "status=optimal" in completed.stderr


def broken(change):
    data = copy.deepcopy(GOOD)
    change(data)
    return data


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            broken(lambda d: d["households"][2].pop("size")),
            "households[2] (id 'h3'): field 'size' is missing",
        ),
        (
            broken(lambda d: d["households"][1].update(size="one")),
            "households[1] (id 'h2'): field 'size' must be a non-negative integer, got 'one'",
        ),
        (
            broken(lambda d: d["households"][0].update(needs="wheelchair")),
            "households[0] (id 'h1'): field 'needs' must be a list of strings",
        ),
        (
            broken(lambda d: d["households"][0].update(adults=3)),
            "households[0] (id 'h1'): field 'size' must equal adults + children (4), got 3",
        ),
        (
            broken(lambda d: d["municipalities"][1].update(capacity_minors=-1)),
            "municipalities[1] (id '1804'): field 'capacity_minors' must be a non-negative integer",
        ),
        (
            broken(lambda d: d["municipalities"][1].update(id="5401")),
            "municipalities[1] (id '5401'): field 'id' is a duplicate",
        ),
        (
            broken(lambda d: d["scores"][3].update(municipality="9999")),
            "scores[3]: field 'municipality': unknown municipality '9999'",
        ),
        (
            broken(lambda d: d["scores"][0].update(score="high")),
            "scores[0]: field 'score' must be a number, got 'high'",
        ),
        (broken(lambda d: d.pop("municipalities")), "field 'municipalities' is missing"),
        ('{"households": [', "not valid JSON: line 1"),
    ],
)
def test_malformed_file_is_refused_naming_row_and_field(tmp_path, capsys, data, expected):
    out = tmp_path / "result.json"
    assert main(["solve", str(write(tmp_path, data)), "--out", str(out)]) == 2
    assert expected in capsys.readouterr().err
    assert not out.exists()


def test_format_round_trips():
    instance = instance_from_dict(GOOD)
    assert instance_from_dict(instance_to_dict(instance)) == instance
    assert (instance_from_dict(instance_to_dict(instance)).score_matrix == instance.score_matrix).all()
