"""Demo data for the qualification record, built after persons, settlement and outcomes.

The generator (bro.demo.generator) already gives every settled adult aged 18–55 who takes part an
``IN_PROGRAMME`` phase event in their (last) settlement municipality, and a ``FINISHED`` event with an
outcome when the programme has ended; it shares Harstad's participants with Harstad voksenopplæring. This
module writes the case behind those timelines:

- a ``Participant`` for every person with an ``IN_PROGRAMME`` event, in the event's municipality, with the
  rights that ``rules.rights`` gives and the programme start of the event; late starts (after the 3-month
  deadline, 004:L1275) carry their cause and a ``Deviation`` (missing health checks and kindergarten
  places are breaches, 004:L1283–1285);
- open, not yet started cases for adults settled in Harstad in the last months, some of them past the
  start deadline;
- a competence mapping, goals and an individual plan (formal competence first, 004:L1522) for every case;
- ended cases with their end reason and, a year later, their status, women below men (004:L1568–1572);
- for Harstad, where the demo logins work: the adviser "programme" on every case, a second plan version
  for some, two teaching groups at Harstad voksenopplæring ("Norsk spor 2, gruppe A" with about 20
  members), attendance for the last ``ATTENDANCE_WEEKS`` weeks with some valid and unexcused absence,
  tests, decisions with their letters, leave for one participant and appeals.

When the demo is too small for Harstad to have a late start, the programme start of one Harstad
participant is moved past the deadline (its phase event too, so the timeline stays one walk through the
rules).

Like the rest of the demo it writes rows directly (no audit entries; docs/decisions/0006). Every row with a
UUID key has a demo UUID; the others hang off a demo participant. ``reset`` finds them that way, and also
removes cases, groups and tests that point into demo organisations.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from bro.core.models import Organisation, User
from bro.core.roles import OrganisationKind
from bro.demo.data import HARSTAD
from bro.demo.generator import Ids, _stamp, demo_ids, explicit_timestamps
from bro.people.models import Person, PhaseEvent, SharedAccess
from bro.people.phases import FinishOutcome, ImmigrantCategory, Phase
from bro.qualification import rules
from bro.qualification.models import (
    FORMAL_COMPETENCE_MEASURES,
    Appeal,
    AppealOutcome,
    AttendanceWeek,
    CefrLevel,
    CompetenceMapping,
    Decision,
    DecisionKind,
    DelayCause,
    Deviation,
    EducationEntry,
    EducationLevel,
    EndReason,
    Extension,
    FinalGoal,
    Measure,
    MeasureKind,
    NirExport,
    OneYearStatus,
    Participant,
    PlanVersion,
    Recognition,
    TeachingGroup,
    TestKind,
    TestResult,
    WorkExperience,
)

ATTENDANCE_WEEKS = 8
GROUP_A = "Norsk spor 2, gruppe A"
GROUP_A_SIZE = 20
GROUP_B = "Norsk spor 3, gruppe B"
# Open cases are made for adults settled in Harstad this many days ago or less who have not started.
NOT_STARTED_WINDOW = 200
# A share of Harstad's started cases has a second plan version (started at least this long ago).
REVISION_SHARE, REVISION_AFTER = 0.4, 120
SOCIAL_STUDIES_WEEKS = 10  # 50 hours at 5 hours a week (issue 5: "social studies 50 h + test")
# Causes of late starts outside Harstad; in Harstad the first is a missing health check, the second a missing
# kindergarten place, so the monitor always shows both breaches (004:L1283–1285).
LATE_CAUSES = {
    DelayCause.HEALTH_CHECK: 4,
    DelayCause.KINDERGARTEN: 3,
    DelayCause.PARTICIPANT: 2,
    DelayCause.CAPACITY: 1,
    DelayCause.OTHER: 1,
}
CAUSE_NOTES = {
    DelayCause.HEALTH_CHECK: "Helseundersøkelse ikke gjennomført; venteliste hos helsestasjonen.",
    DelayCause.KINDERGARTEN: "Barnehageplass for yngste barn først fra hovedopptaket.",
    DelayCause.PARTICIPANT: "Deltakeren ba om utsatt oppstart av familiehensyn.",
    DelayCause.CAPACITY: "Ingen ledig plass i norskopplæringen før nytt kurs.",
    DelayCause.OTHER: "Ventet på tolk til oppstartssamtalen.",
}
# Status one year after the programme (004:L1568–1572: the 70 % target is reached by men only, women are
# below 50 %). The chance of being in work or education a year after, given how the programme ended (the
# generator's FINISHED outcome) and sex; with the generator's outcome shares by sex this gives about 75 % of
# men and 46 % of women. Then which of work, education or both.
IN_WORK_OR_EDUCATION_AFTER = {
    (FinishOutcome.WORK, "male"): 0.97,
    (FinishOutcome.WORK, "female"): 0.90,
    (FinishOutcome.EDUCATION, "male"): 0.97,
    (FinishOutcome.EDUCATION, "female"): 0.90,
    (FinishOutcome.OTHER, "male"): 0.2,
    (FinishOutcome.OTHER, "female"): 0.05,
}
ONE_YEAR_ACTIVITY = {
    FinishOutcome.WORK: {
        OneYearStatus.WORK: 88,
        OneYearStatus.WORK_AND_EDUCATION: 7,
        OneYearStatus.EDUCATION: 5,
    },
    FinishOutcome.EDUCATION: {
        OneYearStatus.EDUCATION: 85,
        OneYearStatus.WORK_AND_EDUCATION: 10,
        OneYearStatus.WORK: 5,
    },
    FinishOutcome.OTHER: {OneYearStatus.WORK: 70, OneYearStatus.EDUCATION: 30},
}
# Weekly hours of those in work a year after: many small part-time jobs (004:L1579), women fewer hours.
WORK_HOURS = {
    "male": {Decimal("37.5"): 45, Decimal("30"): 15, Decimal("20"): 15, Decimal("10"): 15, Decimal("4"): 10},
    "female": {
        Decimal("37.5"): 20,
        Decimal("30"): 15,
        Decimal("20"): 25,
        Decimal("10"): 25,
        Decimal("2"): 15,
    },
}
END_REASON_BY_OUTCOME = {FinishOutcome.WORK: EndReason.WORK, FinishOutcome.EDUCATION: EndReason.EDUCATION}
END_REASON_BY_NOTE = {
    "Helsegrunner": EndReason.ILLNESS,
    "Foreldrepermisjon": EndReason.PARENTAL_LEAVE,
    "Avsluttet uten overgang": EndReason.COMPLETED,
}
EMPLOYERS = [
    "Coop Extra Harstad",
    "Rema 1000 Kanebogen",
    "Harstad kommune, bydrift",
    "Universitetssykehuset Nord-Norge, Harstad",
    "Kanebogen sykehjem",
    "Hålogaland Ressursselskap",
    "Harstad Skipsindustri",
    "Byggmakker Harstad",
    "Thon Hotel Harstad",
    "Harstad kirkelige fellesråd",
]
OCCUPATIONS = [
    "Snekker",
    "Sykepleier",
    "Lærer",
    "Sjåfør",
    "Frisør",
    "Kokk",
    "Elektriker",
    "Butikkmedarbeider",
    "Regnskapsfører",
    "Bonde",
    "Sveiser",
    "Ingeniør",
]
FIELDS = ["Økonomi", "Helsefag", "Pedagogikk", "Bygg og anlegg", "Elektrofag", "IT", "Jus", "Landbruk"]
REVISION_REASONS = [
    "Arbeidspraksis avsluttet; videre språkpraksis hos ny arbeidsgiver.",
    "Deltakeren har fått tilbud om arbeidstrening tettere på sluttmålet.",
    "Justert etter evalueringssamtale: mer praksis, jobbstøtte fra NAV.",
]
PLAN_DECISION_TEXT = "Individuell plan fastsatt i samråd med deltakeren."
PROGRAMME_DECISION_TEXT = "Du får plass i introduksjonsprogram på fulltid (37,5 timer i uka)."
CHANGE_DECISION_TEXT = "Den individuelle planen endres fra {day}: {reason}"
LEAVE_DECISION_TEXT = "Du får permisjon fra introduksjonsprogrammet med introduksjonsstønad."
PROGRAMME_REASONS = (
    "Du er bosatt i Harstad kommune, er mellom 18 og 55 år og har rett og plikt til "
    "introduksjonsprogram. Kartleggingen er gjennomført, og programmet er satt sammen etter den."
)
CHANGE_REASONS = "Endringen er drøftet med deltakeren og bygger på evalueringen av planen."
LEAVE_REASONS = "Permisjon ved fødsel. Programperioden forlenges med permisjonstiden."


def _explicit_timestamps():
    """Keep the timestamps set here (bulk_create would stamp now() and break determinism)."""
    return explicit_timestamps(
        (Participant, "created_at"),
        (CompetenceMapping, "updated_at"),
        (PlanVersion, "created_at"),
        (Decision, "created_at"),
        (Appeal, "created_at"),
        (TeachingGroup, "created_at"),
        (AttendanceWeek, "recorded_at"),
        (TestResult, "created_at"),
        (NirExport, "created_at"),
    )


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _monday(day: datetime.date) -> datetime.date:
    return day - _days(day.weekday())


@dataclass
class Case:
    """What the timeline says about one person's case, and what this module adds to it."""

    person: Person
    municipality_id: object
    settled: datetime.date
    permit: datetime.date | None
    start: datetime.date | None
    finished: datetime.date | None = None
    outcome: str = ""
    finish_note: str = ""
    start_event: PhaseEvent | None = None
    rights: rules.Rights | None = None
    harstad: bool = False
    participant: Participant | None = None
    plans: list[tuple[PlanVersion, list[Measure]]] = field(default_factory=list)
    late_cause: str = ""

    @property
    def sex(self) -> str:
        return self.person.sex


@dataclass
class Context:
    rng: random.Random
    ids: Ids
    today: datetime.date
    harstad: Organisation
    adult_education: Organisation | None
    adviser: User | None
    teacher: User | None


# --- reading the timelines ---------------------------------------------------------------------------------


def _cases(today: datetime.date, harstad: Organisation) -> tuple[list[Case], int]:
    """One case per person with a programme start, and the not yet started in Harstad, by person id."""
    persons = {
        p.pk: p
        for p in Person.objects.filter(
            demo_ids(), current_phase__in=(Phase.SETTLED, Phase.IN_PROGRAMME, Phase.FINISHED)
        ).only("pk", "birth_date", "sex", "immigrant_category", "current_phase", "nationalities")
    }
    events = defaultdict(list)
    for event in PhaseEvent.objects.filter(
        person_id__in=list(persons),
        phase__in=(Phase.PERMIT_GRANTED, Phase.SETTLED, Phase.IN_PROGRAMME, Phase.FINISHED),
    ).order_by("person_id", "date", "recorded_at"):
        events[event.person_id].append(event)
    cases, skipped = [], 0
    for person_id in sorted(persons, key=str):
        person, timeline = persons[person_id], events[person_id]
        permits = [e.date for e in timeline if e.phase == Phase.PERMIT_GRANTED]
        settled = [e for e in timeline if e.phase == Phase.SETTLED]
        started = next((e for e in timeline if e.phase == Phase.IN_PROGRAMME), None)
        if not settled:
            continue
        if started is not None:
            here = [
                e for e in settled if e.organisation_id == started.organisation_id and e.date <= started.date
            ]
            finished = next(
                (e for e in timeline if e.phase == Phase.FINISHED and e.date >= started.date), None
            )
            case = Case(
                person=person,
                municipality_id=started.organisation_id,
                settled=(here or settled)[-1].date,
                permit=permits[-1] if permits else None,
                start=started.date,
                finished=finished.date if finished else None,
                outcome=finished.outcome if finished else "",
                finish_note=finished.note if finished else "",
                start_event=started,
            )
        elif (
            person.current_phase == Phase.SETTLED
            and settled[-1].organisation_id == harstad.pk
            and (today - settled[-1].date).days <= NOT_STARTED_WINDOW
        ):
            case = Case(
                person=person,
                municipality_id=harstad.pk,
                settled=settled[-1].date,
                permit=permits[-1] if permits else None,
                start=None,
            )
        else:
            continue
        case.harstad = case.municipality_id == harstad.pk
        # The facts as services.person_facts finds them: a settled asylum seeker has been granted a permit.
        category = person.immigrant_category
        if category == ImmigrantCategory.ASYLUM_SEEKER and case.permit is not None:
            category = ImmigrantCategory.REFUGEE
        facts = rules.PersonFacts(
            birth_date=person.birth_date,
            immigrant_category=category,
            permit_date=case.permit,
            settlement_date=case.settled,
        )
        case.rights = rules.rights(facts, case.settled)
        if case.rights.introduction_programme == rules.NONE:
            # services.start_programme refuses a start without the right; such a timeline gets no case.
            skipped += case.start is not None
            continue
        cases.append(case)
    return cases, skipped


def _start_deadline(case: Case) -> datetime.date:
    return rules.programme_start_deadline(case.settled).due


def _ensure_late_start(ctx: Context, cases: list[Case]) -> Case | None:
    """Make sure Harstad has an open case that started late: move one start past the deadline if none did.

    The phase event, the person's "in this phase since" and the adult-education grant made at the start
    move with it, so the timeline stays what the services would have written.
    """
    started = [c for c in cases if c.harstad and c.start is not None and c.finished is None]
    if any(c.start > _start_deadline(c) for c in started):
        return None
    for case in started:
        due = _start_deadline(case)
        if due + _days(10) > ctx.today:
            continue
        new_start = min(ctx.today - _days(3), due + _days(ctx.rng.randint(10, 40)))
        event = case.start_event
        offset = event.recorded_at - _stamp(event.date)
        SharedAccess.objects.filter(
            person_id=case.person.pk, granted_at=_stamp(event.date, 50), revoked_at__isnull=True
        ).update(granted_at=_stamp(new_start, 50))
        PhaseEvent.objects.filter(pk=event.pk).update(date=new_start, recorded_at=_stamp(new_start) + offset)
        Person.objects.filter(pk=case.person.pk, current_phase=Phase.IN_PROGRAMME).update(
            current_phase_since=new_start
        )
        case.start = new_start
        return case
    return None


# --- the case itself ---------------------------------------------------------------------------------------


def _final_goal(rng: random.Random, case: Case) -> str:
    age = rules.age_on(case.person.birth_date, case.settled)
    if case.rights.temporary_rules:
        return FinalGoal.WORK
    if age < 25:
        return _weighted(rng, {FinalGoal.UPPER_SECONDARY: 5, FinalGoal.PRIMARY_SCHOOL: 2, FinalGoal.WORK: 3})
    return _weighted(
        rng,
        {FinalGoal.WORK: 7, FinalGoal.HIGHER_EDUCATION: 1, FinalGoal.PRIMARY_SCHOOL: 1, FinalGoal.OTHER: 1},
    )


def _extension(rng: random.Random, case: Case, goal: str, today: datetime.date) -> str:
    if case.rights.temporary_rules or case.start is None:
        return Extension.NONE
    if case.finished is not None:
        # Ended after the normal two years: the third year (or four years for school) was approved.
        if case.finished > rules.programme_end(case.start):
            return Extension.UPPER_SECONDARY if goal == FinalGoal.UPPER_SECONDARY else Extension.THIRD_YEAR
        return Extension.NONE
    if goal == FinalGoal.UPPER_SECONDARY and rng.random() < 0.5:
        return Extension.UPPER_SECONDARY
    if today > rules.programme_end(case.start) or rng.random() < 0.1:
        # Still in the programme after two years: the third year was approved.
        return Extension.THIRD_YEAR
    return Extension.NONE


def _participant(ctx: Context, case: Case) -> Participant:
    rng, today = ctx.rng, ctx.today
    goal = _final_goal(rng, case)
    extension = _extension(rng, case, goal, today)
    late = case.start is not None and case.start > _start_deadline(case)
    ended = case.finished
    end_reason = ""
    if ended is not None:
        end_reason = END_REASON_BY_OUTCOME.get(case.outcome) or END_REASON_BY_NOTE.get(
            case.finish_note, EndReason.OTHER
        )
    contract = None
    if case.start is not None and not case.rights.temporary_rules and rng.random() < 0.6:
        contract = min(today, case.start + _days(rng.randint(20, 90)))
        if ended is not None:
            contract = min(contract, ended)
    norwegian_goal = {
        FinalGoal.HIGHER_EDUCATION: CefrLevel.B2,
        FinalGoal.UPPER_SECONDARY: CefrLevel.B1,
        FinalGoal.PRIMARY_SCHOOL: CefrLevel.A2,
    }.get(goal, rng.choice([CefrLevel.A2, CefrLevel.B1, CefrLevel.B1]))
    return Participant(
        id=ctx.ids(),
        person=case.person,
        municipality_id=case.municipality_id,
        adviser=ctx.adviser if case.harstad else None,
        # Harstad voksenopplæring is assigned when the programme starts (and then may read the case).
        adult_education=ctx.adult_education if case.harstad and case.start is not None else None,
        settlement_date=case.settled,
        permit_date=case.permit,
        programme_status=case.rights.introduction_programme,
        training_status=case.rights.norwegian_training,
        temporary_rules=case.rights.temporary_rules,
        final_goal=goal if (case.start is not None or rng.random() < 0.5) else "",
        norwegian_goal=norwegian_goal,
        integration_contract_signed=contract,
        programme_start=case.start,
        start_delay_cause=case.late_cause if late else "",
        extension=extension,
        ended_on=ended,
        end_reason=end_reason,
        created_at=_stamp(case.settled + _days(rng.randint(1, 5)), 30_000),
        created_by=ctx.adviser if case.harstad else None,
    )


def _one_year(ctx: Context, case: Case, p: Participant) -> None:
    rng = ctx.rng
    if p.ended_on is None or p.end_reason == EndReason.MOVED:
        return
    due = rules.add_months(p.ended_on, 12)
    if due > ctx.today:
        return
    outcome = case.outcome if case.outcome in ONE_YEAR_ACTIVITY else FinishOutcome.OTHER
    chance = IN_WORK_OR_EDUCATION_AFTER.get(
        (outcome, case.sex), IN_WORK_OR_EDUCATION_AFTER[(outcome, "female")]
    )
    status = _weighted(rng, ONE_YEAR_ACTIVITY[outcome]) if rng.random() < chance else OneYearStatus.OTHER
    p.one_year_status = status
    if status in (OneYearStatus.WORK, OneYearStatus.WORK_AND_EDUCATION):
        p.one_year_weekly_work_hours = _weighted(rng, WORK_HOURS.get(case.sex, WORK_HOURS["male"]))
    p.one_year_recorded_on = min(ctx.today, due + _days(rng.randint(0, 45)))


def _mapping(ctx: Context, case: Case, p: Participant):
    """The mapping (done before the start, 004:L1522 context), with education and work experience."""
    rng, today = ctx.rng, ctx.today
    if case.start is not None:
        span = (case.start - case.settled).days
        completed = case.settled + _days(rng.randint(min(3, span), max(min(span, 45), min(3, span))))
    elif (today - case.settled).days > 21:
        completed = case.settled + _days(rng.randint(7, min(45, (today - case.settled).days)))
    else:
        completed = None
    health = ""
    consent = None
    if completed is not None and rng.random() < 0.08:
        health = rng.choice(
            ["Ryggplager; tåler ikke tunge løft.", "Redusert hørsel.", "Søvnvansker etter flukt."]
        )
        consent = completed
    mapping = CompetenceMapping(
        participant=p,
        completed_on=completed,
        skills=rng.choice(
            ["Sy og reparere klær.", "Matlaging for mange.", "Data og kontorarbeid.", "Bilmekanikk."]
        )
        if completed
        else "",
        norwegian_level=(rng.choice(["", "", CefrLevel.A1]) if completed else ""),
        career_guidance=(
            "Karriereveiledning gjennomført; ønsker arbeid innen " + rng.choice(FIELDS).lower() + "."
            if completed and case.harstad
            else ""
        ),
        health_limitations=health,
        health_consent_on=consent,
        updated_by=ctx.adviser if case.harstad else None,
        updated_at=_stamp(completed or case.settled, 40_000),
    )
    education, work = [], []
    if completed is not None:
        country = (case.person.nationalities or [""])[0]
        country = str(getattr(country, "code", country) or "")
        level = _weighted(
            rng,
            {
                EducationLevel.NONE: 2,
                EducationLevel.PRIMARY: 4,
                EducationLevel.LOWER_SECONDARY: 3,
                EducationLevel.UPPER_SECONDARY: 4,
                EducationLevel.VOCATIONAL: 2,
                EducationLevel.BACHELOR: 3,
                EducationLevel.MASTER: 1,
            },
        )
        if level != EducationLevel.NONE:
            higher = level in (EducationLevel.BACHELOR, EducationLevel.MASTER, EducationLevel.VOCATIONAL)
            education.append(
                EducationEntry(
                    mapping=mapping,
                    level=level,
                    country=country,
                    field=rng.choice(FIELDS) if higher else "",
                    years=Decimal(rng.choice([3, 4, 5, 6, 9])),
                    recognition=_weighted(
                        rng,
                        {Recognition.NOT_APPLIED: 3, Recognition.PENDING: 2, Recognition.RECOGNISED: 1}
                        if higher
                        else {Recognition.NOT_APPLIED: 1},
                    ),
                )
            )
        for _ in range(rng.choice([0, 1, 1, 2])):
            work.append(
                WorkExperience(
                    mapping=mapping,
                    occupation=rng.choice(OCCUPATIONS),
                    country=country,
                    years=Decimal(rng.randint(1, 12)),
                )
            )
    return mapping, education, work


def _plan_end(case: Case, p: Participant) -> datetime.date:
    start = case.start or p.settlement_date
    extension = Extension.NONE if p.temporary_rules else p.extension
    return rules.programme_end(start, extension=extension, temporary_rules=p.temporary_rules)


def _measures(rng: random.Random, case: Case, p: Participant, start: datetime.date) -> list[dict]:
    """Measures for a plan starting on ``start``: formal competence first (004:L1522), at most full time."""
    end = _plan_end(case, p)
    social_end = min(end, start + _days(7 * SOCIAL_STUDIES_WEEKS - 1))
    norwegian = {"kind": MeasureKind.NORWEGIAN, "hours": "15", "provider": "Harstad voksenopplæring"}
    social = {
        "kind": MeasureKind.SOCIAL_STUDIES,
        "hours": "5",
        "end": social_end,
        "provider": "Harstad voksenopplæring",
    }
    employer = rng.choice(EMPLOYERS)
    if p.temporary_rules:
        rows = [
            norwegian,
            {"kind": MeasureKind.WORK_PLACEMENT, "hours": "20", "days": 3, "provider": employer},
        ]
    elif p.final_goal in (FinalGoal.UPPER_SECONDARY, FinalGoal.PRIMARY_SCHOOL):
        formal = (
            MeasureKind.UPPER_SECONDARY
            if p.final_goal == FinalGoal.UPPER_SECONDARY
            else MeasureKind.PRIMARY_SCHOOL
        )
        school = (
            "Harstad videregående skole"
            if formal == MeasureKind.UPPER_SECONDARY
            else "Harstad voksenopplæring"
        )
        rows = [{"kind": formal, "hours": "17.5", "provider": school}, norwegian, social]
    elif p.final_goal == FinalGoal.HIGHER_EDUCATION:
        rows = [
            dict(norwegian, hours="20"),
            social,
            {"kind": MeasureKind.LANGUAGE_PRACTICE, "hours": "10", "days": 2, "provider": employer},
        ]
    elif p.final_goal == FinalGoal.OTHER:
        rows = [
            norwegian,
            social,
            {"kind": MeasureKind.PARENTING, "hours": "3", "provider": "Familiens hus Harstad"},
            {"kind": MeasureKind.HEALTH, "hours": "4", "provider": "Frisklivssentralen"},
        ]
    else:
        rows = [
            norwegian,
            social,
            {"kind": MeasureKind.WORK_PLACEMENT, "hours": "15", "days": 2, "provider": employer},
            {"kind": MeasureKind.JOB_SUPPORT, "hours": "2.5", "provider": "NAV Harstad"},
        ]
    for row in rows:
        row.setdefault("start", start)
        row.setdefault("end", end)
    rows.sort(key=lambda r: (r["kind"] not in FORMAL_COMPETENCE_MEASURES, r["start"]))
    return rows


def _plan(ctx: Context, p: Participant, number: int, valid_from, reason: str, rows: list[dict]):
    plan = PlanVersion(
        id=ctx.ids(),
        participant=p,
        number=number,
        valid_from=valid_from,
        reason=reason,
        created_at=_stamp(valid_from, 43_000 + number),
        created_by=p.adviser,
    )
    measures = []
    for row in rows:
        measure = Measure(
            plan=plan,
            kind=row["kind"],
            provider=row.get("provider", ""),
            hours_per_week=Decimal(row["hours"]),
            days_per_week=row.get("days"),
            start=row["start"],
            end=row["end"],
        )
        measure.key = row.get("key") or ctx.ids()
        row["key"] = measure.key
        measures.append(measure)
    return plan, measures


def _plans(ctx: Context, case: Case, p: Participant, mapped_on: datetime.date | None) -> None:
    rng, today = ctx.rng, ctx.today
    if mapped_on is None:
        return
    if case.start is None:
        if rng.random() < 0.5:
            return  # the plan is still being made
        planned = max(today + _days(14), case.settled + _days(80))
        rows = _measures(rng, case, p, planned)
        case.plans.append(_plan(ctx, p, 1, mapped_on, "", rows))
        return
    valid_from = min(case.start, max(mapped_on, case.start - _days(rng.randint(0, 10))))
    rows = _measures(rng, case, p, case.start)
    case.plans.append(_plan(ctx, p, 1, valid_from, "", rows))
    last_day = min(today, case.finished or today)
    running = (last_day - case.start).days
    if not case.harstad or running < REVISION_AFTER or rng.random() >= REVISION_SHARE:
        return
    revised = case.start + _days(rng.randint(60, min(running - 14, 300)))
    reason = rng.choice(REVISION_REASONS)
    continuing = []
    for row in rows:
        if row["end"] < revised:
            continue  # social studies is done
        if row["kind"] in (MeasureKind.WORK_PLACEMENT, MeasureKind.LANGUAGE_PRACTICE):
            continuing.append(
                {
                    "kind": MeasureKind.LANGUAGE_PRACTICE,
                    "hours": row["hours"],
                    "days": row.get("days"),
                    "provider": rng.choice([e for e in EMPLOYERS if e != row.get("provider")]),
                    "start": revised,
                    "end": row["end"],
                }
            )
        else:
            continuing.append(dict(row))
    case.plans.append(_plan(ctx, p, 2, revised, reason, continuing))


def _deviation(ctx: Context, case: Case, p: Participant) -> Deviation | None:
    due = _start_deadline(case)
    if case.start is not None:
        if case.start <= due:
            return None
        detected, days_late = case.start, (case.start - due).days
    elif due < ctx.today and case.late_cause:
        detected, days_late = ctx.today, (ctx.today - due).days
    else:
        return None
    return Deviation(
        id=ctx.ids(),
        participant=p,
        kind=Deviation.Kind.LATE_PROGRAMME_START,
        cause=case.late_cause,
        due=due,
        detected_on=detected,
        days_late=days_late,
        note=CAUSE_NOTES.get(case.late_cause, ""),
        recorded_by=p.adviser,
    )


def _late_causes(ctx: Context, cases: list[Case]) -> None:
    """Causes for late starts. Harstad's open cases that started late come first: a missing health check,
    then a missing kindergarten place, so the adviser's monitor shows both breaches; the other late starts
    get a cause drawn from ``LATE_CAUSES``. The first Harstad case past the deadline without a start has its
    cause recorded (a kindergarten place), the next has none yet."""
    harstad_causes = [DelayCause.HEALTH_CHECK, DelayCause.KINDERGARTEN]
    waiting_causes = [DelayCause.KINDERGARTEN]
    late = [c for c in cases if c.start is not None and c.start > _start_deadline(c)]
    for case in late:
        if case.harstad and case.finished is None and harstad_causes:
            case.late_cause = harstad_causes.pop(0)
    for case in late:
        if not case.late_cause:
            case.late_cause = _weighted(ctx.rng, LATE_CAUSES)
    for case in cases:
        if case.start is None and _start_deadline(case) < ctx.today and waiting_causes:
            case.late_cause = waiting_causes.pop(0)


# --- Harstad's daily work: groups, attendance, tests, decisions ---------------------------------------------


def _measure_in_week(case: Case, monday: datetime.date) -> list[Measure]:
    """The measures of the plan version in force in the week that run in that week."""
    version = None
    for plan, measures in case.plans:
        if plan.valid_from <= monday + _days(6) and (version is None or plan.number > version[0].number):
            version = (plan, measures)
    if version is None:
        return []
    return [m for m in version[1] if m.start <= monday + _days(6) and m.end >= monday]


def _attendance(ctx: Context, cases: list[Case], leave: dict) -> list[AttendanceWeek]:
    """The last weeks' hours for Harstad's open cases, with some valid and some unexcused absence."""
    rng, today = ctx.rng, ctx.today
    this_week = _monday(today)
    weeks = [this_week - _days(7 * n) for n in range(ATTENDANCE_WEEKS, 0, -1)]
    rows = []
    for case in cases:
        p = case.participant
        if not case.harstad or p.programme_start is None or p.ended_on is not None:
            continue
        for monday in weeks:
            if monday + _days(4) < p.programme_start:
                continue
            on_leave = leave.get(p.pk)
            if on_leave and on_leave[0] <= monday + _days(4) and on_leave[1] >= monday:
                continue
            year, week, _ = monday.isocalendar()
            for measure in _measure_in_week(case, monday):
                planned = measure.hours_per_week
                valid = unexcused = Decimal(0)
                if rng.random() < 0.08:
                    valid = min(planned, Decimal(rng.choice(["2.5", "5", "7.5"])))
                if rng.random() < 0.06:
                    unexcused = min(planned - valid, Decimal(rng.choice(["1", "2", "2.5", "3"])))
                teaching = measure.kind in (MeasureKind.NORWEGIAN, MeasureKind.SOCIAL_STUDIES)
                rows.append(
                    AttendanceWeek(
                        id=ctx.ids(),
                        participant=p,
                        person_id=p.person_id,
                        measure_key=measure.key,
                        measure_kind=measure.kind,
                        iso_year=year,
                        iso_week=week,
                        hours_attended=planned - valid - unexcused,
                        valid_absence_hours=valid,
                        unexcused_absence_hours=unexcused,
                        recorded_by=ctx.teacher if teaching else ctx.adviser,
                        recorded_for=ctx.adult_education if teaching else ctx.harstad,
                        recorded_at=_stamp(monday + _days(4), 54_000),
                    )
                )
    # At least one unexcused absence in the last full week, so the benefit page shows a reduction.
    last = this_week - _days(7)
    year, week, _ = last.isocalendar()
    latest = [r for r in rows if (r.iso_year, r.iso_week) == (year, week) and r.hours_attended >= 2]
    if latest and not any(r.unexcused_absence_hours for r in latest):
        row = latest[0]
        row.unexcused_absence_hours = Decimal("2")
        row.hours_attended -= Decimal("2")
    return rows


def _groups(ctx: Context, cases: list[Case]) -> list[TeachingGroup]:
    if ctx.adult_education is None:
        return []
    members = [
        c.participant
        for c in cases
        if c.harstad
        and c.participant.programme_start is not None
        and c.participant.ended_on is None
        and any(m.kind == MeasureKind.NORWEGIAN for _plan, ms in c.plans for m in ms)
    ]
    ctx.rng.shuffle(members)
    # Those who started before last week first, so every row of group A can be entered for last week (the
    # week the attendance page opens on).
    last_monday = _monday(ctx.today) - _days(7)
    members.sort(key=lambda p: p.programme_start >= last_monday)
    size_a = (
        min(GROUP_A_SIZE, max(1, len(members) - len(members) // 3)) if len(members) < 30 else GROUP_A_SIZE
    )
    created = _stamp(ctx.today - _days(120), 30_000)
    group_a = TeachingGroup(
        id=ctx.ids(),
        organisation=ctx.adult_education,
        name=GROUP_A,
        measure_kind=MeasureKind.NORWEGIAN,
        created_at=created,
    )
    group_b = TeachingGroup(
        id=ctx.ids(),
        organisation=ctx.adult_education,
        name=GROUP_B,
        measure_kind=MeasureKind.NORWEGIAN,
        created_at=created,
    )
    TeachingGroup.objects.bulk_create([group_a, group_b])
    group_a.members.set(members[:size_a])
    group_b.members.set(members[size_a:])
    return [group_a, group_b]


def _tests(ctx: Context, cases: list[Case]) -> list[TestResult]:
    """Social-studies test after the 50 hours; the four Norwegian tests after about a year."""
    rng, today = ctx.rng, ctx.today
    if ctx.adult_education is None:
        return []
    rows = []
    for case in cases:
        p = case.participant
        if not case.harstad or p.programme_start is None:
            continue
        last_day = min(today, p.ended_on or today)
        taken = p.programme_start + _days(7 * SOCIAL_STUDIES_WEEKS + rng.randint(7, 30))
        planned: list[tuple[str, datetime.date, str, bool]] = []
        if not p.temporary_rules and taken <= last_day:
            planned.append((TestKind.SOCIAL_STUDIES, taken, "", rng.random() < 0.9))
        norwegian_on = p.programme_start + _days(rng.randint(300, 420))
        if norwegian_on <= last_day:
            for kind in (
                TestKind.NORWEGIAN_ORAL,
                TestKind.NORWEGIAN_READING,
                TestKind.NORWEGIAN_LISTENING,
                TestKind.NORWEGIAN_WRITING,
            ):
                level = _weighted(rng, {CefrLevel.A1: 1, CefrLevel.A2: 4, CefrLevel.B1: 4, CefrLevel.B2: 1})
                planned.append((kind, norwegian_on, level, True))
        for kind, day, level, passed in planned:
            rows.append(
                TestResult(
                    id=ctx.ids(),
                    person_id=p.person_id,
                    participant=p,
                    kind=kind,
                    taken_on=day,
                    level=level,
                    passed=passed,
                    organisation=ctx.adult_education,
                    recorded_by=ctx.teacher,
                    created_at=_stamp(day, 50_000),
                )
            )
    return rows


def _leave_for(ctx: Context, cases: list[Case]) -> dict:
    """Leave for one Harstad participant: three weeks, ended a few weeks ago (it extends the period)."""
    today = ctx.today
    for case in cases:
        p = case.participant
        if not case.harstad or p.programme_start is None or p.ended_on is not None or p.temporary_rules:
            continue
        start = _monday(today) - _days(7 * 5)
        if start - _days(30) < p.programme_start:
            continue
        return {p.pk: (start, start + _days(20))}
    return {}


def _decisions(ctx: Context, cases: list[Case], leave: dict) -> tuple[list[Decision], list[Appeal]]:
    """Decisions on the programme, plan changes and leave for Harstad's cases, each with its letter
    rendered as the decision service does; an appeal decided by the municipality and one pending."""
    from bro.qualification import decisions as decision_service

    rng, today = ctx.rng, ctx.today
    # Cases ended before last month get none: no export of a recent month covers them, and each letter takes
    # a tenth of a second to lay out.
    since = (today.replace(day=1) - _days(1)).replace(day=1)
    made: list[Decision] = []
    for case in cases:
        p = case.participant
        if not case.harstad or p.programme_start is None or not case.plans:
            continue
        if p.ended_on is not None and p.ended_on < since:
            continue
        first, _ = case.plans[0]
        mapped_on = p.mapping.completed_on
        decided = max(mapped_on, p.programme_start - _days(rng.randint(3, 14)), p.settlement_date)
        made.append(
            Decision(
                id=ctx.ids(),
                participant=p,
                kind=DecisionKind.PROGRAMME,
                decided_on=decided,
                effective_from=p.programme_start,
                effective_to=_plan_end(case, p),
                plan=first,
                outcome_text=PROGRAMME_DECISION_TEXT,
                reasons=PROGRAMME_REASONS,
                decided_by=ctx.adviser,
                created_at=_stamp(decided, 46_000),
            )
        )
        if len(case.plans) > 1:
            second, _ = case.plans[1]
            made.append(
                Decision(
                    id=ctx.ids(),
                    participant=p,
                    kind=DecisionKind.CHANGE,
                    decided_on=second.valid_from,
                    effective_from=second.valid_from,
                    plan=second,
                    outcome_text=CHANGE_DECISION_TEXT.format(
                        day=second.valid_from.strftime("%d.%m.%Y"), reason=second.reason
                    ),
                    reasons=CHANGE_REASONS,
                    decided_by=ctx.adviser,
                    created_at=_stamp(second.valid_from, 47_000),
                )
            )
        if p.pk in leave:
            first_day, last_day = leave[p.pk]
            decided = first_day - _days(10)
            made.append(
                Decision(
                    id=ctx.ids(),
                    participant=p,
                    kind=DecisionKind.LEAVE,
                    decided_on=decided,
                    effective_from=first_day,
                    effective_to=last_day,
                    outcome_text=LEAVE_DECISION_TEXT,
                    reasons=LEAVE_REASONS,
                    decided_by=ctx.adviser,
                    created_at=_stamp(decided, 48_000),
                )
            )
    for decision in made:
        decision.letter_pdf = decision_service.render_letter(decision)
    appeals = []
    changes = [d for d in made if d.kind == DecisionKind.CHANGE]
    for decision, pending in zip(changes[:2], (False, True), strict=False):
        received = min(today, decision.decided_on + _days(12))
        outcome_on = min(today, received + _days(20)) if not pending else None
        appeals.append(
            Appeal(
                id=ctx.ids(),
                decision=decision,
                received_on=received,
                grounds="Deltakeren ønsker å fortsette i arbeidspraksisen og mener endringen kom for tidlig.",
                outcome=AppealOutcome.PENDING if pending else AppealOutcome.REVERSED_BY_MUNICIPALITY,
                outcome_on=outcome_on,
                outcome_note=""
                if pending
                else "Kommunen omgjorde vedtaket: praksis forlenget med fire uker.",
                recorded_by=ctx.adviser,
                created_at=_stamp(received, 49_000),
            )
        )
    return made, appeals


def _handovers(ctx: Context) -> list[NirExport]:
    """Harstad hands its registrations over to NIR monthly: last year's months, each exported on the 8th
    of the month after (so what was decided this month, and last month before the 8th, is still due)."""
    result = []
    first = ctx.today.replace(day=1)
    for back in range(12, 0, -1):
        start = rules.add_months(first, -back)
        end = rules.add_months(start, 1) - datetime.timedelta(days=1)
        made = end + datetime.timedelta(days=8)
        if made > ctx.today:
            continue
        count = (
            Participant.objects.filter(municipality=ctx.harstad, settlement_date__lte=end)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
            .count()
        )
        result.append(
            NirExport(
                id=ctx.ids(),
                municipality=ctx.harstad,
                period_start=start,
                period_end=end,
                participants=count,
                created_at=_stamp(made, 9 * 3600),
                created_by=ctx.adviser,
            )
        )
    return result


# --- build and reset ---------------------------------------------------------------------------------------


def build(*, seed: int, today: datetime.date, log) -> None:
    """Deterministic from ``seed`` and ``today``."""
    harstad = Organisation.objects.filter(
        demo_ids(), kind=OrganisationKind.MUNICIPALITY, municipality__number=HARSTAD
    ).first()
    if harstad is None:
        log("qualification: no demo Harstad; nothing built")
        return
    users = {u.username: u for u in User.objects.filter(demo_ids(), username__in=["programme", "teacher"])}
    ctx = Context(
        rng=random.Random(f"{seed}:qualification"),
        ids=Ids(random.Random(f"{seed}:qualification:ids")),
        today=today,
        harstad=harstad,
        adult_education=Organisation.objects.filter(
            demo_ids(), kind=OrganisationKind.ADULT_EDUCATION, municipality=harstad.municipality
        ).first(),
        adviser=users.get("programme"),
        teacher=users.get("teacher"),
    )
    cases, skipped = _cases(today, harstad)
    moved = _ensure_late_start(ctx, cases)
    _late_causes(ctx, cases)

    with _explicit_timestamps():
        mappings, education, work, deviations = [], [], [], []
        for case in cases:
            case.participant = _participant(ctx, case)
            _one_year(ctx, case, case.participant)
        Participant.objects.bulk_create([c.participant for c in cases])
        for case in cases:
            mapping, entries, jobs = _mapping(ctx, case, case.participant)
            mappings.append(mapping)
            education += entries
            work += jobs
        CompetenceMapping.objects.bulk_create(mappings)
        EducationEntry.objects.bulk_create(education)
        WorkExperience.objects.bulk_create(work)
        for case, mapping in zip(cases, mappings, strict=True):
            case.participant.mapping = mapping
            _plans(ctx, case, case.participant, mapping.completed_on)
            deviation = _deviation(ctx, case, case.participant)
            if deviation is not None:
                deviations.append(deviation)
        PlanVersion.objects.bulk_create([plan for c in cases for plan, _ in c.plans])
        Measure.objects.bulk_create([m for c in cases for _, measures in c.plans for m in measures])
        Deviation.objects.bulk_create(deviations)

        groups = _groups(ctx, cases)
        leave = _leave_for(ctx, cases)
        attendance = _attendance(ctx, cases, leave)
        AttendanceWeek.objects.bulk_create(attendance, batch_size=1000)
        tests = _tests(ctx, cases)
        TestResult.objects.bulk_create(tests)
        made, appeals = _decisions(ctx, cases, leave)
        Decision.objects.bulk_create(made)
        Appeal.objects.bulk_create(appeals)
        handovers = _handovers(ctx)
        NirExport.objects.bulk_create(handovers)

    in_harstad = [c for c in cases if c.harstad]
    log(
        f"qualification: {len(cases)} cases ({len(in_harstad)} in Harstad: "
        f"{sum(1 for c in in_harstad if c.start and not c.finished)} in programme, "
        f"{sum(1 for c in in_harstad if c.start is None)} not started, "
        f"{sum(1 for c in in_harstad if c.finished)} ended), {len(deviations)} late starts"
        + (" (one moved past the deadline)" if moved else "")
        + f", {sum(len(c.plans) for c in cases)} plan versions, {len(attendance)} attendance weeks, "
        f"{len(tests)} tests, {len(made)} decisions, {len(appeals)} appeals, {len(handovers)} NIR exports, "
        f"groups of {', '.join(str(g.members.count()) for g in groups)}"
        + (f"; {skipped} programme starts without the right skipped" if skipped else "")
    )


def _delete(queryset) -> int:
    """Delete and count the rows of the queryset's own model (not what went with them)."""
    return queryset.delete()[1].get(queryset.model._meta.label, 0)


def reset(*, log) -> None:
    """Delete what ``build`` wrote, and any case, group or test that points into a demo organisation."""
    demo_orgs = Organisation.objects.filter(demo_ids())
    cases = Participant.objects.filter(
        demo_ids() | Q(municipality__in=demo_orgs) | Q(adult_education__in=demo_orgs)
    )
    counts = {
        "NIR exports": _delete(NirExport.objects.filter(demo_ids() | Q(municipality__in=demo_orgs))),
        "tests": _delete(TestResult.objects.filter(demo_ids() | Q(organisation__in=demo_orgs))),
        "teaching groups": _delete(TeachingGroup.objects.filter(demo_ids() | Q(organisation__in=demo_orgs))),
        "attendance weeks": _delete(AttendanceWeek.objects.filter(demo_ids() | Q(participant__in=cases))),
        "cases": _delete(cases),
    }
    log("qualification: " + ", ".join(f"{n} {what}" for what, n in counts.items()) + " deleted")
