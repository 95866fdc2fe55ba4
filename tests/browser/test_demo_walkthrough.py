"""Issue 2, acceptance 1, in a real browser: the demo municipal settlement officer logs in, sees that
municipality's persons, and opens a person whose page shows the timeline."""

from bro.core import policy
from bro.core.models import User
from bro.demo import generator
from bro.people.models import Person

from .conftest import log_in


def test_the_demo_municipal_settlement_officer_sees_harstads_persons_and_a_timeline(
    reference_data, new_context
):
    generator.build(persons=400)
    harstad = Person.objects.filter(responsible_organisation__name="Harstad kommune")
    assert harstad.exists()

    page = new_context().new_page()
    log_in(page, "harstad", generator.DEMO_PASSWORD)
    page.goto("/persons/")
    assert page.locator("h1").inner_text() == "Mine personer"
    rows = page.locator("#person-results tbody tr")
    assert rows.count() > 0
    # Everyone listed is in Harstad's care now (settled there, or living in the centre it hosts) or
    # shared with Harstad while it answers a proposal or a self-settlement request.
    officer = User.objects.get(username="harstad")
    expected = {
        f"{p.family_name}, {p.given_name}" for p in policy.visible_persons(officer, current_only=True)
    }
    shown = set(rows.locator("td:nth-child(1)").all_inner_texts())
    assert shown and shown <= expected
    responsible = set(rows.locator("td:nth-child(5)").all_inner_texts())
    assert "Harstad kommune" in responsible

    rows.first.locator("a").click()
    page.wait_for_load_state()
    assert page.locator("#timeline-heading").inner_text() == "Tidslinje"
    steps = page.locator(".bro-timeline__item")
    assert steps.count() >= 1
    assert page.locator('.bro-timeline__item[aria-current="step"]').count() == 1
