import importlib

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bro.core import notifications, policy


def navigation(request):
    """The menu: only the entries the user's roles can use."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        if policy.can_read_persons_at_all(user):
            items.append((reverse("people:person_list"), _("My persons")))
            if policy.registering_organisations(user):
                items.append((reverse("people:person_create"), _("Register person")))
        for module in settings.BRO_MENU_MODULES:
            items.extend(importlib.import_module(module).items(request))
        if policy.can_administer(user):
            items.append((reverse("core:organisation_list"), _("Organisations")))
            items.append((reverse("core:user_list"), _("Users")))
            items.append((reverse("core:audit_log"), _("Audit log")))
        unread = notifications.unread_count(user)
        label = _("Notifications (%(count)s unread)") % {"count": unread} if unread else _("Notifications")
        items.append((reverse("core:notifications"), label))
        items.append((reverse("core:home"), _("My account")))
    path = request.path
    return {
        "nav_items": [
            {"url": url, "label": label, "current": path.startswith(url) and url != "/" or path == url}
            for url, label in items
        ],
    }
