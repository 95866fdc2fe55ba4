"""Main-menu entries for this app: only those the user's roles can use."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bro.settlement.outcomes import permissions


def items(request) -> list[tuple[str, str]]:
    if not permissions.can_manage_model(request.user):
        return []
    return [
        (reverse("outcomes:models"), _("Outcome model")),
        (reverse("outcomes:municipality_list"), _("Municipality profiles")),
    ]
