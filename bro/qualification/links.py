"""Links from a person's page to their programme case and training history (BRO_PERSON_LINK_MODULES)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from bro.qualification import permissions
from bro.qualification.models import Participant


def person_links(request, person, access) -> list[tuple[str, str]]:
    user = request.user
    links = []
    cases = [
        c
        for c in Participant.objects.filter(person=person).order_by("-settlement_date")
        if permissions.can_read_case(user, c)
    ]
    for case in cases[:3]:
        label = _("Introduction programme in %(municipality)s") % {"municipality": case.municipality.name}
        links.append((reverse("qualification:participant_detail", args=[case.pk]), label))
    if permissions.can_open_case(user, person) and not any(c.is_open for c in cases):
        links.append((reverse("qualification:open_case", args=[person.pk]), _("Open a programme case")))
    if permissions.can_read_training_history(user, person):
        links.append((reverse("qualification:training_history", args=[person.pk]), _("Training history")))
    return links
