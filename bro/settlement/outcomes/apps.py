from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "bro.settlement.outcomes"
    label = "outcomes"
    verbose_name = _("Matching inputs and the outcome model")
