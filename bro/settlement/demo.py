"""Demo data for the settlement cycle, built after the persons and households.

- The national need for this year and the two before, split by county.
- Requests and council decisions for every demo settlement municipality. Harstad follows its plan:
  asked 40, raised to 49 (decided 49) two years ago; asked 43 and accepted last year (004:L479–483);
  this year asked 60 (its usual level, 004:L426) and decided 55. A few municipalities decide fewer
  than asked, or fewer minors (000:L244–251).
- Settlement interviews for everyone who is or has been ready for settlement (dated by that step).
- Settled proposals for this year's settlements, pending proposals for some ready households (one to
  Harstad), one accepted and waiting for its settlement date, and one refused offer.

Like the rest of the demo it writes rows directly (no audit entries; docs/decisions/0006). UUID rows get
demo ids; the others belong to demo organisations or the demo IMDi user, which is how ``reset`` finds
them.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.db.models import Min, Q

from bro.core.models import Organisation, User
from bro.core.roles import OrganisationKind
from bro.people.models import HouseholdMember, Person, PhaseEvent, SharedAccess
from bro.people.phases import AccessBasis, Phase
from bro.settlement import messages
from bro.settlement.models import (
    CouncilDecision,
    CountyAllocation,
    DecisionBody,
    NationalNeed,
    OfferRefusal,
    ProposalStatus,
    SettlementInterview,
    SettlementProposal,
    SettlementRequest,
)

HARSTAD = "5503"
# (asked, revised to or None, decided) for Harstad, by years before this one.
HARSTAD_HISTORY = {2: (40, 49, 49), 1: (43, None, 43), 0: (60, None, 55)}
NATIONAL_NEED = {2: (5000, 200), 1: (4600, 180), 0: (5100, 190)}

EDUCATION = [
    "Grunnskole i hjemlandet, 9 år.",
    "Videregående skole, fullført.",
    "Bachelor i økonomi.",
    "Ingen formell skolegang; lærte å lese i mottaket.",
    "Fagbrev som elektriker.",
    "Sykepleierutdanning, ikke godkjent i Norge ennå.",
]
WORK = [
    "Bonde på familiens gård.",
    "Butikkmedarbeider i 6 år.",
    "Sjåfør.",
    "Lærer på barneskole.",
    "Snekker og murer.",
    "Ingen lønnet arbeid; hjemmeværende med barn.",
]
FAMILY = ["Ingen familie i Norge.", "Bror bor i Tromsø.", "Onkel i Bodø.", "Søster i Harstad."]
NETWORK = [
    "Venner fra mottaket i Harstad.",
    "Menighet i Narvik.",
    "Ingen spesielt nettverk.",
    "Kjenner folk fra hjembyen i Oslo.",
]
WISHES = [
    "Ønsker å bo nær sjøen og jobbe med fisk.",
    "Ønsker en kommune med videregående skole for barna.",
    "Ingen spesielle ønsker.",
    "Ønsker å bo nær broren.",
    "Ønsker en by med moské.",
]
HEALTH = ["Diabetes type 2, trenger fastlege.", "Trenger oppfølging av psykolog.", "Nedsatt hørsel."]


def _ids(seed):
    from bro.demo.generator import Ids

    return Ids(random.Random(f"{seed}:settlement:ids"))


def build(*, seed: int, today, log) -> None:
    """Deterministic from ``seed`` and ``today``."""
    from bro.demo.generator import demo_ids

    rng = random.Random(f"{seed}:settlement")
    ids = _ids(seed)
    directorate = Organisation.objects.filter(demo_ids(), kind=OrganisationKind.DIRECTORATE).first()
    if directorate is None:
        log("settlement: no demo directorate, nothing built")
        return
    officer = User.objects.filter(demo_ids(), username="imdi").first()
    municipalities = list(
        Organisation.objects.filter(
            demo_ids(), kind=OrganisationKind.MUNICIPALITY, is_settlement_municipality=True
        )
        .select_related("municipality")
        .order_by("municipality__number")
    )
    harstad = next((m for m in municipalities if m.municipality.number == HARSTAD), None)
    counts = _cycle(rng, today, officer, municipalities, harstad)
    interviews = _interviews(rng, ids, today)
    proposals = _proposals(rng, ids, today, officer, municipalities, harstad)
    log(f"settlement: {counts} requests and decisions, {interviews} interviews, {proposals} proposals")


def _cycle(rng, today, officer, municipalities, harstad) -> int:
    rows = 0
    for back in (2, 1, 0):
        year = today.year - back
        persons, minors = NATIONAL_NEED[back]
        need = NationalNeed.objects.create(
            year=year,
            persons=persons,
            unaccompanied_minors=minors,
            set_by=officer,
            set_on=datetime.date(year - 1, 6, 15),
            note="Anmodningsbrev til kommunene",
        )
        by_county: dict = defaultdict(lambda: [0, 0, ""])
        for org in municipalities:
            sent_on = datetime.date(year - 1, 9, rng.randint(1, 28))
            if org == harstad:
                asked, revised, decided = HARSTAD_HISTORY[back]
                asked_minors, decided_minors = 0, 0
            else:
                asked = rng.choice([5, 8, 10, 12, 15, 20, 25, 30, 40])
                revised = asked + rng.choice([5, 10]) if rng.random() < 0.1 else None
                asked_minors = min(rng.choice([0, 0, 2, 4, 6]), asked // 2)
                final = revised or asked
                # Most accept; some decide fewer, or fewer minors (000:L244–251).
                decided = final if rng.random() < 0.75 else max(0, final - rng.choice([5, 10]))
                decided_minors = asked_minors if rng.random() < 0.7 else asked_minors // 2
            request = SettlementRequest.objects.create(
                year=year,
                municipality=org,
                persons=asked,
                unaccompanied_minors=asked_minors,
                sent_on=min(sent_on, today),
                sent_by=officer,
                is_current=revised is None,
            )
            rows += 1
            if revised is not None:
                newer = SettlementRequest.objects.create(
                    year=year,
                    municipality=org,
                    persons=revised,
                    unaccompanied_minors=asked_minors,
                    sent_on=min(datetime.date(year, 3, 1), today),
                    revision=2,
                    note="Økt behov etter ny prognose fra UDI",
                    sent_by=officer,
                )
                request.superseded_by = newer
                request.save(update_fields=["superseded_by"])
                rows += 1
            if back == 0 and rng.random() < 0.15 and org != harstad:
                continue  # a few have not decided this year's figure yet
            decided_on = min(datetime.date(year - 1, 12, rng.randint(1, 15)), today)
            if revised is not None:
                decided_on = min(datetime.date(year, 3, 20), today)
            CouncilDecision.objects.create(
                year=year,
                municipality=org,
                persons=decided,
                unaccompanied_minors=min(decided_minors, decided),
                decided_on=decided_on,
                body=DecisionBody.COUNCIL
                if org == harstad or rng.random() < 0.8
                else DecisionBody.EXECUTIVE_COMMITTEE,
                reference=f"PS {rng.randint(1, 140)}/{str(decided_on.year)[2:]}",
            )
            rows += 1
            county = by_county[org.municipality.county_number]
            county[0] += revised or asked
            county[1] += asked_minors
            county[2] = org.municipality.county_name
        CountyAllocation.objects.bulk_create(
            CountyAllocation(
                need=need,
                year=year,
                county_number=number,
                county_name=name,
                persons=p + p // 5,  # a margin for municipalities outside the demo
                unaccompanied_minors=m,
            )
            for number, (p, m, name) in sorted(by_county.items())
        )
    return rows


def _interviews(rng, ids, today) -> int:
    ready_events = (
        PhaseEvent.objects.filter(person__in=Person.objects.filter(_demo()), phase=Phase.READY_FOR_SETTLEMENT)
        .values("person_id")
        .annotate(first=Min("date"))
    )
    organisations = dict(
        PhaseEvent.objects.filter(
            phase=Phase.READY_FOR_SETTLEMENT, person__in=Person.objects.filter(_demo())
        ).values_list("person_id", "organisation_id")
    )
    rows = []
    for event in ready_events.order_by("person_id"):
        consent = rng.random() < 0.3
        rows.append(
            SettlementInterview(
                id=ids(),
                person_id=event["person_id"],
                conducted_by_id=organisations[event["person_id"]],
                conducted_on=event["first"],
                education=rng.choice(EDUCATION),
                work_experience=rng.choice(WORK),
                family_ties=rng.choice(FAMILY),
                network_ties=rng.choice(NETWORK),
                health_consent_date=event["first"] if consent else None,
                health_needs=rng.choice(HEALTH) if consent else "",
                wishes=rng.choice(WISHES),
                completed_at=datetime.datetime.combine(
                    event["first"], datetime.time(12), tzinfo=datetime.UTC
                ),
            )
        )
    SettlementInterview.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _demo() -> Q:
    from bro.demo.generator import demo_ids

    return demo_ids()


def _units(person_ids) -> dict:
    """Unit id (household or person) → member ids."""
    memberships = dict(
        HouseholdMember.objects.filter(person_id__in=person_ids).values_list("person_id", "household_id")
    )
    units: dict = defaultdict(list)
    for household_id, person_id in HouseholdMember.objects.filter(
        household_id__in=set(memberships.values())
    ).values_list("household_id", "person_id"):
        units[household_id].append(person_id)
    for person_id in person_ids:
        if person_id not in memberships:
            units[person_id].append(person_id)
    return units


def _proposals(rng, ids, today, officer, municipalities, harstad) -> int:
    by_org = {m.pk: m for m in municipalities}
    made = 0
    # This year's settlements in demo municipalities came through proposals.
    settled = list(
        PhaseEvent.objects.filter(
            phase=Phase.SETTLED, date__year=today.year, organisation_id__in=list(by_org)
        )
        .filter(person__in=Person.objects.filter(_demo()))
        .order_by("date")
        .values_list("person_id", "organisation_id", "date")
    )
    first = {}
    for person_id, org_id, day in settled:
        first.setdefault(person_id, (org_id, day))
    units = _units(list(first))
    households = set(
        HouseholdMember.objects.filter(person_id__in=list(first)).values_list("household_id", flat=True)
    )
    seen = set()
    rows = []
    for unit, members in sorted(units.items(), key=lambda item: str(item[0])):
        principal = next((m for m in members if m in first), None)
        if principal is None or unit in seen:
            continue
        seen.add(unit)
        org_id, day = first[principal]
        proposed = max(day - datetime.timedelta(days=rng.randint(20, 60)), datetime.date(today.year, 1, 1))
        rows.append(
            SettlementProposal(
                id=ids(),
                unit=unit,
                household_id=unit if unit in households else None,
                person_id=principal,
                municipality_id=org_id,
                status=ProposalStatus.SETTLED,
                persons=len(members),
                ordinary_persons=len(members),
                proposed_by=officer,
                proposed_on=min(proposed, day),
                answered_on=min(proposed + datetime.timedelta(days=7), day),
                settled_on=day,
            )
        )
    SettlementProposal.objects.bulk_create(rows)
    made += len(rows)

    # Ready households now: pending proposals for some (one to Harstad), one accepted, one refused.
    ready = list(
        Person.objects.filter(_demo(), current_phase=Phase.READY_FOR_SETTLEMENT)
        .order_by("id")
        .values_list("id", flat=True)
    )
    ready_units = [
        (unit, members)
        for unit, members in sorted(_units(ready).items(), key=lambda item: str(item[0]))
        if all(m in set(ready) for m in members)
    ]
    rng.shuffle(ready_units)
    households = set(
        HouseholdMember.objects.filter(person_id__in=ready).values_list("household_id", flat=True)
    )
    # Harstad's proposals go to households in the reception centre it hosts, so that the demo's
    # Harstad users, who already see those residents as host municipality, see the same persons.
    local = set(
        Person.objects.filter(
            pk__in=ready, responsible_organisation__municipality__number=HARSTAD
        ).values_list("pk", flat=True)
    )
    near = [u for u in ready_units if all(m in local for m in u[1])]
    far = [u for u in ready_units if u not in near]
    others = [m for m in municipalities if m != harstad] or municipalities
    plan = [("pending", harstad, near), ("accepted", harstad, near)]
    plan += [("pending", rng.choice(others), far) for _ in range(4)] + [("refused", rng.choice(others), far)]
    chosen = []
    for status, municipality, pool in plan:
        if pool:
            chosen.append(((status, municipality), pool.pop(0)))
    for (status, municipality), (unit, members) in chosen:
        if municipality is None:
            continue
        proposed_on = today - datetime.timedelta(days=rng.randint(3, 20))
        proposal = SettlementProposal.objects.create(
            id=ids(),
            unit=unit,
            household_id=unit if unit in households else None,
            person_id=members[0],
            municipality=municipality,
            status=ProposalStatus.PENDING if status == "pending" else ProposalStatus(status),
            persons=len(members),
            ordinary_persons=len(members),
            proposed_by=officer,
            proposed_on=proposed_on,
            answered_on=None if status == "pending" else proposed_on + datetime.timedelta(days=2),
        )
        made += 1
        if status != "refused":
            grants = SharedAccess.objects.bulk_create(
                SharedAccess(
                    person_id=member,
                    organisation=municipality,
                    basis=AccessBasis.LEGAL_BASIS,
                    legal_basis=messages.PROPOSAL_LEGAL_BASIS,
                    purpose=messages.PROPOSAL_PURPOSE,
                    granted_by=officer,
                    granted_at=datetime.datetime.combine(proposed_on, datetime.time(12), tzinfo=datetime.UTC),
                )
                for member in members
            )
            proposal.shared_access_ids = [g.pk for g in grants if g.pk is not None] or list(
                SharedAccess.objects.filter(person_id__in=members, organisation=municipality).values_list(
                    "pk", flat=True
                )
            )
            proposal.save(update_fields=["shared_access_ids"])
        else:
            OfferRefusal.objects.create(
                proposal=proposal,
                unit=unit,
                refused_on=proposed_on + datetime.timedelta(days=5),
                reason="Ønsket å bo i Oslo, der broren bor.",
                consequence=_consequence(),
                recorded_by=officer,
            )
    return made


def _consequence() -> str:
    from django.utils import translation

    with translation.override("nb"):
        return str(messages.REFUSAL_CONSEQUENCE)


def reset(*, log) -> None:
    """Delete what ``build`` wrote."""
    from bro.demo.generator import demo_ids

    demo_orgs = Organisation.objects.filter(demo_ids())
    proposals = SettlementProposal.objects.filter(Q(demo_ids()) | Q(municipality__in=demo_orgs))
    grant_ids = [pk for ids in proposals.values_list("shared_access_ids", flat=True) for pk in ids or []]
    SharedAccess.objects.filter(pk__in=grant_ids).delete()
    deleted = proposals.delete()[0]
    deleted += SettlementInterview.objects.filter(Q(demo_ids()) | Q(conducted_by__in=demo_orgs)).delete()[0]
    deleted += SettlementRequest.objects.filter(municipality__in=demo_orgs).delete()[0]
    deleted += CouncilDecision.objects.filter(municipality__in=demo_orgs).delete()[0]
    deleted += NationalNeed.objects.filter(set_by__in=User.objects.filter(demo_ids())).delete()[0]
    log(f"settlement: {deleted} rows deleted")
