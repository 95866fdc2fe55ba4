from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingRunsConfig(AppConfig):
    name = "bro.settlement.matchingruns"
    label = "matchingruns"
    verbose_name = _("Matching runs")
