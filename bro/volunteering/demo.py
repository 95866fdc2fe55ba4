"""Demo data for civil society (DOMAIN §9, issue 6), built after the qualification demo.

Small and deterministic: the rest of the demo takes seconds and this part must not slow it down. It writes

- civil-society profiles for Harstad frivilligsentral and Røde Kors Harstad, and a few more organisations
  in Harstad and Tromsø: Norges Røde Kors (the parent of the local branches), an immigrant organisation
  registered one year ago, a Facebook network group without any registration, a sports club and a
  faith-based group (003: civil society is all of these);
- about 40 volunteers around Harstad, some with a refugee background, fewer men than women (003:L4277–4279),
  onboarding at every stage — some lack the police certificate, so they may start on adult activities at
  once but not on those with children (003:L2309); the demo login "volunteer" gets its own record;
- activities in Harstad with an OVERLAP on purpose (two organisations run a language café for everyone who
  is newly settled, 003:L1045) and GAPS on purpose: no activity at Harstad mottak, one work-oriented offer
  among many, women's groups but no men's group, fewer male volunteers (003:L4268–4279);
- needs from Harstad kommune and Harstad mottak without personal data, some answered, one open and
  unanswered; offers to volunteers; a surge that has ended;
- one-to-one matches with demo persons settled in Harstad: with consent (first name, languages, the need),
  one awaiting consent, ended ones with feedback from both sides; check-ins with hours;
- agreements with dialogue meetings; grant schemes from IMDi and Harstad with applications: one approved
  and reported, one from the immigrant organisation registered a year ago and flagged ineligible for IMDi's
  two-year rule (003:L1770; acceptance 3), one pending.

Like the rest of the demo it writes rows directly (no audit entries; docs/decisions/0006). Every row with a
UUID key has a demo UUID; the rest hang off demo rows. ``reset`` removes them, anything that points into a
demo organisation, and the organisations this module added.
"""

from __future__ import annotations

import datetime
import random
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from bro.core.models import Municipality, Organisation, User
from bro.core.roles import OrganisationKind
from bro.demo import data
from bro.demo.generator import Ids, _stamp, _years_before, demo_ids, explicit_timestamps
from bro.people.models import Person
from bro.people.phases import Phase
from bro.volunteering import rules
from bro.volunteering.grants import rules as grant_rules
from bro.volunteering.grants.models import (
    Agreement,
    AgreementKind,
    ApplicationStatus,
    DialogueMeeting,
    GrantApplication,
    GrantReport,
    GrantScheme,
)
from bro.volunteering.grants.services import profile_facts, scheme_rules
from bro.volunteering.matches.models import CheckIn, Match, MatchConsent
from bro.volunteering.models import (
    Activity,
    ActivityKind,
    Availability,
    ChainPhase,
    CivilSocietyKind,
    CivilSocietyProfile,
    Need,
    NeedAssignment,
    NeedResponse,
    Onboarding,
    Skill,
    Surge,
    TargetSex,
    Volunteer,
)

K = OrganisationKind
CK = CivilSocietyKind
A = ActivityKind
TROMSO = "5501"
NEARBY = ("5510", "5512", "5514", "1853")  # Kvæfjord, Tjeldsund, Ibestad, Evenes
VOLUNTEERS = 40
MALE_EVERY = 4  # every fourth volunteer is a man: fewer men (003:L4278); the overview flags below 40 %
REFUGEE_BACKGROUND_SHARE = 0.2
LANGUAGE_CAFE_NAMES = ("Språkkafé på biblioteket", "Røde Kors språkkafé")  # the overlap on purpose

# Organisations this module adds (key, name, kind, civil-society kind, municipality number).
EXTRA_ORGANISATIONS = [
    ("red_cross", "Norges Røde Kors", K.VOLUNTEER_ORGANISATION, CK.ESTABLISHED, "0301"),
    ("red_cross_tromso", "Røde Kors Tromsø", K.VOLUNTEER_ORGANISATION, CK.ESTABLISHED, TROMSO),
    ("immigrant", "Afghansk kulturforening Harstad", K.VOLUNTEER_ORGANISATION, CK.IMMIGRANT, data.HARSTAD),
    ("network", "Flyktninger velkommen i Harstad", K.VOLUNTEER_ORGANISATION, CK.NETWORK, data.HARSTAD),
    ("sports", "Harstad Idrettslag", K.VOLUNTEER_ORGANISATION, CK.SPORTS_CLUB, data.HARSTAD),
    ("faith", "Harstad menighet, diakoniutvalget", K.VOLUNTEER_ORGANISATION, CK.FAITH_BASED, data.HARSTAD),
]
EXTRA_NAMES = [name for _key, name, *_rest in EXTRA_ORGANISATIONS]

NORWEGIAN_FEMALE = [
    "Ingrid", "Kari", "Marit", "Liv", "Anne", "Hanne", "Silje", "Ida", "Nora", "Emma", "Ragnhild", "Solveig",
    "Tone", "Berit", "Eli", "Sigrid", "Maja", "Thea", "Guro", "Astrid",
]  # fmt: skip
NORWEGIAN_MALE = [
    "Ola", "Lars", "Knut", "Bjørn", "Geir", "Arne", "Erik", "Jon", "Trond", "Magnus", "Sindre", "Håkon",
]  # fmt: skip
NORWEGIAN_FAMILY = [
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Jensen",
    "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen", "Jakobsen", "Strand", "Sørensen",
]  # fmt: skip
# Volunteers with a refugee background: nationality, languages besides Norwegian.
BACKGROUNDS = [("SY", ["ar", "en"]), ("ER", ["ti", "en"]), ("AF", ["prs", "fa"]), ("UA", ["uk", "ru", "en"])]


def _explicit_timestamps():
    return explicit_timestamps(
        (Organisation, "created_at"),
        (CivilSocietyProfile, "updated_at"),
        (Volunteer, "created_at"),
        (Onboarding, "created_at"),
        (Activity, "created_at"),
        (NeedResponse, "created_at"),
        (NeedAssignment, "assigned_at"),
        (Match, "created_at"),
        (MatchConsent, "recorded_at"),
        (CheckIn, "recorded_at"),
        (Agreement, "created_at"),
        (DialogueMeeting, "created_at"),
        (GrantScheme, "created_at"),
    )


def _ago(today: datetime.date, days: int) -> datetime.date:
    return today - datetime.timedelta(days=days)


def _organisation_number(rng: random.Random, used: set[str]) -> str:
    """A valid Norwegian organisation number (mod 11, first digit 9) not yet used."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    while True:
        digits = [9] + [rng.randint(0, 9) for _ in range(7)]
        check = (11 - sum(d * w for d, w in zip(digits, weights, strict=True)) % 11) % 11
        if check == 10:
            continue
        number = "".join(map(str, digits)) + str(check)
        if number not in used and not Organisation.objects.filter(organisation_number=number).exists():
            used.add(number)
            return number


def _ascii(text: str) -> str:
    text = text.replace("ø", "o").replace("æ", "ae").replace("å", "a")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")


@dataclass
class Context:
    rng: random.Random
    ids: Ids
    today: datetime.date
    orgs: dict  # key → Organisation
    municipalities: dict  # number → Municipality
    users: dict  # username → User


# --- organisations and profiles ------------------------------------------------------------------------------


def _organisations(ctx: Context) -> list[CivilSocietyProfile]:
    today, used = ctx.today, set()
    added = []
    for key, name, kind, _ck, number in EXTRA_ORGANISATIONS:
        municipality = ctx.municipalities.get(number)
        org = Organisation(
            id=ctx.ids(),
            kind=kind,
            name=name,
            municipality=municipality,
            created_at=_stamp(_years_before(today, 3)),
        )
        if key != "network":  # an informal group has no number in the entity register
            org.organisation_number = _organisation_number(ctx.rng, used)
        ctx.orgs[key] = org
        added.append(org)
    Organisation.objects.bulk_create(added)
    for key in ("volunteer_centre", "volunteer_organisation"):
        org = ctx.orgs[key]
        if not org.organisation_number:
            org.organisation_number = _organisation_number(ctx.rng, used)
            org.save(update_fields=["organisation_number"])

    # A year and a month: one full year old when it applied a fortnight ago.
    o, one_year = ctx.orgs, _years_before(today, 1) - datetime.timedelta(days=30)
    specs = [
        # key, kind, registered since, founded, paying members, parent, counties, website
        ("volunteer_centre", CK.VOLUNTEER_CENTRE, datetime.date(1999, 5, 1), datetime.date(1994, 9, 1), 140,
         None, ["55"], "https://frivilligsentral.example.org/harstad"),
        ("volunteer_organisation", CK.ESTABLISHED, datetime.date(1998, 3, 1), datetime.date(1925, 4, 20), 410,
         "red_cross", ["55"], "https://rodekors.example.org/harstad"),
        ("red_cross", CK.ESTABLISHED, datetime.date(1998, 3, 1), datetime.date(1865, 9, 22), 140000,
         None, [], "https://rodekors.example.org"),
        ("red_cross_tromso", CK.ESTABLISHED, datetime.date(1998, 3, 1), datetime.date(1921, 2, 1), 620,
         "red_cross", ["55"], ""),
        # Registered (and founded) one year ago: IMDi's scheme asks for two years (003:L1770).
        ("immigrant", CK.IMMIGRANT, one_year, one_year, 34, None, ["55"], ""),
        ("network", CK.NETWORK, None, None, None, None, [], "https://facebook.example.org/groups/velkommen"),
        ("sports", CK.SPORTS_CLUB, datetime.date(2001, 1, 15), datetime.date(1921, 6, 1), 860, None, ["55"],
         ""),
        ("faith", CK.FAITH_BASED, datetime.date(2005, 8, 1), datetime.date(1970, 1, 1), 75, None, ["55"], ""),
    ]  # fmt: skip
    profiles = []
    for key, kind, registered, founded, members, parent, counties, website in specs:
        profiles.append(
            CivilSocietyProfile(
                organisation=o[key],
                kind=kind,
                in_voluntary_register=registered is not None,
                voluntary_register_since=registered,
                founded_on=founded,
                paying_members=members,
                parent=o[parent] if parent else None,
                counties=counties,
                website=website,
                updated_at=_stamp(_ago(today, 200)),
            )
        )
    return CivilSocietyProfile.objects.bulk_create(profiles)


# --- volunteers and onboarding -------------------------------------------------------------------------------


def _onboarding(ctx: Context, volunteer: Volunteer, org: Organisation, stage: str) -> Onboarding:
    """``stage``: "none" (just taken on), "meeting", "no_police" (all but the police certificate) or "all"."""
    rng, start = ctx.rng, volunteer.created_at.date()
    days = (ctx.today - start).days

    def step(after: int) -> datetime.date:
        return min(ctx.today, start + datetime.timedelta(days=min(after, days)))

    row = Onboarding(volunteer=volunteer, organisation=org, created_at=_stamp(start, 3600))
    if stage in ("meeting", "no_police", "all"):
        row.information_meeting_on = step(rng.randint(2, 10))
    if stage in ("no_police", "all"):
        row.training_on = step(rng.randint(10, 20))
        row.commitment_signed_on = row.information_meeting_on
    if stage == "all":
        row.police_certificate_on = step(rng.randint(14, 35))
    return row


def _volunteers(ctx: Context) -> tuple[list[Volunteer], list[Onboarding]]:
    rng, today = ctx.rng, ctx.today
    harstad = ctx.municipalities[data.HARSTAD]
    nearby = [ctx.municipalities[n] for n in NEARBY if n in ctx.municipalities]
    skills, interests = list(Skill.values), list(A.values)
    availability = list(Availability.values)
    user = ctx.users.get("volunteer")
    people = []
    if user is not None:  # the demo login's own record (My volunteering)
        people.append((user.first_name, user.last_name, "male", 1968, ["nb", "en"], False, user))
    while len(people) < VOLUNTEERS:
        sex = "male" if len(people) % MALE_EVERY == 0 else "female"
        if rng.random() < REFUGEE_BACKGROUND_SHARE:
            nationality, languages = rng.choice(BACKGROUNDS)
            names = data.NAMES[nationality]
            given = rng.choice(names["male" if sex == "male" else "female"])
            family = rng.choice(names.get("family") or names["male"])  # patronymic: a father's name
            people.append((given, family, sex, rng.randint(1975, 2003), ["nb", *languages], True, None))
        else:
            given = rng.choice(NORWEGIAN_MALE if sex == "male" else NORWEGIAN_FEMALE)
            languages = ["nb", "en"] + (["de"] if rng.random() < 0.1 else [])
            people.append(
                (given, rng.choice(NORWEGIAN_FAMILY), sex, rng.randint(1950, 2004), languages, False, None)
            )

    volunteers, travel, onboardings = [], [], []
    centre, red_cross = ctx.orgs["volunteer_centre"], ctx.orgs["volunteer_organisation"]
    others = [ctx.orgs[k] for k in ("immigrant", "network", "sports", "faith")]
    stages = {"none": 2, "meeting": 3, "no_police": 4, "all": 6}
    for index, (given, family, sex, born, languages, background, login) in enumerate(people):
        home = harstad if login or rng.random() < 0.75 or not nearby else rng.choice(nearby)
        joined = _ago(today, 90 if login else rng.randint(3, 900))
        volunteer = Volunteer(
            id=ctx.ids(),
            user=login,
            given_name=given,
            family_name=family,
            email=login.email if login else f"{_ascii(given)}.{_ascii(family)}.{index}@demo.example.org",
            phone=f"9{rng.randint(1000000, 9999999)}",
            sex=sex,
            birth_year=born,
            languages=languages,
            skills=sorted(rng.sample(skills, rng.randint(1, 3))),
            interests=sorted(rng.sample(interests, rng.randint(1, 3))),
            municipality=home,
            availability=sorted(rng.sample(availability, rng.randint(1, 3))),
            available_until=_ago(today, -rng.choice((180, 365, 730))) if rng.random() < 0.6 else None,
            has_refugee_background=background,
            created_at=_stamp(joined, 9 * 3600 + index),
        )
        volunteers.append(volunteer)
        if home != harstad:
            travel.append((volunteer, harstad))
        if login:
            # Per has everything but the police certificate: adult activities now, none with children yet.
            onboardings.append(_onboarding(ctx, volunteer, red_cross, "no_police"))
            continue
        first = centre if index % 2 else red_cross
        onboardings.append(_onboarding(ctx, volunteer, first, _pick(rng, stages)))
        if rng.random() < 0.3:
            onboardings.append(_onboarding(ctx, volunteer, rng.choice(others), _pick(rng, stages)))
    Volunteer.objects.bulk_create(volunteers)
    Through = Volunteer.travel_municipalities.through
    Through.objects.bulk_create([Through(volunteer_id=v.id, municipality_id=m.id) for v, m in travel])
    Onboarding.objects.bulk_create(onboardings)
    return volunteers, onboardings


def _pick(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


# --- activities -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivitySpec:
    name: str
    organisation: str
    kind: str
    phase: str = ChainPhase.ANY
    sex: str = TargetSex.ANY
    ages: tuple[int | None, int | None] = (None, None)
    languages: tuple[str, ...] = ()
    place: str = ""
    schedule: str = ""
    children: bool = False
    meeting: bool = False
    training: bool = False
    commitment: bool = False
    partners: tuple[str, ...] = ()
    participants: int = 0
    hours: int = 0
    municipality: str = data.HARSTAD
    at_centre: str = ""  # key of a reception centre in ctx.orgs
    ended: bool = False


# Harstad: one overlap on purpose (two language cafés for everyone newly settled), one work-oriented offer
# among fourteen, women's groups and no men's group, and nothing at Harstad mottak (the gaps on purpose).
ACTIVITIES = [
    ActivitySpec(LANGUAGE_CAFE_NAMES[0], "volunteer_centre", A.LANGUAGE_CAFE, ChainPhase.SETTLED,
                 place="Harstad bibliotek", schedule="Tirsdager 18–20", partners=("adult_education",),
                 participants=38, hours=310),
    ActivitySpec(LANGUAGE_CAFE_NAMES[1], "volunteer_organisation", A.LANGUAGE_CAFE, ChainPhase.SETTLED,
                 place="Røde Kors-huset", schedule="Torsdager 17–19", participants=22, hours=190),
    ActivitySpec("Flyktningguide", "volunteer_organisation", A.REFUGEE_GUIDE, ChainPhase.SETTLED,
                 meeting=True, training=True, commitment=True, place="Harstad", schedule="Etter avtale",
                 participants=14, hours=420),
    ActivitySpec("Vennefamilie", "volunteer_organisation", A.FRIEND_FAMILY, ChainPhase.PROGRAMME,
                 meeting=True, commitment=True, children=True, schedule="Etter avtale", participants=9,
                 hours=260),
    ActivitySpec("Leksehjelp på Kanebogen skole", "volunteer_organisation", A.HOMEWORK_HELP,
                 ChainPhase.ANY, ages=(6, 16), children=True, meeting=True, place="Kanebogen skole",
                 schedule="Mandager og onsdager 15–17", participants=18, hours=240),
    ActivitySpec("Jobbsøkerverksted", "volunteer_centre", A.WORK_ORIENTED, ChainPhase.PROGRAMME,
                 ages=(18, None), partners=("harstad", "nav_office"), place="Frivilligsentralen",
                 schedule="Annenhver onsdag 12–14", participants=11, hours=64),
    ActivitySpec("Turgruppa", "volunteer_centre", A.OUTDOOR, ChainPhase.ANY, place="Fra Harstad kirke",
                 schedule="Søndager 11", participants=25, hours=150),
    ActivitySpec("Kvinnegruppe", "immigrant", A.WOMENS_GROUP, ChainPhase.SETTLED, sex=TargetSex.WOMEN,
                 languages=("prs", "fa", "nb"), place="Frivilligsentralen", schedule="Fredager 11–13",
                 participants=16, hours=96),
    ActivitySpec("Syklubb for kvinner", "faith", A.WOMENS_GROUP, ChainPhase.PROGRAMME, sex=TargetSex.WOMEN,
                 place="Menighetshuset", schedule="Onsdager 18–20", participants=12, hours=80),
    ActivitySpec("Trim for kvinner", "sports", A.SPORT, ChainPhase.ANY, sex=TargetSex.WOMEN,
                 place="Harstadhallen", schedule="Mandager 19–20", participants=20, hours=70),
    ActivitySpec("Fotball for barn og unge", "sports", A.SPORT, ChainPhase.SETTLED, ages=(7, 16),
                 children=True, meeting=True, place="Harstad stadion", schedule="Tirsdager og torsdager 17",
                 participants=30, hours=280),
    ActivitySpec("Middag hos vertskap", "faith", A.MEALS, ChainPhase.SETTLED, place="Hjemme hos vertskap",
                 schedule="En søndag i måneden", participants=24, hours=90),
    ActivitySpec("Klesbytte", "network", A.CLOTHES, place="Frivilligsentralen", schedule="Første lørdag",
                 participants=60, hours=45),
    ActivitySpec("Skyss til trening", "network", A.TRANSPORT, ChainPhase.SETTLED, children=True,
                 schedule="Etter avtale", participants=8, hours=55),
    ActivitySpec("Sommeraktiviteter", "volunteer_centre", A.OUTDOOR, ChainPhase.SETTLED, ages=(6, 16),
                 children=True, place="Harstad", participants=40, hours=120, ended=True),
    # Tromsø: the reception centre there has an activity; Harstad mottak has none.
    ActivitySpec("Språkkafé på mottaket", "red_cross_tromso", A.LANGUAGE_CAFE, ChainPhase.RECEPTION,
                 place="Tromsø mottak", schedule="Onsdager 18–20", participants=19, hours=130,
                 municipality=TROMSO, at_centre="tromso_centre"),
]  # fmt: skip


def _activities(ctx: Context, volunteers: list[Volunteer], onboardings: list[Onboarding]) -> list[Activity]:
    rng, today = ctx.rng, ctx.today
    progress = {
        (o.volunteer_id, o.organisation_id): rules.Progress(
            information_meeting=o.information_meeting_on,
            training=o.training_on,
            police_certificate=o.police_certificate_on,
            commitment=o.commitment_signed_on,
        )
        for o in onboardings
    }
    rows, partners, members = [], [], []
    for spec in ACTIVITIES:
        org = ctx.orgs[spec.organisation]
        starts = _ago(today, rng.randint(200, 700))
        activity = Activity(
            id=ctx.ids(),
            organisation=org,
            name=spec.name,
            kind=spec.kind,
            phase=spec.phase,
            target_sex=spec.sex,
            target_age_min=spec.ages[0],
            target_age_max=spec.ages[1],
            languages=list(spec.languages),
            municipality=ctx.municipalities[spec.municipality],
            reception_centre=ctx.orgs.get(spec.at_centre) if spec.at_centre else None,
            place=spec.place,
            schedule=spec.schedule,
            starts_on=_ago(today, 500) if spec.ended else starts,
            ends_on=_ago(today, 200) if spec.ended else None,
            involves_children=spec.children,
            needs_information_meeting=spec.meeting,
            needs_training=spec.training,
            needs_commitment=spec.commitment,
            participants_reached=spec.participants,
            volunteer_hours=Decimal(spec.hours),
            created_at=_stamp(starts, 8 * 3600),
        )
        rows.append(activity)
        partners += [(activity, ctx.orgs[p]) for p in spec.partners if p in ctx.orgs]
        needs = rules.Requirements(
            information_meeting=spec.meeting,
            training=spec.training,
            involves_children=spec.children,
            commitment=spec.commitment,
        )
        # Only volunteers whose onboarding with the organiser allows it take part (bro.volunteering.rules).
        ready = [
            v
            for v in volunteers
            if (v.id, org.id) in progress and rules.may_start(needs, progress[(v.id, org.id)], today)
        ]
        members += [(activity, v) for v in rng.sample(ready, min(len(ready), rng.randint(2, 6)))]
    Activity.objects.bulk_create(rows)
    Partner = Activity.partners.through
    Partner.objects.bulk_create([Partner(activity_id=a.id, organisation_id=o.id) for a, o in partners])
    Member = Activity.volunteers.through
    Member.objects.bulk_create([Member(activity_id=a.id, volunteer_id=v.id) for a, v in members])
    return rows


# --- needs, offers and the surge -------------------------------------------------------------------------


def _needs(ctx: Context, activities: list[Activity], volunteers: list[Volunteer]) -> list[Need]:
    rng, today, o, u = ctx.rng, ctx.today, ctx.orgs, ctx.users
    harstad, centre = o["harstad"], o["harstad_centre"]
    by_name = {a.name: a for a in activities}
    # title, description, kind, publisher, user, languages, skills, wanted, children, status, days ago,
    # answers: (organisation key, message, activity name or None)
    specs = [
        ("Flyktningguide for en familie på fem i Harstad", "Familien kom i høst og ønsker hjelp til å bli "
         "kjent i byen. Arabisk eller engelsk.", A.REFUGEE_GUIDE, harstad, "programme", ["ar", "en"],
         [Skill.LANGUAGE_PRACTICE], 1, False, Need.Status.FILLED, 80,
         [("volunteer_organisation", "Vi har en guide som snakker engelsk.", "Flyktningguide")]),
        ("Leksehjelp for 8 elever", "Elever på mellomtrinnet som trenger hjelp med lekser to ettermiddager "
         "i uka.", A.HOMEWORK_HELP, harstad, "harstad", ["nb"], [Skill.HOMEWORK], 4, True,
         Need.Status.OPEN, 40,
         [("volunteer_organisation", "Vi utvider leksehjelpen på Kanebogen.", "Leksehjelp på Kanebogen skole")]),
        ("Sjåfører til fotballtrening", "Barn på mottaket vil gjerne spille fotball, men trenger skyss "
         "tirsdager og torsdager.", A.TRANSPORT, centre, "reception", [], [Skill.DRIVING], 3, True,
         Need.Status.OPEN, 25,
         [("network", "Flere i gruppa kan kjøre.", "Skyss til trening"),
          ("sports", "Vi kan hente på mottaket når vi har trenere som kjører.", None)]),
        ("Språktrening for beboere på mottaket", "Voksne beboere ønsker å øve norsk med noen utenom "
         "undervisningen.", A.LANGUAGE_CAFE, centre, "reception", ["nb"], [Skill.LANGUAGE_PRACTICE], 4,
         False, Need.Status.OPEN, 12, []),
        ("Hjelp med CV og jobbsøknader", "Deltakere i introduksjonsprogrammet trenger hjelp med CV og "
         "søknader.", A.WORK_ORIENTED, harstad, "programme", ["nb", "en"], [Skill.CAREER], 2, False,
         Need.Status.OPEN, 30,
         [("volunteer_centre", "Jobbsøkerverkstedet tar imot flere.", "Jobbsøkerverksted")]),
        ("Vertskap for nyankomne", "Mange kommer samtidig; vi trenger folk som tar imot og viser vei den "
         "første uka.", A.GOOD_NEIGHBOUR, harstad, "harstad", [], [Skill.PRACTICAL], 10, False,
         Need.Status.CLOSED, 400,
         [("volunteer_centre", "Vi koordinerer frivillige fra sentralen.", None),
          ("volunteer_organisation", "Røde Kors stiller med vertskap.", None)]),
    ]  # fmt: skip
    needs, responses = [], []
    for title, text, kind, org, user, langs, skills, wanted, children, status, days, answers in specs:
        need = Need(
            id=ctx.ids(),
            organisation=org,
            title=title,
            description=text,
            kind=kind,
            municipality=ctx.municipalities[data.HARSTAD],
            languages=langs,
            skills=list(skills),
            volunteers_wanted=wanted,
            involves_children=children,
            status=status,
            is_public=status != Need.Status.CLOSED,
            published_on=_ago(today, days),
            created_by=u.get(user),
        )
        needs.append(need)
        for index, (key, message, activity) in enumerate(answers):
            responses.append(
                NeedResponse(
                    id=ctx.ids(),
                    need=need,
                    organisation=o[key],
                    message=message,
                    activity=by_name.get(activity) if activity else None,
                    created_at=_stamp(_ago(today, days - 2 - index), 10 * 3600),
                    created_by=u.get("coordinator") if key == "volunteer_centre" else None,
                )
            )
    Need.objects.bulk_create(needs)
    NeedResponse.objects.bulk_create(responses)

    # Offers: the demo volunteer has one to answer; others accepted, declined or still open.
    assignments = []
    own = next((v for v in volunteers if v.user_id), None)
    others = [v for v in volunteers if not v.user_id]
    plan = [(needs[0], [own] if own else [], NeedAssignment.Status.ACCEPTED)]
    plan += [(needs[4], rng.sample(others, 2), NeedAssignment.Status.ACCEPTED)]
    plan += [(needs[3], rng.sample(others, 3), NeedAssignment.Status.OFFERED)]
    plan += [(needs[2], ([own] if own else []) + rng.sample(others, 1), NeedAssignment.Status.OFFERED)]
    plan += [(needs[5], rng.sample(others, 6), NeedAssignment.Status.ACCEPTED)]
    plan += [(needs[1], rng.sample(others, 1), NeedAssignment.Status.DECLINED)]
    seen = set()
    for need, chosen, status in plan:
        for index, volunteer in enumerate(chosen):
            if (need.id, volunteer.id) in seen:
                continue
            seen.add((need.id, volunteer.id))
            assignments.append(
                NeedAssignment(
                    id=ctx.ids(),
                    need=need,
                    volunteer=volunteer,
                    status=status,
                    assigned_by=u.get("coordinator"),
                    assigned_at=_stamp(
                        min(today, need.published_on + datetime.timedelta(days=3)), 600 + index
                    ),
                )
            )
    NeedAssignment.objects.bulk_create(assignments)
    Surge.objects.create(
        id=ctx.ids(),
        organisation=harstad,
        municipality=ctx.municipalities[data.HARSTAD],
        message="Harstad tar imot mange flyktninger nå. Meld deg, så finner vi en oppgave som passer deg.",
        declared_on=_ago(today, 405),
        ended_on=_ago(today, 370),
        declared_by=u.get("harstad"),
    )
    return needs


# --- matches -------------------------------------------------------------------------------------------


def _settled_in_harstad(ctx: Context) -> list[Person]:
    """Adults settled in Harstad (the caseworker side of a match), oldest records first."""
    born_before = _years_before(ctx.today, 18)
    return list(
        Person.objects.filter(
            demo_ids(),
            responsible_organisation=ctx.orgs["harstad"],
            current_phase__in=(Phase.SETTLED, Phase.IN_PROGRAMME),
            birth_date__lte=born_before,
        ).order_by("id")[:40]
    )


def _matches(ctx: Context, volunteers: list[Volunteer], onboardings: list[Onboarding]) -> list[Match]:
    rng, today, u = ctx.rng, ctx.today, ctx.users
    persons = _settled_in_harstad(ctx)
    if len(persons) < 6:
        return []
    rng.shuffle(persons)
    own = next((v for v in volunteers if v.user_id), None)
    ready = {}  # organisation id → volunteers who may start a match without children (meeting + commitment)
    for o in onboardings:
        if o.information_meeting_on and o.commitment_signed_on and o.volunteer_id != (own and own.id):
            ready.setdefault(o.organisation_id, []).append(o.volunteer_id)
    by_id = {v.id: v for v in volunteers}
    centre, red_cross = ctx.orgs["volunteer_centre"], ctx.orgs["volunteer_organisation"]

    def pick(org):
        return by_id[rng.choice(ready[org.id])] if ready.get(org.id) else None

    # (organisation, volunteer, kind, need, status, started days ago, months, ended days ago, extra consent)
    specs = [
        (red_cross, own, A.REFUGEE_GUIDE, "Bli kjent i Harstad: butikker, buss og fritidstilbud", "active", 60,
         6, None, []),
        (centre, pick(centre), A.FRIEND_FAMILY, "Noen å gå tur og snakke norsk med", "active", 120, 12, None,
         ["household_size"]),
        (centre, pick(centre), A.GOOD_NEIGHBOUR, "Hjelp til å finne fram i nabolaget", "active", 30, 12, None,
         []),
        (centre, None, A.GOOD_NEIGHBOUR, "En god nabo det første året", "requested", None, 12, None, None),
        (red_cross, own, A.REFUGEE_GUIDE, "Følge til lege, skole og bank de første månedene", "ended", 330, 6,
         150, []),
        (centre, pick(centre), A.FRIEND_FAMILY, "Vennefamilie med barn på samme alder", "ended", 420, 6, 240,
         []),
    ]  # fmt: skip
    matches, consents, check_ins = [], [], []
    for index, (org, volunteer, kind, need, status, started, months, ended, extra) in enumerate(specs):
        person = persons[index]
        requested = _ago(today, (started or 10) + 14)
        match = Match(
            id=ctx.ids(),
            person=person,
            organisation=org,
            volunteer=volunteer,
            kind=kind,
            need=need,
            status=status if volunteer or status == "requested" else "requested",
            starts_on=_ago(today, started) if started and volunteer else None,
            agreed_months=months,
            ends_on=_ago(today, ended) if ended and volunteer else None,
            requested_by=u.get("programme"),
            requested_for=ctx.orgs["harstad"],
            created_at=_stamp(requested, 9 * 3600 + index),
        )
        if match.status == "ended":
            match.volunteer_feedback = "Fine møter; familien klarer seg godt på egen hånd nå."
            match.refugee_feedback = "Takknemlig for hjelpen. Vi har fortsatt kontakt."
            match.refugee_feedback_by = u.get("programme")
        matches.append(match)
        if extra is not None:  # None: awaiting the refugee's consent
            consents.append(
                MatchConsent(
                    match=match,
                    given_on=requested + datetime.timedelta(days=3),
                    extra_fields=extra,
                    recorded_by=u.get("programme"),
                    recorded_for=ctx.orgs["harstad"],
                    recorded_at=_stamp(requested + datetime.timedelta(days=3), 11 * 3600),
                )
            )
        if match.starts_on:
            last = _ago(today, ended) if match.ends_on else today
            day = match.starts_on + datetime.timedelta(days=rng.randint(3, 9))
            while day < last:
                check_ins.append(
                    CheckIn(
                        id=ctx.ids(),
                        match=match,
                        date=day,
                        hours=Decimal(rng.choice(("1.5", "2.0", "2.5", "3.0"))),
                        note=rng.choice(
                            ("Gåtur og kaffe", "Handlet sammen", "Øvde norsk", "Besøkte biblioteket")
                        ),
                        recorded_by=volunteer.user if volunteer.user_id else None,
                        recorded_at=_stamp(day, 20 * 3600),
                    )
                )
                day += datetime.timedelta(days=rng.randint(10, 21))
    Match.objects.bulk_create(matches)
    MatchConsent.objects.bulk_create(consents)
    CheckIn.objects.bulk_create(check_ins)
    return matches


# --- agreements and grants ------------------------------------------------------------------------------


def _agreements(ctx: Context) -> None:
    today, o, u = ctx.today, ctx.orgs, ctx.users
    partnership = Agreement(
        id=ctx.ids(),
        public_body=o["harstad"],
        organisation=o["volunteer_centre"],
        kind=AgreementKind.PARTNERSHIP,
        amount=Decimal("450000.00"),
        starts_on=datetime.date(today.year - 2, 1, 1),
        ends_on=datetime.date(today.year + 1, 12, 31),
        description="Frivilligsentralen koordinerer frivillige i bosettingsarbeidet; kommunen dekker en "
        "halv stilling og møtes med sentralen to ganger i året.",
        created_at=_stamp(datetime.date(today.year - 2, 1, 1), 9 * 3600),
    )
    intention = Agreement(
        id=ctx.ids(),
        public_body=o["harstad"],
        organisation=o["volunteer_organisation"],
        kind=AgreementKind.INTENTION,
        amount=None,
        starts_on=_ago(today, 500),
        description="Røde Kors tilbyr flyktningguider og leksehjelp; kommunen formidler behov.",
        created_at=_stamp(_ago(today, 500), 9 * 3600),
    )
    Agreement.objects.bulk_create([partnership, intention])
    meetings = []
    for agreement, days, notes in [
        (partnership, 300, "Gjennomgang av året; behov for flere tilbud for menn og arbeidsrettede tilbud."),
        (partnership, 120, "Språkkafeene overlapper; sentralen og Røde Kors snakker sammen om torsdagene."),
        (intention, 200, "Leksehjelpen utvides til to skoler."),
    ]:
        meetings.append(
            DialogueMeeting(
                id=ctx.ids(),
                agreement=agreement,
                held_on=_ago(today, days),
                participants="Harstad kommune, " + agreement.organisation.name,
                notes=notes,
                created_by=u.get("coordinator") if agreement is partnership else None,
                created_at=_stamp(_ago(today, days), 15 * 3600),
            )
        )
    DialogueMeeting.objects.bulk_create(meetings)


def _grants(ctx: Context, profiles: list[CivilSocietyProfile], activities: list[Activity]) -> None:
    today, o, u = ctx.today, ctx.orgs, ctx.users
    imdi_org = Organisation.objects.filter(demo_ids(), kind=K.DIRECTORATE).first()
    imdi = GrantScheme(
        id=ctx.ids(),
        administrator=imdi_org,
        name="Tilskudd til innvandrerorganisasjoner og annen frivillig virksomhet",
        description="Støtte til drift av innvandrerorganisasjoner og til frivillig integreringsarbeid.",
        yearly_budget=Decimal("60000000.00"),
        cap=None,
        requires_voluntary_register=True,
        minimum_age_years=2,  # 003:L1770
        minimum_paying_members=20,
        excludes_faith_based=True,
        priorities="Aktiviteter som gir deltakelse i arbeid og samfunn; tilbud for menn og kvinner.",
        rolling=False,
        deadlines=[_ago(today, 45).isoformat(), _ago(today, -140).isoformat()],
        is_open=True,
        created_at=_stamp(_ago(today, 400), 8 * 3600),
    )
    local = GrantScheme(
        id=ctx.ids(),
        administrator=o["harstad"],
        name="Harstad kommunes tilskudd til frivillig integreringsarbeid",
        description="Små tilskudd til lag og foreninger som inkluderer flyktninger i Harstad.",
        yearly_budget=Decimal("300000.00"),
        cap=Decimal("30000.00"),  # 003:L3329: rolling deadline, at most 30,000 kroner
        priorities="Møteplasser, arbeidsrettede tiltak og tilbud for menn.",
        rolling=True,
        is_open=True,
        created_at=_stamp(_ago(today, 700), 8 * 3600),
    )
    GrantScheme.objects.bulk_create([imdi, local])
    profile = {p.organisation_id: p for p in profiles}
    by_name = {a.name: a for a in activities}

    def application(scheme, key, amount, text, budget, days, names=()):
        on = _ago(today, days)
        results = grant_rules.check_eligibility(
            scheme_rules(scheme), profile_facts(profile.get(o[key].id)), on
        )
        app = GrantApplication(
            id=ctx.ids(),
            scheme=scheme,
            organisation=o[key],
            amount=Decimal(amount),
            description=text,
            budget_lines=[{"item": item, "amount": value} for item, value in budget],
            submitted_on=on,
            eligibility=[
                {"rule": r.rule, "passed": r.passed, "code": r.code, "params": r.params} for r in results
            ],
            eligible=grant_rules.is_eligible(results),
            submitted_by=u.get("coordinator") if key == "volunteer_centre" else None,
        )
        return app, [by_name[n] for n in names if n in by_name]

    approved, approved_activities = application(
        local, "volunteer_centre", "25000.00", "Språkkafé og jobbsøkerverksted gjennom året.",
        [("Leie og materiell", "9000.00"), ("Servering", "8000.00"), ("Kurs for frivillige", "8000.00")], 320,
        (LANGUAGE_CAFE_NAMES[0], "Jobbsøkerverksted"),
    )  # fmt: skip
    approved.status = ApplicationStatus.REPORTED
    approved.decided_on = _ago(today, 300)
    approved.approved_amount = Decimal("25000.00")
    approved.decision_reason = "Godt forankret i kommunens behov."
    approved.decided_by = None
    # Registered one year ago: flagged ineligible for IMDi's two-year rule (acceptance 3).
    young, _ = application(
        imdi, "immigrant", "80000.00", "Kvinnegruppe og leksehjelp på dari.",
        [("Lokaler", "40000.00"), ("Aktiviteter", "40000.00")], 14,
    )  # fmt: skip
    pending, pending_activities = application(
        local, "volunteer_organisation", "20000.00", "Flere flyktningguider: opplæring og aktiviteter.",
        [("Opplæring", "12000.00"), ("Aktiviteter", "8000.00")], 7, ("Flyktningguide",),
    )  # fmt: skip
    GrantApplication.objects.bulk_create([approved, young, pending])
    Link = GrantApplication.activities.through
    Link.objects.bulk_create(
        [Link(grantapplication_id=approved.id, activity_id=a.id) for a in approved_activities]
        + [Link(grantapplication_id=pending.id, activity_id=a.id) for a in pending_activities]
    )
    GrantReport.objects.create(
        application=approved,
        activities_done="\n".join(a.name for a in approved_activities),
        participants_reached=sum(a.participants_reached for a in approved_activities),
        volunteer_hours=sum((a.volunteer_hours for a in approved_activities), Decimal("0")),
        spent=Decimal("24350.00"),
        spending_notes="Leie 9 000, servering 7 350, kurs 8 000.",
        submitted_on=_ago(today, 20),
        submitted_by=u.get("coordinator"),
    )


# --- build and reset -------------------------------------------------------------------------------------


def build(*, seed: int, today: datetime.date, log) -> None:
    """Deterministic from ``seed`` and ``today``."""
    harstad = Organisation.objects.filter(
        demo_ids(), kind=K.MUNICIPALITY, municipality__number=data.HARSTAD
    ).first()
    if harstad is None:
        log("volunteering: no demo Harstad; nothing built")
        return
    orgs = {"harstad": harstad}
    for key, kind, name in [
        ("volunteer_centre", K.VOLUNTEER_CENTRE, data.HARSTAD_ORGANISATIONS["volunteer_centre"]),
        (
            "volunteer_organisation",
            K.VOLUNTEER_ORGANISATION,
            data.HARSTAD_ORGANISATIONS["volunteer_organisation"],
        ),
        ("adult_education", K.ADULT_EDUCATION, data.HARSTAD_ORGANISATIONS["adult_education"]),
        ("nav_office", K.NAV_OFFICE, data.HARSTAD_ORGANISATIONS["nav_office"]),
        ("harstad_centre", K.RECEPTION_CENTRE, data.HARSTAD_CENTRE),
        ("tromso_centre", K.RECEPTION_CENTRE, "Tromsø mottak"),
    ]:
        found = Organisation.objects.filter(demo_ids(), kind=kind, name=name).first()
        if found is not None:
            orgs[key] = found
    if "volunteer_centre" not in orgs or "volunteer_organisation" not in orgs or "harstad_centre" not in orgs:
        log("volunteering: the demo's Harstad organisations are missing; nothing built")
        return
    numbers = (data.HARSTAD, TROMSO, "0301", *NEARBY)
    ctx = Context(
        rng=random.Random(f"{seed}:volunteering"),
        ids=Ids(random.Random(f"{seed}:volunteering:ids")),
        today=today,
        orgs=orgs,
        municipalities={m.number: m for m in Municipality.objects.valid_on(today).filter(number__in=numbers)},
        users={u.username: u for u in User.objects.filter(demo_ids())},
    )
    with _explicit_timestamps():
        profiles = _organisations(ctx)
        volunteers, onboardings = _volunteers(ctx)
        activities = _activities(ctx, volunteers, onboardings)
        needs = _needs(ctx, activities, volunteers)
        matches = _matches(ctx, volunteers, onboardings)
        _agreements(ctx)
        _grants(ctx, profiles, activities)
    log(
        f"volunteering: {len(profiles)} civil-society profiles, {len(volunteers)} volunteers "
        f"({sum(1 for v in volunteers if v.sex == 'male')} men), {len(onboardings)} onboardings, "
        f"{len(activities)} activities, {len(needs)} needs, {len(matches)} matches, 2 grant schemes"
    )


def _delete(queryset) -> int:
    """Delete and count the rows of the queryset's own model (not what went with them)."""
    return queryset.delete()[1].get(queryset.model._meta.label, 0)


def reset(*, log) -> None:
    """Delete what ``build`` wrote, anything that points into a demo organisation, and the organisations
    this module added (the generator removes its own)."""
    demo_orgs = Organisation.objects.filter(demo_ids())
    ours = demo_orgs.filter(name__in=EXTRA_NAMES, kind=K.VOLUNTEER_ORGANISATION)
    applications = GrantApplication.objects.filter(
        demo_ids() | Q(organisation__in=demo_orgs) | Q(scheme__administrator__in=demo_orgs)
    )
    counts = {
        "grant reports": _delete(GrantReport.objects.filter(application__in=applications)),
        "grant applications": _delete(applications),
        "grant schemes": _delete(GrantScheme.objects.filter(demo_ids() | Q(administrator__in=demo_orgs))),
        "agreements": _delete(
            Agreement.objects.filter(
                demo_ids() | Q(public_body__in=demo_orgs) | Q(organisation__in=demo_orgs)
            )
        ),
        "matches": _delete(
            Match.objects.filter(
                demo_ids()
                | Q(organisation__in=demo_orgs)
                | Q(volunteer__in=Volunteer.objects.filter(demo_ids()))
            )
        ),
        "surges": _delete(Surge.objects.filter(demo_ids() | Q(organisation__in=demo_orgs))),
        "needs": _delete(Need.objects.filter(demo_ids() | Q(organisation__in=demo_orgs))),
        "activities": _delete(Activity.objects.filter(demo_ids() | Q(organisation__in=demo_orgs))),
        "volunteers": _delete(Volunteer.objects.filter(demo_ids())),
        "profiles": _delete(CivilSocietyProfile.objects.filter(organisation__in=demo_orgs)),
        "organisations": _delete(ours),
    }
    demo_orgs.filter(kind__in=(K.VOLUNTEER_CENTRE, K.VOLUNTEER_ORGANISATION)).update(organisation_number=None)
    log("volunteering: " + ", ".join(f"{n} {what}" for what, n in counts.items()) + " deleted")
