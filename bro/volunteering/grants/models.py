"""Agreements between public bodies and civil society, their dialogue meetings, and grant schemes with
applications, decisions and reports (DOMAIN §9; 003:L1597–1970).

Grants come from many administrators with their own rules, caps and deadlines (003:L1597–1970): a scheme
keeps its eligibility rules as data (003:L1770), so an application is checked against them when submitted
and the result is kept with the application as it was on that day.
"""

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bro.core.models import Organisation, User
from bro.volunteering.models import Activity


class AgreementKind(models.TextChoices):
    INTENTION = "intention", _("Letter of intent")
    PARTNERSHIP = "partnership", _("Partnership agreement")


class Agreement(models.Model):
    """A public body's agreement with a volunteer organisation, with or without money, for a period."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    public_body = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="agreements_made", verbose_name=_("public body")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="agreements_joined",
        verbose_name=_("volunteer organisation"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=AgreementKind.choices)
    amount = models.DecimalField(
        _("yearly amount (NOK)"), max_digits=12, decimal_places=2, null=True, blank=True
    )  # None: an agreement without money
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    description = models.TextField(_("what the parties agree"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="agreement_dates"
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="agreement_amount"
            ),
        ]


class DialogueMeeting(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    participants = models.TextField(_("participants"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("dialogue meeting")
        verbose_name_plural = _("dialogue meetings")


class GrantScheme(models.Model):
    """A grant scheme with its eligibility rules as data (003:L1770) and its rounds or a rolling deadline."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    administrator = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="grant_schemes", verbose_name=_("administrator")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("purpose"), blank=True)
    yearly_budget = models.DecimalField(_("yearly budget (NOK)"), max_digits=14, decimal_places=2)
    cap = models.DecimalField(
        _("most per application (NOK)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    requires_voluntary_register = models.BooleanField(_("requires the Voluntary Register"), default=False)
    minimum_age_years = models.PositiveSmallIntegerField(
        _("minimum age of the organisation (years)"), default=0
    )
    minimum_paying_members = models.PositiveIntegerField(_("minimum paying members"), default=0)
    excludes_faith_based = models.BooleanField(_("not for faith communities"), default=False)
    allowed_kinds = models.JSONField(_("kinds of organisation"), default=list, blank=True)  # empty: any
    priorities = models.TextField(_("priorities"), blank=True)
    rolling = models.BooleanField(_("rolling deadline"), default=False)
    deadlines = models.JSONField(_("deadlines"), default=list, blank=True)  # ISO dates of the rounds
    is_open = models.BooleanField(_("open for applications"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("grant scheme")
        verbose_name_plural = _("grant schemes")
        constraints = [
            models.CheckConstraint(condition=Q(cap__isnull=True) | Q(cap__gt=0), name="grant_scheme_cap"),
        ]

    def __str__(self):
        return self.name


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    REPORTED = "reported", _("Reported")


class GrantApplication(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    scheme = models.ForeignKey(GrantScheme, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="grant_applications", verbose_name=_("applicant")
    )
    amount = models.DecimalField(_("amount applied for (NOK)"), max_digits=12, decimal_places=2)
    description = models.TextField(_("what the money is for"))
    budget_lines = models.JSONField(_("budget"), default=list)  # [{"item": str, "amount": "123.00"}]
    activities = models.ManyToManyField(Activity, related_name="grant_applications", blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    submitted_on = models.DateField(_("submitted"))
    # The eligibility check as it stood when submitted: [{"rule", "passed", "code", "params"}].
    eligibility = models.JSONField(default=list)
    eligible = models.BooleanField(_("meets the rules"))
    submitted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_on = models.DateField(_("decided"), null=True, blank=True)
    approved_amount = models.DecimalField(
        _("amount granted (NOK)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-submitted_on"]
        verbose_name = _("grant application")
        verbose_name_plural = _("grant applications")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grant_application_amount"),
        ]


def attachment_path(instance, filename: str) -> str:
    # The stored name is random: file names can carry personal data and must not end up in URLs.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"grants/{instance.application_id}/{uuid.uuid4().hex}.{suffix}"


class GrantAttachment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.ForeignKey(GrantApplication, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class GrantReport(models.Model):
    """What the organisation did with the grant; activities and hours are prefilled from Bro's records."""

    application = models.OneToOneField(GrantApplication, on_delete=models.CASCADE, related_name="report")
    activities_done = models.TextField(_("activities done"))
    participants_reached = models.PositiveIntegerField(_("participants reached"))
    volunteer_hours = models.DecimalField(_("volunteer hours"), max_digits=8, decimal_places=1)
    spent = models.DecimalField(_("spent (NOK)"), max_digits=12, decimal_places=2)
    spending_notes = models.TextField(_("spending"), blank=True)
    submitted_on = models.DateField(_("reported"))
    submitted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("grant report")
        verbose_name_plural = _("grant reports")
