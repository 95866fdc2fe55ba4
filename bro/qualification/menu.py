"""Main-menu entries for the qualification app: only those the user's roles can use."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from bro.core import policy
from bro.qualification import permissions


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:  # an area not installed yet
        return None


def items(request) -> list[tuple[str, str]]:
    user = request.user
    result = []
    if policy.roles(user) & permissions.CASE_READ_ROLES and (
        permissions.adviser_municipalities(user) or permissions.teaching_organisations(user)
    ):
        result.append((reverse("qualification:participant_list"), _("Participants")))
    if permissions.group_organisations(user) and (url := _url("qualification:group_list")):
        result.append((url, _("Attendance")))
    if permissions.can_see_overview(user) and (url := _url("qualification:overview")):
        result.append((url, _("Programme results")))
    return result
