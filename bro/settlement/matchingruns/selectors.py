"""Reading matching runs: only national settlement officers, every person shown logged."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404

from bro.core import audit
from bro.core.models import AuditAction, Municipality, User
from bro.settlement import permissions
from bro.settlement.matchingruns.models import MatchingProposal, MatchingRun


def _require(user: User):
    organisation = permissions.national_officer_organisation(user)
    if organisation is None:
        raise PermissionDenied
    return organisation


def runs(user: User):
    _require(user)
    return MatchingRun.objects.select_related("job", "started_by")


def get_run(user: User, run_id) -> MatchingRun:
    _require(user)
    run = MatchingRun.objects.select_related("job", "started_by").filter(pk=run_id).first()
    if run is None:
        raise Http404
    return run


def proposals(user: User, run: MatchingRun, *, status: str = "", channel: str = "web"):
    _require(user)
    qs = run.proposals.select_related("person", "municipality", "settlement_proposal")
    if status:
        qs = qs.filter(status=status)
    return qs


def _log(user: User, organisation, run: MatchingRun, person_ids, action, summary: str, channel: str) -> None:
    """One audit entry per person read through the run."""
    for person_id in person_ids:
        audit.record(
            user=user,
            organisation=organisation,
            action=action,
            obj=run,
            person_id=person_id,
            summary=summary,
            channel=channel,
        )


def log_shown(user: User, run: MatchingRun, shown: list[MatchingProposal], *, channel: str = "web") -> None:
    organisation = _require(user)
    _log(
        user, organisation, run, [p.person_id for p in shown], AuditAction.LIST, "matching proposals", channel
    )


def unassigned(user: User, run: MatchingRun, *, channel: str = "web") -> list[dict]:
    """The households the run could not place: their principal person, size and the binding rule."""
    organisation = _require(user)
    from bro.people.models import Person

    result = run.result or {}
    person_ids = result.get("unassigned_persons", {})
    persons = Person.objects.in_bulk([pid for pid in person_ids.values()])
    sizes = {h["id"]: h["size"] for h in (run.instance or {}).get("households", [])}
    rows = []
    for item in result.get("unassigned", []):
        person = (
            persons.get(uuid.UUID(person_ids[item["household"]])) if item["household"] in person_ids else None
        )
        rows.append(
            {"person": person, "persons": sizes.get(item["household"]), "constraint": item["constraint"]}
        )
    shown = [row["person"].pk for row in rows if row["person"] is not None]
    _log(user, organisation, run, shown, AuditAction.LIST, "matching run, not placed", channel)
    return rows


def log_file(user: User, run: MatchingRun, part: str, *, channel: str = "web") -> None:
    """A download of a run's input or result reads every household in it: log it once per person."""
    organisation = _require(user)
    persons = set((run.result or {}).get("unassigned_persons", {}).values())
    persons |= {str(p) for p in run.proposals.values_list("person_id", flat=True)}
    ids = [uuid.UUID(p) for p in sorted(persons)]
    _log(user, organisation, run, ids, AuditAction.READ, f"matching run {part} file", channel)


def municipality_names(numbers) -> dict[str, str]:
    return dict(Municipality.objects.filter(number__in=set(numbers)).values_list("number", "name"))
