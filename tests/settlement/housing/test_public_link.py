def test_every_page_links_to_the_public_self_settlement_overview(client, db):
    """002:L288–294: refugees and reception centres must find the terms without an account."""
    login = client.get("/login/").content.decode()
    assert 'href="/housing/self-settlement/"' in login
    assert client.get("/housing/self-settlement/").status_code == 200
