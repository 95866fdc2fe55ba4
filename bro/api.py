"""The HTTP API under /api/ (OpenAPI at /api/docs). Same services, selectors and policy as the pages."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError as RequestValidationError
from ninja.security import django_auth

from bro.core.api import router as core_router
from bro.people.api import router as people_router
from bro.qualification.api import router as qualification_router
from bro.reception.api import router as reception_router
from bro.settlement.api import router as settlement_router
from bro.settlement.housing.api import router as housing_router
from bro.volunteering.api import router as volunteering_router

api = NinjaAPI(
    title="Bro API",
    version="1",
    description="Persons, households and the phase timeline along the Norwegian refugee chain. "
    "Authenticate with a session (log in at /login/); unsafe methods need the CSRF token.",
    auth=django_auth,
    urls_namespace="api",
)
api.add_router("/", core_router)
api.add_router("/persons", people_router)
api.add_router("/reception", reception_router)
api.add_router("/settlement", settlement_router)
api.add_router("/housing", housing_router)
api.add_router("/qualification", qualification_router)
api.add_router("/volunteering", volunteering_router)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": None, "message": m} for m in exc.messages]
    return api.create_response(request, {"detail": errors}, status=422)


@api.exception_handler(RequestValidationError)
def request_validation_error(request, exc: RequestValidationError):
    """Input the spec refuses (a wrong type, a missing field) gets the same answer as the rules' refusals."""
    errors = [{"field": _field_name(error["loc"]), "message": error["msg"]} for error in exc.errors]
    return api.create_response(request, {"detail": errors}, status=422)


def _field_name(location) -> str | None:
    # ("body", "payload", "languages", 0, "language") -> "languages.0.language"; ("query", "page") -> "page"
    source, *path = location
    if source == "body":
        path = path[1:]  # the handler's parameter name
    return ".".join(str(part) for part in path) or None


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": _("You do not have access to this.")}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)
