from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from bro.core import audit
from bro.core.models import AuditAction


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    audit.record(user=user, organisation=None, action=AuditAction.LOGIN, obj=user)


@receiver(user_login_failed)
def log_failed_login(sender, credentials, request=None, **kwargs):
    # Only the username is kept; the password never reaches the log.
    audit.record(
        user=None,
        organisation=None,
        action=AuditAction.LOGIN_FAILED,
        summary=str(credentials.get("username", ""))[:150],
    )
