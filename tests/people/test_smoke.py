from bro.core.roles import Role
from bro.people.phases import Phase


def test_a_settled_person_is_seen_by_the_settlement_municipality(arrive, users, client):
    person = arrive(Phase.SETTLED)
    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    response = client.get(f"/persons/{person.id}/")
    assert response.status_code == 200
    assert "Haddad" in response.content.decode()
