"""The settlement pages: thin views over the services; bad input shows errors and changes nothing."""

import pytest
from django.utils import timezone

from bro.core.models import Membership
from bro.core.roles import Role
from bro.people.phases import Phase
from bro.settlement import services
from bro.settlement.models import CouncilDecision, ProposalStatus, SettlementProposal, SettlementRequest
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def test_the_directorate_overview_shows_request_decision_settled_and_a_chart(client, users, chain, actors):
    year = timezone.localdate().year
    services.send_request(
        actors["imdi"],
        year=year,
        municipality=chain.harstad,
        persons=20,
        unaccompanied_minors=6,
        sent_on=timezone.localdate(),
    )
    services.record_decision(
        actors["harstad"],
        municipality=chain.harstad,
        year=year,
        persons=10,
        unaccompanied_minors=0,
        decided_on=timezone.localdate(),
        body="council",
    )
    page = (
        _login(client, users[Role.NATIONAL_SETTLEMENT_OFFICER]).get("/settlement/overview/").content.decode()
    )
    assert "Harstad kommune" in page and "<svg" in page and 'role="img"' in page
    assert "-10 mot anmodningen" in page  # decided 10 of 20 requested, in bokmål
    assert "<caption" in page
    earlier = client.get(f"/settlement/overview/?year={year - 1}").content.decode()
    assert "Harstad kommune" not in earlier.split("<caption")[1]
    assert client.get("/settlement/overview/?year=abc").status_code == 200


def test_directorate_leadership_sees_the_overview_municipal_leadership_does_not(client, chain, users):
    leader = make_user("imdi-leader", chain.directorate, Role.LEADERSHIP)
    assert _login(client, leader).get("/settlement/overview/").status_code == 200
    assert _login(client, users[Role.LEADERSHIP]).get("/settlement/overview/").status_code == 403


def test_the_municipality_overview_shows_request_decision_and_the_flag(
    client, users, chain, actors, arrive, settle_through_proposal, family_reunified
):
    year = timezone.localdate().year
    services.send_request(
        actors["imdi"],
        year=year,
        municipality=chain.harstad,
        persons=20,
        unaccompanied_minors=0,
        sent_on=timezone.localdate(),
    )
    services.send_request(
        actors["imdi"],
        year=year,
        municipality=chain.harstad,
        persons=22,
        unaccompanied_minors=0,
        sent_on=timezone.localdate(),
    )
    services.record_decision(
        actors["harstad"],
        municipality=chain.harstad,
        year=year,
        persons=1,
        unaccompanied_minors=0,
        decided_on=timezone.localdate(),
        body="council",
    )
    settle_through_proposal(arrive(Phase.READY_FOR_SETTLEMENT, given_name="Ein"))
    family_reunified()
    settle_through_proposal(arrive(Phase.READY_FOR_SETTLEMENT, given_name="To"))
    pending = arrive(Phase.READY_FOR_SETTLEMENT, given_name="Ventende")
    services.propose(actors["imdi"], pending, municipality=chain.harstad)
    page = (
        _login(client, users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
        .get("/settlement/municipality/")
        .content.decode()
    )
    assert "22 personer" in page and "revisjon 2" in page  # the current request and its history
    assert "2 ordinære og 1 familiegjenforente" in page
    assert "Flere bosatt enn vedtatt" in page
    assert "Ventende Haddad" in page  # proposals awaiting the answer
    assert "Ein Haddad" in page  # settled, without housing (the housing app knows of none)
    client.cookies["django_language"] = "en"
    assert "More settled than decided" in client.get("/settlement/municipality/").content.decode()


def test_a_request_and_its_bad_input(client, users, chain):
    client = _login(client, users[Role.NATIONAL_SETTLEMENT_OFFICER])
    year = timezone.localdate().year
    bad = client.post(
        "/settlement/requests/new/",
        {
            "year": year,
            "municipality_number": "9999",
            "persons": 5,
            "unaccompanied_minors": 0,
            "sent_on": "2025-01-01",
        },
    )
    assert bad.status_code == 400 and 'data-testid="error-summary"' in bad.content.decode()
    bad = client.post(
        "/settlement/requests/new/",
        {
            "year": year,
            "municipality_number": "5503",
            "persons": 5,
            "unaccompanied_minors": 9,
            "sent_on": "2025-01-01",
        },
    )
    assert bad.status_code == 400 and "flere enslige mindreårige enn personer" in bad.content.decode()
    assert not SettlementRequest.objects.exists()
    ok = client.post(
        "/settlement/requests/new/",
        {
            "year": year,
            "municipality_number": "5503",
            "persons": 40,
            "unaccompanied_minors": 0,
            "sent_on": "2025-01-01",
        },
    )
    assert ok.status_code == 302
    assert SettlementRequest.objects.get().municipality == chain.harstad


def test_the_national_need_form_saves_the_county_split(client, users):
    client = _login(client, users[Role.NATIONAL_SETTLEMENT_OFFICER])
    assert "Fordeling på fylker" in client.get("/settlement/need/").content.decode()
    year = timezone.localdate().year
    response = client.post(
        "/settlement/need/",
        {
            "year": year,
            "persons": 100,
            "unaccompanied_minors": 5,
            "county_55_persons": 200,
            "county_55_unaccompanied_minors": 0,
        },
    )
    assert response.status_code == 400
    response = client.post(
        "/settlement/need/",
        {
            "year": year,
            "persons": 100,
            "unaccompanied_minors": 5,
            "county_55_persons": 60,
            "county_55_unaccompanied_minors": 2,
        },
    )
    assert response.status_code == 302


def test_the_decision_form_records_the_own_municipalitys_decision(client, users, chain):
    client = _login(client, users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    year = timezone.localdate().year
    data = {
        "municipality": str(chain.harstad.pk),
        "year": year,
        "persons": 49,
        "unaccompanied_minors": 0,
        "decided_on": timezone.localdate().isoformat(),
        "body": "council",
        "reference": "PS 1/26",
    }
    assert (
        client.post("/settlement/decisions/new/", {**data, "municipality": str(chain.tromso.pk)}).status_code
        == 400
    )
    assert client.post("/settlement/decisions/new/", {**data, "decided_on": "2999-01-01"}).status_code == 400
    assert not CouncilDecision.objects.exists()
    assert client.post("/settlement/decisions/new/", data).status_code == 302
    assert CouncilDecision.objects.get().persons == 49


def test_the_interview_page_completes_the_interview(client, users, arrive):
    person = arrive(Phase.PERMIT_GRANTED)
    client = _login(client, users[Role.RECEPTION_STAFF])
    url = f"/settlement/interviews/{person.pk}/"
    assert "Helsebehov" in client.get(url).content.decode()
    bad = client.post(
        url, {"conducted_on": timezone.localdate().isoformat(), "health_needs": "Astma", "complete": "on"}
    )
    assert bad.status_code == 400 and "samtykke" in bad.content.decode()
    ok = client.post(
        url,
        {
            "conducted_on": timezone.localdate().isoformat(),
            "education": "Ingeniør",
            "health_needs": "Astma",
            "health_consent_date": timezone.localdate().isoformat(),
            "wishes": "Nær sjøen",
            "complete": "on",
        },
    )
    assert ok.status_code == 302
    person.refresh_from_db()
    assert person.current_phase == Phase.READY_FOR_SETTLEMENT
    page = client.get(url).content.decode()
    assert "Ingeniør" in page and "Fullført" in page and '<form method="post" class' not in page
    # The directorate is responsible now and reads the interview; it cannot change it.
    client.force_login(users[Role.NATIONAL_SETTLEMENT_OFFICER])
    assert "Nær sjøen" in client.get(url).content.decode()
    assert client.post(url, {"conducted_on": timezone.localdate().isoformat()}).status_code == 403


def test_propose_answer_and_settle_through_the_pages(client, users, chain, arrive):
    person = arrive(Phase.READY_FOR_SETTLEMENT, given_name="Klar")
    imdi = _login(client, users[Role.NATIONAL_SETTLEMENT_OFFICER])
    ready = imdi.get("/settlement/ready/").content.decode()
    assert "Klar Haddad" in ready and f"/settlement/ready/{person.pk}/propose/" in ready
    assert (
        imdi.post(f"/settlement/ready/{person.pk}/propose/", {"municipality_number": "0000"}).status_code
        == 400
    )
    response = imdi.post(f"/settlement/ready/{person.pk}/propose/", {"municipality_number": "5503"})
    proposal = SettlementProposal.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/settlement/proposals/{proposal.pk}/"

    officer = users[Role.MUNICIPAL_SETTLEMENT_OFFICER]
    client.force_login(officer)
    page = client.get(f"/settlement/proposals/{proposal.pk}/").content.decode()
    assert "Svar på forslaget" in page and "Klar Haddad" in page
    assert (
        client.post(f"/settlement/proposals/{proposal.pk}/answer/", {"answer": "decline"}).status_code == 400
    )
    assert (
        client.post(f"/settlement/proposals/{proposal.pk}/answer/", {"answer": "accept"}).status_code == 302
    )
    assert (
        client.post(f"/settlement/proposals/{proposal.pk}/settle/", {"date": "2999-01-01"}).status_code == 400
    )
    today = timezone.localdate().isoformat()
    assert client.post(f"/settlement/proposals/{proposal.pk}/settle/", {"date": today}).status_code == 302
    proposal.refresh_from_db()
    person.refresh_from_db()
    assert proposal.status == ProposalStatus.SETTLED and person.current_phase == Phase.SETTLED


def test_another_municipality_cannot_see_the_proposal(client, users, chain, arrive, actors):
    proposal = services.propose(
        actors["imdi"], arrive(Phase.READY_FOR_SETTLEMENT), municipality=chain.harstad
    )
    tromso = make_user("t-officer", chain.tromso, Role.MUNICIPAL_SETTLEMENT_OFFICER)
    client.force_login(tromso)
    assert client.get(f"/settlement/proposals/{proposal.pk}/").status_code == 404
    assert (
        client.post(f"/settlement/proposals/{proposal.pk}/answer/", {"answer": "accept"}).status_code == 404
    )


def test_the_waiting_list_shows_who_is_over_the_target_and_for_how_long(client, users, arrive):
    arrive(Phase.READY_FOR_SETTLEMENT, given_name="Lenge")  # permit 300 days ago: over 6 months
    page = (
        _login(client, users[Role.NATIONAL_SETTLEMENT_OFFICER]).get("/settlement/waiting/").content.decode()
    )
    assert "Haddad, Lenge" in page and "300 dager" in page and "dager over" in page
    reception = _login(client, users[Role.RECEPTION_STAFF]).get("/settlement/waiting/").content.decode()
    assert "/settlement/interviews/" in reception


def test_menu_entries_follow_the_roles(client, users, chain):
    expected = {
        Role.NATIONAL_SETTLEMENT_OFFICER: {
            "/settlement/overview/",
            "/settlement/ready/",
            "/settlement/waiting/",
        },
        Role.MUNICIPAL_SETTLEMENT_OFFICER: {"/settlement/municipality/", "/settlement/waiting/"},
        Role.RECEPTION_STAFF: {"/settlement/waiting/"},
        Role.TEACHER: set(),
        Role.LEADERSHIP: set(),
        Role.VOLUNTEER: set(),
        Role.ADMINISTRATOR: set(),
    }
    for role, urls in expected.items():
        client.force_login(users[role])
        page = client.get("/").content.decode()
        nav = page.split('aria-label="Hovedmeny"')[1].split("</nav>")[0] if "Hovedmeny" in page else page
        found = {
            u
            for u in (
                "/settlement/overview/",
                "/settlement/ready/",
                "/settlement/waiting/",
                "/settlement/municipality/",
            )
            if f'href="{u}"' in nav
        }
        assert found == urls, role
    assert Membership.objects.exists()


def test_the_person_page_link_to_the_interview(rf, users, arrive, actors):
    from bro.core import policy
    from bro.settlement.links import person_links

    person = arrive(Phase.PERMIT_GRANTED)
    request = rf.get("/")
    request.user = users[Role.RECEPTION_STAFF]
    access = policy.access_to_person(request.user, person)
    assert person_links(request, person, access) == [
        (f"/settlement/interviews/{person.pk}/", "Gjennomfør bosettingssamtalen")
    ]
    request.user = users[
        Role.MUNICIPAL_SETTLEMENT_OFFICER
    ]  # reads the person (host municipality), no interview yet
    assert person_links(request, person, policy.access_to_person(request.user, person)) == []
    services.save_interview(
        actors["reception"], person, services.InterviewInput(conducted_on=timezone.localdate()), complete=True
    )
    assert (
        person_links(request, person, policy.access_to_person(request.user, person))[0][1]
        == "Bosettingssamtale"
    )
