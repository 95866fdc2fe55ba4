"""Onboarding rules (bro/volunteering/rules.py): each activity needs only its own steps, so nobody waits
six weeks for everything before anything (003:L2309); work with children needs a police certificate
(DOMAIN §9)."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from bro.volunteering import rules

DAY = datetime.date(2026, 11, 1)


def test_an_activity_without_requirements_can_start_at_once():
    """003:L2309: a volunteer can start at once where nothing is required."""
    assert rules.missing_steps(rules.Requirements(), None, DAY) == ()
    assert rules.may_start(rules.Requirements(), None, DAY)


def test_children_need_the_police_certificate_and_nothing_else_follows_from_it():
    """DOMAIN §9: work with children requires a police certificate."""
    children = rules.Requirements(involves_children=True)
    assert rules.missing_steps(children, rules.Progress(information_meeting=DAY, training=DAY), DAY) == (
        rules.POLICE_CERTIFICATE,
    )
    assert rules.may_start(children, rules.Progress(police_certificate=DAY), DAY)


def test_steps_are_reported_in_onboarding_order():
    everything = rules.Requirements(
        information_meeting=True, training=True, involves_children=True, commitment=True
    )
    assert rules.missing_steps(everything, None, DAY) == rules.STEPS
    done = rules.Progress(information_meeting=DAY, commitment=DAY)
    assert rules.missing_steps(everything, done, DAY) == (rules.TRAINING, rules.POLICE_CERTIFICATE)


def test_a_step_dated_in_the_future_is_not_done_yet():
    meeting = rules.Requirements(information_meeting=True)
    tomorrow = DAY + datetime.timedelta(days=1)
    assert rules.missing_steps(meeting, rules.Progress(information_meeting=tomorrow), DAY) == (
        rules.INFORMATION_MEETING,
    )


def test_a_police_certificate_counts_for_36_months_and_then_must_be_renewed():
    """[assumption] rates/onboarding.yaml: 36 months; the day before the anniversary is the last day."""
    checked = datetime.date(2024, 2, 29)
    assert rules.police_certificate_valid_until(checked) == datetime.date(2027, 2, 27)
    children = rules.Requirements(involves_children=True)
    progress = rules.Progress(police_certificate=checked)
    assert rules.may_start(children, progress, datetime.date(2027, 2, 27))
    assert not rules.may_start(children, progress, datetime.date(2027, 2, 28))


@given(
    requirements=st.builds(rules.Requirements, st.booleans(), st.booleans(), st.booleans(), st.booleans()),
    done=st.lists(st.sampled_from(rules.STEPS), unique=True),
)
def test_doing_a_step_never_adds_a_missing_step(requirements, done):
    before = rules.missing_steps(requirements, None, DAY)
    after = rules.missing_steps(requirements, rules.Progress(**{step: DAY for step in done}), DAY)
    assert set(after) <= set(before)
    assert set(before) - set(after) == set(done) & set(requirements.steps())
