"""One-to-one matches between a volunteer (or host family) and a refugee or their family (DOMAIN §9).

Everyday integration happens through personal relationships (seed 001); Red Cross runs refugee guides and
friend families, "a good neighbour" follows a family for a year (DOMAIN §9). A caseworker who is responsible
for the refugee asks an organisation for a match and records what the refugee consents to share; the
organisation's coordinator chooses a volunteer from the proposals and starts the match; the volunteer logs
check-ins; the match ends with feedback from both sides. Of the refugee, a volunteer sees only the consented
fields of the current consent (MatchConsent), and nothing without one.
"""

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bro.core.models import Organisation, User
from bro.people.models import Person
from bro.volunteering.models import ActivityKind, Volunteer


class Match(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested (no volunteer yet)")
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="volunteer_matches")
    # With the household: the volunteer meets the whole family (members counted at consent, if shared).
    with_household = models.BooleanField(_("with the household"), default=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="volunteer_matches",
        verbose_name=_("organised by"),
    )
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, null=True, blank=True, related_name="matches"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    need = models.CharField(_("the need"), max_length=300)
    involves_children = models.BooleanField(_("involves children"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="requested")
    starts_on = models.DateField(_("start"), null=True, blank=True)
    agreed_months = models.PositiveSmallIntegerField(_("agreed duration in months"), default=6)
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    volunteer_feedback = models.TextField(_("feedback from the volunteer"), blank=True)
    refugee_feedback = models.TextField(_("feedback from the refugee"), blank=True)
    refugee_feedback_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_for = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, related_name="+"
    )  # the caseworker's organisation
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=False, ends_on__gte=F("starts_on")),
                name="match_dates",
            ),
        ]


class MatchConsent(models.Model):
    """What the refugee agreed to share with the volunteer, recorded by a caseworker who may write the person.

    First name, languages and the need are always shared under a consent; the extra fields only if ticked.
    A withdrawn consent ends what the volunteer sees; a new consent is a new row (the history stays).
    """

    HOUSEHOLD_SIZE = "household_size"
    PHONE = "phone"
    EMAIL = "email"
    EXTRA_FIELDS = (HOUSEHOLD_SIZE, PHONE, EMAIL)

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="consents")
    given_on = models.DateField(_("consent given"))
    extra_fields = models.JSONField(_("also shared"), default=list, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_for = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, related_name="+")
    withdrawn_on = models.DateField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("consent to a match")
        verbose_name_plural = _("consents to matches")


class CheckIn(models.Model):
    """A volunteer's short log of a meeting: date, hours and a note without sensitive data."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="check_ins")
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    note = models.CharField(_("short note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-recorded_at"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="check_in_hours_positive")]
