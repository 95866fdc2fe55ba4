"""CSV instances (docs/matching-format.md): a directory of households.csv, municipalities.csv and
optional scores.csv / instance.csv. Issue 4, acceptance 5: a malformed file gets an error naming the
file, the row (line) and the field; the command line exits with 2.
"""

from __future__ import annotations

import json

import pytest

from bro.settlement.matching.__main__ import main
from bro.settlement.matching.io import load_instance, save_csv_instance

HOUSEHOLDS = """id,size,adults,children,unaccompanied_minor,needs,tie_municipality,fixed_municipality,days_waited
h1,3,2,1,false,wheelchair;health,,,200
h2,1,0,1,true,,,,30
h3,2,2,0,,,1804,,
h4,1,0,1,yes,,,,
"""
MUNICIPALITIES = """id,capacity_persons,capacity_minors,services,housing_units
5401,5,1,wheelchair;health,0:1;2:1
1804,4,0,,
"""
SCORES = """household,municipality,score
h1,5401,1.4
h2,5401,0.3
h3,1804,1.1
h4,5401,0.25
"""


def write(directory, households=HOUSEHOLDS, municipalities=MUNICIPALITIES, scores=SCORES):
    directory.mkdir(exist_ok=True)
    for name, text in (("households", households), ("municipalities", municipalities), ("scores", scores)):
        if text is not None:
            path = directory / f"{name}.csv"
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
    return directory


def test_csv_directory_is_read_with_lists_housing_units_and_scores(tmp_path):
    instance = load_instance(write(tmp_path / "run"))
    h1, h2, h3, h4 = instance.households
    assert h1.needs == frozenset({"wheelchair", "health"}) and h1.days_waited == 200
    assert h2.unaccompanied_minor and h4.unaccompanied_minor and not h3.unaccompanied_minor
    assert h3.tie_municipality == "1804" and h3.fixed_municipality is None
    assert instance.municipalities[0].housing_units == {0: 1, 2: 1}
    assert instance.municipalities[1].housing_units is None
    assert instance.score_matrix[0, 0] == 1.4
    # The path of households.csv names the same instance.
    assert load_instance(tmp_path / "run" / "households.csv") == instance


def test_cli_solves_a_csv_directory(tmp_path):
    out = tmp_path / "result.json"
    assert main(["solve", str(write(tmp_path / "run")), "--out", str(out)]) == 0
    result = json.loads(out.read_text())
    assert {a["household"] for a in result["assignments"]} == {"h1", "h2", "h3"}
    assert [u["constraint"] for u in result["unassigned"]] == ["capacity_minors"]


def test_csv_round_trips_a_national_like_instance(tmp_path):
    import dataclasses

    from bro.demo.matching_instance import national_instance

    instance = national_instance(300, seed=2, n_municipalities=20).instance
    # with housing units by bedrooms where there is room, short of large units
    municipalities = tuple(
        dataclasses.replace(m, housing_units={1: m.capacity_persons // 3, 2: m.capacity_persons // 5, 4: 1})
        if m.capacity_persons
        else m
        for m in instance.municipalities
    )
    instance = dataclasses.replace(instance, municipalities=municipalities)
    save_csv_instance(instance, tmp_path / "out")
    again = load_instance(tmp_path / "out")
    assert again == instance
    assert (again.score_matrix == instance.score_matrix).all()
    assert again.wait_weight == instance.wait_weight


def test_right_to_left_ids_are_fine(tmp_path):
    households = "id,size,adults,children\nأسرة-١,2,2,0\n"
    municipalities = "id,capacity_persons\nבית-1,4\n"
    scores = "household,municipality,score\nأسرة-١,בית-1,0.7\n"
    instance = load_instance(write(tmp_path / "rtl", households, municipalities, scores))
    assert instance.households[0].id == "أسرة-١"
    out = tmp_path / "r.json"
    assert main(["solve", str(tmp_path / "rtl"), "--out", str(out)]) == 0
    assert json.loads(out.read_text())["assignments"] == [{"household": "أسرة-١", "municipality": "בית-1"}]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"households": HOUSEHOLDS.replace("h3,2,2,0,", "h3,,2,0,")},
            "households.csv line 4 (id 'h3'): field 'size' is missing",
        ),
        (
            {"households": HOUSEHOLDS.replace("h2,1,0,1", "h2,one,0,1")},
            "households.csv line 3: field 'size' must be a non-negative integer, got 'one'",
        ),
        (
            {"households": HOUSEHOLDS.replace("h4,1,0,1,yes", "h4,1,0,1,perhaps")},
            "households.csv line 5: field 'unaccompanied_minor' must be true or false, got 'perhaps'",
        ),
        (
            {"municipalities": MUNICIPALITIES.replace("0:1;2:1", "two rooms")},
            "municipalities.csv line 2: field 'housing_units' must be bedrooms:units pairs",
        ),
        (
            {"municipalities": MUNICIPALITIES.replace("1804,", "5401,")},
            "municipalities.csv line 3 (id '5401'): field 'id' is a duplicate",
        ),
        (
            {"scores": SCORES.replace("h4,5401", "h4,9999")},
            "scores.csv line 5: field 'municipality': unknown municipality '9999'",
        ),
        ({"scores": SCORES.replace("1.1", "high")}, "scores.csv line 4: field 'score' must be a number"),
        ({"households": ""}, "households.csv: file is empty"),
        ({"municipalities": None}, "municipalities.csv: file is missing"),
        (
            {"households": HOUSEHOLDS.replace("h4", "h\xe54").encode("latin-1")},
            "households.csv line 5: not UTF-8",
        ),
        (
            {"households": HOUSEHOLDS.replace("days_waited", "days")},
            "households.csv line 1: unknown column 'days'",
        ),
    ],
)
def test_malformed_csv_names_file_line_and_field_and_exits_with_2(tmp_path, capsys, files, expected):
    arguments = {"households": HOUSEHOLDS, "municipalities": MUNICIPALITIES, "scores": SCORES, **files}
    directory = write(tmp_path / "bad", **arguments)
    out = tmp_path / "result.json"
    assert main(["solve", str(directory), "--out", str(out)]) == 2
    assert expected in capsys.readouterr().err
    assert not out.exists()
