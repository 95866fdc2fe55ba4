"""Main-menu entries for this app: only those the user's roles can use."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bro.reception import permissions


def items(request) -> list[tuple[str, str]]:
    user = request.user
    result = []
    centres = permissions.own_centres(user)
    if permissions.is_directorate_viewer(user):
        result.append((reverse("reception:centre_list"), _("Reception centres")))
    elif len({c.id for c in centres}) == 1:
        result.append((reverse("reception:centre_detail", args=[centres[0].id]), _("My reception centre")))
    elif centres:
        result.append((reverse("reception:centre_list"), _("Reception centres")))
    hosts = {h.id: h for h in permissions.own_host_municipalities(user)}
    if len(hosts) == 1:
        result.append((reverse("reception:host_detail", args=list(hosts)), _("Host municipality")))
    elif hosts and not result:
        result.append((reverse("reception:centre_list"), _("Reception centres")))
    return result
