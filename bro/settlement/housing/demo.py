"""Demo data for housing and agreed self-settlement, built after the persons and households.

- Self-settlement terms for about 140 municipalities (002:L211: at least 100, probably about 140 allow
  it): most allow it, with varied target groups and help; a few say no; some have English text. Harstad
  publishes its terms.
- Housing units for Harstad, allocated to some of Harstad's settled households (others have none yet),
  with settling-in support and housing guidance for some of them.
- Self-settlement requests from reception centres (Harstad's among them) and the directorate: pending,
  approved and rejected, with processing times (002:L247: requests take long to process).

Like the rest of the demo it writes rows directly (no audit entries; docs/decisions/0006). Every row
has a demo UUID, which is how ``reset`` finds it.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q

from bro.core.models import Organisation, User
from bro.core.roles import OrganisationKind
from bro.people.models import HouseholdMember, Person, Responsibility, SharedAccess
from bro.people.phases import AccessBasis, Phase
from bro.settlement.housing import rules
from bro.settlement.housing.models import (
    GuidanceKind,
    HousingAllocation,
    HousingGuidance,
    HousingUnit,
    Ownership,
    RequestStatus,
    SelfSettlementRequest,
    SelfSettlementTerms,
    SettlingInSupport,
    TargetGroup,
)
from bro.settlement.housing.services import (
    ACCESS_AFTER_APPROVAL,
    SELF_SETTLEMENT_LEGAL_BASIS,
    SELF_SETTLEMENT_PURPOSE,
)

HARSTAD = "5503"
HARSTAD_CENTRE = "Harstad mottak"  # bro.demo.data.HARSTAD_CENTRE
TERMS_MUNICIPALITIES = 140
ALLOWING_SHARE = 0.8
HARSTAD_UNITS = 60
HARSTAD_REQUESTS = 7

STREETS = [
    "Storgata",
    "Rikard Kaarbøs gate",
    "Sjøgata",
    "Hans Egedes gate",
    "Kulturhusgata",
    "Skolegata",
    "Fjordgata",
    "Kanebogen",
    "Seljestad",
    "Stangnes",
    "Gangsåsveien",
    "Medkila",
    "Bergseng",
    "Holtet",
    "Vågsfjordveien",
    "Asbjørn Selsbanes gate",
]
LANDLORDS = [
    "Nordbolig AS",
    "Privat utleier",
    "Hålogaland Eiendom AS",
    "Boligbyggelaget",
    "Fjordhus Utleie AS",
    "Privat utleier (familie)",
    "Studentbolig Nord",
]
OTHER_TERMS = [
    (
        "Leiekontrakten må gjelde i minst tre år, og husleien må være innenfor bostøttens grenser.",
        "The rental contract must run for at least three years, and the rent must be within the limits for "
        "housing allowance.",
    ),
    (
        "Boligen må være i kommunesenteret, nær voksenopplæringen.",
        "The home must be in the town centre, near the adult-education centre.",
    ),
    ("Vi godkjenner bare kontrakter med utleiere vi har avtale med.", ""),
    (
        "Deltakelse i introduksjonsprogrammet starter innen tre måneder etter bosetting.",
        "The introduction programme starts within three months of settlement.",
    ),
    ("Kontakt flyktningtjenesten før kontrakten signeres.", ""),
]
NOT_ALLOWED = [
    (
        "Vi har nok kommunale boliger og bosetter bare etter anmodning fra IMDi.",
        "We have enough municipal housing and settle only at IMDi's request.",
    ),
    ("Boligmarkedet er for lite til avtalt selvbosetting nå.", ""),
]
PURPOSES = ["Møbler og innbo", "Kjøkkenutstyr og hvitevarer", "Depositum", "Etablering i egen bolig"]
REASONS = [
    "Husleien er for høy i forhold til familiens inntekt.",
    "Boligen er for liten for familien.",
    "Kommunen har ikke kapasitet til å bosette flere i år.",
]


def build(*, seed: int, today, log) -> None:
    """Deterministic from ``seed`` and ``today``."""
    from bro.demo.generator import Ids, _stamp, demo_ids

    rng = random.Random(f"{seed}:housing")
    ids = Ids(random.Random(f"{seed}:housing-ids"))
    municipalities = {
        o.municipality.number: o
        for o in Organisation.objects.filter(demo_ids(), kind=OrganisationKind.MUNICIPALITY)
        .select_related("municipality")
        .order_by("municipality__number")
    }
    if HARSTAD not in municipalities:
        log("housing: no demo Harstad, nothing built")
        return
    harstad = municipalities[HARSTAD]
    officer = User.objects.filter(demo_ids(), username="harstad").first()

    terms = _terms(rng, ids, municipalities, today, officer)
    allowing = [t.municipality for t in terms if t.allows and t.published]
    units, allocations, support, guidance = _housing(rng, ids, harstad, today, officer)
    requests, grants = _requests(rng, ids, allowing, harstad, today, officer, _stamp)
    log(
        f"housing: {len(terms)} self-settlement terms ({len(allowing)} allow), {units} units, "
        f"{allocations} allocations, {support} support grants, {guidance} guidance records, "
        f"{requests} self-settlement requests ({grants} shared-access grants)"
    )


def _terms(rng, ids, municipalities: dict, today, officer) -> list[SelfSettlementTerms]:
    numbers = [n for n in municipalities if n != HARSTAD]
    chosen = sorted(rng.sample(numbers, min(TERMS_MUNICIPALITIES - 1, len(numbers))) + [HARSTAD])
    rows = []
    for number in chosen:
        allows = number == HARSTAD or rng.random() < ALLOWING_SHARE
        groups = sorted(rng.sample(TargetGroup.values, rng.randint(1, 4)))
        english = rng.random() < 0.4
        if allows:
            other_nb, other_en = rng.choice(OTHER_TERMS) if rng.random() < 0.6 else ("", "")
        else:
            other_nb, other_en = rng.choice(NOT_ALLOWED)
        slug = municipalities[number].name.removesuffix(" kommune").lower().replace(" ", "-")
        rows.append(
            SelfSettlementTerms(
                id=ids(),
                municipality=municipalities[number],
                allows=allows,
                target_groups=groups if allows else [],
                target_groups_other_nb="Personer med arbeidstilbud i regionen"
                if allows and rng.random() < 0.1
                else "",
                must_find_new_housing_if_moving=allows and rng.random() < 0.7,
                deposit_help=allows and rng.random() < 0.6,
                empty_unit_rent_help=allows and rng.random() < 0.3,
                other_terms_nb=other_nb,
                other_terms_en=other_en if english or number == HARSTAD else "",
                contact_name="Flyktningtjenesten",
                contact_phone=f"+47 {rng.randint(700, 799)} {rng.randint(10, 99)} {rng.randint(100, 999)}",
                contact_email=f"bosetting.{slug}@demo.example.org",
                # A few have written terms but not published them yet.
                published=number == HARSTAD or rng.random() < 0.97,
                updated_on=today - datetime.timedelta(days=rng.randint(5, 400)),
                updated_by=officer if number == HARSTAD else None,
            )
        )
    harstad = next(t for t in rows if t.municipality.municipality.number == HARSTAD)
    harstad.target_groups = [TargetGroup.FAMILIES, TargetGroup.OWN_NETWORK, TargetGroup.JOB_OR_STUDY]
    harstad.must_find_new_housing_if_moving = True
    harstad.deposit_help = True
    harstad.other_terms_nb, harstad.other_terms_en = OTHER_TERMS[0]
    harstad.contact_name = "Ingrid Johansen, flyktningtjenesten"
    SelfSettlementTerms.objects.bulk_create(rows)
    return rows


def _households_of(person_ids) -> dict:
    """Household id → members (persons), for every household with a member in ``person_ids``."""
    household_ids = HouseholdMember.objects.filter(person_id__in=person_ids).values_list(
        "household_id", flat=True
    )
    members = defaultdict(list)
    for m in (
        HouseholdMember.objects.filter(household_id__in=household_ids)
        .select_related("person")
        .order_by("household_id", "relation", "person__birth_date")
    ):
        members[m.household_id].append(m.person)
    return dict(sorted(members.items()))


def _housing(rng, ids, harstad, today, officer) -> tuple[int, int, int, int]:
    current = Responsibility.objects.filter(organisation=harstad, until__isnull=True).values("person_id")
    settled = Person.objects.filter(
        pk__in=current, current_phase__in=[Phase.SETTLED, Phase.IN_PROGRAMME]
    ).values_list("pk", flat=True)
    harstad_now = set(current.values_list("person_id", flat=True))
    households = {
        hid: persons
        for hid, persons in _households_of(settled).items()
        if all(p.current_phase in (Phase.SETTLED, Phase.IN_PROGRAMME, Phase.FINISHED) for p in persons)
        and all(p.id in harstad_now for p in persons)
    }
    norm = rules.norm_on(today)
    units = []
    for i in range(HARSTAD_UNITS):
        bedrooms = rng.choice([0, 1, 1, 2, 2, 2, 3, 3, 4])
        size = {0: 28, 1: 45, 2: 62, 3: 78, 4: 95}[bedrooms] + rng.randint(-4, 10)
        units.append(
            HousingUnit(
                id=ids(),
                municipality=harstad,
                address=f"{STREETS[i % len(STREETS)]} {rng.randint(1, 80)}, 9405 Harstad",
                size_m2=size,
                rooms=bedrooms + 1 + (1 if bedrooms >= 3 else 0),
                bedrooms=bedrooms,
                monthly_rent=Decimal(4500 + 2600 * bedrooms + rng.randint(0, 20) * 100),
                accessible=rng.random() < 0.2,
                ownership=Ownership.MUNICIPAL if rng.random() < 0.6 else Ownership.PRIVATE,
                available_from=today - datetime.timedelta(days=rng.randint(200, 2000)),
                note="",
            )
        )
    HousingUnit.objects.bulk_create(units)

    # House about two thirds of the households (largest first, each in the smallest unit that fits);
    # the rest are left without housing so the settlement overview has something to show.
    allocations, support, guidance = [], [], []
    free = sorted(units, key=lambda u: (u.bedrooms, u.size_m2))
    order = sorted(households.items(), key=lambda item: -len(item[1]))
    to_house = [item for item in order if rng.random() < 0.67]
    for household_id, persons in to_house:
        unit = next(
            (
                u
                for u in free
                if rules.unit_fits_household(
                    bedrooms=u.bedrooms, size_m2=u.size_m2, household_size=len(persons), norm=norm
                )
            ),
            None,
        )
        if unit is None:
            continue
        free.remove(unit)
        settled_on = min((p.current_phase_since or today) for p in persons)
        start = max(settled_on, unit.available_from)
        allocations.append(
            HousingAllocation(
                id=ids(),
                unit=unit,
                household_id=household_id,
                from_date=start,
                to_date=None,
                allocated_by=officer,
            )
        )
        if rng.random() < 0.7:
            support.append(
                SettlingInSupport(
                    id=ids(),
                    household_id=household_id,
                    municipality=harstad,
                    granted_on=min(today, start + datetime.timedelta(days=rng.randint(0, 20))),
                    amount=Decimal(15000 + 9000 * len(persons)),
                    purpose=rng.choice(PURPOSES),
                    recorded_by=officer,
                )
            )
        for _ in range(rng.randint(0, 3)):
            guidance.append(
                HousingGuidance(
                    id=ids(),
                    household_id=household_id,
                    municipality=harstad,
                    date=min(today, start + datetime.timedelta(days=rng.randint(7, 300))),
                    kind=rng.choice(GuidanceKind.values),
                    note=rng.choice(
                        ["", "Gjennomgang av husordensregler", "Strøm og forsikring", "Kildesortering"]
                    ),
                    by=officer,
                )
            )
    HousingAllocation.objects.bulk_create(allocations)
    SettlingInSupport.objects.bulk_create(support)
    HousingGuidance.objects.bulk_create(guidance)
    return len(units), len(allocations), len(support), len(guidance)


def _requests(rng, ids, allowing, harstad, today, officer, stamp) -> tuple[int, int]:
    """Requests from households with a permit, submitted by the organisation responsible for them."""
    from bro.demo.generator import demo_ids

    ready = Person.objects.filter(current_phase__in=[Phase.PERMIT_GRANTED, Phase.READY_FOR_SETTLEMENT])
    households = {
        hid: persons
        for hid, persons in _households_of(ready.values_list("pk", flat=True)).items()
        if all(p.current_phase in (Phase.PERMIT_GRANTED, Phase.READY_FOR_SETTLEMENT) for p in persons)
    }
    if not households or not allowing:
        return 0, 0
    submitters = {}
    for person_id, org_id, kind in Responsibility.objects.filter(
        person__in=[persons[0] for persons in households.values()], until__isnull=True
    ).values_list("person_id", "organisation_id", "organisation__kind"):
        # A reception centre submits when it has the household; otherwise the directorate.
        if kind == OrganisationKind.RECEPTION_CENTRE or (
            kind == OrganisationKind.DIRECTORATE and person_id not in submitters
        ):
            submitters[person_id] = org_id
    others = [m for m in allowing if m.id != harstad.id]
    harstad_centre_id = (
        Organisation.objects.filter(demo_ids(), kind=OrganisationKind.RECEPTION_CENTRE, name=HARSTAD_CENTRE)
        .values_list("id", flat=True)
        .first()
    )
    chosen = [item for item in households.items() if item[1][0].id in submitters]
    rng.shuffle(chosen)
    # A handful from Harstad's centre (to Harstad, so its officer has requests to decide), then others.
    at_harstad = [item for item in chosen if submitters[item[1][0].id] == harstad_centre_id][
        :HARSTAD_REQUESTS
    ]
    elsewhere = [item for item in chosen if submitters[item[1][0].id] != harstad_centre_id]
    total = max(6, min(30, len(chosen) // 4))
    chosen = sorted(at_harstad + elsewhere[: max(0, total - len(at_harstad))], key=lambda item: item[0])
    requests, grants, links = [], [], []
    for household_id, persons in chosen:
        # Harstad hosts its own centre and already reads those households, so requests to Harstad come
        # from there; shared access then adds nobody to what Harstad sees.
        from_harstad_centre = submitters[persons[0].id] == harstad_centre_id
        municipality = harstad if from_harstad_centre or not others else rng.choice(others)
        submitted = today - datetime.timedelta(days=rng.randint(3, 120))
        status = rng.choices(
            [RequestStatus.SUBMITTED, RequestStatus.APPROVED, RequestStatus.REJECTED], weights=[4, 4, 2]
        )[0]
        decided = None
        if status != RequestStatus.SUBMITTED:
            decided = min(today, submitted + datetime.timedelta(days=rng.randint(5, 75)))
        rent = Decimal(6000 + 1500 * len(persons) + rng.randint(0, 30) * 100)
        request = SelfSettlementRequest(
            id=ids(),
            household_id=household_id,
            municipality=municipality,
            submitted_by_id=submitters[persons[0].id],
            submitted_on=submitted,
            landlord=rng.choice(LANDLORDS),
            address=f"{rng.choice(STREETS)} {rng.randint(1, 90)}",
            monthly_rent=rent,
            deposit=rent * rng.choice([0, 2, 3]),
            rooms=min(6, 1 + (len(persons) + 1) // 2),
            contract_start=submitted + datetime.timedelta(days=rng.randint(20, 60)),
            status=status,
            decided_on=decided,
            decided_by=officer if decided and municipality.id == harstad.id else None,
            reason=rng.choice(REASONS) if status == RequestStatus.REJECTED else "",
        )
        requests.append(request)
        if status != RequestStatus.REJECTED:
            for person in persons:
                grant = SharedAccess(
                    person=person,
                    organisation=municipality,
                    basis=AccessBasis.LEGAL_BASIS,
                    legal_basis=SELF_SETTLEMENT_LEGAL_BASIS,
                    purpose=SELF_SETTLEMENT_PURPOSE,
                    valid_until=(max(request.contract_start, decided) + ACCESS_AFTER_APPROVAL)
                    if decided
                    else None,
                    granted_at=stamp(submitted),
                )
                grants.append(grant)
                links.append((request, grant))
    SelfSettlementRequest.objects.bulk_create(requests)
    SharedAccess.objects.bulk_create(grants)
    through = SelfSettlementRequest.shared_access.through
    through.objects.bulk_create(
        [through(selfsettlementrequest_id=r.id, sharedaccess_id=g.pk) for r, g in links]
    )
    return len(requests), len(grants)


def reset(*, log) -> None:
    """Delete what ``build`` wrote."""
    from bro.demo.generator import demo_ids

    demo_requests = SelfSettlementRequest.objects.filter(demo_ids())
    grants = SharedAccess.objects.filter(
        pk__in=SelfSettlementRequest.shared_access.through.objects.filter(
            selfsettlementrequest__in=demo_requests
        ).values("sharedaccess_id")
    )
    counts = {
        "shared-access grants": grants.delete()[1].get("people.SharedAccess", 0),
        "self-settlement requests": demo_requests.delete()[0],
        "guidance records": HousingGuidance.objects.filter(demo_ids()).delete()[0],
        "support grants": SettlingInSupport.objects.filter(demo_ids()).delete()[0],
        "allocations": HousingAllocation.objects.filter(demo_ids()).delete()[0],
        "units": HousingUnit.objects.filter(demo_ids()).delete()[0],
        "terms": SelfSettlementTerms.objects.filter(
            demo_ids() | Q(municipality__in=Organisation.objects.filter(demo_ids()))
        ).delete()[0],
    }
    log("housing: " + ", ".join(f"{n} {what}" for what, n in counts.items()) + " deleted")
