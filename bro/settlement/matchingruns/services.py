"""Starting a matching run, running it as a background job, and approving its proposals."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from bro.core import audit, jobs
from bro.core.models import AuditAction, Job, User
from bro.core.notifications import notify_organisation
from bro.core.roles import Role
from bro.people.services import Actor
from bro.settlement import permissions
from bro.settlement import selectors as settlement_selectors
from bro.settlement import services as settlement_services
from bro.settlement.matching.explain import explain_all
from bro.settlement.matching.io import instance_to_dict
from bro.settlement.matching.solve import solve
from bro.settlement.matchingruns.build import NoOutcomeModel, active_model, build_run
from bro.settlement.matchingruns.models import MatchingProposal, MatchingProposalStatus, MatchingRun

TIME_LIMITS = (10, 30, 60, 120)
STEPS = 5


def _national(actor: Actor):
    organisation = permissions.national_officer_organisation(actor.user)
    if organisation is None:
        raise PermissionDenied
    return organisation


@transaction.atomic
def start_run(actor: Actor, *, year: int, time_limit: int = 60) -> MatchingRun:
    """Queue a national matching run over the households ready for settlement now."""
    organisation = _national(actor)
    if time_limit not in TIME_LIMITS:
        raise ValidationError({"time_limit": _("Choose one of the offered time limits.")})
    if year != timezone.localdate().year:
        raise ValidationError({"year": _("A matching run is for the current year's capacities only.")})
    try:
        active_model()
    except NoOutcomeModel:
        raise ValidationError(
            _("No outcome model has been trained yet. An administrator must train one first.")
        ) from None
    run = MatchingRun.objects.create(
        year=year, organisation=organisation, started_by=actor.user, time_limit=time_limit
    )
    run.job = jobs.submit(
        "matchingruns.run",
        "bro.settlement.matchingruns.services.run_job",
        user=actor.user,
        organisation=organisation,
        params={"run_id": str(run.pk)},
    )
    run.save(update_fields=["job"])
    audit.record(
        user=actor.user,
        organisation=organisation,
        action=AuditAction.CREATE,
        obj=run,
        summary=f"matching run {year}, {time_limit} s",
        channel=actor.channel,
    )
    return run


def run_job(job: Job, *, run_id: str) -> dict:
    """The job: read, score, solve, explain and store one run. Reads are logged as the starter's."""
    run = MatchingRun.objects.select_related("started_by").get(pk=run_id)
    user: User = run.started_by
    today = timezone.localdate()
    # Messages are stored in English and translated when the progress page shows them (job.html).
    jobs.progress(job, 0, STEPS, gettext_noop("Reading the households ready for settlement"))
    units = settlement_selectors.ready_units(user, channel="job")
    jobs.progress(job, 1, STEPS, gettext_noop("Scoring every household in every municipality"))
    built = build_run(units, run.year, today=today)
    instance = built.instance
    jobs.progress(job, 2, STEPS, gettext_noop("Finding the best assignment"))
    result = solve(instance, time_limit=float(run.time_limit))
    jobs.progress(job, 3, STEPS, gettext_noop("Explaining each proposal"))
    proposals = []
    for household, why in zip(instance.households, explain_all(instance, result), strict=True):
        number = result.assignments.get(household.id)
        if number is None:
            continue
        unit = built.units[household.id]
        proposals.append(
            MatchingProposal(
                run=run,
                unit=unit.id,
                household_id=unit.id if unit.id != unit.principal.pk else None,
                person=unit.principal,
                municipality=built.organisations[number],
                persons=household.size,
                predicted=why["score"] or 0.0,
                alternatives=[
                    {"municipality": a["municipality"], "predicted": a["score"], "has_room": a["has_room"]}
                    for a in why["alternatives"]
                ],
                ruled_out=[
                    {"rule": rule, "count": info["count"], "examples": info["examples"]}
                    for rule, info in why["ruled_out"].items()
                ],
            )
        )
    jobs.progress(job, 4, STEPS, gettext_noop("Saving the proposals"))
    result_dict = result.as_dict()
    result_dict["left_out"] = built.left_out
    # Who each unplaced household is (its principal person), so the result page can name them.
    result_dict["unassigned_persons"] = {
        u.household_id: str(built.units[u.household_id].principal.pk)
        for u in result.unassigned
        if u.household_id in built.units
    }
    score = instance.score_matrix
    index = instance.municipality_index
    with transaction.atomic():
        MatchingProposal.objects.bulk_create(proposals, batch_size=500)
        run.model_version = built.model_version
        run.instance = instance_to_dict(instance)
        run.result = result_dict
        run.households = len(instance.households)
        run.persons = int(sum(h.size for h in instance.households))
        run.assigned = len(result.assignments)
        run.objective, run.lp_bound, run.gap_pct = result.objective, result.lp_bound, result.gap_pct
        run.expected_outcome = float(
            sum(score[instance.household_index[h], index[m]] for h, m in result.assignments.items())
        )
        run.save()
    for unit in units:
        for member in unit.members:
            audit.record(
                user=user,
                organisation=run.organisation,
                action=AuditAction.READ,
                obj=run,
                person_id=member.pk,
                summary="matching run input",
                channel="job",
            )
    return {"url": reverse("matchingruns:run", args=[run.pk]), "households": run.households}


def approve(
    actor: Actor, run: MatchingRun, proposal_ids
) -> tuple[list[MatchingProposal], list[MatchingProposal]]:
    """Approve the run's open proposals among ``proposal_ids``: each becomes a settlement proposal to its
    municipality (which still accepts or declines). One that the settlement flow refuses (e.g. a proposal
    was made by hand meanwhile) is marked as not possible with the reason; the others go on.

    Returns (approved, not possible). Each municipality concerned is notified once.
    """
    _national(actor)
    wanted = list(
        MatchingProposal.objects.filter(
            run=run, pk__in=list(proposal_ids), status=MatchingProposalStatus.OPEN
        )
        .select_related("person", "municipality")
        .order_by("-predicted", "id")
    )
    approved, failed = [], []
    now = timezone.now()
    for proposal in wanted:
        try:
            with transaction.atomic():
                settlement_proposal = settlement_services.propose(
                    actor,
                    proposal.person,
                    municipality=proposal.municipality,
                    note=str(_("From matching run of %(date)s"))
                    % {"date": run.created_at.date().isoformat()},
                )
                proposal.status = MatchingProposalStatus.APPROVED
                proposal.settlement_proposal = settlement_proposal
                proposal.approved_by, proposal.approved_at = actor.user, now
                proposal.save(update_fields=["status", "settlement_proposal", "approved_by", "approved_at"])
        except (ValidationError, PermissionDenied) as error:
            proposal.status = MatchingProposalStatus.NOT_POSSIBLE
            proposal.problem = "; ".join(getattr(error, "messages", None) or [str(_("No access any more."))])[
                :300
            ]
            proposal.save(update_fields=["status", "problem"])
            failed.append(proposal)
            continue
        approved.append(proposal)
    per_municipality: dict = {}
    for proposal in approved:
        per_municipality.setdefault(proposal.municipality, []).append(proposal)
    for municipality, items in per_municipality.items():
        notify_organisation(
            municipality,
            kind="matchingruns.proposed",
            params={
                "households": len(items),
                "persons": sum(p.persons for p in items),
                "on": timezone.localdate().isoformat(),
            },
            link=reverse("settlement:municipality"),
            roles=[Role.MUNICIPAL_SETTLEMENT_OFFICER],
        )
    return approved, failed
