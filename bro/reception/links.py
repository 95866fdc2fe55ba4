"""Links from a person's page to their Norwegian training in reception (for settings.BRO_PERSON_LINK_MODULES).

The training record follows the person (002:L91): whoever may read the person may open it.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from bro.reception import permissions
from bro.reception.models import TrainingWeek


def person_links(request, person, access) -> list[tuple[str, str]]:
    if TrainingWeek.objects.filter(person=person).exists() or permissions.training_organisations(
        request.user, person
    ):
        return [
            (
                reverse("reception:training", kwargs={"person_id": person.pk}),
                _("Norwegian training in reception"),
            )
        ]
    return []
