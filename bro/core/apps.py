from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "bro.core"
    label = "core"
    verbose_name = _("Organisations, users and audit")

    def ready(self):
        from bro.core import signals  # noqa: F401 - connects the login audit receivers
