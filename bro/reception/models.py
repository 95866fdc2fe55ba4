"""Reception and host municipalities: data and the invariants the database can enforce."""

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bro.core.models import Organisation, User
from bro.people.models import Person
from bro.reception import rules


class OccupancyChangeKind(models.TextChoices):
    PLANNED_OPENING = rules.PLANNED_OPENING, _("Planned opening")
    PLANNED_CLOSING = rules.PLANNED_CLOSING, _("Planned closing")
    ARRIVALS = rules.ARRIVALS, _("Arriving residents")
    DEPARTURES = rules.DEPARTURES, _("Departing residents")


class Service(models.TextChoices):
    """Statutory services a host municipality gives residents (000:L78–91; 002:L1256–1266)."""

    SCHOOL = rules.SCHOOL, _("School")
    KINDERGARTEN = rules.KINDERGARTEN, _("Kindergarten")
    HEALTH = rules.HEALTH, _("Health services")
    CHILD_WELFARE = rules.CHILD_WELFARE, _("Child welfare")


AGE_GROUP_LABELS = {
    rules.AGE_0_5: _("Aged 0–5"),
    rules.AGE_6_15: _("Aged 6–15"),
    rules.AGE_16_17: _("Aged 16–17"),
    rules.AGE_18_PLUS: _("Aged 18 or over"),
}


class CentreCapacity(models.Model):
    """The number of places in a centre from a date (dated history: contracts change)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    centre = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="centre_capacities", verbose_name=_("centre")
    )
    valid_from = models.DateField(_("valid from"))
    places = models.PositiveIntegerField(_("places"))
    note = models.CharField(_("source or note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["centre", "-valid_from"]
        verbose_name = _("centre capacity")
        verbose_name_plural = _("centre capacities")
        constraints = [
            models.UniqueConstraint(fields=["centre", "valid_from"], name="centre_capacity_unique_date"),
        ]


class OccupancyChange(models.Model):
    """An announced change in a centre's occupancy, with counts by age group (000:L388)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    centre = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="occupancy_changes", verbose_name=_("centre")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OccupancyChangeKind.choices)
    effective_date = models.DateField(_("effective date"))
    age_0_5 = models.PositiveIntegerField(_("aged 0–5"), default=0)
    age_6_15 = models.PositiveIntegerField(_("aged 6–15"), default=0)
    age_16_17 = models.PositiveIntegerField(_("aged 16–17"), default=0)
    age_18_plus = models.PositiveIntegerField(_("aged 18 or over"), default=0)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_for = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_date", "-recorded_at"]
        verbose_name = _("occupancy change")
        verbose_name_plural = _("occupancy changes")
        indexes = [models.Index(fields=["centre", "effective_date"])]

    @property
    def counts(self) -> dict[str, int]:
        return {group: getattr(self, group) for group in rules.AGE_GROUPS}

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class HostServiceCapacity(models.Model):
    """How many residents a host municipality can serve in one statutory service, from a date."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="host_service_capacities",
        verbose_name=_("host municipality"),
    )
    service = models.CharField(_("service"), max_length=20, choices=Service.choices)
    capacity = models.PositiveIntegerField(_("capacity"))
    valid_from = models.DateField(_("valid from"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["municipality", "service", "-valid_from"]
        verbose_name = _("host-municipality service capacity")
        verbose_name_plural = _("host-municipality service capacities")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "service", "valid_from"], name="host_service_capacity_unique_date"
            ),
        ]


class TrainingWeek(models.Model):
    """Norwegian training for one person in one ISO week, from one organisation (002:L19–93).

    Kept on the person, not on the centre, so that it follows them to the settlement municipality
    (002:L91).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="training_weeks", verbose_name=_("person")
    )
    iso_year = models.PositiveSmallIntegerField(_("year"))
    iso_week = models.PositiveSmallIntegerField(_("week"))
    hours_offered = models.DecimalField(_("hours offered"), max_digits=4, decimal_places=1)
    hours_attended = models.DecimalField(_("hours attended"), max_digits=4, decimal_places=1)
    social_studies_hours = models.DecimalField(
        _("of which social studies"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("given by")
    )
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-iso_year", "-iso_week"]
        verbose_name = _("training week")
        verbose_name_plural = _("training weeks")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "iso_year", "iso_week", "organisation"], name="training_week_unique"
            ),
            models.CheckConstraint(
                condition=Q(hours_attended__lte=F("hours_offered")) & Q(hours_attended__gte=0),
                name="training_attended_within_offered",
            ),
            models.CheckConstraint(
                condition=Q(iso_week__gte=1) & Q(iso_week__lte=53), name="training_week_number_range"
            ),
        ]
