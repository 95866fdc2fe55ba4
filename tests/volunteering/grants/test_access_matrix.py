"""The access matrix for every grants page: civil-society profiles, agreements with dialogue meetings, grant
schemes, applications with attachments, decisions and reports — for every role, a second volunteer, a volunteer
coordinator elsewhere (Tromsø frivilligsentral), a municipality's own volunteer coordinator (Harstad kommune), a
settlement officer of another municipality (Tromsø) and an anonymous visitor.

The expectations are the rules of bro/volunteering/grants/permissions.py's docstring, written out here by hand;
the permission code is never asked:

* a **civil-society profile** is kept by the organisation's volunteer coordinators and administrators; any
  staff user reads it; volunteers (and anonymous visitors) see none of this area; an organisation that is not
  a volunteer organisation or centre has no profile (404);
* **agreements** and their dialogue meetings are made by the public body's administrators and volunteer
  coordinators, and read by both parties' staff (others 403);
* a **grant scheme** is kept by its administrator organisation's administrators (a directorate or a
  municipality) and, in a municipality, its volunteer coordinators; every staff user reads the catalogue;
* an **application** is made by the organisation's coordinators, read by them and the scheme's keepers (its
  attachments likewise), decided by the scheme's keepers only, and reported on by the organisation once
  approved.

A write changes data exactly when it succeeds (each request runs in a savepoint that is rolled back).
The main test fails when a URL in bro/volunteering/grants/urls.py has no case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from bro.core.models import AuditAction, AuditEntry, Organisation
from bro.core.roles import Role
from bro.people.services import Actor
from bro.volunteering.grants import services
from bro.volunteering.grants.models import (
    Agreement,
    DialogueMeeting,
    GrantApplication,
    GrantAttachment,
    GrantReport,
    GrantScheme,
)
from bro.volunteering.models import CivilSocietyProfile
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
LABELS = [*Role.values, OTHER_VOLUNTEER, COORDINATOR_ELSEWHERE, MUNICIPAL_COORDINATOR, STAFF_ELSEWHERE]
PDF = b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n"

# --- the rules, by hand --------------------------------------------------------------------------------
VOLUNTEERS = {R.VOLUNTEER, OTHER_VOLUNTEER}
STAFF = set(LABELS) - VOLUNTEERS
# Profiles: the organisation's own coordinators (no administrator works in a volunteer organisation here).
KEEPS_PROFILE = {"volunteer_centre": {R.VOLUNTEER_COORDINATOR}, "tromso_centre": {COORDINATOR_ELSEWHERE}}
# Schemes: IMDi's is kept by the directorate's administrator, Harstad's by Harstad kommune's coordinator.
KEEPS_SCHEME = {"imdi": {R.ADMINISTRATOR}, "harstad": {MUNICIPAL_COORDINATOR}}
MAKES_SCHEMES = KEEPS_SCHEME["imdi"] | KEEPS_SCHEME["harstad"]
# Applications: the centre's to IMDi (submitted), Tromsø's to Harstad (submitted), the centre's to Harstad
# (approved, to report on).
APPLICATION = {"centre_imdi": ("volunteer_centre", "imdi"), "tromso_harstad": ("tromso_centre", "harstad")}
APPLICATION["centre_harstad"] = ("volunteer_centre", "harstad")
SUBMITTED = ("centre_imdi", "tromso_harstad")
APPROVED = "centre_harstad"


def applicants(key):
    return KEEPS_PROFILE[APPLICATION[key][0]]


def keepers(key):
    return KEEPS_SCHEME[APPLICATION[key][1]]


def readers(key):
    return applicants(key) | keepers(key)


# Agreements: Harstad kommune with the centre; IMDi with Tromsø frivilligsentral.
HARSTAD_STAFF = {R.MUNICIPAL_SETTLEMENT_OFFICER, R.PROGRAMME_ADVISER, R.LEADERSHIP, MUNICIPAL_COORDINATOR}
DIRECTORATE_STAFF = {R.ADMINISTRATOR, R.NATIONAL_SETTLEMENT_OFFICER}
READS_AGREEMENT = {
    "harstad": HARSTAD_STAFF | {R.VOLUNTEER_COORDINATOR},
    "imdi": DIRECTORATE_STAFF | {COORDINATOR_ELSEWHERE},
}
MANAGES_AGREEMENT = {"harstad": {MUNICIPAL_COORDINATOR}, "imdi": {R.ADMINISTRATOR}}
MAKES_AGREEMENTS = {R.ADMINISTRATOR: "directorate", MUNICIPAL_COORDINATOR: "harstad"}


def _routes():
    from bro.volunteering.grants.urls import urlpatterns

    return {p.name for p in urlpatterns}


# --- the world -----------------------------------------------------------------------------------------


@dataclass
class World:
    orgs: dict
    users: dict
    schemes: dict
    applications: dict
    attachments: dict
    agreements: dict


@pytest.fixture
def world(chain, users, make_volunteer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    found, tromso_centre = extra_principals(chain, users)
    make_volunteer(user=found[OTHER_VOLUNTEER], given_name="Ola", email="ola@example.no")
    make_volunteer(user=users[R.VOLUNTEER], given_name="Kari")
    orgs = {
        "directorate": chain.directorate,
        "harstad": chain.harstad,
        "volunteer_centre": chain.volunteer_centre,
        "tromso_centre": tromso_centre,
    }
    coordinator = Actor(users[R.VOLUNTEER_COORDINATOR])
    services.save_profile(coordinator, chain.volunteer_centre, kind="volunteer_centre", paying_members=40)
    schemes = {
        "imdi": services.save_scheme(
            Actor(users[R.ADMINISTRATOR]),
            chain.directorate,
            name="Tilskudd til frivillig integreringsarbeid",
            yearly_budget=Decimal("2000000"),
            cap=Decimal("75000"),
            rolling=True,
        ),
        "harstad": services.save_scheme(
            Actor(found[MUNICIPAL_COORDINATOR]),
            chain.harstad,
            name="Harstad frivilligtilskudd",
            yearly_budget=Decimal("500000"),
            rolling=True,
        ),
    }
    by_org = {"volunteer_centre": coordinator, "tromso_centre": Actor(found[COORDINATOR_ELSEWHERE])}
    applications, attachments = {}, {}
    for key, (org, scheme) in APPLICATION.items():
        applications[key] = services.submit_application(
            by_org[org],
            schemes[scheme],
            orgs[org],
            amount=Decimal("30000"),
            description="Språkkafé hver torsdag",
            attachments=[SimpleUploadedFile(f"{key}.pdf", PDF, "application/pdf")],
        )
        attachments[key] = applications[key].attachments.get()
    services.decide_application(
        Actor(found[MUNICIPAL_COORDINATOR]),
        applications[APPROVED],
        approve=True,
        approved_amount=Decimal("25000"),
    )
    agreements = {
        "harstad": services.create_agreement(
            Actor(found[MUNICIPAL_COORDINATOR]),
            chain.harstad,
            organisation=chain.volunteer_centre,
            kind="partnership",
            starts_on=days_ago(300),
            amount=Decimal("150000"),
        ),
        "imdi": services.create_agreement(
            Actor(users[R.ADMINISTRATOR]),
            chain.directorate,
            organisation=tromso_centre,
            kind="intention",
            starts_on=days_ago(100),
        ),
    }
    return World(orgs, found, schemes, applications, attachments, agreements)


# --- running the cases ---------------------------------------------------------------------------------


def _fingerprint():
    """Everything a grants write could change, and the log of changes (reads are logged too)."""
    return (
        tuple(CivilSocietyProfile.objects.order_by("pk").values_list()),
        tuple(Organisation.objects.order_by("pk").values_list("organisation_number")),
        tuple(Agreement.objects.order_by("pk").values_list()),
        DialogueMeeting.objects.count(),
        tuple(GrantScheme.objects.order_by("pk").values_list()),
        tuple(GrantApplication.objects.order_by("pk").values_list()),
        GrantApplication.activities.through.objects.count(),
        GrantAttachment.objects.count(),
        GrantReport.objects.count(),
        AuditEntry.objects.exclude(action__in=[AuditAction.READ, AuditAction.LIST]).count(),
    )


@dataclass
class Recorder:
    count: int = 0
    failures: list = field(default_factory=list)
    exercised: set = field(default_factory=set)

    def run(self, who, method, name, do, expected, *, contains=(), lacks=(), login=False):
        """One request in a savepoint: it must answer ``expected``; a POST changes data exactly when it
        succeeds (below 400, not a redirect to the login), a GET never."""
        self.exercised.add(name)
        before = _fingerprint()
        sid = transaction.savepoint()
        try:
            response = do()
            changed = _fingerprint() != before
        finally:
            transaction.savepoint_rollback(sid)
        self.count += 1
        label = f"{who}: {method} {name}"
        if response.status_code != expected:
            self.failures.append(f"{label}: expected {expected}, got {response.status_code}")
            return
        if changed != (method == "POST" and expected < 400 and not login):
            self.failures.append(f"{label}: answered {expected} but changed={changed}")
        if login and not response["Location"].startswith(reverse("core:login")):
            self.failures.append(f"{label}: redirected to {response['Location']}, not the login")
        text = response.content.decode() if expected == 200 and not response.streaming else ""
        if expected == 200 and response.streaming:
            text = b"".join(response.streaming_content).decode("latin-1")
        self.failures.extend(f"{label}: {w!r} missing" for w in contains if w not in text)
        self.failures.extend(f"{label}: {w!r} shown" for w in lacks if w in text)


def _cases(label: str, w: World):
    """(method, url name, url, data, expected, contains, lacks) for one logged-in principal."""

    def ok(allowed, success=200):
        return success if label in allowed else 403

    staff = ok(STAFF)
    yield ("GET", "scheme_list", reverse("grants:scheme_list"), None, staff, (), ())
    new_scheme = reverse("grants:scheme_create")
    administrator = w.orgs["harstad" if label == MUNICIPAL_COORDINATOR else "directorate"]
    scheme_data = {
        "administrator": str(administrator.pk),
        "name": "Nytt tilskudd",
        "yearly_budget": "100000",
        "minimum_age_years": "0",
        "minimum_paying_members": "0",
        "rolling": "on",
        "is_open": "on",
    }
    yield ("GET", "scheme_create", new_scheme, None, ok(MAKES_SCHEMES), (), ())
    yield ("POST", "scheme_create", new_scheme, scheme_data, ok(MAKES_SCHEMES, 302), (), ())
    for key, scheme in w.schemes.items():
        listed = [k for k, (_org, s) in APPLICATION.items() if s == key]
        urls = {k: reverse("grants:application_detail", args=[w.applications[k].pk]) for k in listed}
        yield (
            "GET",
            "scheme_detail",
            reverse("grants:scheme_detail", args=[scheme.pk]),
            None,
            staff,
            [urls[k] for k in listed if label in readers(k)],
            [urls[k] for k in listed if label not in readers(k)],
        )
        edit = reverse("grants:scheme_edit", args=[scheme.pk])
        data = dict(scheme_data, administrator=str(scheme.administrator_id), name=scheme.name + " (endret)")
        yield ("GET", "scheme_edit", edit, None, ok(KEEPS_SCHEME[key]), (), ())
        yield ("POST", "scheme_edit", edit, data, ok(KEEPS_SCHEME[key], 302), (), ())

    for org, scheme in (("volunteer_centre", "imdi"), ("tromso_centre", "harstad")):
        url = reverse("grants:apply", args=[w.schemes[scheme].pk, w.orgs[org].pk])
        data = {"amount": "1000", "description": "Turgruppe"}
        yield ("GET", "apply", url, None, ok(KEEPS_PROFILE[org]), (), ())
        yield ("POST", "apply", url, data, ok(KEEPS_PROFILE[org], 302), (), ())

    for key, application in w.applications.items():
        args = [application.pk]
        yield (
            "GET",
            "application_detail",
            reverse("grants:application_detail", args=args),
            None,
            ok(readers(key)),
            (),
            (),
        )
        # A change the user may not make is refused with 403 — also to those who may not read the application.
        if key in SUBMITTED:
            yield (
                "POST",
                "application_decide",
                reverse("grants:application_decide", args=args),
                {"decision": "approve", "approved_amount": "1000"},
                ok(keepers(key), 302),
                (),
                (),
            )
            yield (
                "POST",
                "attachment_add",
                reverse("grants:attachment_add", args=args),
                "attachment",
                ok(applicants(key), 302),
                (),
                (),
            )
        download = reverse("grants:attachment_download", args=[application.pk, w.attachments[key].pk])
        yield (
            "GET",
            "attachment_download",
            download,
            None,
            ok(readers(key)),
            [PDF.decode("latin-1")] * (label in readers(key)),
            (),
        )
        if key == "centre_imdi":  # another application's attachment through this one: not found
            other = w.attachments["tromso_harstad"].pk
            crossed = reverse("grants:attachment_download", args=[application.pk, other])
            expected = 404 if label in readers(key) else 403
            yield ("GET", "attachment_download", crossed, None, expected, (), ())
        # Only an approved grant gets a report, from the organisation that got it.
        reporters = applicants(key) if key == APPROVED else set()
        report_url = reverse("grants:report", args=args)
        report = {
            "activities_done": "Kafé",
            "participants_reached": "12",
            "volunteer_hours": "40",
            "spent": "24000",
        }
        yield ("GET", "report", report_url, None, ok(reporters), (), ())
        yield ("POST", "report", report_url, report, ok(reporters, 302), (), ())

    for org in ("volunteer_centre", "tromso_centre"):
        organisation = w.orgs[org]
        yield ("GET", "profile", reverse("grants:profile", args=[organisation.pk]), None, staff, (), ())
        edit = reverse("grants:profile_edit", args=[organisation.pk])
        yield ("GET", "profile_edit", edit, None, ok(KEEPS_PROFILE[org]), (), ())
        data = {"kind": "network", "paying_members": "12"}
        yield ("POST", "profile_edit", edit, data, ok(KEEPS_PROFILE[org], 302), (), ())
    # A municipality is not civil society: it has no profile page, for anyone.
    municipality = reverse("grants:profile", args=[w.orgs["harstad"].pk])
    yield ("GET", "profile", municipality, None, 404, (), ())

    agreement_urls = {k: reverse("grants:agreement_detail", args=[a.pk]) for k, a in w.agreements.items()}
    yield (
        "GET",
        "agreement_list",
        reverse("grants:agreement_list"),
        None,
        staff,
        [u for k, u in agreement_urls.items() if label in READS_AGREEMENT[k]],
        [u for k, u in agreement_urls.items() if label not in READS_AGREEMENT[k]],
    )
    new = reverse("grants:agreement_create")
    body = w.orgs[MAKES_AGREEMENTS.get(label, "harstad")]
    agreement = {
        "public_body": str(body.pk),
        "organisation": str(w.orgs["volunteer_centre"].pk),
        "kind": "intention",
        "starts_on": days_ago(0).isoformat(),
    }
    yield ("GET", "agreement_create", new, None, ok(MAKES_AGREEMENTS), (), ())
    yield ("POST", "agreement_create", new, agreement, ok(MAKES_AGREEMENTS, 302), (), ())
    meeting = {"held_on": days_ago(1).isoformat(), "participants": "Kommunen og frivilligsentralen"}
    for key, url in agreement_urls.items():
        yield ("GET", "agreement_detail", url, None, ok(READS_AGREEMENT[key]), (), ())
        yield ("POST", "agreement_detail", url, meeting, ok(MANAGES_AGREEMENT[key], 302), (), ())


def _request(client, method, url, data):
    if method == "GET":
        return client.get(url)
    if data == "attachment":
        data = {"file": SimpleUploadedFile("vedlegg.pdf", PDF, "application/pdf")}
    return client.post(url, data or {})


def test_every_role_gets_exactly_the_grants_access_the_rules_give(world, report_line):
    rec = Recorder()
    for label in LABELS:
        client = Client()
        client.force_login(world.users[label])
        for method, name, url, data, expected, contains, lacks in _cases(label, world):
            rec.run(
                label,
                method,
                name,
                lambda c=client, m=method, u=url, d=data: _request(c, m, u, d),
                expected,
                contains=contains,
                lacks=lacks,
            )
    for method, name, url, data, *_rest in _cases(ANONYMOUS, world):
        rec.run(
            ANONYMOUS,
            method,
            name,
            lambda m=method, u=url, d=data: _request(Client(), m, u, d),
            302,
            login=True,
        )
    report_line(f"grants access matrix: {rec.count} cases")
    assert _routes() - rec.exercised == set(), f"URLs without cases: {sorted(_routes() - rec.exercised)}"
    assert not rec.failures, f"{len(rec.failures)} of {rec.count} cases failed:\n" + "\n".join(rec.failures)


def test_every_method_the_matrix_does_not_test_is_refused(world):
    """Even for a user who may use the page, a method outside the matrix answers 405."""
    client = Client()
    client.force_login(world.users[MUNICIPAL_COORDINATOR])
    cases = list(_cases(MUNICIPAL_COORDINATOR, world))
    tested = {(method, url) for method, _name, url, *_rest in cases}
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
    groups = [STAFF, MAKES_SCHEMES, set(MAKES_AGREEMENTS), *KEEPS_PROFILE.values(), *KEEPS_SCHEME.values()]
    groups += [*READS_AGREEMENT.values(), *MANAGES_AGREEMENT.values(), *(readers(k) for k in APPLICATION)]
    for allowed in groups:
        assert allowed and set(LABELS) - allowed, allowed
    for key in APPLICATION:
        assert applicants(key) and keepers(key) and not applicants(key) & keepers(key)
    assert set(LABELS) >= set(Role.values)


# --- the API (/api/volunteering/grants): the same rules; what the user may not read answers 404 --------


def _api_cases(label: str, w: World):
    """(method, path template, url, expected, contains) for one principal (None: anonymous)."""
    api = "/api/volunteering/grants"
    if label is None:
        yield ("GET", "/grants/schemes", f"{api}/schemes", 401, ())
        for scheme in w.schemes.values():
            yield ("GET", "/grants/schemes/{scheme_id}", f"{api}/schemes/{scheme.pk}", 401, ())
        return
    staff = label in STAFF
    yield (
        "GET",
        "/grants/schemes",
        f"{api}/schemes",
        200 if staff else 403,
        [str(s.pk) for s in w.schemes.values()] if staff else (),
    )
    for scheme in w.schemes.values():
        own = [w.orgs[org] for org, keepers_of in KEEPS_PROFILE.items() if label in keepers_of]
        yield (
            "GET",
            "/grants/schemes/{scheme_id}",
            f"{api}/schemes/{scheme.pk}",
            200 if staff else 404,
            [str(scheme.pk), *(str(o.pk) for o in own)] if staff else (),
        )


def test_every_role_gets_the_same_grants_access_through_the_api(world, report_line):
    from bro.api import api

    rec = Recorder()
    for label in [*LABELS, None]:
        client = Client()
        if label is not None:
            client.force_login(world.users[label])
        for method, path, url, expected, contains in _api_cases(label, world):
            rec.run(
                label or ANONYMOUS,
                method,
                (method, path),
                lambda c=client, m=method, u=url: c.generic(m, u),
                expected,
                contains=contains,
            )
    report_line(f"grants API access matrix: {rec.count} cases")
    operations = {
        (method.upper(), path.removeprefix("/api/volunteering"))
        for path, found in api.get_openapi_schema()["paths"].items()
        if path.startswith("/api/volunteering/grants/")
        for method in found
    }
    assert operations - rec.exercised == set(), (
        f"API operations without cases: {sorted(operations - rec.exercised)}"
    )
    assert not rec.failures, f"{len(rec.failures)} of {rec.count} cases failed:\n" + "\n".join(rec.failures)
