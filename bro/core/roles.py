"""Organisation kinds and roles: the vocabulary the access policy speaks.

Kept apart from models so that rules and the policy can use them without the ORM.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    DIRECTORATE = "directorate", _("National directorate (IMDi)")
    MUNICIPALITY = "municipality", _("Municipality")
    RECEPTION_CENTRE = "reception_centre", _("Reception centre")
    ADULT_EDUCATION = "adult_education", _("Adult-education centre")
    NAV_OFFICE = "nav_office", _("NAV office")
    HEALTH_SERVICE = "health_service", _("Health service")
    VOLUNTEER_ORGANISATION = "volunteer_organisation", _("Volunteer organisation")
    VOLUNTEER_CENTRE = "volunteer_centre", _("Volunteer centre")


class OperatorKind(models.TextChoices):
    """Who runs a reception centre under contract with UDI (DOMAIN §1; 000:L84)."""

    MUNICIPAL = "municipal", _("Municipal")
    PRIVATE = "private", _("Private")
    NON_PROFIT = "non_profit", _("Non-profit")


class CentreType(models.TextChoices):
    """Reception centre types (DOMAIN §1; integration centres 002:L424–447)."""

    ARRIVAL = "arrival", _("Arrival centre")
    TRANSIT = "transit", _("Transit centre")
    EMERGENCY = "emergency", _("Emergency centre")
    ORDINARY = "ordinary", _("Ordinary centre")
    UNACCOMPANIED_MINORS = "unaccompanied_minors", _("Centre for unaccompanied minors")
    CARE_CENTRE = "care_centre", _("Care centre (under 15)")
    INTEGRATION = "integration", _("Integration centre")


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    NATIONAL_SETTLEMENT_OFFICER = "national_settlement_officer", _("National settlement officer")
    MUNICIPAL_SETTLEMENT_OFFICER = "municipal_settlement_officer", _("Municipal settlement officer")
    PROGRAMME_ADVISER = "programme_adviser", _("Programme adviser")
    TEACHER = "teacher", _("Teacher (adult education)")
    HEALTH_NURSE = "health_nurse", _("Health nurse")
    RECEPTION_STAFF = "reception_staff", _("Reception-centre staff")
    VOLUNTEER_COORDINATOR = "volunteer_coordinator", _("Volunteer coordinator")
    VOLUNTEER = "volunteer", _("Volunteer")
    LEADERSHIP = "leadership", _("Leadership (read-only dashboards)")


K = OrganisationKind
# Which roles make sense in which kind of organisation; a membership outside this table is refused.
ROLE_ORGANISATION_KINDS: dict[str, frozenset[str]] = {
    Role.ADMINISTRATOR: frozenset(K.values),
    Role.NATIONAL_SETTLEMENT_OFFICER: frozenset({K.DIRECTORATE}),
    Role.MUNICIPAL_SETTLEMENT_OFFICER: frozenset({K.MUNICIPALITY}),
    Role.PROGRAMME_ADVISER: frozenset({K.MUNICIPALITY, K.NAV_OFFICE}),
    Role.TEACHER: frozenset({K.ADULT_EDUCATION}),
    Role.HEALTH_NURSE: frozenset({K.HEALTH_SERVICE, K.MUNICIPALITY}),
    Role.RECEPTION_STAFF: frozenset({K.RECEPTION_CENTRE}),
    Role.VOLUNTEER_COORDINATOR: frozenset({K.VOLUNTEER_ORGANISATION, K.VOLUNTEER_CENTRE, K.MUNICIPALITY}),
    Role.VOLUNTEER: frozenset({K.VOLUNTEER_ORGANISATION, K.VOLUNTEER_CENTRE}),
    Role.LEADERSHIP: frozenset(
        {K.DIRECTORATE, K.MUNICIPALITY, K.RECEPTION_CENTRE, K.ADULT_EDUCATION, K.NAV_OFFICE, K.HEALTH_SERVICE}
    ),
}

# Roles that may read person records their organisation is responsible for (need-to-know).
# Administrators manage users and organisations, leadership sees aggregates, volunteers see no
# person records (issue 2); none of them reads case files.
PERSON_READ_ROLES = frozenset(
    {
        Role.NATIONAL_SETTLEMENT_OFFICER,
        Role.MUNICIPAL_SETTLEMENT_OFFICER,
        Role.PROGRAMME_ADVISER,
        Role.TEACHER,
        Role.HEALTH_NURSE,
        Role.RECEPTION_STAFF,
    }
)
# Roles that may register persons and record phase transitions for persons in their care.
PERSON_WRITE_ROLES = frozenset(
    {
        Role.NATIONAL_SETTLEMENT_OFFICER,
        Role.MUNICIPAL_SETTLEMENT_OFFICER,
        Role.PROGRAMME_ADVISER,
        Role.RECEPTION_STAFF,
    }
)
# Staff roles: these handle personal data and can be required to use a second factor.
STAFF_ROLES = frozenset(set(Role.values) - {Role.VOLUNTEER})
