"""One household's explanation: its municipality and value, the next best ones, what ruled others out.

Issue 4: "each proposal shows the predicted outcome, the next best municipalities with their
predictions, and which constraints ruled others out".
"""

from __future__ import annotations

from bro.settlement.matching import Household, Instance, Municipality, solve
from bro.settlement.matching.explain import explain_household


def test_explanation_names_choice_alternatives_and_every_rule_that_ruled_municipalities_out():
    municipalities = (
        Municipality("best", capacity_persons=3, services=frozenset({"health"})),
        Municipality("second", capacity_persons=10, services=frozenset({"health"})),
        Municipality("third", capacity_persons=10, services=frozenset({"health"})),
        Municipality("no-health", capacity_persons=10),
        Municipality("too-small", capacity_persons=2, services=frozenset({"health"})),
        Municipality("no-flat", capacity_persons=10, services=frozenset({"health"}), housing_units={1: 4}),
        Municipality("taken", capacity_persons=3, services=frozenset({"health"})),
    )
    family = Household("family", 3, 2, 1, needs=frozenset({"health"}))
    rival = Household("rival", 3, 2, 1)
    scores = {
        ("family", m.id): v for m, v in zip(municipalities, (2.0, 1.5, 1.2, 3.0, 3.0, 3.0, 1.8), strict=True)
    }
    scores[("rival", "taken")] = 5.0
    instance = Instance((family, rival), municipalities, scores=scores)
    result = solve(instance)
    assert result.assignments == {"family": "best", "rival": "taken"}

    explanation = explain_household(instance, 0, result, top=2)

    assert explanation["municipality"] == "best"
    assert explanation["value"] == 2.0
    assert explanation["rooms_needed"] == 2
    # "taken" (1.8) would be next best, but the rival fills it: listed, flagged without room.
    assert [(a["municipality"], a["has_room"]) for a in explanation["alternatives"]] == [
        ("taken", False),
        ("second", True),
    ]
    assert explanation["alternatives"][1]["value_difference"] == -0.5
    ruled = {rule: (entry["count"], entry["examples"]) for rule, entry in explanation["ruled_out"].items()}
    assert ruled == {
        "needs": (1, ["no-health"]),
        "capacity_persons": (1, ["too-small"]),
        "housing_units": (1, ["no-flat"]),
        "full": (1, ["taken"]),
    }
    assert explanation["unassigned"] is None


def test_unassigned_minor_explanation_carries_the_reason_and_the_tie_rule():
    municipalities = (
        Municipality("yes", capacity_persons=5, capacity_minors=1),
        Municipality("no", capacity_persons=5, capacity_minors=0),
    )
    minors = (
        Household("a", 1, 0, 1, unaccompanied_minor=True, days_waited=9),
        Household("b", 1, 0, 1, unaccompanied_minor=True),
    )
    tied = Household("tied", 1, 1, 0, tie_municipality="no")
    instance = Instance((*minors, tied), municipalities, scores={}, wait_weight=0.01)
    result = solve(instance)

    second = explain_household(instance, 1, result)
    assert second["municipality"] is None and second["value"] is None
    assert second["unassigned"]["constraint"] == "capacity_minors"
    assert second["ruled_out"]["capacity_minors"]["examples"] == ["no"]
    assert second["ruled_out"]["full"]["examples"] == ["yes"]
    assert explain_household(instance, 2, result)["ruled_out"]["tie"] == {
        "name": "family or network tie to another municipality",
        "count": 1,
        "examples": ["yes"],
    }
