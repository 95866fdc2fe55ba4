"""The access matrix for the core volunteering pages: sign-up, My volunteering, volunteers and onboarding,
surges, needs, public needs, activities and the overview — every page and write × every role, a second
volunteer, a volunteer coordinator elsewhere (Tromsø frivilligsentral), a municipality's own volunteer
coordinator (Harstad kommune), a settlement officer of another municipality (Tromsø) and an anonymous visitor.

The expectations are the rules of bro/volunteering/permissions.py's docstring (and of the selectors' and views'
docstrings), written out here by hand; the permission code is never asked:

* **coordinators** (volunteer coordinators, wherever they work) manage their own organisation's volunteers,
  onboarding and activities; they see the volunteers who live in or travel to the municipality of one of their
  organisations, or onboard with one of them (a volunteer they may not see answers 404, an organisation they
  do not keep 403); only those of a volunteer organisation or centre **answer needs**;
* **need publishers** — a municipality's settlement officers, programme advisers, volunteer coordinators and
  administrators, a reception centre's staff — publish needs and change their own organisation's needs;
  publishers and coordinators use the staff pages of needs; open public needs are for anyone, without login;
* **a volunteer** sees and changes their own sign-up (404 without one), answers their own offers, and sees the
  activities they take part in;
* **surges** are declared and ended by their organisation's publishers; the queue is for coordinators and
  publishers, and bulk assignment for those whose surge it is (declared by their organisation, or in the
  municipality of an organisation whose volunteers they coordinate);
* **activities** are seen by their organiser's and partners' coordinators, the volunteers taking part, the
  staff of the reception centre they are held at, and whoever sees the overview of their municipality; the
  **overview** by a municipality's staff, leadership and coordinators for their municipality and by the
  directorate (administrators, national settlement officers) for every municipality;
* anyone may sign up; anonymous visitors get the login page for everything else.

A write changes data exactly when it succeeds (each request runs in a savepoint that is rolled back).
``test_the_matrix_covers_every_volunteering_url`` fails when a URL is added to bro/volunteering/urls.py
without being added here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from bro.core.models import AuditAction, AuditEntry, Membership, User
from bro.core.municipalities import municipality_by_number
from bro.core.roles import Role
from bro.people.services import Actor
from bro.volunteering.models import (
    Activity,
    Need,
    NeedAssignment,
    NeedResponse,
    Onboarding,
    Surge,
    Volunteer,
)
from bro.volunteering.services import needs as need_services
from bro.volunteering.services import volunteers as volunteer_services
from tests.conftest import days_ago
from tests.volunteering.principals import (
    ANONYMOUS,
    COORDINATOR_ELSEWHERE,
    MUNICIPAL_COORDINATOR,
    OTHER_VOLUNTEER,
    STAFF_ELSEWHERE,
    extra_principals,
)

pytestmark = pytest.mark.django_db

R = Role
KARI = "Haugland"  # the family name of the volunteer Kari: personal data, shown only where the rules say
LABELS = [*Role.values, OTHER_VOLUNTEER, COORDINATOR_ELSEWHERE, MUNICIPAL_COORDINATOR, STAFF_ELSEWHERE]

# --- the rules, by hand --------------------------------------------------------------------------------
SIGNED_UP = {R.VOLUNTEER, OTHER_VOLUNTEER}
COORDINATORS = {R.VOLUNTEER_COORDINATOR, COORDINATOR_ELSEWHERE, MUNICIPAL_COORDINATOR}
ANSWERERS = {R.VOLUNTEER_COORDINATOR, COORDINATOR_ELSEWHERE}  # of a volunteer organisation or centre
HARSTAD_PUBLISHERS = {R.MUNICIPAL_SETTLEMENT_OFFICER, R.PROGRAMME_ADVISER, MUNICIPAL_COORDINATOR}
PUBLISHERS = HARSTAD_PUBLISHERS | {R.RECEPTION_STAFF, STAFF_ELSEWHERE}
NEED_STAFF = PUBLISHERS | COORDINATORS
HARSTAD_OVERVIEW = {R.MUNICIPAL_SETTLEMENT_OFFICER, R.PROGRAMME_ADVISER, R.LEADERSHIP, MUNICIPAL_COORDINATOR}
NATIONAL_OVERVIEW = {R.ADMINISTRATOR, R.NATIONAL_SETTLEMENT_OFFICER}
TROMSO_OVERVIEW = {STAFF_ELSEWHERE}
OVERVIEW = HARSTAD_OVERVIEW | NATIONAL_OVERVIEW | TROMSO_OVERVIEW
# Kari and Nora live in Harstad: the coordinators with an organisation there see them; Ola lives in Tromsø.
SEES_HARSTAD_VOLUNTEERS = {R.VOLUNTEER_COORDINATOR, MUNICIPAL_COORDINATOR}
SEES_OLA = {COORDINATOR_ELSEWHERE}
# The centre's café in Harstad, held at Harstad mottak with Tromsø frivilligsentral as partner, Kari in it.
SEES_CAFE = (
    {R.VOLUNTEER_COORDINATOR, COORDINATOR_ELSEWHERE, R.VOLUNTEER, R.RECEPTION_STAFF}
    | HARSTAD_OVERVIEW
    | NATIONAL_OVERVIEW
)
# Tromsø frivilligsentral's walk in Tromsø: nobody takes part, no partners.
SEES_WALK = {COORDINATOR_ELSEWHERE} | TROMSO_OVERVIEW | NATIONAL_OVERVIEW
KEEPS = {"cafe": {R.VOLUNTEER_COORDINATOR}, "walk": {COORDINATOR_ELSEWHERE}}
SEES = {"cafe": SEES_CAFE, "walk": SEES_WALK}
# The activity list opens for coordinators, the overview's readers and whoever sees one activity.
ACTIVITY_LIST = COORDINATORS | OVERVIEW | {R.VOLUNTEER, R.RECEPTION_STAFF}
# The active surge was declared by Harstad mottak (Harstad): its staff, and Harstad's coordinators.
IN_SURGE = {R.RECEPTION_STAFF, R.VOLUNTEER_COORDINATOR, MUNICIPAL_COORDINATOR}
# Declaring: every publisher, but an organisation with an active surge cannot declare another (400).
DECLARE_REFUSED_AS_INPUT = {R.RECEPTION_STAFF}

# Each principal's first organisation in each capacity (for the forms they post).
COORDINATED_ORG = {
    R.VOLUNTEER_COORDINATOR: "volunteer_centre",
    COORDINATOR_ELSEWHERE: "tromso_centre",
    MUNICIPAL_COORDINATOR: "harstad",
}
PUBLISHING_ORG = {
    R.MUNICIPAL_SETTLEMENT_OFFICER: "harstad",
    R.PROGRAMME_ADVISER: "harstad",
    MUNICIPAL_COORDINATOR: "harstad",
    R.RECEPTION_STAFF: "centre_harstad",
    STAFF_ELSEWHERE: "tromso",
}


def _routes():
    from bro.volunteering.urls import urlpatterns

    return {p.name for p in urlpatterns}


# --- the world -----------------------------------------------------------------------------------------


@dataclass
class World:
    orgs: dict
    users: dict
    kari: Volunteer
    ola: Volunteer
    nora: Volunteer
    need: Need
    hidden_need: Need
    offer: NeedAssignment
    surge: Surge
    activities: dict
    harstad: object
    tromso: object


@pytest.fixture
def world(chain, users, make_volunteer):
    harstad, tromso = municipality_by_number("5503"), municipality_by_number("5501")
    found, tromso_centre = extra_principals(chain, users)
    ola_user = found[OTHER_VOLUNTEER]
    orgs = {
        "harstad": chain.harstad,
        "tromso": chain.tromso,
        "centre_harstad": chain.centre_harstad,
        "volunteer_centre": chain.volunteer_centre,
        "volunteer_org": chain.volunteer_org,
        "tromso_centre": tromso_centre,
    }
    coordinator = users[R.VOLUNTEER_COORDINATOR]
    surge = volunteer_services.declare_surge(
        users[R.RECEPTION_STAFF], chain.centre_harstad, message="Mange kommer nå", today=days_ago(1)
    )
    kari = make_volunteer(
        user=users[R.VOLUNTEER], given_name="Kari", family_name=KARI, email="kari.haugland@example.no"
    )
    ola = make_volunteer(user=ola_user, given_name="Ola", email="ola@example.no", municipality=tromso)
    nora = make_volunteer(given_name="Nora", email="nora@example.no")  # no login, onboarding nowhere
    onboarding = volunteer_services.start_onboarding(coordinator, kari, chain.volunteer_centre)
    volunteer_services.record_onboarding_steps(
        coordinator,
        onboarding,
        information_meeting_on=days_ago(20),
        training_on=days_ago(15),
        commitment_signed_on=days_ago(15),
    )
    officer = Actor(users[R.MUNICIPAL_SETTLEMENT_OFFICER])
    need = need_services.publish_need(
        officer,
        chain.harstad,
        title="Leksehjelp for 8 elever",
        description="Tirsdager på biblioteket",
        kind="homework_help",
        municipality=harstad,
    )
    hidden_need = need_services.publish_need(
        officer,
        chain.harstad,
        title="Sjåfører til fotballtrening",
        description="Kun for samarbeidspartnere",
        kind="transport",
        municipality=harstad,
        is_public=False,
    )
    (offer,) = volunteer_services.assign_in_bulk(coordinator, [kari], [need])
    cafe = need_services.record_activity(
        Actor(coordinator),
        chain.volunteer_centre,
        partners=[tromso_centre],
        name="Språkkafé på mottaket",
        kind="language_cafe",
        phase="reception",
        target_sex="any",
        municipality=harstad,
        reception_centre=chain.centre_harstad,
        starts_on=days_ago(100),
        needs_information_meeting=True,
    )
    cafe.volunteers.add(kari)
    walk = need_services.record_activity(
        Actor(found[COORDINATOR_ELSEWHERE]),
        tromso_centre,
        name="Turgruppe i Tromsø",
        kind="outdoor",
        phase="any",
        target_sex="any",
        municipality=tromso,
        starts_on=days_ago(100),
    )
    homework = need_services.record_activity(
        Actor(coordinator),
        chain.volunteer_centre,
        name="Leksehjelp for voksne",
        kind="homework_help",
        phase="settled",
        target_sex="any",
        target_age_min=18,
        municipality=harstad,
        starts_on=days_ago(10),
        needs_information_meeting=True,
    )
    return World(
        orgs=orgs,
        users=found,
        kari=kari,
        ola=ola,
        nora=nora,
        need=need,
        hidden_need=hidden_need,
        offer=offer,
        surge=surge,
        activities={"cafe": cafe, "walk": walk, "homework": homework},
        harstad=harstad,
        tromso=tromso,
    )


# --- running the cases ---------------------------------------------------------------------------------


def _fingerprint():
    """Everything a write in these areas could change, and the log of changes (reads are logged too)."""
    return (
        tuple(Volunteer.objects.order_by("pk").values_list()),
        tuple(Onboarding.objects.order_by("pk").values_list()),
        tuple(Activity.objects.order_by("pk").values_list()),
        Activity.volunteers.through.objects.count(),
        Activity.partners.through.objects.count(),
        tuple(Need.objects.order_by("pk").values_list()),
        NeedResponse.objects.count(),
        tuple(NeedAssignment.objects.order_by("pk").values_list()),
        tuple(Surge.objects.order_by("pk").values_list()),
        Membership.objects.count(),
        User.objects.count(),
        AuditEntry.objects.exclude(action__in=[AuditAction.READ, AuditAction.LIST]).count(),
    )


@dataclass
class Recorder:
    count: int = 0
    failures: list = field(default_factory=list)
    exercised: set = field(default_factory=set)

    def run(self, who, key, do, expected, *, contains=(), lacks=()):
        """One request in a savepoint: it must answer ``expected`` (a status, or a set of them); a POST must
        change data exactly when it succeeds (below 400), a GET never."""
        self.exercised.add(key)
        before = _fingerprint()
        sid = transaction.savepoint()
        try:
            response = do()
            changed = _fingerprint() != before
        finally:
            transaction.savepoint_rollback(sid)
        self.count += 1
        allowed = expected if isinstance(expected, set) else {expected}
        label = f"{who}: {key[0]} {key[1]}"
        if response.status_code not in allowed:
            self.failures.append(f"{label}: expected {sorted(allowed)}, got {response.status_code}")
            return response
        writes = key[0] == "POST" and response.status_code < 400 and key[2] != "login"
        if changed != writes:
            self.failures.append(f"{label}: answered {response.status_code} but changed={changed}")
        login = reverse("core:login")
        if key[2] == "login" and not response["Location"].startswith(login):
            self.failures.append(f"{label}: redirected to {response['Location']}, not the login")
        text = response.content.decode() if response.status_code == 200 else ""
        for wanted in contains if response.status_code == 200 else ():
            if wanted not in text:
                self.failures.append(f"{label}: {wanted!r} missing")
        for unwanted in lacks:
            if unwanted in text:
                self.failures.append(f"{label}: {unwanted!r} shown")
        return response


def _signup_data(email="ny.frivillig@example.no"):
    return {
        "given_name": "Ny",
        "family_name": "Frivillig",
        "email": email,
        "languages": ["nb", "en"],
        "skills": ["homework"],
        "municipality": "5503",
        "availability": ["weekend"],
        "password1": "correct-horse-battery-staple",
        "password2": "correct-horse-battery-staple",
    }


def _details(volunteer: Volunteer) -> dict:
    return {
        "given_name": volunteer.given_name,
        "family_name": volunteer.family_name,
        "email": volunteer.email,
        "phone": "+4791234567",
        "languages": ["nb"],
        "municipality": volunteer.municipality.number,
        "availability": ["weekend"],
    }


def _activity_data(activity: Activity) -> dict:
    return {
        "organisation": str(activity.organisation_id),
        "name": activity.name + " (endret)",
        "kind": activity.kind,
        "phase": activity.phase,
        "target_sex": activity.target_sex,
        "municipality": str(activity.municipality_id),
        "starts_on": activity.starts_on.isoformat(),
    }


def _cases(label: str, w: World):
    """(method, url name, url, data, expected, contains, lacks) for one principal; expected for a logged-in
    user (anonymous visitors are handled in ``_expected``)."""
    kari_url = reverse("volunteering:volunteer_detail", args=[w.kari.pk])
    ola_url = reverse("volunteering:volunteer_detail", args=[w.ola.pk])
    own = {R.VOLUNTEER: w.kari, OTHER_VOLUNTEER: w.ola}.get(label, w.kari)
    coordinated = w.orgs[COORDINATED_ORG.get(label, "volunteer_centre")]
    publishing = w.orgs[PUBLISHING_ORG.get(label, "harstad")]
    today = days_ago(0).isoformat()

    def ok(allowed, success=200, refused=403):
        return success if label in allowed else refused

    yield ("GET", "signup", reverse("volunteering:signup"), None, 200, (), ())
    yield (
        "GET",
        "me",
        reverse("volunteering:me"),
        None,
        ok(SIGNED_UP, 200, 404),
        [KARI] * (label == R.VOLUNTEER),
        [KARI] * (label != R.VOLUNTEER),
    )
    yield ("GET", "me_edit", reverse("volunteering:me_edit"), None, ok(SIGNED_UP, 200, 404), (), ())
    yield ("POST", "me_edit", reverse("volunteering:me_edit"), _details(own), ok(SIGNED_UP, 302, 404), (), ())
    yield (
        "POST",
        "answer_offer",
        reverse("volunteering:answer_offer", args=[w.offer.pk]),
        {"answer": "accept"},
        ok({R.VOLUNTEER}, 302, 404),
        (),
        (),
    )
    sees_kari, sees_ola = label in SEES_HARSTAD_VOLUNTEERS, label in SEES_OLA
    yield (
        "GET",
        "volunteer_list",
        reverse("volunteering:volunteer_list"),
        None,
        ok(COORDINATORS),
        [kari_url] * sees_kari + [ola_url] * sees_ola,
        [kari_url] * (not sees_kari) + [ola_url] * (not sees_ola),
    )

    def volunteer_page(allowed_to_change=None):
        """Coordinators who may not see the volunteer get 404; non-coordinators 403."""
        if label not in COORDINATORS:
            return 403
        if label not in SEES_HARSTAD_VOLUNTEERS:
            return 404
        if allowed_to_change is None:
            return 200
        return allowed_to_change

    yield ("GET", "volunteer_detail", kari_url, None, volunteer_page(), (), ())
    yield (
        "GET",
        "volunteer_detail",
        ola_url,
        None,
        ok(SEES_OLA, 200, 404 if label in COORDINATORS else 403),
        (),
        (),
    )
    yield (
        "POST",
        "onboarding_start",
        reverse("volunteering:onboarding_start", args=[w.nora.pk]),
        {"organisation": str(coordinated.pk)},
        volunteer_page(302),
        (),
        (),
    )
    yield (
        "POST",
        "onboarding_steps",
        reverse("volunteering:onboarding_steps", args=[w.kari.pk, w.orgs["volunteer_centre"].pk]),
        {f"steps-{w.orgs['volunteer_centre'].pk}-police_certificate_on": today},
        volunteer_page(302 if label == R.VOLUNTEER_COORDINATOR else 403),
        (),
        (),
    )
    # The municipality's coordinator sees Kari but cannot choose the centre's activity: bad input (400).
    yield (
        "POST",
        "activity_add",
        reverse("volunteering:activity_add", args=[w.kari.pk]),
        {"activity": str(w.activities["homework"].pk)},
        volunteer_page(302 if label == R.VOLUNTEER_COORDINATOR else 400),
        (),
        (),
    )

    queue = COORDINATORS | PUBLISHERS
    in_surge = label in IN_SURGE  # the queue names the newcomers (Kari, Nora) only to those whose surge it is
    yield (
        "GET",
        "surge_queue",
        reverse("volunteering:surge_queue"),
        None,
        ok(queue),
        [KARI] * in_surge,
        [KARI] * (not in_surge),
    )
    yield (
        "POST",
        "surge_queue",
        reverse("volunteering:surge_queue"),
        {"volunteer": [str(w.nora.pk)], "need": [str(w.need.pk)]},
        ok(IN_SURGE, 302),
        (),
        (),
    )
    yield (
        "POST",
        "surge_declare",
        reverse("volunteering:surge_declare"),
        {"organisation": str(publishing.pk), "message": "Vi trenger flere frivillige"},
        ok(PUBLISHERS - DECLARE_REFUSED_AS_INPUT, 302, 400 if label in PUBLISHERS else 403),
        (),
        (),
    )
    yield (
        "POST",
        "surge_end",
        reverse("volunteering:surge_end", args=[w.surge.pk]),
        {},
        ok({R.RECEPTION_STAFF}, 302),
        (),
        (),
    )

    need_url = reverse("volunteering:need_detail", args=[w.need.pk])
    yield (
        "GET",
        "need_list",
        reverse("volunteering:need_list"),
        None,
        ok(NEED_STAFF),
        [w.need.title],
        [KARI],
    )
    yield ("GET", "need_new", reverse("volunteering:need_new"), None, ok(PUBLISHERS), (), ())
    yield (
        "POST",
        "need_new",
        reverse("volunteering:need_new"),
        {
            "organisation": str(publishing.pk),
            "title": "Flyktningguide for en familie på fem",
            "kind": "refugee_guide",
            "municipality": str(w.harstad.pk),
            "volunteers_wanted": "2",
            "is_public": "on",
        },
        ok(PUBLISHERS, 302),
        (),
        (),
    )
    yield ("GET", "need_detail", need_url, None, ok(NEED_STAFF), [w.need.title], [KARI])
    yield (
        "POST",
        "need_status",
        reverse("volunteering:need_status", args=[w.need.pk]),
        {"status": "closed"},
        ok(HARSTAD_PUBLISHERS, 302),
        (),
        (),
    )
    yield (
        "POST",
        "need_answer",
        reverse("volunteering:need_answer", args=[w.need.pk]),
        {"organisation": str(coordinated.pk), "message": "Vi kan stille med to på tirsdager"},
        ok(ANSWERERS, 302),
        (),
        (),
    )
    yield (
        "GET",
        "public_needs",
        reverse("volunteering:public_needs"),
        None,
        200,
        [w.need.title],
        [w.hidden_need.title, KARI],
    )

    listed = {k: reverse("volunteering:activity_detail", args=[a.pk]) for k, a in w.activities.items()}
    yield (
        "GET",
        "activity_list",
        reverse("volunteering:activity_list"),
        None,
        ok(ACTIVITY_LIST),
        [listed[k] for k in SEES if label in SEES[k]] if label in ACTIVITY_LIST else (),
        [listed[k] for k in SEES if label not in SEES[k]] + [KARI],
    )
    yield ("GET", "activity_new", reverse("volunteering:activity_new"), None, ok(COORDINATORS), (), ())
    yield (
        "POST",
        "activity_new",
        reverse("volunteering:activity_new"),
        {
            "organisation": str(coordinated.pk),
            "name": "Mannsgruppe",
            "kind": "mens_group",
            "phase": "settled",
            "target_sex": "men",
            "municipality": str(w.harstad.pk),
            "starts_on": today,
        },
        ok(COORDINATORS, 302),
        (),
        (),
    )
    for key in ("cafe", "walk"):
        activity = w.activities[key]
        args = [activity.pk]
        yield ("GET", "activity_detail", listed[key], None, ok(SEES[key]), [activity.name], [KARI])
        edit = reverse("volunteering:activity_edit", args=args)
        yield ("GET", "activity_edit", edit, None, ok(KEEPS[key]), (), ())
        yield ("POST", "activity_edit", edit, _activity_data(activity), ok(KEEPS[key], 302), (), ())
        yield (
            "POST",
            "activity_progress",
            reverse("volunteering:activity_progress", args=args),
            {"participants_reached": "25", "volunteer_hours": "40.5"},
            ok(KEEPS[key], 302),
            (),
            (),
        )
    cafe, walk = w.activities["cafe"].name, w.activities["walk"].name
    sees_harstad = label in HARSTAD_OVERVIEW | NATIONAL_OVERVIEW
    sees_tromso = label in TROMSO_OVERVIEW | NATIONAL_OVERVIEW
    yield (
        "GET",
        "overview",
        reverse("volunteering:overview"),
        None,
        ok(OVERVIEW),
        [cafe] * sees_harstad + [walk] * sees_tromso,
        [cafe] * (label in OVERVIEW and not sees_harstad)
        + [walk] * (label in OVERVIEW and not sees_tromso)
        + [KARI],
    )


PUBLIC = {("GET", "signup"), ("GET", "public_needs")}


def _request(client, method, url, data):
    return client.get(url, data or {}) if method == "GET" else client.post(url, data or {})


def test_every_role_gets_exactly_the_volunteering_access_the_rules_give(world, report_line):
    rec = Recorder()
    for label in LABELS:
        client = Client()
        client.force_login(world.users[label])
        for method, name, url, data, expected, contains, lacks in _cases(label, world):
            rec.run(
                label,
                (method, name, "page"),
                lambda c=client, m=method, u=url, d=data: _request(c, m, u, d),
                expected,
                contains=contains,
                lacks=lacks,
            )
    # Anonymous: the public pages (and the sign-up itself) work; everything else asks for the login.
    for method, name, url, data, _expected, _contains, _lacks in _cases(ANONYMOUS, world):
        public = (method, name) in PUBLIC
        rec.run(
            ANONYMOUS,
            (method, name, "page" if public else "login"),
            lambda m=method, u=url, d=data: _request(Client(), m, u, d),
            200 if public else 302,
        )
    response = rec.run(
        ANONYMOUS,
        ("POST", "signup", "page"),
        lambda: Client().post(reverse("volunteering:signup"), _signup_data()),
        302,
    )
    assert response["Location"] == reverse("volunteering:me")
    report_line(f"volunteering access matrix: {rec.count} cases")
    names = {name for _m, name, _k in rec.exercised}
    assert _routes() - names == set(), f"URLs without cases: {sorted(_routes() - names)}"
    assert not rec.failures, f"{len(rec.failures)} of {rec.count} cases failed:\n" + "\n".join(rec.failures)


def test_every_method_the_matrix_does_not_test_is_refused(world):
    """Even for a coordinator who may use the page, a method outside the matrix answers 405."""
    client = Client()
    client.force_login(world.users[R.VOLUNTEER_COORDINATOR])
    cases = list(_cases(R.VOLUNTEER_COORDINATOR, world))
    tested = {(method, url) for method, _name, url, *_rest in cases} | {
        ("POST", reverse("volunteering:signup"))
    }
    for url in sorted({url for _m, _n, url, *_rest in cases}):
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            if (method, url) in tested:
                continue
            sid = transaction.savepoint()
            response = client.generic(method, url)
            transaction.savepoint_rollback(sid)
            assert response.status_code == 405, f"{method} {url}: {response.status_code}"


def test_the_rules_have_allowed_and_refused_principals_for_every_write():
    """Guard against a matrix that passes because every case expects the same answer."""
    for allowed in (
        SIGNED_UP,
        COORDINATORS,
        ANSWERERS,
        PUBLISHERS,
        HARSTAD_PUBLISHERS,
        IN_SURGE,
        SEES_CAFE,
        SEES_WALK,
        OVERVIEW,
        SEES_HARSTAD_VOLUNTEERS,
        *KEEPS.values(),
    ):
        assert allowed and set(LABELS) - allowed, allowed
    assert set(LABELS) >= set(Role.values)
    assert {
        R.VOLUNTEER_COORDINATOR,
        COORDINATOR_ELSEWHERE,
        R.VOLUNTEER,
        R.RECEPTION_STAFF,
    } == SEES_CAFE - HARSTAD_OVERVIEW - NATIONAL_OVERVIEW


# --- the API (/api/volunteering/): the same rules; what the user may not read answers 404 ---------------

API = "/api/volunteering"
# Which matrix covers which part of the volunteering API: this one the needs, activities and overview.
API_PARTS = {
    "core": ("/public/", "/needs", "/activities", "/overview", "/me"),
    "matches": ("/matches",),
    "grants": ("/grants/",),
}
API_PUBLIC = {("GET", "/public/needs")}


def _api_operations() -> set[tuple[str, str]]:
    """(method, path template under /api/volunteering) of every operation in the API's own spec."""
    from bro.api import api

    return {
        (method.upper(), path.removeprefix("/api/volunteering"))
        for path, operations in api.get_openapi_schema()["paths"].items()
        if path.startswith("/api/volunteering/")
        for method in operations
    }


def _api_part(path: str) -> str | None:
    return next((part for part, prefixes in API_PARTS.items() if path.startswith(prefixes)), None)


def _json(text: str) -> str:
    """Text as it appears in a JSON answer (non-ASCII escaped)."""
    return json.dumps(text)[1:-1]


def _api_cases(label: str, w: World):
    """(method, path template, url, JSON body, expected, contains, lacks) for one logged-in principal."""

    def ok(allowed, success=200, refused=403):
        return success if label in allowed else refused

    need = str(w.need.pk)
    yield (
        "GET",
        "/public/needs",
        f"{API}/public/needs",
        None,
        200,
        [w.need.title],
        [_json(w.hidden_need.title), KARI],
    )
    yield ("GET", "/needs", f"{API}/needs", None, ok(NEED_STAFF), [w.need.title], [KARI])
    yield ("GET", "/needs/{need_id}", f"{API}/needs/{need}", None, ok(NEED_STAFF), [w.need.title], [KARI])
    yield (
        "POST",
        "/needs/{need_id}/status",
        f"{API}/needs/{need}/status",
        {"status": "closed"},
        ok(HARSTAD_PUBLISHERS),
        (),
        (),
    )
    coordinated = w.orgs[COORDINATED_ORG.get(label, "volunteer_centre")]
    yield (
        "POST",
        "/needs/{need_id}/answers",
        f"{API}/needs/{need}/answers",
        {"organisation_id": str(coordinated.pk), "message": "Vi kan stille med to på tirsdager"},
        ok(ANSWERERS, 201),
        (),
        (),
    )
    ids = {k: str(a.pk) for k, a in w.activities.items()}
    yield (
        "GET",
        "/activities",
        f"{API}/activities",
        None,
        ok(ACTIVITY_LIST),
        [ids[k] for k in SEES if label in SEES[k]] if label in ACTIVITY_LIST else (),
        [ids[k] for k in SEES if label not in SEES[k]] + [KARI],
    )
    for key in ("cafe", "walk"):
        activity = w.activities[key]
        yield (
            "GET",
            "/activities/{activity_id}",
            f"{API}/activities/{activity.pk}",
            None,
            ok(SEES[key], 200, 404),
            [_json(activity.name)],
            [KARI],
        )
    own = {R.VOLUNTEER: w.kari, OTHER_VOLUNTEER: w.ola}.get(label)
    yield (
        "GET",
        "/me",
        f"{API}/me",
        None,
        ok(SIGNED_UP, 200, 404),
        [str(own.pk)] + [str(w.offer.pk)] * (label == R.VOLUNTEER) if own else (),
        [KARI] * (label != R.VOLUNTEER),
    )
    sees_harstad = label in HARSTAD_OVERVIEW | NATIONAL_OVERVIEW
    sees_tromso = label in TROMSO_OVERVIEW | NATIONAL_OVERVIEW
    cafe, walk = (_json(w.activities[k].organisation.name) for k in ("cafe", "walk"))
    yield (
        "GET",
        "/overview",
        f"{API}/overview",
        None,
        ok(OVERVIEW),
        [cafe] * sees_harstad + [walk] * sees_tromso,
        [cafe] * (label in OVERVIEW and not sees_harstad)
        + [walk] * (label in OVERVIEW and not sees_tromso)
        + [KARI],
    )


def _api_request(client, method, url, data):
    if data is None:
        return client.generic(method, url)
    return client.generic(method, url, json.dumps(data), content_type="application/json")


def test_every_role_gets_the_same_access_through_the_volunteering_api(world, report_line):
    rec = Recorder()
    for label in [*LABELS, ANONYMOUS]:
        client = Client()
        if label != ANONYMOUS:
            client.force_login(world.users[label])
        for method, path, url, data, expected, contains, lacks in _api_cases(label, world):
            if label == ANONYMOUS and (method, path) not in API_PUBLIC:
                expected, contains = 401, ()
            rec.run(
                label,
                (method, path, "api"),
                lambda c=client, m=method, u=url, d=data: _api_request(c, m, u, d),
                expected,
                contains=contains,
                lacks=lacks,
            )
    report_line(f"volunteering API access matrix (needs, activities, overview): {rec.count} cases")
    ours = {op for op in _api_operations() if _api_part(op[1]) == "core"}
    exercised = {(method, path) for method, path, _kind in rec.exercised}
    assert ours - exercised == set(), f"API operations without cases: {sorted(ours - exercised)}"
    assert not rec.failures, f"{len(rec.failures)} of {rec.count} cases failed:\n" + "\n".join(rec.failures)


def test_every_volunteering_api_operation_belongs_to_one_of_the_three_matrices():
    """A new part of the API (a new path prefix) fails here until a matrix claims it."""
    operations = _api_operations()
    assert operations, "the volunteering API has no operations"
    assert {path for _m, path in operations if _api_part(path) is None} == set()
    assert {_api_part(path) for _m, path in operations} == set(API_PARTS)


def test_every_method_the_api_matrix_does_not_test_is_refused(world):
    client = Client()
    client.force_login(world.users[R.VOLUNTEER_COORDINATOR])
    cases = list(_api_cases(R.VOLUNTEER_COORDINATOR, world))
    tested = {(method, url) for method, _path, url, *_rest in cases}
    for url in sorted({url for _m, _p, url, *_rest in cases}):
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            if (method, url) in tested:
                continue
            sid = transaction.savepoint()
            response = client.generic(method, url)
            transaction.savepoint_rollback(sid)
            assert response.status_code == 405, f"{method} {url}: {response.status_code}"
