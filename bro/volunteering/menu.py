"""Main-menu entries for civil society: only those the user's roles can use."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from bro.volunteering import permissions


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:  # an area not installed yet
        return None


def items(request) -> list[tuple[str, str]]:
    user = request.user
    wanted = []
    if permissions.own_volunteer(user) is not None:
        wanted.append(("volunteering:me", _("My volunteering")))
    if permissions.coordinator_organisations(user):
        wanted.append(("volunteering:volunteer_list", _("Volunteers")))
    if permissions.coordinator_organisations(user) or permissions.publishing_organisations(user):
        wanted.append(("volunteering:need_list", _("Needs and activities")))
    if permissions.coordinator_organisations(user):
        wanted.append(("matches:match_list", _("Matches")))
    from bro.volunteering.grants import permissions as grants

    if permissions.coordinator_organisations(user) or grants.scheme_organisations(user):
        wanted.append(("grants:scheme_list", _("Grants")))
    if permissions.can_see_overview(user):
        wanted.append(("volunteering:overview", _("Civil society")))
    return [(url, label) for name, label in wanted if (url := _url(name))]
