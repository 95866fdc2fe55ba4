"""Reads for matching inputs and the outcome model.

``active_model()`` is what the matching run scores with; store ``active_version().version`` with the run.
"""

from __future__ import annotations

from django.db.models import QuerySet

from bro.settlement.matching import outcome
from bro.settlement.outcomes.models import MatchingProfile, OutcomeModelVersion

# version id → deserialised model; a version's bytes never change, so this cache never goes stale.
_MODELS: dict = {}


def active_version() -> OutcomeModelVersion | None:
    return OutcomeModelVersion.objects.filter(is_active=True).select_related("trained_by").first()


def load_model(version: OutcomeModelVersion) -> outcome.OutcomeModel:
    model = _MODELS.get(version.pk)
    if model is None:
        model = outcome.deserialise(version.model)
        _MODELS[version.pk] = model
    return model


def active_model() -> outcome.OutcomeModel | None:
    """The active outcome model (its ``.version`` names it), or None before any has been trained."""
    version = active_version()
    return load_model(version) if version is not None else None


def model_versions() -> QuerySet[OutcomeModelVersion]:
    return OutcomeModelVersion.objects.defer("model").select_related("trained_by").order_by("-trained_at")


def matching_profile(person) -> MatchingProfile | None:
    """The person's profile; the caller has read the person through ``people.selectors.get_person``,
    which logged the read."""
    return (
        MatchingProfile.objects.filter(person=person).select_related("tie_municipality", "updated_by").first()
    )
