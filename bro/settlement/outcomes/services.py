"""Every write for matching inputs and the outcome model: validated, permission-checked, in one
transaction, audit-logged. Services raise ``ValidationError`` (field → messages, nothing saved) or
``PermissionDenied``.

Functions others call:

* ``train_outcome_model(actor) -> OutcomeModelVersion`` — train on the whole history, store the version
  with its metrics and make it the active one.
* ``retrain_job(job, **params)`` — the same as a background job (``bro.core.jobs``).
* ``activate_version(actor, version)`` — switch the active version back or forth.
* ``record_programme_outcome(...)`` — one finished programme into the history; the introduction programme
  (issue 5) calls it when a participant's one-year status is known.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bro.core import audit
from bro.core.models import AuditAction, Municipality, User
from bro.people import services as people_services
from bro.people.models import Person
from bro.settlement.matching import features, outcome
from bro.settlement.outcomes import inputs, permissions
from bro.settlement.outcomes.models import (
    NEED_CODES,
    MatchingProfile,
    MunicipalityProfile,
    OutcomeModelVersion,
    ProgrammeOutcome,
)

Actor = people_services.Actor

MAX_WORK_YEARS = 60


class _Errors:
    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field_name: str, message: str) -> None:
        self.errors.setdefault(field_name, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


# --- the matching profile ------------------------------------------------------------------------------


@dataclass
class MatchingProfileInput:
    education: int | None = None
    norwegian: int | None = None
    work_years: int | None = None
    health_limitation: bool = False
    needs: list[str] = field(default_factory=list)
    tie_municipality_number: str = ""


PROFILE_FIELDS = ["education", "norwegian", "work_years", "health_limitation", "needs", "tie_municipality"]


def has_health_consent(person: Person) -> bool:
    """Consent to record health information, as recorded in the settlement interview."""
    from bro.settlement.models import SettlementInterview

    return SettlementInterview.objects.filter(person=person, health_consent_date__isnull=False).exists()


@transaction.atomic
def save_matching_profile(actor: Actor, person: Person, data: MatchingProfileInput) -> MatchingProfile:
    """Create or change the person's matching profile.

    A health limitation is only recorded when the settlement interview records the person's consent to
    record health needs [public rule; the same as for the interview's health needs].
    """
    if not permissions.can_edit_matching_profile(actor.user, person):
        raise PermissionDenied
    errors = _Errors()
    if data.education is not None and not 0 <= data.education < len(features.EDUCATION_LEVELS):
        errors.add("education", _("Choose one of the education levels."))
    if data.norwegian is not None and not 0 <= data.norwegian < len(features.NORWEGIAN_LEVELS):
        errors.add("norwegian", _("Choose one of the Norwegian levels."))
    if data.work_years is not None and not 0 <= data.work_years <= MAX_WORK_YEARS:
        errors.add(
            "work_years",
            _("Years of work experience must be between 0 and %(max)d.") % {"max": MAX_WORK_YEARS},
        )
    unknown = [n for n in data.needs if n not in NEED_CODES]
    if unknown:
        errors.add("needs", _("Unknown need: %(need)s.") % {"need": ", ".join(unknown)})
    if data.health_limitation and not has_health_consent(person):
        errors.add(
            "health_limitation",
            _("A health limitation can only be recorded when the settlement interview records consent."),
        )
    tie = None
    number = (data.tie_municipality_number or "").strip()
    if number:
        tie = Municipality.objects.valid_on(timezone.localdate()).filter(number=number).first()
        if tie is None:
            errors.add(
                "tie_municipality",
                _("No current municipality has the number %(number)s.") % {"number": number},
            )
    errors.raise_if_any()
    profile = MatchingProfile.objects.select_for_update().filter(person=person).first()
    before = (
        {f: getattr(profile, f if f != "tie_municipality" else "tie_municipality_id") for f in PROFILE_FIELDS}
        if profile
        else {}
    )
    values = {
        "education": data.education,
        "norwegian": data.norwegian,
        "work_years": data.work_years,
        "health_limitation": bool(data.health_limitation),
        "needs": sorted(set(data.needs)),
    }
    if profile is None:
        profile = MatchingProfile(person=person)
    for name, value in values.items():
        setattr(profile, name, value)
    profile.tie_municipality = tie
    profile.updated_by = actor.user
    profile.save()
    after = dict(values, tie_municipality=tie.pk if tie else None)
    changed = sorted(f for f in PROFILE_FIELDS if before.get(f) != after[f])
    access = permissions.policy.access_to_person(actor.user, person)
    # Only which fields changed is logged, as for the interview: health and needs are personal data.
    audit.record(
        user=actor.user,
        organisation=access.organisation or person.responsible_organisation,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=profile,
        person_id=person.id,
        changes={f: ["…", "…"] for f in changed},
        channel=actor.channel,
    )
    return profile


# --- municipality profiles -------------------------------------------------------------------------------


@dataclass
class MunicipalityProfileInput:
    centrality: int
    unemployment_pct: Decimal | str
    programme_result_pct: Decimal | str
    services: list[str] = field(default_factory=list)


def _percent(errors: _Errors, name: str, value) -> Decimal | None:
    try:
        number = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        errors.add(name, _("Enter a number."))
        return None
    if not Decimal(0) <= number <= Decimal(100):
        errors.add(name, _("Enter a percentage between 0 and 100."))
        return None
    return number


@transaction.atomic
def save_municipality_profile(
    actor: Actor, municipality: Municipality, year: int, data: MunicipalityProfileInput
) -> MunicipalityProfile:
    """Create or change a municipality's profile for a year; a profile edited by a person is not synthetic."""
    if not permissions.can_edit_municipality_profiles(actor.user):
        raise PermissionDenied
    errors = _Errors()
    if not (isinstance(data.centrality, int) and 1 <= data.centrality <= 6):
        errors.add("centrality", _("Centrality must be from 1 (most central) to 6 (least central)."))
    unemployment = _percent(errors, "unemployment_pct", data.unemployment_pct)
    results = _percent(errors, "programme_result_pct", data.programme_result_pct)
    unknown = [s for s in data.services if s not in NEED_CODES]
    if unknown:
        errors.add("services", _("Unknown service: %(service)s.") % {"service": ", ".join(unknown)})
    if not 2000 <= year <= timezone.localdate().year + 1:
        errors.add("year", _("Choose a year from 2000 to next year."))
    errors.raise_if_any()
    profile = (
        MunicipalityProfile.objects.select_for_update().filter(municipality=municipality, year=year).first()
    )
    fields = ["centrality", "unemployment_pct", "programme_result_pct", "services", "synthetic"]
    before = {f: getattr(profile, f) for f in fields} if profile else {}
    if profile is None:
        profile = MunicipalityProfile(municipality=municipality, year=year)
    profile.centrality = data.centrality
    profile.unemployment_pct = unemployment
    profile.programme_result_pct = results
    profile.services = sorted(set(data.services))
    profile.synthetic = False
    profile.updated_by = actor.user
    profile.save()
    audit.record(
        user=actor.user,
        organisation=permissions.directorate_organisation(actor.user),
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=profile,
        changes=audit.diff(before, {f: getattr(profile, f) for f in fields}),
        summary=f"{municipality.number} {year}",
        channel=actor.channel,
    )
    return profile


# --- the history -----------------------------------------------------------------------------------------


def record_programme_outcome(
    *,
    person: Person | None,
    person_features: features.PersonFeatures,
    municipality: Municipality,
    year_finished: int,
    in_work_or_education_one_year_after: bool,
) -> ProgrammeOutcome:
    """One real finished programme into the history (for the introduction programme, issue 5).

    The caller has already checked permissions and logs its own action; the row keeps a snapshot of the
    features, never a name or identity number.
    """
    return ProgrammeOutcome.objects.create(
        person=person,
        age=person_features.age,
        female=person_features.female,
        education=person_features.education,
        norwegian=person_features.norwegian,
        work_years=person_features.work_years,
        health_limitation=person_features.health_limitation,
        nationality_group=person_features.nationality_group,
        municipality=municipality,
        year_finished=year_finished,
        in_work_or_education_one_year_after=in_work_or_education_one_year_after,
        synthetic=False,
    )


@dataclass
class History:
    person_rows: np.ndarray
    municipality_rows: np.ndarray
    outcomes: np.ndarray
    synthetic_share: float
    true_probability: np.ndarray | None  # known when every row is synthetic from the known process


def _municipality_features_by_year(rows) -> dict[tuple[int, int], features.MunicipalityFeatures]:
    """(municipality id, year) → features: that year's profile, else the newest earlier, else the
    earliest later one, else the defaults in ``inputs``."""
    wanted = {(r[0], r[1]) for r in rows}
    ids = {m for m, _y in wanted}
    profiles: dict[int, list[MunicipalityProfile]] = {}
    for p in MunicipalityProfile.objects.filter(municipality_id__in=ids).order_by("year"):
        profiles.setdefault(p.municipality_id, []).append(p)
    result = {}
    for m, year in wanted:
        options = profiles.get(m, [])
        earlier = [p for p in options if p.year <= year]
        chosen = earlier[-1] if earlier else (options[0] if options else None)
        result[(m, year)] = chosen.features() if chosen else inputs.DEFAULT_MUNICIPALITY
    return result


def load_history() -> History:
    rows = list(
        ProgrammeOutcome.objects.values_list(
            "municipality_id",
            "year_finished",
            "age",
            "female",
            "education",
            "norwegian",
            "work_years",
            "health_limitation",
            "nationality_group",
            "in_work_or_education_one_year_after",
            "synthetic",
            "process",
        ).order_by("id")
    )
    by_year = _municipality_features_by_year(rows)
    n = len(rows)
    person_rows = np.zeros((n, len(features.PERSON_COLUMNS)))
    offset = len(features.PERSON_NUMERIC)
    for i, r in enumerate(rows):
        person_rows[i, :offset] = (r[2], r[3], r[4], r[5], min(r[6], 40), r[7])
        group = r[8] if r[8] in features.NATIONALITY_GROUPS else "other"
        person_rows[i, offset + features.NATIONALITY_GROUPS.index(group)] = 1.0
    municipality_rows = features.municipality_matrix([by_year[(r[0], r[1])] for r in rows])
    outcomes = np.array([int(r[9]) for r in rows], dtype=int)
    synthetic = sum(1 for r in rows if r[10])
    truth = None
    if n and all(r[10] and r[11] == features.SYNTHETIC_PROCESS for r in rows):
        truth = np.zeros(n)
        unique, where = np.unique(municipality_rows, axis=0, return_inverse=True)
        where = where.ravel()
        for j in range(len(unique)):
            here = where == j
            truth[here] = features.synthetic_probability(person_rows[here], unique[j : j + 1])[:, 0]
    return History(person_rows, municipality_rows, outcomes, synthetic / n if n else 0.0, truth)


# --- training and the active version ---------------------------------------------------------------------


def _train(
    user: User | None, progress: Callable[[int, int, str], None] | None = None, *, pk=None, now=None
) -> OutcomeModelVersion:
    report = progress or (lambda done, total, message: None)
    report(0, 3, gettext_noop("Reading the history"))  # translated on the progress page
    history = load_history()
    report(1, 3, gettext_noop("Training and cross-validating"))
    now = now or timezone.now()
    model, metrics = outcome.train(
        history.person_rows,
        history.municipality_rows,
        history.outcomes,
        true_probability=history.true_probability,
        now=now,
    )
    report(2, 3, gettext_noop("Storing the model"))
    OutcomeModelVersion.objects.filter(is_active=True).update(is_active=False)
    version = OutcomeModelVersion.objects.create(
        **({"pk": pk} if pk is not None else {}),
        version=model.version,
        trained_at=now,
        trained_by=user if user is not None and user.is_authenticated else None,
        rows=len(history.outcomes),
        synthetic_share=history.synthetic_share,
        sklearn_version=model.sklearn_version,
        metrics=metrics,
        model=outcome.serialise(model),
        is_active=True,
    )
    report(3, 3, gettext_noop("Done"))
    return version


@transaction.atomic
def train_outcome_model(actor: Actor, *, progress=None) -> OutcomeModelVersion:
    """Train on the whole history, store the new version with its metrics and make it the active one.

    Raises ``ValidationError`` when the history cannot be trained on (empty, one outcome class).
    """
    if not permissions.can_manage_model(actor.user):
        raise PermissionDenied
    try:
        version = _train(actor.user, progress)
    except ValueError as exc:
        raise ValidationError(_("The model could not be trained: %(reason)s") % {"reason": exc}) from exc
    audit.record(
        user=actor.user,
        organisation=permissions.directorate_organisation(actor.user),
        action=AuditAction.CREATE,
        obj=version,
        summary=f"{version.version} rows={version.rows} auc={version.metrics['auc']:.3f}",
        channel=actor.channel,
    )
    return version


def retrain_job(job, **params) -> dict:
    """Background job target (``bro.core.jobs``): retrain as the user who started the job."""
    from bro.core import jobs

    version = train_outcome_model(
        Actor(job.created_by, channel="job"),
        progress=lambda done, total, message: jobs.progress(job, done, total, message),
    )
    return {
        "url": reverse("outcomes:models"),
        "version": version.version,
        "rows": version.rows,
        "auc": round(version.metrics["auc"], 4),
        "ece": round(version.metrics["ece"], 4),
    }


@transaction.atomic
def activate_version(actor: Actor, version: OutcomeModelVersion) -> OutcomeModelVersion:
    """Make ``version`` the one the matching uses (e.g. back to an earlier one)."""
    if not permissions.can_manage_model(actor.user):
        raise PermissionDenied
    previous = OutcomeModelVersion.objects.select_for_update().filter(is_active=True).first()
    if previous is not None and previous.pk == version.pk:
        return version
    OutcomeModelVersion.objects.filter(is_active=True).update(is_active=False)
    OutcomeModelVersion.objects.filter(pk=version.pk).update(is_active=True)
    version.is_active = True
    audit.record(
        user=actor.user,
        organisation=permissions.directorate_organisation(actor.user),
        action=AuditAction.UPDATE,
        obj=version,
        changes={"active_version": [previous.version if previous else None, version.version]},
        channel=actor.channel,
    )
    return version
