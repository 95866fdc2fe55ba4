"""What the qualification API's routers share: the actor, the case lookup, field names in refusals."""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from ninja import Field

from bro.qualification import permissions, selectors, services
from bro.qualification.models import Participant


def actor(request) -> services.Actor:
    return services.Actor(user=request.user, channel="api")


def case(request, participant_id, *, manage: bool = False) -> Participant:
    """The case if the user may read it (else 404); with ``manage``, 403 unless they may change it."""
    participant = selectors.get_participant(request.user, participant_id, channel="api")
    if manage and not permissions.can_manage_case(request.user, participant):
        raise PermissionDenied
    return participant


@contextmanager
def api_fields(**renamed: str):
    """The services name fields as the forms do ("education-0-country", "adviser", "__all__"); the API's
    answers use its own names ("education.0.country", "adviser_id", null for the whole input)."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {_api_name(name, renamed): errors for name, errors in exc.error_dict.items()}
        ) from exc


def _api_name(name: str, renamed: dict[str, str]) -> str | None:
    if name == NON_FIELD_ERRORS:
        return None
    return renamed.get(name, name.replace("-", "."))


def refuse(field_name: str | None, message, code: str):
    """Refuse input the way the services do (422, nothing saved)."""
    error = ValidationError(message, code=code)
    raise ValidationError([error] if field_name is None else {field_name: error})


# Bounds that keep generated or mistaken input inside the database's columns; the services give the
# domain's answers (hours per week up to 37.5, years up to 60) within them.
Hours = Annotated[Decimal, Field(ge=0, le=99, max_digits=4, decimal_places=1)]
Years = Annotated[Decimal, Field(ge=0, le=99, max_digits=3, decimal_places=1)]
