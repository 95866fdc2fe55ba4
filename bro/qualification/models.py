"""The qualification record: introduction programme and Norwegian training (DOMAIN §5).

A ``Participant`` is one person's case in one municipality; a person who moves gets a new case in the new
municipality, while their training history (attendance, tests, reception training) stays on the person
and follows them through the access policy. Plans are versioned (a new ``PlanVersion`` per revision,
every version kept); decisions are individual administrative decisions with a stored letter and appeals.
"""

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bro.core.models import Organisation, User
from bro.people.models import Person


class Status(models.TextChoices):
    """A person's legal status towards a scheme (DOMAIN §2: rett og plikt / kun rett)."""

    RIGHT_AND_DUTY = "right_and_duty", _("Right and duty")
    RIGHT_ONLY = "right_only", _("Right only")
    DUTY_ONLY = "duty_only", _("Duty only")
    NONE = "none", _("No right or duty")


class Extension(models.TextChoices):
    """How long the programme may run (DOMAIN §5; 004:L1466, L1689)."""

    NONE = "none", _("Up to 2 years")
    THIRD_YEAR = "third_year", _("Third year approved")
    UPPER_SECONDARY = "upper_secondary", _("Up to 4 years (upper-secondary goal)")


class DelayCause(models.TextChoices):
    """Why a programme started late; health checks and kindergarten places are deviations (004:L1283–1285)."""

    HEALTH_CHECK = "health_check", _("Missing health check")
    KINDERGARTEN = "kindergarten", _("Missing kindergarten place")
    PARTICIPANT = "participant", _("The participant's own circumstances")
    CAPACITY = "capacity", _("No place in the programme or training")
    OTHER = "other", _("Other cause")


class FinalGoal(models.TextChoices):
    WORK = "work", _("Work")
    UPPER_SECONDARY = "upper_secondary", _("Upper-secondary education")
    HIGHER_EDUCATION = "higher_education", _("Higher education")
    PRIMARY_SCHOOL = "primary_school", _("Primary school for adults")
    OTHER = "other", _("Other goal")


class CefrLevel(models.TextChoices):
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"


class EndReason(models.TextChoices):
    """End reasons as registered nationally ([public rule], DOMAIN §5)."""

    COMPLETED = "completed", _("Programme completed")
    WORK = "work", _("Transition to work")
    EDUCATION = "education", _("Transition to education")
    MOVED = "moved", _("Moved to another municipality")
    ILLNESS = "illness", _("Long-term illness")
    PARENTAL_LEAVE = "parental_leave", _("Parental leave beyond the programme")
    OWN_WISH = "own_wish", _("Left on own wish")
    TERMINATED = "terminated", _("Terminated by decision")
    OTHER = "other", _("Other reason")


class OneYearStatus(models.TextChoices):
    """Status one year after the programme (004:L1568–1585): counted towards the 70 % target."""

    WORK = "work", _("Work")
    EDUCATION = "education", _("Education")
    WORK_AND_EDUCATION = "work_and_education", _("Work and education")
    OTHER = "other", _("Neither work nor education")


class Participant(models.Model):
    """One person's introduction programme and Norwegian training case in one municipality."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="qualification_cases", verbose_name=_("person")
    )
    municipality = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    adviser = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="qualification_participants",
        verbose_name=_("programme adviser"),
    )
    adult_education = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adult-education centre"),
    )
    settlement_date = models.DateField(_("settlement date"))
    permit_date = models.DateField(_("residence permit date"), null=True, blank=True)
    # The rights as computed when the case was opened (bro.qualification.rules.rights); kept so that a later
    # change of the rules does not silently rewrite an earlier assessment.
    programme_status = models.CharField(_("introduction programme"), max_length=16, choices=Status.choices)
    training_status = models.CharField(_("Norwegian training"), max_length=16, choices=Status.choices)
    temporary_rules = models.BooleanField(_("temporary rules for collective protection"), default=False)

    final_goal = models.CharField(_("final goal"), max_length=20, choices=FinalGoal.choices, blank=True)
    final_goal_text = models.CharField(_("final goal, described"), max_length=300, blank=True)
    norwegian_goal = models.CharField(
        _("Norwegian goal"), max_length=2, choices=CefrLevel.choices, blank=True
    )
    integration_contract_signed = models.DateField(_("integration contract signed"), null=True, blank=True)

    programme_start = models.DateField(_("programme start"), null=True, blank=True)
    start_delay_cause = models.CharField(
        _("cause of late start"), max_length=16, choices=DelayCause.choices, blank=True
    )
    extension = models.CharField(
        _("programme length"), max_length=16, choices=Extension.choices, default="none"
    )

    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=16, choices=EndReason.choices, blank=True)
    one_year_status = models.CharField(
        _("status one year after"), max_length=20, choices=OneYearStatus.choices, blank=True
    )
    one_year_weekly_work_hours = models.DecimalField(
        _("weekly working hours one year after"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    one_year_recorded_on = models.DateField(_("status recorded on"), null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-settlement_date"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        indexes = [
            models.Index(fields=["municipality", "ended_on"]),
            models.Index(fields=["adviser", "ended_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(ended_on__isnull=True), name="one_open_qualification_case"
            ),
            models.CheckConstraint(
                condition=Q(programme_start__isnull=True) | Q(programme_start__gte=F("settlement_date")),
                name="programme_starts_after_settlement",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | ~Q(end_reason=""), name="ended_case_has_end_reason"
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.municipality}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class CompetenceMapping(models.Model):
    """Competence mapping (kartlegging), done before the programme decision (DOMAIN §5)."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="mapping", verbose_name=_("participant")
    )
    completed_on = models.DateField(_("mapping completed on"), null=True, blank=True)
    skills = models.TextField(_("skills"), blank=True)
    norwegian_level = models.CharField(
        _("Norwegian level now"), max_length=2, choices=CefrLevel.choices, blank=True
    )
    career_guidance = models.TextField(_("career guidance notes"), blank=True)
    # Health limitations are special-category data: only recorded with the participant's consent.
    health_limitations = models.TextField(_("health limitations"), blank=True)
    health_consent_on = models.DateField(
        _("consent to record health limitations given on"), null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("competence mapping")
        verbose_name_plural = _("competence mappings")
        constraints = [
            models.CheckConstraint(
                condition=Q(health_limitations="") | Q(health_consent_on__isnull=False),
                name="health_limitations_need_consent",
            ),
        ]


class EducationLevel(models.TextChoices):
    NONE = "none", _("No schooling")
    PRIMARY = "primary", _("Primary school")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary school")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")
    VOCATIONAL = "vocational", _("Vocational training")
    BACHELOR = "bachelor", _("Bachelor's degree or similar")
    MASTER = "master", _("Master's degree or higher")


class Recognition(models.TextChoices):
    NOT_APPLIED = "not_applied", _("Not applied")
    PENDING = "pending", _("Application pending")
    RECOGNISED = "recognised", _("Recognised")
    PARTLY = "partly", _("Partly recognised")
    REFUSED = "refused", _("Not recognised")


class EducationEntry(models.Model):
    mapping = models.ForeignKey(CompetenceMapping, on_delete=models.CASCADE, related_name="education")
    level = models.CharField(_("level"), max_length=16, choices=EducationLevel.choices)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 code"))
    field = models.CharField(_("field"), max_length=200, blank=True)
    years = models.DecimalField(_("years"), max_digits=3, decimal_places=1, null=True, blank=True)
    recognition = models.CharField(
        _("recognition"), max_length=16, choices=Recognition.choices, default=Recognition.NOT_APPLIED
    )

    class Meta:
        ordering = ["id"]


class WorkExperience(models.Model):
    mapping = models.ForeignKey(CompetenceMapping, on_delete=models.CASCADE, related_name="work")
    occupation = models.CharField(_("occupation"), max_length=200)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 code"))
    years = models.DecimalField(_("years"), max_digits=3, decimal_places=1)

    class Meta:
        ordering = ["id"]


class MeasureKind(models.TextChoices):
    """Measures in a plan (004:L1370–1423). Formal-competence measures are first choice (004:L1522)."""

    PRIMARY_SCHOOL = "primary_school", _("Primary school for adults")
    UPPER_SECONDARY = "upper_secondary", _("Upper-secondary education")
    VOCATIONAL = "vocational", _("Vocational training (trade certificate)")
    NORWEGIAN = "norwegian", _("Norwegian training")
    SOCIAL_STUDIES = "social_studies", _("Social studies")
    WORK_PLACEMENT = "work_placement", _("Work placement")
    LANGUAGE_PRACTICE = "language_practice", _("Language practice")
    JOB_SUPPORT = "job_support", _("Job support")
    PARENTING = "parenting", _("Parenting guidance (ICDP)")
    HEALTH = "health", _("Health and activity")
    OTHER = "other", _("Other measure")


FORMAL_COMPETENCE_MEASURES = frozenset(
    {MeasureKind.PRIMARY_SCHOOL, MeasureKind.UPPER_SECONDARY, MeasureKind.VOCATIONAL}
)
TRAINING_MEASURES = frozenset({MeasureKind.NORWEGIAN, MeasureKind.SOCIAL_STUDIES})


class PlanVersion(models.Model):
    """One version of the individual plan. A revision makes a new version; none is ever changed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="plan_versions")
    number = models.PositiveSmallIntegerField(_("version"))
    valid_from = models.DateField(_("valid from"))
    reason = models.CharField(_("reason for the revision"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["participant", "-number"]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        constraints = [
            models.UniqueConstraint(fields=["participant", "number"], name="plan_version_unique"),
        ]


class Measure(models.Model):
    plan = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="measures")
    # The same measure across plan versions, so attendance keeps pointing at it after a revision.
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    kind = models.CharField(_("measure"), max_length=20, choices=MeasureKind.choices)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    hours_per_week = models.DecimalField(_("planned hours per week"), max_digits=4, decimal_places=1)
    days_per_week = models.PositiveSmallIntegerField(_("days per week"), null=True, blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        ordering = ["start", "kind"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="measure_end_after_start"),
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0) & Q(hours_per_week__lte=Decimal("37.5")),
                name="measure_hours_range",
            ),
            models.UniqueConstraint(fields=["plan", "key"], name="measure_key_once_per_plan"),
        ]

    @property
    def is_formal_competence(self) -> bool:
        return self.kind in FORMAL_COMPETENCE_MEASURES


class DecisionKind(models.TextChoices):
    PROGRAMME = "programme", _("Decision on introduction programme")
    PLAN = "plan", _("Decision on individual plan")
    CHANGE = "change", _("Decision on change of programme")
    LEAVE = "leave", _("Decision on leave")
    EXTENSION = "extension", _("Decision on extended programme")
    TERMINATION = "termination", _("Decision on termination")
    REFUSAL = "refusal", _("Refusal of introduction programme")


class Decision(models.Model):
    """An individual administrative decision, with its letter kept as sent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("kind of decision"), max_length=16, choices=DecisionKind.choices)
    decided_on = models.DateField(_("decided on"))
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    # RESTRICT, not PROTECT: a plan version a decision was made on cannot be deleted on its own, but a case (or
    # a person) can be deleted with its plans and decisions together.
    plan = models.ForeignKey(
        PlanVersion, on_delete=models.RESTRICT, null=True, blank=True, related_name="decisions"
    )
    outcome_text = models.TextField(_("decision"))
    reasons = models.TextField(_("reasons"))
    # Leave: approved leave extends the programme period (rules.programme_end).
    letter_pdf = models.BinaryField(_("letter"), editable=False)
    letter_language = models.CharField(max_length=8, default="nb")
    decided_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-created_at"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="decision_period_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind="leave") | Q(effective_to__isnull=False), name="leave_has_an_end"
            ),
        ]


class AppealOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    REVERSED_BY_MUNICIPALITY = "reversed_by_municipality", _("Changed by the municipality")
    SENT_ON = "sent_on", _("Sent to the County Governor")
    UPHELD = "upheld", _("Decision upheld")
    REVERSED = "reversed", _("Decision reversed")
    PARTLY_REVERSED = "partly_reversed", _("Decision partly reversed")
    WITHDRAWN = "withdrawn", _("Appeal withdrawn")


class Appeal(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="appeals")
    received_on = models.DateField(_("appeal received on"))
    grounds = models.TextField(_("grounds"))
    outcome = models.CharField(
        _("outcome"), max_length=24, choices=AppealOutcome.choices, default=AppealOutcome.PENDING
    )
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    outcome_note = models.TextField(_("note on the outcome"), blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="pending") | Q(outcome_on__isnull=False), name="appeal_outcome_dated"
            ),
        ]


class TeachingGroup(models.Model):
    """A class or group whose attendance is entered together (by a teacher or an adviser)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="teaching_groups", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=120)
    measure_kind = models.CharField(_("measure"), max_length=20, choices=MeasureKind.choices)
    members = models.ManyToManyField(
        Participant, related_name="groups", blank=True, verbose_name=_("members")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("teaching group")
        verbose_name_plural = _("teaching groups")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="teaching_group_name_unique"),
        ]

    def __str__(self):
        return self.name


class AttendanceWeek(models.Model):
    """Hours in one measure in one ISO week: attended, and absence with or without valid reason.

    Kept on the person as well as the case, so the training history follows a person who moves.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="programme_attendance")
    measure_key = models.UUIDField()
    measure_kind = models.CharField(_("measure"), max_length=20, choices=MeasureKind.choices)
    iso_year = models.PositiveSmallIntegerField(_("year"))
    iso_week = models.PositiveSmallIntegerField(_("week"))
    hours_attended = models.DecimalField(_("hours attended"), max_digits=4, decimal_places=1)
    valid_absence_hours = models.DecimalField(
        _("absence with valid reason (hours)"), max_digits=4, decimal_places=1, default=0
    )
    unexcused_absence_hours = models.DecimalField(
        _("unexcused absence (hours)"), max_digits=4, decimal_places=1, default=0
    )
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_for = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["iso_year", "iso_week"]
        verbose_name = _("attendance week")
        verbose_name_plural = _("attendance weeks")
        indexes = [models.Index(fields=["person", "iso_year", "iso_week"])]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "measure_key", "iso_year", "iso_week"], name="attendance_week_unique"
            ),
            models.CheckConstraint(
                condition=Q(hours_attended__gte=0)
                & Q(valid_absence_hours__gte=0)
                & Q(unexcused_absence_hours__gte=0)
                & Q(
                    hours_attended__lte=Decimal("37.5")
                    - F("valid_absence_hours")
                    - F("unexcused_absence_hours")
                ),
                name="attendance_hours_within_full_time",
            ),
            models.CheckConstraint(
                condition=Q(iso_week__gte=1) & Q(iso_week__lte=53), name="attendance_week_number_range"
            ),
        ]


class TestKind(models.TextChoices):
    NORWEGIAN_ORAL = "norwegian_oral", _("Norwegian test, oral")
    NORWEGIAN_READING = "norwegian_reading", _("Norwegian test, reading")
    NORWEGIAN_LISTENING = "norwegian_listening", _("Norwegian test, listening")
    NORWEGIAN_WRITING = "norwegian_writing", _("Norwegian test, writing")
    SOCIAL_STUDIES = "social_studies", _("Social-studies test")


class TestResult(models.Model):
    """A Norwegian or social-studies test; on the person, so it follows them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="test_results")
    participant = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="test_results"
    )
    kind = models.CharField(_("test"), max_length=20, choices=TestKind.choices)
    taken_on = models.DateField(_("taken on"))
    level = models.CharField(_("level"), max_length=2, choices=CefrLevel.choices, blank=True)
    passed = models.BooleanField(_("passed"), default=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["taken_on"]
        verbose_name = _("test result")
        verbose_name_plural = _("test results")


class Deviation(models.Model):
    """A breach of a deadline, recorded with its cause (004:L1283–1285: late starts are breaches of law)."""

    class Kind(models.TextChoices):
        LATE_PROGRAMME_START = "late_programme_start", _("Programme started late")
        LATE_MAPPING = "late_mapping", _("Competence mapping late")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="deviations")
    kind = models.CharField(_("deviation"), max_length=24, choices=Kind.choices)
    cause = models.CharField(_("cause"), max_length=16, choices=DelayCause.choices, blank=True)
    due = models.DateField(_("deadline"))
    detected_on = models.DateField(_("recorded on"))
    days_late = models.PositiveIntegerField(_("days late"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-detected_on"]
        verbose_name = _("deviation")
        verbose_name_plural = _("deviations")
        constraints = [
            models.UniqueConstraint(fields=["participant", "kind"], name="deviation_once_per_kind"),
        ]


class NirExport(models.Model):
    """An export file for NIR downloaded for a municipality and period: what was handed over for national
    registration. A decision or an end is registered once a file covering its date was made on or after it
    (the registration deadline in rules.nir_registration_deadline)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    participants = models.PositiveIntegerField(_("participants"))
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("NIR export")
        verbose_name_plural = _("NIR exports")
        indexes = [models.Index(fields=["municipality", "period_end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="nir_export_period_valid"
            ),
        ]
