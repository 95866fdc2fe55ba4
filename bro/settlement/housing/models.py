"""Housing and agreed self-settlement: data and the invariants the database can enforce.

- ``SelfSettlementTerms``: what a municipality publishes about agreed self-settlement (002:L249–294).
- ``SelfSettlementRequest``: a household's request to settle in a municipality with a rental contract it
  found itself; the municipality approves or rejects it and the processing time is measured (002:L247).
- ``HousingUnit`` / ``HousingAllocation``: the municipality's units and who lives in them (004:L1324).
- ``SettlingInSupport`` / ``HousingGuidance``: the household's follow-up (002:L620–628; 004:L1347).
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bro.core.models import Organisation, User
from bro.people.models import Household, SharedAccess


class TargetGroup(models.TextChoices):
    """Groups a municipality names in its self-settlement terms (002:L249–294)."""

    FAMILIES = "families", _("Families with children")
    COUPLES = "couples", _("Couples without children")
    SINGLE_ADULTS = "single_adults", _("Single adults")
    YOUNG_ADULTS = "young_adults", _("Young adults (18–25) who came as unaccompanied minors")
    OWN_NETWORK = "own_network", _("Persons with family or network in the municipality")
    JOB_OR_STUDY = "job_or_study", _("Persons with a job or study place in the municipality")


class SelfSettlementTerms(models.Model):
    """One municipality's published terms for agreed self-settlement."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="self_settlement_terms",
        verbose_name=_("municipality"),
    )
    allows = models.BooleanField(_("allows agreed self-settlement"), default=False)
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    target_groups_other_nb = models.CharField(
        _("other target groups (Norwegian)"), max_length=300, blank=True
    )
    target_groups_other_en = models.CharField(_("other target groups (English)"), max_length=300, blank=True)
    must_find_new_housing_if_moving = models.BooleanField(
        _("must find new housing themselves if they move"), default=False
    )
    deposit_help = models.BooleanField(_("help with the deposit"), default=False)
    empty_unit_rent_help = models.BooleanField(_("help with rent on empty units"), default=False)
    other_terms_nb = models.TextField(_("other terms (Norwegian)"), max_length=2000, blank=True)
    other_terms_en = models.TextField(_("other terms (English)"), max_length=2000, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    updated_on = models.DateField(_("updated on"))
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("updated by")
    )

    class Meta:
        verbose_name = _("self-settlement terms")
        verbose_name_plural = _("self-settlement terms")
        indexes = [models.Index(fields=["published", "allows"])]

    def __str__(self):
        return str(self.municipality)


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class SelfSettlementRequest(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        related_name="self_settlement_requests",
        verbose_name=_("household"),
    )
    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="self_settlement_requests",
        verbose_name=_("municipality"),
    )
    submitted_by = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("submitted by")
    )
    submitted_by_user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_on = models.DateField(_("submitted on"))
    landlord = models.CharField(_("landlord"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    monthly_rent = models.DecimalField(_("monthly rent (NOK)"), max_digits=9, decimal_places=2)
    deposit = models.DecimalField(_("deposit (NOK)"), max_digits=9, decimal_places=2, default=0)
    rooms = models.PositiveSmallIntegerField(_("rooms"))
    contract_start = models.DateField(_("contract starts"))
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    # The municipality reads the household while it decides; these grants end on rejection.
    shared_access = models.ManyToManyField(SharedAccess, blank=True, related_name="+")

    class Meta:
        ordering = ["-submitted_on", "id"]
        verbose_name = _("self-settlement request")
        verbose_name_plural = _("self-settlement requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="submitted", decided_on__isnull=True)
                | (~Q(status="submitted") & Q(decided_on__isnull=False)),
                name="self_settlement_decided_when_not_pending",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=models.F("submitted_on")),
                name="self_settlement_decided_after_submitted",
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(status="submitted"),
                name="one_pending_self_settlement_request",
            ),
        ]


class Ownership(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipal")
    PRIVATE = "private", _("Private (rented by the municipality)")


class HousingUnit(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="housing_units", verbose_name=_("municipality")
    )
    address = models.CharField(_("address"), max_length=300)
    size_m2 = models.PositiveSmallIntegerField(_("size (m²)"))
    rooms = models.PositiveSmallIntegerField(_("rooms"))
    bedrooms = models.PositiveSmallIntegerField(_("bedrooms"))
    monthly_rent = models.DecimalField(_("monthly rent (NOK)"), max_digits=9, decimal_places=2)
    accessible = models.BooleanField(_("accessible (universal design)"), default=False)
    ownership = models.CharField(_("ownership"), max_length=16, choices=Ownership.choices)
    available_from = models.DateField(_("available from"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["address"]
        verbose_name = _("housing unit")
        verbose_name_plural = _("housing units")
        constraints = [
            # Bedrooms are counted among the rooms, and every unit has a room that is not a bedroom.
            models.CheckConstraint(
                condition=Q(bedrooms__lt=models.F("rooms")), name="housing_unit_bedrooms_within_rooms"
            ),
        ]

    def __str__(self):
        return self.address


class HousingAllocation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey(HousingUnit, on_delete=models.CASCADE, related_name="allocations")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="housing_allocations")
    from_date = models.DateField(_("from"))
    to_date = models.DateField(_("to"), null=True, blank=True)
    allocated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-from_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_date__isnull=True) | Q(to_date__gte=models.F("from_date")),
                name="housing_allocation_valid_range",
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(to_date__isnull=True),
                name="one_open_allocation_per_household",
            ),
            models.UniqueConstraint(
                fields=["unit"], condition=Q(to_date__isnull=True), name="one_open_allocation_per_unit"
            ),
        ]


class SettlingInSupport(models.Model):
    """Etableringstilskudd: a grant towards setting up a home, sized by the household (DOMAIN §3)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="settling_in_support")
    municipality = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    granted_on = models.DateField(_("granted on"))
    amount = models.DecimalField(_("amount (NOK)"), max_digits=9, decimal_places=2)
    purpose = models.CharField(_("purpose"), max_length=300)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-granted_on"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="settling_in_support_positive")]


class GuidanceKind(models.TextChoices):
    """Boveiledning as a course, home visits or a housing office (002:L620–628); buying advice (004:L1347)."""

    COURSE = "course", _("Housing course")
    HOME_VISIT = "home_visit", _("Home visit")
    HOUSING_OFFICE = "housing_office", _("Housing office")
    BUYING_ADVICE = "buying_advice", _("Advice on buying and start loans")


class HousingGuidance(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="housing_guidance")
    municipality = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=GuidanceKind.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-date"]
