"""Links from a person's page to their settlement interview (for settings.BRO_PERSON_LINK_MODULES).

The interview travels with the person: whoever may read the person may open it.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from bro.settlement import permissions
from bro.settlement.models import SettlementInterview


def person_links(request, person, access) -> list[tuple[str, str]]:
    url = reverse("settlement:interview", kwargs={"subject_id": person.pk})
    if SettlementInterview.objects.filter(person=person).exists():
        return [(url, _("Settlement interview"))]
    if permissions.can_conduct_interview(request.user, person) and person.current_phase == "permit_granted":
        return [(url, _("Hold the settlement interview"))]
    return []
