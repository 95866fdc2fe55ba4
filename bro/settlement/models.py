"""Settlement: the yearly cycle (need → county split → request → council decision), the settlement
interview, proposals of a municipality for each ready household, and the one offer.

The cycle is DOMAIN.md §3: IMDi requests, the council decides how many (not who), IMDi assigns
households (002:L398; 004:L472).
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bro.core.models import Organisation, User
from bro.people.models import Household, Person


class NationalNeed(models.Model):
    """The national need for a year, set by the directorate; a new row replaces the year's figure."""

    year = models.PositiveSmallIntegerField(_("year"))
    persons = models.PositiveIntegerField(_("persons"))
    unaccompanied_minors = models.PositiveIntegerField(_("of which unaccompanied minors"))
    is_current = models.BooleanField(default=True)
    set_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    set_on = models.DateField(_("set on"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = _("national settlement need")
        verbose_name_plural = _("national settlement needs")
        constraints = [
            models.UniqueConstraint(fields=["year"], condition=Q(is_current=True), name="one_current_need"),
            models.CheckConstraint(
                condition=Q(unaccompanied_minors__lte=models.F("persons")), name="need_minors_within_persons"
            ),
        ]


class CountyAllocation(models.Model):
    """The need's split by county for a year (one row per county; replaced with the need)."""

    need = models.ForeignKey(NationalNeed, on_delete=models.CASCADE, related_name="counties")
    year = models.PositiveSmallIntegerField(_("year"))
    county_number = models.CharField(_("county number"), max_length=2)
    county_name = models.CharField(_("county"), max_length=100)
    persons = models.PositiveIntegerField(_("persons"))
    unaccompanied_minors = models.PositiveIntegerField(_("of which unaccompanied minors"))

    class Meta:
        ordering = ["year", "county_number"]
        verbose_name = _("county allocation")
        verbose_name_plural = _("county allocations")
        constraints = [
            models.UniqueConstraint(fields=["need", "county_number"], name="one_allocation_per_county"),
            models.CheckConstraint(
                condition=Q(unaccompanied_minors__lte=models.F("persons")),
                name="county_minors_within_persons",
            ),
        ]


class SettlementRequest(models.Model):
    """IMDi's request to a municipality for a year. A revision is a new row; the old one stays as history."""

    year = models.PositiveSmallIntegerField(_("year"))
    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="settlement_requests",
        verbose_name=_("municipality"),
    )
    persons = models.PositiveIntegerField(_("persons"))
    unaccompanied_minors = models.PositiveIntegerField(_("of which unaccompanied minors"))
    sent_on = models.DateField(_("sent on"))
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    is_current = models.BooleanField(default=True)
    superseded_by = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="supersedes"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    sent_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "municipality", "revision"]
        verbose_name = _("settlement request")
        verbose_name_plural = _("settlement requests")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "municipality"], condition=Q(is_current=True), name="one_current_request"
            ),
            models.UniqueConstraint(
                fields=["year", "municipality", "revision"], name="request_revision_unique"
            ),
            models.CheckConstraint(
                condition=Q(unaccompanied_minors__lte=models.F("persons")),
                name="request_minors_within_persons",
            ),
        ]


class DecisionBody(models.TextChoices):
    COUNCIL = "council", _("Municipal council")
    EXECUTIVE_COMMITTEE = "executive_committee", _("Executive committee")
    ADMINISTRATION = "administration", _("Administration (delegated)")


class CouncilDecision(models.Model):
    """The municipality's decision on how many to settle in a year (not who, 002:L398).

    It may differ from the request (000:L244–251). A new decision for the same year replaces the
    current one; the old stays as history.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="council_decisions",
        verbose_name=_("municipality"),
    )
    persons = models.PositiveIntegerField(_("persons"))
    unaccompanied_minors = models.PositiveIntegerField(_("of which unaccompanied minors"))
    decided_on = models.DateField(_("decided on"))
    body = models.CharField(_("decided by"), max_length=24, choices=DecisionBody.choices)
    reference = models.CharField(_("case reference"), max_length=100, blank=True)
    is_current = models.BooleanField(default=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "municipality", "created_at"]
        verbose_name = _("council decision")
        verbose_name_plural = _("council decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "municipality"], condition=Q(is_current=True), name="one_current_decision"
            ),
            models.CheckConstraint(
                condition=Q(unaccompanied_minors__lte=models.F("persons")),
                name="decision_minors_within_persons",
            ),
        ]


class SettlementInterview(models.Model):
    """The reception centre's settlement interview; it travels with the person to the municipality."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="settlement_interview")
    conducted_by = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("conducted by")
    )
    conducted_on = models.DateField(_("conducted on"))
    education = models.TextField(_("education"), blank=True)
    work_experience = models.TextField(_("work experience"), blank=True)
    family_ties = models.TextField(_("family ties in Norway"), blank=True)
    network_ties = models.TextField(_("network and other ties"), blank=True)
    health_needs = models.TextField(_("health needs"), blank=True)
    health_consent_date = models.DateField(_("consent to record health needs given"), null=True, blank=True)
    wishes = models.TextField(_("wishes"), blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("settlement interview")
        verbose_name_plural = _("settlement interviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(health_needs="") | Q(health_consent_date__isnull=False),
                name="health_needs_need_consent",
            ),
        ]


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the municipality's answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REFUSED = "refused", _("Refused by the household")
    SETTLED = "settled", _("Settled")


OPEN_STATUSES = (ProposalStatus.PENDING, ProposalStatus.ACCEPTED)


class SettlementProposal(models.Model):
    """The directorate proposes a municipality for a household (or a person without one).

    The matching engine (a later issue) will create these through the same service. ``unit`` is the
    household id, or the person id for a person without a household, so that one open proposal per
    household can be a database constraint.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.UUIDField(_("household"), db_index=True)
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, null=True, blank=True, related_name="settlement_proposals"
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="settlement_proposals",
        help_text="The principal: the person the proposal was made from.",
    )
    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="settlement_proposals",
        verbose_name=_("municipality"),
    )
    status = models.CharField(_("status"), max_length=16, choices=ProposalStatus.choices, default="pending")
    persons = models.PositiveSmallIntegerField(_("persons"))
    ordinary_persons = models.PositiveSmallIntegerField(default=0)
    note = models.CharField(_("note"), max_length=500, blank=True)
    override_reason = models.CharField(
        _("reason for a new offer after a refusal"), max_length=500, blank=True
    )
    proposed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    proposed_on = models.DateField(_("proposed on"))
    answered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer_reason = models.CharField(_("reason"), max_length=500, blank=True)
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    exceeds_decision = models.BooleanField(_("exceeds the council decision"), default=False)
    shared_access_ids = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-proposed_on", "-created_at"]
        verbose_name = _("settlement proposal")
        verbose_name_plural = _("settlement proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=Q(status__in=["pending", "accepted"]), name="one_open_proposal"
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(answer_reason=""), name="decline_has_reason"
            ),
        ]


class OfferRefusal(models.Model):
    """The household refused the one offer; the consequence is recorded with it (004:L1264–1270)."""

    proposal = models.OneToOneField(SettlementProposal, on_delete=models.CASCADE, related_name="refusal")
    unit = models.UUIDField(db_index=True)
    refused_on = models.DateField(_("refused on"))
    reason = models.CharField(_("the household's reason"), max_length=500, blank=True)
    forfeits_introduction_programme = models.BooleanField(
        _("forfeits the right to the introduction programme"), default=True
    )
    consequence = models.CharField(_("consequence"), max_length=500)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("refused offer")
        verbose_name_plural = _("refused offers")
