"""Organisations (the tenants), the municipality registry, users, memberships and the audit log."""

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bro.core.roles import CentreType, OperatorKind, OrganisationKind, Role


class MunicipalityQuerySet(models.QuerySet):
    def valid_on(self, day):
        """Municipalities as the registry stood on ``day`` (reforms renumber and merge them)."""
        return self.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class Municipality(models.Model):
    """One version of a municipality in the national registry.

    A reform (2020, 2024) ends a version (``valid_to``) and starts its successor(s), so that a record
    that points at "Tromsø 5401" in 2022 still reads correctly after Tromsø became 5501.
    """

    number = models.CharField(_("municipality number"), max_length=4)
    name = models.CharField(_("name"), max_length=100)
    county_number = models.CharField(_("county number"), max_length=2)
    county_name = models.CharField(_("county"), max_length=100)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self", symmetrical=False, related_name="predecessors", blank=True, verbose_name=_("successors")
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["number", "valid_from"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.UniqueConstraint(fields=["number", "valid_from"], name="municipality_version_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="municipality_valid_range",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"


class Organisation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=200)
    organisation_number = models.CharField(
        _("organisation number"), max_length=9, null=True, blank=True, unique=True
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("municipality"),
        help_text=_("For a municipality: the municipality itself. For others: where it is located."),
    )
    is_host_municipality = models.BooleanField(_("host municipality"), default=False)
    is_settlement_municipality = models.BooleanField(_("settlement municipality"), default=False)
    operator_kind = models.CharField(_("operator"), max_length=16, choices=OperatorKind.choices, blank=True)
    centre_type = models.CharField(_("centre type"), max_length=32, choices=CentreType.choices, blank=True)
    requires_two_factor = models.BooleanField(_("staff must use two-factor login"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=OrganisationKind.MUNICIPALITY) | Q(municipality__isnull=False),
                name="municipality_org_has_municipality",
            ),
            models.CheckConstraint(
                condition=~Q(kind=OrganisationKind.RECEPTION_CENTRE)
                | (~Q(operator_kind="") & ~Q(centre_type="")),
                name="reception_centre_has_operator_and_type",
            ),
            models.CheckConstraint(
                condition=Q(kind=OrganisationKind.MUNICIPALITY)
                | (Q(is_host_municipality=False) & Q(is_settlement_municipality=False)),
                name="only_municipalities_have_municipal_roles",
            ),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(kind=OrganisationKind.MUNICIPALITY),
                name="one_organisation_per_municipality",
            ),
        ]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self):
        return self.name


class User(AbstractUser):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisations = models.ManyToManyField(Organisation, through="Membership", related_name="users")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    """A user's role in one organisation. A user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"


class AuditAction(models.TextChoices):
    READ = "read", _("Read")
    LIST = "list", _("List")
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Delete")
    TRANSITION = "transition", _("Phase transition")
    GRANT = "grant", _("Access granted")
    LOGIN = "login", _("Login")
    LOGIN_FAILED = "login_failed", _("Failed login")


class AuditEntry(models.Model):
    """Append-only record of who did what to which personal data, when, and for which organisation.

    ``person_id`` is a plain UUID rather than a foreign key so the trail outlives the record it
    describes. ``changes`` maps field → [old, new]; identity numbers are stored masked.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("user")
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    channel = models.CharField(_("channel"), max_length=8, default="web")
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    person_id = models.UUIDField(_("person"), null=True, blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["user", "at"]), models.Index(fields=["object_type", "object_id"])]


class Notification(models.Model):
    """A message to one user, through one of their organisations.

    Stores the facts (``kind`` and ``params``: numbers, dates, names), not the sentence, so that the
    text is rendered in the reader's language when it is shown: ``kind`` "app.name" is rendered by
    the template ``app/notifications/name.html`` with ``params``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    kind = models.CharField(_("kind"), max_length=64)
    params = models.JSONField(_("details"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"])]

    @property
    def template_name(self) -> str:
        app, _sep, name = self.kind.partition(".")
        return f"{app}/notifications/{name}.html"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """Long work (a matching run, retraining a model, an import) that must not block a request.

    ``target`` is the dotted path of a function ``target(job, **params) -> dict``; it reports progress
    through ``bro.core.jobs.progress`` and returns a JSON-able result, whose optional ``url`` is where the
    user goes when it is done. Results and messages hold no identity numbers: they are shown on a page
    that anyone in the starting organisation may open.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=64)
    target = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["status", "created_at"])]

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def result_url(self) -> str:
        return (self.result or {}).get("url", "") if self.status == JobStatus.DONE else ""
