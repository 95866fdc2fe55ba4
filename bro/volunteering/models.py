"""Civil society around the chain (DOMAIN §9): organisations' profiles, volunteers and onboarding, activities,
needs, one-to-one matches with consent, agreements, grants and surges.

Volunteers are not persons in the case-file sense: a volunteer's record is their own sign-up, and a
volunteer sees of a refugee only what the refugee consented to share in a match (first name, languages and
the need by default). Needs carry no personal data.
"""

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bro.core.models import Municipality, Organisation, User


class Skill(models.TextChoices):
    DRIVING = "driving", _("Driving (licence and car)")
    HOMEWORK = "homework", _("Homework help")
    LANGUAGE_PRACTICE = "language_practice", _("Conversation practice")
    SPORT = "sport", _("Sport and coaching")
    OUTDOOR = "outdoor", _("Outdoor life")
    COOKING = "cooking", _("Cooking")
    CHILDREN = "children", _("Activities with children")
    CAREER = "career", _("Job seeking and careers")
    LEGAL = "legal", _("Legal advice")
    DIGITAL = "digital", _("Digital help (phone, forms)")
    PRACTICAL = "practical", _("Practical help (moving, repairs)")
    INTERPRETING = "interpreting", _("Can help with my languages")


class Availability(models.TextChoices):
    WEEKDAY_DAYTIME = "weekday_daytime", _("Weekdays, daytime")
    WEEKDAY_EVENING = "weekday_evening", _("Weekday evenings")
    WEEKEND = "weekend", _("Weekends")


class CivilSocietyKind(models.TextChoices):
    ESTABLISHED = "established", _("Established organisation")
    NETWORK = "network", _("Network or social-media group")
    IMMIGRANT = "immigrant", _("Immigrant organisation")
    VOLUNTEER_CENTRE = "volunteer_centre", _("Volunteer centre")
    SOCIAL_ENTREPRENEUR = "social_entrepreneur", _("Social entrepreneur")
    FAITH_BASED = "faith_based", _("Faith-based organisation")
    SPORTS_CLUB = "sports_club", _("Sports club")


class CivilSocietyProfile(models.Model):
    """What Bro knows of a volunteer organisation or group beyond the Organisation row."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="civil_society", verbose_name=_("organisation")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=CivilSocietyKind.choices)
    # The entity register's number is Organisation.organisation_number (validated with python-stdnum).
    in_voluntary_register = models.BooleanField(_("registered in the Voluntary Register"), default=False)
    voluntary_register_since = models.DateField(_("in the Voluntary Register since"), null=True, blank=True)
    founded_on = models.DateField(_("founded"), null=True, blank=True)
    paying_members = models.PositiveIntegerField(_("paying members"), null=True, blank=True)
    parent = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="branches",
        verbose_name=_("parent organisation"),
    )
    counties = models.JSONField(_("counties covered"), default=list, blank=True)  # county numbers
    website = models.URLField(_("website or group page"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("civil-society profile")
        verbose_name_plural = _("civil-society profiles")


class Volunteer(models.Model):
    """Someone who signed up to volunteer (anyone: also refugees and immigrants)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer",
        verbose_name=_("user"),
    )
    given_name = models.CharField(_("given name"), max_length=150)
    family_name = models.CharField(_("family name"), max_length=150)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    sex = models.CharField(_("sex"), max_length=8, blank=True)  # people.phases.Sex values; optional
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    languages = models.JSONField(_("languages"), default=list)  # ISO 639 codes
    skills = models.JSONField(_("skills"), default=list, blank=True)  # codes of Skill
    interests = models.JSONField(_("interests"), default=list, blank=True)  # ActivityKind values
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("home municipality")
    )
    travel_municipalities = models.ManyToManyField(
        Municipality, related_name="+", blank=True, verbose_name=_("can also travel to")
    )
    availability = models.JSONField(_("availability"), default=list)  # codes of Availability
    available_until = models.DateField(_("can commit until"), null=True, blank=True)
    has_refugee_background = models.BooleanField(_("has a refugee or immigrant background"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    organisations = models.ManyToManyField(
        Organisation, through="Onboarding", related_name="volunteers", blank=True
    )

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        constraints = [models.UniqueConstraint(fields=["email"], name="volunteer_email_unique")]

    def __str__(self):
        return f"{self.given_name} {self.family_name}"

    # Labels in the user's language for pages (the fields hold codes).
    @property
    def language_names(self) -> str:
        from bro.people.languages import language_name

        return ", ".join(language_name(code) for code in self.languages)

    @property
    def skill_labels(self) -> str:
        return ", ".join(str(Skill(code).label) for code in self.skills if code in Skill.values)

    @property
    def availability_labels(self) -> str:
        return ", ".join(
            str(Availability(code).label) for code in self.availability if code in Availability.values
        )


class Onboarding(models.Model):
    """A volunteer's onboarding with one organisation: each step dated when done (003:L2309: not six weeks
    for everything before anything)."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="onboardings")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="onboardings")
    information_meeting_on = models.DateField(_("information meeting"), null=True, blank=True)
    training_on = models.DateField(_("training"), null=True, blank=True)
    police_certificate_on = models.DateField(_("police certificate checked"), null=True, blank=True)
    commitment_signed_on = models.DateField(_("commitment signed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("onboarding")
        verbose_name_plural = _("onboardings")
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "organisation"], name="onboarding_once_per_organisation"
            )
        ]


class ActivityKind(models.TextChoices):
    REFUGEE_GUIDE = "refugee_guide", _("Refugee guide")
    FRIEND_FAMILY = "friend_family", _("Friend family")
    GOOD_NEIGHBOUR = "good_neighbour", _("A good neighbour")
    LANGUAGE_CAFE = "language_cafe", _("Language café")
    HOMEWORK_HELP = "homework_help", _("Homework help")
    WOMENS_GROUP = "womens_group", _("Women's group")
    MENS_GROUP = "mens_group", _("Men's group")
    SPORT = "sport", _("Sport")
    OUTDOOR = "outdoor", _("Outdoor life")
    MEALS = "meals", _("Meals with hosts")
    TRANSPORT = "transport", _("Transport")
    CLOTHES = "clothes", _("Clothes")
    LEGAL_AID = "legal_aid", _("Legal aid")
    WORK_ORIENTED = "work_oriented", _("Work-oriented activity")


class ChainPhase(models.TextChoices):
    RECEPTION = "reception", _("In reception")
    SETTLED = "settled", _("Newly settled")
    PROGRAMME = "programme", _("In the introduction programme")
    AFTER = "after", _("After the programme")
    ANY = "any", _("Any phase")


class TargetSex(models.TextChoices):
    ANY = "any", _("Everyone")
    WOMEN = "women", _("Women")
    MEN = "men", _("Men")


class Activity(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="activities", verbose_name=_("organiser")
    )
    partners = models.ManyToManyField(Organisation, related_name="partner_activities", blank=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    phase = models.CharField(
        _("phase of the chain"), max_length=12, choices=ChainPhase.choices, default="any"
    )
    target_sex = models.CharField(_("for"), max_length=8, choices=TargetSex.choices, default="any")
    target_age_min = models.PositiveSmallIntegerField(_("youngest"), null=True, blank=True)
    target_age_max = models.PositiveSmallIntegerField(_("oldest"), null=True, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    reception_centre = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("at reception centre"),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    schedule = models.CharField(_("schedule"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    # What a volunteer needs before taking part (onboarding steps); children need a police certificate.
    involves_children = models.BooleanField(_("involves children"), default=False)
    needs_information_meeting = models.BooleanField(_("needs the information meeting"), default=False)
    needs_training = models.BooleanField(_("needs training"), default=False)
    needs_commitment = models.BooleanField(_("needs a signed commitment"), default=False)
    participants_reached = models.PositiveIntegerField(_("participants reached"), default=0)
    volunteer_hours = models.DecimalField(_("volunteer hours"), max_digits=8, decimal_places=1, default=0)
    volunteers = models.ManyToManyField(Volunteer, related_name="activities", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="activity_dates"
            ),
        ]


class Need(models.Model):
    """A need published by a municipality, centre or programme adviser — never with personal data."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FILLED = "filled", _("Filled")
        CLOSED = "closed", _("Closed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="published_needs", verbose_name=_("published by")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind of activity"), max_length=20, choices=ActivityKind.choices)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    languages = models.JSONField(_("languages wanted"), default=list, blank=True)
    skills = models.JSONField(_("skills wanted"), default=list, blank=True)
    volunteers_wanted = models.PositiveSmallIntegerField(_("volunteers wanted"), default=1)
    involves_children = models.BooleanField(_("involves children"), default=False)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default="open")
    is_public = models.BooleanField(_("shown on the public sign-up page"), default=True)
    published_on = models.DateField(_("published"))
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-published_on"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")


class NeedResponse(models.Model):
    """An organisation answers a need: what it can do, and the activity it plans against it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="need_responses")
    message = models.TextField(_("what we can do"))
    activity = models.ForeignKey(
        Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="need_responses"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("answer to a need")
        verbose_name_plural = _("answers to needs")
        constraints = [
            models.UniqueConstraint(fields=["need", "organisation"], name="one_answer_per_organisation")
        ]


class NeedAssignment(models.Model):
    """A volunteer routed to a need (by a coordinator, one by one or in bulk during a surge)."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="assignments")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="assignments")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="offered")
    assigned_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assigned_at"]
        verbose_name = _("assignment to a need")
        verbose_name_plural = _("assignments to needs")
        constraints = [models.UniqueConstraint(fields=["need", "volunteer"], name="assignment_once_per_need")]


class Surge(models.Model):
    """A municipality or centre declares a surge: the public sign-up page routes newcomers to its open needs
    and its coordinators see the queue (003:L1033: in 2015 a phone line routed the flood of volunteers)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="surges", verbose_name=_("declared by")
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    message = models.CharField(_("message to new volunteers"), max_length=500)
    declared_on = models.DateField(_("declared"))
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    declared_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-declared_on"]
        verbose_name = _("surge")
        verbose_name_plural = _("surges")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("declared_on")), name="surge_dates"
            ),
        ]
