"""Main-menu entries for this app: only those the user's roles can use."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bro.settlement import permissions


def items(request) -> list[tuple[str, str]]:
    user = request.user
    result = []
    if permissions.can_view_national_overview(user):
        result.append((reverse("settlement:overview"), _("Settlement")))
    if permissions.is_national_officer(user):
        result.append((reverse("settlement:ready"), _("Ready for settlement")))
    if permissions.municipal_officer_organisations(user):
        result.append((reverse("settlement:municipality"), _("Our settlement")))
    if permissions.can_view_waiting_list(user):
        result.append((reverse("settlement:waiting"), _("Waiting times")))
    return result
