"""Persons, households, the phase timeline, who is responsible, and shared access."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from bro.core.models import Organisation, User
from bro.people.phases import AccessBasis, FinishOutcome, ImmigrantCategory, Phase, Relation, Sex


class Person(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    given_name = models.CharField(_("given name"), max_length=150)
    family_name = models.CharField(_("family name"), max_length=150)
    birth_date = models.DateField(_("birth date"))
    birth_date_is_estimated = models.BooleanField(
        _("birth date is estimated"),
        default=False,
        help_text=_(
            "Tick when the date is set by convention (e.g. 1 January) because the real one is unknown."
        ),
    )
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    nationalities = CountryField(_("nationalities"), multiple=True, blank=True)
    immigrant_category = models.CharField(
        _("immigrant category"), max_length=32, choices=ImmigrantCategory.choices
    )
    # Never shown in lists, URLs or logs; see bro.core.audit.MASKED_FIELDS.
    national_identity_number = models.CharField(
        _("national identity number or D-number"), max_length=11, null=True, blank=True, unique=True
    )
    duf_number = models.CharField(_("DUF number"), max_length=12, null=True, blank=True, unique=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)

    # Denormalised from the newest PhaseEvent so that lists filter fast at national scale.
    current_phase = models.CharField(
        _("phase"), max_length=32, choices=Phase.choices, blank=True, db_index=True
    )
    current_phase_since = models.DateField(_("in phase since"), null=True, blank=True)
    responsible_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible organisation"),
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [models.Index(fields=["family_name", "given_name"])]

    def __str__(self):
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class PersonLanguage(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=12, help_text=_("ISO 639 code"))
    is_preferred = models.BooleanField(_("preferred"), default=False)
    needs_interpreter = models.BooleanField(_("needs interpreter"), default=False)

    class Meta:
        ordering = ["-is_preferred", "language"]
        constraints = [models.UniqueConstraint(fields=["person", "language"], name="person_language_unique")]


class Household(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    is_unaccompanied_minor = models.BooleanField(_("unaccompanied minor"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    # A person belongs to one household at a time.
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="household_membership")
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)

    class Meta:
        ordering = ["household", "relation"]


class PhaseEvent(models.Model):
    """One step on a person's timeline: the spine of the record."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phase_events")
    phase = models.CharField(_("phase"), max_length=32, choices=Phase.choices)
    date = models.DateField(_("date"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=FinishOutcome.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_for = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded for"),
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "recorded_at"]
        indexes = [models.Index(fields=["person", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(phase=Phase.FINISHED) | Q(outcome=""), name="outcome_only_when_finished"
            ),
        ]


class Responsibility(models.Model):
    """Which organisation is (or was) responsible for a person, derived from the phase timeline.

    Open rows (``until`` empty) give the organisation current access; closed rows give read-only
    history (bro.core.policy).
    """

    class Reason(models.TextChoices):
        PHASE = "phase", _("Current phase")
        HOST_MUNICIPALITY = "host_municipality", _("Host municipality of the reception centre")
        SETTLEMENT_ASSIGNMENT = "settlement_assignment", _("Assigns the settlement municipality")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="responsibilities")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="responsibilities")
    reason = models.CharField(max_length=24, choices=Reason.choices)
    since = models.DateField()
    until = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "until"]),
            models.Index(fields=["person", "until"]),
        ]


class SharedAccess(models.Model):
    """Access for an organisation that is not responsible, on a recorded legal basis or consent."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="shared_access")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="shared_access")
    basis = models.CharField(_("basis"), max_length=16, choices=AccessBasis.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    consent_date = models.DateField(_("consent given"), null=True, blank=True)
    purpose = models.CharField(_("purpose"), max_length=300)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    granted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(basis=AccessBasis.LEGAL_BASIS) & ~Q(legal_basis=""))
                | (Q(basis=AccessBasis.CONSENT) & Q(consent_date__isnull=False)),
                name="shared_access_has_recorded_basis",
            ),
        ]
