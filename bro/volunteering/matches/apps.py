from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchesConfig(AppConfig):
    name = "bro.volunteering.matches"
    label = "volunteering_matches"
    verbose_name = _("One-to-one matches")
