"""Links from a person's page to their volunteer matches (for settings.BRO_PERSON_LINK_MODULES)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from bro.volunteering.matches import permissions, selectors


def person_links(request, person, access) -> list[tuple[str, str]]:
    links = [
        (
            reverse("matches:match_detail", args=[m.pk]),
            _("Volunteer match: %(kind)s with %(organisation)s (%(status)s)")
            % {
                "kind": m.get_kind_display(),
                "organisation": m.organisation.name,
                "status": m.get_status_display(),
            },
        )
        for m in selectors.matches_of_person(request.user, person)
    ]
    if permissions.can_request(request.user, person):
        links.append((reverse("matches:match_request", args=[person.pk]), _("Ask for a volunteer match")))
    return links
