from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "bro.volunteering.grants"
    label = "volunteering_grants"
    verbose_name = _("Agreements and grants for civil society")
