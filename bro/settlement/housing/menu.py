"""Main-menu entries for this app: only those the user's roles can use."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bro.core import policy
from bro.settlement.housing import permissions


def items(request) -> list[tuple[str, str]]:
    user = request.user
    result = []
    if permissions.housing_municipalities(user):
        result.append((reverse("housing:unit_list"), _("Housing")))
    if policy.roles(user) & permissions.HOUSEHOLD_READ_ROLES:
        result.append((reverse("housing:household_list"), _("Households' housing")))
    if permissions.can_use_requests(user):
        result.append((reverse("housing:request_list"), _("Self-settlement requests")))
    if permissions.terms_organisations(user):
        result.append((reverse("housing:terms_edit"), _("Our self-settlement terms")))
    # The national overview is public; everyone signed in finds it in the menu too.
    result.append((reverse("housing:overview"), _("Self-settlement by municipality")))
    return result
