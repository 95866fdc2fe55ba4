"""Matching runs (issue 4): the national assignment of ready households to municipalities, kept whole.

A ``MatchingRun`` is kept with its input (the instance exactly as solved, with internal household ids, no
identity numbers), the outcome-model version that scored it and its result. Each placed household gets a
``MatchingProposal``: the suggested municipality with the predicted outcome, the next best municipalities
and what ruled the others out. Approving one creates a ``SettlementProposal`` in the ordinary settlement
flow, where the municipality still accepts or declines.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from bro.core.models import Job, Organisation, User
from bro.people.models import Household, Person
from bro.settlement.models import SettlementProposal


class MatchingRun(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    job = models.OneToOneField(Job, on_delete=models.SET_NULL, null=True, related_name="matching_run")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    time_limit = models.PositiveSmallIntegerField(_("time limit (seconds)"), default=60)
    model_version = models.CharField(_("outcome model version"), max_length=64, blank=True)
    instance = models.JSONField(_("input"), null=True, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households"), default=0)
    persons = models.PositiveIntegerField(_("persons"), default=0)
    assigned = models.PositiveIntegerField(_("households placed"), default=0)
    objective = models.FloatField(_("objective"), null=True, blank=True)
    lp_bound = models.FloatField(_("upper bound (LP)"), null=True, blank=True)
    gap_pct = models.FloatField(_("gap to the bound (%)"), null=True, blank=True)
    expected_outcome = models.FloatField(_("expected persons in work or education"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")


class MatchingProposalStatus(models.TextChoices):
    OPEN = "open", _("Not yet approved")
    APPROVED = "approved", _("Approved")
    NOT_POSSIBLE = "not_possible", _("Could not be proposed")


class MatchingProposal(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="proposals")
    unit = models.UUIDField(_("household"), db_index=True)
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    persons = models.PositiveSmallIntegerField(_("persons"))
    predicted = models.FloatField(_("predicted outcome"))
    alternatives = models.JSONField(default=list, blank=True)
    ruled_out = models.JSONField(default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MatchingProposalStatus.choices,
        default=MatchingProposalStatus.OPEN,
    )
    problem = models.CharField(_("why it could not be proposed"), max_length=300, blank=True)
    settlement_proposal = models.OneToOneField(
        SettlementProposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="matching_proposal"
    )
    approved_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-predicted", "id"]
        verbose_name = _("matching proposal")
        verbose_name_plural = _("matching proposals")
        constraints = [models.UniqueConstraint(fields=["run", "unit"], name="one_matching_proposal_per_unit")]
