"""Main-menu entry: matching runs, for national settlement officers."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bro.settlement import permissions


def items(request) -> list[tuple[str, str]]:
    if permissions.is_national_officer(request.user):
        return [(reverse("matchingruns:runs"), _("Matching"))]
    return []
