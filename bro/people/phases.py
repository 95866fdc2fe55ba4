"""Phase and category vocabularies for persons along the chain (DOMAIN §1–2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    ARRIVAL = "arrival", _("Arrival")
    RECEPTION = "reception", _("Reception")
    PERMIT_GRANTED = "permit_granted", _("Permit granted")
    READY_FOR_SETTLEMENT = "ready_for_settlement", _("Ready for settlement")
    SETTLED = "settled", _("Settled")
    IN_PROGRAMME = "in_programme", _("In programme")
    FINISHED = "finished", _("Finished")
    FINAL_REJECTION = "final_rejection", _("Final rejection")
    RETURNED = "returned", _("Returned")
    UNDOCUMENTED = "undocumented", _("Undocumented")


class FinishOutcome(models.TextChoices):
    WORK = "work", _("Work")
    EDUCATION = "education", _("Education")
    OTHER = "other", _("Other")


class ImmigrantCategory(models.TextChoices):
    ASYLUM_SEEKER = "asylum_seeker", _("Asylum seeker")
    RESETTLEMENT_REFUGEE = "resettlement_refugee", _("Resettlement refugee")
    REFUGEE = "refugee", _("Refugee granted asylum")
    HUMANITARIAN = "humanitarian", _("Humanitarian grounds")
    FAMILY_REUNIFIED = "family_reunified", _("Family-reunified")
    COLLECTIVE_PROTECTION = "collective_protection", _("Collective protection")
    LABOUR_IMMIGRANT = "labour_immigrant", _("Labour immigrant")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Unknown")


class Relation(models.TextChoices):
    PRINCIPAL = "principal", _("Principal applicant")
    SPOUSE = "spouse", _("Spouse or partner")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other relative")


class AccessBasis(models.TextChoices):
    LEGAL_BASIS = "legal_basis", _("Legal basis")
    CONSENT = "consent", _("The person's consent")
