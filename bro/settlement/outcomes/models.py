"""Matching inputs and the outcome model: data and the invariants the database can enforce.

- ``MunicipalityProfile``: the municipality features the outcome model sees (centrality, labour market,
  programme results) and the services it offers for matching, one row per municipality and year.
- ``MatchingProfile``: structured matching inputs for one person (the settlement interview has only free
  text): education, Norwegian level, work experience, health limitation, needs and a family/network tie.
- ``ProgrammeOutcome``: one history row per adult who finished the introduction programme, with a
  snapshot of the person features (no name, no identity number) and whether they were in work or
  education one year after. The demo writes *synthetic* rows (``synthetic=True``, ``process`` =
  ``features.SYNTHETIC_PROCESS``); the introduction programme (issue 5) will write real rows through
  ``services.record_programme_outcome``.
- ``OutcomeModelVersion``: a trained model with its metrics; exactly one is active.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bro.core.models import Municipality, User
from bro.people.models import Person
from bro.settlement.matching import features


class Need(models.TextChoices):
    """Needs that only some municipalities can meet (issue 4: "The problem")."""

    HEALTH = "health", _("Specialist health follow-up")
    WHEELCHAIR = "wheelchair", _("Wheelchair-accessible housing")
    UPPER_SECONDARY = "upper_secondary", _("Upper-secondary place")


NEED_CODES = tuple(Need.values)


class EducationLevel(models.IntegerChoices):
    NONE = 0, _("No schooling")
    PRIMARY = 1, _("Primary school")
    SECONDARY = 2, _("Secondary school")
    HIGHER = 3, _("Higher education")


class NorwegianLevel(models.IntegerChoices):
    NONE = 0, _("None")
    A1 = 1, "A1"
    A2 = 2, "A2"
    B1 = 3, "B1"
    B2 = 4, _("B2 or above")


assert len(EducationLevel) == len(features.EDUCATION_LEVELS)
assert len(NorwegianLevel) == len(features.NORWEGIAN_LEVELS)


class MunicipalityProfile(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    centrality = models.PositiveSmallIntegerField(
        _("centrality"), help_text=_("Statistics Norway's centrality index, 1 (most central) to 6 (least).")
    )
    unemployment_pct = models.DecimalField(_("registered unemployment (%)"), max_digits=4, decimal_places=1)
    programme_result_pct = models.DecimalField(
        _("in work or education one year after the programme (%)"), max_digits=4, decimal_places=1
    )
    services = models.JSONField(_("services offered for matching"), default=list, blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("updated by")
    )

    class Meta:
        ordering = ["municipality__number", "-year"]
        verbose_name = _("municipality profile")
        verbose_name_plural = _("municipality profiles")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="municipality_profile_unique"),
            models.CheckConstraint(
                condition=Q(centrality__gte=1, centrality__lte=6), name="municipality_profile_centrality"
            ),
            models.CheckConstraint(
                condition=Q(unemployment_pct__gte=0, unemployment_pct__lte=100)
                & Q(programme_result_pct__gte=0, programme_result_pct__lte=100),
                name="municipality_profile_percentages",
            ),
        ]

    def features(self) -> features.MunicipalityFeatures:
        return features.MunicipalityFeatures(
            centrality=self.centrality,
            unemployment_pct=float(self.unemployment_pct),
            programme_result_pct=float(self.programme_result_pct),
        )


class MatchingProfile(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="matching_profile")
    education = models.PositiveSmallIntegerField(
        _("highest completed education"), choices=EducationLevel.choices, null=True, blank=True
    )
    norwegian = models.PositiveSmallIntegerField(
        _("Norwegian level"), choices=NorwegianLevel.choices, null=True, blank=True
    )
    work_years = models.PositiveSmallIntegerField(_("years of work experience"), null=True, blank=True)
    health_limitation = models.BooleanField(
        _("health limitation that affects work or education"),
        default=False,
        help_text=_("Only with the consent recorded in the settlement interview."),
    )
    needs = models.JSONField(_("needs"), default=list, blank=True)
    tie_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("family or network tie to municipality"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("updated by")
    )

    class Meta:
        verbose_name = _("matching profile")
        verbose_name_plural = _("matching profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(education__isnull=True) | Q(education__lte=3), name="matching_profile_education"
            ),
            models.CheckConstraint(
                condition=Q(norwegian__isnull=True) | Q(norwegian__lte=4), name="matching_profile_norwegian"
            ),
        ]


class ProgrammeOutcome(models.Model):
    """One adult who finished the introduction programme, and where they were one year after.

    The person features are a snapshot taken when the programme finished, so the history stays as the
    model saw it even if the person's record changes later. No name, no identity number.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    age = models.PositiveSmallIntegerField(_("age when finishing"))
    female = models.BooleanField(_("female"))
    education = models.PositiveSmallIntegerField(_("education"), choices=EducationLevel.choices)
    norwegian = models.PositiveSmallIntegerField(_("Norwegian level"), choices=NorwegianLevel.choices)
    work_years = models.PositiveSmallIntegerField(_("years of work experience"))
    health_limitation = models.BooleanField(_("health limitation"))
    nationality_group = models.CharField(_("nationality group"), max_length=16)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    year_finished = models.PositiveSmallIntegerField(_("year finished"), db_index=True)
    in_work_or_education_one_year_after = models.BooleanField(_("in work or education one year after"))
    synthetic = models.BooleanField(_("synthetic"), default=False)
    process = models.CharField(
        _("generating process"),
        max_length=64,
        blank=True,
        help_text="For synthetic rows: the version of the process they were drawn from.",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programme outcome")
        verbose_name_plural = _("programme outcomes")
        constraints = [
            models.CheckConstraint(
                condition=Q(synthetic=False) | ~Q(process=""), name="programme_outcome_synthetic_process"
            ),
        ]

    def person_features(self) -> features.PersonFeatures:
        return features.PersonFeatures(
            age=self.age,
            female=self.female,
            education=self.education,
            norwegian=self.norwegian,
            work_years=self.work_years,
            health_limitation=self.health_limitation,
            nationality_group=self.nationality_group,
        )


class OutcomeModelVersion(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.CharField(_("version"), max_length=64, unique=True)
    trained_at = models.DateTimeField(_("trained"))
    trained_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("trained by")
    )
    rows = models.PositiveIntegerField(_("rows used"))
    synthetic_share = models.FloatField(_("synthetic share"))
    sklearn_version = models.CharField(max_length=32)
    metrics = models.JSONField(_("metrics"), default=dict)
    model = models.BinaryField()
    is_active = models.BooleanField(_("active"), default=False)

    class Meta:
        ordering = ["-trained_at"]
        verbose_name = _("outcome model version")
        verbose_name_plural = _("outcome model versions")
        constraints = [
            # At most one active version; the training service activates the new one in the same
            # transaction as it deactivates the old, so there is exactly one once any has been trained.
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_active_outcome_model"
            ),
        ]

    def __str__(self):
        return self.version
