"""The municipality's overview of civil society: who does what, where and for whom, with overlaps and gaps.

Municipalities lack an overview of what volunteers do (002:L548); organisations duplicate each other for
the same target group (003:L1045); the named gaps are too few work-oriented offers (003:L4268–4276) and
too few offers for men and too few male volunteers (003:L4277–4279).

The analysis (``analyse`` and the functions it calls) is pure: plain facts in, an ``Analysis`` out, no
database. It also takes model rows (Activity, Organisation, Need, Volunteer), which it reads by attribute,
so the demo and the tests can call ``analyse(activities, centres, needs, volunteers)`` directly. The
selector at the end (``overview_for``) fetches the facts for a user's scope and logs the read.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

# Two or more organisations with activities of the same kind for the same target group in the same
# municipality overlap (003:L1045: "no communication across organisations about activities for the same
# target group"). One organisation running two such activities is not an overlap.
OVERLAP_MIN_ORGANISATIONS = 2
# Few offers for men (003:L4277): fewer activities open to men (men-only or for everyone) than this share
# of all activities, or fewer men-only activities than women-only ones. Our assumption, tune with users.
MEN_OFFERS_MIN_SHARE = Decimal("0.5")
# Too few male volunteers (003:L4278): below this share of the volunteers whose sex is known. Assumption.
MALE_VOLUNTEERS_MIN_SHARE = Decimal("0.4")
# Too few work-oriented offers (003:L4268): below this share of all activities. Assumption.
WORK_ORIENTED_MIN_SHARE = Decimal("0.1")

WORK_ORIENTED = "work_oriented"
WOMEN, MEN, EVERYONE = "women", "men", "any"


@dataclass(frozen=True)
class ActivityFact:
    id: object
    name: str
    organisation_id: object
    organisation_name: str
    kind: str
    phase: str
    target_sex: str
    municipality_id: object
    reception_centre_id: object = None
    participants_reached: int = 0
    volunteer_hours: Decimal = Decimal("0")
    ends_on: datetime.date | None = None


@dataclass(frozen=True)
class CentreFact:
    id: object
    name: str
    municipality_id: object


@dataclass(frozen=True)
class NeedFact:
    id: object
    title: str
    municipality_id: object
    status: str
    answers: int


@dataclass(frozen=True)
class VolunteerFact:
    municipality_id: object
    sex: str  # "male", "female", or "" when not given


@dataclass(frozen=True)
class Overlap:
    """Several organisations run activities of one kind for one target group in one municipality."""

    municipality_id: object
    kind: str
    target_sex: str
    phase: str
    organisation_names: tuple[str, ...]
    activity_ids: tuple


@dataclass(frozen=True)
class MunicipalityGaps:
    municipality_id: object
    activities: int
    open_to_men: int  # men-only or for everyone
    men_only: int
    women_only: int
    work_oriented: int
    volunteers_with_sex: int
    male_volunteers: int
    few_offers_for_men: bool
    few_male_volunteers: bool
    few_work_oriented: bool


@dataclass
class Analysis:
    activities: list[ActivityFact] = field(default_factory=list)
    by_target: dict = field(default_factory=dict)  # (target_sex, phase) -> count
    by_municipality: dict = field(default_factory=dict)  # municipality_id -> count
    hours_by_organisation: list = field(default_factory=list)  # (name, hours, participants, activities)
    overlaps: list[Overlap] = field(default_factory=list)
    centres_without_activity: list[CentreFact] = field(default_factory=list)
    gaps_by_municipality: dict = field(default_factory=dict)  # municipality_id -> MunicipalityGaps
    needs_without_answer: list[NeedFact] = field(default_factory=list)

    @property
    def has_gaps(self) -> bool:
        return bool(
            self.centres_without_activity
            or self.needs_without_answer
            or any(
                g.few_offers_for_men or g.few_male_volunteers or g.few_work_oriented
                for g in self.gaps_by_municipality.values()
            )
        )


# --- facts from model rows (read by attribute; no Django import) ------------------------------------


def _activity_fact(a) -> ActivityFact:
    if isinstance(a, ActivityFact):
        return a
    organisation = getattr(a, "organisation", None)
    return ActivityFact(
        id=a.id,
        name=a.name,
        organisation_id=a.organisation_id,
        organisation_name=getattr(organisation, "name", str(a.organisation_id)),
        kind=a.kind,
        phase=a.phase,
        target_sex=a.target_sex,
        municipality_id=a.municipality_id,
        reception_centre_id=a.reception_centre_id,
        participants_reached=a.participants_reached or 0,
        volunteer_hours=Decimal(a.volunteer_hours or 0),
        ends_on=a.ends_on,
    )


def _centre_fact(c) -> CentreFact:
    if isinstance(c, CentreFact):
        return c
    return CentreFact(id=c.id, name=c.name, municipality_id=c.municipality_id)


def _need_fact(n) -> NeedFact:
    if isinstance(n, NeedFact):
        return n
    answers = getattr(n, "answer_count", None)
    if answers is None:
        answers = n.responses.count()
    return NeedFact(
        id=n.id, title=n.title, municipality_id=n.municipality_id, status=n.status, answers=answers
    )


def _volunteer_fact(v) -> VolunteerFact:
    if isinstance(v, VolunteerFact):
        return v
    return VolunteerFact(municipality_id=v.municipality_id, sex=v.sex or "")


# --- the pure rules ------------------------------------------------------------------------------------


def is_running(activity: ActivityFact, on: datetime.date) -> bool:
    return activity.ends_on is None or activity.ends_on >= on


def find_overlaps(activities: list[ActivityFact]) -> list[Overlap]:
    """Groups of the same kind, target sex and phase in one municipality run by at least
    OVERLAP_MIN_ORGANISATIONS organisations (003:L1045)."""
    groups = defaultdict(list)
    for a in activities:
        groups[(a.municipality_id, a.kind, a.target_sex, a.phase)].append(a)
    found = []
    for (municipality_id, kind, sex, phase), rows in groups.items():
        organisations = {a.organisation_id: a.organisation_name for a in rows}
        if len(organisations) >= OVERLAP_MIN_ORGANISATIONS:
            found.append(
                Overlap(
                    municipality_id=municipality_id,
                    kind=kind,
                    target_sex=sex,
                    phase=phase,
                    organisation_names=tuple(sorted(organisations.values())),
                    activity_ids=tuple(a.id for a in rows),
                )
            )
    return sorted(found, key=lambda o: (str(o.municipality_id), o.kind, o.target_sex, o.phase))


def centres_without_activity(activities: list[ActivityFact], centres: list[CentreFact]) -> list[CentreFact]:
    """Reception centres in the scope where no activity takes place (the overview's gaps, issue 6)."""
    served = {a.reception_centre_id for a in activities if a.reception_centre_id is not None}
    return sorted((c for c in centres if c.id not in served), key=lambda c: c.name)


def _share_below(part: int, whole: int, minimum: Decimal) -> bool:
    return whole > 0 and Decimal(part) / Decimal(whole) < minimum


def municipality_gaps(
    municipality_id, activities: list[ActivityFact], volunteers: list[VolunteerFact]
) -> MunicipalityGaps:
    """Offers for men and male volunteers (003:L4277–4279) and work-oriented offers (003:L4268–4276)."""
    open_to_men = sum(1 for a in activities if a.target_sex in (MEN, EVERYONE))
    men_only = sum(1 for a in activities if a.target_sex == MEN)
    women_only = sum(1 for a in activities if a.target_sex == WOMEN)
    work = sum(1 for a in activities if a.kind == WORK_ORIENTED)
    known = [v for v in volunteers if v.sex in ("male", "female")]
    male = sum(1 for v in known if v.sex == "male")
    return MunicipalityGaps(
        municipality_id=municipality_id,
        activities=len(activities),
        open_to_men=open_to_men,
        men_only=men_only,
        women_only=women_only,
        work_oriented=work,
        volunteers_with_sex=len(known),
        male_volunteers=male,
        few_offers_for_men=men_only < women_only
        or _share_below(open_to_men, len(activities), MEN_OFFERS_MIN_SHARE),
        few_male_volunteers=_share_below(male, len(known), MALE_VOLUNTEERS_MIN_SHARE),
        # No activity at all is a gap of its own; with none, work-oriented offers are certainly too few.
        few_work_oriented=not activities or _share_below(work, len(activities), WORK_ORIENTED_MIN_SHARE),
    )


def hours_by_organisation(activities: list[ActivityFact]) -> list[tuple[str, Decimal, int, int]]:
    """(organisation, volunteer hours, participants reached, activities), most hours first."""
    totals = defaultdict(lambda: [Decimal("0"), 0, 0])
    for a in activities:
        row = totals[a.organisation_name]
        row[0] += a.volunteer_hours
        row[1] += a.participants_reached
        row[2] += 1
    return sorted(((name, *row) for name, row in totals.items()), key=lambda r: (-r[1], r[0]))


def analyse(activities, centres, needs, volunteers, *, on: datetime.date | None = None) -> Analysis:
    """The whole overview from running activities, the reception centres and open needs in the scope, and
    the volunteers living there. ``on`` (default today) decides which activities still run."""
    on = on or datetime.date.today()
    facts = [f for f in map(_activity_fact, activities) if is_running(f, on)]
    centre_facts = [_centre_fact(c) for c in centres]
    need_facts = [_need_fact(n) for n in needs]
    volunteer_facts = [_volunteer_fact(v) for v in volunteers]

    by_target = defaultdict(int)
    by_municipality = defaultdict(int)
    for a in facts:
        by_target[(a.target_sex, a.phase)] += 1
        by_municipality[a.municipality_id] += 1

    municipalities = (
        {a.municipality_id for a in facts}
        | {c.municipality_id for c in centre_facts}
        | {v.municipality_id for v in volunteer_facts}
    )
    gaps = {
        m: municipality_gaps(
            m,
            [a for a in facts if a.municipality_id == m],
            [v for v in volunteer_facts if v.municipality_id == m],
        )
        for m in municipalities
        if m is not None
    }
    return Analysis(
        activities=sorted(facts, key=lambda a: (a.organisation_name, a.name)),
        by_target=dict(by_target),
        by_municipality=dict(by_municipality),
        hours_by_organisation=hours_by_organisation(facts),
        overlaps=find_overlaps(facts),
        centres_without_activity=centres_without_activity(facts, centre_facts),
        gaps_by_municipality=gaps,
        needs_without_answer=[n for n in need_facts if n.status == "open" and n.answers == 0],
    )


# --- the selector --------------------------------------------------------------------------------------


def overview_for(user, municipality_ids: list | None, *, on: datetime.date):
    """The analysis for the municipalities ``municipality_ids`` (None: every municipality), logged.

    Reads only counts and organisations' activities; volunteers enter as their municipality and sex."""
    from django.db.models import Count

    from bro.core import audit
    from bro.core.models import AuditAction, Organisation
    from bro.core.roles import OrganisationKind
    from bro.volunteering.models import Activity, Need, Volunteer

    def scoped(queryset, field="municipality_id"):
        if municipality_ids is None:
            return queryset
        return queryset.filter(**{f"{field}__in": municipality_ids})

    activities = scoped(Activity.objects.select_related("organisation", "municipality"))
    centres = scoped(Organisation.objects.filter(kind=OrganisationKind.RECEPTION_CENTRE, is_active=True))
    needs = scoped(Need.objects.filter(status=Need.Status.OPEN).annotate(answer_count=Count("responses")))
    volunteers = scoped(Volunteer.objects.only("municipality_id", "sex"))
    analysis = analyse(list(activities), list(centres), list(needs), list(volunteers), on=on)
    audit.record(
        user=user,
        organisation=None,
        action=AuditAction.LIST,
        object_type="volunteering.overview",
        summary=f"civil-society overview, {len(analysis.activities)} activities",
    )
    return analysis
