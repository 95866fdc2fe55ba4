"""The person page links to the training record, which follows the person after settlement (002:L91)."""

from bro.core.roles import Role
from bro.people.phases import Phase
from bro.reception.models import TrainingWeek
from tests.conftest import days_ago


def test_the_person_page_links_to_training_in_reception_and_the_link_follows_the_person(
    arrive, users, client, chain
):
    resident = arrive(Phase.RECEPTION)
    client.force_login(users[Role.RECEPTION_STAFF])
    page = client.get(f"/persons/{resident.id}/").content.decode()
    assert f"/reception/persons/{resident.id}/training/" in page

    settled = arrive(Phase.SETTLED, given_name="Karim", duf_number="", national_identity_number="")
    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    link = f"/reception/persons/{settled.id}/training/"
    assert link not in client.get(f"/persons/{settled.id}/").content.decode()  # nothing recorded
    week = days_ago(250).isocalendar()
    TrainingWeek.objects.create(
        person=settled,
        iso_year=week[0],
        iso_week=week[1],
        hours_offered=10,
        hours_attended=8,
        organisation=chain.centre_harstad,
    )
    assert link in client.get(f"/persons/{settled.id}/").content.decode()
    assert client.get(link).status_code == 200
