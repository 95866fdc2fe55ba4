"""Identity numbers stay out of error reports and logs."""

from django.test import RequestFactory
from django.views.debug import SafeExceptionReporterFilter

from bro.core.roles import Role
from bro.people import views


def test_error_reports_mask_the_identity_number_posted_to_the_person_forms(users):
    request = RequestFactory().post(
        "/persons/new/", {"given_name": "Amina", "national_identity_number": "15108695088"}
    )
    request.user = users[Role.RECEPTION_STAFF]
    views.person_create(request)
    cleaned = SafeExceptionReporterFilter().get_post_parameters(request)
    assert cleaned["national_identity_number"] != "15108695088"
    assert cleaned["given_name"] == "Amina"
