"""Links from a person's page to their matching profile (for settings.BRO_PERSON_LINK_MODULES)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from bro.settlement.outcomes import permissions
from bro.settlement.outcomes.models import MatchingProfile


def person_links(request, person, access) -> list[tuple[str, str]]:
    url = reverse("outcomes:profile", kwargs={"subject_id": person.pk})
    if MatchingProfile.objects.filter(person=person).exists():
        return [(url, _("Matching profile"))]
    if permissions.can_edit_matching_profile(request.user, person):
        return [(url, _("Record the matching profile"))]
    return []
