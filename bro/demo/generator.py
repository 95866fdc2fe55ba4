"""The deterministic demo-data generator: a national picture of the chain, with Harstad in focus.

``build(seed, persons, today)`` writes organisations (every municipality valid ``today``, IMDi, 31
reception centres, Harstad's services), one demo user per role, and ``persons`` persons in
households spread over every phase of the chain, each with a phase timeline that is a valid walk
through ``bro.people.rules`` and the ``Responsibility`` rows that ``bro.people.services`` would
have derived from it. Proportions and their sources: ``bro.demo.proportions``.

Demo data is not user activity: it bypasses the services (which check permissions and write one
audit entry per change) and writes rows directly with ``bulk_create`` in one transaction, so it
leaves **no audit entries**. Rules are still kept: every timeline is checked by
``rules.transition_error`` before it is written, and responsibility follows the same rule as
``services._responsible_set`` / ``_move_responsibility`` (a test compares the two).

Determinism: the same ``seed`` and ``today`` give the same rows, including every UUID primary key
and every timestamp (events are stamped on their own date). Integer primary keys (memberships,
languages, responsibilities) are the same on a fresh database. Only password hashes differ, as
their salt is random. Every demo UUID starts with ``de30de30``, which is how ``reset`` finds demo
data without touching anything else.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime
import importlib
import random
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bro.core.models import Membership, Municipality, Organisation, User
from bro.core.roles import ROLE_ORGANISATION_KINDS, CentreType, OrganisationKind, Role
from bro.demo import data
from bro.demo import proportions as P
from bro.demo.identity import duf_number, identity_number
from bro.people import rules
from bro.people.models import (
    Household,
    HouseholdMember,
    Person,
    PersonLanguage,
    PhaseEvent,
    Responsibility,
    SharedAccess,
)
from bro.people.phases import AccessBasis, FinishOutcome, ImmigrantCategory, Phase, Relation

DEMO_PASSWORD = "bro-demo-2026"
DEFAULT_SEED = 2026
DEFAULT_PERSONS = 3000
DEMO_ID_PREFIX = 0xDE30DE30
_LOW_BITS = 96
DEMO_ID_MIN = uuid.UUID(int=DEMO_ID_PREFIX << _LOW_BITS)
DEMO_ID_MAX = uuid.UUID(int=(DEMO_ID_PREFIX << _LOW_BITS) | ((1 << _LOW_BITS) - 1))
CHUNK_HOUSEHOLDS = 2000
SETTLE = "settle"  # placeholder for the settlement municipality until one is assigned

TEACHER_LEGAL_BASIS = "Integreringsloven § 40 – samarbeid om opplæring"
TEACHER_PURPOSE = "Opplæring i norsk og samfunnskunnskap"
NURSE_PURPOSE = "Helseoppfølging av nybosatte flyktninger (helsekartlegging og vaksinasjon)"


class DemoDataError(Exception):
    """The database is not in a state the generator can build into; the message says why."""


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    organisation: str  # key into the organisation book
    first_name: str
    last_name: str


DEMO_USERS = [
    DemoUser("admin", Role.ADMINISTRATOR, "imdi", "Siri", "Andersen"),
    DemoUser("imdi", Role.NATIONAL_SETTLEMENT_OFFICER, "imdi", "Jonas", "Berg"),
    DemoUser("harstad", Role.MUNICIPAL_SETTLEMENT_OFFICER, "harstad", "Ingrid", "Johansen"),
    DemoUser("programme", Role.PROGRAMME_ADVISER, "harstad", "Amira", "Haddad Nilsen"),
    DemoUser("teacher", Role.TEACHER, "adult_education", "Marte", "Olsen"),
    DemoUser("nurse", Role.HEALTH_NURSE, "health_service", "Hilde", "Pedersen"),
    DemoUser("reception", Role.RECEPTION_STAFF, "harstad_centre", "Ole", "Hansen"),
    DemoUser("coordinator", Role.VOLUNTEER_COORDINATOR, "volunteer_centre", "Tone", "Eriksen"),
    DemoUser("volunteer", Role.VOLUNTEER, "volunteer_organisation", "Per", "Nilsen"),
    DemoUser("leader", Role.LEADERSHIP, "harstad", "Anne", "Larsen"),
]


# --- small helpers ------------------------------------------------------------------------------


def demo_ids() -> Q:
    """Rows whose UUID primary key was made by this generator."""
    return Q(pk__gte=DEMO_ID_MIN, pk__lte=DEMO_ID_MAX)


class Ids:
    """UUIDs from a seeded generator, all starting with the demo prefix."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def __call__(self) -> uuid.UUID:
        return uuid.UUID(int=(DEMO_ID_PREFIX << _LOW_BITS) | self.rng.getrandbits(_LOW_BITS), version=4)


def _days(rng: random.Random, bounds: tuple[int, int]) -> int:
    return rng.randint(bounds[0], bounds[1])


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _stamp(day: datetime.date, seconds: int = 0) -> datetime.datetime:
    """A deterministic timestamp on ``day`` (local midnight plus ``seconds``)."""
    start = datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))
    return start + datetime.timedelta(seconds=seconds)


@contextlib.contextmanager
def explicit_timestamps(*fields: tuple):
    """Let bulk_create keep the timestamps we set instead of stamping ``now()``.

    ``fields`` are (model, field name) pairs. Demo rows are dated on their own day (so that same-day
    events keep their order and two builds are identical); ``auto_now``/``auto_now_add`` would overwrite
    that. The flags are restored afterwards. Every demo module uses this for its own models.
    """
    found = [model._meta.get_field(name) for model, name in fields]
    saved = [(f, f.auto_now, f.auto_now_add) for f in found]
    try:
        for f in found:
            f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _explicit_timestamps():
    return explicit_timestamps(
        (Organisation, "created_at"),
        (Membership, "created_at"),
        (Person, "created_at"),
        (Person, "updated_at"),
        (Household, "created_at"),
        (PhaseEvent, "recorded_at"),
        (SharedAccess, "granted_at"),
    )


# --- organisations ------------------------------------------------------------------------------


@dataclass
class OrgBook:
    """The organisations of one build, and the facts responsibility needs about them."""

    by_key: dict[str, Organisation] = field(default_factory=dict)
    municipalities: dict[str, Organisation] = field(default_factory=dict)  # number → organisation
    centres_by_type: dict[str, list[tuple[Organisation, int]]] = field(default_factory=dict)
    settlement_numbers: list[str] = field(default_factory=list)  # weighted choice, Harstad excluded
    settlement_cum_weights: list[float] = field(default_factory=list)
    kind_by_id: dict[uuid.UUID, str] = field(default_factory=dict)
    municipality_by_id: dict[uuid.UUID, int | None] = field(default_factory=dict)
    # For the responsibility rule: active municipality organisation per municipality, directorates.
    host_by_municipality: dict[int, uuid.UUID] = field(default_factory=dict)
    directorate_ids: list[uuid.UUID] = field(default_factory=list)
    place_names: dict[uuid.UUID, str] = field(default_factory=dict)  # municipality organisation → place

    def add(self, key: str, org: Organisation) -> Organisation:
        self.by_key[key] = org
        return org

    def centre(self, rng: random.Random, centre_type: str) -> Organisation:
        choices = self.centres_by_type[centre_type]
        return rng.choices([c for c, _w in choices], weights=[w for _c, w in choices])[0]

    def settlement_municipality(self, rng: random.Random, exclude: str | None = None) -> Organisation:
        while True:
            point = rng.random() * self.settlement_cum_weights[-1]
            number = self.settlement_numbers[bisect.bisect_right(self.settlement_cum_weights, point)]
            if number != exclude:
                return self.municipalities[number]


def _municipality_org_name(municipality: Municipality) -> str:
    name = data.NORWEGIAN_NAME.get(municipality.number) or municipality.name.split(" - ")[0]
    return f"{name} kommune"


def _build_organisations(rng: random.Random, ids: Ids, today: datetime.date) -> OrgBook:
    book = OrgBook()
    created = _stamp(_years_before(today, 3))
    valid = {m.number: m for m in Municipality.objects.valid_on(today)}
    if data.HARSTAD not in valid:
        raise DemoDataError(f"Harstad ({data.HARSTAD}) is not in the municipality registry on {today}.")

    centres = [c for c in data.CENTRES if c[1] in valid]
    host_numbers = {c[1] for c in centres}
    integration_numbers = {c[1] for c in centres if c[2] == CentreType.INTEGRATION}
    forced_settlers = {data.HARSTAD} | integration_numbers | set(data.POPULATION_THOUSANDS)

    orgs: list[Organisation] = []
    imdi = Organisation(
        id=ids(),
        kind=OrganisationKind.DIRECTORATE,
        name=data.IMDI_NAME,
        municipality=valid.get(data.IMDI_MUNICIPALITY),
        created_at=created,
    )
    orgs.append(book.add("imdi", imdi))

    for number, municipality in sorted(valid.items()):
        settles = number in forced_settlers or rng.random() < P.SETTLEMENT_MUNICIPALITY_SHARE
        org = Organisation(
            id=ids(),
            kind=OrganisationKind.MUNICIPALITY,
            name=_municipality_org_name(municipality),
            municipality=municipality,
            is_host_municipality=number in host_numbers,
            is_settlement_municipality=settles,
            created_at=created,
        )
        book.municipalities[number] = org
        book.place_names[org.id] = org.name.removesuffix(" kommune")
        orgs.append(org)
        if settles and number != data.HARSTAD:
            weight = (
                data.POPULATION_THOUSANDS.get(number, data.DEFAULT_SETTLEMENT_WEIGHT)
                ** P.SETTLEMENT_WEIGHT_POWER
            )
            book.settlement_numbers.append(number)
            book.settlement_cum_weights.append((book.settlement_cum_weights or [0])[-1] + weight)
    book.add("harstad", book.municipalities[data.HARSTAD])

    for name, number, centre_type, operator_kind, capacity in centres:
        org = Organisation(
            id=ids(),
            kind=OrganisationKind.RECEPTION_CENTRE,
            name=name,
            municipality=valid[number],
            operator_kind=operator_kind,
            centre_type=centre_type,
            created_at=created,
        )
        book.centres_by_type.setdefault(centre_type, []).append((org, capacity))
        book.add(f"centre:{name}", org)
        orgs.append(org)
    book.add("harstad_centre", book.by_key[f"centre:{data.HARSTAD_CENTRE}"])

    for kind, name in data.HARSTAD_ORGANISATIONS.items():
        org = Organisation(
            id=ids(), kind=kind, name=name, municipality=valid[data.HARSTAD], created_at=created
        )
        orgs.append(book.add(kind, org))

    _check_free(orgs)
    Organisation.objects.bulk_create(orgs)
    for org in orgs:
        book.kind_by_id[org.id] = org.kind
        book.municipality_by_id[org.id] = org.municipality_id
    # The responsibility rule looks these up in the database (services._responsible_set); so do we,
    # in the same order, so that organisations that were there before the demo count too.
    for org_id, municipality_id in (
        Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, is_active=True)
        .order_by("name")
        .values_list("id", "municipality_id")
    ):
        book.host_by_municipality.setdefault(municipality_id, org_id)
    book.directorate_ids = list(
        Organisation.objects.filter(kind=OrganisationKind.DIRECTORATE, is_active=True).values_list(
            "id", flat=True
        )
    )
    return book


def _check_free(orgs: list[Organisation]) -> None:
    if Organisation.objects.filter(demo_ids()).exists():
        raise DemoDataError("Demo organisations already exist; run with --reset to rebuild them.")
    taken = set(
        Organisation.objects.filter(
            kind=OrganisationKind.MUNICIPALITY,
            municipality_id__in=[o.municipality_id for o in orgs if o.kind == OrganisationKind.MUNICIPALITY],
        ).values_list("name", flat=True)
    )
    if taken:
        raise DemoDataError(
            f"{len(taken)} municipalities already have an organisation (e.g. {sorted(taken)[0]}); "
            "build the demo into an empty database."
        )
    clash = set(
        User.objects.filter(username__in=[u.username for u in DEMO_USERS]).values_list("username", flat=True)
    )
    if clash:
        raise DemoDataError(
            f"Users named {', '.join(sorted(clash))} exist and are not demo users; rename them."
        )


def _build_users(ids: Ids, book: OrgBook, today: datetime.date) -> dict[str, User]:
    joined = _stamp(_years_before(today, 2))
    users, memberships = {}, []
    password = None  # hashed once (Argon2 takes ~0.4 s a go) and shared: every demo user has the same one
    for spec in DEMO_USERS:
        organisation = book.by_key[spec.organisation]
        assert organisation.kind in ROLE_ORGANISATION_KINDS[spec.role], spec
        user = User(
            id=ids(),
            username=spec.username,
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=f"{spec.username}@demo.example.org",
            date_joined=joined,
            is_active=True,
        )
        if password is None:
            user.set_password(DEMO_PASSWORD)
            password = user.password
        user.password = password
        users[spec.username] = user
        memberships.append(
            Membership(user=user, organisation=organisation, role=spec.role, created_at=joined)
        )
    User.objects.bulk_create(users.values())
    Membership.objects.bulk_create(memberships)
    return users


# --- planning households and timelines -----------------------------------------------------------


@dataclass(slots=True)
class Step:
    phase: str
    date: datetime.date
    organisation: object  # an Organisation id, or SETTLE until the municipality is assigned
    note: str = ""
    outcome: str = ""


@dataclass(slots=True)
class MemberPlan:
    id: uuid.UUID
    relation: str
    sex: str
    birth_date: datetime.date
    birth_date_is_estimated: bool
    given_name: str
    family_name: str
    category: str
    steps: list[Step]  # own timeline (for reunified members) or None to use the household's
    reunified: bool = False


@dataclass(slots=True)
class HouseholdPlan:
    id: uuid.UUID
    path: str
    nationality: str
    mother_tongue: str
    is_unaccompanied_minor: bool
    stage: str
    steps: list[Step]
    members: list[MemberPlan]
    settled_on: datetime.date | None = None
    settle_in: Organisation | None = None  # forced (integration centre) or assigned
    integration_municipality: str | None = None


def _settlement_date(rng: random.Random, path: str, today: datetime.date) -> datetime.date:
    year = rng.choices(range(len(P.SETTLEMENT_YEARS[path])), weights=P.SETTLEMENT_YEARS[path])[0]
    return today - datetime.timedelta(days=year * 365 + rng.randint(0, 364))


class Planner:
    def __init__(self, rng: random.Random, ids: Ids, book: OrgBook, today: datetime.date):
        self.rng, self.ids, self.book, self.today = rng, ids, book, today
        self.arrival_centre = book.centres_by_type[CentreType.ARRIVAL][0][0]
        self.harstad_centre = book.by_key["harstad_centre"]
        self.harstad_centre_used = False

    # Paths ------------------------------------------------------------------------------------

    def household(self, path: str, room: int, stage: str | None = None) -> HouseholdPlan:
        rng = self.rng
        nationality = _weighted(rng, P.NATIONALITIES[path])
        tongue = _weighted(rng, dict(data.MOTHER_TONGUES[nationality]))
        stage = stage or self._stage(path, nationality)
        steps, settled_on, integration = self._timeline(path, stage)
        plan = HouseholdPlan(
            id=self.ids(),
            path=path,
            nationality=nationality,
            mother_tongue=tongue,
            is_unaccompanied_minor=path == P.UNACCOMPANIED,
            stage=stage,
            steps=steps,
            members=[],
            settled_on=settled_on,
            integration_municipality=integration,
        )
        self._members(plan, room)
        if path == P.UNACCOMPANIED:
            self._place_minor(plan)
        return plan

    def _stage(self, path: str, nationality: str) -> str:
        """Where a household stands today: before the decision, granted, or rejected."""
        rng = self.rng
        if path == P.RESETTLEMENT:
            return _weighted(rng, P.GRANTED_STAGES[path])
        stage = _weighted(rng, P.PRE_DECISION_STAGES[path])
        if stage != "decided":
            return stage
        rate = P.UNACCOMPANIED_REJECTION_RATE if path == P.UNACCOMPANIED else P.REJECTION_RATE[nationality]
        branch = P.REJECTED_STAGES if rng.random() < rate else P.GRANTED_STAGES
        return _weighted(rng, branch[path])

    def _centre_for(self, centre_type: str, current: bool) -> Organisation:
        # Make sure the demo reception user's centre has residents today.
        if current and centre_type == CentreType.ORDINARY and not self.harstad_centre_used:
            self.harstad_centre_used = True
            return self.harstad_centre
        return self.book.centre(self.rng, centre_type)

    def _timeline(self, path: str, stage: str) -> tuple[list[Step], datetime.date | None, str | None]:
        rng, today = self.rng, self.today
        imdi = self.book.by_key["imdi"].id
        if path == P.RESETTLEMENT:
            if stage == Phase.SETTLED:
                settled_on = _settlement_date(rng, path, today)
                permit = settled_on - datetime.timedelta(days=_days(rng, P.RESETTLEMENT_PERMIT_TO_SETTLED))
                return (
                    [
                        Step(Phase.PERMIT_GRANTED, permit, imdi, "Overføringsflyktning, uttatt av UNHCR"),
                        Step(Phase.SETTLED, settled_on, SETTLE),
                    ],
                    settled_on,
                    None,
                )
            permit = today - datetime.timedelta(days=_days(rng, P.RESETTLEMENT_WAITING))
            return (
                [Step(Phase.PERMIT_GRANTED, permit, imdi, "Overføringsflyktning, uttatt av UNHCR")],
                None,
                None,
            )

        # Asylum seekers, unaccompanied minors and Ukrainians: arrival centre → reception → …
        low, high = P.TIME_IN_STAGE.get(stage, (0, 0))
        if path == P.UNACCOMPANIED:
            high = min(high, P.UNACCOMPANIED_MAX_TIME_IN_STAGE)  # they are still minors today
        if stage == Phase.ARRIVAL:
            arrived = today - datetime.timedelta(days=rng.randint(low, high))
            return [Step(Phase.ARRIVAL, arrived, self.arrival_centre.id, "")], None, None
        chain: list[tuple[str, object, str]] = [(Phase.ARRIVAL, self.arrival_centre.id, "")]
        gaps: list[int] = []
        integration = None
        first = None
        if path == P.UKRAINE:
            if rng.random() < P.UKRAINE_EMERGENCY:
                first = self.book.centre(rng, CentreType.EMERGENCY)
        elif path == P.ASYLUM and rng.random() < P.FIRST_CENTRE_TRANSIT:
            first = self.book.centre(rng, CentreType.TRANSIT)
        if path == P.UNACCOMPANIED:
            main = "unaccompanied"  # chosen once the minor's age is known
        elif rng.random() < P.INTEGRATION_CENTRE_SHARE:
            main = self.book.centre(rng, CentreType.INTEGRATION)
            integration = main
        else:
            main = self._centre_for(CentreType.ORDINARY, stage in rules.RECEPTION_PHASES)
        if first is not None:
            chain.append((Phase.RECEPTION, first.id, ""))
            gaps.append(_days(rng, P.ARRIVAL_TO_RECEPTION))
            chain.append(
                (Phase.RECEPTION, main if isinstance(main, str) else main.id, "Flyttet til nytt mottak")
            )
            gaps.append(_days(rng, P.TRANSFER_AFTER))
        else:
            chain.append((Phase.RECEPTION, main if isinstance(main, str) else main.id, ""))
            gaps.append(_days(rng, P.ARRIVAL_TO_RECEPTION))
        carried = chain[-1][1]

        settled_at = None
        if stage in (Phase.PERMIT_GRANTED, Phase.READY_FOR_SETTLEMENT, Phase.SETTLED):
            note = "Kollektiv beskyttelse" if path == P.UKRAINE else "Innvilget oppholdstillatelse"
            chain.append((Phase.PERMIT_GRANTED, carried, note))
            gaps.append(_days(rng, P.PROCESSING[path]))
            if stage in (Phase.READY_FOR_SETTLEMENT, Phase.SETTLED):
                chain.append((Phase.READY_FOR_SETTLEMENT, carried, "Bosettingssamtale gjennomført"))
                gaps.append(_days(rng, P.PERMIT_TO_READY))
            if stage == Phase.SETTLED:
                self_settled = rng.random() < P.SELF_SETTLEMENT[path]
                chain.append((Phase.SETTLED, SETTLE, "Avtalt selvbosetting" if self_settled else ""))
                gaps.append(_days(rng, P.READY_TO_SETTLED[path]))
                settled_at = len(chain) - 1
        elif stage in ("final_rejection", "returned", "undocumented", "undocumented_returned"):
            chain.append((Phase.FINAL_REJECTION, carried, "Endelig avslag"))
            gaps.append(_days(rng, P.RECEPTION_TO_REJECTION))
            if stage == "returned":
                chain.append((Phase.RETURNED, carried, rng.choice(["Assistert retur", "Uttransportert"])))
                gaps.append(_days(rng, P.REJECTION_TO_RETURN))
            elif stage in ("undocumented", "undocumented_returned"):
                chain.append((Phase.UNDOCUMENTED, carried, "Forlot mottaket"))
                gaps.append(_days(rng, P.REJECTION_TO_UNDOCUMENTED))
                if stage == "undocumented_returned":
                    chain.append((Phase.RETURNED, carried, "Uttransportert"))
                    gaps.append(_days(rng, P.UNDOCUMENTED_TO_RETURN))
        # Anchor: the settlement date, or the time already spent in the current stage.
        if settled_at is not None:
            anchor = _settlement_date(rng, path, today)
        else:
            anchor = today - datetime.timedelta(days=rng.randint(low, high))
        dates = [anchor]
        for gap in reversed(gaps):
            dates.append(dates[-1] - datetime.timedelta(days=gap))
        dates.reverse()
        steps = [Step(phase, day, org, note) for (phase, org, note), day in zip(chain, dates, strict=True)]
        return (
            steps,
            (anchor if settled_at is not None else None),
            (integration.municipality.number if integration is not None else None),
        )

    # Members ----------------------------------------------------------------------------------

    def _names(self, nationality: str):
        return data.NAMES[nationality]

    def _given(self, nationality: str, sex: str, taken: set[str]) -> str:
        names = self._names(nationality)[sex]
        for _ in range(10):
            name = self.rng.choice(names)
            if name not in taken:
                break
        taken.add(name)
        return name

    def _family_name(self, nationality: str, sex: str, shared: tuple[str, str] | None) -> str:
        names = self._names(nationality)
        if names.get("patronymic"):
            return self.rng.choice(names["male"])
        if shared is not None and not names.get("own_family_names"):
            return shared[0] if sex == "male" else shared[1]
        if nationality == "UA" and self.rng.random() < 0.25:
            return self.rng.choice(names["gendered_family"])[0 if sex == "male" else 1]
        return self.rng.choice(names["family"])

    def _composition(self, path: str, size: int) -> list[tuple[str, str, int]]:
        """(relation, sex, age at the first event) for each member."""
        rng = self.rng
        if path == P.UNACCOMPANIED:
            sex = "male" if rng.random() < P.SINGLE_MALE_SHARE[path] else "female"
            return [
                (Relation.PRINCIPAL, sex, rng.choices([12, 13, 14, 15, 16, 17], [3, 5, 7, 25, 35, 25])[0])
            ]
        if size == 1:
            sex = "male" if rng.random() < P.SINGLE_MALE_SHARE[path] else "female"
            if rng.random() < P.ELDERLY_SINGLE_SHARE[path]:
                return [(Relation.PRINCIPAL, sex, rng.randint(60, 80))]
            return [(Relation.PRINCIPAL, sex, int(rng.triangular(18, 50, 24)))]
        principal_female = rng.random() < (0.85 if path == P.UKRAINE else 0.25)
        sex = "female" if principal_female else "male"
        age = int(rng.triangular(21, 58, 32))
        members = [(Relation.PRINCIPAL, sex, age)]
        room = size - 1
        if room and rng.random() < P.SPOUSE_SHARE[path]:
            other = "male" if principal_female else "female"
            spouse_age = max(18, age + (rng.randint(-2, 6) if other == "male" else rng.randint(-8, 2)))
            members.append((Relation.SPOUSE, other, spouse_age))
            room -= 1
        if room >= 2 and rng.random() < P.GRANDPARENT_SHARE[path]:
            members.append(
                (
                    Relation.PARENT,
                    rng.choice(["female", "female", "male"]),
                    rng.randint(max(age + 18, 55), 85),
                )
            )
            room -= 1
        for _ in range(room):
            members.append(
                (Relation.CHILD, rng.choice(["male", "female"]), rng.randint(0, min(17, age - 18)))
            )
        return members

    def _birth_date(self, nationality: str, first: datetime.date, age: int) -> tuple[datetime.date, bool]:
        rng = self.rng
        birth = _years_before(first, age) - datetime.timedelta(days=rng.randint(0, 364))
        share = P.ESTIMATED_BIRTH_DATE.get(nationality, P.ESTIMATED_BIRTH_DATE_OTHER)
        if age >= 18 and rng.random() < share:
            return birth.replace(month=1, day=1), True
        return birth, False

    def _category(self, path: str, stage: str, rng: random.Random) -> str:
        if path == P.UKRAINE:
            return ImmigrantCategory.COLLECTIVE_PROTECTION
        if path == P.RESETTLEMENT:
            return ImmigrantCategory.RESETTLEMENT_REFUGEE
        if stage in (Phase.PERMIT_GRANTED, Phase.READY_FOR_SETTLEMENT, Phase.SETTLED):
            return ImmigrantCategory.REFUGEE if rng.random() < 0.85 else ImmigrantCategory.HUMANITARIAN
        return ImmigrantCategory.ASYLUM_SEEKER

    def _members(self, plan: HouseholdPlan, room: int) -> None:
        rng = self.rng
        size = min(room, _weighted(rng, P.HOUSEHOLD_SIZES[plan.path]))
        composition = self._composition(plan.path, size)
        first = plan.steps[0].date
        category = self._category(plan.path, plan.stage, rng)
        taken: set[str] = set()
        principal_sex = composition[0][1]
        shared = None
        names = self._names(plan.nationality)
        if not names.get("patronymic") and not names.get("own_family_names"):
            if plan.nationality == "UA" and rng.random() < 0.25:
                shared = rng.choice(names["gendered_family"])
            else:
                surname = rng.choice(names["family"])
                shared = (surname, surname)
        father_given = None
        for relation, sex, age in composition:
            given = self._given(plan.nationality, sex, taken)
            if names.get("patronymic") and relation == Relation.CHILD:
                family = father_given or self._family_name(plan.nationality, sex, None)
            elif names.get("patronymic") and relation == Relation.PARENT:
                family = self._family_name(plan.nationality, sex, None)
            else:
                family = self._family_name(plan.nationality, sex, shared)
            if sex == "male" and relation in (Relation.PRINCIPAL, Relation.SPOUSE) and father_given is None:
                father_given = given
            birth, estimated = self._birth_date(plan.nationality, first, age)
            plan.members.append(
                MemberPlan(
                    id=self.ids(),
                    relation=relation,
                    sex=sex,
                    birth_date=birth,
                    birth_date_is_estimated=estimated,
                    given_name=given,
                    family_name=family,
                    category=category,
                    steps=None,
                )
            )
        # Family reunification: a settled man's wife and children join him later (004:L494–496).
        if (
            plan.settled_on is not None
            and plan.path in (P.ASYLUM, P.RESETTLEMENT)
            and len(plan.members) < room
        ):
            single_man = len(plan.members) == 1 and principal_sex == "male" and composition[0][2] < 50
            chance = P.REUNIFICATION_SINGLE if single_man else P.REUNIFICATION_FAMILY
            join = plan.settled_on + datetime.timedelta(days=_days(rng, P.REUNIFIED_JOIN_AFTER))
            if rng.random() < chance and join <= self.today:
                self._reunify(plan, join, single_man, room - len(plan.members), taken, father_given)

    def _reunify(self, plan, join, single_man, room, taken, father_given) -> None:
        rng = self.rng
        principal = plan.members[0]
        joiners: list[tuple[str, str, int]] = []
        age_at_join = rules.age_on(principal.birth_date, join)
        if single_man:
            joiners.append((Relation.SPOUSE, "female", max(18, age_at_join + rng.randint(-8, 1))))
            for _ in range(rng.choices([0, 1, 2, 3, 4], [25, 25, 25, 15, 10])[0]):
                youngest_parent = max(0, min(15, age_at_join - 19))
                joiners.append(
                    (Relation.CHILD, rng.choice(["male", "female"]), rng.randint(0, youngest_parent))
                )
        else:
            joiners.append((Relation.CHILD, rng.choice(["male", "female"]), rng.randint(0, 15)))
        settled = join + datetime.timedelta(days=_days(rng, P.REUNIFIED_PERMIT_TO_SETTLED))
        names = self._names(plan.nationality)
        shared = (principal.family_name, principal.family_name)
        for relation, sex, age in joiners[:room]:
            given = self._given(plan.nationality, sex, taken)
            if names.get("patronymic"):
                family = (
                    (father_given or principal.given_name)
                    if relation == Relation.CHILD
                    else self._family_name(plan.nationality, sex, None)
                )
            else:
                family = self._family_name(plan.nationality, sex, shared)
            birth, estimated = self._birth_date(plan.nationality, join, age)
            steps = [Step(Phase.PERMIT_GRANTED, join, SETTLE, "Familiegjenforening")]
            if settled <= self.today:
                steps.append(Step(Phase.SETTLED, settled, SETTLE))
            plan.members.append(
                MemberPlan(
                    id=self.ids(),
                    relation=relation,
                    sex=sex,
                    birth_date=birth,
                    birth_date_is_estimated=estimated,
                    given_name=given,
                    family_name=family,
                    category=ImmigrantCategory.FAMILY_REUNIFIED,
                    steps=steps,
                    reunified=True,
                )
            )

    def _place_minor(self, plan: HouseholdPlan) -> None:
        """Unaccompanied minors are under 18 today; the under-15s live in a care centre."""
        rng, today = self.rng, self.today
        minor = plan.members[0]
        earliest = _years_before(today, 18) + datetime.timedelta(days=1)
        if minor.birth_date < earliest:
            minor.birth_date = earliest + datetime.timedelta(days=rng.randint(0, 60))
            minor.birth_date_is_estimated = False
        minor.birth_date = min(minor.birth_date, plan.steps[0].date)
        arrival_age = rules.age_on(minor.birth_date, plan.steps[0].date)
        centre_type = CentreType.CARE_CENTRE if arrival_age < 15 else CentreType.UNACCOMPANIED_MINORS
        centre = self.book.centre(rng, centre_type).id
        for step in plan.steps:
            if step.organisation == "unaccompanied":
                step.organisation = centre


# --- settlement municipalities -------------------------------------------------------------------


def _assign_municipalities(
    rng: random.Random, plans: list[HouseholdPlan], book: OrgBook, today, persons
) -> None:
    harstad = book.municipalities[data.HARSTAD]
    per_year = min(P.HARSTAD_PER_YEAR, max(1, round(persons * P.HARSTAD_MAX_YEARLY_SHARE)))
    for plan in plans:
        if plan.settled_on is not None and plan.integration_municipality:
            org = book.municipalities[plan.integration_municipality]
            plan.settle_in = org if org.is_settlement_municipality else None
    for year in range(P.HARSTAD_YEARS):
        start = today - datetime.timedelta(days=(year + 1) * 365)
        end = today - datetime.timedelta(days=year * 365)
        candidates = [
            p
            for p in plans
            if p.settled_on is not None and p.settle_in is None and start < p.settled_on <= end
        ]
        keyed = []
        for p in candidates:
            weight = P.HARSTAD_RESETTLEMENT_PREFERENCE if p.path == P.RESETTLEMENT else 1.0
            keyed.append((rng.random() ** (1 / weight), p))
        keyed.sort(key=lambda item: item[0], reverse=True)
        count = 0
        for _key, p in keyed:
            if count >= per_year:
                break
            size = sum(1 for m in p.members if not m.reunified)  # the reunified come on top (004:L494)
            if count and count + size > per_year * 1.5:
                continue
            p.settle_in = harstad
            count += size
    for plan in plans:
        if plan.settle_in is None and (plan.settled_on is not None or any(m.reunified for m in plan.members)):
            plan.settle_in = book.settlement_municipality(rng)


# --- finishing persons: programme, moves, identity, languages, responsibility ---------------------


@dataclass
class Rows:
    households: list = field(default_factory=list)
    persons: list = field(default_factory=list)
    members: list = field(default_factory=list)
    languages: list = field(default_factory=list)
    events: list = field(default_factory=list)
    responsibilities: list = field(default_factory=list)
    shared: list = field(default_factory=list)

    def write(self) -> None:
        Household.objects.bulk_create(self.households)
        Person.objects.bulk_create(self.persons)
        HouseholdMember.objects.bulk_create(self.members)
        PersonLanguage.objects.bulk_create(self.languages)
        PhaseEvent.objects.bulk_create(self.events)
        Responsibility.objects.bulk_create(self.responsibilities)
        SharedAccess.objects.bulk_create(self.shared)


def responsible_set(phase: str, organisation_id, book: OrgBook) -> dict:
    """``rules.responsible_organisations`` on the in-memory organisation book."""
    return rules.responsible_organisations(
        phase,
        organisation_id,
        is_reception_centre=book.kind_by_id.get(organisation_id) == OrganisationKind.RECEPTION_CENTRE,
        host_municipality=book.host_by_municipality.get(book.municipality_by_id.get(organisation_id)),
        directorates=book.directorate_ids,
    )


def responsibility_rows(steps: list[Step], book: OrgBook) -> list[list]:
    """[organisation id, reason, since, until] rows, as ``services._move_responsibility`` leaves them."""
    rows: list[list] = []
    open_rows: dict = {}
    for step in steps:
        ending, starting = rules.responsibility_changes(
            {org_id: row[1] for org_id, row in open_rows.items()},
            responsible_set(step.phase, step.organisation, book),
        )
        for org_id in ending:
            open_rows.pop(org_id)[3] = step.date
        for org_id, reason in starting:
            row = [org_id, reason, step.date, None]
            rows.append(row)
            open_rows[org_id] = row
    return rows


class Finisher:
    def __init__(self, rng, ids, book, users, today):
        self.rng, self.ids, self.book, self.today = rng, ids, book, today
        self.users = users
        self.used_numbers = set(
            Person.objects.exclude(national_identity_number=None).values_list(
                "national_identity_number", flat=True
            )
        )
        self.used_duf = set(Person.objects.exclude(duf_number=None).values_list("duf_number", flat=True))
        self.harstad = book.municipalities[data.HARSTAD].id
        self.teacher_org = book.by_key["adult_education"].id
        self.nurse_org = book.by_key["health_service"].id
        self.phases: Counter = Counter()
        self.categories: Counter = Counter()
        self.harstad_by_year = [0] * P.HARSTAD_YEARS

    def household(self, plan: HouseholdPlan, rows: Rows) -> None:
        rng, today = self.rng, self.today
        municipality = plan.settle_in.id if plan.settle_in is not None else None
        base = [
            Step(s.phase, s.date, municipality if s.organisation == SETTLE else s.organisation, s.note)
            for s in plan.steps
        ]
        # A secondary move, soon after settlement, for a few households (settled → settled).
        moved_on = None
        if (
            plan.settled_on is not None
            and municipality != self.harstad
            and not any(m.reunified for m in plan.members)
            and rng.random() < P.SECONDARY_MOVE
        ):
            moved_on = plan.settled_on + datetime.timedelta(days=_days(rng, P.SECONDARY_MOVE_AFTER))
            if moved_on <= today:
                target = self.book.settlement_municipality(rng, exclude=plan.settle_in.municipality.number)
                if target.id != self.harstad and target.id != municipality:
                    base.append(Step(Phase.SETTLED, moved_on, target.id, "Sekundærflytting"))
                    municipality = target.id
        first_date = min(m.steps[0].date if m.steps else base[0].date for m in plan.members)
        rows.households.append(
            Household(
                id=plan.id, is_unaccompanied_minor=plan.is_unaccompanied_minor, created_at=_stamp(first_date)
            )
        )
        address = ""
        street = f"{rng.choice(data.STREETS)} {rng.randint(1, 120)}"
        for member in plan.members:
            if member.steps is not None:
                steps = [
                    Step(
                        s.phase, s.date, municipality if s.organisation == SETTLE else s.organisation, s.note
                    )
                    for s in member.steps
                ]
            else:
                steps = [Step(s.phase, s.date, s.organisation, s.note) for s in base]
            self._programme(plan, member, steps)
            self._check(member, steps)
            last = steps[-1]
            if last.phase in (Phase.SETTLED, Phase.IN_PROGRAMME, Phase.FINISHED) and not address:
                town = self.book.place_names[last.organisation]
                address = f"{street}, {town}"
            self._person(plan, member, steps, rows, address if last.phase in _SETTLED_PHASES else "")
            self.phases[last.phase] += 1
            self.categories[member.category] += 1
            for step in steps:
                if step.phase == Phase.SETTLED and step.organisation == self.harstad:
                    year = (self.today - step.date).days // 365
                    if year < len(self.harstad_by_year):
                        self.harstad_by_year[year] += 1

    def _programme(self, plan: HouseholdPlan, member: MemberPlan, steps: list[Step]) -> None:
        """Introduction programme for adults 18–55 from their (last) settlement (004:L378–380)."""
        rng, today = self.rng, self.today
        settled = [s for s in steps if s.phase == Phase.SETTLED]
        if not settled:
            return
        since = settled[-1].date
        age = rules.age_on(member.birth_date, settled[0].date)
        if not (P.PROGRAMME_MIN_AGE <= age <= P.PROGRAMME_MAX_AGE):
            return
        organisation = settled[-1].organisation
        if rng.random() >= P.PROGRAMME_PARTICIPATION:
            if rng.random() < P.NO_PROGRAMME_STRAIGHT_TO_WORK:
                day = since + datetime.timedelta(days=_days(rng, P.NO_PROGRAMME_WORK_AFTER))
                if day <= today:
                    steps.append(
                        Step(Phase.FINISHED, day, organisation, "Gikk rett i arbeid", FinishOutcome.WORK)
                    )
            return
        late = rng.random() >= P.PROGRAMME_START_ON_TIME
        start = since + datetime.timedelta(
            days=_days(rng, P.PROGRAMME_START_LATE if late else P.PROGRAMME_START)
        )
        if start > today:
            return
        steps.append(Step(Phase.IN_PROGRAMME, start, organisation, "Introduksjonsprogram startet"))
        if plan.path == P.UKRAINE:
            length = _days(rng, P.PROGRAMME_LENGTH_UKRAINE)
        elif rng.random() < P.PROGRAMME_THIRD_YEAR:
            length = _days(rng, P.PROGRAMME_LENGTH_LONG)
        else:
            length = _days(rng, P.PROGRAMME_LENGTH)
        end = start + datetime.timedelta(days=length)
        outcome = rng.choices(
            [FinishOutcome.WORK, FinishOutcome.EDUCATION, FinishOutcome.OTHER], weights=P.OUTCOMES[member.sex]
        )[0]
        if end <= today:
            note = rng.choice(_OUTCOME_NOTES[outcome])
            steps.append(Step(Phase.FINISHED, end, organisation, note, outcome))

    def _check(self, member: MemberPlan, steps: list[Step]) -> None:
        current, last_date, lived_in_reception = None, None, False
        for step in steps:
            error = rules.transition_error(
                current_phase=current,
                target_phase=step.phase,
                on=step.date,
                today=self.today,
                last_event_date=last_date,
                birth_date=member.birth_date,
                category=member.category,
                lived_in_reception=lived_in_reception,
                outcome=step.outcome,
            )
            if error is not None:
                raise AssertionError(f"demo timeline breaks the rules ({error.code}): {member} {steps}")
            current, last_date = step.phase, step.date
            lived_in_reception = lived_in_reception or step.phase == Phase.RECEPTION

    def _person(self, plan, member: MemberPlan, steps: list[Step], rows: Rows, address: str) -> None:
        rng = self.rng
        last = steps[-1]
        fnr_share, d_share = P.IDENTITY[last.phase]
        draw = rng.random()
        number = None
        if draw < fnr_share + d_share:
            number = identity_number(
                rng, member.birth_date, member.sex, d_number=draw >= fnr_share, used=self.used_numbers
            )
        person = Person(
            id=member.id,
            given_name=member.given_name,
            family_name=member.family_name,
            birth_date=member.birth_date,
            birth_date_is_estimated=member.birth_date_is_estimated,
            sex=member.sex,
            nationalities=[plan.nationality],
            immigrant_category=member.category,
            national_identity_number=number,
            duf_number=duf_number(rng, steps[0].date.year, self.used_duf),
            address=address,
            current_phase=last.phase,
            current_phase_since=last.date,
            responsible_organisation_id=last.organisation,
            created_at=_stamp(steps[0].date),
            updated_at=_stamp(last.date, len(steps)),
        )
        rows.persons.append(person)
        rows.members.append(
            HouseholdMember(household_id=plan.id, person_id=member.id, relation=member.relation)
        )
        for index, step in enumerate(steps):
            rows.events.append(
                PhaseEvent(
                    id=self.ids(),
                    person_id=member.id,
                    phase=step.phase,
                    date=step.date,
                    organisation_id=step.organisation,
                    outcome=step.outcome,
                    note=step.note,
                    recorded_for_id=step.organisation,
                    recorded_at=_stamp(step.date, index + 1),
                )
            )
        for org_id, reason, since, until in responsibility_rows(steps, self.book):
            rows.responsibilities.append(
                Responsibility(
                    person_id=member.id, organisation_id=org_id, reason=reason, since=since, until=until
                )
            )
        self._languages(plan, member, steps, rows)
        self._shared_access(member, steps, rows)

    def _languages(self, plan, member: MemberPlan, steps: list[Step], rows: Rows) -> None:
        rng, today = self.rng, self.today
        years = (today - steps[0].date).days // 365
        if rules.age_on(member.birth_date, today) < 16 and years >= 1:
            interpreter = rng.random() < P.INTERPRETER_CHILD
        else:
            interpreter = rng.random() < P.INTERPRETER_BY_YEARS[min(years, len(P.INTERPRETER_BY_YEARS) - 1)]
        languages = [(plan.mother_tongue, True, interpreter)]
        if rules.age_on(member.birth_date, today) >= 16 and rng.random() < P.SECOND_LANGUAGE:
            second = rng.choice(data.SECOND_LANGUAGES[plan.nationality])
            if second != plan.mother_tongue:
                languages.append((second, False, False))
        settled = [s.date for s in steps if s.phase == Phase.SETTLED]
        if settled and (today - settled[0]).days >= P.NORWEGIAN_AFTER_YEARS * 365:
            languages.append(("nb", False, False))
        for code, preferred, needs in languages:
            rows.languages.append(
                PersonLanguage(
                    person_id=member.id, language=code, is_preferred=preferred, needs_interpreter=needs
                )
            )

    def _shared_access(self, member: MemberPlan, steps: list[Step], rows: Rows) -> None:
        """Harstad shares programme participants with adult education, newcomers with the health nurse."""
        rng, today = self.rng, self.today
        last = steps[-1]
        if last.organisation != self.harstad:
            return
        programme = next((s for s in steps if s.phase == Phase.IN_PROGRAMME), None)
        granted_by = self.users["programme"]
        if programme is not None:
            revoked = _stamp(last.date, 99) if last.phase == Phase.FINISHED else None
            rows.shared.append(
                SharedAccess(
                    person_id=member.id,
                    organisation_id=self.teacher_org,
                    basis=AccessBasis.LEGAL_BASIS,
                    legal_basis=TEACHER_LEGAL_BASIS,
                    purpose=TEACHER_PURPOSE,
                    granted_by=granted_by,
                    granted_at=_stamp(programme.date, 50),
                    revoked_at=revoked,
                )
            )
        settled = next((s for s in steps if s.phase == Phase.SETTLED), None)
        if settled is not None and (today - settled.date).days <= 4 * 365 and rng.random() < 0.9:
            consent = min(today, settled.date + datetime.timedelta(days=rng.randint(0, 30)))
            rows.shared.append(
                SharedAccess(
                    person_id=member.id,
                    organisation_id=self.nurse_org,
                    basis=AccessBasis.CONSENT,
                    consent_date=consent,
                    purpose=NURSE_PURPOSE,
                    granted_by=self.users["harstad"],
                    valid_until=settled.date + datetime.timedelta(days=4 * 365),
                    granted_at=_stamp(consent, 60),
                )
            )


_SETTLED_PHASES = frozenset({Phase.SETTLED, Phase.IN_PROGRAMME, Phase.FINISHED})
_OUTCOME_NOTES = {
    FinishOutcome.WORK: ["Fast ansettelse", "Midlertidig ansettelse", "Deltidsstilling", "Lærlingplass"],
    FinishOutcome.EDUCATION: [
        "Videregående opplæring",
        "Fagskole",
        "Høyere utdanning",
        "Grunnskole for voksne",
    ],
    FinishOutcome.OTHER: ["Helsegrunner", "Foreldrepermisjon", "Avsluttet uten overgang", "Flyttet"],
}


# --- the whole build -----------------------------------------------------------------------------


@dataclass
class BuildResult:
    seed: int
    today: datetime.date
    persons: int
    households: int
    organisations: int
    events: int
    responsibilities: int
    shared_access: int
    seconds: float
    phases: Counter
    categories: Counter
    nationalities: Counter
    unaccompanied_minors: int
    harstad_settled_by_year: list[int]
    harstad_current: int


def _household_weights(persons: int) -> dict[str, float]:
    weights = {}
    for path, share in P.PATH_PERSON_SHARES.items():
        sizes = P.HOUSEHOLD_SIZES[path]
        mean = sum(s * w for s, w in sizes.items()) / sum(sizes.values())
        weights[path] = share / mean
    return weights


def build(
    seed: int = DEFAULT_SEED,
    persons: int = DEFAULT_PERSONS,
    today: datetime.date | None = None,
    *,
    log: Callable[[str], None] | None = None,
) -> BuildResult:
    """Write the demo into an empty database (or one that ``reset`` has cleared) and say what it wrote."""
    today = today or timezone.localdate()
    log = log or (lambda message: None)
    started = time.perf_counter()
    id_rng = random.Random(f"{seed}:ids")
    ids = Ids(id_rng)
    with transaction.atomic(), _explicit_timestamps():
        book = _build_organisations(random.Random(f"{seed}:organisations"), ids, today)
        users = _build_users(ids, book, today)
        log(f"{len(book.kind_by_id)} organisations and {len(users)} demo users")

        planner = Planner(random.Random(f"{seed}:households"), ids, book, today)
        weights = _household_weights(persons)
        path_rng = random.Random(f"{seed}:paths")
        plans: list[HouseholdPlan] = []
        planned = 0
        coverage = list(P.COVERAGE)  # a few households first, so that even a small demo has every phase
        while planned < persons:
            path, stage = coverage.pop(0) if coverage else (_weighted(path_rng, weights), None)
            plan = planner.household(path, persons - planned, stage)
            plans.append(plan)
            planned += len(plan.members)
        _assign_municipalities(random.Random(f"{seed}:settlement"), plans, book, today, persons)
        log(f"planned {planned} persons in {len(plans)} households")

        finisher = Finisher(random.Random(f"{seed}:persons"), ids, book, users, today)
        totals = Counter()
        for start in range(0, len(plans), CHUNK_HOUSEHOLDS):
            rows = Rows()
            for plan in plans[start : start + CHUNK_HOUSEHOLDS]:
                finisher.household(plan, rows)
            rows.write()
            totals.update(
                events=len(rows.events), responsibilities=len(rows.responsibilities), shared=len(rows.shared)
            )
            log(f"  wrote {min(start + CHUNK_HOUSEHOLDS, len(plans))}/{len(plans)} households")

        for extension in _extensions():
            extension.build(seed=seed, today=today, log=log)

    return _summary(seed, today, plans, book, finisher, totals, time.perf_counter() - started)


def _summary(seed, today, plans, book, finisher, totals, seconds) -> BuildResult:
    harstad = book.municipalities[data.HARSTAD]
    return BuildResult(
        seed=seed,
        today=today,
        persons=sum(len(p.members) for p in plans),
        households=len(plans),
        organisations=len(book.kind_by_id),
        events=totals["events"],
        responsibilities=totals["responsibilities"],
        shared_access=totals["shared"],
        seconds=seconds,
        phases=finisher.phases,
        categories=finisher.categories,
        nationalities=Counter(p.nationality for p in plans for _m in p.members),
        unaccompanied_minors=sum(1 for p in plans if p.is_unaccompanied_minor),
        harstad_settled_by_year=finisher.harstad_by_year,
        harstad_current=Responsibility.objects.filter(organisation=harstad, until__isnull=True).count(),
    )


# --- extensions, reset and the login table ------------------------------------------------------


def _extensions() -> list:
    """Each app's demo module (``settings.BRO_DEMO_EXTENSIONS``), built after persons and households.

    A module has ``build(seed, today, log)`` — deterministic from the seed, reading the persons and
    organisations built here — and ``reset(log)``, which deletes what its ``build`` wrote.
    """
    return [importlib.import_module(name) for name in settings.BRO_DEMO_EXTENSIONS]


@transaction.atomic
def reset(log: Callable[[str], None] | None = None) -> dict[str, int]:
    """Delete demo persons, households, users and organisations, and anything that points into them.

    Persons registered by hand in a demo database refer to demo organisations and go too; audit
    entries stay (their user/organisation links are emptied by the models' SET_NULL).
    """
    log = log or (lambda message: None)
    for extension in reversed(_extensions()):
        extension.reset(log=log)
    demo_orgs = Organisation.objects.filter(demo_ids())
    counts = {"persons": Person.objects.filter(demo_ids()).delete()[1].get("people.Person", 0)}
    pointing = (
        Person.objects.filter(
            Q(responsible_organisation__in=demo_orgs)
            | Q(phase_events__organisation__in=demo_orgs)
            | Q(responsibilities__organisation__in=demo_orgs)
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    counts["persons"] += Person.objects.filter(pk__in=list(pointing)).delete()[1].get("people.Person", 0)
    counts["households"] = Household.objects.filter(demo_ids() | Q(members__isnull=True)).delete()[0]
    counts["users"] = User.objects.filter(demo_ids()).delete()[1].get("core.User", 0)
    counts["organisations"] = demo_orgs.delete()[1].get("core.Organisation", 0)
    log(", ".join(f"{n} {what}" for what, n in counts.items()) + " deleted")
    return counts


def login_rows() -> list[tuple[str, str, str]]:
    """(username, role, organisation) for each demo user in the database."""
    rows = []
    users = {
        u.username: u for u in User.objects.filter(demo_ids(), username__in=[d.username for d in DEMO_USERS])
    }
    for spec in DEMO_USERS:
        user = users.get(spec.username)
        if user is None:
            continue
        membership = user.memberships.select_related("organisation").first()
        rows.append(
            (spec.username, Role(spec.role).label, membership.organisation.name if membership else "—")
        )
    return rows


def login_table() -> str:
    rows = login_rows()
    if not rows:
        return "No demo users in this database; build them with `python -m bro.demo`."
    header = ("username", "role", "organisation", "password")
    table = [header] + [(u, str(r), o, DEMO_PASSWORD) for u, r, o in rows]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def describe(result: BuildResult) -> str:
    n = result.persons or 1

    def share(counter: Counter) -> str:
        return ", ".join(f"{key} {value} ({100 * value / n:.0f} %)" for key, value in counter.most_common())

    return "\n".join(
        [
            f"Built {result.persons} persons in {result.households} households, {result.organisations} "
            f"organisations, {result.events} phase events, {result.responsibilities} responsibility rows, "
            f"{result.shared_access} shared-access grants in {result.seconds:.1f} s "
            f"(seed {result.seed}, today {result.today}).",
            f"Phases: {share(result.phases)}",
            f"Categories: {share(result.categories)}",
            f"Nationalities: {share(result.nationalities)}",
            f"Unaccompanied minors: {result.unaccompanied_minors} ({100 * result.unaccompanied_minors / n:.1f} %)",
            "Harstad settled per year (latest first): "
            + ", ".join(str(x) for x in result.harstad_settled_by_year)
            + f"; currently responsible for {result.harstad_current}",
        ]
    )
